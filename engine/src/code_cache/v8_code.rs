//! Moving compiled wasm code in and out of V8.
//!
//! In: [`deserialize`] feeds V8 the wire bytes through `WasmModuleCompilation` and offers the
//! cached code from the caching callback (V8 checks its own version, flags and CPU features, and
//! compiles the bytes instead when it refuses them).
//!
//! Out: the `v8` crate (=152.2.0) binds everything but `CompiledWasmModule::Serialize`, so
//! [`serialize`] calls that C++ method by its symbol. Only on x86-64 Linux: `this` comes in the
//! first argument register, and the `OwnedBuffer` (a `unique_ptr<const uint8_t[]>` and a size)
//! comes back in `rax:rdx` like a C struct of two words, because the libc++ V8 is built with
//! gives `unique_ptr` the trivial ABI (as Chromium configures it; seen in the disassembly of the
//! pinned build: `Serialize` reads its module through `rdi` and returns in `rax`). Elsewhere
//! nothing is stored and every restart compiles, as before.
#![expect(
    unsafe_code,
    reason = "V8's CompiledWasmModule::Serialize has no binding; the caching callback is C"
)]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

thread_local! {
    /// The code [`offer_cached`] hands V8 (set only around one `finish`).
    static OFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// Whether V8 took it.
    static TAKEN: Cell<bool> = const { Cell::new(false) };
}

/// A module object for `wire`, from `cached` code when V8 takes it (the flag says whether it
/// did), else compiled from `wire`; `None` if V8 made no module.
pub(crate) fn deserialize<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    wire: &[u8],
    cached: Vec<u8>,
) -> Option<(v8::Local<'s, v8::WasmModuleObject>, bool)> {
    let mut compilation = v8::WasmModuleCompilation::new();
    // V8 aborts the process unless this comes before the bytes.
    compilation.set_has_compiled_module_bytes();
    compilation.on_bytes_received(wire);
    let result: Rc<RefCell<Option<Option<v8::Global<v8::WasmModuleObject>>>>> = Rc::default();
    let settle = result.clone();
    OFFER.with_borrow_mut(|offer| *offer = cached);
    TAKEN.set(false);
    compilation.finish(scope, Some(offer_cached), move |isolate, outcome| {
        let module = outcome.ok().map(|m| v8::Global::new(isolate, m));
        *settle.borrow_mut() = Some(module);
    });
    OFFER.with_borrow_mut(Vec::clear);
    while result.borrow().is_none() {
        if !crate::platform::wait_for_task(scope) {
            return None;
        }
    }
    let module = result.borrow_mut().take().flatten()?;
    Some((v8::Local::new(scope, &module), TAKEN.get()))
}

/// V8's caching callback: offers the thread's [`OFFER`].
unsafe extern "C" fn offer_cached(caching: *mut v8::ModuleCachingInterface) {
    // SAFETY: V8 passes a valid interface, alive for this call only.
    let Some(caching) = (unsafe { caching.as_mut() }) else {
        return;
    };
    let taken = OFFER.with_borrow(|offer| caching.set_cached_compiled_module_bytes(offer));
    TAKEN.set(taken);
}

/// The `OwnedBuffer` V8 returns: `std::unique_ptr<const uint8_t[]>` (one pointer) and a size.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[repr(C)]
struct OwnedBuffer {
    buffer: *mut u8,
    size: usize,
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
unsafe extern "C" {
    /// `v8::OwnedBuffer v8::CompiledWasmModule::Serialize()`.
    #[link_name = "_ZN2v818CompiledWasmModule9SerializeEv"]
    fn compiled_wasm_module_serialize(this: *mut std::ffi::c_void) -> OwnedBuffer;
    /// `operator delete[](void*)`, which frees what V8's `new uint8_t[]` allocated.
    #[link_name = "_ZdaPv"]
    fn cxx_delete_array(ptr: *mut u8);
}

/// V8's serialization of `module`'s code (the wire bytes are not included).
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
pub(super) fn serialize(module: &v8::CompiledWasmModule) -> Option<Vec<u8>> {
    const {
        assert!(size_of::<v8::CompiledWasmModule>() == size_of::<*mut std::ffi::c_void>());
        assert!(align_of::<v8::CompiledWasmModule>() == align_of::<*mut std::ffi::c_void>());
    }
    // SAFETY: `v8::CompiledWasmModule` is the crate's one-field wrapper of the pointer to the C++
    // `v8::CompiledWasmModule` it owns (size and alignment checked above); we only read it.
    let this = unsafe { *std::ptr::from_ref(module).cast::<*mut std::ffi::c_void>() };
    // SAFETY: `this` is a live C++ CompiledWasmModule (owned by `module`, borrowed for the call);
    // `Serialize` only reads the module's code table, under V8's own locks, and returns null and
    // 0 when it fails.
    let out = unsafe { compiled_wasm_module_serialize(this) };
    if out.buffer.is_null() {
        return None;
    }
    // SAFETY: V8 made `buffer` a `new uint8_t[size]` it filled and handed over; it is read once
    // here and freed with the matching `delete[]`.
    let blob = unsafe { std::slice::from_raw_parts(out.buffer, out.size) }.to_vec();
    // SAFETY: as above; nothing refers to the buffer any more.
    unsafe { cxx_delete_array(out.buffer) };
    Some(blob)
}

/// Nothing is serialized where the return-slot convention above is not known to hold.
#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
pub(super) fn serialize(_module: &v8::CompiledWasmModule) -> Option<Vec<u8>> {
    None
}
