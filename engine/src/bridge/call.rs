//! The two call-mode natives behind runner-js's `call.js`: `hostCall(name, argJson)` (emits a
//! `HostCall` event; the reply comes back through the exec's inbox) and `callResult(isError,
//! text, code, stack)` (records the result and ends the isolate, like `exit`). The rules are
//! [`CallState`](crate::job::call::CallState)'s.

use agentos_proto::event;

use crate::guest_state::guest;
use crate::job::call::HostCallRefused;
use crate::strings::throw_type_error;

/// `bridge.hostCall(name, argJson)` -> host call id.
pub fn host_call<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(state) = guest(scope) else { return };
    let name = args.get(0).to_rust_string_lossy(scope);
    let arg = args.get(1).to_rust_string_lossy(scope);
    let slot = state.call.borrow();
    let Some(call) = slot.as_ref() else {
        return throw_type_error(scope, "host calls exist only in call mode");
    };
    match call.host_call(name, arg) {
        Ok(event) => {
            let id = event.host_call_id;
            state.output.sink().send(agentos_proto::Event {
                request_id: 0,
                kind: Some(event::Kind::HostCall(event)),
            });
            rv.set_double(id as f64);
        }
        Err(HostCallRefused::NotACallback(message)) => throw_type_error(scope, &message),
        Err(HostCallRefused::LimitBroken) => {
            scope.terminate_execution();
        }
    }
}

/// `bridge.callResult(isError, text, code, stack)`: records the result and ends the guest.
pub fn call_result<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let Some(state) = guest(scope) else { return };
    let is_error = args.get(0).boolean_value(scope);
    let text = args.get(1).to_rust_string_lossy(scope);
    let code = args.get(2).to_rust_string_lossy(scope);
    let stack = args.get(3).to_rust_string_lossy(scope);
    if let Some(call) = state.call.borrow().as_ref() {
        call.settle(is_error, text, &code, stack);
    }
    scope.terminate_execution();
}
