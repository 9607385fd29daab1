//! WASI preview1 values that cross the sandbox boundary: flag bits, file types, rights, and the
//! `fdstat` / `filestat` / `dirent` records, plus the configuration types of a sandbox.

use std::path::PathBuf;

use crate::Errno;

/// `filetype` values.
pub mod filetype {
    /// The type of the file descriptor or file is unknown or is different from any of the others.
    pub const UNKNOWN: u8 = 0;
    /// A block device inode.
    pub const BLOCK_DEVICE: u8 = 1;
    /// A character device inode.
    pub const CHARACTER_DEVICE: u8 = 2;
    /// A directory inode.
    pub const DIRECTORY: u8 = 3;
    /// A regular file inode.
    pub const REGULAR_FILE: u8 = 4;
    /// A datagram socket.
    pub const SOCKET_DGRAM: u8 = 5;
    /// A byte-stream socket.
    pub const SOCKET_STREAM: u8 = 6;
    /// A symbolic link inode.
    pub const SYMBOLIC_LINK: u8 = 7;
}

/// `oflags` bits of `path_open`.
pub mod oflags {
    /// Create file if it does not exist.
    pub const CREAT: u16 = 1 << 0;
    /// Fail if not a directory.
    pub const DIRECTORY: u16 = 1 << 1;
    /// Fail if file already exists.
    pub const EXCL: u16 = 1 << 2;
    /// Truncate file to size 0.
    pub const TRUNC: u16 = 1 << 3;
    /// Every defined bit.
    pub const ALL: u16 = CREAT | DIRECTORY | EXCL | TRUNC;
}

/// `fdflags` bits.
pub mod fdflags {
    /// Append mode: data written to the file is always appended to the file's end.
    pub const APPEND: u16 = 1 << 0;
    /// Write according to synchronized I/O data integrity completion.
    pub const DSYNC: u16 = 1 << 1;
    /// Non-blocking mode.
    pub const NONBLOCK: u16 = 1 << 2;
    /// Synchronized read I/O operations.
    pub const RSYNC: u16 = 1 << 3;
    /// Write according to synchronized I/O file integrity completion.
    pub const SYNC: u16 = 1 << 4;
    /// Every defined bit.
    pub const ALL: u16 = APPEND | DSYNC | NONBLOCK | RSYNC | SYNC;
}

/// `lookupflags` bits.
pub mod lookupflags {
    /// Follow a symbolic link in the final path component.
    pub const SYMLINK_FOLLOW: u32 = 1 << 0;
}

/// `fstflags` bits of the `*_set_times` calls.
pub mod fstflags {
    /// Set the access time to the given value.
    pub const ATIM: u16 = 1 << 0;
    /// Set the access time to the current time.
    pub const ATIM_NOW: u16 = 1 << 1;
    /// Set the modification time to the given value.
    pub const MTIM: u16 = 1 << 2;
    /// Set the modification time to the current time.
    pub const MTIM_NOW: u16 = 1 << 3;
    /// Every defined bit.
    pub const ALL: u16 = ATIM | ATIM_NOW | MTIM | MTIM_NOW;
}

/// `whence` values of `fd_seek` (preview1 numbering).
pub mod whence {
    /// Seek relative to start-of-file.
    pub const SET: u8 = 0;
    /// Seek relative to current position.
    pub const CUR: u8 = 1;
    /// Seek relative to end-of-file.
    pub const END: u8 = 2;
}

/// `rights` bits: reported by `fd_fdstat_get`, narrowed by `fd_fdstat_set_rights`, and checked
/// by every call (`NOTCAPABLE` when missing; the policy is in `fd_rights.rs`).
pub mod rights {
    /// `fd_datasync`.
    pub const FD_DATASYNC: u64 = 1 << 0;
    /// `fd_read`.
    pub const FD_READ: u64 = 1 << 1;
    /// `fd_seek`.
    pub const FD_SEEK: u64 = 1 << 2;
    /// `fd_fdstat_set_flags`.
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    /// `fd_sync`.
    pub const FD_SYNC: u64 = 1 << 4;
    /// `fd_tell`.
    pub const FD_TELL: u64 = 1 << 5;
    /// `fd_write`.
    pub const FD_WRITE: u64 = 1 << 6;
    /// `fd_advise`.
    pub const FD_ADVISE: u64 = 1 << 7;
    /// `fd_allocate`.
    pub const FD_ALLOCATE: u64 = 1 << 8;
    /// `path_create_directory`.
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    /// `path_open` with `CREAT`.
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    /// `path_link` source.
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    /// `path_link` target.
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    /// `path_open`.
    pub const PATH_OPEN: u64 = 1 << 13;
    /// `fd_readdir`.
    pub const FD_READDIR: u64 = 1 << 14;
    /// `path_readlink`.
    pub const PATH_READLINK: u64 = 1 << 15;
    /// `path_rename` source.
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    /// `path_rename` target.
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    /// `path_filestat_get`.
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    /// `path_filestat_set_size`.
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    /// `path_filestat_set_times`.
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    /// `fd_filestat_get`.
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    /// `fd_filestat_set_size`.
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    /// `fd_filestat_set_times`.
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    /// `path_symlink`.
    pub const PATH_SYMLINK: u64 = 1 << 24;
    /// `path_remove_directory`.
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    /// `path_unlink_file`.
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    /// `poll_oneoff` read/write subscriptions.
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    /// `sock_shutdown`.
    pub const SOCK_SHUTDOWN: u64 = 1 << 28;
    /// `sock_accept`.
    pub const SOCK_ACCEPT: u64 = 1 << 29;
    /// Every defined right.
    pub const ALL: u64 = (1 << 30) - 1;

    /// Every right that applies to a directory fd: the `path_*` calls through it, listing it,
    /// and its own metadata.
    pub const DIRECTORY: u64 = PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_SIZE
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE;
    /// Every right that applies to a non-directory fd (regular file, device, FIFO, socket).
    pub const FILE: u64 = FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | POLL_FD_READWRITE;
    /// The base rights of a preopened directory: all of [`DIRECTORY`].
    pub const PREOPEN_BASE: u64 = DIRECTORY;
    /// The inheriting rights of a preopened directory: anything a directory or file beneath
    /// may hold.
    pub const PREOPEN_INHERITING: u64 = DIRECTORY | FILE;
}

/// `advice` values of `fd_advise`.
pub mod advice {
    /// No advice.
    pub const NORMAL: u8 = 0;
    /// Sequential access.
    pub const SEQUENTIAL: u8 = 1;
    /// Random access.
    pub const RANDOM: u8 = 2;
    /// Will be needed soon.
    pub const WILLNEED: u8 = 3;
    /// Will not be needed soon.
    pub const DONTNEED: u8 = 4;
    /// Accessed once.
    pub const NOREUSE: u8 = 5;
}

/// The result of `fd_fdstat_get`: `[filetype, fdflags, rightsBase, rightsInheriting]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FdStat {
    /// A `filetype` value.
    pub filetype: u8,
    /// `fdflags` bits.
    pub flags: u16,
    /// Base rights.
    pub rights_base: u64,
    /// Inheriting rights.
    pub rights_inheriting: u64,
}

/// The result of `fd_filestat_get` / `path_filestat_get`; timestamps in ns since the epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct FileStat {
    /// Device ID of the device containing the file.
    pub dev: u64,
    /// File serial number.
    pub ino: u64,
    /// A `filetype` value.
    pub filetype: u8,
    /// Number of hard links.
    pub nlink: u64,
    /// Size in bytes (regular files), or link length (symlinks).
    pub size: u64,
    /// Last access, ns.
    pub atim: u64,
    /// Last data modification, ns.
    pub mtim: u64,
    /// Last status change, ns.
    pub ctim: u64,
    /// The host's permission bits (`0o7777`); not part of WASI's `filestat`, for the sandbox's
    /// own callers (a shell's `test -x`, a command run by path).
    pub mode: u32,
}

/// One directory entry of `fd_readdir`: `[next, ino, filetype, nameBytes]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    /// The cookie of the following entry.
    pub next: u64,
    /// The entry's inode.
    pub ino: u64,
    /// A `filetype` value.
    pub filetype: u8,
    /// The entry's name as the host stores it (bytes).
    pub name: Vec<u8>,
}

/// A host directory made visible to the guest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preopen {
    /// The host directory (opened once when the sandbox is created).
    pub host: PathBuf,
    /// The name the guest sees via `fd_prestat_dir_name` (e.g. `/` or `/data`).
    pub guest: String,
    /// When set, nothing beneath this preopen can be created, written, renamed, linked,
    /// unlinked, truncated or have its times changed (`ROFS`).
    pub read_only: bool,
}

/// The sidecar's stdin/stdout/stderr, supplied per call.
pub trait Stdio {
    /// Reads up to `max` bytes of stdin, blocking until data or EOF (empty = EOF).
    ///
    /// # Errors
    /// Any WASI errno, passed to the guest as is.
    fn read(&mut self, max: usize) -> Result<Vec<u8>, Errno>;

    /// Writes `data` to stdout (`fd` 1) or stderr (`fd` 2); returns the bytes accepted.
    ///
    /// # Errors
    /// Any WASI errno, passed to the guest as is.
    fn write(&mut self, fd: u32, data: &[u8]) -> Result<usize, Errno>;
}
