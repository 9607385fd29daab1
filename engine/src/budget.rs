//! ArrayBuffer memory lives outside the V8 heap, so the heap limit alone does not bound it: each
//! isolate gets an allocator that refuses allocations past the exec's budget (its heap limit).
//! V8 then throws `RangeError: Array buffer allocation failed` in the guest instead of the
//! process growing without bound; an exec that fails after a refusal reports `MEMORY_LIMIT`.
#![expect(
    unsafe_code,
    reason = "V8's allocator interface is a table of raw FFI callbacks"
)]

use std::alloc::Layout;
use std::ffi::c_void;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Alignment of every buffer (what `malloc` guarantees, and what V8 expects).
const ALIGN: usize = 16;

/// One isolate's ArrayBuffer budget.
pub struct Budget {
    limit: usize,
    used: AtomicUsize,
    refused: AtomicBool,
}

impl Budget {
    /// A budget of `limit` bytes.
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            limit,
            used: AtomicUsize::new(0),
            refused: AtomicBool::new(false),
        })
    }

    /// The budget in MiB (the exec's `heap_mb`), for messages.
    pub fn limit_mb(&self) -> usize {
        self.limit >> 20
    }

    /// True once an allocation was refused.
    pub fn refused(&self) -> bool {
        self.refused.load(Ordering::Acquire)
    }

    /// Marks the budget as having refused memory (a wrapper in the runner refused it).
    pub fn note_refusal(&self) {
        self.refused.store(true, Ordering::Release);
    }

    /// Takes `len` bytes from the budget for memory V8 allocates elsewhere (resizable and
    /// growable buffers commit through the page allocator, not through this allocator); false,
    /// and the budget marked as refusing, when they do not fit.
    pub fn reserve_external(&self, len: usize) -> bool {
        self.reserve(len)
    }

    /// Gives back `len` bytes taken with [`Self::reserve_external`].
    pub fn release_external(&self, len: usize) {
        let _ = self
            .used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                Some(used.saturating_sub(len))
            });
    }

    fn reserve(&self, len: usize) -> bool {
        let reserved = self
            .used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(len).filter(|&total| total <= self.limit)
            });
        if reserved.is_err() {
            self.refused.store(true, Ordering::Release);
        }
        reserved.is_ok()
    }

    fn release(&self, len: usize) {
        self.used.fetch_sub(len, Ordering::AcqRel);
    }

    /// Like [`Self::reserve_external`], but a refusal is not recorded: for callers that free
    /// memory (collect garbage) and try again before giving up (the crypto and zlib natives).
    pub fn try_reserve_external(&self, len: usize) -> bool {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(len).filter(|&total| total <= self.limit)
            })
            .is_ok()
    }
}

/// A V8 allocator drawing on `budget`.
pub fn allocator(budget: &Arc<Budget>) -> v8::UniqueRef<v8::Allocator> {
    static VTABLE: v8::RustAllocatorVtable<Budget> = v8::RustAllocatorVtable {
        allocate,
        allocate_uninitialized,
        free,
        drop: drop_budget,
    };
    let handle = Arc::into_raw(budget.clone());
    // SAFETY: `handle` is a leaked `Arc<Budget>` (Send + Sync) that V8 hands back to the vtable's
    // functions and releases exactly once through `drop_budget`.
    unsafe { v8::new_rust_allocator(handle, &VTABLE) }
}

fn layout(len: usize) -> Option<Layout> {
    Layout::from_size_align(len, ALIGN).ok()
}

unsafe extern "C" fn allocate(budget: &Budget, len: usize) -> *mut c_void {
    allocate_with(budget, len, true)
}

unsafe extern "C" fn allocate_uninitialized(budget: &Budget, len: usize) -> *mut c_void {
    allocate_with(budget, len, false)
}

fn allocate_with(budget: &Budget, len: usize, zeroed: bool) -> *mut c_void {
    if len == 0 {
        // A non-null, never-dereferenced pointer for empty buffers; `free` ignores it.
        return std::ptr::NonNull::<u128>::dangling().as_ptr().cast();
    }
    let Some(layout) = layout(len) else {
        return std::ptr::null_mut();
    };
    if !budget.reserve(len) {
        return std::ptr::null_mut();
    }
    // SAFETY: `layout` has a non-zero size.
    let data = unsafe {
        if zeroed {
            std::alloc::alloc_zeroed(layout)
        } else {
            std::alloc::alloc(layout)
        }
    };
    if data.is_null() {
        budget.release(len);
    }
    data.cast()
}

unsafe extern "C" fn free(budget: &Budget, data: *mut c_void, len: usize) {
    if len == 0 || data.is_null() {
        return;
    }
    let Some(layout) = layout(len) else { return };
    // SAFETY: V8 frees only what `allocate_with` returned, with the length it asked for, so
    // `data` came from `alloc`/`alloc_zeroed` with this same layout.
    unsafe { std::alloc::dealloc(data.cast(), layout) };
    budget.release(len);
}

unsafe extern "C" fn drop_budget(handle: *const Budget) {
    // SAFETY: `handle` is the `Arc` leaked in `allocator`; V8 calls this once, when the
    // allocator itself is destroyed.
    drop(unsafe { Arc::from_raw(handle) });
}
