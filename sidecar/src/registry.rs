//! Running and queued execs by id, each with the engine's handle on it.

use std::sync::Arc;

use agentos_engine::ExecHandle;
use dashmap::DashMap;
use dashmap::mapref::entry::Entry;

/// Every exec that has been accepted and has not yet reported its exit.
#[derive(Default)]
pub struct Registry {
    execs: DashMap<u64, Arc<ExecHandle>>,
}

impl Registry {
    /// Adds `handle`; `false` if its id is already taken.
    pub fn insert(&self, handle: Arc<ExecHandle>) -> bool {
        match self.execs.entry(handle.id()) {
            Entry::Occupied(_) => false,
            Entry::Vacant(slot) => {
                slot.insert(handle);
                true
            }
        }
    }

    /// The handle of exec `id`, if it is live.
    pub fn get(&self, id: u64) -> Option<Arc<ExecHandle>> {
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
