//! Engine cells: the engine runs in child processes (`agentos-sidecar --cell`), so that a V8
//! fatal error (a failed CHECK, an out-of-memory abort) or a cell's memory ceiling ends only the
//! guests of one cell, each with a typed error, while this supervisor keeps the host's stream
//! intact and starts a new cell. The supervisor owns stdin/stdout, admission, limits and the
//! watchdog; each cell runs jobs in its own engine (snapshot, warm pool) and reports over a pipe.
//!
//! ```text
//! host ⇄ supervisor (reader, scheduler, watchdog, writer) ─Start/Deliver/Stop─► cell k (engine)
//!                                 ◄── relay thread k ◄── Output/Started/Finished/Released ──┘
//! ```
//! A job goes to the ready cell running the fewest jobs; while none is ready it waits here.

pub mod cell;
pub mod link;
pub mod remote;
pub mod wire;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use agentos_engine::ExecHandle;
use agentos_proto::cell::v1::{CellStats, Start, start};
use parking_lot::{Condvar, Mutex};

use self::cell::{Cell, Running};
use self::remote::RemoteExec;
use crate::host::ExecHost;
use crate::job_spec::{self, JobSpec, Request};
use crate::writer::Writer;

/// How long start-up waits for every cell's engine (a `block` cell builds its snapshot first).
const READY_PATIENCE: Duration = Duration::from_secs(120);

/// How long a `Stats` request waits for a cell's counters.
const STATS_PATIENCE: Duration = Duration::from_secs(2);

/// The longest pause between restarts of a cell that keeps dying at start-up.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// A job waiting for a ready cell.
struct Waiting {
    spec: JobSpec,
    remote: Arc<RemoteExec>,
    exec: Arc<ExecHandle>,
    host: ExecHost,
}

/// The supervisor's cells.
pub struct Cells {
    binary: PathBuf,
    max_frame_bytes: usize,
    writer: Arc<Writer>,
    slots: Vec<Mutex<Option<Arc<Cell>>>>,
    waiting: Mutex<VecDeque<Waiting>>,
    ready_changed: Condvar,
    ready_lock: Mutex<()>,
    retiring: AtomicBool,
    next: AtomicUsize,
    queries: AtomicU64,
    restarts: AtomicU64,
}

impl Cells {
    /// Starts `count` cells (`binary --cell`: the sidecar's own binary) and waits (bounded)
    /// until their engines are ready.
    pub fn start(
        count: usize,
        binary: PathBuf,
        max_frame_bytes: usize,
        writer: Arc<Writer>,
    ) -> Arc<Self> {
        let cells = Arc::new(Self {
            binary,
            max_frame_bytes,
            writer,
            slots: (0..count.max(1)).map(|_| Mutex::new(None)).collect(),
            waiting: Mutex::new(VecDeque::new()),
            ready_changed: Condvar::new(),
            ready_lock: Mutex::new(()),
            retiring: AtomicBool::new(false),
            next: AtomicUsize::new(0),
            queries: AtomicU64::new(0),
            restarts: AtomicU64::new(0),
        });
        for slot in 0..cells.slots.len() {
            let me = cells.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("agentos-cell{slot}"))
                .spawn(move || me.keep_alive(slot));
            if let Err(e) = spawned {
                tracing::error!("cannot start the thread of cell {slot}: {e}");
            }
        }
        cells.wait_all_ready(READY_PATIENCE);
        cells
    }

    fn wait_all_ready(&self, patience: Duration) {
        let deadline = Instant::now() + patience;
        let mut guard = self.ready_lock.lock();
        while self.ready_count() < self.slots.len() {
            if self
                .ready_changed
                .wait_until(&mut guard, deadline)
                .timed_out()
            {
                tracing::warn!("not every engine cell was ready before serving");
                return;
            }
        }
    }

    fn ready_count(&self) -> usize {
        self.live().iter().filter(|c| c.is_ready()).count()
    }

    fn live(&self) -> Vec<Arc<Cell>> {
        self.slots.iter().filter_map(|s| s.lock().clone()).collect()
    }

    /// Runs cell `slot` for the life of the supervisor: start it, relay it, fail its jobs when
    /// it dies, start another.
    fn keep_alive(self: &Arc<Self>, slot: usize) {
        let mut backoff = Duration::ZERO;
        while !self.retiring.load(Ordering::Acquire) {
            let started = Instant::now();
            match Cell::spawn(slot, &self.binary, self.max_frame_bytes) {
                Ok(spawned) => {
                    let mut child = spawned.child;
                    let cell = spawned.cell;
                    *self.slots[slot].lock() = Some(cell.clone());
                    let me = self.clone();
                    let on_ready = move || me.on_ready();
                    cell.relay(
                        spawned.events,
                        self.max_frame_bytes,
                        &self.writer,
                        &on_ready,
                    );
                    *self.slots[slot].lock() = None;
                    let status = child
                        .wait()
                        .map_or_else(|e| format!("lost ({e})"), |s| format!("cell {s}"));
                    cell.fail_jobs(&status);
                }
                Err(e) => tracing::error!("cannot start engine cell {slot}: {e}"),
            }
            if self.retiring.load(Ordering::Acquire) {
                break;
            }
            self.restarts.fetch_add(1, Ordering::Relaxed);
            backoff = if started.elapsed() > MAX_BACKOFF {
                Duration::ZERO
            } else {
                (backoff * 2).clamp(Duration::from_millis(20), MAX_BACKOFF)
            };
            std::thread::sleep(backoff);
        }
    }

    fn on_ready(&self) {
        {
            let _guard = self.ready_lock.lock();
            self.ready_changed.notify_all();
        }
        let waiting: Vec<Waiting> = self.waiting.lock().drain(..).collect();
        for job in waiting {
            self.run(job.spec, job.remote, job.exec, job.host);
        }
    }

    /// A handle for a new exec and its delivery (assigned to a cell when the job runs).
    pub fn admit(spec: &JobSpec) -> (Arc<ExecHandle>, Arc<RemoteExec>) {
        let remote = RemoteExec::new(spec.id);
        let exec = ExecHandle::remote(
            spec.id,
            spec.limits.max_stdin_bytes,
            spec.max_host_payload(),
            remote.clone(),
        );
        (exec, remote)
    }

    /// Runs `spec` in the ready cell with the fewest jobs, or keeps it until one is ready.
    pub fn run(
        &self,
        spec: JobSpec,
        remote: Arc<RemoteExec>,
        exec: Arc<ExecHandle>,
        host: ExecHost,
    ) {
        let Some(cell) = self.pick() else {
            self.waiting.lock().push_back(Waiting {
                spec,
                remote,
                exec,
                host,
            });
            // A cell may have become ready meanwhile.
            if self.ready_count() > 0 {
                self.on_ready();
            }
            return;
        };
        let id = spec.id;
        let running = Running {
            host,
            exec,
            remote,
            is_call: spec.is_call(),
        };
        // A dying cell fails the job with the others.
        cell.adopt(id, running, start_of(spec));
    }

    fn pick(&self) -> Option<Arc<Cell>> {
        let live = self.live();
        let ready: Vec<&Arc<Cell>> = live.iter().filter(|c| c.is_ready()).collect();
        if ready.is_empty() {
            return None;
        }
        let offset = self.next.fetch_add(1, Ordering::Relaxed);
        (0..ready.len())
            .map(|i| ready[(offset + i) % ready.len()])
            .min_by_key(|c| c.load())
            .cloned()
    }

    /// Every ready cell's engine counters (a cell that does not answer in time is left out).
    pub fn stats(&self) -> Vec<CellStats> {
        let query = self.queries.fetch_add(1, Ordering::Relaxed);
        self.live()
            .iter()
            .filter(|c| c.is_ready())
            .filter_map(|c| c.query_stats(query, STATS_PATIENCE))
            .collect()
    }

    /// Resident memory of the live cells, bytes.
    pub fn rss_bytes(&self) -> u64 {
        let rss = |c: &Arc<Cell>| crate::stats::rss_bytes_of(c.pid).unwrap_or(0);
        self.live().iter().map(rss).sum()
    }

    /// Cells started again after one ended.
    pub fn restarts(&self) -> u64 {
        self.restarts.load(Ordering::Relaxed)
    }

    /// Ends every cell (after the scheduler has ended their jobs).
    pub fn retire(&self) {
        self.retiring.store(true, Ordering::Release);
        for cell in self.live() {
            cell.link.close();
        }
    }
}

/// The `Start` request for `spec`.
fn start_of(spec: JobSpec) -> Start {
    let limits = Some(job_spec::limits_to_wire(&spec.limits));
    match spec.request {
        Request::Exec(exec) => Start {
            program: Some(start::Program::Exec(exec)),
            limits,
            call_limits: None,
        },
        Request::Call(call, call_limits) => Start {
            program: Some(start::Program::Call(call)),
            limits,
            call_limits: Some(job_spec::call_limits_to_wire(&call_limits)),
        },
    }
}
