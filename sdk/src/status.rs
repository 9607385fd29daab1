//! How an exec ended ([`ExitStatus`], [`ExecError`]) and everything it produced ([`Output`]).

use std::time::Duration;

use agentos_proto::ErrorCode;
use agentos_proto::v1::{ExecExited, NetDenied, NetStats};

/// A typed error the sidecar attached to an exec it ended (a limit, a bad command, a fault).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecError {
    /// Stable error code, e.g. [`ErrorCode::CommandNotFound`].
    pub code: ErrorCode,
    /// Human-readable detail.
    pub message: String,
}

/// How an exec ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitStatus {
    /// Exit code; 128 + signal when killed by a signal.
    pub code: i32,
    /// The signal that ended the guest, if any.
    pub signal: Option<u32>,
    /// Set when the sidecar, not the guest, ended the exec.
    pub error: Option<ExecError>,
    /// Per-phase timings, when the sidecar's phase timers are enabled.
    pub phases: Vec<(String, Duration)>,
    /// What the exec's network did (connections, bytes, denials); `None` when it had no
    /// network policy and never tried to connect.
    pub net: Option<NetStats>,
    /// The exec's connection attempts its network policy refused, as the sidecar reported them
    /// (`NetDenied`, at most 100).
    pub net_denied: Vec<NetDenied>,
}

impl ExitStatus {
    /// True for exit code 0 with no signal and no sidecar error.
    pub fn success(&self) -> bool {
        self.code == 0 && self.signal.is_none() && self.error.is_none()
    }

    /// The code a shell would report: 128 + N when killed by signal N, else the exit code.
    pub fn shell_code(&self) -> i32 {
        match self.signal {
            Some(signal) => i32::try_from(signal).map_or(i32::MAX, |s| s.saturating_add(128)),
            None => self.code,
        }
    }
}

impl From<ExecExited> for ExitStatus {
    fn from(exited: ExecExited) -> Self {
        let error = (exited.error != 0).then(|| ExecError {
            code: ErrorCode::try_from(exited.error).unwrap_or(ErrorCode::Unspecified),
            message: exited.error_message,
        });
        Self {
            code: exited.exit_code,
            signal: (exited.signal != 0).then_some(exited.signal),
            error,
            phases: (exited.phases.into_iter())
                .map(|p| (p.name, Duration::from_nanos(p.nanos)))
                .collect(),
            net: exited.net_stats,
            net_denied: Vec::new(),
        }
    }
}

/// Everything an exec produced: its status and the output that was not taken as a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// How the exec ended.
    pub status: ExitStatus,
    /// All stdout bytes (empty if the stream was taken).
    pub stdout: Vec<u8>,
    /// All stderr bytes (empty if the stream was taken).
    pub stderr: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use agentos_proto::v1::PhaseTiming;

    use super::*;

    fn exited(code: i32, signal: u32, error: ErrorCode) -> ExitStatus {
        ExitStatus::from(ExecExited {
            exec_id: 1,
            exit_code: code,
            signal,
            error: error as i32,
            error_message: "why".to_owned(),
            phases: vec![PhaseTiming {
                name: "compile".to_owned(),
                nanos: 1_500,
            }],
            net_stats: None,
        })
    }

    #[test]
    fn exit_status_maps_signal_to_128_plus_n() {
        let killed = exited(137, 9, ErrorCode::Unspecified);
        assert_eq!(killed.signal, Some(9));
        assert_eq!(killed.shell_code(), 137);
        assert!(!killed.success());
        // The shell code follows the signal even if the sidecar's exit code disagrees.
        assert_eq!(exited(0, 15, ErrorCode::Unspecified).shell_code(), 143);
    }

    #[test]
    fn exit_status_plain_codes() {
        let ok = exited(0, 0, ErrorCode::Unspecified);
        assert!(ok.success());
        assert_eq!((ok.signal, ok.error.clone()), (None, None));
        assert_eq!(
            ok.phases,
            [("compile".to_owned(), Duration::from_nanos(1_500))]
        );
        assert_eq!(exited(3, 0, ErrorCode::Unspecified).shell_code(), 3);
    }

    #[test]
    fn exit_status_carries_the_sidecar_error() {
        let status = exited(124, 0, ErrorCode::Timeout);
        let error = status.error.clone().expect("error set");
        assert_eq!(error.code, ErrorCode::Timeout);
        assert_eq!(error.message, "why");
        assert!(!status.success());
    }
}
