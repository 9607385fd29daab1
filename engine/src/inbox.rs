//! The job's side of an exec's queue: the [`Inbox`] both the JS event loop and a WASI command's
//! stdin read from (the control plane writes through the matching
//! [`ExecHandle`](crate::ExecHandle)).
//!
//! Stdin that arrives while the guest is not reading stays queued and counted against the stdin
//! bound, so a host cannot pour unbounded stdin into a guest that ignores it.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use bytes::Bytes;
use crossbeam_channel::{Receiver, RecvTimeoutError, TryRecvError};

pub use crate::input::Input;
use crate::net_ask::NetAsks;
use crate::outcome::StopCause;
use crate::stopper::Stopper;

/// Host calls of a call that the host has not answered yet.
pub(crate) type PendingHostCalls = Arc<parking_lot::Mutex<std::collections::HashSet<u64>>>;

/// Told how many stdin bytes the guest took (a cell reports them to its supervisor).
pub type StdinReadHook = Box<dyn Fn(u64) + Send>;

/// How long [`Inbox::next`] may wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Take what is there; never block.
    Poll,
    /// Until this instant.
    Until(Instant),
    /// Until something arrives.
    Forever,
}

/// The job's side of an exec's queue.
pub struct Inbox {
    rx: Receiver<Input>,
    /// The exec's initial stdin (and its close): delivered first, never counted.
    initial: VecDeque<Input>,
    /// Stdin that arrived while the guest was not reading, still counted.
    held: VecDeque<Input>,
    /// What a synchronous stdin read ([`Inbox::next_stdin`]) took off the channel and set
    /// aside for the event loop, in arrival order.
    deferred: VecDeque<Input>,
    stdin_buffered: Arc<AtomicU64>,
    stdin_read: Option<StdinReadHook>,
    disconnected: bool,
    pub(crate) stopper: Arc<Stopper>,
    pub(crate) host_calls: PendingHostCalls,
    /// The exec tree's network questions (its handle settles them).
    pub(crate) net_asks: Arc<NetAsks>,
    /// The exec's virtual ports (its handle sends the host's `HttpRequest`s there).
    pub(crate) ports: Arc<agentos_net::PortRegistry>,
}

impl Inbox {
    pub(crate) fn new(
        rx: Receiver<Input>,
        stdin_buffered: Arc<AtomicU64>,
        stopper: Arc<Stopper>,
        host_calls: PendingHostCalls,
        net_asks: Arc<NetAsks>,
    ) -> Self {
        Self {
            rx,
            initial: VecDeque::new(),
            held: VecDeque::new(),
            deferred: VecDeque::new(),
            stdin_buffered,
            stdin_read: None,
            disconnected: false,
            stopper,
            host_calls,
            net_asks,
            ports: agentos_net::PortRegistry::new(),
        }
    }

    /// Calls `hook` with the size of every stdin chunk the guest takes.
    pub fn on_stdin_read(&mut self, hook: StdinReadHook) {
        self.stdin_read = Some(hook);
    }

    /// Queues the exec's initial stdin ahead of anything the host sends later; unless `open`,
    /// stdin ends after it.
    pub fn preload(&mut self, stdin: Bytes, open: bool) {
        if !stdin.is_empty() {
            self.initial.push_back(Input::Stdin(stdin));
        }
        if !open {
            self.initial.push_back(Input::StdinClose);
        }
    }

    /// The next input, waiting as `wait` allows; `None` when the wait ended with nothing.
    /// Stdin and its close are delivered only while `stdin_wanted`; until then they stay queued.
    pub fn next(&mut self, wait: Wait, stdin_wanted: bool) -> Option<Input> {
        if let Some(input) = self.ready(stdin_wanted) {
            return Some(input);
        }
        loop {
            let received = match wait {
                Wait::Poll => match self.rx.try_recv() {
                    Err(TryRecvError::Empty) => return None,
                    other => other.map_err(drop),
                },
                Wait::Forever => self.rx.recv().map_err(drop),
                Wait::Until(at) => match self.rx.recv_deadline(at) {
                    Err(RecvTimeoutError::Timeout) => return None,
                    other => other.map_err(drop),
                },
            };
            let Ok(input) = received else {
                return self.after_disconnect(wait, stdin_wanted);
            };
            if input.is_stdin() && (!stdin_wanted || !self.held.is_empty()) {
                self.held.push_back(input);
                if wait == Wait::Poll {
                    return None;
                }
                continue;
            }
            self.release(&input);
            return Some(input);
        }
    }

    /// What is already here (initial stdin, or held stdin when wanted), without looking at the
    /// channel.
    pub fn ready(&mut self, stdin_wanted: bool) -> Option<Input> {
        if let Some(input) = self.initial.pop_front() {
            return Some(input);
        }
        if let Some(input) = self.deferred.pop_front() {
            return Some(input);
        }
        if !stdin_wanted {
            return None;
        }
        let input = self.held.pop_front()?;
        self.release(&input);
        Some(input)
    }

    /// The next stdin input (data or its close) for a synchronous read by a JS guest
    /// (`fs.readFileSync(0)`), waiting as `wait` allows. Everything else that arrives meanwhile
    /// is set aside, in order, for the event loop; a stop is both returned and set aside.
    pub(crate) fn next_stdin(&mut self, wait: Wait) -> Option<Input> {
        let earlier = std::mem::take(&mut self.deferred);
        let mut aside = Vec::new();
        let found = loop {
            match self.next(wait, true) {
                Some(input) if input.is_stdin() => break Some(input),
                Some(Input::Stop) => {
                    aside.push(Input::Stop);
                    break Some(Input::Stop);
                }
                Some(other) => aside.push(other),
                None => break None,
            }
        };
        self.deferred = earlier;
        self.deferred.extend(aside);
        found
    }

    /// Nobody can write to us any more (cannot happen while the stopper holds a sender, but
    /// handled): stdin ends once, then waits only run out.
    fn after_disconnect(&mut self, wait: Wait, stdin_wanted: bool) -> Option<Input> {
        if stdin_wanted && !self.disconnected {
            self.disconnected = true;
            return Some(Input::StdinClose);
        }
        if let Wait::Until(at) = wait {
            std::thread::sleep(at.saturating_duration_since(Instant::now()));
        }
        None
    }

    fn release(&self, input: &Input) {
        if let Input::Stdin(bytes) | Input::Ipc(bytes) = input {
            let n = bytes.len() as u64;
            release_stdin(&self.stdin_buffered, n);
            if let Some(hook) = &self.stdin_read {
                hook(n);
            }
        }
    }

    /// Why the exec was stopped from outside, if it was.
    pub fn stop_cause(&self) -> Option<StopCause> {
        self.stopper.cause()
    }
}

/// Takes `n` bytes off a count of unread stdin (never below zero).
pub(crate) fn release_stdin(buffered: &AtomicU64, n: u64) {
    let _ = buffered.fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| {
        Some(v.saturating_sub(n))
    });
}
