//! CPU time of an exec that runs on many threads (a shell script: the interpreter, its forks,
//! and one isolate per command), summed and held to the exec's `cpu_ms`.
//!
//! ```text
//!   CpuGroup: live threads (schedstat path, CPU at join) + CPU of threads that left
//!   CpuWatch: one thread per engine; every TICK, for each group: used >= limit -> stop the exec
//! ```
//! The control plane's watchdog sees one thread per exec; a group adds everything else. The
//! watch thread sleeps while no group exists.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use parking_lot::{Condvar, Mutex};

use crate::cpu::{GuestThread, schedstat_ns};
use crate::outcome::StopCause;
use crate::stopper::Stopper;

/// How often groups are checked.
pub const TICK: Duration = Duration::from_millis(10);

/// One exec's threads and their CPU time.
pub struct CpuGroup {
    limit_ns: u64,
    stopper: Arc<Stopper>,
    live: Mutex<Vec<Member>>,
    left_ns: AtomicU64,
    next_key: AtomicU64,
}

struct Member {
    key: u64,
    path: String,
    at_join: u64,
}

/// A thread's place in a group; [`CpuGroup::leave`] charges what it used.
#[derive(Debug)]
pub struct Membership {
    key: u64,
}

impl CpuGroup {
    /// A group held to `limit_ms` of CPU, stopping the exec through `stopper` past it.
    pub fn new(limit_ms: u64, stopper: Arc<Stopper>) -> Arc<Self> {
        Arc::new(Self {
            limit_ns: limit_ms.saturating_mul(1_000_000),
            stopper,
            live: Mutex::new(Vec::new()),
            left_ns: AtomicU64::new(0),
            next_key: AtomicU64::new(0),
        })
    }

    /// Counts `thread`'s CPU time from now; `None` when its clock cannot be read.
    pub fn join(&self, thread: Option<GuestThread>) -> Option<Membership> {
        let path = thread?.schedstat_path();
        let at_join = schedstat_ns(&path)?;
        let key = self.next_key.fetch_add(1, Ordering::Relaxed);
        self.live.lock().push(Member { key, path, at_join });
        Some(Membership { key })
    }

    /// Stops counting a thread, keeping the CPU it used (call it on that thread, or while it
    /// still exists).
    pub fn leave(&self, membership: Membership) {
        let member = {
            let mut live = self.live.lock();
            let at = live.iter().position(|m| m.key == membership.key);
            at.map(|i| live.swap_remove(i))
        };
        if let Some(m) = member {
            let now = schedstat_ns(&m.path).unwrap_or(m.at_join);
            self.left_ns
                .fetch_add(now.saturating_sub(m.at_join), Ordering::Relaxed);
        }
    }

    /// CPU used so far by every thread that joined, ns.
    pub fn used_ns(&self) -> u64 {
        let live: Vec<(String, u64)> = (self.live.lock().iter())
            .map(|m| (m.path.clone(), m.at_join))
            .collect();
        let running: u64 = live
            .iter()
            .filter_map(|(path, at)| schedstat_ns(path).map(|now| now.saturating_sub(*at)))
            .sum();
        running + self.left_ns.load(Ordering::Relaxed)
    }

    /// Stops the exec if it used its CPU time; true if it is over.
    fn check(&self) -> bool {
        let used = self.used_ns();
        if used < self.limit_ns {
            return false;
        }
        self.stopper.stop(StopCause::Cpu {
            limit_ms: self.limit_ns / 1_000_000,
            used_ms: used / 1_000_000,
        });
        true
    }
}

/// The thread that checks every live group.
pub struct CpuWatch {
    groups: Mutex<Vec<Weak<CpuGroup>>>,
    changed: Condvar,
    started: std::sync::Once,
}

impl CpuWatch {
    /// A watch whose thread starts with the first group.
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            groups: Mutex::new(Vec::new()),
            changed: Condvar::new(),
            started: std::sync::Once::new(),
        })
    }

    /// Checks `group` every [`TICK`] until it is dropped.
    pub fn watch(self: &Arc<Self>, group: &Arc<CpuGroup>) {
        let mut groups = self.groups.lock();
        let first = groups.is_empty();
        groups.push(Arc::downgrade(group));
        drop(groups);
        if first {
            self.changed.notify_one();
        }
        self.ensure_thread();
    }

    fn ensure_thread(self: &Arc<Self>) {
        let me = Arc::downgrade(self);
        self.started.call_once(|| {
            let spawned = std::thread::Builder::new()
                .name("agentos-cpu-watch".into())
                .spawn(move || run(&me));
            if let Err(e) = spawned {
                tracing::error!("cannot start the CPU watch; scripts' CPU is not summed: {e}");
            }
        });
    }
}

fn run(watch: &Weak<CpuWatch>) {
    loop {
        let Some(watch) = watch.upgrade() else { return };
        let mut groups = watch.groups.lock();
        groups.retain(|g| g.strong_count() > 0);
        if groups.is_empty() {
            // Woken by the next group; the timeout lets the thread end with its engine.
            watch.changed.wait_for(&mut groups, Duration::from_secs(1));
            continue;
        }
        let live: Vec<Arc<CpuGroup>> = groups.iter().filter_map(Weak::upgrade).collect();
        watch.changed.wait_for(&mut groups, TICK);
        drop(groups);
        for group in live {
            group.check();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Burns `ms` of this thread's own CPU time (not wall time: on a loaded machine a thread
    /// may get a small share of the wall clock), within a generous wall bound.
    fn spin(ms: u64) {
        let start = crate::cpu::thread_cpu_ns().unwrap_or(0);
        let want = ms * 1_000_000;
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        let mut x = 0u64;
        while crate::cpu::thread_cpu_ns()
            .unwrap_or(u64::MAX)
            .saturating_sub(start)
            < want
            && std::time::Instant::now() < deadline
        {
            for _ in 0..10_000 {
                x = std::hint::black_box(x.wrapping_add(1));
            }
        }
    }

    #[test]
    fn threads_that_left_still_count() {
        let (tx, _rx) = crossbeam_channel::unbounded();
        let group = CpuGroup::new(10_000, Arc::new(Stopper::new(tx)));
        let g = group.clone();
        std::thread::spawn(move || {
            let m = g.join(GuestThread::current()).unwrap();
            spin(30);
            g.leave(m);
        })
        .join()
        .unwrap();
        assert!(group.used_ns() >= 5_000_000, "{}", group.used_ns());
        assert!(group.live.lock().is_empty());
    }

    #[test]
    fn a_group_over_its_limit_stops_the_exec() {
        let (tx, _rx) = crossbeam_channel::unbounded();
        let stopper = Arc::new(Stopper::new(tx));
        let group = CpuGroup::new(5, stopper.clone());
        let watch = CpuWatch::new();
        watch.watch(&group);
        let m = group.join(GuestThread::current()).unwrap();
        let end = std::time::Instant::now() + Duration::from_secs(30);
        while stopper.cause().is_none() && std::time::Instant::now() < end {
            spin(5);
        }
        group.leave(m);
        assert!(matches!(
            stopper.cause(),
            Some(StopCause::Cpu { limit_ms: 5, .. })
        ));
    }
}
