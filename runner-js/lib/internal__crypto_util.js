// lib/internal__crypto_util.js: what the crypto and zlib builtins share: Node's validators and
// error messages, byte views of any ArrayBuffer/view/string, and Buffers (from the `buffer`
// builtin when the runner has one; plain Uint8Arrays otherwise).
import { bridge } from 'agentos:bridge';
import {
  ArrayBufferIsView,
  ArrayIsArray,
  bridgeUtf8Encode,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  NumberIsInteger,
  NumberIsNaN,
  ObjectSetPrototypeOf,
  StringPrototypeIncludes,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypeErrorCtor,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { isAnyArrayBuffer } from '../js/01_helpers.js';
import { inspect } from '../js/04_inspect.js';
import { makeInvalidArgType, makeNodeError, makeOutOfRange } from '../js/06_errors.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';

const cryptoDecode = bridge.cryptoDecode;
const cryptoEncode = bridge.cryptoEncode;

/** Node's `ERR_OUT_OF_RANGE` (large integers printed with `_` separators, as Node). */
export function outOfRange(name, range, value) {
  return makeOutOfRange(name, range, value);
}

/** Node's `ERR_INVALID_ARG_VALUE`. */
export function invalidArgValue(name, value, reason = 'is invalid') {
  let inspected = inspect(value);
  if (inspected.length > 128) inspected = `${StringPrototypeSlice(inspected, 0, 128)}...`;
  const type = StringPrototypeIncludes(name, '.') ? 'property' : 'argument';
  return makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_ARG_VALUE',
    `The ${type} '${name}' ${reason}. Received ${inspected}`,
  );
}

/** Node's `ERR_CRYPTO_INVALID_DIGEST`. */
export function invalidDigest(digest) {
  return makeNodeError(TypeErrorCtor, 'ERR_CRYPTO_INVALID_DIGEST', `Invalid digest: ${digest}`);
}

/** Node's `ERR_FEATURE_UNAVAILABLE_ON_PLATFORM`, naming the API. */
export function unavailable(api) {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM',
    `The feature ${api} is unavailable on the current platform, which is being used to run Node.js`,
  );
}

export function validateString(value, name) {
  if (typeof value !== 'string') throw makeInvalidArgType(name, 'string', value);
}

export function validateNumber(value, name, min, max) {
  if (typeof value !== 'number') throw makeInvalidArgType(name, 'number', value);
  if (
    (min != null && value < min) ||
    (max != null && value > max) ||
    ((min != null || max != null) && NumberIsNaN(value))
  ) {
    const range = `${min != null ? `>= ${min}` : ''}${min != null && max != null ? ' && ' : ''}${max != null ? `<= ${max}` : ''}`;
    throw outOfRange(name, range, value);
  }
}

export function validateInteger(value, name, min = -9007199254740991, max = 9007199254740991) {
  if (typeof value !== 'number') throw makeInvalidArgType(name, 'number', value);
  if (!NumberIsInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

export function validateInt32(value, name, min = -2147483648, max = 2147483647) {
  validateInteger(value, name, min, max);
}

export function validateUint32(value, name, positive = false) {
  validateInteger(value, name, positive ? 1 : 0, 4294967295);
}

export function validateBoolean(value, name) {
  if (typeof value !== 'boolean') throw makeInvalidArgType(name, 'boolean', value);
}

export function validateObject(value, name) {
  if (value === null || ArrayIsArray(value) || typeof value !== 'object') {
    throw makeInvalidArgType(name, 'object', value);
  }
}

/** A Uint8Array over the bytes of an ArrayBuffer or any view (no copy). */
export function bytesOf(value) {
  if (!ArrayBufferIsView(value)) return new Uint8ArrayCtor(value);
  if (TypedArrayPrototypeGetSymbolToStringTag(value) === undefined) {
    return new Uint8ArrayCtor(
      DataViewPrototypeGetBuffer(value),
      DataViewPrototypeGetByteOffset(value),
      DataViewPrototypeGetByteLength(value),
    );
  }
  return new Uint8ArrayCtor(
    TypedArrayPrototypeGetBuffer(value),
    TypedArrayPrototypeGetByteOffset(value),
    TypedArrayPrototypeGetByteLength(value),
  );
}

// Encoding numbers shared with the natives (engine/src/bridge/encodings.rs).
const ENCODINGS = {
  __proto__: null,
  utf8: 1,
  'utf-8': 1,
  hex: 2,
  base64: 3,
  base64url: 4,
  latin1: 5,
  binary: 5,
  ascii: 6,
  ucs2: 7,
  'ucs-2': 7,
  utf16le: 7,
  'utf-16le': 7,
};

/** Node's normalizeEncoding, as the natives number encodings; 0 for unknown (or `buffer`). */
export function encodingId(encoding) {
  if (typeof encoding !== 'string') return 0;
  const id = ENCODINGS[encoding] ?? ENCODINGS[StringPrototypeToLowerCase(encoding)];
  return id === undefined ? 0 : id;
}

/** `Buffer.from(string, encoding)`. */
export function stringBytes(text, encoding) {
  const id = encodingId(encoding);
  return toBuffer(id <= 1 ? bridgeUtf8Encode(text) : cryptoDecode(text, id));
}

/** `buffer.toString(encoding)`. */
export function bytesString(bytes, encoding) {
  return cryptoEncode(bytes, encodingId(encoding) || 1);
}

let bufferPrototype;

/** Makes a Uint8Array a Buffer in place (when the `buffer` builtin exists). */
export function toBuffer(u8) {
  if (bufferPrototype === undefined) {
    const mod = loadLazyBuiltin('buffer');
    bufferPrototype = mod && typeof mod.Buffer === 'function' ? mod.Buffer.prototype : null;
  }
  if (bufferPrototype !== null) ObjectSetPrototypeOf(u8, bufferPrototype);
  return u8;
}

/** Node's `encode` for crypto results: a string in `encoding`, else (none, or 'buffer') `bytes`
 * as a Buffer. */
export function encodeBytes(bytes, encoding) {
  if (encoding && encoding !== 'buffer') return bytesString(bytes, encoding);
  return toBuffer(bytes);
}

/** `Buffer.allocUnsafe(n)` (zero-filled: the allocator gives zeroed memory anyway). */
export function allocBuffer(n) {
  return toBuffer(new Uint8ArrayCtor(n));
}

/**
 * Node's getArrayBufferOrView: bytes of a string (in `encoding`), an ArrayBuffer or a view;
 * anything else is ERR_INVALID_ARG_TYPE naming `name`.
 */
export function arrayBufferOrView(value, name, encoding) {
  if (isAnyArrayBuffer(value)) return new Uint8ArrayCtor(value);
  if (typeof value === 'string')
    return stringBytes(value, encoding === 'buffer' ? 'utf8' : encoding);
  if (!ArrayBufferIsView(value)) {
    throw makeInvalidArgType(
      name,
      'string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView',
      value,
    );
  }
  return bytesOf(value);
}
