//! Building our userland snapshot: a context whose runner is already evaluated (eagerly
//! compiled, code kept), restored with the bridge's external references.
//!
//! Created in-process: a snapshot creator starts from V8's built-in blob, so it holds a
//! `Builtin` gate guard and can only overlap built-in isolates, which V8 15.2 tolerates (see
//! `blob_gate`). Per-exec values are never baked in: they arrive through `runner.start`.

use agentos_snapshots::{Digest, DigestInput};

use super::blob_gate::{BlobGate, BlobKind};
use super::bridge;
use super::runner::{self, Compile};

/// V8 flags set by this process that affect the heap (none yet), part of the digest.
pub const HEAP_FLAGS: &str = "";

/// The digest of the snapshot this build of the sidecar creates.
pub fn digest() -> Digest {
    let names = bridge::external_reference_names();
    DigestInput {
        v8_version: v8::V8::get_version(),
        heap_flags: HEAP_FLAGS,
        sources: &[(agentos_runner_js::RUNNER_NAME, agentos_runner_js::RUNNER)],
        external_references: &names,
    }
    .digest()
}

/// Creates the snapshot blob.
///
/// # Errors
/// A message when the runner fails to load or V8 refuses to create the blob.
pub fn create_blob() -> Result<Vec<u8>, String> {
    super::init();
    let _guard = BlobGate::global().enter(BlobKind::Builtin);
    let refs = bridge::external_references();
    let mut creator = v8::Isolate::snapshot_creator(Some(refs.into()), None);
    {
        v8::scope!(let scope, &mut creator);
        let context = v8::Context::new(scope, Default::default());
        let scope = &mut v8::ContextScope::new(scope, context);
        let runner = runner::evaluate(scope, Compile::Eager)?;
        runner::stash(scope, context, runner)?;
        scope.set_default_context(context);
    }
    creator
        .create_blob(v8::FunctionCodeHandling::Keep)
        .map(|blob| blob.to_vec())
        .ok_or_else(|| "V8 could not create the snapshot blob".to_string())
}
