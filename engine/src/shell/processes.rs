//! The process table of one script: every guest and internal process it started, by pid, until
//! the script reaps it; kills; and the end of the exec (kill what is left, wait for it).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use agentos_shell::{ExitStatus, Pid, ProcError, Stop};
use parking_lot::{Condvar, Mutex};

use crate::job::pids::Pids;

/// Sends a signal to one running process.
pub type Killer = Box<dyn Fn(i32) + Send>;

/// How often a blocked `wait` looks at its stop flag.
const TICK: Duration = Duration::from_millis(10);

enum Entry {
    Running(Killer),
    Exited(ExitStatus),
}

/// Counts of one exec's processes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Started and not yet ended.
    pub running: usize,
    /// Started over the whole exec.
    pub total: usize,
}

#[derive(Default)]
struct Table {
    entries: HashMap<u32, Entry>,
    counts: Counts,
}

/// One script's processes.
pub struct ProcessTable {
    pids: Arc<Pids>,
    table: Mutex<Table>,
    changed: Condvar,
}

impl ProcessTable {
    /// An empty table; its processes take their pids from `pids` (the exec tree's).
    pub fn new(pids: Arc<Pids>) -> Self {
        Self {
            pids,
            table: Mutex::new(Table::default()),
            changed: Condvar::new(),
        }
    }

    /// The counts after one more process would start.
    pub fn counts_with_one_more(&self) -> Counts {
        let c = self.table.lock().counts;
        Counts {
            running: c.running + 1,
            total: c.total + 1,
        }
    }

    /// Registers a running process that `kill` signals; its pid.
    pub fn add(&self, kill: Killer) -> Pid {
        let pid = self.pids.next();
        let mut table = self.table.lock();
        table.entries.insert(pid, Entry::Running(kill));
        table.counts.running += 1;
        table.counts.total += 1;
        Pid(pid)
    }

    /// Records that `pid` ended with `status` (its output is all written by now).
    pub fn exited(&self, pid: Pid, status: ExitStatus) {
        let mut table = self.table.lock();
        if let Some(entry) = table.entries.get_mut(&pid.0)
            && matches!(entry, Entry::Running(_))
        {
            *entry = Entry::Exited(status);
            table.counts.running -= 1;
        }
        drop(table);
        self.changed.notify_all();
    }

    /// Blocks until `pid` ends, then reaps it; gives up when `stop` fires.
    ///
    /// # Errors
    /// [`ProcError::NoSuchProcess`] for an unknown or reaped pid, [`ProcError::Stopped`].
    pub fn wait(&self, pid: Pid, stop: &Stop) -> Result<ExitStatus, ProcError> {
        let mut table = self.table.lock();
        let mut signalled = false;
        loop {
            match table.entries.get(&pid.0) {
                None => return Err(ProcError::NoSuchProcess),
                Some(Entry::Exited(status)) => {
                    let status = *status;
                    table.entries.remove(&pid.0);
                    return Ok(status);
                }
                // The waiting script dies of a signal after its EXIT trap: what it waits for
                // gets the signal too, even when it started after the signal came.
                Some(Entry::Running(kill)) => {
                    if let Some(signal) = stop.dying().filter(|_| !signalled) {
                        kill(signal);
                        signalled = true;
                    }
                }
            }
            if stop.is_stopped() {
                return Err(ProcError::Stopped);
            }
            self.changed.wait_for(&mut table, TICK);
        }
    }

    /// How `pid` ended, if it has and is not reaped; `None` while it runs or when unknown.
    pub fn ended(&self, pid: Pid) -> Option<ExitStatus> {
        match self.table.lock().entries.get(&pid.0) {
            Some(Entry::Exited(status)) => Some(*status),
            _ => None,
        }
    }

    /// Whether `pid` is a process of the table (running, or ended and not reaped).
    pub fn exists(&self, pid: Pid) -> bool {
        self.table.lock().entries.contains_key(&pid.0)
    }

    /// Sends `signal` to `pid` (nothing for one that ended but is not reaped).
    ///
    /// # Errors
    /// [`ProcError::NoSuchProcess`] for an unknown pid.
    pub fn kill(&self, pid: Pid, signal: i32) -> Result<(), ProcError> {
        match self.table.lock().entries.get(&pid.0) {
            Some(Entry::Running(kill)) => {
                kill(signal);
                Ok(())
            }
            Some(Entry::Exited(_)) => Ok(()),
            None => Err(ProcError::NoSuchProcess),
        }
    }

    /// Signals every running process.
    pub fn kill_all(&self, signal: i32) {
        for entry in self.table.lock().entries.values() {
            if let Entry::Running(kill) = entry {
                kill(signal);
            }
        }
    }

    /// Waits until no process runs, at most `patience`; true if none does.
    pub fn wait_all(&self, patience: Duration) -> bool {
        let deadline = Instant::now() + patience;
        let mut table = self.table.lock();
        while table.counts.running > 0 {
            if self.changed.wait_until(&mut table, deadline).timed_out() {
                return table.counts.running == 0;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[test]
    fn wait_reaps_once_and_kill_reaches_running_processes() {
        let table = Arc::new(ProcessTable::new(Pids::new()));
        let killed = Arc::new(AtomicU32::new(0));
        let k = killed.clone();
        let pid = table.add(Box::new(move |sig| k.store(sig as u32, Ordering::SeqCst)));
        table.kill(pid, 15).unwrap();
        assert_eq!(killed.load(Ordering::SeqCst), 15);
        let t = table.clone();
        std::thread::spawn(move || t.exited(pid, ExitStatus::Signal(15)));
        let stop = Stop::new();
        assert_eq!(table.wait(pid, &stop), Ok(ExitStatus::Signal(15)));
        assert_eq!(table.wait(pid, &stop), Err(ProcError::NoSuchProcess));
        assert!(table.wait_all(Duration::from_millis(1)));
    }

    #[test]
    fn a_dying_waiter_signals_the_process_it_waits_for_once() {
        // A deferred signal that came before the process started still reaches it.
        let stop = Stop::new();
        stop.set_exit_trapped(true);
        assert_eq!(stop.deliver(15), agentos_shell::Delivery::Deferred);
        let table = Arc::new(ProcessTable::new(Pids::new()));
        let (sent, received) = std::sync::mpsc::channel();
        let pid = table.add(Box::new(move |sig| {
            let _ = sent.send(sig);
        }));
        let t = table.clone();
        let process = std::thread::spawn(move || {
            let sig = received.recv().unwrap();
            t.exited(pid, ExitStatus::Signal(sig));
            // Reaping drops the entry's kill hook: no second signal came before it.
            received.recv().is_err()
        });
        assert_eq!(table.wait(pid, &stop), Ok(ExitStatus::Signal(15)));
        assert!(process.join().unwrap(), "signalled twice");
    }

    #[test]
    fn wait_gives_up_when_stopped() {
        let table = ProcessTable::new(Pids::new());
        let pid = table.add(Box::new(|_| {}));
        let stop = Stop::new();
        stop.stop(agentos_shell::StopCause::Signal(9));
        assert_eq!(table.wait(pid, &stop), Err(ProcError::Stopped));
        assert!(!table.wait_all(Duration::from_millis(1)));
        assert_eq!(table.counts_with_one_more().running, 2);
    }
}
