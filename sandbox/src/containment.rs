//! Symlinks a guest makes stay inside their mount. Following links from the guest is confined
//! anyway ([`crate::resolve`]), but a link left in the host's directory is followed by host
//! processes later without any confinement, so a target that would lead outside the mount is
//! refused when the link is made (`path_symlink`) or moved (`path_rename`, `path_link` of a
//! symlink), with [`Errno::ESCAPE`], and nothing is created.
//!
//! ```text
//!   mount root            depth 0     "sub/file" "x" "." "missing"   accepted anywhere
//!   └── a                 depth 1     "../x"                           accepted at depth ≥ 1
//!       └── b/link        depth 2     "../../x"                        accepted at depth ≥ 2
//!   "/etc/passwd"  "../../../x" from a/b  "a/../x"  "r/.."            refused
//! ```
//!
//! The rule: absolute targets are refused; a relative target may start with a run of `..`
//! no longer than the depth of the link's directory below the mount root (measured physically,
//! by walking `..` up from that directory, so links and `..` in the link's own path count as
//! the kernel sees them); after the first name, `..` is refused. A `..` after a name climbs
//! out of whatever that name is when the link is followed, and the guest can make it a link
//! to the root afterwards (`r -> .`, then `esc -> r/..` points at the mount's parent), so no
//! check made now could vouch for it.
//!
//! Moving a *directory* to a shallower place (or into another mount) moves the links inside it
//! up with it: the moved subtree is scanned and the move refused if a link would then lead out.
//! The scan stops at [`MAX_SCAN`] entries with `XDEV`, on which `mv` falls back to copying,
//! which makes each link again through `path_symlink`.

use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{AtFlags, FileType, Mode, OFlags};

use crate::Errno;
use crate::guest_path::GuestPath;
use crate::walk::read_link;

/// Most levels walked up from a directory looking for its mount root (a guest path of 4095
/// bytes cannot name a deeper directory).
const MAX_DEPTH: usize = 4096;

/// Flags for the directories walked up through.
const UP: OFlags = OFlags::PATH.union(OFlags::DIRECTORY).union(OFlags::CLOEXEC);

/// Most entries scanned in a directory being moved up before the move is refused with `XDEV`.
pub(crate) const MAX_SCAN: usize = 100_000;

/// The identity of a mount's root directory (device and inode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MountRoot {
    dev: u64,
    ino: u64,
}

impl MountRoot {
    /// The identity of directory `fd`.
    ///
    /// # Errors
    /// Host errors from `fstat`.
    pub fn of(fd: BorrowedFd<'_>) -> Result<Self, Errno> {
        Ok(Self::from_stat(&rustix::fs::fstat(fd)?))
    }

    /// The identity in a directory's `stat`.
    pub fn from_stat(st: &rustix::fs::Stat) -> Self {
        Self {
            dev: st.st_dev,
            ino: st.st_ino,
        }
    }
}

/// Refuses a symlink target that would lead outside the mount from a link in directory `dir`.
///
/// # Errors
/// [`Errno::ESCAPE`] for an absolute target, a `..` after a name, or more leading `..` than
/// `dir` lies below `root`; `INVAL`/`NAMETOOLONG`/`NOENT` for a malformed target.
pub(crate) fn check_target(
    target: &[u8],
    dir: BorrowedFd<'_>,
    root: MountRoot,
) -> Result<(), Errno> {
    let ups = leading_ups(&GuestPath::parse_target(target)?)?;
    if ups == 0 {
        return Ok(());
    }
    if ups > depth_below(dir, root)? {
        return Err(Errno::ESCAPE);
    }
    Ok(())
}

/// Checks the existing entry `name` in directory `from` (mount `from_root`) before it is
/// renamed into directory `to` (mount `to_root`): a symlink as [`check_moved_link`]; a
/// directory moved to a shallower place or another mount has every symlink inside checked
/// from where it will land.
///
/// # Errors
/// [`Errno::ESCAPE`] when a link would lead out, `XDEV` past [`MAX_SCAN`] entries, host errors.
pub(crate) fn check_moved_entry(
    from: (BorrowedFd<'_>, MountRoot),
    name: &[u8],
    to: (BorrowedFd<'_>, MountRoot),
) -> Result<(), Errno> {
    let st = match rustix::fs::statat(from.0, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(st) => st,
        // Not there: the host call gives its own answer.
        Err(_) => return Ok(()),
    };
    match FileType::from_raw_mode(st.st_mode) {
        FileType::Symlink => check_moved_link(from.0, name, to.0, to.1),
        FileType::Directory => {
            let to_depth = depth_below(to.0, to.1)?;
            if from.1 == to.1 && to_depth >= depth_below(from.0, from.1)? {
                return Ok(());
            }
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            let moved = rustix::fs::openat(from.0, name, flags, Mode::empty())?;
            scan_moved(moved, to_depth + 1)
        }
        _ => Ok(()),
    }
}

/// Checks every symlink beneath directory `top`, which will lie `depth` levels below its mount
/// root.
fn scan_moved(top: OwnedFd, depth: usize) -> Result<(), Errno> {
    let mut pending = vec![(top, depth)];
    let mut seen = 0usize;
    while let Some((fd, depth)) = pending.pop() {
        let mut stream = rustix::fs::Dir::new(fd)?;
        while let Some(entry) = stream.read() {
            let entry = entry?;
            seen += 1;
            if seen > MAX_SCAN {
                return Err(Errno::XDEV);
            }
            let name = entry.file_name();
            if matches!(name.to_bytes(), b"." | b"..") {
                continue;
            }
            let dir = stream.fd()?;
            let kind = match entry.file_type() {
                FileType::Unknown => {
                    let st = rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)?;
                    FileType::from_raw_mode(st.st_mode)
                }
                kind => kind,
            };
            match kind {
                FileType::Symlink => {
                    let target = read_link(dir, name.to_bytes())?;
                    if leading_ups(&GuestPath::parse_target(&target)?)? > depth {
                        return Err(Errno::ESCAPE);
                    }
                }
                FileType::Directory => {
                    let flags =
                        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
                    let sub = rustix::fs::openat(dir, name, flags, Mode::empty())?;
                    pending.push((sub, depth + 1));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// As [`check_target`] for the existing entry `name` in `from` when it is a symlink about to
/// be renamed or linked into directory `to`; anything else passes.
///
/// # Errors
/// As [`check_target`], and host errors reading the link.
pub(crate) fn check_moved_link(
    from: BorrowedFd<'_>,
    name: &[u8],
    to: BorrowedFd<'_>,
    root: MountRoot,
) -> Result<(), Errno> {
    match read_link(from, name) {
        Ok(target) => check_target(&target, to, root),
        // Not a symlink (INVAL) or not there: the host call gives its own answer.
        Err(Errno::INVAL | Errno::NOENT | Errno::NOTDIR) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The number of `..` the target starts with (`.` ignored).
///
/// # Errors
/// [`Errno::ESCAPE`] for a `..` after a name.
fn leading_ups(target: &GuestPath) -> Result<usize, Errno> {
    let mut ups = 0;
    let mut named = false;
    for comp in &target.comps {
        match comp.as_slice() {
            b"." => {}
            b".." if named => return Err(Errno::ESCAPE),
            b".." => ups += 1,
            _ => named = true,
        }
    }
    Ok(ups)
}

/// How many levels directory `dir` lies below the mount root `root`.
///
/// # Errors
/// [`Errno::ESCAPE`] when walking up never meets `root` (the directory is not beneath it).
fn depth_below(dir: BorrowedFd<'_>, root: MountRoot) -> Result<usize, Errno> {
    let mut cur: OwnedFd = rustix::fs::openat(dir, c".", UP, Mode::empty())?;
    for depth in 0..MAX_DEPTH {
        let here = MountRoot::of(cur.as_fd())?;
        if here == root {
            return Ok(depth);
        }
        let up = rustix::fs::openat(&cur, c"..", UP, Mode::empty())?;
        if MountRoot::of(up.as_fd())? == here {
            // The host's `/`: walked past everything without meeting the mount root.
            return Err(Errno::ESCAPE);
        }
        cur = up;
    }
    Err(Errno::ESCAPE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ups(target: &str) -> Result<usize, Errno> {
        leading_ups(&GuestPath::parse_target(target.as_bytes())?)
    }

    #[test]
    fn only_a_leading_run_of_dotdot_counts() {
        assert_eq!(ups("x/y"), Ok(0));
        assert_eq!(ups("./x"), Ok(0));
        assert_eq!(ups("../x"), Ok(1));
        assert_eq!(ups("./.././../x/"), Ok(2));
        assert_eq!(ups(".."), Ok(1));
    }

    #[test]
    fn dotdot_after_a_name_is_escape() {
        assert_eq!(ups("a/../b"), Err(Errno::ESCAPE));
        assert_eq!(ups("../a/.."), Err(Errno::ESCAPE));
    }

    #[test]
    fn absolute_is_escape() {
        assert_eq!(ups("/etc/passwd"), Err(Errno::ESCAPE));
    }
}
