//! The limits one job runs under (plain data: the control plane chooses the values).

/// The limits of one exec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// V8 heap, MiB (`MEMORY_LIMIT`).
    pub heap_mb: u32,
    /// Wall time from the guest's start, ms (`TIMEOUT`).
    pub timeout_ms: u64,
    /// CPU time on the guest's own thread, ms (`CPU_LIMIT`).
    pub cpu_ms: u64,
    /// Stdout and stderr together, bytes (`OUTPUT_LIMIT`).
    pub max_output_bytes: u64,
    /// Stdin the host may have written that the guest has not read yet, bytes (`STDIN_LIMIT`).
    pub max_stdin_bytes: u64,
}

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
