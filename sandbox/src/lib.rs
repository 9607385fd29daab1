//! `agentos-sandbox`: the host side of WASI preview1's `fd_*` and `path_*` calls for one exec.
//!
//! A [`Sandbox`] owns the guest's file descriptor table (stdio at 0–2, preopened host
//! directories at 3, 4, ...) and implements one method per native `wasi_*` function of
//! `runner-js/js/WASI.md`, returning WASI [`Errno`]s. It links no V8 and knows nothing of JS.
//!
//! Confinement: each preopen is opened once; every guest path is resolved beneath its directory
//! fd, by `openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)` or, where the kernel lacks it, by a
//! component-by-component walk. Guest path text is never joined onto a host path. Leaving a
//! preopen in any way (absolute path, `..` above the root, absolute or escaping symlink) is
//! [`Errno::ESCAPE`] (`NOTCAPABLE`); modifying anything beneath a read-only preopen is
//! [`Errno::READ_ONLY`] (`ROFS`). Symlinks the guest makes must point inside their mount
//! (`containment.rs`): the host follows them later without any confinement.
//!
//! Rights: every fd carries preview1 base and inheriting rights, and every call checks the right
//! it needs (`NOTCAPABLE` when missing); see `fd_rights.rs`.

mod climb;
mod clock;
mod commands;
mod containment;
mod devices;
mod errno;
mod etc;
mod fd_meta;
mod fd_ops;
mod fd_rights;
mod guest_path;
mod inherited;
mod modes;
mod open;
mod path_ops;
mod readdir;
mod resolve;
mod root;
mod sandbox;
mod scratch;
mod skeletons;
mod sockets;
mod stat;
mod table;
mod types;
mod walk;

pub use clock::{MAX_RANDOM_LEN, clock_res_get, clock_time_get, random_get};
pub use commands::{CommandNames, INTERPRETER as COMMAND_INTERPRETER};
pub use errno::Errno;
pub use inherited::PipeEnd;
pub use readdir::DIRENT_HEADER;
pub use resolve::ResolverKind;
pub use root::{is_covered, is_taken, with_root};
pub use sandbox::{MAX_IO, Sandbox, SandboxError, SandboxOptions};
pub use scratch::{GUEST_PATH as TMP_PATH, Scratch};
pub use sockets::SocketFd;
pub use types::{
    DirEntry, FdStat, FileStat, Preopen, Stdio, advice, fdflags, filetype, fstflags, lookupflags,
    oflags, rights, whence,
};
