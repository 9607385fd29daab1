//! Why and how an exec is stopped from outside its own code: a kill signal, the wall-time or
//! CPU-time watchdog, the output limit. The first cause wins; stopping wakes the exec's inbox
//! (so blocking waits return) and terminates the isolate (so running JS or wasm stops).

use agentos_proto::ErrorCode;
use crossbeam_channel::Sender;
use parking_lot::Mutex;

use super::guest::ExecInput;
use super::js::{LIMIT_EXIT_CODE, Outcome};

/// Why an exec was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopCause {
    /// The host sent this signal.
    Signal(u32),
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
}

impl StopCause {
    /// How the exec is reported.
    pub fn outcome(self) -> Outcome {
        let failed = |code, message: String| Outcome::Failed {
            code,
            message,
            exit_code: LIMIT_EXIT_CODE,
        };
        match self {
            StopCause::Signal(signal) => Outcome::Killed(signal),
            StopCause::Timeout { limit_ms, ran_ms } => failed(
                ErrorCode::Timeout,
                format!("wall-time limit reached: timeout_ms = {limit_ms}, ran {ran_ms} ms"),
            ),
            StopCause::Cpu { limit_ms, used_ms } => failed(
                ErrorCode::CpuLimit,
                format!("CPU-time limit reached: cpu_ms = {limit_ms}, used {used_ms} ms of CPU"),
            ),
            StopCause::HostPayload { limit, size } => failed(
                ErrorCode::HostPayloadLimit,
                format!(
                    "host payload limit reached: max_host_payload_bytes = {limit}, a host reply \
                     was {size} bytes"
                ),
            ),
            StopCause::Output { limit, attempted } => failed(
                ErrorCode::OutputLimit,
                format!(
                    "output limit reached: max_output_bytes = {limit}, the guest wrote at least \
                     {attempted} bytes; output was truncated and the guest stopped"
                ),
            ),
        }
    }
}

/// One exec's stop switch.
pub struct Stopper {
    cause: Mutex<Option<StopCause>>,
    isolate: Mutex<Option<v8::IsolateHandle>>,
    wake: Sender<ExecInput>,
}

impl Stopper {
    /// A switch that wakes `wake` (the exec's inbox) when thrown.
    pub fn new(wake: Sender<ExecInput>) -> Self {
        Self {
            cause: Mutex::new(None),
            isolate: Mutex::new(None),
            wake,
        }
    }

    /// Stops the exec for `cause` unless it was already stopped; true if this call stopped it.
    pub fn stop(&self, cause: StopCause) -> bool {
        {
            let mut slot = self.cause.lock();
            if slot.is_some() {
                return false;
            }
            *slot = Some(cause);
        }
        let _ = self.wake.send(ExecInput::Stop);
        if let Some(handle) = self.isolate.lock().as_ref() {
            handle.terminate_execution();
        }
        true
    }

    /// Why the exec was stopped, if it was.
    pub fn cause(&self) -> Option<StopCause> {
        *self.cause.lock()
    }

    /// Records the isolate a later stop must interrupt; honours a stop that came first.
    pub fn attach(&self, handle: v8::IsolateHandle) {
        let mut slot = self.isolate.lock();
        if self.cause.lock().is_some() {
            handle.terminate_execution();
        }
        *slot = Some(handle);
    }

    /// Forgets the isolate before it is disposed.
    pub fn detach(&self) {
        *self.isolate.lock() = None;
    }
}
