//! The events that end a job: `ExecExited` for a command; for a call, `HostCallsCancelled` (if
//! host calls were left unanswered) then `CallResult`.

use agentos_proto::v1::{ErrorCode, ExecExited, HostCallsCancelled, NetStats, PhaseTiming};
use agentos_proto::{Event, event};

use super::call::{self, CallReport};
use crate::inbox::PendingHostCalls;
use crate::outcome::Outcome;
use crate::phases::Phases;

/// The last events of exec `id` (a call when `is_call`) when it ends without running to its
/// end in a guest (killed while queued, shut down first, or lost with its engine cell).
pub fn unstarted_events(id: u64, is_call: bool, outcome: Outcome) -> Vec<Event> {
    if is_call {
        let result = call::result(id, outcome, CallReport::default());
        vec![unsolicited(event::Kind::CallResult(result))]
    } else {
        vec![unsolicited(event::Kind::ExecExited(exited(id, outcome)))]
    }
}

/// A command's last event; phase timings are included when `phases` is given.
pub(crate) fn command_events(
    id: u64,
    outcome: Outcome,
    phases: Option<&Phases>,
    net_stats: Option<NetStats>,
) -> Vec<Event> {
    let mut exited = exited(id, outcome);
    exited.net_stats = net_stats;
    if let Some(phases) = phases {
        exited.phases = phase_timings(phases);
        tracing::debug!(exec_id = id, phases = ?phases.list(), "exec phases");
    }
    vec![unsolicited(event::Kind::ExecExited(exited))]
}

/// A call's last events.
pub(crate) fn call_events(
    id: u64,
    outcome: Outcome,
    report: CallReport,
    pending: &PendingHostCalls,
) -> Vec<Event> {
    let mut unanswered: Vec<u64> = pending.lock().drain().collect();
    unanswered.sort_unstable();
    let mut events = Vec::with_capacity(2);
    if !unanswered.is_empty() {
        events.push(unsolicited(event::Kind::HostCallsCancelled(
            HostCallsCancelled {
                call_id: id,
                host_call_ids: unanswered,
            },
        )));
    }
    let result = call::result(id, outcome, report);
    events.push(unsolicited(event::Kind::CallResult(result)));
    events
}

/// The `ExecExited` event for `outcome`.
pub fn exited(exec_id: u64, outcome: Outcome) -> ExecExited {
    let mut event = ExecExited {
        exec_id,
        ..Default::default()
    };
    match outcome {
        Outcome::Exited(code) => event.exit_code = code,
        Outcome::Killed(signal) => {
            event.exit_code = 128 + signal as i32;
            event.signal = signal;
        }
        Outcome::Failed {
            code,
            message,
            exit_code,
        } => {
            event.exit_code = exit_code;
            event.error = code as i32;
            event.error_message = message;
        }
    }
    event
}

fn phase_timings(phases: &Phases) -> Vec<PhaseTiming> {
    phases
        .list()
        .iter()
        .map(|(name, took)| PhaseTiming {
            name: (*name).to_string(),
            nanos: u64::try_from(took.as_nanos()).unwrap_or(u64::MAX),
        })
        .collect()
}

fn unsolicited(kind: event::Kind) -> Event {
    Event {
        request_id: 0,
        kind: Some(kind),
    }
}

/// The `ExecExited` among a child job's last events.
pub(crate) fn last_exit(last: &[Event]) -> Option<&ExecExited> {
    last.iter().find_map(|e| match &e.kind {
        Some(event::Kind::ExecExited(x)) => Some(x),
        _ => None,
    })
}

/// What a child job's parent tells its reader on the child's stderr when the sidecar ended
/// the child (a limit of its own, a module that cannot run): `NAME: CODE: message`, as the
/// exec's own error is told to the host. `None` when the guest ended itself or was killed.
pub(crate) fn stop_line(name: &str, exited: &ExecExited) -> Option<String> {
    if exited.error_message.is_empty() {
        return None;
    }
    let code = ErrorCode::try_from(exited.error).unwrap_or(ErrorCode::Internal);
    let name = name.rsplit('/').next().unwrap_or(name);
    Some(format!(
        "{name}: {}: {}\n",
        code.as_str_name(),
        exited.error_message
    ))
}
