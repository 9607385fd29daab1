//! The snapshot gate: at most one snapshot blob has live isolates in this process at any moment.
//!
//! V8 15.2 shares one read-only heap between isolates, and a userland snapshot extends it: an
//! isolate from V8's built-in blob alive next to one from our blob (or from two different
//! blobs) crashes the process, even when `Isolate::new` calls are serialised. So every isolate —
//! exec, warm worker, snapshot creator — holds a [`GateGuard`] for its [`BlobKind`] from before
//! creation until after disposal. Entering with another kind waits until the live count drops
//! to zero; the switch happens only then.
//!
//! A waiting switch holds back new entries of the old kind for at most `patience`, so the old
//! kind drains under steady load; a guest that keeps an old isolate alive longer makes the
//! waiter fall back to the old kind, and later switches are not attempted for `RETRY_AFTER`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use agentos_snapshots::Digest;
use parking_lot::{Condvar, Mutex};

/// After a failed switch, requests take the fallback at once for this long.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// Which blob an isolate is restored from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlobKind {
    /// V8's built-in snapshot (the runner is evaluated inline). Snapshot creators are this kind.
    Builtin,
    /// Our userland snapshot with this digest.
    Userland(Digest),
}

#[derive(Debug)]
struct State {
    current: Option<BlobKind>,
    live: usize,
    /// Requests waiting to switch to `switching_to`; while non-zero, other kinds are held back.
    switch_waiters: usize,
    switching_to: Option<BlobKind>,
    retry_at: Option<Instant>,
}

impl State {
    fn admits(&self, kind: BlobKind) -> bool {
        self.live == 0 || self.current == Some(kind)
    }
}

/// The gate (one per engine, and one engine per process).
pub struct SnapshotGate {
    state: Mutex<State>,
    drained: Condvar,
}

/// Proof that an isolate of `kind` may be alive; drop it after the isolate is disposed.
#[must_use = "the guard must outlive the isolate"]
pub struct GateGuard {
    gate: Arc<SnapshotGate>,
    kind: BlobKind,
}

impl GateGuard {
    /// The kind this guard admits.
    pub fn kind(&self) -> BlobKind {
        self.kind
    }
}

impl Drop for GateGuard {
    fn drop(&mut self) {
        let mut state = self.gate.state.lock();
        state.live -= 1;
        if state.live == 0 {
            self.gate.drained.notify_all();
        }
    }
}

impl Default for SnapshotGate {
    fn default() -> Self {
        Self::new()
    }
}

impl SnapshotGate {
    /// A gate with no live isolates.
    pub const fn new() -> Self {
        Self {
            state: Mutex::new(State {
                current: None,
                live: 0,
                switch_waiters: 0,
                switching_to: None,
                retry_at: None,
            }),
            drained: Condvar::new(),
        }
    }

    fn admit(self: &Arc<Self>, state: &mut State, kind: BlobKind) -> GateGuard {
        if state.live == 0 && state.current != Some(kind) {
            tracing::debug!(from = ?state.current, to = ?kind, "blob gate switches");
            state.current = Some(kind);
        }
        state.live += 1;
        GateGuard {
            gate: self.clone(),
            kind,
        }
    }

    /// Enters with `kind` if that needs no wait.
    pub fn try_enter(self: &Arc<Self>, kind: BlobKind) -> Option<GateGuard> {
        let mut state = self.state.lock();
        let blocked_by_switch =
            state.switch_waiters > 0 && state.switching_to.is_some_and(|k| k != kind);
        (state.admits(kind) && !blocked_by_switch).then(|| self.admit(&mut state, kind))
    }

    /// Enters with `kind`, waiting as long as it takes for other kinds to drain.
    pub fn enter(self: &Arc<Self>, kind: BlobKind) -> GateGuard {
        let mut state = self.state.lock();
        while !state.admits(kind) {
            self.drained.wait(&mut state);
        }
        self.admit(&mut state, kind)
    }

    /// Enters with `preferred` if it can within `patience`, else with `fallback` (the kind
    /// currently live, which is then admitted at once).
    pub fn enter_preferring(
        self: &Arc<Self>,
        preferred: BlobKind,
        fallback: BlobKind,
        patience: Duration,
    ) -> GateGuard {
        let mut state = self.state.lock();
        if state.admits(preferred) {
            return self.admit(&mut state, preferred);
        }
        let retry_blocked = state.retry_at.is_some_and(|t| Instant::now() < t);
        if !retry_blocked && state.current == Some(fallback) {
            let deadline = Instant::now() + patience;
            state.switching_to = Some(preferred);
            state.switch_waiters += 1;
            while !state.admits(preferred) {
                if self.drained.wait_until(&mut state, deadline).timed_out() {
                    break;
                }
            }
            state.switch_waiters -= 1;
            if state.admits(preferred) {
                state.retry_at = None;
                return self.admit(&mut state, preferred);
            }
            state.retry_at = Some(Instant::now() + RETRY_AFTER);
            tracing::debug!("switch to {preferred:?} postponed: {fallback:?} isolates still live");
        }
        while !state.admits(fallback) && !state.admits(preferred) {
            self.drained.wait(&mut state);
        }
        let kind = if state.admits(preferred) {
            preferred
        } else {
            fallback
        };
        self.admit(&mut state, kind)
    }
}
