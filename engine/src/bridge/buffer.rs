//! The natives behind `Buffer` (runner-js `lib/buffer.js`): encoding strings into bytes in
//! place, decoding bytes into strings, comparing and searching. Contract:
//!
//! | function | contract |
//! |---|---|
//! | `bufferUtf8Length(string)` | UTF-8 length of `string` (lone surrogates count as U+FFFD) |
//! | `bufferWrite(view, string, offset, length, encoding)` | encodes `string` into `view[offset .. offset + length]` (clamped to the view), whole characters only; returns the bytes written |
//! | `bufferSlice(view, start, end, encoding)` | decodes `view[start .. end]` (clamped); `undefined` when the string would pass V8's maximum length |
//! | `bufferCompare(a, b)` | -1, 0 or 1: `a` and `b` compared bytewise, then by length |
//! | `bufferIndexOf(haystack, needle, offset, forward, utf16)` | the first match at or after `offset` (or the last at or before it), else -1; with `utf16`, only matches at even positions (code units) |
//! | `bufferValidate(view, kind)` | `kind` 0: is the view valid UTF-8; 1: is it ASCII |
//!
//! Encodings (`encoding`, an int): 0 utf8, 1 utf16le, 2 latin1, 3 ascii, 4 base64, 5 base64url,
//! 6 hex. Big strings are read and built in chunks (`CHUNK`), so no call holds a copy of a whole
//! string outside V8's heap; results live on the heap (bounded by the isolate's limit) and the
//! bytes written go into views the guest allocated (bounded by its ArrayBuffer budget). A string
//! that would not fit under the heap limit is a RangeError before any of it is built.
#![expect(
    unsafe_code,
    reason = "writing into an ArrayBufferView's backing store in place"
)]

use v8::MapFnTo;

use super::codec::{
    Base64Decoder, base64_encode, base64_encoded_len, hex_decode, hex_encode, utf8_cut,
};
use crate::strings::{throw_range_error, throw_type_error};

/// Units read, or bytes decoded, per step.
const CHUNK: usize = 1 << 16;

/// Every buffer callback with its bridge name.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("bufferUtf8Length", utf8_length.map_fn_to()),
        ("bufferWrite", write.map_fn_to()),
        ("bufferSlice", slice.map_fn_to()),
        ("bufferCompare", compare.map_fn_to()),
        ("bufferIndexOf", index_of.map_fn_to()),
        ("bufferValidate", validate.map_fn_to()),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16le,
    Latin1,
    Ascii,
    Base64,
    Base64url,
    Hex,
}

impl Encoding {
    fn from_id(id: i32) -> Option<Self> {
        Some(match id {
            0 => Self::Utf8,
            1 => Self::Utf16le,
            2 => Self::Latin1,
            3 => Self::Ascii,
            4 => Self::Base64,
            5 => Self::Base64url,
            6 => Self::Hex,
            _ => return None,
        })
    }
}

fn view_arg<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    value: v8::Local<'s, v8::Value>,
    what: &str,
) -> Option<v8::Local<'s, v8::ArrayBufferView>> {
    let view = v8::Local::<v8::ArrayBufferView>::try_from(value).ok();
    if view.is_none() {
        throw_type_error(scope, &format!("{what} must be an ArrayBufferView"));
    }
    view
}

/// A non-negative index argument, clamped to `max` (NaN and negatives are 0).
fn index_arg(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<v8::Value>, max: usize) -> usize {
    let n = value.number_value(scope).unwrap_or(0.0);
    if n.is_nan() || n <= 0.0 {
        0
    } else if n >= max as f64 {
        max
    } else {
        n as usize
    }
}

/// The bytes of `view`, in place and writable (materialising an on-heap typed array).
///
/// # Safety
/// The caller must not run JavaScript, nor hold another slice of the same memory, while the
/// returned slice lives (so nothing detaches or resizes the buffer under it).
unsafe fn bytes_mut<'a>(view: v8::Local<'a, v8::ArrayBufferView>) -> &'a mut [u8] {
    let len = view.byte_length();
    let data = view.data().cast::<u8>();
    if len == 0 || data.is_null() {
        return &mut [];
    }
    // SAFETY: `data()` is the view's start in its (now off-heap) backing store, which stays
    // put and alive while the view is (the caller's handle keeps it); `byte_length()` bytes
    // follow it; the caller guarantees exclusive access while the slice lives.
    unsafe { std::slice::from_raw_parts_mut(data, len) }
}

/// The bytes of `view`, read-only, without materialising an on-heap typed array.
fn bytes<'a>(view: &'a v8::ArrayBufferView, storage: &'a mut [u8]) -> &'a [u8] {
    view.get_contents(storage)
}

fn heap_storage() -> Vec<u8> {
    vec![0; v8::TYPED_ARRAY_MAX_SIZE_IN_HEAP]
}

fn utf8_length<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(text) = v8::Local::<v8::String>::try_from(args.get(0)) else {
        return throw_type_error(scope, "bufferUtf8Length: expected a string");
    };
    rv.set_double(text.utf8_length(scope) as f64);
}

fn write<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(view) = view_arg(scope, args.get(0), "bufferWrite: view") else {
        return;
    };
    let Ok(text) = v8::Local::<v8::String>::try_from(args.get(1)) else {
        return throw_type_error(scope, "bufferWrite: string must be a string");
    };
    let Some(encoding) = args.get(4).int32_value(scope).and_then(Encoding::from_id) else {
        return throw_type_error(scope, "bufferWrite: unknown encoding");
    };
    let len = view.byte_length();
    let offset = index_arg(scope, args.get(2), len);
    let room = index_arg(scope, args.get(3), len - offset);
    // SAFETY: only V8's string writers run while `out` lives (no JavaScript), and nothing else
    // holds the view's bytes.
    let out = &mut unsafe { bytes_mut(view) }[offset..offset + room];
    let written = match encoding {
        Encoding::Utf8 => text.write_utf8_v2(scope, out, v8::WriteFlags::kReplaceInvalidUtf8, None),
        Encoding::Latin1 | Encoding::Ascii => {
            let n = text.length().min(out.len());
            text.write_one_byte_v2(scope, 0, &mut out[..n], v8::WriteFlags::empty());
            n
        }
        Encoding::Utf16le => write_utf16(scope, text, out),
        Encoding::Base64 | Encoding::Base64url => {
            let mut decoder = Base64Decoder::default();
            let mut written = 0;
            for_units(scope, text, |units| {
                decoder.feed(units.iter().copied(), out, &mut written)
            });
            written
        }
        Encoding::Hex => {
            let mut written = 0;
            for_units(scope, text, |units| {
                let (n, stop) = hex_decode(units, &mut out[written..]);
                written += n;
                !stop
            });
            written
        }
    };
    rv.set_double(written as f64);
}

fn write_utf16(scope: &v8::Isolate, text: v8::Local<v8::String>, out: &mut [u8]) -> usize {
    let units = text.length().min(out.len() / 2);
    let mut buf = vec![0u16; units.min(CHUNK)];
    let mut done = 0;
    while done < units {
        let n = (units - done).min(CHUNK);
        // `done` < the string's length, which V8 keeps below 2^30.
        text.write_v2(scope, done as u32, &mut buf[..n], v8::WriteFlags::empty());
        for (i, unit) in buf[..n].iter().enumerate() {
            let at = (done + i) * 2;
            out[at..at + 2].copy_from_slice(&unit.to_le_bytes());
        }
        done += n;
    }
    units * 2
}

/// Calls `step` with the string's code units, each truncated to its low byte (as Node's
/// decoders read them), `CHUNK` at a time (an even count), until it returns false.
fn for_units(
    scope: &v8::Isolate,
    text: v8::Local<v8::String>,
    mut step: impl FnMut(&[u8]) -> bool,
) {
    let total = text.length();
    let mut wide = vec![0u16; total.min(CHUNK)];
    let mut narrow = vec![0u8; total.min(CHUNK)];
    let mut done = 0;
    while done < total {
        let n = (total - done).min(CHUNK);
        text.write_v2(scope, done as u32, &mut wide[..n], v8::WriteFlags::empty());
        for (to, from) in narrow[..n].iter_mut().zip(&wide[..n]) {
            *to = *from as u8;
        }
        if !step(&narrow[..n]) {
            return;
        }
        done += n;
    }
}

fn slice<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(view) = view_arg(scope, args.get(0), "bufferSlice: view") else {
        return;
    };
    let Some(encoding) = args.get(3).int32_value(scope).and_then(Encoding::from_id) else {
        return throw_type_error(scope, "bufferSlice: unknown encoding");
    };
    let len = view.byte_length();
    let start = index_arg(scope, args.get(1), len);
    let end = index_arg(scope, args.get(2), len).max(start);
    let mut storage = heap_storage();
    let all = bytes(&view, &mut storage);
    let data = &all[start.min(all.len())..end.min(all.len())];
    let needed = string_bytes(data, encoding);
    if !heap_fits(scope, needed) {
        return throw_range_error(
            scope,
            &format!("Cannot create a string of {needed} bytes within the heap limit"),
        );
    }
    if let Some(text) = decode(scope, data, encoding) {
        rv.set(text.into());
    }
}

/// Heap bytes the string decoded from `data` takes (at most).
fn string_bytes(data: &[u8], encoding: Encoding) -> usize {
    let len = data.len();
    match encoding {
        Encoding::Utf8 if !data.is_ascii() => len.saturating_mul(2),
        Encoding::Base64 | Encoding::Base64url => len.saturating_mul(4) / 3 + 4,
        Encoding::Hex => len.saturating_mul(2),
        _ => len,
    }
}

/// Heap kept free for the runner to go on after a big string.
const HEAP_MARGIN: usize = 8 << 20;

/// True when `bytes` more fit on the heap under its limit (after a full GC if they do not at
/// first). A native builds a big string in one go, without running JavaScript, so the
/// heap-limit callback's termination would only be seen after V8 ran out of heap and aborted.
fn heap_fits(scope: &mut v8::PinScope<'_, '_>, bytes: usize) -> bool {
    fn room(scope: &mut v8::PinScope<'_, '_>) -> usize {
        let stats = scope.get_heap_statistics();
        stats
            .heap_size_limit()
            .saturating_sub(stats.used_heap_size())
    }
    let needed = bytes.saturating_add(HEAP_MARGIN);
    if needed <= room(scope) {
        return true;
    }
    scope.low_memory_notification();
    needed <= room(scope)
}

/// `data` decoded as a V8 string (built in chunks), or None past V8's maximum length.
fn decode<'s>(
    scope: &v8::PinScope<'s, '_>,
    data: &[u8],
    encoding: Encoding,
) -> Option<v8::Local<'s, v8::String>> {
    let mut text = v8::String::empty(scope);
    let mut rest = data;
    let mut scratch = Vec::new();
    while !rest.is_empty() {
        let (chunk, piece) = match encoding {
            Encoding::Utf8 => {
                let cut = if rest.len() <= CHUNK {
                    rest.len()
                } else {
                    utf8_cut(rest, CHUNK)
                };
                let cut = if cut == 0 { rest.len().min(CHUNK) } else { cut };
                let piece =
                    v8::String::new_from_utf8(scope, &rest[..cut], v8::NewStringType::Normal)?;
                (cut, piece)
            }
            Encoding::Latin1 => {
                let cut = rest.len().min(CHUNK);
                let piece =
                    v8::String::new_from_one_byte(scope, &rest[..cut], v8::NewStringType::Normal)?;
                (cut, piece)
            }
            Encoding::Ascii => {
                let cut = rest.len().min(CHUNK);
                scratch.clear();
                scratch.extend(rest[..cut].iter().map(|b| b & 0x7f));
                let piece =
                    v8::String::new_from_one_byte(scope, &scratch, v8::NewStringType::Normal)?;
                (cut, piece)
            }
            Encoding::Utf16le => {
                let cut = (rest.len() & !1).min(CHUNK);
                if cut == 0 {
                    break;
                }
                let units: Vec<u16> = rest[..cut]
                    .chunks_exact(2)
                    .map(|p| u16::from_le_bytes([p[0], p[1]]))
                    .collect();
                let piece =
                    v8::String::new_from_two_byte(scope, &units, v8::NewStringType::Normal)?;
                (cut, piece)
            }
            Encoding::Base64 | Encoding::Base64url => {
                let url = encoding == Encoding::Base64url;
                if base64_encoded_len(data.len(), url)? > v8::String::MAX_LENGTH {
                    return None;
                }
                let cut = rest.len().min(CHUNK / 4 * 3);
                scratch.clear();
                base64_encode(&rest[..cut], url, &mut scratch);
                let piece =
                    v8::String::new_from_one_byte(scope, &scratch, v8::NewStringType::Normal)?;
                (cut, piece)
            }
            Encoding::Hex => {
                if data.len().checked_mul(2)? > v8::String::MAX_LENGTH {
                    return None;
                }
                let cut = rest.len().min(CHUNK / 2);
                scratch.clear();
                hex_encode(&rest[..cut], &mut scratch);
                let piece =
                    v8::String::new_from_one_byte(scope, &scratch, v8::NewStringType::Normal)?;
                (cut, piece)
            }
        };
        text = if text.length() == 0 {
            piece
        } else {
            v8::String::concat(scope, text, piece)?
        };
        rest = &rest[chunk..];
    }
    Some(text)
}

fn compare<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(a) = view_arg(scope, args.get(0), "bufferCompare: a") else {
        return;
    };
    let Some(b) = view_arg(scope, args.get(1), "bufferCompare: b") else {
        return;
    };
    let (mut sa, mut sb) = (heap_storage(), heap_storage());
    let order = bytes(&a, &mut sa).cmp(bytes(&b, &mut sb));
    rv.set_int32(order as i32);
}

fn index_of<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(haystack) = view_arg(scope, args.get(0), "bufferIndexOf: haystack") else {
        return;
    };
    let Some(needle) = view_arg(scope, args.get(1), "bufferIndexOf: needle") else {
        return;
    };
    let offset = index_arg(scope, args.get(2), haystack.byte_length());
    let forward = args.get(3).boolean_value(scope);
    let aligned = args.get(4).boolean_value(scope);
    let (mut sh, mut sn) = (heap_storage(), heap_storage());
    let hay = bytes(&haystack, &mut sh);
    let needle = bytes(&needle, &mut sn);
    let found = if aligned {
        find_aligned(hay, &needle[..needle.len() & !1], offset & !1, forward)
    } else {
        find(hay, needle, offset, forward)
    };
    rv.set_double(found.map_or(-1.0, |i| i as f64));
}

/// The first match at or after `offset`, or the last at or before it.
fn find(hay: &[u8], needle: &[u8], offset: usize, forward: bool) -> Option<usize> {
    if forward {
        let rest = hay.get(offset..)?;
        memchr::memmem::find(rest, needle).map(|i| i + offset)
    } else {
        let end = offset.saturating_add(needle.len()).min(hay.len());
        memchr::memmem::rfind(&hay[..end], needle)
    }
}

/// As `find`, for UTF-16 code units: only matches at even byte positions count.
fn find_aligned(hay: &[u8], needle: &[u8], offset: usize, forward: bool) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    if forward {
        let rest = hay.get(offset..)?;
        memchr::memmem::find_iter(rest, needle)
            .map(|i| i + offset)
            .find(|i| i % 2 == 0)
    } else {
        let end = offset.saturating_add(needle.len()).min(hay.len());
        memchr::memmem::rfind_iter(&hay[..end], needle).find(|i| i % 2 == 0)
    }
}

fn validate<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(view) = view_arg(scope, args.get(0), "bufferValidate: view") else {
        return;
    };
    let ascii = args.get(1).int32_value(scope) == Some(1);
    let mut storage = heap_storage();
    let data = bytes(&view, &mut storage);
    rv.set_bool(if ascii {
        data.is_ascii()
    } else {
        std::str::from_utf8(data).is_ok()
    });
}
