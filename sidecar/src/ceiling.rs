//! A hard memory ceiling under each engine cell, so that even a way around the per-guest limits
//! that nobody knows of yet ends one cell, not the host: the cell caps its own data segment and
//! private writable mappings (`RLIMIT_DATA`, Linux >= 4.7), which is what V8 commits for its
//! heaps, ArrayBuffers and wasm memories. Past it, allocations fail, V8 aborts the cell, and the
//! supervisor reports its guests as `GUEST_CRASHED`. (A deployment with a delegated cgroup v2
//! can also give each cell a `memory.max`; see the README.)

/// Caps this process's data and private writable memory at `megabytes` MiB (0: no cap).
///
/// # Errors
/// The OS error when the limit cannot be set.
pub fn apply(megabytes: u64) -> std::io::Result<()> {
    if megabytes == 0 {
        return Ok(());
    }
    let bytes = megabytes.saturating_mul(1 << 20);
    let limit = rustix::process::Rlimit {
        current: Some(bytes),
        maximum: Some(bytes),
    };
    rustix::process::setrlimit(rustix::process::Resource::Data, limit).map_err(std::io::Error::from)
}
