//! The warm pool: parked workers, each holding a prepared isolate (restored from the snapshot,
//! context created, runner found), keyed by (blob kind, heap limit). An exec claims one; the pool
//! refills in the background. A miss prepares an isolate on the spot: same behaviour, slower.
//!
//! ```text
//! slots[(Userland(d), heap_mb)] = { parked: [tx, tx], starting: 0 }   capacity = AGENTOS_V8_WARM_ISOLATES
//!        claim ─► pop tx ─► tx.send(task) ─► worker wakes and runs it ─► refill()
//! ```
//! A refill started by a claim (or a miss) waits for its [`Cue`]: the exec that emptied the slot
//! reporting its exit, or [`REFILL_PATIENCE`] for a longer one. Preparing an isolate is ~1.5 ms
//! of CPU; on 2 cores, doing it while the exec ran put a 2-3 ms tail on one warm exec in ten
//! (`agentos-bench`, settled `node -e ''` p95 1.9-2.6 -> 0.37-0.52 ms with the wait).
//! Only the mode's steady-state kind is pooled (`off`: built-in; `auto`/`block`: the snapshot),
//! and a worker is only started when the blob gate admits its kind without waiting.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};
use parking_lot::Mutex;

use super::blob_gate::{BlobGate, BlobKind};
use super::isolates::{Isolates, SnapshotMode};
use super::js::Guest;
use super::worker::{self, AfterDispose, Start, Task};

/// Parked workers per key unless `AGENTOS_V8_WARM_ISOLATES` says otherwise.
pub const DEFAULT_WARM_ISOLATES: usize = 2;

/// Distinct keys the pool keeps workers for.
pub const MAX_KEYS: usize = 8;

/// Longest a refill waits for the exec that emptied its slot before preparing anyway.
pub const REFILL_PATIENCE: Duration = Duration::from_millis(5);

/// What a refill waits for: the exec that made room reporting (its `Cued` task dropping the
/// sender), or [`REFILL_PATIENCE`].
#[derive(Clone)]
pub struct Cue(Receiver<()>);

impl Cue {
    /// Blocks until the cue or the patience runs out.
    pub fn wait(&self) {
        let _ = self.0.recv_timeout(REFILL_PATIENCE);
    }
}

/// An exec's task that gives the cue once it has reported.
struct Cued {
    task: Box<dyn Task>,
    _cue: Sender<()>,
}

impl Task for Cued {
    fn run(self: Box<Self>, guest: Result<&mut Guest<'_, '_, '_>, String>) -> AfterDispose {
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

#[derive(Default)]
struct Slot {
    parked: Vec<Sender<Box<dyn Task>>>,
    starting: usize,
}

/// Counters, for stats and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStats {
    /// Execs that found a parked worker.
    pub hits: u64,
    /// Execs that prepared an isolate on the spot.
    pub misses: u64,
    /// Workers parked right now, over all keys.
    pub parked: u64,
}

/// The process's warm pool.
pub struct WarmPool {
    capacity: usize,
    slots: Mutex<HashMap<PoolKey, Slot>>,
    hits: AtomicU64,
    misses: AtomicU64,
    default_heap_mb: AtomicU32,
    retired: AtomicBool,
}

impl WarmPool {
    /// The process's pool, sized from `AGENTOS_V8_WARM_ISOLATES` on first use.
    pub fn global() -> &'static WarmPool {
        static POOL: OnceLock<WarmPool> = OnceLock::new();
        POOL.get_or_init(|| WarmPool::new(capacity_from_env()))
    }

    fn new(capacity: usize) -> Self {
        Self {
            capacity,
            slots: Mutex::new(HashMap::new()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            default_heap_mb: AtomicU32::new(256),
            retired: AtomicBool::new(false),
        }
    }

    /// Sets the heap limit of execs that name none: the key seeded before any exec arrives.
    pub fn set_default_heap_mb(&self, heap_mb: u32) {
        self.default_heap_mb.store(heap_mb, Ordering::Relaxed);
    }

    /// Refills the default key.
    pub fn refill_default(&'static self) {
        self.refill(self.default_heap_mb.load(Ordering::Relaxed));
    }

    /// Runs `task` on a parked worker if one fits, else on a fresh one.
    ///
    /// # Errors
    /// The task comes back when no worker thread can be started.
    pub fn dispatch(&'static self, task: Box<dyn Task>, heap_mb: u32) -> Result<(), Box<dyn Task>> {
        let key = self.target_key(heap_mb);
        let (cue_tx, cue_rx) = crossbeam_channel::bounded(0);
        let cue = Some(Cue(cue_rx));
        let mut task: Box<dyn Task> = Box::new(Cued { task, _cue: cue_tx });
        while let Some(tx) = self.pop_parked(key) {
            match tx.send(task) {
                Ok(()) => {
                    self.hits.fetch_add(1, Ordering::Relaxed);
                    self.refill_after(heap_mb, cue);
                    return Ok(());
                }
                Err(returned) => task = returned.into_inner(),
            }
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let spawned = worker::spawn(None, heap_mb, Start::Task(task));
        self.refill_after(heap_mb, cue);
        spawned.map_err(|(e, task)| {
            tracing::error!("cannot start a worker thread: {e}");
            task.expect("a task handed to spawn comes back when the spawn fails")
        })
    }

    fn pop_parked(&self, key: PoolKey) -> Option<Sender<Box<dyn Task>>> {
        self.slots.lock().get_mut(&key)?.parked.pop()
    }

    fn target_key(&self, heap_mb: u32) -> PoolKey {
        PoolKey {
            kind: Isolates::get().target(),
            heap_mb,
        }
    }

    /// Starts workers until the key for `heap_mb` has `capacity` parked or starting. Keys beyond
    /// the first [`MAX_KEYS`] seen are served by misses only, so odd limits cannot pin memory.
    pub fn refill(&'static self, heap_mb: u32) {
        self.refill_after(heap_mb, None);
    }

    /// As [`Self::refill`], the new workers preparing only after `cue`.
    fn refill_after(&'static self, heap_mb: u32, cue: Option<Cue>) {
        let key = self.target_key(heap_mb);
        if self.capacity == 0 || !pooled(key.kind) || self.retired.load(Ordering::Acquire) {
            return;
        }
        {
            let slots = self.slots.lock();
            if !slots.contains_key(&key) && slots.len() >= MAX_KEYS {
                return;
            }
        }
        loop {
            {
                let mut slots = self.slots.lock();
                let slot = slots.entry(key).or_default();
                if slot.parked.len() + slot.starting >= self.capacity {
                    return;
                }
                slot.starting += 1;
            }
            let Some(guard) = BlobGate::global().try_enter(key.kind) else {
                self.unstart(key);
                return;
            };
            let register = Box::new(move |tx| {
                let mut slots = self.slots.lock();
                // After `retire_all`, dropping `tx` sends the worker home.
                if self.retired.load(Ordering::Acquire) {
                    return;
                }
                let slot = slots.entry(key).or_default();
                slot.starting = slot.starting.saturating_sub(1);
                slot.parked.push(tx);
            });
            let start = Start::Park(register, cue.clone());
            if let Err((e, _)) = worker::spawn(Some(guard), key.heap_mb, start) {
                tracing::warn!("cannot start a warm worker: {e}");
                self.unstart(key);
                return;
            }
        }
    }

    fn unstart(&self, key: PoolKey) {
        if let Some(slot) = self.slots.lock().get_mut(&key) {
            slot.starting = slot.starting.saturating_sub(1);
        }
    }

    /// Drops every parked worker (they dispose their isolates and exit) and starts no more.
    pub fn retire_all(&self) {
        let mut slots = self.slots.lock();
        self.retired.store(true, Ordering::Release);
        slots.clear();
    }

    /// Hit, miss and parked counts.
    pub fn stats(&self) -> PoolStats {
        let parked = self
            .slots
            .lock()
            .values()
            .map(|s| s.parked.len() as u64)
            .sum();
        PoolStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            parked,
        }
    }
}

fn pooled(kind: BlobKind) -> bool {
    match Isolates::get().mode() {
        SnapshotMode::Off => kind == BlobKind::Builtin,
        SnapshotMode::Auto | SnapshotMode::Block => matches!(kind, BlobKind::Userland(_)),
    }
}

fn capacity_from_env() -> usize {
    match std::env::var("AGENTOS_V8_WARM_ISOLATES") {
        Err(_) => DEFAULT_WARM_ISOLATES,
        Ok(raw) => raw.trim().parse().unwrap_or_else(|_| {
            tracing::warn!(
                "AGENTOS_V8_WARM_ISOLATES={raw:?} is not a count; using {DEFAULT_WARM_ISOLATES}"
            );
            DEFAULT_WARM_ISOLATES
        }),
    }
}
