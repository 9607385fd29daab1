//! Running a WASI command in a prepared isolate: hand the runner the module (compiled and cached
//! from an earlier exec, or its bytes on first use), then `runner.startWasm(config)`.
//!
//! First use: the bytes are injected as the global `__agentOSWasmModuleBytes`, a `Uint8Array`
//! over the cache's shared memory (no copy). The runner reads and deletes it before anything of
//! the guest runs, compiles it, and hands the module back through `wasmModuleCompiled`, which
//! stores the compiled code for every later exec of the same file.
#![expect(
    unsafe_code,
    reason = "zero-copy backing store over shared module bytes"
)]

use std::ffi::c_void;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;

use crate::code_cache::CodeKey;
use crate::guest_state::{GuestState, guest};
use crate::modules::{CompiledModule, CompiledSlot};
use crate::strings::{string_array, v8_str};

const BYTES_GLOBAL: &str = "__agentOSWasmModuleBytes";

/// Everything one wasm exec needs besides its host state.
pub struct WasmJob<'a> {
    /// The guest's argv (`argv[0]` as given).
    pub argv: &'a [String],
    /// Exactly the guest's environment.
    pub env: &'a [(String, String)],
    /// The guest's working directory (`agentos_v1.cwd_get`).
    pub cwd: &'a str,
    /// The module's bytes, unless its code is compiled already (then `compiled` holds it).
    pub bytes: Option<Bytes>,
    /// Its compiled code, once some exec compiled it.
    pub compiled: &'a CompiledSlot,
    /// Where its compiled code is kept on disk, when there is a disk cache.
    pub disk: Option<&'a CodeKey>,
    /// Counts execs that instantiated the cached compiled module instead of compiling.
    pub compile_hits: &'a AtomicU64,
    /// Its memories' limit, bytes (the module's memories are capped at it).
    pub memory_limit: u64,
    /// Its pid and its parent's (the door's `process` op: Python's `os.getpid`/`getppid`).
    pub ids: crate::job::pids::ProcessIds,
    /// What its `agentos_v2.proc_spawn` children are started by (`None`: it cannot start any).
    pub(crate) children: Option<crate::children::ChildrenRecipe>,
    /// The exec's network, for its `agentos_v4.http_*` requests.
    pub(crate) net: Option<std::rc::Rc<crate::net::GuestNet>>,
}

/// Where an exec's module came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleSource {
    /// Instantiated by the parked worker before the exec claimed it (`pool/prewarm.rs`).
    Prepared,
    /// Compiled code another exec of this process compiled.
    Memory,
    /// Compiled code from the disk cache.
    Disk,
    /// Compiled from the bytes, for this exec.
    Compiled,
}

/// The config for `runner.startWasm`: the cached module when there is one (in memory, else on
/// disk), else the bytes global is installed and the runner is told where to store what it
/// compiles (and the disk cache is told to keep it when the exec ends).
pub fn start_config<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    job: &WasmJob<'_>,
    state: &GuestState,
    prepared: Option<CompiledSlot>,
) -> Option<(v8::Local<'s, v8::Object>, ModuleSource)> {
    let config = v8::Object::new(scope);
    let argv = string_array(scope, job.argv.iter().map(String::as_str));
    let env: Vec<v8::Local<v8::Value>> = (job.env.iter())
        .map(|(k, v)| string_array(scope, [k.as_str(), v.as_str()]).into())
        .collect();
    let env = v8::Array::new_with_elements(scope, &env);
    set(scope, config, "argv", argv.into())?;
    set(scope, config, "env", env.into())?;
    let cwd = crate::strings::v8_str(scope, job.cwd);
    set(scope, config, "cwd", cwd.into())?;
    let limit = v8::Number::new(scope, job.memory_limit as f64);
    set(scope, config, "memoryLimit", limit.into())?;
    for (name, id) in [("pid", job.ids.pid), ("ppid", job.ids.ppid)] {
        let id = v8::Integer::new_from_unsigned(scope, id);
        set(scope, config, name, id.into())?;
    }
    *state.code_store.borrow_mut() = job.disk.filter(|key| key.wants_store()).cloned();
    // The runner drops an instance made ahead for another module, unused.
    let ours = prepared.is_some_and(|slot| Arc::ptr_eq(&slot, job.compiled));
    let flag = v8::Boolean::new(scope, ours);
    set(scope, config, "prepared", flag.into())?;
    if ours {
        job.compile_hits.fetch_add(1, Ordering::Relaxed);
        return Some((config, ModuleSource::Prepared));
    }
    let cached = job
        .compiled
        .get()
        .and_then(|c| v8::WasmModuleObject::from_compiled_module(scope, &c.0));
    if let Some(module) = cached {
        job.compile_hits.fetch_add(1, Ordering::Relaxed);
        set(scope, config, "module", module.into())?;
        return Some((config, ModuleSource::Memory));
    }
    if let Some((module, source)) = from_disk(scope, job, state) {
        set(scope, config, "module", module.into())?;
        return Some((config, source));
    }
    let bytes = job.bytes.as_ref()?;
    *state.compiled_slot.borrow_mut() = Some(job.compiled.clone());
    inject_bytes(scope, bytes)?;
    Some((config, ModuleSource::Compiled))
}

/// The module from the disk cache's code, kept for later execs too. When V8 refused the code
/// (and compiled the bytes instead), the exec's end stores the new code in its place.
fn from_disk<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    job: &WasmJob<'_>,
    state: &GuestState,
) -> Option<(v8::Local<'s, v8::WasmModuleObject>, ModuleSource)> {
    let disk = job.disk?;
    let cached = disk.load()?;
    let (module, taken) = crate::code_cache::deserialize(scope, job.bytes.as_ref()?, cached)?;
    let _ = job
        .compiled
        .set(CompiledModule(module.get_compiled_module()));
    if !taken {
        tracing::info!("wasm cache: V8 refused the cached code; compiled the module instead");
        return Some((module, ModuleSource::Compiled));
    }
    disk.loaded();
    state.code_store.borrow_mut().take();
    Some((module, ModuleSource::Disk))
}

/// Has the runner of a parked worker instantiate `compiled` (its code must be compiled) under
/// `memory_limit`, for the exec that will claim it; true if it did.
pub fn prewarm<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    compiled: &CompiledSlot,
    memory_limit: u64,
) -> bool {
    let Some(code) = compiled.get() else {
        return false;
    };
    let Some(function) = crate::runner::method(scope, runner, "prepareWasm") else {
        return false;
    };
    v8::tc_scope!(let tc, scope);
    let Some(module) = v8::WasmModuleObject::from_compiled_module(tc, &code.0) else {
        return false;
    };
    let limit = v8::Number::new(tc, memory_limit as f64);
    let args = [module.into(), limit.into()];
    let done = function.call(tc, runner.into(), &args);
    done.is_some_and(|d| d.is_true())
}

/// At the end of an exec that compiled its module: has the disk cache keep the code.
pub fn store_compiled(job: &WasmJob<'_>, state: &GuestState) {
    if let Some(key) = state.code_store.borrow_mut().take() {
        key.store(job.compiled.clone());
    }
}

fn set<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    object: v8::Local<'s, v8::Object>,
    name: &str,
    value: v8::Local<'s, v8::Value>,
) -> Option<()> {
    let key = v8_str(scope, name);
    object.set(scope, key.into(), value).map(drop)
}

/// Installs the bytes global over `bytes` without copying them.
fn inject_bytes(scope: &mut v8::PinScope<'_, '_>, bytes: &Bytes) -> Option<()> {
    let keep = Box::into_raw(Box::new(bytes.clone()));
    // SAFETY: `data` points into the `Bytes` owned by `keep`, which lives until V8 calls
    // `release` exactly once when the backing store dies; the bytes are never moved or freed
    // before. Only runner code reads them (and drops every reference before guest code runs).
    let store = unsafe {
        v8::ArrayBuffer::new_backing_store_from_ptr(
            bytes.as_ptr() as *mut c_void,
            bytes.len(),
            release,
            keep.cast(),
        )
    }
    .make_shared();
    let buffer = v8::ArrayBuffer::with_backing_store(scope, &store);
    let array = v8::Uint8Array::new(scope, buffer, 0, bytes.len())?;
    let key = v8_str(scope, BYTES_GLOBAL);
    let global = scope.get_current_context().global(scope);
    global.set(scope, key.into(), array.into()).map(drop)
}

unsafe extern "C" fn release(_data: *mut c_void, _len: usize, keep: *mut c_void) {
    // SAFETY: `keep` is the `Box<Bytes>` leaked in `inject_bytes`, released once, here.
    drop(unsafe { Box::from_raw(keep.cast::<Bytes>()) });
}

/// `bridge.wasmModuleCompiled(module)`: stores the module the runner compiled.
pub fn module_compiled<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let Ok(module) = v8::Local::<v8::WasmModuleObject>::try_from(args.get(0)) else {
        return;
    };
    let Some(state) = guest(scope) else { return };
    if let Some(slot) = state.compiled_slot.borrow_mut().take() {
        let _ = slot.set(CompiledModule(module.get_compiled_module()));
    }
}
