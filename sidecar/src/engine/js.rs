//! Runs one JS guest: a fresh isolate and context, the runner, and the event loop around it.
//!
//! The loop, on the exec's own thread:
//! ```text
//! start(config) ─► tick() ─► unhandled rejections? ─► wait(next timer | stdin | kill) ─┐
//!                    ▲                                                                  │
//!                    └──────────────────────────────────────────────────────────────────┘
//! ```
//! It ends when `tick()` reports nothing pending and nobody waits on stdin, when the guest calls
//! `exit`, or when the exec is killed.

use std::collections::VecDeque;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use agentos_proto::ErrorCode;
use crossbeam_channel::{Receiver, RecvTimeoutError};

use super::call::{CallState, CallVerdict};
use super::guest::{ExecInput, GuestState, SharedGuest, guest};
use super::heap::HeapGuard;
use super::phases::Phases;
use super::stopper::Stopper;
use super::strings::{string_array, uint8_array, v8_str};
use super::wasi_host::WasiHost;
use super::wasi_host::release_stdin;
use super::wasm::{WasmJob, start_config};
use crate::command::JsMain;

/// Exit code of a guest the sidecar ended for exceeding a limit, as if SIGKILLed by a supervisor.
pub const LIMIT_EXIT_CODE: i32 = 137;

/// How a guest ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The guest exited with this code.
    Exited(i32),
    /// The guest was ended by this signal.
    Killed(u32),
    /// The sidecar ended the exec.
    Failed {
        /// Typed reason.
        code: ErrorCode,
        /// Human-readable detail.
        message: String,
        /// The exit code reported with it.
        exit_code: i32,
    },
}

impl Outcome {
    /// A sidecar fault (a bug), exit code 1.
    pub fn internal(message: impl Into<String>) -> Self {
        Outcome::Failed {
            code: ErrorCode::Internal,
            message: message.into(),
            exit_code: 1,
        }
    }
}

/// Everything one JS exec needs.
pub struct JsJob<'a> {
    /// The resolved program.
    pub main: &'a JsMain,
    /// Exactly the guest's environment.
    pub env: &'a [(String, String)],
    /// `process.cwd()`.
    pub cwd: &'a str,
    /// Where `require` looks for bare specifiers after `node_modules`.
    pub module_paths: &'a [String],
    /// Stdin delivered before anything from the inbox (initial bytes, and a close if not open).
    pub initial: Vec<ExecInput>,
}

/// Where a running exec hears from the dispatcher.
pub struct Control<'a> {
    /// Stdin, close and kill messages.
    pub inbox: &'a Receiver<ExecInput>,
    /// Why the exec was stopped from outside, once it is.
    pub stopper: &'a Stopper,
    /// Unread stdin bytes in the inbox, released as the guest takes them.
    pub stdin_buffered: &'a AtomicU64,
}

/// A prepared isolate: context entered, runner loaded, ready for one guest.
pub struct Guest<'a, 's, 'i> {
    scope: &'a mut v8::PinScope<'s, 'i>,
    runner: v8::Local<'s, v8::Object>,
    handle: v8::IsolateHandle,
    heap: &'a HeapGuard,
    phases: Phases,
    warm: bool,
    ready_at: Instant,
}

impl<'a, 's, 'i> Guest<'a, 's, 'i> {
    pub(super) fn new(
        scope: &'a mut v8::PinScope<'s, 'i>,
        runner: v8::Local<'s, v8::Object>,
        handle: v8::IsolateHandle,
        heap: &'a HeapGuard,
        phases: Phases,
        warm: bool,
    ) -> Self {
        Self {
            scope,
            runner,
            handle,
            heap,
            phases,
            warm,
            ready_at: Instant::now(),
        }
    }

    /// When the worker began preparing this isolate (a miss), or when it was claimed (a hit):
    /// the end of the hand-off from the scheduler.
    pub fn handed_over_at(&self) -> Instant {
        self.ready_at
    }

    pub(super) fn set_handed_over_at(&mut self, at: Instant) {
        self.ready_at = at;
    }

    /// The handle a killer uses to interrupt this isolate.
    pub fn isolate_handle(&self) -> v8::IsolateHandle {
        self.handle.clone()
    }

    /// True when this isolate was claimed from the warm pool.
    pub fn warm(&self) -> bool {
        self.warm
    }

    /// Timings of preparing this isolate (empty when it was warm: prepared off the clock).
    pub fn take_phases(&mut self) -> Phases {
        std::mem::take(&mut self.phases)
    }

    /// Runs a JS guest to completion in this isolate; `host` gives its `fs` and `require` the
    /// exec's mounts (stdin stays with the event loop).
    pub fn run_js(
        &mut self,
        job: JsJob<'_>,
        host: WasiHost,
        control: Control<'_>,
        phases: &mut Phases,
    ) -> Outcome {
        self.run_main(job, host, None, control, phases).0
    }

    /// Runs a call: the runner evaluates the source to a function and calls it. Returns the
    /// outcome, the call's verdict (if it produced one) and the heap in use at the end.
    pub fn run_call(
        &mut self,
        job: JsJob<'_>,
        host: WasiHost,
        call: CallState,
        control: Control<'_>,
        phases: &mut Phases,
    ) -> (Outcome, Option<CallVerdict>, u64) {
        let (outcome, state) = self.run_main(job, host, Some(call), control, phases);
        let verdict = state
            .call
            .borrow_mut()
            .as_mut()
            .and_then(|c| c.verdict.take());
        let heap_used = self.scope.get_heap_statistics().used_heap_size() as u64;
        (outcome, verdict, heap_used)
    }

    fn run_main(
        &mut self,
        job: JsJob<'_>,
        host: WasiHost,
        call: Option<CallState>,
        control: Control<'_>,
        phases: &mut Phases,
    ) -> (Outcome, SharedGuest) {
        let heap = self.heap;
        let state = self.install_state(host, call);
        let t = Instant::now();
        let scope = &mut *self.scope;
        v8::scope!(let scope, scope);
        let config = config_object(scope, &job, &state);
        let t = phases.lap("inject", t);
        let outcome = drive(scope, self.runner, config, &job, &state, &control);
        phases.lap("execute", t);
        phases.record("output_flush", state.output.write_time());
        (memory_verdict(heap, &outcome).unwrap_or(outcome), state)
    }
}

impl Guest<'_, '_, '_> {
    /// Fresh per-exec state in this isolate's slot, where the bridge finds it.
    fn install_state(&mut self, host: WasiHost, call: Option<CallState>) -> SharedGuest {
        let state = GuestState::new(host.stdio.output().clone());
        *state.wasi.borrow_mut() = Some(host);
        *state.call.borrow_mut() = call;
        self.scope.set_slot(state.clone());
        state
    }

    /// Runs a WASI command to completion in this isolate; `host` is its sandbox and stdio.
    pub fn run_wasm(
        &mut self,
        job: WasmJob<'_>,
        host: WasiHost,
        control: Control<'_>,
        phases: &mut Phases,
    ) -> Outcome {
        let heap = self.heap;
        let state = self.install_state(host, None);
        let t = Instant::now();
        let scope = &mut *self.scope;
        v8::scope!(let scope, scope);
        let Some(config) = start_config(scope, &job, &state) else {
            return Outcome::internal("injecting the wasm module failed");
        };
        let t = phases.lap("inject", t);
        let outcome = match call(
            scope,
            self.runner,
            "startWasm",
            &[config.into()],
            &state,
            &control,
        ) {
            Err(Stop::Done(outcome)) => outcome,
            // The runner ends every run with `exit`; returning means `_start` simply returned.
            Ok(_) => Outcome::Exited(0),
        };
        phases.lap("execute", t);
        phases.record("output_flush", state.output.write_time());
        memory_verdict(heap, &outcome).unwrap_or(outcome)
    }
}

/// `MEMORY_LIMIT` if the heap limit ended the guest, whatever it was doing then, or if the guest
/// failed after its ArrayBuffer budget refused an allocation.
fn memory_verdict(heap: &HeapGuard, outcome: &Outcome) -> Option<Outcome> {
    let message = match heap.hit() {
        Some(observed) => format!(
            "heap limit reached: limit heap_mb = {} MiB, heap was {} MiB",
            heap.limit_mb(),
            observed >> 20
        ),
        None if heap.buffers_refused() && *outcome != Outcome::Exited(0) => format!(
            "ArrayBuffer budget exhausted: limit heap_mb = {} MiB also bounds buffers",
            heap.limit_mb()
        ),
        None => return None,
    };
    Some(Outcome::Failed {
        code: ErrorCode::MemoryLimit,
        message,
        exit_code: LIMIT_EXIT_CODE,
    })
}

/// Why the loop stopped early.
enum Stop {
    Done(Outcome),
}

fn drive<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    config: v8::Local<'s, v8::Object>,
    job: &JsJob<'_>,
    state: &SharedGuest,
    control: &Control<'_>,
) -> Outcome {
    let mut pending: VecDeque<ExecInput> = job.initial.iter().map(clone_input).collect();
    let mut held = VecDeque::new();
    let mut stdin_closed = false;
    let result = (|| -> Result<(), Stop> {
        call(scope, runner, "start", &[config.into()], state, control)?;
        loop {
            let delay = tick(scope, runner, state, control)?;
            let input =
                match next_input(&mut pending, &mut held, control, state, delay, stdin_closed) {
                    Some(input) => input,
                    None if delay < 0.0 => return Ok(()),
                    None => continue,
                };
            stdin_closed |= matches!(input, ExecInput::StdinClose);
            deliver(scope, runner, input, state, control)?;
        }
    })();
    match result {
        Err(Stop::Done(outcome)) => outcome,
        Ok(()) => {
            let code = call(scope, runner, "exitCode", &[], state, control)
                .ok()
                .and_then(|v| v.and_then(|v| v.int32_value(scope)))
                .unwrap_or(0);
            Outcome::Exited(code & 0xff)
        }
    }
}

fn clone_input(input: &ExecInput) -> ExecInput {
    match input {
        ExecInput::Stdin(b) => ExecInput::Stdin(b.clone()),
        ExecInput::StdinClose => ExecInput::StdinClose,
        ExecInput::Stop => ExecInput::Stop,
        ExecInput::HostReply { id, error, text } => ExecInput::HostReply {
            id: *id,
            error: *error,
            text: text.clone(),
        },
    }
}

/// The next thing to feed the runner, waiting as long as the loop may; `None` when the wait ended
/// with nothing (a timer is due, or nothing is pending at all).
/// The next thing to feed the runner, waiting as long as the loop may; `None` when the wait ended
/// with nothing (a timer is due, or nothing is pending at all).
///
/// Stdin that arrives while the guest is not reading it stays in `held`, still counted against
/// the stdin bound, so a host cannot pour unbounded stdin into a guest that ignores it.
fn next_input(
    pending: &mut VecDeque<ExecInput>,
    held: &mut VecDeque<ExecInput>,
    control: &Control<'_>,
    state: &GuestState,
    delay: f64,
    stdin_closed: bool,
) -> Option<ExecInput> {
    let reading = state.stdin_ref.get();
    if reading && let Some(input) = held.pop_front() {
        if let ExecInput::Stdin(bytes) = &input {
            release_stdin(control.stdin_buffered, bytes.len());
        }
        return Some(input);
    }
    if let Some(input) = pending.pop_front() {
        return Some(input);
    }
    let waits_for_input = (reading && !stdin_closed) || state.awaits_host();
    if delay < 0.0 && !waits_for_input {
        return None;
    }
    let deadline = (delay > 0.0).then(|| Instant::now() + Duration::from_secs_f64(delay / 1e3));
    loop {
        let received = match (delay == 0.0, deadline) {
            (true, _) => control.inbox.try_recv().ok(),
            (false, None) => control.inbox.recv().ok(),
            (false, Some(at)) => match control.inbox.recv_deadline(at) {
                Ok(input) => Some(input),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => {
                    // No one can write to us any more; timers still run out.
                    std::thread::sleep(at.saturating_duration_since(Instant::now()));
                    None
                }
            },
        };
        match received {
            Some(input @ (ExecInput::Stdin(_) | ExecInput::StdinClose))
                if !reading || !held.is_empty() =>
            {
                held.push_back(input);
                if delay == 0.0 {
                    return None;
                }
            }
            Some(ExecInput::Stdin(bytes)) => {
                release_stdin(control.stdin_buffered, bytes.len());
                return Some(ExecInput::Stdin(bytes));
            }
            other => return other,
        }
    }
}

fn deliver<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    input: ExecInput,
    state: &SharedGuest,
    control: &Control<'_>,
) -> Result<(), Stop> {
    match input {
        ExecInput::Stdin(bytes) => {
            v8::scope!(let scope, scope);
            let Some(chunk) = uint8_array(scope, bytes.to_vec()) else {
                return Err(Stop::Done(Outcome::internal(
                    "allocating a stdin chunk failed",
                )));
            };
            call(scope, runner, "stdinData", &[chunk.into()], state, control).map(drop)
        }
        ExecInput::StdinClose => call(scope, runner, "stdinEnd", &[], state, control).map(drop),
        ExecInput::Stop => check_stopped(state, control),
        ExecInput::HostReply { id, error, text } => {
            if let Some(call) = state.call.borrow().as_ref() {
                call.pending.lock().remove(&id);
            }
            v8::scope!(let scope, scope);
            let args = [
                v8::Number::new(scope, id as f64).into(),
                v8::Boolean::new(scope, error).into(),
                v8_str(scope, &text).into(),
            ];
            call(scope, runner, "hostReply", &args, state, control).map(drop)
        }
    }
}

/// One turn of the loop; returns the runner's delay until the next timer (-1: none).
fn tick<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    state: &SharedGuest,
    control: &Control<'_>,
) -> Result<f64, Stop> {
    v8::scope!(let scope, scope);
    let delay = call(scope, runner, "tick", &[], state, control)?
        .and_then(|v| v.number_value(scope))
        .unwrap_or(-1.0);
    let rejected = state.rejections.borrow_mut().drain(..).next();
    if let Some((_promise, reason)) = rejected {
        let reason = v8::Local::new(scope, reason);
        call(
            scope,
            runner,
            "unhandledRejection",
            &[reason],
            state,
            control,
        )?;
        return Ok(0.0);
    }
    Ok(if delay.is_nan() { -1.0 } else { delay })
}

/// Calls `runner[name](...args)`, turning exit, kill and runner faults into [`Stop`].
fn call<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    name: &str,
    args: &[v8::Local<'s, v8::Value>],
    state: &SharedGuest,
    control: &Control<'_>,
) -> Result<Option<v8::Local<'s, v8::Value>>, Stop> {
    check_stopped(state, control)?;
    let key = v8_str(scope, name);
    let function = runner
        .get(scope, key.into())
        .and_then(|f| v8::Local::<v8::Function>::try_from(f).ok())
        .ok_or_else(|| Stop::Done(Outcome::internal(format!("runner has no {name}()"))))?;
    v8::tc_scope!(let tc, scope);
    let result = function.call(tc, runner.into(), args);
    if result.is_none() {
        check_stopped(state, control)?;
        let detail = tc
            .exception()
            .map_or_else(|| "terminated".to_string(), |e| e.to_rust_string_lossy(tc));
        return Err(Stop::Done(Outcome::internal(format!(
            "runner {name}() failed: {detail}"
        ))));
    }
    tc.perform_microtask_checkpoint();
    check_stopped(state, control)?;
    Ok(result)
}

fn check_stopped(state: &GuestState, control: &Control<'_>) -> Result<(), Stop> {
    if let Some(code) = state.exit_code.get() {
        return Err(Stop::Done(Outcome::Exited(code)));
    }
    match control.stopper.cause() {
        None => Ok(()),
        Some(cause) => Err(Stop::Done(cause.outcome())),
    }
}

fn config_object<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    job: &JsJob<'_>,
    state: &GuestState,
) -> v8::Local<'s, v8::Object> {
    let config = v8::Object::new(scope);
    let main = job.main;
    let argv = string_array(scope, main.argv.iter().map(String::as_str));
    let exec_argv = string_array(scope, main.exec_argv.iter().map(String::as_str));
    let env: Vec<v8::Local<v8::Value>> = job
        .env
        .iter()
        .map(|(k, v)| string_array(scope, [k.as_str(), v.as_str()]).into())
        .collect();
    let env = v8::Array::new_with_elements(scope, &env);
    let module_paths = string_array(scope, job.module_paths.iter().map(String::as_str));
    let fields: [(&str, v8::Local<v8::Value>); 8] = [
        ("modulePaths", module_paths.into()),
        ("argv", argv.into()),
        ("execArgv", exec_argv.into()),
        ("env", env.into()),
        ("cwd", v8_str(scope, job.cwd).into()),
        ("mode", v8_str(scope, main.mode.as_str()).into()),
        ("source", v8_str(scope, &main.source).into()),
        ("filename", v8_str(scope, &main.filename).into()),
    ];
    for (name, value) in fields {
        let key = v8_str(scope, name);
        config.set(scope, key.into(), value);
    }
    if let Some(call) = state.call.borrow().as_ref() {
        let callbacks = string_array(scope, call.callbacks().iter().map(String::as_str));
        let key = v8_str(scope, "callbacks");
        config.set(scope, key.into(), callbacks.into());
        let input = v8_str(scope, main.input_json.as_deref().unwrap_or("null"));
        let key = v8_str(scope, "input");
        config.set(scope, key.into(), input.into());
    }
    config
}

/// Tracks promises rejected with no handler, for `unhandledRejection` after the turn.
pub(super) extern "C" fn on_promise_reject(message: v8::PromiseRejectMessage) {
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
            state.rejections.borrow_mut().retain(|(p, _)| *p != promise);
        }
        _ => {}
    }
}
