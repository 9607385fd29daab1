//! Conversions between the engine's types and the cell protocol (`proto/cell.proto`).

use agentos_engine::{EngineStats, Input, StopCause};
use agentos_proto::cell::v1::{self as cell, deliver, stop};

/// The `Stop` request for `cause`.
pub fn stop(exec_id: u64, cause: StopCause) -> cell::Stop {
    let bound = |limit, observed| cell::Bound { limit, observed };
    let cause = match cause {
        StopCause::Signal(signal) => stop::Cause::Signal(signal),
        StopCause::Timeout { limit_ms, ran_ms } => stop::Cause::Timeout(bound(limit_ms, ran_ms)),
        StopCause::Cpu { limit_ms, used_ms } => stop::Cause::Cpu(bound(limit_ms, used_ms)),
        StopCause::HostPayload { limit, size } => stop::Cause::HostPayload(bound(limit, size)),
        StopCause::Output { limit, attempted } => stop::Cause::Output(bound(limit, attempted)),
        // Raised inside the cell that runs the guest and its children; never sent to one.
        StopCause::Processes { .. } | StopCause::Exit(_) => stop::Cause::Signal(9),
    };
    cell::Stop {
        exec_id,
        cause: Some(cause),
    }
}

/// The cause a `Stop` request carries (`None`: none, a malformed request).
pub fn stop_cause(stop: &cell::Stop) -> Option<StopCause> {
    Some(match stop.cause.as_ref()? {
        stop::Cause::Signal(signal) => StopCause::Signal(*signal),
        stop::Cause::Timeout(b) => StopCause::Timeout {
            limit_ms: b.limit,
            ran_ms: b.observed,
        },
        stop::Cause::Cpu(b) => StopCause::Cpu {
            limit_ms: b.limit,
            used_ms: b.observed,
        },
        stop::Cause::HostPayload(b) => StopCause::HostPayload {
            limit: b.limit,
            size: b.observed,
        },
        stop::Cause::Output(b) => StopCause::Output {
            limit: b.limit,
            attempted: b.observed,
        },
    })
}

/// The `Deliver` request for `input` (`None` for a stop, which travels as `Stop`).
pub fn deliver(exec_id: u64, input: Input) -> Option<cell::Deliver> {
    let input = match input {
        Input::Stdin(bytes) => deliver::Input::Stdin(bytes),
        Input::StdinClose => deliver::Input::StdinClose(true),
        Input::HostReply { id, error, text } => deliver::Input::HostReply(cell::HostReply {
            host_call_id: id,
            error,
            text,
        }),
        Input::NetReply { id, allow, message } => deliver::Input::NetReply(cell::NetReply {
            net_request_id: id,
            allow,
            message,
        }),
        // A stop travels as `Stop` (a signal the guest handles turns into `Signal` inside the
        // cell); child, IPC and network events arise inside the cell; a host request is sent by
        // `RemoteExec` itself (it keeps the reply).
        Input::Stop
        | Input::Signal(_)
        | Input::Child { .. }
        | Input::Ipc(_)
        | Input::IpcClose
        | Input::Net(_)
        | Input::NetAsk(_)
        | Input::HttpRequest(_) => return None,
    };
    Some(cell::Deliver {
        exec_id,
        input: Some(input),
    })
}

/// The stats a cell reports for query `query_id`.
pub fn stats(query_id: u64, s: &EngineStats) -> cell::CellStats {
    cell::CellStats {
        query_id,
        pool_hits: s.pool.hits,
        pool_misses: s.pool.misses,
        pool_parked: s.pool.parked,
        snapshot_mode: s.snapshot_mode.into(),
        snapshot_state: format!("{:?}", s.snapshot_state).to_lowercase(),
        snapshot_digest: s.snapshot_digest.clone(),
        module_cache_entries: s.module_cache_entries,
        module_cache_evictions: s.module_cache_evictions,
        module_compile_hits: s.module_compile_hits,
        module_code_from_disk: s.module_code_from_disk,
        isolates_inline: s.isolates_builtin,
        isolates_snapshot: s.isolates_snapshot,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stop_cause_survives_the_trip() {
        let causes = [
            StopCause::Signal(15),
            StopCause::Timeout {
                limit_ms: 1,
                ran_ms: 2,
            },
            StopCause::Cpu {
                limit_ms: 3,
                used_ms: 4,
            },
            StopCause::HostPayload { limit: 5, size: 6 },
            StopCause::Output {
                limit: 7,
                attempted: 8,
            },
        ];
        for cause in causes {
            assert_eq!(stop_cause(&stop(1, cause)), Some(cause));
        }
        assert_eq!(stop_cause(&cell::Stop::default()), None);
    }
}
