//! Natives of the Node surface that JavaScript cannot compute: V8's heap statistics
//! (`process.memoryUsage`, `v8.getHeapStatistics`), the guest thread's CPU time
//! (`process.cpuUsage`), V8's brand checks (`util.types.isProxy`, `isArgumentsObject`, ...), a
//! promise's state and a constructor's name (`util.inspect`), the current stack's frames
//! (`util.getCallSites`), and V8's continuation-preserved data, which follows promise jobs
//! (`AsyncLocalStorage`).
//!
//! Each takes at most one guest value and reads it without running guest code (no getters, no
//! proxy traps), so a hostile value can neither steer nor crash them.

use v8::MapFnTo;

/// The callbacks of this file, appended to the bridge table in `mod.rs`.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("heapStatistics", heap_statistics.map_fn_to()),
        ("threadCpuMicros", thread_cpu_micros.map_fn_to()),
        ("valueKinds", value_kinds.map_fn_to()),
        ("promiseState", promise_state.map_fn_to()),
        ("proxyParts", proxy_parts.map_fn_to()),
        ("constructorName", constructor_name.map_fn_to()),
        ("previewEntries", preview_entries.map_fn_to()),
        ("callSites", call_sites.map_fn_to()),
        ("asyncContextGet", async_context_get.map_fn_to()),
        ("asyncContextSet", async_context_set.map_fn_to()),
        ("gc", gc.map_fn_to()),
    ]
}

/// `heapStatistics()` -> `[total_heap_size, used_heap_size, external_memory, heap_size_limit,
/// total_physical_size, total_available_size, malloced_memory, total_heap_size_executable]`.
fn heap_statistics<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let stats = scope.get_heap_statistics();
    let values = [
        stats.total_heap_size(),
        stats.used_heap_size(),
        stats.external_memory(),
        stats.heap_size_limit(),
        stats.total_physical_size(),
        stats.total_available_size(),
        stats.malloced_memory(),
        stats.total_heap_size_executable(),
    ];
    let elements: Vec<v8::Local<v8::Value>> = values
        .iter()
        .map(|&n| v8::Number::new(scope, n as f64).into())
        .collect();
    rv.set(v8::Array::new_with_elements(scope, &elements).into());
}

/// `threadCpuMicros()` -> microseconds of CPU the calling (guest) thread has used, or -1 when the
/// OS does not say.
fn thread_cpu_micros<'s>(
    _scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let micros = crate::cpu::thread_cpu_ns().map_or(-1.0, |ns| (ns / 1000) as f64);
    rv.set_double(micros);
}

/// Bits of `valueKinds(value)`, in this order (the runner's `lib/internal__util_types.js` reads
/// them by the same positions).
const KIND_CHECKS: [fn(&v8::Value) -> bool; 16] = [
    v8::Value::is_proxy,
    v8::Value::is_external,
    v8::Value::is_module_namespace_object,
    v8::Value::is_generator_object,
    v8::Value::is_arguments_object,
    v8::Value::is_promise,
    v8::Value::is_async_function,
    v8::Value::is_generator_function,
    v8::Value::is_map_iterator,
    v8::Value::is_set_iterator,
    v8::Value::is_native_error,
    v8::Value::is_shared_array_buffer,
    v8::Value::is_wasm_module_object,
    v8::Value::is_number_object,
    v8::Value::is_string_object,
    v8::Value::is_symbol_object,
];

/// `valueKinds(value)` -> an int32 whose bit `i` is `KIND_CHECKS[i](value)`.
fn value_kinds<'s>(
    _scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let value = args.get(0);
    let mut bits = 0i32;
    for (i, check) in KIND_CHECKS.iter().enumerate() {
        if check(&value) {
            bits |= 1 << i;
        }
    }
    rv.set_int32(bits);
}

/// `constructorName(object)` -> the name of the constructor V8 recorded for `object` (its map's,
/// or a data `constructor` property; no getter runs), as `util.inspect` names a null-prototype
/// object (`[Foo: null prototype] {}`); undefined for a primitive.
fn constructor_name<'s>(
    _scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(object) = v8::Local::<v8::Object>::try_from(args.get(0)) else {
        return;
    };
    rv.set(object.get_constructor_name().into());
}

/// `promiseState(promise)` -> `[0]` pending, `[1, value]` fulfilled, `[2, reason]` rejected;
/// undefined for a non-promise.
fn promise_state<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(promise) = v8::Local::<v8::Promise>::try_from(args.get(0)) else {
        return;
    };
    let out: Vec<v8::Local<v8::Value>> = match promise.state() {
        v8::PromiseState::Pending => vec![v8::Integer::new(scope, 0).into()],
        v8::PromiseState::Fulfilled => {
            vec![v8::Integer::new(scope, 1).into(), promise.result(scope)]
        }
        v8::PromiseState::Rejected => {
            vec![v8::Integer::new(scope, 2).into(), promise.result(scope)]
        }
    };
    rv.set(v8::Array::new_with_elements(scope, &out).into());
}

/// `previewEntries(iterator)` -> `[entries, isKeyValue]` of a Map/Set or its iterator without
/// advancing it (V8's `PreviewEntries`: key, value, key, value... when `isKeyValue`);
/// undefined for anything else.
fn preview_entries<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(object) = v8::Local::<v8::Object>::try_from(args.get(0)) else {
        return;
    };
    let (Some(entries), key_value) = object.preview_entries(scope) else {
        return;
    };
    let flag = v8::Boolean::new(scope, key_value);
    rv.set(v8::Array::new_with_elements(scope, &[entries.into(), flag.into()]).into());
}

/// `proxyParts(proxy)` -> `[target, handler]`; undefined for a non-proxy (for `inspect`'s
/// `showProxy` and `util.types`).
fn proxy_parts<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(proxy) = v8::Local::<v8::Proxy>::try_from(args.get(0)) else {
        return;
    };
    let parts = [proxy.get_target(scope), proxy.get_handler(scope)];
    rv.set(v8::Array::new_with_elements(scope, &parts).into());
}

/// The most frames `callSites` reports (Node's `getCallSites` allows 200).
const MAX_CALL_SITES: usize = 201;

/// `callSites(limit)` -> `[functionName, scriptName, scriptId, lineNumber, column, ...]`, five
/// entries per frame of the current stack, innermost first, at most `limit` frames (capped).
/// Reads V8's stack trace; runs no guest code.
fn call_sites<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let limit = args
        .get(0)
        .uint32_value(scope)
        .map_or(10, |n| n as usize)
        .min(MAX_CALL_SITES);
    let Some(trace) = v8::StackTrace::current_stack_trace(scope, limit) else {
        rv.set(v8::Array::new(scope, 0).into());
        return;
    };
    let mut out: Vec<v8::Local<v8::Value>> = Vec::with_capacity(trace.get_frame_count() * 5);
    for i in 0..trace.get_frame_count() {
        let Some(frame) = trace.get_frame(scope, i) else {
            continue;
        };
        let empty = v8::String::empty(scope);
        let function: v8::Local<v8::Value> = frame.get_function_name(scope).unwrap_or(empty).into();
        let script: v8::Local<v8::Value> = frame
            .get_script_name_or_source_url(scope)
            .unwrap_or(empty)
            .into();
        out.push(function);
        out.push(script);
        out.push(v8::Number::new(scope, frame.get_script_id() as f64).into());
        out.push(v8::Number::new(scope, frame.get_line_number() as f64).into());
        out.push(v8::Number::new(scope, frame.get_column() as f64).into());
    }
    rv.set(v8::Array::new_with_elements(scope, &out).into());
}

/// `asyncContextGet()` -> the async context frame V8 carries across promise jobs (`undefined`
/// until one is set): `AsyncLocalStorage`'s stores (`lib/async_hooks.js`).
fn async_context_get<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    rv.set(scope.get_continuation_preserved_embedder_data());
}

/// `asyncContextSet(frame)`: the frame that promise jobs created from now on carry.
fn async_context_set<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    scope.set_continuation_preserved_embedder_data(args.get(0));
}

/// `gc()` (`node --expose-gc`): a full garbage collection, as V8 does on memory pressure.
fn gc<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    scope.low_memory_notification();
}
