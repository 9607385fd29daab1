//! Permission bits (`chmod`), an extension to preview1 (which has none): `agentos_v2.path_chmod`
//! and Node's `fs.chmod` family reach these. The mode a guest reads comes with every stat
//! ([`crate::FileStat::mode`]).
//!
//! Only the nine `rwx` bits can be set: setuid, setgid and sticky are refused (`PERM`), so no
//! guest can leave a set-id file on the host. The change is made through an `O_PATH` fd of the
//! confined final entry (opened without following it) and `/proc/self/fd`, so a symlink swapped
//! in after resolution is never followed out of the mount.

use rustix::fd::{AsFd, AsRawFd, BorrowedFd};
use rustix::fs::{AtFlags, FileType, Mode, OFlags};

use crate::guest_path::GuestPath;
use crate::table::Entry;
use crate::types::{lookupflags, rights};
use crate::{Errno, Sandbox};

/// The bits a guest may set.
pub const SETTABLE_MODE: u32 = 0o777;

impl Sandbox {
    /// `chmod` of `path` beneath directory `fd` (`lookupflags` 1 = follow a final symlink; a
    /// symlink itself cannot have its mode changed: `NOTSUP`, as Linux's `lchmod`).
    ///
    /// # Errors
    /// `PERM` for bits outside [`SETTABLE_MODE`], `ROFS` beneath a read-only preopen,
    /// [`Errno::ESCAPE`] outside it, host errors mapped.
    pub fn path_chmod(
        &mut self,
        fd: u32,
        lookup: u32,
        path: &[u8],
        mode: u32,
    ) -> Result<(), Errno> {
        let (fd, path_at) = self.located(fd, path);
        let path = &*path_at;
        let mode = settable(mode)?;
        let dir = self.writable_dir(fd, rights::PATH_FILESTAT_SET_TIMES)?;
        let path = GuestPath::parse(path)?;
        let follow = lookup & lookupflags::SYMLINK_FOLLOW != 0 || path.trailing_slash;
        let target = self.resolver.resolve(dir.fd.as_fd(), &path, follow)?;
        let entry = match target.at_name() {
            None => rustix::fs::openat(&target.dir, ".", OPEN, Mode::empty())?,
            Some(name) => rustix::fs::openat(&target.dir, name.as_slice(), OPEN, Mode::empty())?,
        };
        chmod_fd(entry.as_fd(), mode)
    }

    /// `chmod` of the file or directory open at `fd` (Node's `fs.fchmod`).
    ///
    /// # Errors
    /// As [`Sandbox::path_chmod`]; `BADF` for stdio and pipes.
    pub fn fd_chmod(&mut self, fd: u32, mode: u32) -> Result<(), Errno> {
        let mode = settable(mode)?;
        let (host, read_only) = match self.table.get(fd)? {
            Entry::Dir(d) => (d.fd.as_fd(), d.read_only),
            Entry::File(f) => (f.fd.as_fd(), f.read_only),
            _ => return Err(Errno::BADF),
        };
        if read_only {
            return Err(Errno::READ_ONLY);
        }
        chmod_fd(host, mode)
    }
}

/// How the final entry is opened: never followed, never read.
const OPEN: OFlags = OFlags::PATH.union(OFlags::NOFOLLOW).union(OFlags::CLOEXEC);

fn settable(mode: u32) -> Result<Mode, Errno> {
    if mode & !SETTABLE_MODE != 0 {
        return Err(Errno::PERM);
    }
    Ok(Mode::from_raw_mode(mode))
}

/// Changes the mode of the inode open at `fd` (an `O_PATH` fd has no `fchmod`; its
/// `/proc/self/fd` entry names exactly that inode).
fn chmod_fd(fd: BorrowedFd<'_>, mode: Mode) -> Result<(), Errno> {
    let st = rustix::fs::fstat(fd)?;
    if FileType::from_raw_mode(st.st_mode) == FileType::Symlink {
        return Err(Errno::NOTSUP);
    }
    let link = format!("/proc/self/fd/{}", fd.as_raw_fd());
    Ok(rustix::fs::chmodat(
        rustix::fs::CWD,
        link.as_str(),
        mode,
        AtFlags::empty(),
    )?)
}
