//! Building our userland snapshot: a context whose runner is already evaluated (eagerly
//! compiled, code kept), restored with the bridge's external references.
//!
//! Created in a helper process (`agentos-sidecar --build-snapshot`), never in a serving sidecar:
//! on V8 15.2 a snapshot creator alive next to built-in isolates of other threads crashed the
//! process (libc++ "vector[] index out of bounds" or SIGSEGV, about every other run of 64
//! concurrent execs in `auto` mode), as our reference saw on V8 13.0. The helper writes the blob
//! to its stdout; the parent only ever reads bytes. Per-exec values are never baked in: they
//! arrive through `runner.start`.

use agentos_snapshots::{Digest, DigestInput};

use crate::bridge;
use crate::error::{CreateError, RunnerError};
use crate::runner::{self, Compile};
use crate::strings::v8_str;

/// V8 flags set by this process that affect the heap (none yet), part of the digest.
pub const HEAP_FLAGS: &str = "";

/// The index (for `Context::from_snapshot`) of the runner's context in the blob; the default
/// context is a vanilla one. Part of the digest, with the layout it names.
pub const RUNNER_CONTEXT: usize = 0;
const CONTEXT_LAYOUT: &str = "default: vanilla (vm contexts); 0: the runner's context";

/// How the runner is compiled into the blob, and what happens to its code: part of the digest,
/// so changing either rebuilds a blob cached on disk instead of restoring the old one.
const RUNNER_COMPILE: Compile = Compile::Eager;
const CODE_HANDLING: v8::FunctionCodeHandling = v8::FunctionCodeHandling::Keep;

/// Lazy builtins (with what they import) loaded into the snapshot, so a guest's first
/// `require` of one costs no compile and no top-level run: the ones the Node-surface issue sets a
/// budget for. Each is compiled lazily (`bridge::builtins`), so the blob holds its objects and
/// source but compiles its functions only when a guest calls them. Every exec pays for them in
/// restore time (the blob grows by about 0.23 MB; `throughput_16` about 8 % lower, measured
/// interleaved), so the list stays short. A preloaded builtin's top level must not read anything
/// per-exec (clock, randomness, env, the guest's files): it ran in the helper, once.
const PRELOADED_BUILTINS: &[&str] = &["stream", "crypto"];

/// The digest of the snapshot this build of the sidecar creates.
pub fn digest() -> Digest {
    let names = bridge::external_reference_names();
    let recipe =
        format!("{RUNNER_COMPILE:?}, code {CODE_HANDLING:?}, preloaded {PRELOADED_BUILTINS:?}");
    DigestInput {
        v8_version: v8::V8::get_version(),
        heap_flags: HEAP_FLAGS,
        sources: &[
            (agentos_runner_js::RUNNER_NAME, agentos_runner_js::RUNNER),
            // The preloaded builtins run in the blob, and so may what they import and load.
            ("builtins", agentos_runner_js::BUILTINS_FINGERPRINT),
            ("context-layout", CONTEXT_LAYOUT),
            ("recipe", &recipe),
        ],
        external_references: &names,
    }
    .digest()
}

/// Creates the snapshot blob in this process. Only for the helper process: nothing else may be
/// running V8 here.
///
/// # Errors
/// [`CreateError`] when the runner fails to load or V8 refuses to create the blob.
pub fn create_blob() -> Result<Vec<u8>, CreateError> {
    crate::platform::init();
    let refs = bridge::external_references();
    let mut creator = v8::Isolate::snapshot_creator(Some(refs.into()), None);
    let prepared = {
        v8::scope!(let scope, &mut creator);
        // The default context (what `Context::new` restores) stays vanilla: `vm` contexts are
        // made from it. The runner's context is added as context RUNNER_CONTEXT.
        let vanilla = v8::Context::new(scope, Default::default());
        scope.set_default_context(vanilla);
        let context = v8::Context::new(scope, Default::default());
        let scope = &mut v8::ContextScope::new(scope, context);
        // The context is added either way: the creator must make a blob before it drops.
        let stashed = runner::evaluate(scope, RUNNER_COMPILE)
            .and_then(|runner| preload(scope, runner, PRELOADED_BUILTINS).map(|()| runner))
            .and_then(|runner| runner::stash(scope, context, runner));
        let index = scope.add_context(context);
        debug_assert_eq!(index, RUNNER_CONTEXT, "the first added context");
        stashed
    };
    let blob = creator.create_blob(CODE_HANDLING);
    prepared?;
    blob.map(|blob| blob.to_vec()).ok_or(CreateError::Refused)
}

/// Loads `names` through the runner's `preloadBuiltin`, in the context being snapshotted.
fn preload<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    names: &[&'static str],
) -> Result<(), RunnerError> {
    let Some(function) = crate::runner::method(scope, runner, "preloadBuiltin") else {
        return Err(RunnerError::Load("the runner has no preloadBuiltin".into()));
    };
    for &name in names {
        v8::tc_scope!(let tc, scope);
        let arg = v8_str(tc, name).into();
        let exports = function.call(tc, runner.into(), &[arg]);
        if exports.is_none_or(|e| e.is_undefined()) {
            let detail = tc
                .exception()
                .map_or_else(|| "no such builtin".into(), |e| e.to_rust_string_lossy(tc));
            return Err(RunnerError::Preload { name, detail });
        }
    }
    Ok(())
}

/// The argument that turns the sidecar binary into the snapshot helper.
pub const HELPER_ARG: &str = "--build-snapshot";

/// Creates the blob in a helper process (this same binary with [`HELPER_ARG`]).
///
/// # Errors
/// [`CreateError`] when the helper cannot be started, fails, or returns nothing.
pub fn create_blob_in_helper() -> Result<Vec<u8>, CreateError> {
    let exe = std::env::current_exe().map_err(|source| CreateError::Spawn {
        path: "the sidecar binary".into(),
        source,
    })?;
    let output = std::process::Command::new(&exe)
        .arg(HELPER_ARG)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|source| CreateError::Spawn {
            path: exe.display().to_string(),
            source,
        })?;
    if !output.status.success() {
        return Err(CreateError::Helper(output.status));
    }
    if output.stdout.is_empty() {
        return Err(CreateError::Empty);
    }
    Ok(output.stdout)
}
