//! Call mode at the sidecar level: the program a `Call` runs, and its `CallResult`.

use std::time::{Duration, Instant};

use agentos_proto::ErrorCode;
use agentos_proto::event;
use agentos_proto::v1::{CallError, CallResult, CallStats, HostCallsCancelled, call_result};

use crate::command::{JsMain, JsMode, NODE_EXEC_PATH};
use crate::engine::{CallVerdict, Outcome};
use crate::exec::{CallJob, ExecTask};

/// What a call's worker learned beyond its outcome.
#[derive(Debug, Default)]
pub struct CallReport {
    /// The result the guest produced, or the call limit it broke.
    pub verdict: Option<CallVerdict>,
    /// Heap in use when the call ended.
    pub heap_used: u64,
}

/// The runner's main for `call`: mode `call`, the source as the code.
pub fn main(call: &CallJob) -> JsMain {
    JsMain {
        mode: JsMode::Call,
        source: call.source.clone(),
        filename: "[call]".into(),
        argv: vec![NODE_EXEC_PATH.to_string()],
        exec_argv: Vec::new(),
        input_json: Some(call.input_json.clone()),
    }
}

/// Sends the call's last events: `HostCallsCancelled` if host calls were left unanswered, then
/// its `CallResult`.
pub fn report(
    task: &ExecTask,
    outcome: Outcome,
    report: Option<CallReport>,
    started: (Instant, Option<u64>),
) {
    let id = task.job.id;
    task.job.control.stopper().detach();
    let mut unanswered: Vec<u64> = task.job.control.host_calls().lock().drain().collect();
    unanswered.sort_unstable();
    let cancelled = (!unanswered.is_empty()).then_some(HostCallsCancelled {
        call_id: id,
        host_call_ids: unanswered,
    });
    let report = report.unwrap_or_default();
    let cpu = crate::watchdog::thread_cpu_ns()
        .zip(started.1)
        .map_or(0, |(end, start)| end.saturating_sub(start));
    let result = CallResult {
        call_id: id,
        outcome: Some(verdict_or(report.verdict, outcome)),
        stats: Some(CallStats {
            wall_nanos: nanos(started.0.elapsed()),
            cpu_nanos: cpu,
            heap_used_bytes: report.heap_used,
        }),
    };
    task.registry.retire(id, || {
        if let Some(cancelled) = cancelled {
            task.sink
                .reply(0, event::Kind::HostCallsCancelled(cancelled));
        }
        task.sink.reply(0, event::Kind::CallResult(result));
    });
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// The `CallResult` of a call that never started (killed while queued, or shut down).
pub fn unstarted(call_id: u64, outcome: Outcome) -> CallResult {
    CallResult {
        call_id,
        outcome: Some(verdict_or(None, outcome)),
        stats: Some(CallStats::default()),
    }
}

/// The guest's own verdict wins; otherwise the way the isolate ended says what happened.
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
