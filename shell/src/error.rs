//! The typed errors that end a whole script (limits, stops), as opposed to shell errors that
//! only set `$?` and print a message (those never leave the interpreter).

use crate::stop::StopCause;

/// Why a script ended without an exit status of its own. The engine maps each to the exec's
/// typed error (`PROCESS_LIMIT`, `MEMORY_LIMIT`, ...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShellError {
    /// Too many processes alive at once (`alive`) or in total over the exec.
    #[error("process limit: more than {limit} processes {which}")]
    ProcessLimit {
        /// `"alive at once"` or `"in total"`.
        which: &'static str,
        /// The limit.
        limit: usize,
    },
    /// Variables, expansion results, here-documents and captures exceeded the memory budget.
    #[error("memory limit: the shell's data exceeded {limit} bytes")]
    MemoryLimit {
        /// The budget in bytes.
        limit: usize,
    },
    /// Function calls, `eval`, `source` and substitutions nested deeper than the limit.
    #[error("depth limit: nesting deeper than {limit} (functions, eval, source, substitutions)")]
    DepthLimit {
        /// The limit.
        limit: usize,
    },
    /// The script's syntax nests deeper than the parser is allowed to go.
    #[error("nesting limit: the script nests deeper than {limit} levels")]
    NestingLimit {
        /// The limit.
        limit: usize,
    },
    /// The script text is larger than allowed.
    #[error("script too large: {size} bytes (max {limit})")]
    ScriptTooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Stopped from outside (`Kill`, timeout) while running.
    #[error("stopped: {0:?}")]
    Stopped(StopCause),
}
