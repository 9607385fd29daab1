//! Admission: at most `max_running` guests run at once, each on its own OS thread; up to
//! `max_queued` more wait in FIFO order; past that, `Exec` is refused with `QUEUE_FULL`.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use agentos_engine::job::unstarted_events;
use agentos_engine::{ExecHandle, Outcome};
use agentos_proto::ErrorCode;
use parking_lot::{Condvar, Mutex};

use crate::config::Config;
use crate::host::{ExecHost, Shared};
use crate::job_spec::JobSpec;
use crate::runner::{Runner, Ticket};
use crate::signal::SIGKILL;

/// An admitted job waiting for a slot.
struct Queued {
    spec: JobSpec,
    exec: Arc<ExecHandle>,
    ticket: Ticket,
}

#[derive(Default)]
struct State {
    running: usize,
    queue: VecDeque<Queued>,
    closed: bool,
}

/// Why an exec was not admitted.
#[derive(Debug, thiserror::Error)]
pub enum AdmitError {
    /// The queue is at its cap.
    #[error("exec queue is full: {queued} execs already waiting (limit max_queued = {limit})")]
    QueueFull {
        /// Execs waiting.
        queued: usize,
        /// The cap.
        limit: usize,
    },
    /// Shutdown has begun.
    #[error("the sidecar is shutting down")]
    ShuttingDown,
}

impl AdmitError {
    /// The wire code.
    pub fn code(&self) -> ErrorCode {
        match self {
            AdmitError::QueueFull { .. } => ErrorCode::QueueFull,
            AdmitError::ShuttingDown => ErrorCode::ShuttingDown,
        }
    }
}

/// Runs admitted jobs, at most `max_running` at once.
pub struct Scheduler {
    config: Config,
    runner: Runner,
    shared: Shared,
    state: Mutex<State>,
    idle: Condvar,
}

impl Scheduler {
    /// A scheduler running jobs with `runner`, their hosts sharing `shared`.
    pub fn new(config: Config, runner: Runner, shared: Shared) -> Arc<Self> {
        Arc::new(Self {
            config,
            runner,
            shared,
            state: Mutex::new(State::default()),
            idle: Condvar::new(),
        })
    }

    /// Admits `spec` (controlled through `exec`, started with `ticket`): `announce` runs once it
    /// is accepted, before it can produce any event.
    ///
    /// # Errors
    /// [`AdmitError`] when the queue is full or shutdown has begun.
    pub fn submit(
        self: &Arc<Self>,
        spec: JobSpec,
        exec: Arc<ExecHandle>,
        ticket: Ticket,
        announce: impl FnOnce(),
    ) -> Result<(), AdmitError> {
        let queued = Queued { spec, exec, ticket };
        let mut state = self.state.lock();
        if state.closed {
            return Err(AdmitError::ShuttingDown);
        }
        if state.running < self.config.max_running {
            state.running += 1;
            announce();
            self.spawn(queued);
        } else if state.queue.len() < self.config.max_queued {
            announce();
            state.queue.push_back(queued);
        } else {
            return Err(AdmitError::QueueFull {
                queued: state.queue.len(),
                limit: self.config.max_queued,
            });
        }
        Ok(())
    }

    /// Hands a job to the runner; called with the state lock held, so it must not block.
    fn spawn(self: &Arc<Self>, queued: Queued) {
        let Queued { spec, exec, ticket } = queued;
        let me = self.clone();
        let release = Box::new(move || me.finished());
        let host = ExecHost::new(&self.shared, exec.clone(), spec.limits, release);
        if let Err(release) = self.runner.run(spec, exec, ticket, host) {
            // `finished` takes the lock we hold, so release the slot from another thread.
            if std::thread::Builder::new().spawn(release).is_err() {
                tracing::error!("cannot release a concurrency slot; capacity shrinks by one");
            }
        }
    }

    fn finished(self: &Arc<Self>) {
        let mut state = self.state.lock();
        match state.queue.pop_front() {
            Some(next) if !state.closed => self.spawn(next),
            _ => {
                state.running -= 1;
                self.idle.notify_all();
            }
        }
    }

    /// Removes exec `id` from the queue if it is still waiting, reporting it killed by `signal`.
    pub fn cancel_queued(&self, id: u64, signal: u32) -> bool {
        let queued = {
            let mut state = self.state.lock();
            let Some(pos) = state.queue.iter().position(|q| q.spec.id == id) else {
                return false;
            };
            state.queue.remove(pos)
        };
        if let Some(queued) = queued {
            self.report_unstarted(&queued.spec, Outcome::Killed(signal));
        }
        true
    }

    fn report_unstarted(&self, spec: &JobSpec, outcome: Outcome) {
        let writer = &self.shared.writer;
        self.shared.registry.retire(spec.id, || {
            for event in unstarted_events(spec.id, spec.is_call(), outcome) {
                writer.send(event);
            }
        });
    }

    /// Refuses new execs, reports queued ones as killed, kills running ones and waits (bounded
    /// by the configured grace) until they have reported.
    pub fn shutdown(&self) {
        let queued: Vec<Queued> = {
            let mut state = self.state.lock();
            state.closed = true;
            state.queue.drain(..).collect()
        };
        for queued in queued {
            self.report_unstarted(&queued.spec, shutdown_outcome());
        }
        self.shared.registry.kill_all(SIGKILL);
        let deadline = Instant::now() + self.config.shutdown_grace;
        let mut state = self.state.lock();
        while state.running > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left == Duration::ZERO || self.idle.wait_for(&mut state, left).timed_out() {
                tracing::warn!(running = state.running, "guests still running at shutdown");
                break;
            }
        }
    }
}

fn shutdown_outcome() -> Outcome {
    Outcome::Failed {
        code: ErrorCode::ShuttingDown,
        message: "the sidecar shut down before this exec started".into(),
        exit_code: 128 + SIGKILL as i32,
    }
}
