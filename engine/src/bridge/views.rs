//! Reading and writing the bytes of guest `ArrayBufferView`s in place, for the crypto and zlib
//! natives (hashing a 1 MiB buffer should not copy it first; inflating writes straight into the
//! chunk the runner allocated, so output memory is the guest's own, counted by its budget).
#![expect(
    unsafe_code,
    reason = "writing into a V8 backing store needs a slice over V8-owned memory"
)]

/// Scratch space for views whose bytes live on V8's heap (small typed arrays): V8 copies them
/// here instead of returning a pointer into its heap.
pub type Scratch = [u8; v8::TYPED_ARRAY_MAX_SIZE_IN_HEAP];

/// A fresh scratch buffer.
pub const fn scratch() -> Scratch {
    [0; v8::TYPED_ARRAY_MAX_SIZE_IN_HEAP]
}

/// The view in argument position `value`, if it is one.
pub fn as_view<'s>(value: v8::Local<'s, v8::Value>) -> Option<v8::Local<'s, v8::ArrayBufferView>> {
    v8::Local::<v8::ArrayBufferView>::try_from(value).ok()
}

/// The bytes of `view`, without a copy when they live off V8's heap.
pub fn bytes<'a>(view: &'a v8::ArrayBufferView, scratch: &'a mut Scratch) -> &'a [u8] {
    view.get_contents(scratch)
}

/// Runs `f` over the bytes of `view` as a mutable slice (empty for a detached buffer).
///
/// `f` must not call into V8: no JS may run (and so nothing may detach, resize or read the
/// buffer) while the slice is alive.
pub fn with_bytes_mut<R>(
    scope: &v8::PinScope<'_, '_>,
    view: v8::Local<'_, v8::ArrayBufferView>,
    f: impl FnOnce(&mut [u8]) -> R,
) -> R {
    let len = view.byte_length();
    // Materialises an on-heap typed array's buffer off the heap, so the pointer below is stable.
    let has_store = view.buffer(scope).is_some();
    let data = view.data().cast::<u8>();
    if len == 0 || !has_store || data.is_null() {
        return f(&mut []);
    }
    // SAFETY: `data` points at the view's first byte inside its (now off-heap) backing store, which
    // holds at least `byte_offset + len` bytes and stays alive and in place while `view` is a live
    // handle and no JS runs (the caller's contract: `f` does not call into V8). No other Rust
    // reference to these bytes exists during `f`: inputs that may share the buffer are copied
    // before by the callers (`disjoint_or_copy`).
    let slice = unsafe { std::slice::from_raw_parts_mut(data, len) };
    f(slice)
}

/// True when the bytes of `a` and `b` overlap in memory (same backing store, crossing ranges).
pub fn overlap(a: &v8::ArrayBufferView, b: &v8::ArrayBufferView) -> bool {
    let (a0, b0) = (a.data() as usize, b.data() as usize);
    let (a1, b1) = (a0 + a.byte_length(), b0 + b.byte_length());
    a.byte_length() > 0 && b.byte_length() > 0 && a0 < b1 && b0 < a1
}

/// True when `len` more bytes fit in the exec's ArrayBuffer budget now; otherwise throws V8's
/// own `RangeError: Array buffer allocation failed` and records the refusal (the exec reports
/// `MEMORY_LIMIT` if it fails). For natives about to make a buffer of guest-chosen size:
/// `v8::ArrayBuffer::new` aborts the process when the allocator refuses, so ask first.
pub fn fits(scope: &mut v8::PinScope<'_, '_>, len: usize) -> bool {
    if room_for(scope, len) {
        return true;
    }
    crate::strings::throw_range_error(scope, super::handles::ALLOCATION_FAILED);
    false
}

/// True when `len` more bytes fit in the exec's ArrayBuffer budget now (after one garbage
/// collection if they did not at first); a refusal is recorded.
fn room_for(scope: &mut v8::PinScope<'_, '_>, len: usize) -> bool {
    let Some(budget) = super::handles::exec_budget(scope) else {
        return true;
    };
    if budget.try_reserve_external(len) {
        budget.release_external(len);
        return true;
    }
    scope.low_memory_notification();
    if budget.reserve_external(len) {
        budget.release_external(len);
        return true;
    }
    false
}

/// A new `Uint8Array` holding a copy of input the event loop delivers (network data, a
/// datagram, stdin, a child's output), its memory from the exec's budget, so a guest that keeps
/// what it receives is bounded by its `heap_mb`. `None` when it does not fit; nothing is thrown (no guest code is
/// running): the caller ends the exec with [`memory_outcome`].
pub fn delivered_uint8_array<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    bytes: &[u8],
) -> Option<v8::Local<'s, v8::Uint8Array>> {
    if !room_for(scope, bytes.len()) {
        return None;
    }
    copy_into_new(scope, bytes)
}

/// How an exec ends when input delivered to it (`what`, `len` bytes) did not fit its memory.
pub fn memory_outcome(
    scope: &v8::PinScope<'_, '_>,
    what: &str,
    len: usize,
) -> crate::outcome::Outcome {
    let limit = super::handles::exec_budget(scope).map_or(0, |b| b.limit_mb());
    crate::outcome::Outcome::limit(
        agentos_proto::ErrorCode::MemoryLimit,
        format!(
            "memory limit reached: heap_mb = {limit} MiB also bounds what the guest receives; \
             {what} of {len} bytes did not fit"
        ),
    )
}

/// A new `Uint8Array` holding a copy of `bytes`, its memory from the exec's budget; `None` with
/// a RangeError thrown when it does not fit.
pub fn new_uint8_array<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    bytes: &[u8],
) -> Option<v8::Local<'s, v8::Uint8Array>> {
    if !fits(scope, bytes.len()) {
        return None;
    }
    copy_into_new(scope, bytes)
}

/// A `Uint8Array` over a new buffer of the isolate's allocator holding a copy of `bytes` (the
/// budget was checked).
fn copy_into_new<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    bytes: &[u8],
) -> Option<v8::Local<'s, v8::Uint8Array>> {
    let buffer = v8::ArrayBuffer::new(scope, bytes.len());
    let array = v8::Uint8Array::new(scope, buffer, 0, bytes.len())?;
    with_bytes_mut(scope, array.into(), |dst| dst.copy_from_slice(bytes));
    Some(array)
}
