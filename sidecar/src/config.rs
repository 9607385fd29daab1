//! Sidecar-wide settings, read once from the environment at start-up.

use std::time::Duration;

use agentos_proto::DEFAULT_MAX_FRAME_BYTES;

/// The smallest frame limit the sidecar accepts: every fixed-size event must fit.
pub const MIN_FRAME_BYTES: usize = 4096;

/// Sidecar-wide settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest frame payload accepted or sent.
    pub max_frame_bytes: usize,
    /// Guests running at once; further execs wait in the queue.
    pub max_running: usize,
    /// Execs waiting for a slot; past this, `Exec` is refused with `QUEUE_FULL`.
    pub max_queued: usize,
    /// Per-exec limits: defaults and maxima.
    pub limits: crate::limits::LimitPolicy,
    /// Directories searched for `NAME.wasm` (after an exec's own).
    pub command_path: std::sync::Arc<[std::path::PathBuf]>,
    /// How long shutdown waits for killed guests to report before exiting anyway.
    pub shutdown_grace: Duration,
}

impl Default for Config {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            max_frame_bytes: DEFAULT_MAX_FRAME_BYTES,
            max_running: (4 * cores).max(4),
            max_queued: 1024,
            limits: crate::limits::LimitPolicy::default(),
            command_path: crate::command::command_path_from_env().into(),
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

impl Config {
    /// Defaults overridden by `AGENTOS_MAX_FRAME_BYTES`, `AGENTOS_MAX_RUNNING`, `AGENTOS_MAX_QUEUED`,
    /// `AGENTOS_DEFAULT_HEAP_MB`.
    pub fn from_env() -> Self {
        let mut config = Self::default();
        env_usize("AGENTOS_MAX_FRAME_BYTES", &mut config.max_frame_bytes);
        env_usize("AGENTOS_MAX_RUNNING", &mut config.max_running);
        env_usize("AGENTOS_MAX_QUEUED", &mut config.max_queued);
        config.limits = crate::limits::LimitPolicy::from_env();
        config.max_running = config.max_running.max(1);
        if config.max_frame_bytes < MIN_FRAME_BYTES {
            tracing::warn!(
                "AGENTOS_MAX_FRAME_BYTES={} is below {MIN_FRAME_BYTES}; using {MIN_FRAME_BYTES}",
                config.max_frame_bytes
            );
            config.max_frame_bytes = MIN_FRAME_BYTES;
        }
        config
    }
}

fn env_usize(name: &str, slot: &mut usize) {
    let Ok(raw) = std::env::var(name) else { return };
    match raw.trim().parse() {
        Ok(value) => *slot = value,
        Err(_) => tracing::warn!("{name}={raw:?} is not a non-negative integer; using {slot}"),
    }
}
