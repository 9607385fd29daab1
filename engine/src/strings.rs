//! Small helpers for moving strings and bytes between Rust and V8.

/// A V8 string for `text`, or the empty string when V8 refuses it (beyond its maximum length).
pub fn v8_str<'s>(scope: &v8::PinScope<'s, '_>, text: &str) -> v8::Local<'s, v8::String> {
    v8::String::new(scope, text).unwrap_or_else(|| v8::String::empty(scope))
}

/// A V8 string of one char per byte of `bytes` (latin1, as Node's header strings), or the empty
/// string when V8 refuses it.
pub fn latin1_str<'s>(scope: &v8::PinScope<'s, '_>, bytes: &[u8]) -> v8::Local<'s, v8::String> {
    v8::String::new_from_one_byte(scope, bytes, v8::NewStringType::Normal)
        .unwrap_or_else(|| v8::String::empty(scope))
}

/// Throws a `TypeError` with `message` in the current context.
pub fn throw_type_error(scope: &mut v8::PinScope<'_, '_>, message: &str) {
    let message = v8_str(scope, message);
    let error = v8::Exception::type_error(scope, message);
    scope.throw_exception(error);
}

/// Throws a `RangeError` with `message` in the current context.
pub fn throw_range_error(scope: &mut v8::PinScope<'_, '_>, message: &str) {
    let message = v8_str(scope, message);
    let error = v8::Exception::range_error(scope, message);
    scope.throw_exception(error);
}

/// A JS array of strings.
pub fn string_array<'s, 'a>(
    scope: &mut v8::PinScope<'s, '_>,
    items: impl IntoIterator<Item = &'a str>,
) -> v8::Local<'s, v8::Array> {
    let values: Vec<v8::Local<v8::Value>> =
        items.into_iter().map(|s| v8_str(scope, s).into()).collect();
    v8::Array::new_with_elements(scope, &values)
}

/// The bytes of an `ArrayBufferView`, copied out.
pub fn view_bytes(view: v8::Local<'_, v8::ArrayBufferView>) -> Vec<u8> {
    let mut bytes = vec![0; view.byte_length()];
    let copied = view.copy_contents(&mut bytes);
    bytes.truncate(copied);
    bytes
}

/// A new `Uint8Array` owning `bytes` (no copy: the vector becomes the backing store).
pub fn uint8_array<'s>(
    scope: &v8::PinScope<'s, '_>,
    bytes: Vec<u8>,
) -> Option<v8::Local<'s, v8::Uint8Array>> {
    let len = bytes.len();
    let store = v8::ArrayBuffer::new_backing_store_from_vec(bytes).make_shared();
    let buffer = v8::ArrayBuffer::with_backing_store(scope, &store);
    v8::Uint8Array::new(scope, buffer, 0, len)
}

/// A classic script's origin named `name` (what stack traces show for its frames).
pub fn origin<'s>(
    scope: &v8::PinScope<'s, '_>,
    name: v8::Local<'s, v8::String>,
) -> v8::ScriptOrigin<'s> {
    v8::ScriptOrigin::new(
        scope,
        name.into(),
        0,
        0,
        false,
        -1,
        None,
        false,
        false,
        false,
        None,
    )
}
