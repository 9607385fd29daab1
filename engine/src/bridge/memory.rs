//! The natives behind the runner's memory guards (`runner-js/js/09_memory.js`): V8 gives no
//! per-isolate hook on resizable/growable buffers or wasm memories, so the runner's captured
//! constructors ask here before granting them.

use crate::guest_state::guest;
use crate::strings::{throw_range_error, throw_type_error, uint8_array, view_bytes};
use crate::wasm_memory::{CapError, cap};

/// Every memory native with its bridge name.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    use v8::MapFnTo;
    vec![
        ("memoryReserve", memory_reserve.map_fn_to()),
        ("memoryLimitHit", memory_limit_hit.map_fn_to()),
        ("wasmCap", wasm_cap.map_fn_to()),
    ]
}

/// `bridge.memoryReserve(delta)`: takes `delta` bytes from the ArrayBuffer budget (gives them
/// back when negative); false when they do not fit.
fn memory_reserve<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(delta) = args.get(0).number_value(scope).filter(|d| d.is_finite()) else {
        return throw_type_error(scope, "memoryReserve: delta must be a finite number");
    };
    let Some(state) = guest(scope) else { return };
    let bytes = delta.abs().min(usize::MAX as f64) as usize;
    if delta < 0.0 {
        state.budget.release_external(bytes);
        rv.set_bool(true);
    } else {
        rv.set_bool(state.budget.reserve_external(bytes));
    }
}

/// `bridge.memoryLimitHit(what?)`: the guest was refused memory by a guard (its failure is then
/// reported as `MEMORY_LIMIT`); `what` says what it asked for.
fn memory_limit_hit<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let what = args.get(0);
    let what = what.is_string().then(|| what.to_rust_string_lossy(scope));
    if let Some(state) = guest(scope) {
        state.budget.note_refusal();
        if let Some(what) = what {
            state.memory_refusal.borrow_mut().get_or_insert(what);
        }
    }
}

/// `bridge.wasmCap(bytes, limit)` -> `[rewritten bytes or undefined, maxima (bytes) of the
/// module's memories]`; throws a RangeError when a memory starts above `limit`. Malformed
/// modules come back unchanged (V8 reports them when compiling).
fn wasm_cap<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(args.get(0)) else {
        return throw_type_error(scope, "wasmCap: bytes must be an ArrayBufferView");
    };
    let Some(limit) = args.get(1).number_value(scope).filter(|l| *l >= 0.0) else {
        return throw_type_error(scope, "wasmCap: limit must be a non-negative number");
    };
    let bytes = view_bytes(view);
    let capped = match cap(&bytes, limit as u64) {
        Ok(capped) => capped,
        Err(CapError::Malformed(_)) => {
            let undefined = v8::undefined(scope).into();
            let empty = v8::Array::new(scope, 0).into();
            rv.set(v8::Array::new_with_elements(scope, &[undefined, empty]).into());
            return;
        }
        Err(e) => {
            if let Some(state) = guest(scope) {
                state.budget.note_refusal();
            }
            return throw_range_error(scope, &e.to_string());
        }
    };
    let rewritten = match capped.bytes {
        Some(bytes) => match uint8_array(scope, bytes) {
            Some(array) => array.into(),
            None => return throw_range_error(scope, "wasmCap: out of memory"),
        },
        None => v8::undefined(scope).into(),
    };
    let maxima: Vec<v8::Local<v8::Value>> = capped
        .maxima
        .iter()
        .map(|m| v8::Number::new(scope, *m as f64).into())
        .collect();
    let maxima = v8::Array::new_with_elements(scope, &maxima).into();
    rv.set(v8::Array::new_with_elements(scope, &[rewritten, maxima]).into());
}
