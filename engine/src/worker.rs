//! A worker: one OS thread, one isolate, one guest.
//!
//! ```text
//! enter gate -> Isolate::new -> Context::new -> runner -> [park until claimed] -> task.run(guest)
//!                                                                   dispose <-+ -> gate guard dropped -> done()
//! ```
//! A refill may also instantiate a WASI command before parking (`pool/prewarm.rs`).
//! A warm-pool worker parks after preparing; a miss is handed its task up front. Either way the
//! isolate serves exactly one guest and is disposed after the task has reported.

use std::cell::Cell;
use std::sync::Arc;
use std::time::Instant;

use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};

use crate::code_ranges::Claimant;
use crate::error::PrepareError;
use crate::guest::Guest;
use crate::heap::HeapGuard;
use crate::isolates::{Isolates, NewIsolate};
use crate::modules::{CompiledSlot, Variant};
use crate::phases::Phases;
use crate::runner;
use crate::snapshot_gate::{BlobKind, GateGuard};

/// Native stack of a worker thread; V8's own stack limit sits well inside it.
pub const WORKER_STACK_BYTES: usize = 8 << 20;

/// Longest a refill waits for the job that emptied its slot before preparing anyway.
pub const REFILL_PATIENCE: Duration = Duration::from_millis(5);

/// What a refill waits for: the job that made room reporting (its `Cued` task dropping the
/// sender), or [`REFILL_PATIENCE`].
#[derive(Clone)]
pub struct Cue(Receiver<()>);

impl Cue {
    /// A cue given when every sender of `rx` is gone.
    pub fn new(rx: Receiver<()>) -> Self {
        Self(rx)
    }

    /// Blocks until the cue or the patience runs out.
    pub fn wait(&self) {
        let _ = self.0.recv_timeout(REFILL_PATIENCE);
    }
}

/// Work for a prepared isolate.
pub trait Task: Send + 'static {
    /// Runs with the prepared guest, or the reason none could be prepared. Returns what to do
    /// once the isolate has been disposed.
    fn run(self: Box<Self>, guest: Result<&mut Guest<'_, '_, '_>, PrepareError>) -> AfterDispose;
}

/// Runs after the worker's isolate is gone (e.g. releasing a concurrency slot).
pub type AfterDispose = Box<dyn FnOnce() + Send>;

/// Runs last on the worker thread, after its task's [`AfterDispose`] (e.g. a pool refill).
pub type Done = Box<dyn FnOnce() + Send>;

/// A worker ready to be claimed: its task channel, and the module it instantiated ahead.
pub type Ready = (Sender<Box<dyn Task>>, Option<CompiledSlot>);

/// Where a parked worker's [`Ready`] goes; `None` when it could not prepare (no room for another
/// isolate) and ends without parking.
pub type Register = Box<dyn FnOnce(Option<Ready>) + Send>;

/// How a warm worker parks.
pub struct Park {
    /// Where it registers once ready.
    pub register: Register,
    /// What it waits for before preparing.
    pub cue: Option<Cue>,
    /// The module it instantiates before parking (`pool/prewarm.rs`), if its code is compiled.
    pub prewarm: Option<Arc<Variant>>,
}

/// How a worker gets its task.
enum Start {
    /// Given now (a pool miss).
    Task(Box<dyn Task>),
    /// Claimed later through the channel handed to its `Register`, prepared once the cue (if
    /// any) is given.
    Park(Park),
}

/// Spawns a worker for `task` (a pool miss); the worker enters the gate itself, so the caller
/// never blocks on a blob switch.
///
/// # Errors
/// The OS error when no thread can be created, with the task.
pub fn spawn_with_task(
    isolates: Arc<Isolates>,
    heap_mb: u32,
    task: Box<dyn Task>,
    done: Done,
) -> Result<(), (std::io::Error, Box<dyn Task>)> {
    // The task goes over only once the thread exists, so a failed spawn leaves it with us.
    let (tx, rx) = crossbeam_channel::bounded::<Box<dyn Task>>(1);
    let spawned = spawn_thread(move || {
        let task = rx.recv().ok();
        let guard = isolates.enter();
        work(&isolates, guard, heap_mb, task.map(Start::Task), done);
    });
    match spawned {
        Ok(()) => tx.send(task).map_err(|returned| {
            let e = std::io::Error::other("the worker thread ended before its task arrived");
            (e, returned.into_inner())
        }),
        Err(e) => Err((e, task)),
    }
}

/// Spawns a warm worker holding `guard`: it prepares (after `cue`) and registers itself.
///
/// # Errors
/// The OS error when no thread can be created.
pub fn spawn_parked(
    isolates: Arc<Isolates>,
    guard: GateGuard,
    heap_mb: u32,
    park: Park,
    done: Done,
) -> std::io::Result<()> {
    spawn_thread(move || {
        work(&isolates, guard, heap_mb, Some(Start::Park(park)), done);
    })
}

fn spawn_thread(body: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("agentos-worker".into())
        .stack_size(WORKER_STACK_BYTES)
        .spawn(body)
        .map(drop)
}

fn work(isolates: &Isolates, guard: GateGuard, heap_mb: u32, start: Option<Start>, done: Done) {
    let (task, park) = match start {
        Some(Start::Task(task)) => (Some(task), None),
        Some(Start::Park(park)) => (None, Some(park)),
        None => (None, None),
    };
    let pending = Cell::new(task);
    let mut after: Option<AfterDispose> = None;
    let mut refill = true;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        match prepare_and_run(isolates, &guard, heap_mb, &pending, park) {
            Ok(then) => after = then,
            // A warm worker without room: refilling now would only fail again.
            Err(Refused) => refill = false,
        }
    }));
    if let Err(panic) = result {
        let detail = crate::outcome::panic_message(panic.as_ref());
        tracing::error!("worker panicked: {detail}");
        if let Some(task) = pending.take() {
            after = Some(task.run(Err(PrepareError::Panicked(detail))));
        }
    }
    drop(guard);
    if let Some(after) = after {
        after();
    }
    crate::heap_trim::disposed();
    if refill {
        done();
    }
}

/// A warm worker found no room for its isolate and never parked.
struct Refused;

fn prepare_and_run(
    isolates: &Isolates,
    guard: &GateGuard,
    heap_mb: u32,
    pending: &Cell<Option<Box<dyn Task>>>,
    park: Option<Park>,
) -> Result<Option<AfterDispose>, Refused> {
    let (register, cue, prewarm) = match park {
        Some(p) => (Some(p.register), p.cue, p.prewarm),
        None => (None, None, None),
    };
    if let Some(cue) = cue {
        cue.wait();
    }
    let mut phases = Phases::default();
    let started = Instant::now();
    let claimant = match register {
        Some(_) => Claimant::Spare,
        None => Claimant::Guest,
    };
    let created = match isolates.new_isolate(guard, heap_mb, claimant) {
        Ok(created) => created,
        Err(e) => return refuse(e, pending, register),
    };
    let NewIsolate {
        isolate,
        budget,
        lease,
    } = created;
    // Both declared before the isolate so they are dropped after it on every path, an early
    // return included: V8 may call into the heap guard until disposal, and the code range is
    // only free once the isolate is gone.
    let _lease = lease;
    #[expect(
        clippy::needless_late_init,
        reason = "the declaration order fixes the drop order"
    )]
    let heap: Box<HeapGuard>;
    let mut isolate = isolate;
    heap = HeapGuard::install(&mut isolate, heap_mb, budget);
    let after = {
        let t = phases.lap("isolate_create", started);
        v8::scope!(let scope, &mut isolate);
        // From a userland snapshot the runner's context is a non-default one (the default is
        // vanilla, for `vm` contexts); without one, a fresh context.
        let restored = match guard.kind() {
            BlobKind::Userland(_) => v8::Context::from_snapshot(
                scope,
                crate::snapshot::RUNNER_CONTEXT,
                Default::default(),
            ),
            BlobKind::Builtin => None,
        };
        let context = restored.unwrap_or_else(|| v8::Context::new(scope, Default::default()));
        let t = phases.lap("context_create", t);
        let scope = &mut v8::ContextScope::new(scope, context);
        let runner = runner::for_context(scope, context, guard.kind());
        phases.lap("runner_load", t);
        let warm = register.is_some();
        let mut prepared: Option<CompiledSlot> = None;
        if let Some(register) = register {
            if let (Ok(runner), Some(variant)) = (&runner, prewarm) {
                let memory_limit = u64::from(heap_mb) << 20;
                prepared = crate::wasm::prewarm(scope, *runner, &variant.compiled, memory_limit)
                    .then(|| variant.compiled.clone());
            }
            let (tx, rx) = crossbeam_channel::bounded(1);
            register(Some((tx, prepared.clone())));
            // Retired (the pool dropped our sender) before anyone claimed us.
            let Ok(task) = rx.recv() else { return Ok(None) };
            pending.set(Some(task));
            // Preparation happened before the claim, off the job's critical path.
            phases = Phases::default();
        }
        let Some(task) = pending.take() else {
            return Ok(None);
        };
        match runner {
            Ok(runner) => {
                let builtins = isolates.builtins().clone();
                let mut guest = Guest::new(scope, runner, &heap, builtins, phases, warm);
                guest.set_prepared(prepared);
                guest.set_handed_over_at(if warm { Instant::now() } else { started });
                task.run(Ok(&mut guest))
            }
            Err(e) => task.run(Err(e.into())),
        }
    };
    drop(isolate);
    Ok(Some(after))
}

/// No isolate: a task given up front hears why; a warm worker tells its pool it will not park.
fn refuse(
    error: PrepareError,
    pending: &Cell<Option<Box<dyn Task>>>,
    register: Option<Register>,
) -> Result<Option<AfterDispose>, Refused> {
    if let Some(task) = pending.take() {
        tracing::warn!("{error}");
        return Ok(Some(task.run(Err(error))));
    }
    tracing::debug!("warm worker not started: {error}");
    if let Some(register) = register {
        register(None);
    }
    Err(Refused)
}
