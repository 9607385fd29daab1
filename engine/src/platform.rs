//! Starting V8, once per process.

use std::sync::{Once, OnceLock};

/// Largest wasm memory one instance may grow to unless configured otherwise, MiB.
pub const DEFAULT_MAX_WASM_MEMORY_MB: u32 = 1024;

static INIT: Once = Once::new();

/// V8's platform (one per process, as V8 requires).
static PLATFORM: OnceLock<v8::SharedRef<v8::Platform>> = OnceLock::new();

/// Most foreground tasks run per turn of a guest's event loop.
const TASKS_PER_TURN: usize = 16;

/// Starts V8 with default settings unless it is already running.
pub fn init() {
    init_with(DEFAULT_MAX_WASM_MEMORY_MB);
}

/// Starts V8 once per process; later calls are no-ops (the first call's settings stay).
pub fn init_with(max_wasm_memory_mb: u32) {
    INIT.call_once(|| {
        // Wasm memories are not ArrayBuffer-allocator memory: cap their growth process-wide.
        let pages = max_wasm_memory_mb.saturating_mul(16);
        v8::V8::set_flags_from_string(&format!("--wasm-max-mem-pages={pages}"));
        // A guest that fills its heap would make V8's last-resort collection drop every wasm
        // module's baseline code process-wide: every command beside it compiles again, and the
        // dropped code is freed only once each isolate holding the module reports its stack,
        // which a parked worker never does (the cells' code grew ~140 KiB per such guest).
        v8::V8::set_flags_from_string("--no-flush-liftoff-code");
        let platform = v8::new_default_platform(0, false).make_shared();
        v8::V8::initialize_platform(platform.clone());
        let _ = PLATFORM.set(platform);
        v8::V8::initialize();
        tracing::debug!(version = v8::V8::get_version(), "V8 initialised");
    });
}

/// Runs the foreground tasks V8 posted for `isolate` (FinalizationRegistry cleanups, GC steps),
/// at most a few per call; true if any ran.
pub(crate) fn run_posted_tasks(isolate: &v8::Isolate) -> bool {
    let Some(platform) = PLATFORM.get() else {
        return false;
    };
    let mut ran = false;
    for _ in 0..TASKS_PER_TURN {
        if !v8::Platform::pump_message_loop(platform, isolate, false) {
            break;
        }
        ran = true;
    }
    ran
}

/// Runs one foreground task V8 posts for `isolate`, waiting for it; false when there is no
/// platform to wait on.
pub(crate) fn wait_for_task(isolate: &v8::Isolate) -> bool {
    let Some(platform) = PLATFORM.get() else {
        return false;
    };
    v8::Platform::pump_message_loop(platform, isolate, true);
    true
}

/// The V8 version string, for the handshake.
pub fn v8_version() -> &'static str {
    v8::V8::get_version()
}
