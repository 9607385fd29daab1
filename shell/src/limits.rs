//! The bounds of one exec's shell, and the counters shared by all its forks: the memory
//! budget and the process counts.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::ShellError;

/// Bounds of a script; `Default` holds the documented defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of function calls, `eval`, `source` and substitutions. Default 200.
    pub max_depth: usize,
    /// Deepest syntactic nesting the parser accepts (`{ { ...`, `$( $( ...`). Default 150.
    pub max_nesting: usize,
    /// Bytes of variables, expansion results, here-documents and captures. Default 64 MiB.
    pub max_memory: usize,
    /// Processes (guests and internal) alive at once, unreaped included. Default 64.
    pub max_processes_alive: usize,
    /// Processes started over the whole exec. Default 20 000.
    pub max_processes_total: usize,
    /// Largest script text (`-c`, file or stdin). Default 4 MiB.
    pub max_script_bytes: usize,
    /// Directory entries one pathname expansion may look at. Default 1 000 000.
    pub max_glob_entries: usize,
    /// Bytes a pipe holds before writers block. Default 64 KiB (Linux's pipe size).
    pub pipe_capacity: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 200,
            max_nesting: 150,
            max_memory: 64 << 20,
            max_processes_alive: 64,
            max_processes_total: 20_000,
            max_script_bytes: 4 << 20,
            max_glob_entries: 1_000_000,
            pipe_capacity: 64 << 10,
        }
    }
}

/// The memory budget shared by every fork of one exec's shell.
#[derive(Debug)]
pub(crate) struct Budget {
    used: AtomicUsize,
    limit: usize,
}

impl Budget {
    pub fn new(limit: usize) -> Self {
        Self {
            used: AtomicUsize::new(0),
            limit,
        }
    }

    /// Charges `n` bytes that stay until [`Budget::release`].
    pub fn charge(&self, n: usize) -> Result<(), ShellError> {
        let before = self.used.fetch_add(n, Ordering::SeqCst);
        if before.saturating_add(n) > self.limit {
            self.used.fetch_sub(n, Ordering::SeqCst);
            return Err(self.error());
        }
        Ok(())
    }

    /// Returns `n` charged bytes.
    pub fn release(&self, n: usize) {
        let _ = self
            .used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |u| {
                Some(u.saturating_sub(n))
            });
    }

    /// Checks that a transient value of `n` bytes fits beside what is charged.
    pub fn check(&self, n: usize) -> Result<(), ShellError> {
        if self.used.load(Ordering::SeqCst).saturating_add(n) > self.limit {
            return Err(self.error());
        }
        Ok(())
    }

    /// Room left, for bounding captures.
    pub fn remaining(&self) -> usize {
        self.limit.saturating_sub(self.used.load(Ordering::SeqCst))
    }

    fn error(&self) -> ShellError {
        ShellError::MemoryLimit { limit: self.limit }
    }
}

/// Processes alive (started, not yet reaped) and started in total, over every fork.
#[derive(Debug, Default)]
pub(crate) struct ProcessCounts {
    alive: AtomicUsize,
    total: AtomicUsize,
}

impl ProcessCounts {
    /// Admits one more process (counter-then-check, rolled back on refusal).
    pub fn admit(&self, limits: &Limits) -> Result<(), ShellError> {
        let total = self.total.fetch_add(1, Ordering::SeqCst) + 1;
        if total > limits.max_processes_total {
            return Err(ShellError::ProcessLimit {
                which: "in total",
                limit: limits.max_processes_total,
            });
        }
        let alive = self.alive.fetch_add(1, Ordering::SeqCst) + 1;
        if alive > limits.max_processes_alive {
            self.alive.fetch_sub(1, Ordering::SeqCst);
            return Err(ShellError::ProcessLimit {
                which: "alive at once",
                limit: limits.max_processes_alive,
            });
        }
        Ok(())
    }

    /// One process was reaped (or never started).
    pub fn reaped(&self) {
        let _ = self
            .alive
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |a| {
                Some(a.saturating_sub(1))
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_refuses_past_limit_and_rolls_back() {
        let b = Budget::new(10);
        assert!(b.charge(8).is_ok());
        assert!(b.charge(3).is_err());
        assert_eq!(b.remaining(), 2);
        b.release(8);
        assert!(b.charge(10).is_ok());
    }

    #[test]
    fn alive_limit_counts_unreaped() {
        let limits = Limits {
            max_processes_alive: 2,
            ..Limits::default()
        };
        let c = ProcessCounts::default();
        assert!(c.admit(&limits).is_ok());
        assert!(c.admit(&limits).is_ok());
        assert!(c.admit(&limits).is_err());
        c.reaped();
        assert!(c.admit(&limits).is_ok());
    }
}
