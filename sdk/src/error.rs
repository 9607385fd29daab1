//! The SDK's error type: everything a call into the sidecar can fail with.

use std::path::PathBuf;

use agentos_proto::{ErrorCode, FrameError};

/// Why a call into the sidecar failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No sidecar binary was found; `searched` lists the places tried, in order.
    #[error(
        "agentos-sidecar binary not found (searched: {}); build it with \
         `cargo build -p agentos-sidecar` or set AGENTOS_SIDECAR_BIN",
        display_paths(searched)
    )]
    NotFound {
        /// Paths tried, in order.
        searched: Vec<PathBuf>,
    },
    /// The sidecar process could not be started.
    #[error("cannot start sidecar {}: {source}", path.display())]
    Spawn {
        /// The binary that was executed.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The `Hello` handshake failed: no answer in time, a wrong answer or another protocol version.
    #[error("handshake failed: {0}")]
    Handshake(String),
    /// The sidecar answered with an event that makes no sense for the request.
    #[error("protocol violation: {0}")]
    Protocol(String),
    /// A message could not be framed locally (e.g. larger than the sidecar's maximum frame);
    /// nothing was sent.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// The sidecar refused the request with a `RequestError`.
    #[error("sidecar refused the request: {}: {message}", code.as_str_name())]
    Request {
        /// Stable error code.
        code: ErrorCode,
        /// Human-readable detail from the sidecar.
        message: String,
        /// The exec the refused request named, if any.
        exec_id: Option<u64>,
    },
    /// The sidecar process went away (or broke the protocol) before answering.
    #[error("sidecar died: {reason}{}", display_status(status))]
    SidecarDied {
        /// What the SDK saw: end of stream, a read error, a protocol violation.
        reason: String,
        /// The sidecar process's exit status, if it was reaped in time.
        status: Option<std::process::ExitStatus>,
    },
    /// The [`Sidecar`](crate::Sidecar) handle was dropped or shut down, so no request can be sent.
    #[error("the sidecar handle was closed")]
    Closed,
}

impl Error {
    /// The wire error code of a [`Error::Request`], if this is one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Error::Request { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// What is known about a sidecar that went away; cloned to every waiter.
#[derive(Debug, Clone)]
pub(crate) struct Died {
    pub(crate) reason: String,
    pub(crate) status: Option<std::process::ExitStatus>,
}

impl From<Died> for Error {
    fn from(died: Died) -> Self {
        Error::SidecarDied {
            reason: died.reason,
            status: died.status,
        }
    }
}

fn display_status(status: &Option<std::process::ExitStatus>) -> String {
    status.map(|s| format!(" ({s})")).unwrap_or_default()
}

fn display_paths(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}
