//! Process ids: one number space per exec tree, so a pid means the same process to every guest
//! of the tree. The root guest or script is pid 1 (`process.pid`, `$$`); each process it or its
//! descendants start (a script's commands and subshells, `child_process` children, theirs)
//! takes the next number, which its parent sees (`$!`, `child.pid`) and it sees as its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// The pid of the root of an exec tree.
pub const ROOT_PID: u32 = 1;

/// The pid source of one exec tree.
#[derive(Debug)]
pub struct Pids(AtomicU32);

impl Pids {
    /// A fresh number space: the first process started gets `ROOT_PID + 1`.
    pub fn new() -> Arc<Self> {
        Arc::new(Self(AtomicU32::new(ROOT_PID + 1)))
    }

    /// The next unused pid (it stops at `u32::MAX`, far past any tree's process bound).
    pub fn next(&self) -> u32 {
        let next = self
            .0
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                Some(n.saturating_add(1))
            });
        next.unwrap_or(u32::MAX)
    }
}

/// Who a guest is: its pid and its parent's (`process.pid`/`ppid`, `$$`/`$PPID`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessIds {
    /// Its own pid.
    pub pid: u32,
    /// Its parent's pid; 0 for the root (the host is outside the tree).
    pub ppid: u32,
}

impl Default for ProcessIds {
    /// The root of an exec tree.
    fn default() -> Self {
        Self {
            pid: ROOT_PID,
            ppid: 0,
        }
    }
}

impl ProcessIds {
    /// The ids of a process `self` starts as `pid`.
    pub fn child(self, pid: u32) -> Self {
        Self {
            pid,
            ppid: self.pid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pids_follow_the_root() {
        let pids = Pids::new();
        assert_eq!((pids.next(), pids.next()), (ROOT_PID + 1, ROOT_PID + 2));
        let child = ProcessIds::default().child(7);
        assert_eq!(child, ProcessIds { pid: 7, ppid: 1 });
    }
}
