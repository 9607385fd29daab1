//! Everything that touches V8: platform start-up, isolates, the native bridge, the JS event loop.
//!
//! This is the only module of the sidecar that uses the `v8` crate.

mod bridge;
mod guest;
pub mod js;
mod strings;

use std::sync::Once;

pub use guest::ExecInput;
pub use js::{Outcome, run_js};

static INIT: Once = Once::new();

/// Starts V8 once per process; later calls are no-ops.
pub fn init() {
    INIT.call_once(|| {
        // Guests are untrusted: no code generation from strings beyond eval, no shared memory
        // between isolates, and deterministic, bounded stacks.
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
