//! `bridge.loadBuiltin(name)`: the factory function of lazy builtin `name` (see
//! `runner-js/src/assemble/lazy.rs`), compiled from V8's code cache when this process has one.
//!
//! Without a guest (the snapshot helper preloading a builtin, `crate::snapshot`) it compiles
//! lazily and keeps no cache: only the functions its top level runs are compiled, so the blob
//! carries the builtin's objects without the bytecode of every function.

use crate::builtin_cache::BuiltinCache;
use crate::guest_state::guest;
use crate::strings::{origin, throw_type_error, v8_str};

use v8::script_compiler::{CachedData, CompileOptions, NoCacheReason, Source};

/// `bridge.loadBuiltin(name)` -> the builtin's factory, or `undefined` for an unknown name.
pub fn load_builtin<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(name) = v8::Local::<v8::String>::try_from(args.get(0)) else {
        return throw_type_error(scope, "loadBuiltin: name must be a string");
    };
    let name = name.to_rust_string_lossy(scope);
    let Some((name, script)) = agentos_runner_js::BUILTINS
        .iter()
        .find(|(n, _)| *n == name)
        .copied()
    else {
        return;
    };
    let Some(source) = v8::String::new_external_onebyte_static(scope, script.as_bytes()) else {
        return throw_type_error(scope, "loadBuiltin: the builtin's source is not one-byte");
    };
    let resource = v8_str(scope, &format!("node:{name}"));
    let origin = origin(scope, resource);
    let compiled = match guest(scope) {
        Some(state) => compile_cached(scope, name, (source, &origin), &state.builtins),
        None => {
            let mut source = Source::new(source, Some(&origin));
            compile(scope, &mut source, CompileOptions::NoCompileOptions)
        }
    };
    // A SyntaxError stays pending and reaches the runner (a bug in lib/).
    if let Some(factory) = compiled.and_then(|s| s.run(scope)) {
        rv.set(factory);
    }
}

/// Compiles builtin `name` from the process's code cache, or eagerly (every function) making
/// that cache.
fn compile_cached<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    name: &'static str,
    (text, origin): (v8::Local<'s, v8::String>, &v8::ScriptOrigin<'s>),
    cache: &BuiltinCache,
) -> Option<v8::Local<'s, v8::Script>> {
    let Some(code) = cache.get(name) else {
        let mut source = Source::new(text, Some(origin));
        let script = compile(scope, &mut source, CompileOptions::EagerCompile);
        if let Some(code) = script.and_then(|s| s.get_unbound_script(scope).create_code_cache()) {
            cache.put(name, &code);
        }
        return script;
    };
    let mut source = Source::new_with_cached_data(text, Some(origin), CachedData::new(&code));
    let script = compile(scope, &mut source, CompileOptions::ConsumeCodeCache);
    if source.get_cached_data().is_some_and(|c| c.rejected()) {
        cache.forget(name);
    }
    script
}

fn compile<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    source: &mut Source,
    options: CompileOptions,
) -> Option<v8::Local<'s, v8::Script>> {
    v8::script_compiler::compile(scope, source, options, NoCacheReason::NoReason)
}
