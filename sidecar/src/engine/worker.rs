//! A worker: one OS thread, one isolate, one guest.
//!
//! ```text
//! enter gate ─► Isolate::new ─► Context::new ─► runner ─► [park until claimed] ─► task.run(guest)
//!                                                                        dispose ◄─┘ ─► gate guard dropped ─► done()
//! ```
//! A warm-pool worker parks after preparing; a miss is handed its task up front. Either way the
//! isolate serves exactly one guest and is disposed after the task has reported.

use std::cell::Cell;
use std::time::Instant;

use crossbeam_channel::Sender;

use super::blob_gate::GateGuard;
use super::heap::HeapGuard;
use super::isolates::Isolates;
use super::js::Guest;
use super::phases::Phases;
use super::runner;
use super::warm_pool::Cue;

/// Native stack of a worker thread; V8's own stack limit sits well inside it.
pub const WORKER_STACK_BYTES: usize = 8 << 20;

/// Work for a prepared isolate.
pub trait Task: Send + 'static {
    /// Runs with the prepared guest, or the reason none could be prepared. Returns what to do
    /// once the isolate has been disposed.
    fn run(self: Box<Self>, guest: Result<&mut Guest<'_, '_, '_>, String>) -> AfterDispose;
}

/// Runs after the worker's isolate is gone (e.g. releasing a concurrency slot).
pub type AfterDispose = Box<dyn FnOnce() + Send>;

/// Where a task channel is registered once the worker is ready to be claimed.
pub type Register = Box<dyn FnOnce(Sender<Box<dyn Task>>) + Send>;

/// How a worker gets its task.
pub enum Start {
    /// Given now (a pool miss).
    Task(Box<dyn Task>),
    /// Claimed later through the channel passed to the callback (a warm-pool worker), prepared
    /// once the cue (if any) is given.
    Park(Register, Option<Cue>),
}

/// Spawns a worker thread holding `guard`, or entering the gate itself when `None` (so the
/// caller never blocks on a blob switch).
///
/// # Errors
/// The OS error when no thread can be created; the task (if any) comes back with it.
pub fn spawn(
    guard: Option<GateGuard>,
    heap_mb: u32,
    start: Start,
) -> Result<(), (std::io::Error, Option<Box<dyn Task>>)> {
    let slot = std::sync::Arc::new(parking_lot::Mutex::new(None));
    let start = match start {
        Start::Task(task) => {
            *slot.lock() = Some(task);
            None
        }
        Start::Park(register, cue) => Some((register, cue)),
    };
    let thread_slot = slot.clone();
    std::thread::Builder::new()
        .name("agentos-worker".into())
        .stack_size(WORKER_STACK_BYTES)
        .spawn(move || {
            let task = thread_slot.lock().take();
            let guard = guard.unwrap_or_else(|| Isolates::get().enter());
            work(guard, heap_mb, task, start);
        })
        .map(drop)
        .map_err(|e| (e, slot.lock().take()))
}

/// A warm-pool worker's registration and the cue it prepares after.
type Park = (Register, Option<Cue>);

fn work(guard: GateGuard, heap_mb: u32, task: Option<Box<dyn Task>>, park: Option<Park>) {
    let pending = Cell::new(task);
    let mut after: Option<AfterDispose> = None;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        after = prepare_and_run(&guard, heap_mb, &pending, park);
    }));
    if let Err(panic) = result {
        let detail = super::panic_message(panic.as_ref());
        tracing::error!("worker panicked: {detail}");
        if let Some(task) = pending.take() {
            after = Some(task.run(Err(format!("internal error: worker panicked: {detail}"))));
        }
    }
    drop(guard);
    if let Some(after) = after {
        after();
    }
    super::warm_pool::WarmPool::global().refill(heap_mb);
}

fn prepare_and_run(
    guard: &GateGuard,
    heap_mb: u32,
    pending: &Cell<Option<Box<dyn Task>>>,
    park: Option<Park>,
) -> Option<AfterDispose> {
    let (register, cue) = park.map_or((None, None), |(register, cue)| (Some(register), cue));
    if let Some(cue) = cue {
        cue.wait();
    }
    let mut phases = Phases::default();
    let started = Instant::now();
    // Declared before the isolate so it is dropped after it: V8 may call into it until disposal.
    #[expect(
        clippy::needless_late_init,
        reason = "the declaration order fixes the drop order"
    )]
    let heap: Box<HeapGuard>;
    let (mut isolate, budget) = Isolates::get().new_isolate(guard, heap_mb);
    heap = HeapGuard::install(&mut isolate, heap_mb, budget);
    let after = {
        let t = phases.lap("isolate_create", started);
        v8::scope!(let scope, &mut isolate);
        let context = v8::Context::new(scope, Default::default());
        let t = phases.lap("context_create", t);
        let scope = &mut v8::ContextScope::new(scope, context);
        let runner = runner::for_context(scope, context, guard.kind());
        phases.lap("runner_load", t);
        let warm = register.is_some();
        if let Some(register) = register {
            let (tx, rx) = crossbeam_channel::bounded(1);
            register(tx);
            // Retired (pool dropped our sender) before anyone claimed us.
            pending.set(Some(rx.recv().ok()?));
            // Preparation happened before the claim, off the exec's critical path.
            phases = Phases::default();
        }
        let task = pending.take()?;
        match runner {
            Ok(runner) => {
                let handle = scope.thread_safe_handle();
                let mut guest = Guest::new(scope, runner, handle, &heap, phases, warm);
                guest.set_handed_over_at(if warm { Instant::now() } else { started });
                task.run(Ok(&mut guest))
            }
            Err(e) => task.run(Err(e)),
        }
    };
    drop(isolate);
    Some(after)
}
