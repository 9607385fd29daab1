//! Calls into the runner object (`runner.start`, `tick`, `stdinData`, ...) and what ends them:
//! the guest's `exit`, or a stop of the exec. Shared by the event loop and the natives that
//! deliver events (`bridge/net.rs`).

use crate::guest_state::{GuestState, SharedGuest};
use crate::outcome::Outcome;
use crate::stopper::Stopper;
use crate::strings::v8_str;

/// Why the loop stopped early.
pub(crate) enum Stop {
    Done(Outcome),
}

/// Calls `runner[name](...args)`, turning exit, stops and runner faults into [`Stop`].
pub(crate) fn call<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    name: &str,
    args: &[v8::Local<'s, v8::Value>],
    state: &SharedGuest,
    stopper: &Stopper,
) -> Result<Option<v8::Local<'s, v8::Value>>, Stop> {
    let result = invoke(scope, runner, name, runner.into(), args, state, stopper)?;
    scope.perform_microtask_checkpoint();
    check_stopped(state, stopper)?;
    Ok(result)
}

/// Runs the main program (`runner.start(config)`) and then, as Node does from C++, the tick
/// queue and microtasks from the host (`runner.processTicksAndRejections` called on
/// `runner.process`): a tick callback's stack then ends at `process.processTicksAndRejections`,
/// with no runner frame under it. No microtask runs between the two (ticks go first).
pub(crate) fn start<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    config: v8::Local<'s, v8::Value>,
    state: &SharedGuest,
    stopper: &Stopper,
) -> Result<(), Stop> {
    invoke(
        scope,
        runner,
        "start",
        runner.into(),
        &[config],
        state,
        stopper,
    )?;
    let key = v8_str(scope, "process");
    let process = runner
        .get(scope, key.into())
        .ok_or_else(|| Stop::Done(Outcome::internal("runner has no process".to_string())))?;
    invoke(
        scope,
        runner,
        "processTicksAndRejections",
        process,
        &[],
        state,
        stopper,
    )?;
    scope.perform_microtask_checkpoint();
    check_stopped(state, stopper)
}

/// `runner[name]` called on `receiver`; no microtask checkpoint after it.
fn invoke<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    name: &str,
    receiver: v8::Local<'s, v8::Value>,
    args: &[v8::Local<'s, v8::Value>],
    state: &SharedGuest,
    stopper: &Stopper,
) -> Result<Option<v8::Local<'s, v8::Value>>, Stop> {
    check_stopped(state, stopper)?;
    let function = crate::runner::method(scope, runner, name)
        .ok_or_else(|| Stop::Done(Outcome::internal(format!("runner has no {name}()"))))?;
    v8::tc_scope!(let tc, scope);
    let result = function.call(tc, receiver, args);
    if result.is_none() {
        check_stopped(state, stopper)?;
        let detail = tc
            .exception()
            .map_or_else(|| "terminated".to_string(), |e| e.to_rust_string_lossy(tc));
        return Err(Stop::Done(Outcome::internal(format!(
            "runner {name}() failed: {detail}"
        ))));
    }
    Ok(result)
}

pub(crate) fn check_stopped(state: &GuestState, stopper: &Stopper) -> Result<(), Stop> {
    if let Some(code) = state.exit_code.get() {
        return Err(Stop::Done(Outcome::Exited(code)));
    }
    match stopper.cause() {
        None => Ok(()),
        Some(cause) => Err(Stop::Done(cause.outcome())),
    }
}
