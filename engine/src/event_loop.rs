//! The JS event loop of one guest, on the exec's own thread:
//! ```text
//! start(config) -> tick() -> unhandled rejections? -> wait(next timer | stdin | host reply | stop) -+
//!                   ^                                                                               |
//!                   +-------------------------------------------------------------------------------+
//! ```
//! It ends when `tick()` reports nothing pending and nobody waits on stdin or the host, when the
//! guest calls `exit`, or when the exec is stopped.

use std::time::{Duration, Instant};

use crate::guest_state::{GuestState, SharedGuest, guest};
use std::sync::Arc;

use crate::bridge::views::{delivered_uint8_array, memory_outcome};
use crate::inbox::{Inbox, Input, PendingHostCalls, Wait};
use crate::input::ChildEvent;
use crate::outcome::Outcome;
use crate::runner_call::{Stop, call, check_stopped};
use crate::stopper::Stopper;
use crate::strings::v8_str;
use crate::wasi_host::SharedInbox;

/// Runs `runner.start(config)` (then its ticks) and the loop around it to the guest's end.
pub(crate) fn drive<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    config: v8::Local<'s, v8::Object>,
    state: &SharedGuest,
    inbox: &SharedInbox,
) -> Outcome {
    // Never borrowed while guest code runs: a synchronous stdin read borrows it then.
    let links = Links::of(&inbox.borrow());
    let stopper = links.stopper.clone();
    let mut stdin_closed = false;
    let result = (|| -> Result<(), Stop> {
        crate::runner_call::start(scope, runner, config.into(), state, &stopper)?;
        // As Node after the main module: its rejections are reported before any timer runs.
        report_rejections(scope, runner, state, &stopper)?;
        loop {
            let delay = tick(scope, runner, state, &stopper)?;
            // A task may be guest code (a FinalizationRegistry callback): tick again after it.
            let delay = if crate::platform::run_posted_tasks(scope) {
                0.0
            } else {
                delay
            };
            check_stopped(state, &stopper)?;
            let (delay, idle) = split_delay(delay);
            let waiting = waits_for_input(state, stdin_closed);
            let idle = idle.filter(|_| waiting);
            let input = next_input(&mut inbox.borrow_mut(), state, delay, idle, waiting);
            let input = match input {
                Some(input) => input,
                None if delay < 0.0 && idle.is_none() => return Ok(()),
                None => continue,
            };
            stdin_closed |= matches!(input, Input::StdinClose);
            deliver(scope, runner, input, state, &links)?;
            report_rejections(scope, runner, state, &stopper)?;
        }
    })();
    let ended = result.and_then(|()| {
        // `exitCode` runs the guest's `exit` listeners: they may exit, loop or be stopped too.
        let code = call(scope, runner, "exitCode", &[], state, &stopper)?;
        let code = code.and_then(|v| v.int32_value(scope)).unwrap_or(0);
        Ok(Outcome::Exited(code & 0xff))
    });
    match ended {
        Ok(outcome) | Err(Stop::Done(outcome)) => outcome,
    }
}

/// The runner's `tick` result as (delay, idle): `delay` ms until a timer that keeps the loop
/// alive (or an immediate) is due, -1 when none; `idle` ms until an unref'd timer is due, which
/// fires only while something else (stdin, a host call, a socket) keeps the loop alive. The
/// runner writes that second case as `-2 - idle`.
fn split_delay(delay: f64) -> (f64, Option<f64>) {
    if delay <= -2.0 {
        (-1.0, Some(-delay - 2.0))
    } else {
        (delay, None)
    }
}

/// True while something outside the runner's timers keeps the loop alive.
fn waits_for_input(state: &GuestState, stdin_closed: bool) -> bool {
    (state.stdin_ref.get() && !stdin_closed)
        || state.ipc_ref.get()
        || state.awaits_host()
        || state.awaits_net()
}

/// The next thing to feed the runner, waiting as long as the loop may (`waiting`: something
/// besides the runner's timers keeps it alive); `None` when the wait ended with nothing (a
/// timer is due, or nothing is pending at all).
fn next_input(
    inbox: &mut Inbox,
    state: &GuestState,
    delay: f64,
    idle: Option<f64>,
    waiting: bool,
) -> Option<Input> {
    let reading = state.stdin_ref.get();
    let wait = if delay == 0.0 {
        Wait::Poll
    } else if delay < 0.0 {
        if !waiting {
            return inbox.ready(reading);
        }
        match idle {
            Some(ms) => Wait::Until(Instant::now() + Duration::from_secs_f64(ms / 1e3)),
            None => Wait::Forever,
        }
    } else {
        Wait::Until(Instant::now() + Duration::from_secs_f64(delay / 1e3))
    };
    inbox.next(wait, reading)
}

/// What delivering inputs needs of the exec's inbox, held apart from it.
struct Links {
    stopper: Arc<Stopper>,
    host_calls: PendingHostCalls,
    ports: Arc<agentos_net::PortRegistry>,
}

impl Links {
    fn of(inbox: &Inbox) -> Self {
        Self {
            stopper: inbox.stopper.clone(),
            host_calls: inbox.host_calls.clone(),
            ports: inbox.ports.clone(),
        }
    }
}

fn deliver<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    input: Input,
    state: &SharedGuest,
    links: &Links,
) -> Result<(), Stop> {
    let stopper = &links.stopper;
    match input {
        Input::Stdin(bytes) => {
            v8::scope!(let scope, scope);
            let Some(chunk) = delivered_uint8_array(scope, &bytes) else {
                return Err(Stop::Done(memory_outcome(
                    scope,
                    "a stdin chunk",
                    bytes.len(),
                )));
            };
            call(scope, runner, "stdinData", &[chunk.into()], state, stopper).map(drop)
        }
        Input::StdinClose => call(scope, runner, "stdinEnd", &[], state, stopper).map(drop),
        Input::Stop => check_stopped(state, stopper),
        Input::Signal(signal) => {
            v8::scope!(let scope, scope);
            let signal = v8::Integer::new_from_unsigned(scope, signal);
            call(scope, runner, "signal", &[signal.into()], state, stopper).map(drop)
        }
        Input::HostReply { id, error, text } => {
            links.host_calls.lock().remove(&id);
            v8::scope!(let scope, scope);
            let args = [
                v8::Number::new(scope, id as f64).into(),
                v8::Boolean::new(scope, error).into(),
                v8_str(scope, &text).into(),
            ];
            call(scope, runner, "hostReply", &args, state, stopper).map(drop)
        }
        Input::Child { id, event } => deliver_child(scope, runner, id, event, state, stopper),
        Input::Ipc(bytes) => {
            v8::scope!(let scope, scope);
            let message = child_chunk(scope, &bytes)?;
            call(
                scope,
                runner,
                "ipcMessage",
                &[message.into()],
                state,
                stopper,
            )
            .map(drop)
        }
        Input::IpcClose => {
            state.ipc_ref.set(false);
            call(scope, runner, "ipcClosed", &[], state, stopper).map(drop)
        }
        Input::Net(event) => crate::bridge::net::deliver(scope, runner, *event, state, stopper),
        Input::NetAsk(asked) => {
            let (question, answer) = *asked;
            if let Some(net) = state.net() {
                net.asks.ask(&state.output, &question, answer);
            }
            Ok(())
        }
        // Settled by the exec's handle as it arrives (`exec_handle::Local`): never queued.
        Input::NetReply { .. } => Ok(()),
        Input::HttpRequest(ask) => {
            crate::host_http::serve(Some(&links.ports), *ask);
            Ok(())
        }
    }
}

/// A child process's output, IPC or exit, to `runner.childEvent(id, kind, data | code, signal)`
/// with kind 1 stdout, 2 stderr, 3 exit, 4 an IPC message, 5 its IPC channel closed.
fn deliver_child<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    id: u32,
    event: ChildEvent,
    state: &SharedGuest,
    stopper: &Stopper,
) -> Result<(), Stop> {
    let children = state.children.borrow().clone();
    if let Some(children) = &children {
        children.delivered(id, &event);
    }
    v8::scope!(let scope, scope);
    let (kind, a, b): (i32, v8::Local<v8::Value>, i32) = match event {
        ChildEvent::Stdout(data) => (1, child_chunk(scope, &data)?.into(), 0),
        ChildEvent::Stderr(data) => (2, child_chunk(scope, &data)?.into(), 0),
        ChildEvent::Exit { code, signal } => {
            (3, v8::Integer::new(scope, code).into(), signal as i32)
        }
        ChildEvent::Message(data) => (4, child_chunk(scope, &data)?.into(), 0),
        ChildEvent::IpcClosed => (5, v8::undefined(scope).into(), 0),
    };
    let args = [
        v8::Integer::new_from_unsigned(scope, id).into(),
        v8::Integer::new(scope, kind).into(),
        a,
        v8::Integer::new(scope, b).into(),
    ];
    call(scope, runner, "childEvent", &args, state, stopper).map(drop)
}

fn child_chunk<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    data: &[u8],
) -> Result<v8::Local<'s, v8::Uint8Array>, Stop> {
    delivered_uint8_array(scope, data)
        .ok_or_else(|| Stop::Done(memory_outcome(scope, "a child's output chunk", data.len())))
}

/// One turn of the loop; returns the runner's delay until the next timer (-1: none).
fn tick<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    state: &SharedGuest,
    stopper: &Stopper,
) -> Result<f64, Stop> {
    v8::scope!(let scope, scope);
    let delay = call(scope, runner, "tick", &[], state, stopper)?
        .and_then(|v| v.number_value(scope))
        .unwrap_or(-1.0);
    if report_rejections(scope, runner, state, stopper)? {
        return Ok(0.0);
    }
    Ok(if delay.is_nan() { -1.0 } else { delay })
}

/// After a turn, as Node's processPromiseRejections: `runner.rejectionHandled(promise, last)`
/// for each reported promise that got a handler since, then
/// `runner.unhandledRejection(reason, promise, last)` for each still unhandled, in order. True
/// when the runner was called (another turn follows).
fn report_rejections<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    state: &SharedGuest,
    stopper: &Stopper,
) -> Result<bool, Stop> {
    let handled: Vec<_> = state.handled_late.borrow_mut().drain(..).collect();
    let rejected: Vec<_> = state.rejections.borrow_mut().drain(..).collect();
    let mut left = handled.len() + rejected.len();
    let called = left > 0;
    // The last call says so: the runner runs the ticks (warnings, listeners' work) after it.
    let mut last = |scope: &v8::PinScope<'s, '_>| {
        left -= 1;
        v8::Boolean::new(scope, left == 0).into()
    };
    for promise in handled {
        let args = [v8::Local::new(scope, promise).into(), last(scope)];
        call(scope, runner, "rejectionHandled", &args, state, stopper)?;
    }
    for (promise, reason) in rejected {
        let args = [
            v8::Local::new(scope, reason),
            v8::Local::new(scope, promise).into(),
            last(scope),
        ];
        call(scope, runner, "unhandledRejection", &args, state, stopper)?;
    }
    Ok(called)
}

/// Tracks promises rejected with no handler, for `unhandledRejection` after the turn.
pub(crate) extern "C" fn on_promise_reject(message: v8::PromiseRejectMessage) {
    // SAFETY: V8 invokes this callback synchronously on the isolate's own thread, inside the
    // context of the rejected promise, and `message` outlives the scope built from it.
    v8::callback_scope!(unsafe scope, &message);
    let Some(state) = guest(scope) else { return };
    let promise = message.get_promise();
    match message.get_event() {
        v8::PromiseRejectEvent::PromiseRejectWithNoHandler => {
            let reason = message
                .get_value()
                .unwrap_or_else(|| v8::undefined(scope).into());
            let entry = (
                v8::Global::new(scope, promise),
                v8::Global::new(scope, reason),
            );
            state.rejections.borrow_mut().push(entry);
        }
        v8::PromiseRejectEvent::PromiseHandlerAddedAfterReject => {
            let mut pending = state.rejections.borrow_mut();
            let before = pending.len();
            pending.retain(|(p, _)| *p != promise);
            if pending.len() == before {
                // Not pending: a turn already reported it.
                drop(pending);
                let late = v8::Global::new(scope, promise);
                state.handled_late.borrow_mut().push(late);
            }
        }
        _ => {}
    }
}
