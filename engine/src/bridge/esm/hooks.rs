//! The hooks V8 calls for modules: resolving a request while linking (answered from the map the
//! loader filled), a synthetic module's evaluation, `import()` and `import.meta`. The last three
//! call the runner (`runner.esmSynthetic`, `runner.esmImport`, `runner.esmImportMeta`), which
//! loads the lazy ES module loader on first use.

use super::{attribute_pairs, call_runner};
use crate::guest_state::guest;
use crate::strings::{throw_type_error, v8_str};

/// V8's resolve callback: the module the loader linked to `referrer`'s request.
pub(super) fn resolve<'s>(
    context: v8::Local<'s, v8::Context>,
    specifier: v8::Local<'s, v8::String>,
    import_attributes: v8::Local<'s, v8::FixedArray>,
    referrer: v8::Local<'s, v8::Module>,
) -> Option<v8::Local<'s, v8::Module>> {
    // SAFETY: V8 calls this on the isolate's thread during `instantiate_module`, inside
    // `context`.
    v8::callback_scope!(unsafe scope, context);
    let state = guest(scope)?;
    let specifier = specifier.to_rust_string_lossy(scope);
    let attributes = attribute_pairs(scope, import_attributes, 3);
    let found = {
        let map = state.esm.borrow();
        map.id_of(referrer.get_identity_hash().get(), referrer)
            .and_then(|id| map.linked(id, &specifier, &attributes))
            .and_then(|child| map.get(child))
            .map(|entry| v8::Local::new(scope, &entry.module))
    };
    if found.is_none() {
        throw_type_error(
            scope,
            &format!("module request '{specifier}' was not linked"),
        );
    }
    found
}

/// A synthetic module's evaluation: `runner.esmSynthetic(id)` returns an object holding a value
/// for each export name.
pub(super) fn evaluate_synthetic<'s>(
    context: v8::Local<'s, v8::Context>,
    module: v8::Local<'s, v8::Module>,
) -> Option<v8::Local<'s, v8::Value>> {
    // SAFETY: V8 calls this on the isolate's thread while evaluating `module`, inside `context`.
    v8::callback_scope!(unsafe scope, context);
    let state = guest(scope)?;
    let (id, names) = {
        let map = state.esm.borrow();
        let id = map.id_of(module.get_identity_hash().get(), module)?;
        (id, map.get(id)?.exports.clone())
    };
    let id_value = v8::Number::new(scope, f64::from(id)).into();
    let values = call_runner(scope, "esmSynthetic", &[id_value])?;
    let Ok(values) = v8::Local::<v8::Object>::try_from(values) else {
        throw_type_error(scope, "esmSynthetic must return an object");
        return None;
    };
    for name in &names {
        let key = v8_str(scope, name);
        let value = values.get(scope, key.into())?;
        module.set_synthetic_module_export(scope, key, value)?;
    }
    // The evaluation's result is a promise, as for source text modules.
    let done = v8::PromiseResolver::new(scope)?;
    let undefined = v8::undefined(scope).into();
    done.resolve(scope, undefined)?;
    Some(done.get_promise(scope).into())
}

/// `import(specifier)`: `runner.esmImport(specifier, referrer name, [key, value, ...])`, a
/// promise of the namespace.
pub fn import_dynamically<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _host_defined_options: v8::Local<'s, v8::Data>,
    resource_name: v8::Local<'s, v8::Value>,
    specifier: v8::Local<'s, v8::String>,
    import_attributes: v8::Local<'s, v8::FixedArray>,
) -> Option<v8::Local<'s, v8::Promise>> {
    let pairs = attribute_pairs(scope, import_attributes, 2);
    let flat: Vec<v8::Local<v8::Value>> = pairs
        .iter()
        .flat_map(|(k, v)| [v8_str(scope, k).into(), v8_str(scope, v).into()])
        .collect();
    let attributes = v8::Array::new_with_elements(scope, &flat);
    let args = [specifier.into(), resource_name, attributes.into()];
    let result = call_runner(scope, "esmImport", &args)?;
    if let Ok(promise) = v8::Local::<v8::Promise>::try_from(result) {
        return Some(promise);
    }
    let resolver = v8::PromiseResolver::new(scope)?;
    let message = v8_str(scope, "esmImport must return a promise");
    let error = v8::Exception::type_error(scope, message);
    resolver.reject(scope, error);
    Some(resolver.get_promise(scope))
}

/// `import.meta`, the first time a module reads it: `runner.esmImportMeta(meta, id)`.
pub extern "C" fn init_import_meta(
    context: v8::Local<'_, v8::Context>,
    module: v8::Local<'_, v8::Module>,
    meta: v8::Local<'_, v8::Object>,
) {
    // SAFETY: V8 calls this on the isolate's thread inside `context`, while the module's code
    // first reads `import.meta`.
    v8::callback_scope!(unsafe scope, context);
    let Some(state) = guest(scope) else { return };
    let id = state
        .esm
        .borrow()
        .id_of(module.get_identity_hash().get(), module);
    let Some(id) = id else { return };
    let id_value = v8::Number::new(scope, f64::from(id)).into();
    // An exception stays pending and surfaces where `import.meta` was read.
    let _ = call_runner(scope, "esmImportMeta", &[meta.into(), id_value]);
}
