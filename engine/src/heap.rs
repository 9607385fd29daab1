//! The heap limit of one isolate: V8's heap constraints plus a near-heap-limit callback that
//! terminates the guest and grants headroom ONCE, so V8 unwinds instead of aborting the process.
//!
//! A guest inside a builtin that never checks for termination (`new Array(1e8).fill(0)`) keeps
//! allocating through the headroom; when V8 asks again, the limit is not raised again: V8 then
//! aborts the process (an engine cell, which the supervisor replaces), and the guest is named
//! as the cause in its last words. Raising the limit on every call let such a guest take the
//! whole machine's memory.
//!
//! The guard is boxed and must outlive its isolate: the worker declares it before the isolate,
//! so it is dropped after the isolate is disposed.
#![expect(
    unsafe_code,
    reason = "V8 hands the near-heap-limit callback a raw data pointer"
)]

use std::ffi::c_void;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use agentos_proto::ErrorCode;

use crate::budget::Budget;

/// Extra room granted once the limit is hit, so V8 can unwind the terminated guest.
const HEADROOM_BYTES: usize = 64 << 20;

/// Watches one isolate's heap.
pub struct HeapGuard {
    limit_mb: u32,
    budget: Arc<Budget>,
    handle: v8::IsolateHandle,
    hit: AtomicBool,
    observed: AtomicUsize,
}

impl HeapGuard {
    /// Installs the callback on `isolate` (created with a `limit_mb` heap limit).
    pub fn install(
        isolate: &mut v8::OwnedIsolate,
        limit_mb: u32,
        budget: Arc<Budget>,
    ) -> Box<HeapGuard> {
        let guard = Box::new(HeapGuard {
            limit_mb,
            budget,
            handle: isolate.thread_safe_handle(),
            hit: AtomicBool::new(false),
            observed: AtomicUsize::new(0),
        });
        let data = &*guard as *const HeapGuard as *mut c_void;
        isolate.add_near_heap_limit_callback(near_heap_limit, data);
        guard
    }

    /// The configured limit in MiB.
    pub fn limit_mb(&self) -> u32 {
        self.limit_mb
    }

    /// True once the ArrayBuffer budget refused an allocation.
    pub fn buffers_refused(&self) -> bool {
        self.budget.refused()
    }

    /// The isolate's ArrayBuffer budget.
    pub fn budget(&self) -> &Arc<Budget> {
        &self.budget
    }

    /// The heap size (bytes) V8 reported when the limit was hit, if it was.
    pub fn hit(&self) -> Option<usize> {
        self.hit
            .load(Ordering::Acquire)
            .then(|| self.observed.load(Ordering::Acquire))
    }
}

unsafe extern "C" fn near_heap_limit(data: *mut c_void, current: usize, _initial: usize) -> usize {
    // SAFETY: `data` is the `HeapGuard` registered in `install`; the worker keeps that box alive
    // until after the isolate is disposed, and V8 calls this only on the isolate's own thread.
    let guard = unsafe { &*(data as *const HeapGuard) };
    let first = !guard.hit.swap(true, Ordering::AcqRel);
    if !first {
        crate::last_words::say(
            ErrorCode::MemoryLimit,
            format!(
                "heap limit reached: limit heap_mb = {} MiB, heap was {} MiB, and still growing \
                 inside a builtin after the guest was stopped",
                guard.limit_mb,
                current >> 20
            ),
        );
        return current;
    }
    guard.observed.store(current, Ordering::Release);
    guard.handle.terminate_execution();
    current.saturating_add(HEADROOM_BYTES)
}
