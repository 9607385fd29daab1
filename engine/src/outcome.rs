//! How a guest ended, and why it was stopped from outside its own code.

use agentos_proto::ErrorCode;

/// Exit code of a guest the sidecar ended for exceeding a limit, as if SIGKILLed by a supervisor.
pub const LIMIT_EXIT_CODE: i32 = 137;

/// How a guest ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The guest exited with this code.
    Exited(i32),
    /// The guest was ended by this signal.
    Killed(u32),
    /// The sidecar ended the exec.
    Failed {
        /// Typed reason.
        code: ErrorCode,
        /// Human-readable detail.
        message: String,
        /// The exit code reported with it.
        exit_code: i32,
    },
}

impl Outcome {
    /// A sidecar fault (a bug), exit code 1.
    pub fn internal(message: impl Into<String>) -> Self {
        Outcome::Failed {
            code: ErrorCode::Internal,
            message: message.into(),
            exit_code: 1,
        }
    }

    /// A limit the sidecar enforced, exit code [`LIMIT_EXIT_CODE`].
    pub fn limit(code: ErrorCode, message: String) -> Self {
        Outcome::Failed {
            code,
            message,
            exit_code: LIMIT_EXIT_CODE,
        }
    }
}

/// Why an exec was stopped from outside its own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopCause {
    /// The host sent this signal.
    Signal(u32),
    /// A script's child whose output the shell could not write (a full `/tmp`): it ends with
    /// this status, as a native tool whose write failed does.
    Exit(i32),
    /// Wall time ran out.
    Timeout {
        /// The limit, ms.
        limit_ms: u64,
        /// How long it had run, ms.
        ran_ms: u64,
    },
    /// Guest CPU time ran out.
    Cpu {
        /// The limit, ms.
        limit_ms: u64,
        /// CPU used, ms.
        used_ms: u64,
    },
    /// A host reply was bigger than the call allows.
    HostPayload {
        /// The cap, bytes.
        limit: u64,
        /// The reply's size, bytes.
        size: u64,
    },
    /// Output ran past its cap.
    Output {
        /// The cap, bytes.
        limit: u64,
        /// Bytes the guest tried to write in all.
        attempted: u64,
    },
    /// The guest's child processes (`child_process`, with their own children) went past a
    /// bound.
    Processes {
        /// Which bound: "alive at once" or "in total".
        which: &'static str,
        /// Its value.
        limit: usize,
    },
}

impl StopCause {
    /// How the exec is reported.
    pub fn outcome(self) -> Outcome {
        match self {
            StopCause::Signal(signal) => Outcome::Killed(signal),
            StopCause::Exit(code) => Outcome::Exited(code),
            StopCause::Timeout { limit_ms, ran_ms } => Outcome::limit(
                ErrorCode::Timeout,
                format!("wall-time limit reached: timeout_ms = {limit_ms}, ran {ran_ms} ms"),
            ),
            StopCause::Cpu { limit_ms, used_ms } => Outcome::limit(
                ErrorCode::CpuLimit,
                format!("CPU-time limit reached: cpu_ms = {limit_ms}, used {used_ms} ms of CPU"),
            ),
            StopCause::HostPayload { limit, size } => Outcome::limit(
                ErrorCode::HostPayloadLimit,
                format!(
                    "host payload limit reached: max_host_payload_bytes = {limit}, a host reply \
                     was {size} bytes"
                ),
            ),
            StopCause::Output { limit, attempted } => Outcome::limit(
                ErrorCode::OutputLimit,
                format!(
                    "output limit reached: max_output_bytes = {limit}, the guest wrote at least \
                     {attempted} bytes; output was truncated and the guest stopped"
                ),
            ),
            StopCause::Processes { which, limit } => Outcome::limit(
                ErrorCode::ProcessLimit,
                format!("process limit reached: at most {limit} child processes {which}"),
            ),
        }
    }
}

/// The text of a caught panic payload.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
