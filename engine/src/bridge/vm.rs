//! `vm` contexts: real V8 contexts in the exec's isolate, as Node's contextify makes them. A
//! context's global object has named-property interceptors that forward to the guest's sandbox
//! object: reads look in the sandbox first (then the context's own builtins), writes and
//! definitions go to the sandbox, `delete` and enumeration act on it. Index properties are not
//! intercepted (Node intercepts them too; they stay on the context's global here).
//!
//! The contexts live in the exec's state and die with it (before the isolate). How many one exec
//! may make is capped; their memory counts against the exec's heap limit like anything else, and
//! code run in them is bounded by the exec's time limits (termination reaches every context).
//! Contexts share the exec's security token, so objects pass both ways, as in Node.

use v8::MapFnTo;

use super::{store_script, stored_script, string_arg};
use crate::guest_state::guest;
use crate::strings::{throw_range_error, throw_type_error};

/// Contexts one exec may create (each is a full set of builtins: about 100 KB of heap or more).
const MAX_CONTEXTS: usize = 10_000;

/// The callbacks of this file, appended to the bridge table in `mod.rs`.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("vmCompile", vm_compile.map_fn_to()),
        ("vmContextNew", vm_context_new.map_fn_to()),
        ("vmRun", vm_run.map_fn_to()),
    ]
}

/// `vmCompile(source, filename)` -> the index of the compiled script (a SyntaxError throws).
fn vm_compile<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(source) = string_arg(scope, args.get(0), "vmCompile: source") else {
        return;
    };
    let Some(filename) = string_arg(scope, args.get(1), "vmCompile: filename") else {
        return;
    };
    if let Some(index) = store_script(scope, source, filename) {
        rv.set_double(index as f64);
    }
}

/// `vmContextNew(sandbox)` -> the index of a new context whose global forwards to `sandbox`.
fn vm_context_new<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(sandbox) = v8::Local::<v8::Object>::try_from(args.get(0)) else {
        return throw_type_error(scope, "vmContextNew: sandbox must be an object");
    };
    let Some(state) = guest(scope) else { return };
    if state.vm_contexts.borrow().len() >= MAX_CONTEXTS {
        return throw_range_error(
            scope,
            &format!("vm: an exec may create at most {MAX_CONTEXTS} contexts"),
        );
    }
    // [sandbox, the context's global proxy]: the interceptors' data.
    let data = v8::Array::new(scope, 2);
    data.set_index(scope, 0, sandbox.into());
    let template = v8::ObjectTemplate::new(scope);
    template.set_named_property_handler(
        v8::NamedPropertyHandlerConfiguration::new()
            .getter(getter)
            .setter(setter)
            .query(query)
            .deleter(deleter)
            .enumerator(enumerator)
            .definer(definer)
            .descriptor(descriptor)
            .data(data.into()),
    );
    let outer = scope.get_current_context();
    let context = v8::Context::new(
        scope,
        v8::ContextOptions {
            global_template: Some(template),
            ..Default::default()
        },
    );
    context.set_security_token(outer.get_security_token(scope));
    let global = context.global(scope);
    data.set_index(scope, 1, global.into());
    let index = {
        let mut contexts = state.vm_contexts.borrow_mut();
        contexts.push(v8::Global::new(scope, context));
        contexts.len() - 1
    };
    rv.set_double(index as f64);
}

/// `vmRun(script, context)` -> the completion value of script `script` run in context `context`
/// (-1: the calling context).
fn vm_run<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let script_index = index_arg(scope, args.get(0));
    let context_index = args.get(1).integer_value(scope).unwrap_or(-1);
    let Some(unbound) = stored_script(scope, script_index) else {
        return throw_type_error(scope, "vmRun: no such script");
    };
    let Some(state) = guest(scope) else { return };
    if context_index < 0 {
        let script = unbound.bind_to_current_context(scope);
        if let Some(value) = script.run(scope) {
            rv.set(value);
        }
        return;
    }
    let Some(context) = usize::try_from(context_index).ok().and_then(|i| {
        let contexts = state.vm_contexts.borrow();
        contexts.get(i).map(|g| v8::Local::new(scope, g))
    }) else {
        return throw_type_error(scope, "vmRun: no such context");
    };
    let value = {
        let scope = &mut v8::ContextScope::new(scope, context);
        let script = unbound.bind_to_current_context(scope);
        script.run(scope)
    };
    if let Some(value) = value {
        rv.set(value);
    }
}

fn index_arg(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<'_, v8::Value>) -> Option<usize> {
    let n = value.integer_value(scope)?;
    usize::try_from(n).ok()
}

/// The sandbox and the global proxy of the context whose interceptor runs.
fn parts<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: &v8::PropertyCallbackArguments<'s>,
) -> Option<(v8::Local<'s, v8::Object>, v8::Local<'s, v8::Object>)> {
    let data = v8::Local::<v8::Array>::try_from(args.data()).ok()?;
    let sandbox = data.get_index(scope, 0)?.try_into().ok()?;
    let global = data.get_index(scope, 1)?.try_into().ok()?;
    Some((sandbox, global))
}

fn getter<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    key: v8::Local<'s, v8::Name>,
    args: v8::PropertyCallbackArguments<'s>,
    mut rv: v8::ReturnValue<v8::Value>,
) -> v8::Intercepted {
    let Some((sandbox, global)) = parts(scope, &args) else {
        return v8::Intercepted::kNo;
    };
    let Some(value) = sandbox.get_real_named_property(scope, key) else {
        return v8::Intercepted::kNo;
    };
    // The sandbox seen from inside is the context's global (`globalThis.sandboxSelf`).
    if value.strict_equals(sandbox.into()) {
        rv.set(global.into());
    } else {
        rv.set(value);
    }
    v8::Intercepted::kYes
}

fn setter<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    key: v8::Local<'s, v8::Name>,
    value: v8::Local<'s, v8::Value>,
    args: v8::PropertyCallbackArguments<'s>,
    _rv: v8::ReturnValue<v8::Boolean>,
) -> v8::Intercepted {
    let Some((sandbox, global)) = parts(scope, &args) else {
        return v8::Intercepted::kNo;
    };
    let on_global = global.get_real_named_property_attributes(scope, key);
    let on_sandbox = sandbox.get_real_named_property_attributes(scope, key);
    let read_only =
        |a: &Option<v8::PropertyAttribute>| a.as_ref().is_some_and(|a| a.is_read_only());
    if read_only(&on_global) || read_only(&on_sandbox) {
        return v8::Intercepted::kNo;
    }
    let declared = on_global.is_some() || on_sandbox.is_some();
    // `x = 1` to an undeclared name in strict code: V8's ReferenceError. (Node tells this from
    // `this.x = 1`, which the crate's property callbacks cannot: that falls to the global too.)
    if !declared && args.should_throw_on_error() && !value.is_function() {
        return v8::Intercepted::kNo;
    }
    // Handled either way: when the sandbox's setter throws, the exception propagates.
    let _ = sandbox.set(scope, key.into(), value);
    v8::Intercepted::kYes
}

fn query<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    key: v8::Local<'s, v8::Name>,
    args: v8::PropertyCallbackArguments<'s>,
    mut rv: v8::ReturnValue<v8::Integer>,
) -> v8::Intercepted {
    let Some((sandbox, _)) = parts(scope, &args) else {
        return v8::Intercepted::kNo;
    };
    if sandbox.has_real_named_property(scope, key) != Some(true) {
        return v8::Intercepted::kNo;
    }
    let attributes = sandbox
        .get_real_named_property_attributes(scope, key)
        .unwrap_or_default();
    rv.set_int32(attributes.as_u32() as i32);
    v8::Intercepted::kYes
}

fn deleter<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    key: v8::Local<'s, v8::Name>,
    args: v8::PropertyCallbackArguments<'s>,
    mut rv: v8::ReturnValue<v8::Boolean>,
) -> v8::Intercepted {
    let Some((sandbox, _)) = parts(scope, &args) else {
        return v8::Intercepted::kNo;
    };
    if sandbox.has_real_named_property(scope, key) != Some(true) {
        return v8::Intercepted::kNo;
    }
    match sandbox.delete(scope, key.into()) {
        Some(done) => rv.set_bool(done),
        None => return v8::Intercepted::kYes,
    }
    v8::Intercepted::kYes
}

fn enumerator<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::PropertyCallbackArguments<'s>,
    mut rv: v8::ReturnValue<v8::Array>,
) {
    let Some((sandbox, _)) = parts(scope, &args) else {
        return;
    };
    // Names only (V8 checks each is a Name): integer keys as strings, symbols too.
    let args = v8::GetPropertyNamesArgsBuilder::new()
        .mode(v8::KeyCollectionMode::OwnOnly)
        .property_filter(v8::PropertyFilter::ALL_PROPERTIES)
        .key_conversion(v8::KeyConversionMode::ConvertToString)
        .build();
    if let Some(names) = sandbox.get_own_property_names(scope, args) {
        rv.set(names);
    }
}

fn definer<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    key: v8::Local<'s, v8::Name>,
    desc: &v8::PropertyDescriptor,
    args: v8::PropertyCallbackArguments<'s>,
    _rv: v8::ReturnValue<v8::Boolean>,
) -> v8::Intercepted {
    let Some((sandbox, global)) = parts(scope, &args) else {
        return v8::Intercepted::kNo;
    };
    let on_global = global.get_real_named_property_attributes(scope, key);
    if on_global.is_some_and(|a| a.is_read_only()) {
        return v8::Intercepted::kNo;
    }
    let mut copy = if desc.has_get() || desc.has_set() {
        let undefined: v8::Local<v8::Value> = v8::undefined(scope).into();
        let get = if desc.has_get() {
            desc.get()
        } else {
            undefined
        };
        let set = if desc.has_set() {
            desc.set()
        } else {
            undefined
        };
        v8::PropertyDescriptor::new_from_get_set(get, set)
    } else {
        let value = if desc.has_value() {
            desc.value()
        } else {
            v8::undefined(scope).into()
        };
        if desc.has_writable() {
            v8::PropertyDescriptor::new_from_value_writable(value, desc.writable())
        } else {
            v8::PropertyDescriptor::new_from_value(value)
        }
    };
    if desc.has_enumerable() {
        copy.set_enumerable(desc.enumerable());
    }
    if desc.has_configurable() {
        copy.set_configurable(desc.configurable());
    }
    // Defined on the sandbox; V8 then defines it on the global too (as Node: kNo).
    if sandbox.define_property(scope, key, &copy).is_none() {
        return v8::Intercepted::kYes;
    }
    v8::Intercepted::kNo
}

fn descriptor<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    key: v8::Local<'s, v8::Name>,
    args: v8::PropertyCallbackArguments<'s>,
    mut rv: v8::ReturnValue<v8::Value>,
) -> v8::Intercepted {
    let Some((sandbox, _)) = parts(scope, &args) else {
        return v8::Intercepted::kNo;
    };
    if sandbox.has_own_property(scope, key) != Some(true) {
        return v8::Intercepted::kNo;
    }
    match sandbox.get_own_property_descriptor(scope, key) {
        Some(found) => rv.set(found),
        None => return v8::Intercepted::kYes,
    }
    v8::Intercepted::kYes
}
