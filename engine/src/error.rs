//! The engine's error types.

/// Why the runner could not be loaded into a context.
#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    /// Evaluating the runner factory threw (a bug in runner-js).
    #[error("runner failed to load: {0}")]
    Load(String),
    /// A context restored from the snapshot does not hold the runner.
    #[error("the snapshot holds no runner")]
    NotInSnapshot,
    /// The runner could not be stored on the context for the snapshot.
    #[error("cannot stash the runner on the global")]
    Stash,
    /// A builtin the snapshot preloads failed to load (a bug in runner-js).
    #[error("builtin {name} failed to load into the snapshot: {detail}")]
    Preload {
        /// The builtin.
        name: &'static str,
        /// The exception, or what was missing.
        detail: String,
    },
}

/// Why a snapshot blob could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// The runner did not load in the creator.
    #[error(transparent)]
    Runner(#[from] RunnerError),
    /// V8 refused to create the blob.
    #[error("V8 could not create the snapshot blob")]
    Refused,
    /// The helper process could not be started.
    #[error("cannot run the snapshot helper {path}: {source}")]
    Spawn {
        /// The binary.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The helper process failed.
    #[error("snapshot helper failed: {0}")]
    Helper(std::process::ExitStatus),
    /// The helper produced no bytes.
    #[error("snapshot helper produced no blob")]
    Empty,
}

/// Why the snapshot is not available.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct SnapshotError(#[from] agentos_snapshots::BuildError);

/// Why a worker could not hand its task a prepared guest.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    /// The runner did not load.
    #[error(transparent)]
    Runner(#[from] RunnerError),
    /// No worker thread could be started.
    #[error("cannot start a worker thread: {0}")]
    NoThread(std::io::Error),
    /// Preparing panicked (a bug).
    #[error("internal error: worker panicked: {0}")]
    Panicked(String),
    /// The process's memory ceiling has no room for another isolate's code range.
    #[error(
        "memory limit: the engine cell's memory ceiling (RLIMIT_DATA, {ceiling_mb} MiB) has no \
         room for another isolate: the {live} alive reserve {reserved_mb} MiB of code ranges"
    )]
    Capacity {
        /// Isolates alive in the process.
        live: u64,
        /// Their code ranges, MiB.
        reserved_mb: u64,
        /// The ceiling, MiB.
        ceiling_mb: u64,
    },
}

impl PrepareError {
    /// How a job that got this error instead of a guest ends: `MEMORY_LIMIT` for the ceiling,
    /// `INTERNAL` for the rest.
    pub fn outcome(&self) -> crate::outcome::Outcome {
        use crate::outcome::Outcome;
        match self {
            PrepareError::Capacity { .. } => {
                Outcome::limit(agentos_proto::ErrorCode::MemoryLimit, self.to_string())
            }
            _ => Outcome::internal(self.to_string()),
        }
    }
}
