//! A job as the control plane holds it before it runs: the host's request with its limits
//! resolved. The runner turns it into an engine job, here or in an engine cell.

use agentos_engine::{CallLimits, Inbox, Job, Limits};
use agentos_proto::v1;

/// What the host asked to run.
pub enum Request {
    /// An `Exec`.
    Exec(v1::Exec),
    /// A `Call`, with its call limits resolved.
    Call(v1::Call, CallLimits),
}

/// One admitted exec or call.
pub struct JobSpec {
    /// The exec (or call) id.
    pub id: u64,
    /// The request.
    pub request: Request,
    /// Its limits, resolved against the sidecar's policy.
    pub limits: Limits,
}

impl JobSpec {
    /// True for a call.
    pub fn is_call(&self) -> bool {
        matches!(self.request, Request::Call(..))
    }

    /// The host-call payload bound (zero for an exec: it has no host calls).
    pub fn max_host_payload(&self) -> u64 {
        match &self.request {
            Request::Exec(_) => 0,
            Request::Call(_, limits) => limits.max_host_payload_bytes,
        }
    }

    /// The engine job, reading its input from `inbox`.
    pub fn into_job(self, inbox: Inbox) -> Job {
        match self.request {
            Request::Exec(exec) => Job::from_exec(exec, self.limits, inbox),
            Request::Call(call, call_limits) => {
                Job::from_call(call, self.limits, call_limits, inbox)
            }
        }
    }
}

/// Engine limits as the wire spells them.
pub fn limits_to_wire(limits: &Limits) -> v1::Limits {
    v1::Limits {
        heap_mb: limits.heap_mb,
        timeout_ms: limits.timeout_ms,
        cpu_ms: limits.cpu_ms,
        max_output_bytes: limits.max_output_bytes,
        max_stdin_bytes: limits.max_stdin_bytes,
    }
}

/// Engine limits from the wire (already resolved: taken as they are).
pub fn limits_from_wire(limits: &v1::Limits) -> Limits {
    Limits {
        heap_mb: limits.heap_mb,
        timeout_ms: limits.timeout_ms,
        cpu_ms: limits.cpu_ms,
        max_output_bytes: limits.max_output_bytes,
        max_stdin_bytes: limits.max_stdin_bytes,
    }
}

/// Call limits as the wire spells them.
pub fn call_limits_to_wire(limits: &CallLimits) -> v1::CallLimits {
    v1::CallLimits {
        max_host_calls: limits.max_host_calls,
        max_host_payload_bytes: limits.max_host_payload_bytes,
        max_result_bytes: limits.max_result_bytes,
    }
}

/// Call limits from the wire (already resolved).
pub fn call_limits_from_wire(limits: &v1::CallLimits) -> CallLimits {
    CallLimits {
        max_host_calls: limits.max_host_calls,
        max_host_payload_bytes: limits.max_host_payload_bytes,
        max_result_bytes: limits.max_result_bytes,
    }
}
