//! A process table shared by the test OS implementations: pids, exit statuses, blocking
//! waits that wake on the exec's stop flag, kills, and internal processes on threads.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use agentos_shell::{ExitStatus, InternalJob, Pid, ProcError, SpawnError, Stop, StopCause};

type Killer = Box<dyn Fn(i32) + Send>;

enum Entry {
    Running(Killer),
    Done(ExitStatus),
}

/// Stack of the threads that run internal processes.
const STACK: usize = 64 << 20;

#[derive(Clone)]
pub struct Procs {
    inner: Arc<Inner>,
}

struct Inner {
    next: AtomicU32,
    table: Mutex<HashMap<u32, Entry>>,
    changed: Condvar,
}

impl Procs {
    pub fn new() -> Self {
        Self {
            inner: Arc::new(Inner {
                next: AtomicU32::new(100),
                table: Mutex::new(HashMap::new()),
                changed: Condvar::new(),
            }),
        }
    }

    /// Registers a running process killed by `kill`.
    pub fn add(&self, kill: Killer) -> Pid {
        let pid = self.inner.next.fetch_add(1, Ordering::SeqCst);
        self.inner
            .table
            .lock()
            .unwrap()
            .insert(pid, Entry::Running(kill));
        Pid(pid)
    }

    /// Marks `pid` ended.
    pub fn done(&self, pid: Pid, status: ExitStatus) {
        self.inner
            .table
            .lock()
            .unwrap()
            .insert(pid.0, Entry::Done(status));
        self.inner.changed.notify_all();
    }

    pub fn wait(&self, pid: Pid, stop: &Stop) -> Result<ExitStatus, ProcError> {
        let mut t = self.inner.table.lock().unwrap();
        loop {
            match t.get(&pid.0) {
                None => return Err(ProcError::NoSuchProcess),
                Some(Entry::Done(st)) => {
                    let st = *st;
                    t.remove(&pid.0);
                    return Ok(st);
                }
                Some(Entry::Running(_)) => {}
            }
            if stop.is_stopped() {
                return Err(ProcError::Stopped);
            }
            t = self
                .inner
                .changed
                .wait_timeout(t, Duration::from_millis(10))
                .unwrap()
                .0;
        }
    }

    pub fn kill(&self, pid: Pid, sig: i32) -> Result<(), ProcError> {
        match self.inner.table.lock().unwrap().get(&pid.0) {
            Some(Entry::Running(k)) => {
                k(sig);
                Ok(())
            }
            Some(Entry::Done(_)) => Ok(()),
            None => Err(ProcError::NoSuchProcess),
        }
    }

    /// Kills everything still running (the end of an exec).
    pub fn kill_all(&self) {
        for e in self.inner.table.lock().unwrap().values() {
            if let Entry::Running(k) = e {
                k(9);
            }
        }
    }

    /// Runs an internal process on its own thread.
    pub fn spawn_internal(&self, job: InternalJob) -> Result<Pid, SpawnError> {
        let stop = job.stop.clone();
        let pid = self.add(Box::new(move |sig| stop.stop(StopCause::Signal(sig))));
        let me = self.clone();
        let run = job.run;
        std::thread::Builder::new()
            .stack_size(STACK)
            .spawn(move || {
                let code = run();
                me.done(pid, ExitStatus::Code(code));
            })
            .map_err(|e| SpawnError::Other(e.to_string()))?;
        Ok(pid)
    }
}
