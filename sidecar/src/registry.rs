//! Running and queued execs by id, and the control each one listens to.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use bytes::Bytes;
use crossbeam_channel::{Receiver, Sender};
use dashmap::DashMap;
use dashmap::mapref::entry::Entry;
use parking_lot::Mutex;

use crate::engine::ExecInput;

/// How the dispatcher reaches one exec, whether queued or running.
pub struct ExecControl {
    /// The exec's id.
    pub id: u64,
    inbox: Sender<ExecInput>,
    isolate: Mutex<Option<v8::IsolateHandle>>,
    killed: AtomicU32,
}

impl ExecControl {
    /// A control and the receiving end of its inbox.
    pub fn new(id: u64) -> (Arc<Self>, Receiver<ExecInput>) {
        let (inbox, rx) = crossbeam_channel::unbounded();
        let control = Arc::new(Self {
            id,
            inbox,
            isolate: Mutex::new(None),
            killed: AtomicU32::new(0),
        });
        (control, rx)
    }

    /// Queues stdin bytes for the guest.
    pub fn stdin(&self, data: Bytes) {
        let _ = self.inbox.send(ExecInput::Stdin(data));
    }

    /// Closes the guest's stdin.
    pub fn close_stdin(&self) {
        let _ = self.inbox.send(ExecInput::StdinClose);
    }

    /// Ends the guest with `signal`, interrupting JS if it is running. The first signal wins.
    pub fn kill(&self, signal: u32) {
        let _ = self
            .killed
            .compare_exchange(0, signal, Ordering::AcqRel, Ordering::Acquire);
        let _ = self.inbox.send(ExecInput::Kill(signal));
        if let Some(handle) = self.isolate.lock().as_ref() {
            handle.terminate_execution();
        }
    }

    /// The signal a kill requested, if any.
    pub fn killed(&self) -> &AtomicU32 {
        &self.killed
    }

    /// Records the isolate a later kill must interrupt; honours a kill that came first.
    pub fn attach_isolate(&self, handle: v8::IsolateHandle) {
        *self.isolate.lock() = Some(handle);
        if self.killed.load(Ordering::Acquire) != 0
            && let Some(handle) = self.isolate.lock().as_ref()
        {
            handle.terminate_execution();
        }
    }

    /// Forgets the isolate before it is disposed.
    pub fn detach_isolate(&self) {
        *self.isolate.lock() = None;
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
