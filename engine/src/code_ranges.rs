//! The process's room for isolates' code ranges.
//!
//! Without pointer compression every isolate reserves a code range of its own: address space
//! for its machine code, as large as its heap limit, at least 64 MiB and at most 512 MiB (V8's
//! own sizing on x64, so the range never binds before the heap limit does). V8 maps it writable, so Linux counts all of
//! it against `RLIMIT_DATA`, the memory ceiling of an engine cell, though little of it is ever
//! touched: at 256 MiB each, 30 live isolates filled the default 8 GiB ceiling and the next one
//! aborted the whole cell ("Failed to reserve virtual memory for CodeRange"), every guest of the
//! cell with it. So each isolate takes a [`CodeRangeLease`] first; past [`CEILING_SHARE`] of the
//! ceiling the new isolate is refused with [`PrepareError::Capacity`] (its exec ends with
//! `MEMORY_LIMIT` and a message naming the ceiling) while every other guest goes on.
#![expect(unsafe_code, reason = "getrlimit reads the process's data limit")]

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

use crate::error::PrepareError;

/// V8's largest code range on x64 without pointer compression, bytes.
pub const MAX_CODE_RANGE: u64 = 512 << 20;

/// V8's smallest code range, bytes (a smaller request is rounded up to it).
pub const MIN_CODE_RANGE: u64 = 64 << 20;

/// The share of the process's data limit code ranges may reserve (numerator, denominator): the
/// rest is left to what guests really allocate (heaps, ArrayBuffers, wasm memories).
pub const CEILING_SHARE: (u64, u64) = (3, 4);

/// How long a guest's isolate waits for room before its exec is refused: a burst of guests
/// is smoothed, a cell held full for longer refuses the newcomer.
pub const PATIENCE: Duration = Duration::from_secs(2);

/// Frees room by sending one idle warm worker home; false when there is none.
pub type Evict = Box<dyn Fn() -> bool + Send + Sync>;

/// Code-range reservations of the process's live isolates, against the room its data limit
/// leaves for them.
pub struct CodeRanges {
    /// The process's data limit, bytes; `None`: unlimited, no bound.
    ceiling: Option<u64>,
    /// How long a guest waits for room.
    patience: Duration,
    held: Mutex<Held>,
    freed: Condvar,
    evict: OnceLock<Evict>,
}

#[derive(Debug, Default)]
struct Held {
    bytes: u64,
    live: u64,
}

/// Who asks for room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claimant {
    /// A guest's isolate: may wait for room, and sends idle warm workers home for it.
    Guest,
    /// A warm worker preparing ahead: never waits, and leaves room for one more isolate of
    /// its size, so warm isolates never take the last room a guest could have.
    Spare,
}

impl CodeRanges {
    /// Room for code ranges under `data_limit` (the process's `RLIMIT_DATA`; `None`: unlimited),
    /// a guest waiting at most `patience` for it.
    pub fn new(data_limit: Option<u64>, patience: Duration) -> Arc<Self> {
        Arc::new(Self {
            ceiling: data_limit,
            patience,
            held: Mutex::new(Held::default()),
            freed: Condvar::new(),
            evict: OnceLock::new(),
        })
    }

    /// Room under this process's own `RLIMIT_DATA` (the cell's ceiling, when it set one).
    pub fn for_this_process() -> Arc<Self> {
        Self::new(data_limit(), PATIENCE)
    }

    /// From now on a guest short of room has `evict` send an idle warm worker home (the first
    /// hook set stays).
    pub fn set_evict(&self, evict: Evict) {
        let _ = self.evict.set(evict);
    }

    /// The code range V8 reserves for an isolate with a `heap_mb` heap limit, bytes.
    pub fn size_for(heap_mb: u32) -> u64 {
        (u64::from(heap_mb) << 20).clamp(MIN_CODE_RANGE, MAX_CODE_RANGE)
    }

    /// Takes room for one isolate's code range of `bytes`.
    ///
    /// # Errors
    /// [`PrepareError::Capacity`] when the live isolates' ranges leave no room for it (for a
    /// guest, still none after its patience and every idle warm worker sent home).
    pub fn lease(
        self: &Arc<Self>,
        bytes: u64,
        claimant: Claimant,
    ) -> Result<CodeRangeLease, PrepareError> {
        let mut held = self.held.lock();
        match claimant {
            // A warm worker never waits, and leaves room for one more isolate.
            Claimant::Spare if !self.fits(&held, bytes.saturating_mul(2)) => {
                return Err(self.refusal(&held));
            }
            Claimant::Spare => {}
            Claimant::Guest => self.wait_for_room(&mut held, bytes)?,
        }
        held.bytes += bytes;
        held.live += 1;
        Ok(CodeRangeLease {
            ranges: self.clone(),
            bytes,
        })
    }

    /// Waits up to `patience` for `bytes` of room, sending idle warm workers home meanwhile.
    fn wait_for_room(
        &self,
        held: &mut parking_lot::MutexGuard<'_, Held>,
        bytes: u64,
    ) -> Result<(), PrepareError> {
        let deadline = Instant::now() + self.patience;
        loop {
            if self.fits(held, bytes) {
                return Ok(());
            }
            let evicted = parking_lot::MutexGuard::unlocked(held, || {
                self.evict.get().is_some_and(|evict| evict())
            });
            if self.fits(held, bytes) {
                return Ok(());
            }
            // An evicted worker gives its room back once its isolate is disposed.
            let timed_out = self.freed.wait_until(held, deadline).timed_out();
            if timed_out && !evicted && !self.fits(held, bytes) {
                return Err(self.refusal(held));
            }
        }
    }

    fn fits(&self, held: &Held, bytes: u64) -> bool {
        let (num, den) = CEILING_SHARE;
        let room = self.ceiling.map(|ceiling| ceiling / den * num);
        room.is_none_or(|room| held.bytes.saturating_add(bytes) <= room)
    }

    fn refusal(&self, held: &Held) -> PrepareError {
        PrepareError::Capacity {
            live: held.live,
            reserved_mb: held.bytes >> 20,
            ceiling_mb: self.ceiling.unwrap_or_default() >> 20,
        }
    }

    /// Bytes reserved by live isolates now.
    pub fn reserved(&self) -> u64 {
        self.held.lock().bytes
    }
}

/// One isolate's share of [`CodeRanges`], given back when dropped (after the isolate).
pub struct CodeRangeLease {
    ranges: Arc<CodeRanges>,
    bytes: u64,
}

impl std::fmt::Debug for CodeRangeLease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeRangeLease")
            .field("bytes", &self.bytes)
            .finish_non_exhaustive()
    }
}

impl Drop for CodeRangeLease {
    fn drop(&mut self) {
        let mut held = self.ranges.held.lock();
        held.bytes -= self.bytes;
        held.live -= 1;
        drop(held);
        self.ranges.freed.notify_all();
    }
}

/// This process's `RLIMIT_DATA` soft limit, bytes; `None` when unlimited.
fn data_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` writes one `rlimit` through the pointer, which is valid for writes.
    let rc = unsafe { libc::getrlimit(libc::RLIMIT_DATA, &raw mut limit) };
    (rc == 0 && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;

    const QUARTER: u64 = 256 << 20;
    const TEST_PATIENCE: Duration = Duration::from_millis(500);

    #[test]
    fn leases_past_the_room_are_refused_until_one_is_returned() {
        let ranges = CodeRanges::new(Some(1 << 30), TEST_PATIENCE);
        let one = ranges.lease(QUARTER, Claimant::Guest).expect("first");
        let two = ranges.lease(QUARTER, Claimant::Guest).expect("second");
        let three = ranges
            .lease(QUARTER, Claimant::Guest)
            .expect("third: 3/4 of 1 GiB");
        let refused = ranges
            .lease(QUARTER, Claimant::Guest)
            .expect_err("a fourth has no room");
        assert!(
            refused.to_string().contains("1024 MiB"),
            "names the ceiling: {refused}"
        );
        drop(two);
        let again = ranges.lease(QUARTER, Claimant::Guest).expect("room again");
        assert_eq!(ranges.reserved(), 3 * QUARTER);
        drop((one, three, again));
        assert_eq!(ranges.reserved(), 0);
    }

    #[test]
    fn a_guest_waits_for_room_another_isolate_gives_back() {
        let ranges = CodeRanges::new(Some(1 << 30), TEST_PATIENCE);
        let held: Vec<_> = (0..3)
            .map(|_| ranges.lease(QUARTER, Claimant::Guest).expect("fits"))
            .collect();
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            drop(held);
        });
        let lease = ranges
            .lease(QUARTER, Claimant::Guest)
            .expect("room once they end");
        release.join().expect("releaser");
        drop(lease);
    }

    #[test]
    fn a_spare_never_takes_the_last_room() {
        let ranges = CodeRanges::new(Some(1 << 30), TEST_PATIENCE);
        let one = ranges
            .lease(QUARTER, Claimant::Spare)
            .expect("room for two more");
        let two = ranges
            .lease(QUARTER, Claimant::Spare)
            .expect("room for one more");
        ranges
            .lease(QUARTER, Claimant::Spare)
            .expect_err("the last room is a guest's");
        let guest = ranges
            .lease(QUARTER, Claimant::Guest)
            .expect("the guest gets it");
        drop((one, two, guest));
    }

    #[test]
    fn a_guest_short_of_room_sends_a_warm_worker_home() {
        let ranges = CodeRanges::new(Some(1 << 30), TEST_PATIENCE);
        let parked = Mutex::new(Some(ranges.lease(QUARTER, Claimant::Spare).expect("warm")));
        let held: Vec<_> = (0..2)
            .map(|_| ranges.lease(QUARTER, Claimant::Guest).expect("fits"))
            .collect();
        let parked = Arc::new(parked);
        let asked = Arc::new(AtomicBool::new(false));
        let (hook_parked, hook_asked) = (parked.clone(), asked.clone());
        ranges.set_evict(Box::new(move || {
            hook_asked.store(true, Ordering::Release);
            hook_parked.lock().take().is_some()
        }));
        let lease = ranges
            .lease(QUARTER, Claimant::Guest)
            .expect("the warm one's room");
        assert!(asked.load(Ordering::Acquire));
        drop((held, lease));
    }

    #[test]
    fn without_a_data_limit_nothing_is_refused() {
        let ranges = CodeRanges::new(None, TEST_PATIENCE);
        let leases: Vec<_> = (0..100)
            .map(|_| {
                ranges
                    .lease(MAX_CODE_RANGE, Claimant::Spare)
                    .expect("no bound")
            })
            .collect();
        assert_eq!(ranges.reserved(), 100 * MAX_CODE_RANGE);
        drop(leases);
    }

    #[test]
    fn the_range_follows_the_heap_limit_between_v8s_bounds() {
        assert_eq!(CodeRanges::size_for(16), MIN_CODE_RANGE);
        assert_eq!(CodeRanges::size_for(256), 256 << 20);
        assert_eq!(CodeRanges::size_for(2048), MAX_CODE_RANGE);
    }
}
