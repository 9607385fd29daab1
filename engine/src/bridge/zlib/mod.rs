//! The `zlib*` natives behind `runner-js/lib/zlib.js` (contract: `runner-js/lib/ZLIB.md`), shaped
//! like Node's zlib binding: a stream handle, and `write` that fills the output chunk the runner
//! allocated. Output memory is therefore always the guest's own ArrayBuffers (bounded by its
//! budget, and by `maxOutputLength` in the runner); a stream's native state is charged to the
//! budget too (`handles.rs`), re-measured after each write (brotli's ring buffer grows with the
//! stream's window).

mod stream;
mod zstd;

use v8::MapFnTo;

use self::stream::{Mode, Stream, StreamError, ZlibSettings};
use self::zstd::Zstd;
use super::handles;
use super::views::{as_view, bytes, overlap, scratch, with_bytes_mut};
use crate::strings::{throw_type_error, v8_str};

/// Every zlib callback with its bridge name.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("zlibNew", zlib_new.map_fn_to()),
        ("brotliNew", brotli_new.map_fn_to()),
        ("zstdNew", zstd_new.map_fn_to()),
        ("zlibWrite", zlib_write.map_fn_to()),
        ("zlibParams", zlib_params.map_fn_to()),
        ("zlibReset", zlib_reset.map_fn_to()),
        ("zlibClose", zlib_close.map_fn_to()),
        ("zlibCrc32", crc32.map_fn_to()),
    ]
}

fn int(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<'_, v8::Value>) -> i32 {
    value.int32_value(scope).unwrap_or(0)
}

/// `zlibNew(mode, level, windowBits, dictionary | undefined)` -> handle, or `undefined` when
/// zlib refuses the settings (Node: `ERR_ZLIB_INITIALIZATION_FAILED`).
fn zlib_new<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(mode) = Mode::from_number(int(scope, args.get(0))) else {
        return throw_type_error(scope, "zlibNew: unknown mode");
    };
    let dictionary = match as_view(args.get(3)) {
        Some(view) => {
            let mut space = scratch();
            bytes(&view, &mut space).to_vec()
        }
        None => Vec::new(),
    };
    let settings = ZlibSettings {
        level: int(scope, args.get(1)),
        window_bits: int(scope, args.get(2)),
        dictionary,
    };
    let Some(stream) = Stream::zlib(mode, settings) else {
        return;
    };
    let size = stream.footprint();
    if let Some(handle) = handles::create(scope, stream, size) {
        rv.set(handle.into());
    }
}

/// `brotliNew(mode, params)` -> handle, or `undefined` when a parameter is refused. `params` is
/// a `Uint32Array` indexed by `BROTLI_PARAM_*` / `BROTLI_DECODER_PARAM_*`, 0xFFFFFFFF = unset.
fn brotli_new<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let mode = Mode::from_number(int(scope, args.get(0)));
    let Some(mode @ (Mode::BrotliEncode | Mode::BrotliDecode)) = mode else {
        return throw_type_error(scope, "brotliNew: unknown mode");
    };
    let Some(stream) = Stream::brotli(mode, set_params(args.get(1))) else {
        return;
    };
    let size = stream.footprint();
    if let Some(handle) = handles::create(scope, stream, size) {
        rv.set(handle.into());
    }
}

/// The `(key, value)` pairs set in a `Uint32Array` of parameters (0xFFFFFFFF = unset).
fn set_params(value: v8::Local<'_, v8::Value>) -> Vec<(u32, u32)> {
    let mut params = Vec::new();
    if let Some(view) = as_view(value) {
        let mut space = scratch();
        let raw = bytes(&view, &mut space);
        for (key, value) in raw.chunks_exact(4).enumerate() {
            let value = u32::from_le_bytes([value[0], value[1], value[2], value[3]]);
            if value != u32::MAX {
                params.push((key as u32, value));
            }
        }
    }
    params
}

/// `zstdNew(mode, params, pledgedSrcSize, dictionary)` -> handle, or the message of Node's
/// `ERR_ZLIB_INITIALIZATION_FAILED` (a string) when zstd refuses a setting. `params` as for
/// `brotliNew`, keyed by `ZSTD_c_*` / `ZSTD_d_*`; `pledgedSrcSize` a number or `undefined`.
fn zstd_new<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let compress = match Mode::from_number(int(scope, args.get(0))) {
        Some(Mode::ZstdCompress) => true,
        Some(Mode::ZstdDecompress) => false,
        _ => return throw_type_error(scope, "zstdNew: unknown mode"),
    };
    let pledged = match args.get(2) {
        v if v.is_undefined() => None,
        v => match v.integer_value(scope).map(u64::try_from) {
            Some(Ok(n)) => Some(n),
            _ => return throw_type_error(scope, "zstdNew: pledgedSrcSize must be a size"),
        },
    };
    let dictionary = match as_view(args.get(3)) {
        Some(view) => {
            let mut space = scratch();
            bytes(&view, &mut space).to_vec()
        }
        None => Vec::new(),
    };
    match Zstd::new(compress, set_params(args.get(1)), pledged, dictionary) {
        Ok(zstd) => {
            let stream = Stream::zstd(compress, zstd);
            let size = stream.footprint();
            if let Some(handle) = handles::create(scope, stream, size) {
                rv.set(handle.into());
            }
        }
        Err(message) => rv.set(v8_str(scope, message).into()),
    }
}

/// A byte range argument pair, checked against the view's length.
fn range(
    scope: &mut v8::PinScope<'_, '_>,
    view: &v8::ArrayBufferView,
    offset: v8::Local<'_, v8::Value>,
    len: v8::Local<'_, v8::Value>,
) -> Option<(usize, usize)> {
    let offset = usize::try_from(offset.integer_value(scope)?).ok()?;
    let len = usize::try_from(len.integer_value(scope)?).ok()?;
    (offset.checked_add(len)? <= view.byte_length()).then_some((offset, len))
}

/// `zlibWrite(handle, flush, input, inOff, inLen, out, outOff, outLen, state)`: runs the stream
/// over `input[inOff..][..inLen]` into `out[outOff..][..outLen]`; writes the bytes left in each
/// into `state` (`Uint32Array(2)`: [availOutAfter, availInAfter]) and returns `undefined`, or
/// `[message, errno, code]` when the stream fails (the stream is then unusable, as in Node).
fn zlib_write<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let flush = int(scope, args.get(1));
    let (Some(input), Some(out), Some(state)) = (
        as_view(args.get(2)),
        as_view(args.get(5)),
        as_view(args.get(8)),
    ) else {
        return throw_type_error(scope, "zlibWrite: input, out and state must be views");
    };
    let (Some((in_off, in_len)), Some((out_off, out_len))) = (
        range(scope, &input, args.get(3), args.get(4)),
        range(scope, &out, args.get(6), args.get(7)),
    ) else {
        return throw_type_error(scope, "zlibWrite: a range is outside its buffer");
    };
    if state.byte_length() < 8 {
        return throw_type_error(scope, "zlibWrite: state must hold two 32-bit numbers");
    }
    let Some((id, mut stream)) = handles::take::<Stream>(scope, args.get(0)) else {
        return throw_type_error(scope, "zlibWrite: not a zlib stream");
    };
    // A brotli encoder or a zstd compressor allocates its window and tables in its first
    // write: charge them before, so a budget that cannot hold them refuses that write.
    if !handles::resize(scope, id, stream.footprint_before(flush, in_len)) {
        handles::put(scope, id, stream);
        return;
    }
    // The input may share the output's buffer (a guest's choice): then work on a copy of it.
    let mut space = scratch();
    let copied;
    let input_bytes: &[u8] = if overlap(&input, &out) {
        copied = bytes(&input, &mut space).to_vec();
        &copied
    } else {
        bytes(&input, &mut space)
    };
    let input_bytes = &input_bytes[in_off..in_off + in_len];
    let result = with_bytes_mut(scope, out, |dst| {
        stream.write(flush, input_bytes, &mut dst[out_off..out_off + out_len])
    });
    let size = stream.footprint();
    handles::put(scope, id, stream);
    if !handles::resize(scope, id, size) {
        return;
    }
    match result {
        Ok((used, made)) => {
            let words = [(out_len - made) as u32, (in_len - used) as u32];
            with_bytes_mut(scope, state, |dst| {
                dst[..4].copy_from_slice(&words[0].to_le_bytes());
                dst[4..8].copy_from_slice(&words[1].to_le_bytes());
            });
        }
        Err(e) => rv.set(error_array(scope, &e).into()),
    }
}

fn error_array<'s>(scope: &mut v8::PinScope<'s, '_>, e: &StreamError) -> v8::Local<'s, v8::Array> {
    let items = [
        v8_str(scope, &e.message).into(),
        v8::Integer::new(scope, e.errno).into(),
        v8_str(scope, &e.code).into(),
    ];
    v8::Array::new_with_elements(scope, &items)
}

/// `zlibParams(handle, level, strategy)` -> true when applied.
fn zlib_params<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let level = int(scope, args.get(1));
    let Some((id, mut stream)) = handles::take::<Stream>(scope, args.get(0)) else {
        return throw_type_error(scope, "zlibParams: not a zlib stream");
    };
    let ok = stream.params(level);
    handles::put(scope, id, stream);
    rv.set_bool(ok);
}

/// `zlibReset(handle)` -> true when the stream was reset.
fn zlib_reset<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some((id, mut stream)) = handles::take::<Stream>(scope, args.get(0)) else {
        return throw_type_error(scope, "zlibReset: not a zlib stream");
    };
    let ok = stream.reset();
    let size = stream.footprint();
    handles::put(scope, id, stream);
    rv.set_bool(ok && handles::resize(scope, id, size));
}

/// `zlibClose(handle)`: frees the stream now (closing twice is harmless).
fn zlib_close<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    if let Some((id, _)) = handles::take::<Stream>(scope, args.get(0)) {
        handles::release(scope, id);
    }
}

/// `zlibCrc32(data, value)` -> the CRC-32 of `data` (a view, or a string as UTF-8) continuing
/// from `value` (`zlib.crc32`).
fn crc32<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let initial = args.get(1).uint32_value(scope).unwrap_or(0);
    let mut hasher = crc32fast::Hasher::new_with_initial(initial);
    if let Ok(text) = v8::Local::<v8::String>::try_from(args.get(0)) {
        hasher.update(text.to_rust_string_lossy(scope).as_bytes());
    } else if let Some(view) = as_view(args.get(0)) {
        let mut space = scratch();
        hasher.update(bytes(&view, &mut space));
    } else {
        return throw_type_error(scope, "zlibCrc32: data must be a string or a view");
    }
    rv.set_uint32(hasher.finalize());
}
