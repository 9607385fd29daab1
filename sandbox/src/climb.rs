//! `..` above a mount: `ls /w/..`, `cd /w/sub && ls ../..`, `cat /usr/bin/../lib/x`.
//!
//! wasi-libc hands the sandbox a path relative to the preopen whose guest name is the longest
//! prefix of the absolute path it built (the working directory joined with a relative path,
//! `..` kept). A path that climbs above that preopen's directory names, on a real system,
//! something of the directory the mount point lies in (`/w/..` is `/`), which another preopen
//! serves (the synthetic root at least). [`Sandbox::located`] gives that preopen and the path
//! beneath it: the climb leaves the mount point lexically (a mount point is a guest name, not a
//! directory of the host), and only when the components before the climb are real directories,
//! not symlinks, so that climbing lexically is what the kernel would do.
//!
//! Above the synthetic root (`root.rs`) is the root itself, as on a real system (`ls /..`).
//!
//! Everything else is resolved as given, where a climb out stays [`crate::Errno::ESCAPE`]: a
//! symlink or missing directory before the climb, a climb from a host's own preopen at `/`
//! (`/..` is an escape there, as WASI's own tests expect), no preopen covering the result. Only the guest's
//! own preopens are ever chosen, each with its own rights and read-only flag.

use std::borrow::Cow;

use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::Mode;

use crate::Sandbox;
use crate::table::Entry;

/// Reroutes applied to one path at most (a climb out of the preopen a reroute chose).
const MAX_REROUTES: usize = 4;

impl Sandbox {
    /// The preopen and path `path` (relative to `fd`) names when it climbs above `fd`'s
    /// preopen; `(fd, path)` unchanged otherwise (see the module's documentation).
    pub(crate) fn located<'p>(&self, fd: u32, path: &'p [u8]) -> (u32, Cow<'p, [u8]>) {
        let mut at = (fd, Cow::Borrowed(path));
        if !path.windows(2).any(|w| w == b"..") {
            return at;
        }
        for _ in 0..MAX_REROUTES {
            match self.rerouted(at.0, &at.1) {
                Some(next) => at = next,
                None => break,
            }
        }
        at
    }

    /// One reroute of `path` beneath preopen `fd`, if it climbs above it.
    fn rerouted(&self, fd: u32, path: &[u8]) -> Option<(u32, Cow<'static, [u8]>)> {
        let Ok(Entry::Dir(dir)) = self.table.get(fd) else {
            return None;
        };
        let mount = mount_point(dir.preopen.as_deref()?);
        if mount.is_empty() && self.root.is_none() {
            return None;
        }
        let comps: Vec<&[u8]> = (path.split(|&b| b == b'/'))
            .filter(|c| !c.is_empty())
            .collect();
        let climb = climb_at(&comps)?;
        if !real_dirs(dir.fd.as_fd(), &comps[..climb]) {
            return None;
        }
        let mut rest = &comps[climb..];
        let mut up = 0;
        while let Some((first, more)) = rest.split_first()
            && matches!(*first, b"." | b"..")
        {
            up += usize::from(*first == b"..");
            rest = more;
        }
        let base = &mount[..mount.len().saturating_sub(up)];
        let target: Vec<&[u8]> = (base.iter().map(String::as_bytes))
            .chain(rest.iter().copied())
            .collect();
        let (new_fd, depth) = self.covering(&target)?;
        let mut joined = target[depth..].join(&b'/');
        if joined.is_empty() {
            joined.push(b'.');
        }
        if path.ends_with(b"/") {
            joined.push(b'/');
        }
        Some((new_fd, Cow::Owned(joined)))
    }

    /// The preopen whose mount point is the longest prefix of `target`'s leading names (never
    /// past a `.` or `..`), with that prefix's length.
    fn covering(&self, target: &[&[u8]]) -> Option<(u32, usize)> {
        let names = target
            .iter()
            .take_while(|c| !matches!(**c, b"." | b".."))
            .count();
        let mut best: Option<(u32, usize)> = None;
        for (fd, guest) in self.table.preopens() {
            let point = mount_point(guest);
            let fits =
                point.len() <= names && point.iter().zip(target).all(|(p, t)| p.as_bytes() == *t);
            if fits && best.is_none_or(|(_, len)| point.len() > len) {
                best = Some((fd, point.len()));
            }
        }
        best
    }
}

/// A preopen's guest name as components (`.` and empty ones dropped, `..` taken lexically).
fn mount_point(guest: &str) -> Vec<String> {
    let mut comps: Vec<String> = Vec::new();
    for comp in guest.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                comps.pop();
            }
            name => comps.push(name.to_owned()),
        }
    }
    comps
}

/// The index of the first `..` that climbs above the start of `comps`, lexically.
fn climb_at(comps: &[&[u8]]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, comp) in comps.iter().enumerate() {
        match *comp {
            b"." => {}
            b".." if depth == 0 => return Some(i),
            b".." => depth -= 1,
            _ => depth += 1,
        }
    }
    None
}

/// Whether every name of `comps` (which never climb above `root`) is a directory beneath
/// `root` reached without a symlink.
fn real_dirs(root: BorrowedFd<'_>, comps: &[&[u8]]) -> bool {
    let mut stack: Vec<OwnedFd> = Vec::new();
    for comp in comps {
        match *comp {
            b"." => {}
            b".." => {
                stack.pop();
            }
            name => {
                let cur = stack.last().map_or(root, AsFd::as_fd);
                match rustix::fs::openat(cur, name, crate::walk::STEP, Mode::empty()) {
                    Ok(fd) => stack.push(fd),
                    Err(_) => return false,
                }
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_climb_above_the_start_is_found() {
        let comps = |p: &'static str| -> Vec<&'static [u8]> {
            p.split('/')
                .filter(|c| !c.is_empty())
                .map(str::as_bytes)
                .collect()
        };
        assert_eq!(climb_at(&comps("..")), Some(0));
        assert_eq!(climb_at(&comps("./sub/../../x")), Some(3));
        assert_eq!(climb_at(&comps("a/b/../c")), None);
    }

    #[test]
    fn a_mount_point_is_read_lexically() {
        assert_eq!(mount_point("/work/./p/"), ["work", "p"]);
        assert_eq!(mount_point("/a/../b"), ["b"]);
        assert!(mount_point("/").is_empty());
    }
}
