//! The control plane's side of one running job (the engine's [`JobHost`]): its events go to the
//! writer, the watchdog watches its guest's thread, its last events retire it from the
//! registry, and its release frees its concurrency slot.

use std::sync::Arc;

use agentos_engine::cpu::GuestThread;
use agentos_engine::{ExecHandle, JobHost, Limits, Sink};
use agentos_proto::Event;

use crate::registry::Registry;
use crate::watchdog::{WatchGuard, Watchdog};
use crate::writer::Writer;

/// Frees the job's concurrency slot.
pub type Release = Box<dyn FnOnce() + Send>;

/// One job's host.
pub struct ExecHost {
    exec: Arc<ExecHandle>,
    limits: Limits,
    writer: Arc<Writer>,
    registry: Arc<Registry>,
    watchdog: Arc<Watchdog>,
    watch: Option<WatchGuard>,
    release: Release,
}

/// What every job's host shares.
#[derive(Clone)]
pub struct Shared {
    /// Where events go.
    pub writer: Arc<Writer>,
    /// Live execs.
    pub registry: Arc<Registry>,
    /// Enforces wall and CPU time.
    pub watchdog: Arc<Watchdog>,
}

impl ExecHost {
    /// The host of `exec`, running under `limits`; `release` frees its slot.
    pub fn new(shared: &Shared, exec: Arc<ExecHandle>, limits: Limits, release: Release) -> Self {
        Self {
            exec,
            limits,
            writer: shared.writer.clone(),
            registry: shared.registry.clone(),
            watchdog: shared.watchdog.clone(),
            watch: None,
            release,
        }
    }
}

impl JobHost for ExecHost {
    fn sink(&self) -> Sink {
        self.writer.clone()
    }

    fn started(&mut self, thread: Option<GuestThread>) {
        let watch = self.watchdog.watch(self.exec.clone(), thread, &self.limits);
        self.watch = Some(watch);
    }

    fn finish(&mut self, last: Vec<Event>) {
        self.watch = None;
        let writer = &self.writer;
        self.registry.retire(self.exec.id(), || {
            for event in last {
                writer.send(event);
            }
        });
    }

    fn released(self: Box<Self>) {
        (self.release)();
    }
}
