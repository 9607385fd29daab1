//! The watchdog: one thread that stops execs past their wall-time or CPU-time limit.
//!
//! CPU time is the guest thread's own on-CPU time, read from `/proc/self/task/TID/schedstat`
//! (nanoseconds), so a guest that sleeps or waits on stdin uses none. Checks run every
//! [`TICK`], or sooner for a wall deadline that falls earlier.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

use crate::engine::{StopCause, Stopper};
use crate::limits::Limits;

/// How often CPU time is sampled.
pub const TICK: Duration = Duration::from_millis(10);

struct Watch {
    id: u64,
    stopper: Arc<Stopper>,
    started: Instant,
    timeout: Duration,
    cpu_limit_ns: u64,
    schedstat: Option<String>,
}

/// The process's watchdog.
pub struct Watchdog {
    watches: Mutex<(u64, Vec<Watch>)>,
    changed: Condvar,
}

/// Stops watching when dropped.
pub struct WatchGuard {
    id: u64,
}

impl Drop for WatchGuard {
    fn drop(&mut self) {
        Watchdog::global()
            .watches
            .lock()
            .1
            .retain(|w| w.id != self.id);
    }
}

impl Watchdog {
    /// The watchdog, started on first use.
    pub fn global() -> &'static Watchdog {
        static DOG: OnceLock<Watchdog> = OnceLock::new();
        static STARTED: std::sync::Once = std::sync::Once::new();
        let dog = DOG.get_or_init(|| Watchdog {
            watches: Mutex::new((0, Vec::new())),
            changed: Condvar::new(),
        });
        STARTED.call_once(|| {
            let spawned = std::thread::Builder::new()
                .name("agentos-watchdog".into())
                .spawn(move || dog.run());
            if let Err(e) = spawned {
                tracing::error!("cannot start the watchdog; time limits are not enforced: {e}");
            }
        });
        dog
    }

    /// Watches the calling thread (the guest's) under `limits` from now on.
    pub fn watch(&self, stopper: Arc<Stopper>, limits: &Limits) -> WatchGuard {
        let schedstat = current_tid().map(|tid| format!("/proc/self/task/{tid}/schedstat"));
        let mut watches = self.watches.lock();
        watches.0 += 1;
        let id = watches.0;
        // A busy watchdog wakes every TICK anyway; only an idle one needs waking (a wake-up is
        // not free, and this runs on every exec's critical path).
        let was_idle = watches.1.is_empty();
        watches.1.push(Watch {
            id,
            stopper,
            started: Instant::now(),
            timeout: Duration::from_millis(limits.timeout_ms),
            cpu_limit_ns: limits.cpu_ms.saturating_mul(1_000_000),
            schedstat,
        });
        if was_idle {
            self.changed.notify_one();
        }
        WatchGuard { id }
    }

    fn run(&self) {
        loop {
            let mut watches = self.watches.lock();
            while watches.1.is_empty() {
                self.changed.wait(&mut watches);
            }
            let next_deadline = watches.1.iter().map(|w| w.started + w.timeout).min();
            let wait = next_deadline.map_or(TICK, |d| d.saturating_duration_since(Instant::now()));
            let _ = self.changed.wait_for(&mut watches, wait.min(TICK));
            let now = Instant::now();
            let due: Vec<(Arc<Stopper>, StopCause)> =
                watches.1.iter().filter_map(|w| w.verdict(now)).collect();
            drop(watches);
            for (stopper, cause) in due {
                stopper.stop(cause);
            }
        }
    }
}

impl Watch {
    fn verdict(&self, now: Instant) -> Option<(Arc<Stopper>, StopCause)> {
        let ran = now - self.started;
        if ran >= self.timeout {
            let cause = StopCause::Timeout {
                limit_ms: self.timeout.as_millis() as u64,
                ran_ms: ran.as_millis() as u64,
            };
            return Some((self.stopper.clone(), cause));
        }
        let used = cpu_ns(self.schedstat.as_deref()?)?;
        (used >= self.cpu_limit_ns).then(|| {
            let cause = StopCause::Cpu {
                limit_ms: self.cpu_limit_ns / 1_000_000,
                used_ms: used / 1_000_000,
            };
            (self.stopper.clone(), cause)
        })
    }
}

/// The calling thread's CPU time so far, in nanoseconds.
pub fn thread_cpu_ns() -> Option<u64> {
    cpu_ns("/proc/thread-self/schedstat")
}

/// The calling thread's id, from `/proc/thread-self` (`PID/task/TID`).
fn current_tid() -> Option<u32> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    link.file_name()?.to_str()?.parse().ok()
}

/// On-CPU nanoseconds of a thread: the first field of its `schedstat`.
fn cpu_ns(schedstat: &str) -> Option<u64> {
    let text = std::fs::read_to_string(schedstat).ok()?;
    text.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_cpu_time_is_readable_and_grows() {
        let path = format!("/proc/self/task/{}/schedstat", current_tid().unwrap());
        let before = cpu_ns(&path).unwrap();
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        std::hint::black_box(x);
        assert!(cpu_ns(&path).unwrap() > before);
    }
}
