//! `bridge.loadBuiltin(name)`: the factory function of lazy builtin `name` (see
//! `runner-js/src/assemble/lazy.rs`), compiled from V8's code cache when this process has one.

use crate::guest_state::guest;
use crate::strings::{origin, throw_type_error, v8_str};

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
    let Some(state) = guest(scope) else { return };
    let Some(source) = v8::String::new_external_onebyte_static(scope, script.as_bytes()) else {
        return throw_type_error(scope, "loadBuiltin: the builtin's source is not one-byte");
    };
    let resource = v8_str(scope, &format!("node:{name}"));
    let origin = origin(scope, resource);
    let cache = &state.builtins;
    let compiled = match cache.get(name) {
        Some(code) => {
            let cached = v8::script_compiler::CachedData::new(&code);
            let mut source =
                v8::script_compiler::Source::new_with_cached_data(source, Some(&origin), cached);
            let script = v8::script_compiler::compile(
                scope,
                &mut source,
                v8::script_compiler::CompileOptions::ConsumeCodeCache,
                v8::script_compiler::NoCacheReason::NoReason,
            );
            if source.get_cached_data().is_some_and(|c| c.rejected()) {
                cache.forget(name);
            }
            script
        }
        None => {
            let mut source = v8::script_compiler::Source::new(source, Some(&origin));
            let script = v8::script_compiler::compile(
                scope,
                &mut source,
                v8::script_compiler::CompileOptions::EagerCompile,
                v8::script_compiler::NoCacheReason::NoReason,
            );
            if let Some(code) = script.and_then(|s| s.get_unbound_script(scope).create_code_cache())
            {
                cache.put(name, &code);
            }
            script
        }
    };
    // A SyntaxError stays pending and reaches the runner (a bug in lib/).
    if let Some(factory) = compiled.and_then(|s| s.run(scope)) {
        rv.set(factory);
    }
}
