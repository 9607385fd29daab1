//! Everything that touches V8: platform start-up, where isolates come from (snapshot policy,
//! blob gate, warm pool, workers), the native bridge and the JS event loop.
//!
//! This is the only module of the sidecar that uses the `v8` crate.

mod blob_gate;
mod bridge;
mod bridge_wasi;
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
        let platform = v8::new_default_platform(0, false).make_shared();
        v8::V8::initialize_platform(platform);
        v8::V8::initialize();
        tracing::debug!(version = v8::V8::get_version(), "V8 initialised");
    });
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
