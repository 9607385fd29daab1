//! The parent's side of one child job: where its output and its exit go.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use agentos_proto::v1::Stream as WireStream;
use agentos_proto::{Event, event};
use bytes::Bytes;
use parking_lot::{Condvar, Mutex};

use super::Family;
use super::collector::Collector;
use crate::cpu::GuestThread;
use crate::events::{EventSink, Sink};
use crate::input::{ChildEvent, Input};
use crate::job::{JobHost, report};
use crate::stopper::Stopper;

/// Where a child's events go.
pub(super) enum Delivery {
    /// Into the parent's event loop, as `Input::Child`.
    Loop {
        parent: Arc<Stopper>,
        /// Output posted to the parent's loop and not taken yet.
        in_flight: Arc<InFlight>,
    },
    /// Into a collector a blocking `spawnSync` waits on.
    Collect(Arc<Collector>),
}

/// Output bytes of one child on their way to the parent's loop: past [`IN_FLIGHT_MAX`] the
/// child waits (as a writer on a full pipe does) until the parent's loop takes some.
#[derive(Default)]
pub(crate) struct InFlight {
    bytes: Mutex<usize>,
    taken: Condvar,
}

/// Output a child may have on its way to the parent before it waits.
const IN_FLIGHT_MAX: usize = 4 << 20;

/// How often a waiting child looks whether it or its parent was stopped.
const TICK: Duration = Duration::from_millis(10);

impl InFlight {
    /// The parent's loop took `n` bytes.
    pub(crate) fn taken(&self, n: usize) {
        let mut bytes = self.bytes.lock();
        *bytes = bytes.saturating_sub(n);
        self.taken.notify_all();
    }

    /// Waits for room for `n` more bytes unless `stopped` (then drops them: false).
    fn reserve(&self, n: usize, stopped: impl Fn() -> bool) -> bool {
        let mut bytes = self.bytes.lock();
        while *bytes > 0 && *bytes + n > IN_FLIGHT_MAX {
            if stopped() {
                return false;
            }
            self.taken.wait_until(&mut bytes, Instant::now() + TICK);
        }
        *bytes += n;
        true
    }
}

/// The child job's host.
pub(super) struct ChildHost {
    sink: Arc<ChildSink>,
    family: Arc<Family>,
    /// Its program (`argv[0]`), which names it in the line a stop adds to its stderr.
    name: String,
}

impl ChildHost {
    /// The host of child `id` running `name`, whose own stop switch is `child`.
    pub(super) fn new(
        (id, name): (u32, &str),
        parent: Sink,
        delivery: Delivery,
        family: Arc<Family>,
        child: Arc<Stopper>,
        ipc: bool,
    ) -> Self {
        Self {
            sink: Arc::new(ChildSink {
                id,
                parent,
                delivery,
                child,
                ipc: AtomicBool::new(ipc),
            }),
            family,
            name: name.to_string(),
        }
    }
}

/// The child's events: output and IPC messages to its delivery, the rest (none today) to the
/// parent's sink.
struct ChildSink {
    id: u32,
    parent: Sink,
    delivery: Delivery,
    child: Arc<Stopper>,
    /// Its IPC channel to the parent is open (a forked child's, until either side closes it).
    ipc: AtomicBool,
}

impl ChildSink {
    fn deliver(&self, event: ChildEvent) {
        match &self.delivery {
            Delivery::Loop { parent, in_flight } => {
                if let ChildEvent::Stdout(data)
                | ChildEvent::Stderr(data)
                | ChildEvent::Message(data) = &event
                {
                    let stopped = || parent.cause().is_some() || self.child.cause().is_some();
                    if !in_flight.reserve(data.len(), stopped) {
                        return;
                    }
                }
                parent.post(Input::Child { id: self.id, event });
            }
            Delivery::Collect(collector) => match event {
                ChildEvent::Stdout(data) => {
                    collector.output(WireStream::Stdout, &data, || self.child.cause().is_some())
                }
                ChildEvent::Stderr(data) => {
                    collector.output(WireStream::Stderr, &data, || self.child.cause().is_some())
                }
                ChildEvent::Exit { code, signal } => collector.exited(code, signal),
                // A collected child (spawnSync) has no IPC channel.
                ChildEvent::Message(_) | ChildEvent::IpcClosed => {}
            },
        }
    }
}

impl EventSink for ChildSink {
    fn send(&self, event: Event) {
        // A child's exec-level events (none but its exit, which `finish` handles) stay inside.
        if !matches!(event.kind, Some(event::Kind::ExecExited(_))) {
            self.parent.send(event);
        }
    }

    fn output(&self, _exec_id: u64, stream: WireStream, data: Bytes) {
        self.deliver(match stream {
            WireStream::Stdout => ChildEvent::Stdout(data),
            _ => ChildEvent::Stderr(data),
        });
    }

    fn has_ipc(&self) -> bool {
        self.ipc.load(Ordering::Acquire)
    }

    fn ipc_send(&self, message: Bytes) -> bool {
        if !self.has_ipc() {
            return false;
        }
        self.deliver(ChildEvent::Message(message));
        true
    }

    fn ipc_close(&self) {
        if self.ipc.swap(false, Ordering::AcqRel) {
            self.deliver(ChildEvent::IpcClosed);
        }
    }
}

impl JobHost for ChildHost {
    fn sink(&self) -> Sink {
        self.sink.clone()
    }

    fn started(&mut self, _thread: Option<GuestThread>) {}

    fn finish(&mut self, last: Vec<Event>) {
        self.family.exited();
        let exited = report::last_exit(&last);
        // Why the sidecar ended it, if it did, as the last of its stderr.
        if let Some(line) = exited.and_then(|x| report::stop_line(&self.name, x)) {
            self.sink.deliver(ChildEvent::Stderr(line.into()));
        }
        // Its channel closes as it ends: the parent hears 'disconnect' before 'exit', as in Node.
        self.sink.ipc_close();
        let (code, signal) = exited.map_or((1, 0), |x| (x.exit_code, x.signal));
        self.sink.deliver(ChildEvent::Exit { code, signal });
    }

    fn released(self: Box<Self>) {}
}
