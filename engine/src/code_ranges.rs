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

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::PrepareError;

/// V8's largest code range on x64 without pointer compression, bytes.
pub const MAX_CODE_RANGE: u64 = 512 << 20;

/// V8's smallest code range, bytes (a smaller request is rounded up to it).
pub const MIN_CODE_RANGE: u64 = 64 << 20;

/// The share of the process's data limit code ranges may reserve (numerator, denominator): the
/// rest is left to what guests really allocate (heaps, ArrayBuffers, wasm memories).
pub const CEILING_SHARE: (u64, u64) = (3, 4);

/// Code-range reservations of the process's live isolates, against the room its data limit
/// leaves for them.
#[derive(Debug)]
pub struct CodeRanges {
    /// The process's data limit, bytes; `None`: unlimited, no bound.
    ceiling: Option<u64>,
    reserved: AtomicU64,
    live: AtomicU64,
}

impl CodeRanges {
    /// Room for code ranges under `data_limit` (the process's `RLIMIT_DATA`; `None`: unlimited).
    pub fn new(data_limit: Option<u64>) -> Arc<Self> {
        Arc::new(Self {
            ceiling: data_limit,
            reserved: AtomicU64::new(0),
            live: AtomicU64::new(0),
        })
    }

    /// Room under this process's own `RLIMIT_DATA` (the cell's ceiling, when it set one).
    pub fn for_this_process() -> Arc<Self> {
        Self::new(data_limit())
    }

    /// The code range V8 reserves for an isolate with a `heap_mb` heap limit, bytes.
    pub fn size_for(heap_mb: u32) -> u64 {
        (u64::from(heap_mb) << 20).clamp(MIN_CODE_RANGE, MAX_CODE_RANGE)
    }

    /// Takes room for one isolate's code range of `bytes`.
    ///
    /// # Errors
    /// [`PrepareError::Capacity`] when the live isolates' ranges leave no room for it.
    pub fn lease(self: &Arc<Self>, bytes: u64) -> Result<CodeRangeLease, PrepareError> {
        let taken = self
            .reserved
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |reserved| {
                let after = reserved.checked_add(bytes)?;
                self.room()
                    .is_none_or(|room| after <= room)
                    .then_some(after)
            });
        match (taken, self.ceiling) {
            (Ok(_), _) | (Err(_), None) => {
                self.live.fetch_add(1, Ordering::AcqRel);
                Ok(CodeRangeLease {
                    ranges: self.clone(),
                    bytes,
                })
            }
            (Err(_), Some(ceiling)) => Err(PrepareError::Capacity {
                live: self.live.load(Ordering::Acquire),
                reserved_mb: self.reserved() >> 20,
                ceiling_mb: ceiling >> 20,
            }),
        }
    }

    /// Bytes all leases may hold at once: [`CEILING_SHARE`] of the ceiling.
    fn room(&self) -> Option<u64> {
        let (num, den) = CEILING_SHARE;
        self.ceiling.map(|ceiling| ceiling / den * num)
    }

    /// Bytes reserved by live isolates now.
    pub fn reserved(&self) -> u64 {
        self.reserved.load(Ordering::Acquire)
    }
}

/// One isolate's share of [`CodeRanges`], given back when dropped (after the isolate).
#[derive(Debug)]
pub struct CodeRangeLease {
    ranges: Arc<CodeRanges>,
    bytes: u64,
}

impl Drop for CodeRangeLease {
    fn drop(&mut self) {
        self.ranges.reserved.fetch_sub(self.bytes, Ordering::AcqRel);
        self.ranges.live.fetch_sub(1, Ordering::AcqRel);
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
    use super::*;

    #[test]
    fn leases_past_the_room_are_refused_until_one_is_returned() {
        let ranges = CodeRanges::new(Some(1 << 30));
        let quarter = 256 << 20;
        let one = ranges.lease(quarter).expect("first");
        let two = ranges.lease(quarter).expect("second");
        let three = ranges
            .lease(quarter)
            .expect("third: 768 MiB of 1 GiB's 3/4");
        let refused = ranges.lease(quarter).expect_err("a fourth has no room");
        assert!(
            refused.to_string().contains("1024 MiB"),
            "names the ceiling: {refused}"
        );
        drop(two);
        let again = ranges.lease(quarter).expect("room again");
        assert_eq!(ranges.reserved(), 3 * quarter);
        drop((one, three, again));
        assert_eq!(ranges.reserved(), 0);
    }

    #[test]
    fn without_a_data_limit_nothing_is_refused() {
        let ranges = CodeRanges::new(None);
        let leases: Vec<_> = (0..100)
            .map(|_| ranges.lease(MAX_CODE_RANGE).expect("no bound"))
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
