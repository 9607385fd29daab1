//! The process bounds of one exec's tree (the root guest or script, the guests a script runs,
//! `child_process` children, theirs, in any mix of `sh`, `node` and WASI commands): alive at
//! once and in total. Going past a bound stops the root exec with `PROCESS_LIMIT`. It travels
//! in the job's [`Setting`](super::Setting), so a child's children count against the same
//! bounds; the root creates it (a script in `shell::run`, a JS guest with its first child).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use agentos_shell::SpawnError;

use super::pids::Pids;
use crate::outcome::StopCause;
use crate::stopper::Stopper;

/// Child processes alive at once in one exec's tree: each is an isolate, which reserves
/// hundreds of MiB of address space (V8's code range), so few.
pub const MAX_ALIVE: usize = 8;
/// Child processes started in all by one exec's tree.
pub const MAX_TOTAL: usize = 4096;

/// The process bounds of one exec's tree.
pub struct Family {
    alive: AtomicUsize,
    total: AtomicUsize,
    /// The tree's process ids.
    pids: Arc<Pids>,
    /// The root job's stop switch: a bound passed stops the whole tree.
    root: Arc<Stopper>,
}

impl std::fmt::Debug for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Family")
            .field("alive", &self.alive)
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl Family {
    pub(crate) fn new(root: Arc<Stopper>) -> Arc<Self> {
        Arc::new(Self {
            alive: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            pids: Pids::new(),
            root,
        })
    }

    /// The tree's process ids.
    pub(crate) fn pids(&self) -> &Arc<Pids> {
        &self.pids
    }

    /// Counts one more process; past a bound the root exec is stopped and `Err` names it.
    pub(crate) fn admit(&self) -> Result<(), SpawnError> {
        let total = self.total.fetch_add(1, Ordering::AcqRel) + 1;
        let alive = self.alive.fetch_add(1, Ordering::AcqRel) + 1;
        let over = if alive > MAX_ALIVE {
            Some(("alive at once", MAX_ALIVE))
        } else if total > MAX_TOTAL {
            Some(("in total", MAX_TOTAL))
        } else {
            None
        };
        let Some((which, limit)) = over else {
            return Ok(());
        };
        self.exited();
        self.stop_root(which, limit);
        Err(SpawnError::Other(format!(
            "process limit: at most {limit} child processes {which}"
        )))
    }

    /// Stops the root exec with `PROCESS_LIMIT`: a bound passed anywhere in the tree (also a
    /// shell's own bound on its subshells, in a shell that is a child of another guest).
    pub(crate) fn stop_root(&self, which: &'static str, limit: usize) {
        self.root.stop(StopCause::Processes { which, limit });
    }

    pub(crate) fn exited(&self) {
        let _ = self
            .alive
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                Some(n.saturating_sub(1))
            });
    }
}
