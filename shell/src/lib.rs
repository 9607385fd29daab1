//! `agentos-shell`: a POSIX/bash shell interpreter that runs natively in the sidecar, on the
//! exec's own thread, with every external command a guest.
//!
//! ```text
//!   run(os, Invocation{argv: [bash, -c, SCRIPT], env, cwd, stdio}, Limits, Stop)
//!     parse (brush-parser, nesting bounded) ─► interpret (ours) ─► Os
//!        expansions, splitting, quoting            FileSystem: open / stat / read_dir
//!        control flow, functions, builtins         Processes:  pipe / spawn / spawn_internal
//!        redirections, pipelines, subshells                    wait / kill / lookup
//! ```
//!
//! - The grammar is `brush-parser`'s (why: see `parse.rs`); everything after parsing is here.
//! - The interpreter touches the world only through [`Os`]: [`FileSystem`] (guest paths;
//!   [`SandboxFs`] implements it over `agentos-sandbox`) and [`Processes`] (the engine
//!   implements it: `spawn` starts a guest isolate, `spawn_internal` runs a forked
//!   interpreter on a thread whose CPU time counts toward the exec).
//! - Subshells `( )` and `$(...)` run in forked in-memory state on the calling thread;
//!   pipeline stages and `&` jobs that are not external commands are internal processes.
//! - Bounded: syntactic nesting ([`Limits::max_nesting`]), call depth (functions, `eval`,
//!   `source`, substitutions), memory of variables/expansions/here-docs/captures, processes
//!   alive and in total (typed [`ShellError`]s); [`Stop`] is checked before every command
//!   and on every loop turn, and blocking pipes wake on it.

mod aliases;
mod arrays;
mod assoc;
mod builtins;
pub mod bytes;
mod callstack;
mod dynamic;
mod error;
mod exec;
mod expand;
mod invocation;
mod limits;
mod os;
mod parse;
pub mod paths;
pub mod pipe;
mod sandbox_fs;
mod shell;
mod signals;
mod stop;
mod stream;
mod vars;

pub use error::ShellError;
pub use invocation::{Invocation, is_shell, run};
pub use limits::Limits;
pub use os::{
    DirEntry, ExitStatus, FileKind, FileSystem, FsError, HighFd, InternalJob, Metadata, OpenMode,
    Os, Pid, ProcError, Processes, SpawnError, SpawnRequest,
};
pub use sandbox_fs::SandboxFs;
pub use stop::{Delivery, Stop, StopCause};
pub use stream::{
    Capture, Io, IoError, MemoryReader, NullStream, Stream, StreamKind, read_to_end, write_all,
};
