//! `bridge.ownNonIndexKeys(object, filter)`: the own keys of `object` that are not array indices,
//! as Node's `internalBinding('util').getOwnNonIndexProperties` (`filter`: V8's property filter
//! bits, 2 only enumerable, 16 skip symbols). V8 skips the indices as it collects, so a typed
//! array of millions of elements costs nothing here; listing all its keys in JavaScript and
//! filtering them would make a string per element in one builtin call, past any heap limit.

use crate::strings::throw_type_error;

pub fn own_non_index_keys<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(object) = v8::Local::<v8::Object>::try_from(args.get(0)) else {
        return throw_type_error(scope, "ownNonIndexKeys: an object");
    };
    let bits = args.get(1).uint32_value(scope).unwrap_or(0);
    let mut filter = v8::PropertyFilter::ALL_PROPERTIES;
    if bits & 2 != 0 {
        filter = filter | v8::PropertyFilter::ONLY_ENUMERABLE;
    }
    if bits & 16 != 0 {
        filter = filter | v8::PropertyFilter::SKIP_SYMBOLS;
    }
    let names = object.get_property_names(
        scope,
        v8::GetPropertyNamesArgs {
            mode: v8::KeyCollectionMode::OwnOnly,
            property_filter: filter,
            index_filter: v8::IndexFilter::SkipIndices,
            key_conversion: v8::KeyConversionMode::NoNumbers,
        },
    );
    // On failure (a Proxy's trap threw) the exception is pending.
    if let Some(names) = names {
        rv.set(names.into());
    }
}
