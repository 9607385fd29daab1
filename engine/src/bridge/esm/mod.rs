//! ES modules: the natives of runner-js's module loader (`lib/internal__esm*.js`) and the isolate
//! hooks V8 calls (`hooks.rs`). The loader resolves and reads files, and decides each module's
//! format; here modules are compiled (source text) or made (synthetic: builtins, JSON, CommonJS),
//! linked as the loader says, instantiated and evaluated. Every V8 call that would abort the
//! process on a module in the wrong state is guarded by a status check that throws instead.
//!
//! | native | contract |
//! |---|---|
//! | `esmCompile(source, url)` | compiles a module; `[id, requests]`, each request `[specifier, key, value, ...]`; throws the SyntaxError |
//! | `esmSynthetic(url, names)` | a synthetic module exporting `names` (deduplicated); its evaluation calls `runner.esmSynthetic(id)` for the values |
//! | `esmLink(id, ids)` | the module each request of `id` resolved to, in request order |
//! | `esmInstantiate(id)` | links the graph (a no-op once linked); throws the link error |
//! | `esmEvaluate(id)` | evaluates; returns the evaluation promise (marked handled) |
//! | `esmNamespace(id)` | the namespace object (linked modules only) |
//! | `esmInfo(id)` | `[status, hasTopLevelAwait, isGraphAsync]` (status: 0 unlinked .. 5 errored; graph flag only once linked) |
//! | `esmStalled(id)` | `[url, line, source line, start column]` of each top-level await that has not settled |
//! | `esmError(id)` | the exception of an errored module |

mod hooks;
pub mod map;

use v8::MapFnTo;

pub use hooks::{import_dynamically, init_import_meta};
use map::{Entry, Request};

use super::string_arg;
use crate::guest_state::guest;
use crate::strings::{string_array, throw_range_error, throw_type_error, v8_str};

/// The ESM natives with their bridge names.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("esmCompile", compile.map_fn_to()),
        ("esmSynthetic", synthetic.map_fn_to()),
        ("esmLink", link.map_fn_to()),
        ("esmInstantiate", instantiate.map_fn_to()),
        ("esmEvaluate", evaluate.map_fn_to()),
        ("esmNamespace", namespace.map_fn_to()),
        ("esmInfo", info.map_fn_to()),
        ("esmStalled", stalled.map_fn_to()),
        ("esmError", error.map_fn_to()),
    ]
}

/// A module's origin named `url`.
fn module_origin<'s>(
    scope: &v8::PinScope<'s, '_>,
    url: v8::Local<'s, v8::String>,
) -> v8::ScriptOrigin<'s> {
    v8::ScriptOrigin::new(
        scope,
        url.into(),
        0,
        0,
        false,
        -1,
        None,
        false,
        false,
        true,
        None,
    )
}

/// The module with id `args[0]`, or a thrown TypeError.
fn module_arg<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    value: v8::Local<'s, v8::Value>,
) -> Option<(u32, v8::Local<'s, v8::Module>)> {
    let id = value.uint32_value(scope).filter(|_| value.is_uint32());
    let state = guest(scope)?;
    let module = id.and_then(|id| {
        let map = state.esm.borrow();
        map.get(id).map(|e| (id, v8::Local::new(scope, &e.module)))
    });
    if module.is_none() {
        throw_type_error(scope, "esm: unknown module id");
    }
    module
}

fn add_entry<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    module: v8::Local<'s, v8::Module>,
    requests: Vec<Request>,
    exports: Vec<String>,
) -> Option<u32> {
    let state = guest(scope)?;
    let links = vec![None; requests.len()];
    let entry = Entry {
        module: v8::Global::new(scope, module),
        requests,
        links,
        exports,
    };
    let id = state
        .esm
        .borrow_mut()
        .add(module.get_identity_hash().get(), entry);
    if id.is_none() {
        throw_range_error(scope, "esm: too many modules");
    }
    id
}

/// V8's compile, with Node's arrow kept on a SyntaxError (which stays pending).
fn compile_module<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    source: &mut v8::script_compiler::Source,
) -> Option<v8::Local<'s, v8::Module>> {
    v8::tc_scope!(let tc, scope);
    let module = v8::script_compiler::compile_module(tc, source);
    if module.is_none() {
        super::arrow::rethrow(tc);
    }
    module
}

fn compile<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(source) = string_arg(scope, args.get(0), "esmCompile: source") else {
        return;
    };
    let Some(url) = string_arg(scope, args.get(1), "esmCompile: url") else {
        return;
    };
    let origin = module_origin(scope, url);
    let mut source = v8::script_compiler::Source::new(source, Some(&origin));
    // A SyntaxError reaches the loader, with Node's arrow kept on it.
    let Some(module) = compile_module(scope, &mut source) else {
        return;
    };
    let list = module.get_module_requests();
    let mut requests = Vec::with_capacity(list.length());
    let mut shown = Vec::with_capacity(list.length());
    for i in 0..list.length() {
        let Some(request) = list
            .get(scope, i)
            .and_then(|d| v8::Local::<v8::ModuleRequest>::try_from(d).ok())
        else {
            return throw_type_error(scope, "esmCompile: malformed module request");
        };
        let specifier = request.get_specifier().to_rust_string_lossy(scope);
        let attributes = attribute_pairs(scope, request.get_import_attributes(), 3);
        let mut parts = vec![specifier.as_str()];
        for (k, v) in &attributes {
            parts.push(k);
            parts.push(v);
        }
        shown.push(string_array(scope, parts.iter().copied()).into());
        requests.push(Request {
            specifier,
            attributes,
        });
    }
    let Some(id) = add_entry(scope, module, requests, Vec::new()) else {
        return;
    };
    let shown = v8::Array::new_with_elements(scope, &shown);
    let pair = [v8::Number::new(scope, f64::from(id)).into(), shown.into()];
    rv.set(v8::Array::new_with_elements(scope, &pair).into());
}

/// `(key, value)` pairs of an import-attributes array whose entries come in groups of `stride`
/// (3 for a module request: key, value, offset; 2 for a dynamic import: key, value).
pub(super) fn attribute_pairs<'s>(
    scope: &v8::PinScope<'s, '_>,
    list: v8::Local<'s, v8::FixedArray>,
    stride: usize,
) -> Vec<(String, String)> {
    let text = |i: usize| {
        list.get(scope, i)
            .and_then(|d| v8::Local::<v8::String>::try_from(d).ok())
            .map(|s| s.to_rust_string_lossy(scope))
    };
    (0..list.length() / stride)
        .filter_map(|i| Some((text(i * stride)?, text(i * stride + 1)?)))
        .collect()
}

fn synthetic<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(url) = string_arg(scope, args.get(0), "esmSynthetic: url") else {
        return;
    };
    let Ok(list) = v8::Local::<v8::Array>::try_from(args.get(1)) else {
        return throw_type_error(scope, "esmSynthetic: names must be an array");
    };
    let mut names: Vec<String> = Vec::with_capacity(list.length() as usize);
    let mut keys = Vec::with_capacity(list.length() as usize);
    for i in 0..list.length() {
        let Some(item) = list.get_index(scope, i) else {
            return;
        };
        let Some(name) = string_arg(scope, item, "esmSynthetic: each name") else {
            return;
        };
        let text = name.to_rust_string_lossy(scope);
        if !names.contains(&text) {
            names.push(text);
            keys.push(name);
        }
    }
    let module = v8::Module::create_synthetic_module(scope, url, &keys, hooks::evaluate_synthetic);
    if let Some(id) = add_entry(scope, module, Vec::new(), names) {
        rv.set(v8::Number::new(scope, f64::from(id)).into());
    }
}

fn link<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let Some((id, _)) = module_arg(scope, args.get(0)) else {
        return;
    };
    let Ok(list) = v8::Local::<v8::Array>::try_from(args.get(1)) else {
        return throw_type_error(scope, "esmLink: ids must be an array");
    };
    let Some(state) = guest(scope) else { return };
    let mut links = Vec::with_capacity(list.length() as usize);
    for i in 0..list.length() {
        let child = list
            .get_index(scope, i)
            .filter(|v| v.is_uint32())
            .and_then(|v| v.uint32_value(scope));
        links.push(child.filter(|&c| state.esm.borrow().get(c).is_some()));
    }
    let mut map = state.esm.borrow_mut();
    let Some(entry) = map.get_mut(id) else { return };
    if links.len() != entry.requests.len() || links.iter().any(Option::is_none) {
        drop(map);
        return throw_type_error(scope, "esmLink: one known module id per request");
    }
    entry.links = links;
}

fn instantiate<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some((_, module)) = module_arg(scope, args.get(0)) else {
        return;
    };
    match module.get_status() {
        v8::ModuleStatus::Uninstantiated => {
            // A link error (a missing export, a resolve failure) stays pending for the loader.
            if module.instantiate_module(scope, hooks::resolve).is_some() {
                rv.set(v8::Boolean::new(scope, true).into());
            }
        }
        v8::ModuleStatus::Instantiating => {
            throw_type_error(scope, "esmInstantiate: the module is being linked");
        }
        _ => rv.set(v8::Boolean::new(scope, true).into()),
    }
}

fn evaluate<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some((_, module)) = module_arg(scope, args.get(0)) else {
        return;
    };
    match module.get_status() {
        v8::ModuleStatus::Instantiated
        | v8::ModuleStatus::Evaluated
        | v8::ModuleStatus::Errored => {
            if let Some(promise) = module.evaluate(scope) {
                // The loader always handles the outcome itself (awaits it, or reads the
                // module's status): a rejection is never "unhandled" on its own.
                if let Ok(promise) = v8::Local::<v8::Promise>::try_from(promise) {
                    promise.mark_as_handled();
                }
                rv.set(promise);
            }
        }
        v8::ModuleStatus::Evaluating => {
            throw_type_error(scope, "esmEvaluate: the module is being evaluated")
        }
        _ => throw_type_error(scope, "esmEvaluate: the module is not linked"),
    }
}

fn namespace<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some((_, module)) = module_arg(scope, args.get(0)) else {
        return;
    };
    match module.get_status() {
        v8::ModuleStatus::Uninstantiated | v8::ModuleStatus::Instantiating => {
            throw_type_error(scope, "esmNamespace: the module is not linked")
        }
        _ => rv.set(module.get_module_namespace()),
    }
}

fn status_number(status: v8::ModuleStatus) -> i32 {
    match status {
        v8::ModuleStatus::Uninstantiated => 0,
        v8::ModuleStatus::Instantiating => 1,
        v8::ModuleStatus::Instantiated => 2,
        v8::ModuleStatus::Evaluating => 3,
        v8::ModuleStatus::Evaluated => 4,
        v8::ModuleStatus::Errored => 5,
    }
}

fn info<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some((_, module)) = module_arg(scope, args.get(0)) else {
        return;
    };
    let status = module.get_status();
    let linked = !matches!(
        status,
        v8::ModuleStatus::Uninstantiated | v8::ModuleStatus::Instantiating
    );
    let tla = module.is_source_text_module() && module.has_top_level_await();
    let graph_async = linked && module.is_graph_async();
    let items = [
        v8::Integer::new(scope, status_number(status)).into(),
        v8::Boolean::new(scope, tla).into(),
        v8::Boolean::new(scope, graph_async).into(),
    ];
    rv.set(v8::Array::new_with_elements(scope, &items).into());
}

fn stalled<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some((_, module)) = module_arg(scope, args.get(0)) else {
        return;
    };
    if !module.is_source_text_module() || module.get_status() != v8::ModuleStatus::Evaluated {
        rv.set(v8::Array::new(scope, 0).into());
        return;
    }
    let found = module.get_stalled_top_level_await_message(scope);
    let mut out = Vec::with_capacity(found.len());
    for (_, message) in found {
        let url = message
            .get_script_resource_name(scope)
            .and_then(|n| n.to_string(scope))
            .map_or_else(String::new, |n| n.to_rust_string_lossy(scope));
        let line = message.get_line_number(scope).unwrap_or(0);
        let text = message
            .get_source_line(scope)
            .map_or_else(String::new, |s| s.to_rust_string_lossy(scope));
        let line = line.to_string();
        let column = message.get_start_column().to_string();
        let fields = [url.as_str(), line.as_str(), text.as_str(), column.as_str()];
        out.push(string_array(scope, fields).into());
    }
    rv.set(v8::Array::new_with_elements(scope, &out).into());
}

fn error<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some((_, module)) = module_arg(scope, args.get(0)) else {
        return;
    };
    if module.get_status() == v8::ModuleStatus::Errored {
        rv.set(module.get_exception());
    }
}

/// Calls `runner[name](...args)`; `None` when the runner is missing or the call threw (the
/// exception stays pending for V8).
pub(super) fn call_runner<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    name: &str,
    args: &[v8::Local<'s, v8::Value>],
) -> Option<v8::Local<'s, v8::Value>> {
    let state = guest(scope)?;
    let runner = {
        let map = state.esm.borrow();
        v8::Local::new(scope, map.runner()?)
    };
    let key = v8_str(scope, name);
    let function = runner
        .get(scope, key.into())
        .and_then(|f| v8::Local::<v8::Function>::try_from(f).ok());
    let Some(function) = function else {
        throw_type_error(scope, &format!("runner has no {name}()"));
        return None;
    };
    function.call(scope, runner.into(), args)
}
