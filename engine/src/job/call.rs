//! Call mode: the program a `Call` runs (the runner's `call` main: evaluate the source to a
//! function and call it on the input), its per-call state, and its `CallResult`.
//!
//! Only JSON text crosses, in both directions. The host's callbacks are the names the call
//! listed; the count of host calls and the size of every payload and of the result are bounded.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use agentos_proto::ErrorCode;
use agentos_proto::v1::{CallError, CallResult, CallStats, HostCall, call_result};

use super::command::{JsMain, JsMode, NODE_EXEC_PATH};
use crate::inbox::PendingHostCalls;
use crate::limits::CallLimits;
use crate::outcome::Outcome;

/// What a `Call` runs.
pub struct CallProgram {
    /// Evaluates to the function.
    pub source: String,
    /// JSON text of the input.
    pub input_json: String,
    /// The callbacks the guest may use.
    pub callbacks: Vec<String>,
    /// Its bounds.
    pub limits: CallLimits,
}

impl CallProgram {
    /// The runner's main for this call: mode `call`, the source as the code.
    pub(crate) fn main(&self) -> JsMain {
        JsMain {
            mode: JsMode::Call,
            source: self.source.clone(),
            filename: "[call]".into(),
            argv: vec![NODE_EXEC_PATH.to_string()],
            exec_argv: Vec::new(),
            input_json: Some(self.input_json.clone()),
        }
    }
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
    /// Host calls not answered yet, shared with the exec handle (which checks replies).
    pub(crate) pending: PendingHostCalls,
    /// The result, once the guest produced one or broke a call limit.
    pub(crate) verdict: RefCell<Option<CallVerdict>>,
}

impl CallState {
    /// State for call `call_id` of `program`.
    pub(crate) fn new(call_id: u64, program: &CallProgram, pending: PendingHostCalls) -> Self {
        Self {
            call_id,
            callbacks: program.callbacks.clone(),
            limits: program.limits,
            made: Cell::new(0),
            next_id: Cell::new(1),
            pending,
            verdict: RefCell::new(None),
        }
    }

    /// The names the guest may call, in order.
    pub(crate) fn callbacks(&self) -> &[String] {
        &self.callbacks
    }

    /// Checks a host call the guest makes: `Ok` is the event to send (the call is then pending);
    /// otherwise [`HostCallRefused`] says why not.
    pub(crate) fn host_call(&self, name: String, arg: String) -> Result<HostCall, HostCallRefused> {
        if !self.callbacks.contains(&name) {
            return Err(HostCallRefused::NotACallback(format!(
                "{name} is not a host callback of this call"
            )));
        }
        let made = self.made.get() + 1;
        self.made.set(made);
        if made > self.limits.max_host_calls {
            let message = format!(
                "host call limit reached: max_host_calls = {}, the guest made call {made}",
                self.limits.max_host_calls
            );
            self.fail(ErrorCode::HostCallLimit, message);
            return Err(HostCallRefused::LimitBroken);
        }
        if arg.len() as u64 > self.limits.max_host_payload_bytes {
            let message = format!(
                "host payload limit reached: max_host_payload_bytes = {}, host.{name} argument \
                 is {} bytes",
                self.limits.max_host_payload_bytes,
                arg.len()
            );
            self.fail(ErrorCode::HostPayloadLimit, message);
            return Err(HostCallRefused::LimitBroken);
        }
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        self.pending.lock().insert(id);
        Ok(HostCall {
            call_id: self.call_id,
            host_call_id: id,
            name,
            arg_json: arg,
        })
    }

    /// Records what the guest's function produced (`runner.callResult`); the first verdict wins.
    pub(crate) fn settle(&self, is_error: bool, text: String, code: &str, stack: String) {
        let verdict = match is_error {
            false if text.len() as u64 > self.limits.max_result_bytes => CallVerdict::Err {
                code: ErrorCode::ResultLimit,
                message: format!(
                    "result limit reached: max_result_bytes = {}, the result is {} bytes of JSON",
                    self.limits.max_result_bytes,
                    text.len()
                ),
                stack: String::new(),
            },
            false => CallVerdict::Ok(text),
            true => CallVerdict::Err {
                code: guest_code(code),
                message: text,
                stack,
            },
        };
        self.verdict.borrow_mut().get_or_insert(verdict);
    }

    fn fail(&self, code: ErrorCode, message: String) {
        self.verdict.borrow_mut().get_or_insert(CallVerdict::Err {
            code,
            message,
            stack: String::new(),
        });
    }
}

/// Why a host call was not made.
pub(crate) enum HostCallRefused {
    /// The guest named something that is not a callback: a `TypeError` with this message.
    NotACallback(String),
    /// A call limit broke; the verdict is recorded and the guest must end.
    LimitBroken,
}

/// The codes the runner may report; anything else is the guest's own failure.
fn guest_code(name: &str) -> ErrorCode {
    match name {
        "SERIALIZATION_ERROR" => ErrorCode::SerializationError,
        _ => ErrorCode::EvaluationError,
    }
}

/// What a call's run learned beyond its outcome.
#[derive(Debug, Default)]
pub(crate) struct CallReport {
    /// The result the guest produced, or the call limit it broke.
    pub verdict: Option<CallVerdict>,
    /// Heap in use when the call ended.
    pub heap_used: u64,
    /// Wall time of the call.
    pub wall: Duration,
    /// CPU time of the guest's thread.
    pub cpu_ns: u64,
}

/// The call's `CallResult`: the guest's own verdict wins, unless a limit ended it.
pub(crate) fn result(call_id: u64, outcome: Outcome, report: CallReport) -> CallResult {
    CallResult {
        call_id,
        outcome: Some(verdict_or(report.verdict, outcome)),
        stats: Some(CallStats {
            wall_nanos: u64::try_from(report.wall.as_nanos()).unwrap_or(u64::MAX),
            cpu_nanos: report.cpu_ns,
            heap_used_bytes: report.heap_used,
        }),
    }
}

fn verdict_or(verdict: Option<CallVerdict>, outcome: Outcome) -> call_result::Outcome {
    let error = |code: ErrorCode, message: String, stack: String| {
        call_result::Outcome::Error(CallError {
            code: code as i32,
            message,
            stack,
        })
    };
    match (verdict, outcome) {
        // A limit hit while the result was on its way out still counts.
        (_, Outcome::Failed { code, message, .. }) if code != ErrorCode::Internal => {
            error(code, message, String::new())
        }
        (Some(CallVerdict::Ok(json)), _) => call_result::Outcome::OkJson(json),
        (
            Some(CallVerdict::Err {
                code,
                message,
                stack,
            }),
            _,
        ) => error(code, message, stack),
        (None, Outcome::Killed(signal)) => error(
            ErrorCode::Killed,
            format!("the call was killed by signal {signal}"),
            String::new(),
        ),
        (None, Outcome::Exited(code)) => error(
            ErrorCode::EvaluationError,
            format!(
                "the guest exited with code {code} before the function settled (see its stderr)"
            ),
            String::new(),
        ),
        (None, Outcome::Failed { code, message, .. }) => error(code, message, String::new()),
    }
}
