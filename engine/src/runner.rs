//! Loading the runner into a context: evaluated inline, or found where the snapshot left it.
//!
//! The runner object is kept on the context's global under a V8 *private* key, which no script
//! can name, enumerate or reach through proxies; only the API can read it.

use crate::bridge;
use crate::error::RunnerError;
use crate::snapshot_gate::BlobKind;
use crate::strings::{origin, v8_str};

const RUNNER_KEY: &str = "agentos.runner";

/// Whether the runner's functions are compiled up front (for the snapshot) or lazily.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compile {
    /// Every function compiled now, so none compiles lazily inside a guest's exec.
    Eager,
    /// V8's default lazy compilation (inline runs: compile only what the guest uses).
    Lazy,
}

/// The runner's method `name`, if it has one.
pub fn method<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    runner: v8::Local<'s, v8::Object>,
    name: &str,
) -> Option<v8::Local<'s, v8::Function>> {
    let key = v8_str(scope, name);
    let value = runner.get(scope, key.into())?;
    v8::Local::<v8::Function>::try_from(value).ok()
}

/// The runner of a fresh context of an isolate of `kind`.
///
/// # Errors
/// [`RunnerError`] when the runner does not evaluate, or the snapshot does not hold it.
pub fn for_context<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    context: v8::Local<'s, v8::Context>,
    kind: BlobKind,
) -> Result<v8::Local<'s, v8::Object>, RunnerError> {
    match kind {
        BlobKind::Builtin => evaluate(scope, Compile::Lazy),
        BlobKind::Userland(_) => {
            let key = private_key(scope);
            context
                .global(scope)
                .get_private(scope, key)
                .and_then(|r| v8::Local::<v8::Object>::try_from(r).ok())
                .ok_or(RunnerError::NotInSnapshot)
        }
    }
}

/// Stores `runner` on `context` where [`for_context`] finds it after a snapshot restore.
pub fn stash<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    context: v8::Local<'s, v8::Context>,
    runner: v8::Local<'s, v8::Object>,
) -> Result<(), RunnerError> {
    let key = private_key(scope);
    context
        .global(scope)
        .set_private(scope, key, runner.into())
        .filter(|&ok| ok)
        .map(drop)
        .ok_or(RunnerError::Stash)
}

fn private_key<'s>(scope: &mut v8::PinScope<'s, '_>) -> v8::Local<'s, v8::Private> {
    let name = v8_str(scope, RUNNER_KEY);
    v8::Private::for_api(scope, Some(name))
}

/// Evaluates the runner factory and calls it with a fresh bridge.
///
/// # Errors
/// [`RunnerError::Load`] with the exception when the runner fails to load (a bug in runner-js).
pub fn evaluate<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    compile: Compile,
) -> Result<v8::Local<'s, v8::Object>, RunnerError> {
    let source = v8_str(scope, agentos_runner_js::RUNNER);
    let name = v8_str(scope, agentos_runner_js::RUNNER_NAME);
    let origin = origin(scope, name);
    let options = match compile {
        Compile::Eager => v8::script_compiler::CompileOptions::EagerCompile,
        Compile::Lazy => v8::script_compiler::CompileOptions::NoCompileOptions,
    };
    let mut source = v8::script_compiler::Source::new(source, Some(&origin));
    v8::tc_scope!(let tc, scope);
    let factory = v8::script_compiler::compile(
        tc,
        &mut source,
        options,
        v8::script_compiler::NoCacheReason::NoReason,
    )
    .and_then(|script| script.run(tc))
    .and_then(|f| v8::Local::<v8::Function>::try_from(f).ok());
    let bridge = bridge::build(tc);
    let runner = factory
        .zip(bridge)
        .and_then(|(factory, bridge)| {
            let undefined = v8::undefined(tc).into();
            factory.call(tc, undefined, &[bridge.into()])
        })
        .and_then(|r| v8::Local::<v8::Object>::try_from(r).ok());
    runner.ok_or_else(|| {
        let detail = tc.exception().map_or_else(
            || "no exception".to_string(),
            |e| e.to_rust_string_lossy(tc),
        );
        RunnerError::Load(detail)
    })
}
