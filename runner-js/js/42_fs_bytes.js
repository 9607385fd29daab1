// 42_fs_bytes.js: fs options (encoding, flag) and the conversions between strings and bytes for
// the encodings fs accepts (utf8, latin1, hex, base64).

// ---- options ----

import {
  ArrayBufferIsView,
  bridgeUtf8Encode,
  NumberIsNaN,
  NumberParseInt,
  ObjectSetPrototypeOf,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSlice,
  TypeErrorCtor,
  Uint8ArrayCtor,
} from './00_primordials.js';
import { isTypedArray } from './01_helpers.js';
import { inspect } from './04_inspect.js';
import { makeInvalidArgType, makeNodeError } from './06_errors.js';
import { toUint8View } from './07_encoding.js';
import { bytesToString, normalizeEncoding } from './25_stdin.js';
import { loadLazyBuiltin } from './49_lazy.js';

/** Node's getOptions: the encoding `options` names (checked), else `fallback`. */
export function fsEncodingOf(options, fallback) {
  const encoding = fsEncodingOption(options, fallback);
  fsCheckEncoding(encoding);
  return encoding;
}

function fsEncodingOption(options, fallback) {
  if (options === undefined || options === null) return fallback;
  if (typeof options === 'string') return options;
  if (typeof options === 'object') {
    const e = options.encoding;
    return e === undefined ? fallback : e;
  }
  if (typeof options === 'function') return fallback;
  throw makeInvalidArgType('options', 'string or an instance of Object', options);
}

export function fsFlagOf(options, fallback) {
  if (options !== null && typeof options === 'object' && options.flag !== undefined)
    return `${options.flag}`;
  return fallback;
}

// The encodings the runner's own byte codecs (25_stdin.js) lack (utf16le/ucs2, base64url) go
// through the buffer builtin's, loaded on their first use.
function fsWideEncoding(encoding) {
  const internal = loadLazyBuiltin('internal/buffer');
  const id = internal.encodingIdOf(`${encoding}`);
  return id === -1 ? undefined : { __proto__: null, internal, id };
}

export function fsCheckEncoding(encoding) {
  if (encoding === null || encoding === undefined || encoding === 'buffer') return;
  if (normalizeEncoding(encoding) === undefined && fsWideEncoding(encoding) === undefined) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      `The argument 'encoding' is invalid encoding. Received ${inspect(encoding)}`,
    );
  }
}

// Bytes -> string (encoding) or a Buffer (the `buffer` builtin loads on the first bytes read
// without an encoding: a program reading binary data uses Buffer methods on it).
export function fsBytesOut(bytes, encoding) {
  if (encoding === null || encoding === undefined || encoding === 'buffer') {
    ObjectSetPrototypeOf(bytes, loadLazyBuiltin('buffer').Buffer.prototype);
    return bytes;
  }
  if (normalizeEncoding(encoding) === undefined) {
    const wide = fsWideEncoding(encoding);
    if (wide !== undefined) {
      return wide.internal.sliceString(bytes, 0, TypedArrayPrototypeGetLength(bytes), wide.id);
    }
  }
  return bytesToString(bytes, encoding);
}

function fsLatin1Bytes(str, mask) {
  const out = new Uint8ArrayCtor(str.length);
  for (let i = 0; i < str.length; i++) out[i] = StringPrototypeCharCodeAt(str, i) & mask;
  return out;
}

function fsHexBytes(str) {
  const n = str.length >> 1;
  const out = new Uint8ArrayCtor(n);
  let i = 0;
  for (; i < n; i++) {
    const v = NumberParseInt(StringPrototypeSlice(str, 2 * i, 2 * i + 2), 16);
    if (NumberIsNaN(v)) break;
    out[i] = v;
  }
  return i === n ? out : TypedArrayPrototypeSlice(out, 0, i);
}

function fsBase64Bytes(str) {
  const out = new Uint8ArrayCtor((str.length * 3) >> 2);
  let bits = 0;
  let acc = 0;
  let n = 0;
  for (let i = 0; i < str.length; i++) {
    const c = StringPrototypeCharCodeAt(str, i);
    let v;
    if (c >= 65 && c <= 90) v = c - 65;
    else if (c >= 97 && c <= 122) v = c - 71;
    else if (c >= 48 && c <= 57) v = c + 4;
    else if (c === 43 || c === 45) v = 62;
    else if (c === 47 || c === 95) v = 63;
    else if (c === 61) break;
    else continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return TypedArrayPrototypeSlice(out, 0, n);
}

// Data argument of writeFile/appendFile/writeSync -> Uint8Array.
export function fsBytesIn(data, encoding, name = 'data') {
  if (typeof data === 'string') {
    const enc = encoding === undefined || encoding === null ? 'utf8' : normalizeEncoding(encoding);
    const wide = enc === undefined ? fsWideEncoding(encoding) : undefined;
    if (wide !== undefined) return wide.internal.fromString(data, encoding);
    if (enc === 'utf8' || enc === undefined) return bridgeUtf8Encode(data);
    if (enc === 'latin1' || enc === 'binary') return fsLatin1Bytes(data, 0xff);
    if (enc === 'ascii') return fsLatin1Bytes(data, 0xff);
    if (enc === 'hex') return fsHexBytes(data);
    return fsBase64Bytes(data);
  }
  if (ArrayBufferIsView(data)) {
    if (isTypedArray(data)) {
      return new Uint8ArrayCtor(
        TypedArrayPrototypeGetBuffer(data),
        TypedArrayPrototypeGetByteOffset(data),
        TypedArrayPrototypeGetByteLength(data),
      );
    }
    return toUint8View(data);
  }
  throw makeInvalidArgType(name, 'string or an instance of Buffer, TypedArray, or DataView', data);
}
