//! Preview1 rights, enforced: every fd carries base rights (what calls on it may do) and
//! inheriting rights (the most an fd opened through it may get), and every call checks the right
//! it needs before touching the host. A missing right is `NOTCAPABLE`, as the spec and wasmtime's
//! legacy `wasi-common` answer.
//!
//! ```text
//!   preopen             base  DIRECTORY            inheriting  DIRECTORY | FILE
//!   path_open(dir, ..)  needs PATH_OPEN (+ PATH_CREATE_FILE for CREAT,
//!                             + PATH_FILESTAT_SET_SIZE for TRUNC) in dir.base
//!   opened fd           base  = requested base & dir.inheriting & (DIRECTORY or FILE)
//!                       inheriting = requested inheriting & dir.inheriting (directories; files: 0)
//!   fd_fdstat_set_rights      may only drop rights, never add (`NOTCAPABLE`)
//! ```
//!
//! Rights asked for but not held by the directory are dropped silently rather than refused:
//! wasi-libc and Rust's std ask for every right that suits the access mode and expect the
//! host to grant a subset. The checks come after the fd's kind is known, so a call that cannot
//! apply to the kind at all keeps its kind's errno (`BADF` for `fd_read` on a directory, `SPIPE`
//! for `fd_seek` on stdio) whatever the rights.

use crate::Errno;
use crate::types::{fdflags, oflags, rights};

/// The rights of one fd.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rights {
    /// Base rights: what calls on this fd may do.
    pub base: u64,
    /// Inheriting rights: the most an fd opened through this one may get.
    pub inheriting: u64,
}

impl Rights {
    /// Stdin: read, stat, poll.
    pub const STDIN: Rights = Rights {
        base: rights::FD_READ | rights::FD_FILESTAT_GET | rights::POLL_FD_READWRITE,
        inheriting: 0,
    };
    /// Stdout and stderr: write, stat, poll.
    pub const STDOUT: Rights = Rights {
        base: rights::FD_WRITE | rights::FD_FILESTAT_GET | rights::POLL_FD_READWRITE,
        inheriting: 0,
    };
    /// A preopened directory.
    pub const PREOPEN: Rights = Rights {
        base: rights::PREOPEN_BASE,
        inheriting: rights::PREOPEN_INHERITING,
    };

    /// `Ok` when every right in `needed` is held.
    ///
    /// # Errors
    /// `NOTCAPABLE` when one is missing.
    pub fn require(&self, needed: u64) -> Result<(), Errno> {
        if self.base & needed == needed {
            Ok(())
        } else {
            Err(Errno::NOTCAPABLE)
        }
    }

    /// `Ok` when at least one right in `any` is held.
    ///
    /// # Errors
    /// `NOTCAPABLE` when none is.
    pub fn require_any(&self, any: u64) -> Result<(), Errno> {
        if self.base & any != 0 {
            Ok(())
        } else {
            Err(Errno::NOTCAPABLE)
        }
    }

    /// `fd_fdstat_set_rights`: replaces the rights with a subset of them.
    ///
    /// # Errors
    /// `NOTCAPABLE` when asking for a right not held (nothing changes then).
    pub fn narrow(&mut self, base: u64, inheriting: u64) -> Result<(), Errno> {
        if base & !self.base != 0 || inheriting & !self.inheriting != 0 {
            return Err(Errno::NOTCAPABLE);
        }
        *self = Rights { base, inheriting };
        Ok(())
    }

    /// The rights `path_open` needs on the directory for `oflags` and `fdflags`: checked
    /// against the directory's base rights (and, for the sync flags, its inheriting rights).
    ///
    /// # Errors
    /// `NOTCAPABLE` when the directory lacks one.
    pub fn check_open(&self, oflags: u16, fdflags: u16) -> Result<(), Errno> {
        let mut needed = rights::PATH_OPEN;
        if oflags & oflags::CREAT != 0 {
            needed |= rights::PATH_CREATE_FILE;
        }
        if oflags & oflags::TRUNC != 0 {
            needed |= rights::PATH_FILESTAT_SET_SIZE;
        }
        self.require(needed)?;
        let mut inherited = 0;
        if fdflags & fdflags::DSYNC != 0 {
            inherited |= rights::FD_DATASYNC;
        }
        if fdflags & (fdflags::RSYNC | fdflags::SYNC) != 0 {
            inherited |= rights::FD_SYNC;
        }
        if self.inheriting & inherited != inherited {
            return Err(Errno::NOTCAPABLE);
        }
        Ok(())
    }

    /// The base rights an fd opened through this directory may hold, before its kind is known
    /// (decides the host access mode).
    pub fn granted(&self, requested_base: u64) -> u64 {
        requested_base & self.inheriting
    }

    /// The rights of an fd opened through this directory with the requested rights.
    pub fn child(&self, requested: Rights, is_dir: bool) -> Rights {
        let base = self.granted(requested.base);
        if is_dir {
            Rights {
                base: base & rights::DIRECTORY,
                inheriting: requested.inheriting & self.inheriting,
            }
        } else {
            Rights {
                base: base & rights::FILE,
                inheriting: 0,
            }
        }
    }
}

/// Whether rights `base` call for a host fd opened for reading and/or writing: read for
/// `FD_READ`, write for any right that changes the file's data or size. For an open that must
/// name a `directory`, only `FD_WRITE` asks for write access (refused by the host, `ISDIR`, as
/// POSIX does); the size rights do not apply to directories and are dropped.
pub(crate) fn access_mode(base: u64, directory: bool) -> (bool, bool) {
    let writes = if directory {
        rights::FD_WRITE
    } else {
        rights::FD_WRITE | rights::FD_FILESTAT_SET_SIZE | rights::FD_ALLOCATE
    };
    let write = base & writes != 0;
    let read = base & rights::FD_READ != 0 || !write;
    (read, write)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn require_needs_every_bit() {
        let r = Rights {
            base: rights::FD_READ,
            inheriting: 0,
        };
        assert_eq!(r.require(rights::FD_READ), Ok(()));
        assert_eq!(
            r.require(rights::FD_READ | rights::FD_SEEK),
            Err(Errno::NOTCAPABLE)
        );
        assert_eq!(r.require_any(rights::FD_SEEK | rights::FD_READ), Ok(()));
        assert_eq!(r.require_any(rights::FD_SEEK), Err(Errno::NOTCAPABLE));
    }

    #[test]
    fn narrow_refuses_growth_and_keeps_rights() {
        let mut r = Rights::PREOPEN;
        assert_eq!(r.narrow(rights::ALL, 0), Err(Errno::NOTCAPABLE));
        assert_eq!(r, Rights::PREOPEN);
        assert_eq!(r.narrow(rights::PATH_OPEN, 0), Ok(()));
        assert_eq!(r.base, rights::PATH_OPEN);
    }

    #[test]
    fn child_is_bounded_by_inheriting_and_kind() {
        let dir = Rights {
            base: rights::PATH_OPEN,
            inheriting: rights::FD_READ | rights::FD_SEEK | rights::PATH_OPEN,
        };
        let asked = Rights {
            base: rights::ALL,
            inheriting: rights::ALL,
        };
        let file = dir.child(asked, false);
        assert_eq!(file.base, rights::FD_READ | rights::FD_SEEK);
        assert_eq!(file.inheriting, 0);
        let sub = dir.child(asked, true);
        assert_eq!(sub.base, rights::PATH_OPEN);
        assert_eq!(sub.inheriting, dir.inheriting);
    }

    #[test]
    fn trunc_needs_path_filestat_set_size() {
        let mut dir = Rights::PREOPEN;
        assert_eq!(dir.check_open(oflags::TRUNC, 0), Ok(()));
        dir.base &= !rights::PATH_FILESTAT_SET_SIZE;
        assert_eq!(dir.check_open(oflags::TRUNC, 0), Err(Errno::NOTCAPABLE));
        assert_eq!(dir.check_open(0, 0), Ok(()));
    }

    #[test]
    fn access_mode_follows_rights() {
        assert_eq!(access_mode(0, false), (true, false));
        assert_eq!(access_mode(rights::FD_READ, false), (true, false));
        assert_eq!(access_mode(rights::FD_WRITE, false), (false, true));
        assert_eq!(
            access_mode(rights::FD_FILESTAT_SET_SIZE, false),
            (false, true)
        );
        assert_eq!(
            access_mode(rights::FD_READ | rights::FD_WRITE, false),
            (true, true)
        );
    }

    #[test]
    fn directory_opens_write_only_for_fd_write() {
        let size = rights::FD_FILESTAT_SET_SIZE | rights::FD_ALLOCATE;
        assert_eq!(access_mode(rights::DIRECTORY | size, true), (true, false));
        assert_eq!(access_mode(rights::FD_WRITE, true), (false, true));
    }
}
