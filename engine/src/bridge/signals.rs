//! Signals a JS guest handles itself (`process.on('SIGTERM', ...)`): the runner says which it
//! listens for, and a stop for one of them (the host's `Kill`, a parent's `child.kill`, a
//! script's `kill`) reaches its loop as `runner.signal(n)` instead of ending it
//! (`stopper.rs`). `process.kill(process.pid, signal)` goes the same way.

use v8::MapFnTo;

use crate::guest_state::guest;
use crate::outcome::StopCause;

/// The callbacks of this file, appended to the bridge table in `mod.rs`.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("signalWatch", signal_watch.map_fn_to()),
        ("signalSelf", signal_self.map_fn_to()),
    ]
}

/// `signalWatch(signal, on)` -> false for a signal a guest cannot handle (SIGKILL...).
fn signal_watch<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let signal = args.get(0).uint32_value(scope).unwrap_or(0);
    let on = args.get(1).boolean_value(scope);
    let caught = guest(scope).is_some_and(|g| g.output.stopper().catch(signal, on));
    rv.set_bool(caught);
}

/// `signalSelf(signal)`: the guest signals itself: its listeners run on a later turn of its
/// loop, or, without one, it ends by the signal (its termination is requested at once).
fn signal_self<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let signal = args.get(0).uint32_value(scope).unwrap_or(0);
    if signal == 0 {
        return;
    }
    if let Some(g) = guest(scope) {
        g.output.stopper().stop(StopCause::Signal(signal));
    }
}
