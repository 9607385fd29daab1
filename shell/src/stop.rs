//! Stopping a running script from another thread.
//!
//! ```text
//!   Stop (exec-wide root)  ── stop(cause) by the engine: Kill, timeout, CPU limit
//!     └─ child Stop per internal process (pipeline stage, background job) ── kill(pid)
//! ```
//! The interpreter checks its [`Stop`] before every command and in every loop; blocking
//! streams check it while they wait. A child is stopped when it or any ancestor is.
//!
//! A signal the process traps (`trap ACTION TERM`, or ignores: `trap '' TERM`) is not a stop:
//! [`Stop::deliver`] leaves it pending, and the interpreter runs its trap before its next
//! command ([`Stop::take_pending`]). Nor is one it does not trap while it has an EXIT trap: as
//! bash, it runs that trap and then dies of the signal ([`Stop::died_of`]).

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
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
    /// Signals this process traps or ignores (bit N: signal N).
    trapped: AtomicU64,
    /// Trapped signals delivered and not yet handled.
    pending: AtomicU64,
    /// Whether the process has an EXIT trap (set only by the process that owns this flag).
    exit_trapped: AtomicBool,
    /// A deferred signal the process has not yet taken (0: none): what it waits for gets it.
    dying: AtomicI32,
    /// The signal the process died of once it ran its EXIT trap (0: none).
    died_of: AtomicI32,
}

impl Node {
    fn new(parent: Option<Arc<Node>>) -> Arc<Self> {
        Arc::new(Node {
            stopped: AtomicBool::new(false),
            cause: Mutex::new(None),
            parent,
            trapped: AtomicU64::new(0),
            pending: AtomicU64::new(0),
            exit_trapped: AtomicBool::new(false),
            dying: AtomicI32::new(0),
            died_of: AtomicI32::new(0),
        })
    }
}

/// Bit N for a signal a process may trap (not SIGKILL or SIGSTOP); 0 otherwise.
fn trappable_bit(signal: i32) -> u64 {
    match signal {
        1..=63 if signal != 9 && signal != 19 => 1 << signal,
        _ => 0,
    }
}

/// How [`Stop::deliver`] took a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The process traps or ignores it: its action runs before the next command.
    Trapped,
    /// The process does not trap it but has an EXIT trap: before its next command it runs that
    /// trap and dies of the signal. (Whoever sent it should signal the processes the script
    /// waits for, or it waits for them first.)
    Deferred,
    /// Neither: the caller stops the process.
    Refused,
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
            node: Node::new(None),
        }
    }

    /// A flag stopped with this one, that can also be stopped alone (an internal process).
    pub fn child(&self) -> Self {
        Self {
            node: Node::new(Some(self.node.clone())),
        }
    }

    /// Whether `other` is this same flag (an in-memory subshell shares its parent's).
    pub fn same(&self, other: &Stop) -> bool {
        Arc::ptr_eq(&self.node, &other.node)
    }

    /// The process traps (or ignores) `signal` from now on, or no longer.
    pub fn set_trapped(&self, signal: i32, on: bool) {
        let bit = trappable_bit(signal);
        match on {
            true => self.node.trapped.fetch_or(bit, Ordering::SeqCst),
            false => self.node.trapped.fetch_and(!bit, Ordering::SeqCst),
        };
    }

    /// The process has an EXIT trap from now on, or no longer.
    pub fn set_exit_trapped(&self, on: bool) {
        self.node.exit_trapped.store(on, Ordering::SeqCst);
    }

    /// Delivers `signal`: pending until the process's next command when it traps the signal or
    /// has an EXIT trap to run first.
    pub fn deliver(&self, signal: i32) -> Delivery {
        let bit = trappable_bit(signal);
        let delivery = if bit == 0 {
            Delivery::Refused
        } else if self.node.trapped.load(Ordering::SeqCst) & bit != 0 {
            Delivery::Trapped
        } else if self.node.exit_trapped.load(Ordering::SeqCst) {
            Delivery::Deferred
        } else {
            Delivery::Refused
        };
        if delivery == Delivery::Deferred {
            let _ =
                (self.node.dying).compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
        }
        if delivery != Delivery::Refused {
            self.node.pending.fetch_or(bit, Ordering::SeqCst);
        }
        delivery
    }

    /// A deferred signal not yet taken: a process the shell waits for meanwhile should get it
    /// (it may have started after the signal came).
    pub fn dying(&self) -> Option<i32> {
        match self.node.dying.load(Ordering::SeqCst) {
            0 => None,
            signal => Some(signal),
        }
    }

    /// Records that the process dies of `signal` once its EXIT trap has run (whose commands run
    /// as usual: the deferred signal is taken).
    pub fn set_died_of(&self, signal: i32) {
        self.node.dying.store(0, Ordering::SeqCst);
        self.node.died_of.store(signal, Ordering::SeqCst);
    }

    /// The signal the process died of after its EXIT trap, if it did.
    pub fn died_of(&self) -> Option<i32> {
        match self.node.died_of.load(Ordering::SeqCst) {
            0 => None,
            signal => Some(signal),
        }
    }

    /// Takes the pending trapped signals (bit N: signal N).
    pub fn take_pending(&self) -> u64 {
        if self.node.pending.load(Ordering::Relaxed) == 0 {
            return 0;
        }
        self.node.pending.swap(0, Ordering::SeqCst)
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
    fn a_trapped_signal_is_pending_not_a_stop() {
        let stop = Stop::new();
        assert_eq!(stop.deliver(15), Delivery::Refused);
        stop.set_trapped(15, true);
        assert_eq!(stop.deliver(15), Delivery::Trapped);
        assert!(!stop.is_stopped());
        assert_eq!(stop.take_pending(), 1 << 15);
        assert_eq!(stop.take_pending(), 0);
        stop.set_trapped(9, true);
        assert_eq!(
            stop.deliver(9),
            Delivery::Refused,
            "SIGKILL is never trapped"
        );
    }

    #[test]
    fn an_exit_trap_defers_an_untrapped_signal() {
        let stop = Stop::new();
        stop.set_exit_trapped(true);
        assert_eq!(stop.deliver(2), Delivery::Deferred);
        assert_eq!(stop.dying(), Some(2));
        assert_eq!(stop.take_pending(), 1 << 2);
        assert_eq!(stop.deliver(9), Delivery::Refused, "SIGKILL still stops it");
        stop.set_exit_trapped(false);
        assert_eq!(stop.deliver(15), Delivery::Refused);
        assert_eq!(stop.died_of(), None);
        stop.set_died_of(15);
        assert_eq!(stop.died_of(), Some(15));
        assert_eq!(stop.dying(), None, "the EXIT trap's commands run as usual");
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
