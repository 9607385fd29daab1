//! The OS interface: everything the interpreter asks of the world, in two halves.
//!
//! - [`FileSystem`]: guest paths only (absolute, `/`-separated, already joined with the
//!   shell's cwd and normalised lexically by the interpreter). Redirections, globbing, `cd`,
//!   `test -f` and `source` go through it; nothing else touches files. [`crate::SandboxFs`]
//!   implements it over `agentos-sandbox`, confined exactly as guests are.
//! - [`Processes`]: pipes, guests (one per external command), internal processes (a forked
//!   interpreter running a pipeline stage, a background job), waiting and killing. The engine
//!   implements it: `spawn` starts a fresh isolate from the warm pool in the exec's sandbox.
//!
//! Both are `Send + Sync` and take `&self`: internal processes run on their own threads and
//! share the exec's implementation through an `Arc<dyn Os>`.
//!
//! ```text
//!   interpreter ──open/stat/read_dir──► FileSystem ──► Sandbox (mounts, confinement)
//!        │
//!        ├──pipe()────────────────────► Processes ──► bounded byte channel (crate::pipe)
//!        ├──spawn(argv, env, cwd, 0/1/2)──────────► guest isolate (WASI command, node)
//!        ├──spawn_internal(job, stop)─────────────► a thread running a forked interpreter
//!        └──wait(pid) / kill(pid, sig)
//! ```

use crate::stop::Stop;
use crate::stream::Io;

/// A process of the exec (a guest or an internal process), as the shell names it (`$!`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pid(pub u32);

/// How a file is opened for a redirection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpenMode {
    /// Open for reading.
    pub read: bool,
    /// Open for writing.
    pub write: bool,
    /// Writes go to the end (`>>`).
    pub append: bool,
    /// Create when missing.
    pub create: bool,
    /// Truncate to zero length.
    pub truncate: bool,
    /// Fail when it exists (`set -o noclobber` with `>`).
    pub exclusive: bool,
}

impl OpenMode {
    /// `< file`.
    pub const READ: Self = Self {
        read: true,
        write: false,
        append: false,
        create: false,
        truncate: false,
        exclusive: false,
    };
    /// `> file`.
    pub const TRUNCATE: Self = Self {
        read: false,
        write: true,
        append: false,
        create: true,
        truncate: true,
        exclusive: false,
    };
    /// `>> file`.
    pub const APPEND: Self = Self {
        read: false,
        write: true,
        append: true,
        create: true,
        truncate: false,
        exclusive: false,
    };
    /// `<> file`.
    pub const READ_WRITE: Self = Self {
        read: true,
        write: true,
        append: false,
        create: true,
        truncate: false,
        exclusive: false,
    };
}

/// A file's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A regular file.
    Regular,
    /// A directory.
    Directory,
    /// A symbolic link (only from `stat` without following).
    Symlink,
    /// A character device.
    CharDevice,
    /// A block device.
    BlockDevice,
    /// A FIFO.
    Fifo,
    /// A socket.
    Socket,
    /// Anything else.
    Other,
}

/// What `test`/`[`/`[[` need to know about a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metadata {
    /// The file type.
    pub kind: FileKind,
    /// Size in bytes.
    pub size: u64,
    /// Last modification, ns since the epoch.
    pub mtime_ns: u64,
    /// Device number (`-ef`).
    pub dev: u64,
    /// Inode number (`-ef`).
    pub ino: u64,
    /// The guest may write it (not beneath a read-only mount).
    pub writable: bool,
    /// The guest may run it by path (`-x`).
    pub executable: bool,
}

/// Why a file operation failed; `Display` is the `strerror` text bash prints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FsError {
    /// `ENOENT` (also: no mount covers the path).
    #[error("No such file or directory")]
    NotFound,
    /// `ENOTDIR`.
    #[error("Not a directory")]
    NotDir,
    /// `EISDIR`.
    #[error("Is a directory")]
    IsDir,
    /// `EEXIST`.
    #[error("cannot overwrite existing file")]
    Exists,
    /// `EACCES`/`ENOTCAPABLE`: the path leaves its mount, or lacks a right.
    #[error("Permission denied")]
    Denied,
    /// `EROFS`: beneath a read-only mount.
    #[error("Read-only file system")]
    ReadOnly,
    /// `ELOOP`.
    #[error("Too many levels of symbolic links")]
    Loop,
    /// `ENAMETOOLONG`.
    #[error("File name too long")]
    NameTooLong,
    /// A bound of the implementation (entries in one directory, ...).
    #[error("Argument list too long")]
    TooMany,
    /// Anything else.
    #[error("{0}")]
    Other(String),
}

/// One directory entry (for globbing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The entry's name (lossy UTF-8).
    pub name: String,
    /// Whether it is a directory (symlinks to directories count when known).
    pub is_dir: bool,
    /// Whether it is a symbolic link (`**` does not descend through one, as in bash).
    pub is_link: bool,
}

/// The file-system half of the OS interface. Every path is an absolute guest path.
pub trait FileSystem: Send + Sync {
    /// Opens `path` for a redirection; the stream is then handed to builtins and guests.
    ///
    /// # Errors
    /// [`FsError`] as the guest would see it (`ReadOnly`, `Denied` for escapes, ...).
    fn open(&self, path: &str, mode: OpenMode) -> Result<Io, FsError>;

    /// Metadata of `path`, following a final symlink when `follow`.
    ///
    /// # Errors
    /// [`FsError::NotFound`] and the like.
    fn stat(&self, path: &str, follow: bool) -> Result<Metadata, FsError>;

    /// The names in directory `path` (without `.` and `..`), at most `max` of them.
    ///
    /// # Errors
    /// [`FsError::TooMany`] past `max`; others.
    fn read_dir(&self, path: &str, max: usize) -> Result<Vec<DirEntry>, FsError>;
}

/// An external command to start as a guest.
#[derive(Debug)]
pub struct SpawnRequest {
    /// argv; `argv[0]` as written in the script (a name, or a path relative to `cwd`).
    pub argv: Vec<String>,
    /// The complete environment of the guest (exported variables and prefix assignments).
    pub env: Vec<(String, String)>,
    /// The `PATH` a name is looked up along, as bash's: the shell's variable whether exported or
    /// not, or a prefix assignment's value.
    pub path: Option<String>,
    /// The guest's working directory (absolute guest path).
    pub cwd: String,
    /// fd 0.
    pub stdin: Io,
    /// fd 1.
    pub stdout: Io,
    /// fd 2.
    pub stderr: Io,
    /// Its fds above 2 (process substitutions' pipes).
    pub high_fds: Vec<HighFd>,
    /// The pid of the shell that starts it (`$$`): its parent.
    pub parent: u32,
}

/// An fd above the shell's own 0..=9 that processes inherit: one end of a process
/// substitution's pipe, which the command line names `/dev/fd/N` (bash counts N down from 63).
#[derive(Debug, Clone)]
pub struct HighFd {
    /// Its number.
    pub fd: u32,
    /// The pipe end.
    pub io: Io,
    /// The process writes into it (`>(LIST)`); else it reads from it (`<(LIST)`).
    pub writes: bool,
}

/// A forked interpreter to run as a process of the exec (pipeline stage, `&` job).
pub struct InternalJob {
    /// Runs the forked interpreter to its end; returns its exit status.
    pub run: Box<dyn FnOnce() -> i32 + Send>,
    /// Its stop flag: `kill(pid, sig)` must call `stop.stop(StopCause::Signal(sig))`.
    pub stop: Stop,
}

impl std::fmt::Debug for InternalJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InternalJob").finish_non_exhaustive()
    }
}

/// Why a process could not be started.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpawnError {
    /// No such command (status 127, "command not found").
    #[error("command not found")]
    NotFound,
    /// A path that names nothing runnable (status 126), with the reason bash prints.
    #[error("{0}")]
    NotExecutable(String),
    /// A path that does not exist (status 127, "No such file or directory").
    #[error("No such file or directory")]
    NoSuchFile,
    /// The engine refused (out of isolates, ...): status 126 with this message.
    #[error("{0}")]
    Other(String),
}

/// Why `wait`/`kill`/`pipe` failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProcError {
    /// Not a child of this exec, or already waited for.
    #[error("no such process")]
    NoSuchProcess,
    /// The exec was stopped while waiting.
    #[error("stopped")]
    Stopped,
    /// Anything else.
    #[error("{0}")]
    Other(String),
}

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Exited with this code (0..=255).
    Code(i32),
    /// Killed by this signal (the shell reports 128 + N).
    Signal(i32),
}

impl ExitStatus {
    /// The shell's `$?` for it.
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Code(c) => c & 0xff,
            ExitStatus::Signal(s) => 128 + s,
        }
    }
}

/// The process half of the OS interface.
pub trait Processes: Send + Sync {
    /// What `command -v NAME` prints for an external command (e.g. `/bin/ls`), or `None` when
    /// `spawn` would fail with [`SpawnError::NotFound`]. `path` is the script's `$PATH`.
    fn lookup(&self, name: &str, path: Option<&str>, cwd: &str) -> Option<String>;

    /// A bounded pipe: (read end, write end). [`crate::pipe::pipe`] is a ready implementation.
    ///
    /// # Errors
    /// [`ProcError::Other`] when the engine cannot make one.
    fn pipe(&self) -> Result<(Io, Io), ProcError>;

    /// Starts an external command as a guest. Returns at once; the guest runs concurrently.
    ///
    /// # Errors
    /// [`SpawnError`]; the shell prints it and sets `$?` (127 or 126).
    fn spawn(&self, req: SpawnRequest) -> Result<Pid, SpawnError>;

    /// Starts a forked interpreter concurrently (its CPU time must count toward the exec's).
    ///
    /// # Errors
    /// [`SpawnError::Other`] when no thread can be had.
    fn spawn_internal(&self, job: InternalJob) -> Result<Pid, SpawnError>;

    /// Blocks until `pid` ends and reaps it, or until `stop` (the waiting process's flag:
    /// the exec's, or an internal process's own) fires.
    ///
    /// # Errors
    /// [`ProcError::NoSuchProcess`] for an unknown or reaped pid; [`ProcError::Stopped`].
    fn wait(&self, pid: Pid, stop: &Stop) -> Result<ExitStatus, ProcError>;

    /// Sends `signal` to `pid` (guests are terminated; internal processes are stopped).
    ///
    /// # Errors
    /// [`ProcError::NoSuchProcess`].
    fn kill(&self, pid: Pid, signal: i32) -> Result<(), ProcError>;

    /// How `pid` ended, if it has (and is not reaped yet); `None` while it runs or when it is
    /// unknown. Reaps nothing (`jobs` looks, `wait` reaps).
    fn poll(&self, pid: Pid) -> Option<ExitStatus> {
        let _ = pid;
        None
    }

    /// CPU time used so far by every process of the exec (for `time`); `None` when unknown.
    fn cpu_used(&self) -> Option<std::time::Duration> {
        None
    }
}

/// Both halves: what [`crate::run`] needs.
pub trait Os: FileSystem + Processes {}

impl<T: FileSystem + Processes> Os for T {}
