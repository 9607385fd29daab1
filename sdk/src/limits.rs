//! The per-guest limits both an exec and a call can set.

/// Builder methods for the `limits: Limits` field of a spec; each 0 means the sidecar's default.
macro_rules! limit_setters {
    () => {
        /// The guest's V8 heap limit in MiB; past it, `MEMORY_LIMIT`.
        pub fn heap_mb(mut self, heap_mb: u32) -> Self {
            self.limits.heap_mb = heap_mb;
            self
        }

        /// Wall-time limit from the guest's start, ms; past it, `TIMEOUT`.
        pub fn timeout_ms(mut self, ms: u64) -> Self {
            self.limits.timeout_ms = ms;
            self
        }

        /// CPU-time limit on the guest's own thread, ms; past it, `CPU_LIMIT`.
        pub fn cpu_ms(mut self, ms: u64) -> Self {
            self.limits.cpu_ms = ms;
            self
        }

        /// Cap on stdout + stderr bytes; past it, output is truncated and `OUTPUT_LIMIT`.
        pub fn max_output_bytes(mut self, bytes: u64) -> Self {
            self.limits.max_output_bytes = bytes;
            self
        }
    };
}

pub(crate) use limit_setters;
