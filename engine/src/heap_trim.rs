//! Giving the C heap's free memory back to the system once the engine is quiet.
//!
//! A disposed isolate frees tens of MiB that glibc keeps in its arenas; `malloc_trim` returns
//! them. But it walks every arena and `madvise`s their free pages, and in a process whose threads
//! run on every core each of those is a TLB shootdown on all of them: trimming after every
//! disposal cost a shell loop of 300 `basename` children 22 % of its CPU time and a third of its
//! page faults (`perf stat`, 1.63 s -> 1.23-1.28 s of task clock). So a worker only notes that it
//! disposed of an isolate ([`disposed`]), and one thread trims once none has been disposed for
//! [`QUIET`], or [`MAX_DELAY`] after the first untrimmed disposal under constant load.
//!
//! ```text
//! worker: dispose isolate -> disposed() ─(first since the last trim: notify)─► agentos-trim
//! agentos-trim: wait until QUIET since the last disposal (or MAX_DELAY) -> malloc_trim(0)
//! ```
//!
//! Large buffers an exec lets go of (a module's bytes once V8 holds its own copy) are handed to
//! the same thread ([`release`]) and freed with the next trim: unmapping 95 MB costs 30-70 ms
//! here, which the exec should not wait for.

#![expect(unsafe_code, reason = "malloc_trim")]

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use bytes::Bytes;
use parking_lot::{Condvar, Mutex};

/// How long no isolate must have been disposed before the trim.
pub const QUIET: Duration = Duration::from_millis(100);

/// Longest a disposal waits for its trim while others keep coming.
pub const MAX_DELAY: Duration = Duration::from_secs(1);

/// Disposals not yet trimmed after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pending {
    /// The first of them.
    since: Instant,
    /// The last of them.
    last: Instant,
}

/// What the trimming thread does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    Trim,
    Wait(Duration),
}

fn plan(pending: Pending, now: Instant) -> Plan {
    let quiet_left = QUIET.saturating_sub(now.saturating_duration_since(pending.last));
    let delay_left = MAX_DELAY.saturating_sub(now.saturating_duration_since(pending.since));
    match quiet_left.min(delay_left) {
        Duration::ZERO => Plan::Trim,
        left => Plan::Wait(left),
    }
}

struct Trimmer {
    pending: Mutex<Option<Pending>>,
    wake: Condvar,
    /// Buffers to free with the next trim.
    released: Mutex<Vec<Bytes>>,
}

static TRIMMER: Trimmer = Trimmer {
    pending: Mutex::new(None),
    wake: Condvar::new(),
    released: Mutex::new(Vec::new()),
};

/// Whether the trimming thread runs (started by the first disposal).
static THREAD: OnceLock<bool> = OnceLock::new();

/// A worker disposed of its isolate: the C heap is trimmed once the engine is quiet.
pub fn disposed() {
    if !*THREAD.get_or_init(spawn) {
        return trim(); // no thread: trim now, as before
    }
    schedule();
}

/// `bytes` are no longer needed here: freed (if nothing else holds them) with the next trim.
pub fn release(bytes: Bytes) {
    if !*THREAD.get_or_init(spawn) {
        return drop(bytes);
    }
    TRIMMER.released.lock().push(bytes);
    schedule();
}

fn schedule() {
    let now = Instant::now();
    let mut pending = TRIMMER.pending.lock();
    match pending.as_mut() {
        Some(p) => p.last = now,
        None => {
            *pending = Some(Pending {
                since: now,
                last: now,
            });
            TRIMMER.wake.notify_one();
        }
    }
}

fn spawn() -> bool {
    let spawned = std::thread::Builder::new()
        .name("agentos-trim".into())
        .spawn(|| run(&TRIMMER));
    if let Err(e) = &spawned {
        tracing::warn!("no heap-trimming thread ({e}): trimming after each isolate");
    }
    spawned.is_ok()
}

fn run(trimmer: &Trimmer) {
    let mut pending = trimmer.pending.lock();
    loop {
        let Some(p) = *pending else {
            trimmer.wake.wait(&mut pending);
            continue;
        };
        match plan(p, Instant::now()) {
            Plan::Wait(left) => {
                trimmer.wake.wait_for(&mut pending, left);
            }
            Plan::Trim => {
                *pending = None;
                parking_lot::MutexGuard::unlocked(&mut pending, trim);
            }
        }
    }
}

fn trim() {
    drop(std::mem::take(&mut *TRIMMER.released.lock()));
    // SAFETY: `malloc_trim` only releases free memory of the allocator's arenas; it is
    // thread-safe and takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(base: Instant, ms: u64) -> Instant {
        base + Duration::from_millis(ms)
    }

    #[test]
    fn a_trim_waits_for_a_quiet_spell_after_the_last_disposal() {
        let t = Instant::now();
        let p = Pending {
            since: t,
            last: at(t, 40),
        };
        assert_eq!(plan(p, at(t, 50)), Plan::Wait(Duration::from_millis(90)));
        assert_eq!(plan(p, at(t, 140)), Plan::Trim);
    }

    #[test]
    fn constant_disposals_are_trimmed_after_at_most_the_longest_delay() {
        let t = Instant::now();
        let p = Pending {
            since: t,
            last: at(t, 990),
        };
        assert_eq!(plan(p, at(t, 995)), Plan::Wait(Duration::from_millis(5)));
        assert_eq!(plan(p, at(t, 1000)), Plan::Trim);
    }
}
