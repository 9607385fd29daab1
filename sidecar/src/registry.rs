//! Running and queued execs by id, and the control each one listens to.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use crossbeam_channel::{Receiver, Sender};
use dashmap::DashMap;
use dashmap::mapref::entry::Entry;
use parking_lot::Mutex;

use crate::engine::{ExecInput, StopCause, Stopper};

/// How the dispatcher reaches one exec, whether queued or running.
pub struct ExecControl {
    /// The exec's id.
    pub id: u64,
    inbox: Sender<ExecInput>,
    stopper: Arc<Stopper>,
    stdin_buffered: Arc<AtomicU64>,
    stdin_limit: u64,
    host_calls: Arc<Mutex<HashSet<u64>>>,
    max_host_payload: u64,
}

/// Why stdin bytes were refused.
#[derive(Debug, thiserror::Error)]
#[error(
    "stdin limit reached: max_stdin_bytes = {limit}, {buffered} bytes are still unread and \
     {offered} more were offered; retry once the guest has read some"
)]
pub struct StdinFull {
    limit: u64,
    buffered: u64,
    offered: u64,
}

impl ExecControl {
    /// A control and the receiving end of its inbox; at most `stdin_limit` unread stdin bytes
    /// are buffered for the guest.
    pub fn new(
        id: u64,
        stdin_limit: u64,
        max_host_payload: u64,
    ) -> (Arc<Self>, Receiver<ExecInput>) {
        let (inbox, rx) = crossbeam_channel::unbounded();
        let control = Arc::new(Self {
            id,
            stopper: Arc::new(Stopper::new(inbox.clone())),
            inbox,
            stdin_buffered: Arc::new(AtomicU64::new(0)),
            stdin_limit,
            host_calls: Arc::new(Mutex::new(HashSet::new())),
            max_host_payload,
        });
        (control, rx)
    }

    /// Queues stdin bytes for the guest, unless that would pass the stdin bound.
    ///
    /// # Errors
    /// [`StdinFull`] when the guest has not read enough yet: backpressure for the host.
    pub fn stdin(&self, data: Bytes) -> Result<(), StdinFull> {
        let offered = data.len() as u64;
        let admitted =
            self.stdin_buffered
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |buffered| {
                    (buffered + offered <= self.stdin_limit).then_some(buffered + offered)
                });
        match admitted {
            Ok(_) => {
                let _ = self.inbox.send(ExecInput::Stdin(data));
                Ok(())
            }
            Err(buffered) => Err(StdinFull {
                limit: self.stdin_limit,
                buffered,
                offered,
            }),
        }
    }

    /// Settles host call `id` of this call with JSON `text` (or an error message).
    ///
    /// # Errors
    /// A message when no such host call is pending. A reply over the payload bound stops the
    /// call with `HOST_PAYLOAD_LIMIT` instead.
    pub fn host_reply(&self, id: u64, error: bool, text: String) -> Result<(), String> {
        // Removed when the guest receives the reply: until then it keeps the call's loop alive.
        if !self.host_calls.lock().contains(&id) {
            return Err(format!("no pending host call {id} in call {}", self.id));
        }
        let size = text.len() as u64;
        if size > self.max_host_payload {
            self.stopper.stop(StopCause::HostPayload {
                limit: self.max_host_payload,
                size,
            });
            return Ok(());
        }
        let _ = self.inbox.send(ExecInput::HostReply { id, error, text });
        Ok(())
    }

    /// Host calls the guest made that the host has not answered (shared with the engine).
    pub fn host_calls(&self) -> &Arc<Mutex<HashSet<u64>>> {
        &self.host_calls
    }

    /// Closes the guest's stdin.
    pub fn close_stdin(&self) {
        let _ = self.inbox.send(ExecInput::StdinClose);
    }

    /// Ends the guest with `signal`, interrupting it wherever it is. The first stop wins.
    pub fn kill(&self, signal: u32) {
        self.stopper.stop(StopCause::Signal(signal));
    }

    /// The exec's stop switch.
    pub fn stopper(&self) -> &Arc<Stopper> {
        &self.stopper
    }

    /// Unread stdin bytes in the inbox.
    pub fn stdin_buffered(&self) -> &Arc<AtomicU64> {
        &self.stdin_buffered
    }
}

/// Every exec that has been accepted and has not yet reported its exit.
#[derive(Default)]
pub struct Registry {
    execs: DashMap<u64, Arc<ExecControl>>,
}

impl Registry {
    /// Adds `control`; `false` if its id is already taken.
    pub fn insert(&self, control: Arc<ExecControl>) -> bool {
        match self.execs.entry(control.id) {
            Entry::Occupied(_) => false,
            Entry::Vacant(slot) => {
                slot.insert(control);
                true
            }
        }
    }

    /// The control of exec `id`, if it is live.
    pub fn get(&self, id: u64) -> Option<Arc<ExecControl>> {
        self.execs.get(&id).map(|c| c.clone())
    }

    /// Queues an exec's last events (`last`) and forgets it, as one step for anyone admitting
    /// the same id: holding the entry while `last` runs means a new exec reusing the id is
    /// admitted (and answered `ExecStarted`) only after the old one's `ExecExited` is queued.
    pub fn retire(&self, id: u64, last: impl FnOnce()) {
        match self.execs.entry(id) {
            Entry::Occupied(entry) => {
                last();
                entry.remove();
            }
            Entry::Vacant(_) => last(),
        }
    }

    /// Removes exec `id`; later requests naming it are refused as unknown.
    pub fn remove(&self, id: u64) {
        self.execs.remove(&id);
    }

    /// Kills every live exec.
    pub fn kill_all(&self, signal: u32) {
        for entry in &self.execs {
            entry.value().kill(signal);
        }
    }

    /// Number of live execs.
    pub fn len(&self) -> usize {
        self.execs.len()
    }

    /// True when no exec is live.
    pub fn is_empty(&self) -> bool {
        self.execs.is_empty()
    }
}
