//! The fallback resolver for kernels without `openat2` (before Linux 5.6, or seccomp-filtered):
//! walks a path one component at a time from a directory fd, cap-std style.
//!
//! Every step opens the next directory with `O_PATH | O_DIRECTORY | O_NOFOLLOW` relative to the
//! one before, so the kernel never resolves more than a single name. Symlinks are read and their
//! targets pushed in front of the remaining components; `..` pops the stack of opened
//! directories, and popping past the root is an escape. Absolute symlink targets are escapes.
//! More than [`MAX_SYMLINKS`] expansions is `LOOP`.

use std::collections::VecDeque;

use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{Mode, OFlags, openat};

use crate::Errno;
use crate::guest_path::GuestPath;

/// Symlink expansions allowed in one resolution (Linux's limit).
pub(crate) const MAX_SYMLINKS: usize = 40;

/// Flags for every intermediate directory the walker opens.
pub(crate) const STEP: OFlags = OFlags::PATH
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

/// Opens the directory named by `comps` beneath `root` (all symlinks followed, confined).
///
/// # Errors
/// [`Errno::ESCAPE`] when the walk would leave `root`; `LOOP`, `NOTDIR`, `NOENT`, ... otherwise.
pub(crate) fn open_dir(root: BorrowedFd<'_>, comps: &[Vec<u8>]) -> Result<OwnedFd, Errno> {
    let mut queue: VecDeque<Vec<u8>> = comps.iter().cloned().collect();
    let mut stack: Vec<OwnedFd> = Vec::new();
    let mut expansions = 0usize;
    while let Some(comp) = queue.pop_front() {
        match comp.as_slice() {
            b"." => {}
            b".." => {
                stack.pop().ok_or(Errno::ESCAPE)?;
            }
            name => {
                let cur = stack.last().map_or(root, AsFd::as_fd);
                match step(cur, name)? {
                    Step::Dir(fd) => stack.push(fd),
                    Step::Link(target) => {
                        expansions += 1;
                        if expansions > MAX_SYMLINKS {
                            return Err(Errno::LOOP);
                        }
                        let target = GuestPath::parse_target(&target)?;
                        for c in target.comps.into_iter().rev() {
                            queue.push_front(c);
                        }
                    }
                }
            }
        }
    }
    match stack.pop() {
        Some(fd) => Ok(fd),
        None => Ok(openat(root, c".", STEP, Mode::empty())?),
    }
}

/// The result of one step of the walk.
enum Step {
    /// The name is a directory, opened.
    Dir(OwnedFd),
    /// The name is a symlink with this target.
    Link(Vec<u8>),
}

/// Opens one name beneath `cur` without following it; reads it if it is a symlink.
fn step(cur: BorrowedFd<'_>, name: &[u8]) -> Result<Step, Errno> {
    match openat(cur, name, STEP, Mode::empty()) {
        Ok(fd) => Ok(Step::Dir(fd)),
        Err(e) if e == rustix::io::Errno::NOTDIR || e == rustix::io::Errno::LOOP => {
            match read_link(cur, name) {
                Ok(target) => Ok(Step::Link(target)),
                Err(Errno::INVAL) => Err(Errno::NOTDIR),
                Err(other) => Err(other),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// Reads a symlink's target, bounded by `PATH_MAX`.
///
/// # Errors
/// `INVAL` when `name` is not a symlink, `NAMETOOLONG` for an oversized target.
pub(crate) fn read_link(dir: BorrowedFd<'_>, name: &[u8]) -> Result<Vec<u8>, Errno> {
    let mut buf = Vec::with_capacity(crate::guest_path::MAX_PATH + 1);
    let n = rustix::fs::readlinkat_raw(dir, name, rustix::buffer::spare_capacity(&mut buf))?;
    if n > crate::guest_path::MAX_PATH {
        return Err(Errno::NAMETOOLONG);
    }
    Ok(buf)
}
