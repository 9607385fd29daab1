//! Everything that touches V8: platform start-up, where isolates come from (snapshot policy,
//! blob gate, warm pool, workers), the native bridge and the JS event loop.
//!
//! This is the only module of the sidecar that uses the `v8` crate.

mod blob_gate;
mod bridge;
mod bridge_wasi;
mod budget;
pub mod call;
mod guest;
mod heap;
pub mod isolates;
pub mod js;
mod output;
pub mod phases;
mod runner;
pub mod snapshot;
pub mod stopper;
mod strings;
pub mod warm_pool;
mod wasi_host;
mod wasm;
pub mod worker;

use std::sync::Once;

pub use blob_gate::{BlobGate, BlobKind};
pub use call::{CallLimits, CallState, CallVerdict};
pub use guest::ExecInput;
pub use isolates::{Isolates, SnapshotMode, SnapshotState};
pub use js::{Control, Guest, JsJob, Outcome};
pub use output::GuestOutput;
pub use phases::Phases;
pub use stopper::{StopCause, Stopper};
pub use warm_pool::{PoolStats, WarmPool};
pub use wasi_host::{GuestStdio, WasiHost};
pub use wasm::{CompiledModule, CompiledSlot, WasmJob, compile_hits};
pub use worker::{AfterDispose, Task};

static INIT: Once = Once::new();

/// Starts V8 once per process; later calls are no-ops.
pub fn init() {
    INIT.call_once(|| {
        // Wasm memories are not ArrayBuffer-allocator memory: cap their growth process-wide.
        let pages = max_wasm_memory_mb().saturating_mul(16);
        v8::V8::set_flags_from_string(&format!("--wasm-max-mem-pages={pages}"));
        let platform = v8::new_default_platform(0, false).make_shared();
        v8::V8::initialize_platform(platform);
        v8::V8::initialize();
        tracing::debug!(version = v8::V8::get_version(), "V8 initialised");
    });
}

/// Largest wasm memory one instance may grow to, MiB (`AGENTOS_MAX_WASM_MEMORY_MB`, default
/// 1024).
pub fn max_wasm_memory_mb() -> u32 {
    std::env::var("AGENTOS_MAX_WASM_MEMORY_MB")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&mb: &u32| mb > 0 && mb <= 4096)
        .unwrap_or(1024)
}

/// The V8 version string, for the handshake.
pub fn v8_version() -> &'static str {
    v8::V8::get_version()
}

/// The text of a caught panic payload.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
