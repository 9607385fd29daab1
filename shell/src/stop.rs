//! Stopping a running script from another thread.
//!
//! ```text
//!   Stop (exec-wide root)  ── stop(cause) by the engine: Kill, timeout, CPU limit
//!     └─ child Stop per internal process (pipeline stage, background job) ── kill(pid)
//! ```
//! The interpreter checks its [`Stop`] before every command and in every loop; blocking
//! streams check it while they wait. A child is stopped when it or any ancestor is.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Why a script was stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopCause {
    /// Killed by signal N (the exec's `Kill`, or `kill` of an internal process).
    Signal(i32),
    /// The engine stopped the exec for its own reason (timeout, CPU limit, ...).
    Engine(String),
}

#[derive(Debug)]
struct Node {
    stopped: AtomicBool,
    cause: Mutex<Option<StopCause>>,
    parent: Option<Arc<Node>>,
}

/// A stop flag shared between the thread running a script and whoever may stop it.
#[derive(Debug, Clone)]
pub struct Stop {
    node: Arc<Node>,
}

impl Default for Stop {
    fn default() -> Self {
        Self::new()
    }
}

impl Stop {
    /// A fresh root flag (one per exec).
    pub fn new() -> Self {
        Self {
            node: Arc::new(Node {
                stopped: AtomicBool::new(false),
                cause: Mutex::new(None),
                parent: None,
            }),
        }
    }

    /// A flag stopped with this one, that can also be stopped alone (an internal process).
    pub fn child(&self) -> Self {
        Self {
            node: Arc::new(Node {
                stopped: AtomicBool::new(false),
                cause: Mutex::new(None),
                parent: Some(self.node.clone()),
            }),
        }
    }

    /// Stops this flag (and every child) for `cause`; the first cause is kept.
    pub fn stop(&self, cause: StopCause) {
        if let Ok(mut slot) = self.node.cause.lock()
            && slot.is_none()
        {
            *slot = Some(cause);
        }
        self.node.stopped.store(true, Ordering::SeqCst);
    }

    /// Whether this flag or an ancestor is stopped.
    pub fn is_stopped(&self) -> bool {
        let mut node = Some(&self.node);
        while let Some(n) = node {
            if n.stopped.load(Ordering::Relaxed) {
                return true;
            }
            node = n.parent.as_ref();
        }
        false
    }

    /// The cause of the nearest stopped flag, this one first.
    pub fn cause(&self) -> Option<StopCause> {
        let mut node = Some(&self.node);
        while let Some(n) = node {
            if n.stopped.load(Ordering::SeqCst) {
                return n.cause.lock().ok().and_then(|c| c.clone());
            }
            node = n.parent.as_ref();
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_sees_parent_stop() {
        let root = Stop::new();
        let child = root.child();
        assert!(!child.is_stopped());
        root.stop(StopCause::Signal(9));
        assert!(child.is_stopped());
        assert_eq!(child.cause(), Some(StopCause::Signal(9)));
    }

    #[test]
    fn child_stops_alone() {
        let root = Stop::new();
        let child = root.child();
        child.stop(StopCause::Signal(15));
        assert!(!root.is_stopped());
        assert_eq!(child.cause(), Some(StopCause::Signal(15)));
    }
}
