//! Call mode in the engine: the per-call state and the two natives behind runner-js's
//! `call.js` — `hostCall(name, argJson)` (emits a `HostCall` event; the reply comes back through
//! the exec's inbox) and `callResult(isError, text, code, stack)` (records the result and ends
//! the isolate, like `exit`).
//!
//! Only JSON text crosses, in both directions. The host's callbacks are the names the call
//! listed; the count of host calls and the size of every payload and of the result are bounded.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::sync::Arc;

use agentos_proto::ErrorCode;
use agentos_proto::event;
use agentos_proto::v1::HostCall;
use parking_lot::Mutex;

use super::guest::guest;
use super::strings::throw_type_error;

/// Bounds of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallLimits {
    /// Host calls per call.
    pub max_host_calls: u32,
    /// Bytes of one host-call argument or reply.
    pub max_host_payload_bytes: u64,
    /// Bytes of the result.
    pub max_result_bytes: u64,
}

/// What a call produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallVerdict {
    /// JSON text of the value.
    Ok(String),
    /// A typed failure, with the guest's stack when the guest threw.
    Err {
        /// The code.
        code: ErrorCode,
        /// Message.
        message: String,
        /// Stack, possibly empty.
        stack: String,
    },
}

/// One call's state, kept in the exec's `GuestState`.
pub struct CallState {
    call_id: u64,
    callbacks: Vec<String>,
    limits: CallLimits,
    made: Cell<u32>,
    next_id: Cell<u64>,
    /// Host calls not answered yet, shared with the dispatcher (which checks replies against it).
    pub pending: Arc<Mutex<HashSet<u64>>>,
    /// The result, once the guest produced one or broke a call limit.
    pub verdict: RefCell<Option<CallVerdict>>,
}

impl CallState {
    /// State for call `call_id` allowing `callbacks`.
    pub fn new(
        call_id: u64,
        callbacks: Vec<String>,
        limits: CallLimits,
        pending: Arc<Mutex<HashSet<u64>>>,
    ) -> Self {
        Self {
            call_id,
            callbacks,
            limits,
            made: Cell::new(0),
            next_id: Cell::new(1),
            pending,
            verdict: RefCell::new(None),
        }
    }

    /// The names the guest may call, in order.
    pub fn callbacks(&self) -> &[String] {
        &self.callbacks
    }

    fn fail(&self, code: ErrorCode, message: String) {
        let mut verdict = self.verdict.borrow_mut();
        if verdict.is_none() {
            *verdict = Some(CallVerdict::Err {
                code,
                message,
                stack: String::new(),
            });
        }
    }
}

/// `bridge.hostCall(name, argJson)` → host call id.
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
    if !call.callbacks.contains(&name) {
        return throw_type_error(
            scope,
            &format!("{name} is not a host callback of this call"),
        );
    }
    let made = call.made.get() + 1;
    call.made.set(made);
    if made > call.limits.max_host_calls {
        let message = format!(
            "host call limit reached: max_host_calls = {}, the guest made call {made}",
            call.limits.max_host_calls
        );
        call.fail(ErrorCode::HostCallLimit, message);
        scope.terminate_execution();
        return;
    }
    if arg.len() as u64 > call.limits.max_host_payload_bytes {
        let message = format!(
            "host payload limit reached: max_host_payload_bytes = {}, host.{name} argument is {} bytes",
            call.limits.max_host_payload_bytes,
            arg.len()
        );
        call.fail(ErrorCode::HostPayloadLimit, message);
        scope.terminate_execution();
        return;
    }
    let id = call.next_id.get();
    call.next_id.set(id + 1);
    call.pending.lock().insert(id);
    let event = HostCall {
        call_id: call.call_id,
        host_call_id: id,
        name,
        arg_json: arg,
    };
    state.output.sink().reply(0, event::Kind::HostCall(event));
    rv.set_double(id as f64);
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
        let verdict = match is_error {
            false if text.len() as u64 > call.limits.max_result_bytes => CallVerdict::Err {
                code: ErrorCode::ResultLimit,
                message: format!(
                    "result limit reached: max_result_bytes = {}, the result is {} bytes of JSON",
                    call.limits.max_result_bytes,
                    text.len()
                ),
                stack: String::new(),
            },
            false => CallVerdict::Ok(text),
            true => CallVerdict::Err {
                code: guest_code(&code),
                message: text,
                stack,
            },
        };
        call.verdict.borrow_mut().get_or_insert(verdict);
    }
    scope.terminate_execution();
}

/// The codes the runner may report; anything else is the guest's own failure.
fn guest_code(name: &str) -> ErrorCode {
    match name {
        "SERIALIZATION_ERROR" => ErrorCode::SerializationError,
        _ => ErrorCode::EvaluationError,
    }
}
