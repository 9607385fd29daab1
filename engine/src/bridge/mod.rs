//! The native functions behind runner-js's `bridge` object (contract: `runner-js/js/README.md`).
//!
//! Each callback validates its arguments and throws a JS error on bad input: guest-controlled
//! values reach here through the runner, so nothing may panic (a panic here would cross FFI).

use agentos_proto::v1::Stream;
use bytes::Bytes;
use v8::MapFnTo;

mod arrow;
mod buffer;
mod builtins;
mod call;
mod children;
mod cjs_lexer;
mod clone;
mod codec;
mod crypto;
mod encodings;
pub mod esm;
mod handles;
mod ipc;
mod keys;
mod memory;
pub(crate) mod net;
mod node_process;
mod signals;
mod typescript;
mod url;
pub(crate) mod views;
mod vm;
mod wasi;
mod wasi_http;
mod wasi_listen;
mod wasi_mem;
mod wasi_proc;
mod wasi_sock;
mod zlib;

use crate::guest_state::guest;
use crate::strings::{
    origin, throw_range_error, throw_type_error, uint8_array, v8_str, view_bytes,
};

/// Name of the callback behind the functions `compileScript` returns; not on the bridge object.
const RUN_SCRIPT: &str = "runScript";

/// Every native callback with its bridge name, in external-reference order. The snapshot is
/// created and restored with exactly this table, so its names are part of the snapshot digest.
fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    let mut all = vec![
        ("write", write.map_fn_to()),
        ("exit", exit.map_fn_to()),
        ("hrtime", hrtime.map_fn_to()),
        ("monotonic", monotonic.map_fn_to()),
        ("stdinRef", stdin_ref.map_fn_to()),
        ("runMicrotasks", run_microtasks.map_fn_to()),
        ("compileScript", compile_script.map_fn_to()),
        ("compileFunction", compile_function.map_fn_to()),
        ("arrowMessage", arrow::arrow_message.map_fn_to()),
        ("utf8Encode", utf8_encode.map_fn_to()),
        ("utf8Decode", utf8_decode.map_fn_to()),
        (
            "wasmModuleCompiled",
            crate::wasm::module_compiled.map_fn_to(),
        ),
        ("hostCall", call::host_call.map_fn_to()),
        ("callResult", call::call_result.map_fn_to()),
        ("loadBuiltin", builtins::load_builtin.map_fn_to()),
        ("ownNonIndexKeys", keys::own_non_index_keys.map_fn_to()),
        ("cjsLexer", cjs_lexer::cjs_lexer.map_fn_to()),
        (RUN_SCRIPT, run_script.map_fn_to()),
    ];
    all.extend(memory::callbacks());
    all.extend(children::callbacks());
    all.extend(ipc::callbacks());
    all.extend(wasi::callbacks());
    all.extend(wasi_mem::callbacks());
    all.extend(wasi_proc::callbacks());
    all.extend(wasi_http::callbacks());
    all.extend(wasi_sock::callbacks());
    all.extend(wasi_listen::callbacks());
    all.extend(buffer::callbacks());
    all.extend(url::callbacks());
    all.extend(clone::callbacks());
    all.extend(crypto::callbacks());
    all.extend(zlib::callbacks());
    all.extend(esm::callbacks());
    all.extend(node_process::callbacks());
    all.extend(signals::callbacks());
    all.extend(net::callbacks());
    all.extend(vm::callbacks());
    all.extend(typescript::callbacks());
    all
}

/// The external references for `CreateParams` and the snapshot creator.
pub fn external_references() -> Vec<v8::ExternalReference> {
    callbacks()
        .into_iter()
        .map(|(_, function)| v8::ExternalReference { function })
        .collect()
}

/// The table's identity for the snapshot digest.
pub fn external_reference_names() -> Vec<&'static str> {
    callbacks().into_iter().map(|(name, _)| name).collect()
}

/// Installs every bridge function on a fresh object and returns it.
pub fn build<'s>(scope: &mut v8::PinScope<'s, '_>) -> Option<v8::Local<'s, v8::Object>> {
    let bridge = v8::Object::new(scope);
    for (name, callback) in callbacks() {
        if name == RUN_SCRIPT {
            continue;
        }
        let function = v8::Function::new_raw(scope, callback)?;
        let key = v8_str(scope, name);
        bridge.set(scope, key.into(), function.into())?;
    }
    Some(bridge)
}

fn write<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let stream = match args.get(0).int32_value(scope) {
        Some(1) => Stream::Stdout,
        Some(2) => Stream::Stderr,
        _ => return throw_type_error(scope, "write: fd must be 1 or 2"),
    };
    let data = args.get(1);
    let bytes = if let Ok(text) = v8::Local::<v8::String>::try_from(data) {
        text.to_rust_string_lossy(scope).into_bytes()
    } else if let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(data) {
        view_bytes(view)
    } else {
        return throw_type_error(scope, "write: data must be a string or an ArrayBufferView");
    };
    if let Some(state) = guest(scope) {
        state.output.write(stream, Bytes::from(bytes));
    }
}

fn exit<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    // Like a POSIX exit status, only the low 8 bits survive.
    let code = args.get(0).int32_value(scope).unwrap_or(0) & 0xff;
    if let Some(state) = guest(scope) {
        state.exit_code.set(Some(code));
    }
    scope.terminate_execution();
}

fn hrtime<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(state) = guest(scope) else { return };
    let nanos = u64::try_from(state.clock_origin.elapsed().as_nanos()).unwrap_or(u64::MAX);
    rv.set(v8::BigInt::new_from_u64(scope, nanos).into());
}

fn monotonic<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(state) = guest(scope) else { return };
    rv.set_double(state.clock_origin.elapsed().as_secs_f64() * 1e3);
}

fn stdin_ref<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let on = args.get(0).boolean_value(scope);
    if let Some(state) = guest(scope) {
        state.stdin_ref.set(on);
    }
}

fn run_microtasks<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    scope.perform_microtask_checkpoint();
}

pub(super) fn string_arg<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    value: v8::Local<'s, v8::Value>,
    what: &str,
) -> Option<v8::Local<'s, v8::String>> {
    let text = v8::Local::<v8::String>::try_from(value).ok();
    if text.is_none() {
        throw_type_error(scope, &format!("{what} must be a string"));
    }
    text
}

/// Compiles `source` as script `filename` and keeps it for the exec: its index. `None` when it
/// does not compile (V8 leaves the SyntaxError pending, to propagate to the runner).
pub(super) fn store_script(
    scope: &mut v8::PinScope<'_, '_>,
    source: v8::Local<'_, v8::String>,
    filename: v8::Local<'_, v8::String>,
) -> Option<usize> {
    let origin = origin(scope, filename);
    let script = compile_script_source(scope, source, &origin)?;
    let state = guest(scope)?;
    let unbound = script.get_unbound_script(scope);
    let mut scripts = state.scripts.borrow_mut();
    scripts.push(v8::Global::new(scope, unbound));
    Some(scripts.len() - 1)
}

/// V8's compile, with Node's arrow kept on a SyntaxError (which stays pending).
fn compile_script_source<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    source: v8::Local<'_, v8::String>,
    origin: &v8::ScriptOrigin<'_>,
) -> Option<v8::Local<'s, v8::Script>> {
    v8::tc_scope!(let tc, scope);
    let script = v8::Script::compile(tc, source, Some(origin));
    if script.is_none() {
        arrow::rethrow(tc);
    }
    script
}

/// The kept script `index`, if there is one.
pub(super) fn stored_script<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    index: Option<usize>,
) -> Option<v8::Local<'s, v8::UnboundScript>> {
    let state = guest(scope)?;
    let scripts = state.scripts.borrow();
    scripts.get(index?).map(|g| v8::Local::new(scope, g))
}

fn compile_script<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(source) = string_arg(scope, args.get(0), "compileScript: source") else {
        return;
    };
    let Some(filename) = string_arg(scope, args.get(1), "compileScript: filename") else {
        return;
    };
    let Some(index) = store_script(scope, source, filename) else {
        return;
    };
    let data = v8::Number::new(scope, index as f64);
    if let Some(runner) = v8::Function::builder_raw(run_script.map_fn_to())
        .data(data.into())
        .build(scope)
    {
        rv.set(runner.into());
    }
}

fn run_script<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let index = args.data().number_value(scope).unwrap_or(-1.0);
    let Some(unbound) = stored_script(scope, usize::try_from(index as i64).ok()) else {
        return throw_type_error(scope, "compiled script is gone");
    };
    let script = unbound.bind_to_current_context(scope);
    if let Some(value) = script.run(scope) {
        rv.set(value);
    }
}

fn compile_function<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(source) = string_arg(scope, args.get(0), "compileFunction: source") else {
        return;
    };
    let Some(filename) = string_arg(scope, args.get(1), "compileFunction: filename") else {
        return;
    };
    let Ok(list) = v8::Local::<v8::Array>::try_from(args.get(2)) else {
        return throw_type_error(scope, "compileFunction: params must be an array");
    };
    let mut params = Vec::with_capacity(list.length() as usize);
    for i in 0..list.length().min(64) {
        let Some(item) = list.get_index(scope, i) else {
            return;
        };
        let Some(name) = string_arg(scope, item, "compileFunction: each param") else {
            return;
        };
        params.push(name);
    }
    let origin = origin(scope, filename);
    let mut source = v8::script_compiler::Source::new(source, Some(&origin));
    v8::tc_scope!(let tc, scope);
    match v8::script_compiler::compile_function(
        tc,
        &mut source,
        &params,
        &[],
        v8::script_compiler::CompileOptions::NoCompileOptions,
        v8::script_compiler::NoCacheReason::NoReason,
    ) {
        Some(function) => rv.set(function.into()),
        None => arrow::rethrow(tc),
    }
}

fn utf8_encode<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(text) = args.get(0).to_string(scope) else {
        return;
    };
    let bytes = text.to_rust_string_lossy(scope).into_bytes();
    if let Some(array) = uint8_array(scope, bytes) {
        rv.set(array.into());
    }
}

fn utf8_decode<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(args.get(0)) else {
        return throw_type_error(scope, "utf8Decode: expected an ArrayBufferView");
    };
    let fatal = args.get(1).boolean_value(scope);
    let bytes = view_bytes(view);
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) if fatal => {
            return throw_type_error(scope, "The encoded data was not valid for encoding utf-8");
        }
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    match v8::String::new(scope, &text) {
        Some(s) => rv.set(s.into()),
        None => throw_range_error(scope, "utf8Decode: string too long"),
    }
}
