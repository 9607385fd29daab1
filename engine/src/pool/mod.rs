//! The warm pool: parked workers, each holding a prepared isolate (restored from the snapshot,
//! context created, runner found), keyed by (blob kind, heap limit). A job claims one; the pool
//! refills in the background. A miss prepares an isolate on the spot: same behaviour, slower.
//!
//! ```text
//! slots[(Userland(d), heap_mb)] = { parked: [tx, tx], starting: 0 }   capacity: warm isolates
//!        claim -> pop tx -> tx.send(task) -> worker wakes and runs it -> refill()
//! ```
//! A refill started by a claim (or a miss) waits for its [`Cue`]: the job that emptied the slot
//! reporting its exit, or [`REFILL_PATIENCE`](crate::worker::REFILL_PATIENCE) for a longer one. Preparing an isolate is ~1.5 ms
//! of CPU; on 2 cores, doing it while the job ran put a 2-3 ms tail on one warm exec in ten
//! (`agentos-bench`, settled `node -e ''` p95 1.9-2.6 -> 0.37-0.52 ms with the wait).
//! Only the mode's steady-state kind is pooled (`off`: built-in; `auto`/`block`: the snapshot),
//! and a worker is only started when the snapshot gate admits its kind without waiting.
//! A refill after a WASI command also instantiates that command before parking ([`prewarm`]);
//! a claim prefers a worker prepared with the module its job will probably run.

pub mod prewarm;
mod slots;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;
use parking_lot::{Condvar, Mutex};

use crate::error::PrepareError;
use crate::guest::Guest;
use crate::isolates::{Isolates, SnapshotMode};
use crate::modules::{CompiledSlot, Variant};
use crate::snapshot_gate::BlobKind;
use crate::worker::{self, AfterDispose, Cue, Task};

pub use slots::Slots;

/// Parked workers per key unless configured otherwise.
pub const DEFAULT_WARM_ISOLATES: usize = 2;

/// Distinct keys the pool keeps workers for.
pub const MAX_KEYS: usize = 8;

/// A job's task that gives the cue once it has reported.
struct Cued {
    task: Box<dyn Task>,
    _cue: Sender<()>,
}

impl Task for Cued {
    fn run(self: Box<Self>, guest: Result<&mut Guest<'_, '_, '_>, PrepareError>) -> AfterDispose {
        let Cued { task, _cue } = *self;
        task.run(guest)
    }
}

/// What a parked worker was prepared for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PoolKey {
    /// The blob its isolate was restored from.
    pub kind: BlobKind,
    /// Its heap limit in MiB.
    pub heap_mb: u32,
}

/// Counters, for stats and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStats {
    /// Jobs that found a parked worker.
    pub hits: u64,
    /// Jobs that prepared an isolate on the spot.
    pub misses: u64,
    /// Workers parked right now, over all keys.
    pub parked: u64,
}

/// A parked worker: how to hand it a task, and what it instantiated ahead.
struct Parked {
    tx: Sender<Box<dyn Task>>,
    prepared: Option<CompiledSlot>,
}

/// The engine's warm pool.
pub struct WarmPool {
    isolates: Arc<Isolates>,
    slots: Mutex<Slots<PoolKey, Parked>>,
    parked_changed: Condvar,
    hits: AtomicU64,
    misses: AtomicU64,
    me: Weak<WarmPool>,
}

impl WarmPool {
    /// A pool of `capacity` parked workers per key, preparing isolates from `isolates`.
    pub fn new(isolates: Arc<Isolates>, capacity: usize) -> Arc<Self> {
        Arc::new_cyclic(|me| Self {
            isolates,
            slots: Mutex::new(Slots::new(capacity, MAX_KEYS)),
            parked_changed: Condvar::new(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            me: me.clone(),
        })
    }

    /// Runs `task` on a parked worker if one fits (preferring one that instantiated `guess`, the
    /// module the task will probably run), else on a fresh one; the refill prepares `guess`.
    ///
    /// # Errors
    /// The task comes back when no worker thread can be started.
    pub fn dispatch(
        &self,
        task: Box<dyn Task>,
        heap_mb: u32,
        guess: Option<Arc<Variant>>,
    ) -> Result<(), Box<dyn Task>> {
        let key = self.key(heap_mb);
        let (cue_tx, cue_rx) = crossbeam_channel::bounded(0);
        let cue = Some(Cue::new(cue_rx));
        let mut task: Box<dyn Task> = Box::new(Cued { task, _cue: cue_tx });
        loop {
            // Its own statement: the slots' lock must be released before the refill below.
            let claimed = (self.slots.lock())
                .claim_preferring(key, |p| prewarm::suits(&p.prepared, guess.as_ref()));
            let Some(parked) = claimed else { break };
            match parked.tx.send(task) {
                Ok(()) => {
                    self.hits.fetch_add(1, Ordering::Relaxed);
                    self.refill_after(heap_mb, cue, guess);
                    return Ok(());
                }
                Err(returned) => task = returned.into_inner(),
            }
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let done = self.on_worker_done(heap_mb);
        let spawned = worker::spawn_with_task(self.isolates.clone(), heap_mb, task, done);
        self.refill_after(heap_mb, cue, guess);
        spawned.map_err(|(e, task)| {
            tracing::error!("cannot start a worker thread: {e}");
            task
        })
    }

    fn key(&self, heap_mb: u32) -> PoolKey {
        PoolKey {
            kind: self.isolates.target(),
            heap_mb,
        }
    }

    /// Starts workers until the key for `heap_mb` has the pool's capacity parked or starting.
    pub fn refill(&self, heap_mb: u32) {
        self.refill_after(heap_mb, None, None);
    }

    /// As [`Self::refill`], the new workers preparing only after `cue`, and instantiating
    /// `prewarm` (when its code is compiled by then) before they park.
    fn refill_after(&self, heap_mb: u32, cue: Option<Cue>, prewarm: Option<Arc<Variant>>) {
        let key = self.key(heap_mb);
        if !self.pooled(key.kind) {
            return;
        }
        let planned = self.slots.lock().plan_refill(key);
        for started in 0..planned {
            let Some(guard) = self.isolates.try_enter(key.kind) else {
                self.unstart(key, planned - started);
                return;
            };
            let me = self.me.clone();
            let register = Box::new(move |ready: Option<worker::Ready>| {
                let Some(pool) = me.upgrade() else { return };
                match ready {
                    Some((tx, prepared)) => pool.park(key, Parked { tx, prepared }),
                    None => pool.unstart(key, 1),
                }
            });
            let done = self.on_worker_done(key.heap_mb);
            let park = worker::Park {
                register,
                cue: cue.clone(),
                prewarm: prewarm.clone(),
            };
            let spawned =
                worker::spawn_parked(self.isolates.clone(), guard, key.heap_mb, park, done);
            if let Err(e) = spawned {
                tracing::warn!("cannot start a warm worker: {e}");
                self.unstart(key, planned - started);
                return;
            }
        }
    }

    fn unstart(&self, key: PoolKey, count: usize) {
        let mut slots = self.slots.lock();
        for _ in 0..count {
            slots.unstart(key);
        }
    }

    fn park(&self, key: PoolKey, tx: Parked) {
        // Once retired, dropping `tx` sends the worker home.
        if self.slots.lock().park(key, tx).is_ok() {
            self.parked_changed.notify_all();
        }
    }

    /// What a worker does after its isolate is gone: refill its key.
    fn on_worker_done(&self, heap_mb: u32) -> worker::Done {
        let me = self.me.clone();
        Box::new(move || {
            if let Some(pool) = me.upgrade() {
                pool.refill(heap_mb);
            }
        })
    }

    /// Waits until `heap_mb`'s key has the pool's full capacity parked, at most `patience`;
    /// true if it has (or if its kind is not pooled at all).
    pub fn wait_filled(&self, heap_mb: u32, patience: Duration) -> bool {
        let deadline = Instant::now() + patience;
        let key = self.key(heap_mb);
        if !self.pooled(key.kind) {
            return true;
        }
        let mut slots = self.slots.lock();
        while slots.parked_for(key) < slots.capacity() {
            if self
                .parked_changed
                .wait_until(&mut slots, deadline)
                .timed_out()
            {
                return false;
            }
        }
        true
    }

    /// Sends one parked worker home (it disposes its isolate, giving its memory back); false
    /// when none is parked.
    pub fn evict_one(&self) -> bool {
        let evicted = self.slots.lock().evict();
        evicted.is_some()
    }

    /// Drops every parked worker (they dispose their isolates and exit) and starts no more.
    pub fn retire(&self) {
        let parked = self.slots.lock().retire();
        drop(parked);
    }

    /// Hit, miss and parked counts.
    pub fn stats(&self) -> PoolStats {
        PoolStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            parked: self.slots.lock().parked() as u64,
        }
    }

    fn pooled(&self, kind: BlobKind) -> bool {
        match self.isolates.mode() {
            SnapshotMode::Off => kind == BlobKind::Builtin,
            SnapshotMode::Auto | SnapshotMode::Block => matches!(kind, BlobKind::Userland(_)),
        }
    }
}
