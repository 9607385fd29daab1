//! The watchdog: one thread that stops execs past their wall-time or CPU-time limit.
//!
//! CPU time is the guest thread's own on-CPU time, read from `/proc/self/task/TID/schedstat`
//! (nanoseconds), so a guest that sleeps or waits on stdin uses none. Checks run every
//! [`TICK`], or sooner for a wall deadline that falls earlier.
//!
//! Starting to watch an exec does not wake the watchdog: it keeps ticking while execs come and
//! go, and only falls asleep after [`IDLE_TICKS`] ticks with nothing to watch. Waking it on
//! every exec cost the warm round trip more than the exec itself on our 2-vCPU VM (0.80 ms vs
//! 1.48 ms p50 with 10 ms between execs, and a 2.5 ms tail in one exec in ten), as the woken
//! thread competed with the guest and the host for the other core. An exec only wakes it when
//! it is asleep, or when its wall deadline falls before the next planned check.

use std::sync::Arc;
use std::time::{Duration, Instant};

use agentos_engine::cpu::{GuestThread, schedstat_ns};
use agentos_engine::{ExecHandle, Limits, StopCause};
use parking_lot::{Condvar, Mutex};

/// How often CPU time is sampled.
pub const TICK: Duration = Duration::from_millis(10);

/// Empty ticks after which the watchdog sleeps until an exec wakes it (one second).
pub const IDLE_TICKS: u32 = 100;

#[derive(Clone)]
struct Watch {
    id: u64,
    exec: Arc<ExecHandle>,
    started: Instant,
    timeout: Duration,
    cpu_limit_ns: u64,
    schedstat: Option<Arc<str>>,
}

#[derive(Default)]
struct State {
    next_id: u64,
    watches: Vec<Watch>,
    /// Blocked until notified (not ticking).
    asleep: bool,
    /// When the ticking watchdog looks next.
    next_check: Option<Instant>,
    /// The sidecar is done: the thread ends.
    stopped: bool,
}

/// The watchdog (one per sidecar).
pub struct Watchdog {
    state: Mutex<State>,
    changed: Condvar,
}

/// Stops watching when dropped.
pub struct WatchGuard {
    dog: Arc<Watchdog>,
    id: u64,
}

impl Drop for WatchGuard {
    fn drop(&mut self) {
        let mut state = self.dog.state.lock();
        state.watches.retain(|w| w.id != self.id);
    }
}

impl Watchdog {
    /// A watchdog with its thread started.
    pub fn start() -> Arc<Self> {
        let dog = Arc::new(Watchdog {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        });
        let thread_dog = dog.clone();
        let spawned = std::thread::Builder::new()
            .name("agentos-watchdog".into())
            .spawn(move || thread_dog.run());
        if let Err(e) = spawned {
            tracing::error!("cannot start the watchdog; time limits are not enforced: {e}");
        }
        dog
    }

    /// Watches `exec`, whose guest runs on `thread`, under `limits` from now on.
    pub fn watch(
        self: &Arc<Self>,
        exec: Arc<ExecHandle>,
        thread: Option<GuestThread>,
        limits: &Limits,
    ) -> WatchGuard {
        let schedstat = thread.map(|t| t.schedstat_path().into());
        let started = Instant::now();
        let timeout = Duration::from_millis(limits.timeout_ms);
        let mut state = self.state.lock();
        state.next_id += 1;
        let id = state.next_id;
        state.watches.push(Watch {
            id,
            exec,
            started,
            timeout,
            cpu_limit_ns: limits.cpu_ms.saturating_mul(1_000_000),
            schedstat,
        });
        let deadline = started + timeout;
        if state.asleep || state.next_check.is_some_and(|next| deadline < next) {
            self.changed.notify_one();
        }
        WatchGuard {
            dog: self.clone(),
            id,
        }
    }

    /// Ends the watchdog's thread (at shutdown).
    pub fn stop(&self) {
        self.state.lock().stopped = true;
        self.changed.notify_all();
    }

    fn run(&self) {
        let mut idle_ticks = 0;
        loop {
            let mut state = self.state.lock();
            if state.watches.is_empty() {
                idle_ticks += 1;
            } else {
                idle_ticks = 0;
            }
            if idle_ticks > IDLE_TICKS {
                state.asleep = true;
                state.next_check = None;
                while state.watches.is_empty() && !state.stopped {
                    self.changed.wait(&mut state);
                }
                state.asleep = false;
                idle_ticks = 0;
            }
            if state.stopped {
                return;
            }
            let now = Instant::now();
            let next_deadline = state.watches.iter().map(|w| w.started + w.timeout).min();
            let next = next_deadline.map_or(now + TICK, |d| d.min(now + TICK));
            state.next_check = Some(next);
            let _ = self.changed.wait_until(&mut state, next);
            // Checked without the lock: reading schedstat files must not hold up the execs
            // that start or end meanwhile.
            let watches = state.watches.clone();
            drop(state);
            let now = Instant::now();
            for (exec, cause) in watches.iter().filter_map(|w| w.verdict(now)) {
                exec.stop(cause);
            }
        }
    }
}

impl Watch {
    fn verdict(&self, now: Instant) -> Option<(&Arc<ExecHandle>, StopCause)> {
        let ran = now - self.started;
        if ran >= self.timeout {
            let cause = StopCause::Timeout {
                limit_ms: self.timeout.as_millis() as u64,
                ran_ms: ran.as_millis() as u64,
            };
            return Some((&self.exec, cause));
        }
        let used = schedstat_ns(self.schedstat.as_deref()?)?;
        (used >= self.cpu_limit_ns).then(|| {
            let cause = StopCause::Cpu {
                limit_ms: self.cpu_limit_ns / 1_000_000,
                used_ms: used / 1_000_000,
            };
            (&self.exec, cause)
        })
    }
}
