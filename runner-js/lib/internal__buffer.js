// lib/internal__buffer.js: the core of `Buffer` as Node 20 has it: FastBuffer (a Uint8Array
// subclass sharing Buffer's prototype), the allocation pool, the encodings (over the `buffer*`
// natives, engine/src/bridge/buffer.rs), and from/alloc/concat/compare/byteLength.

import { bridge } from 'agentos:bridge';
import {
  ArrayBufferIsView,
  ArrayIsArray,
  FunctionPrototypeSymbolHasInstance,
  MathFloor,
  NumberIsInteger,
  NumberIsNaN,
  ObjectDefineProperty,
  StringPrototypeCharCodeAt,
  StringPrototypeToLowerCase,
  SymbolToPrimitive,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSet,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { anyArrayBufferByteLength, isAnyArrayBuffer, isDataView } from '../js/01_helpers.js';
import { webPrimordials } from '../js/09_web_primordials.js';
import {
  bufferOutOfBounds,
  invalidArgType,
  invalidArgValue,
  outOfRange,
  stringTooLong,
  unknownEncoding,
  validateNumber,
} from './internal__web_errors.js';

const {
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  MathTrunc,
  NumberMAX_SAFE_INTEGER,
  NumberMIN_SAFE_INTEGER,
  TypedArrayPrototypeFill,
} = webPrimordials;

const nativeUtf8Length = bridge.bufferUtf8Length;
const nativeWrite = bridge.bufferWrite;
const nativeSlice = bridge.bufferSlice;
export const nativeCompare = bridge.bufferCompare;
export const nativeIndexOf = bridge.bufferIndexOf;
export const nativeValidate = bridge.bufferValidate;

export const kMaxLength = 2 ** 32;
export const kStringMaxLength = 536870888;

// Encoding ids, as the natives know them.
export const UTF8 = 0;
export const UTF16LE = 1;
export const LATIN1 = 2;
export const ASCII = 3;
export const BASE64 = 4;
export const BASE64URL = 5;
export const HEX = 6;

const encodingIds = {
  __proto__: null,
  utf8: UTF8,
  'utf-8': UTF8,
  ucs2: UTF16LE,
  'ucs-2': UTF16LE,
  utf16le: UTF16LE,
  'utf-16le': UTF16LE,
  latin1: LATIN1,
  binary: LATIN1,
  ascii: ASCII,
  base64: BASE64,
  base64url: BASE64URL,
  hex: HEX,
};
export const ENCODING_NAMES = ['utf8', 'utf16le', 'latin1', 'ascii', 'base64', 'base64url', 'hex'];

/** The encoding id of string `name` (any case), or -1. */
export function encodingIdOf(name) {
  let id = encodingIds[name];
  if (id === undefined) id = encodingIds[StringPrototypeToLowerCase(name)];
  return id === undefined ? -1 : id;
}

/** Node's `normalizeEncoding`: the canonical name, or undefined (null and '' mean utf8). */
export function normalizeEncoding(enc) {
  if (enc == null || enc === 'utf8' || enc === 'utf-8' || enc === '') return 'utf8';
  if (typeof enc !== 'string') {
    if (typeof enc !== 'object' && typeof enc !== 'function') return undefined;
    const length = enc.length;
    if (typeof length !== 'number' || length < 3 || length > 9) return undefined;
  }
  const id = encodingIdOf(`${enc}`);
  return id === -1 ? undefined : ENCODING_NAMES[id];
}

/** Node's `getEncodingOps`: the id of `encoding` coerced to a string, or -1. */
export function encodingOpsId(encoding) {
  return encodingIdOf(`${encoding}`);
}

// The pool small buffers are cut from (Node's allocPool): observable through `buf.buffer`.
export class FastBuffer extends Uint8ArrayCtor {
  // biome-ignore lint/complexity/noUselessConstructor: Node's FastBuffer has this constructor.
  constructor(bufferOrLength, byteOffset, length) {
    super(bufferOrLength, byteOffset, length);
  }
}

let poolSize = 0;
let poolOffset = 0;
let allocPool;
let getPoolSizeSetting = () => 8192;

export function setPoolSizeSource(fn) {
  getPoolSizeSetting = fn;
}

function createPool() {
  poolSize = getPoolSizeSetting();
  allocPool = TypedArrayPrototypeGetBuffer(new FastBuffer(poolSize));
  poolOffset = 0;
}

function alignPool() {
  if (poolOffset & 0x7) {
    poolOffset |= 0x7;
    poolOffset++;
  }
}

/** A buffer of `size` bytes cut from the pool when small (Buffer.allocUnsafe). */
export function allocate(size) {
  if (size <= 0) return new FastBuffer();
  if (size < getPoolSizeSetting() >>> 1) {
    if (allocPool === undefined || size > poolSize - poolOffset) createPool();
    const b = new FastBuffer(allocPool, poolOffset, size);
    poolOffset += size;
    alignPool();
    return b;
  }
  return new FastBuffer(size);
}

export function isUint8Array(value) {
  return TypedArrayPrototypeGetSymbolToStringTag(value) === 'Uint8Array';
}

export function bufferLength(buf) {
  return TypedArrayPrototypeGetLength(buf);
}

/** A Uint8Array over the bytes of any ArrayBufferView. */
export function viewBytes(view) {
  if (isUint8Array(view)) return view;
  if (isDataView(view)) {
    return new Uint8ArrayCtor(
      DataViewPrototypeGetBuffer(view),
      DataViewPrototypeGetByteOffset(view),
      DataViewPrototypeGetByteLength(view),
    );
  }
  return new Uint8ArrayCtor(
    TypedArrayPrototypeGetBuffer(view),
    TypedArrayPrototypeGetByteOffset(view),
    TypedArrayPrototypeGetByteLength(view),
  );
}

/** `buf[start, end)` as a FastBuffer over the same memory (no species lookup). */
export function subBuffer(buf, start, end) {
  return new FastBuffer(
    TypedArrayPrototypeGetBuffer(buf),
    TypedArrayPrototypeGetByteOffset(buf) + start,
    end - start,
  );
}

// ---- encodings ----

export function utf8Length(string) {
  return nativeUtf8Length(string);
}

function base64ByteLength(str, bytes) {
  if (StringPrototypeCharCodeAt(str, bytes - 1) === 0x3d) bytes--;
  if (bytes > 1 && StringPrototypeCharCodeAt(str, bytes - 1) === 0x3d) bytes--;
  return (bytes * 3) >>> 2;
}

/** Bytes `string` takes in encoding `id` (base64 and hex: at most). */
export function byteLengthOf(string, id) {
  const len = string.length;
  switch (id) {
    case UTF8:
      return nativeUtf8Length(string);
    case UTF16LE:
      return len * 2;
    case BASE64:
    case BASE64URL:
      return base64ByteLength(string, len);
    case HEX:
      return len >>> 1;
    default:
      return len;
  }
}

/** Writes `string` into `buf` at `offset`, at most `length` bytes; returns the bytes written. */
export function writeString(buf, string, offset, length, id) {
  return nativeWrite(buf, string, offset, length, id);
}

/** Decodes `buf[start, end)`. */
export function sliceString(buf, start, end, id) {
  const text = nativeSlice(buf, start, end, id);
  if (text === undefined) throw stringTooLong();
  return text;
}

/** A new buffer holding `string` in encoding `id` (Node's fromStringFast). */
export function fromStringId(string, id) {
  const length = byteLengthOf(string, id);
  if (length >= getPoolSizeSetting() >>> 1) {
    const b = new FastBuffer(length);
    const actual = nativeWrite(b, string, 0, length, id);
    return actual === length ? b : subBuffer(b, 0, actual);
  }
  if (allocPool === undefined || length > poolSize - poolOffset) createPool();
  let b = new FastBuffer(allocPool, poolOffset, length);
  const actual = nativeWrite(b, string, 0, length, id);
  if (actual !== length) b = new FastBuffer(allocPool, poolOffset, actual);
  poolOffset += actual;
  alignPool();
  return b;
}

export function fromString(string, encoding) {
  let id;
  if (typeof encoding !== 'string' || encoding.length === 0) {
    if (string.length === 0) return new FastBuffer();
    id = UTF8;
  } else {
    id = encodingIdOf(encoding);
    if (id === -1) throw unknownEncoding(encoding);
    if (string.length === 0) return new FastBuffer();
  }
  return fromStringId(string, id);
}

// ---- from ----

function fromArrayBuffer(obj, byteOffset, length) {
  if (byteOffset === undefined) {
    byteOffset = 0;
  } else {
    byteOffset = +byteOffset;
    if (NumberIsNaN(byteOffset)) byteOffset = 0;
  }
  const maxLength = anyArrayBufferByteLength(obj) - byteOffset;
  if (maxLength < 0) throw bufferOutOfBounds('offset');
  if (length === undefined) {
    length = maxLength;
  } else {
    length = +length;
    if (length > 0) {
      if (length > maxLength) throw bufferOutOfBounds('length');
    } else {
      length = 0;
    }
  }
  return new FastBuffer(obj, byteOffset, length);
}

export function fromArrayLike(obj) {
  const length = obj.length;
  if (length <= 0) return new FastBuffer();
  if (length < getPoolSizeSetting() >>> 1) {
    if (allocPool === undefined || length > poolSize - poolOffset) createPool();
    const b = new FastBuffer(allocPool, poolOffset, length);
    TypedArrayPrototypeSet(b, obj, 0);
    poolOffset += length;
    alignPool();
    return b;
  }
  return new FastBuffer(obj);
}

function fromObject(obj) {
  if (obj.length !== undefined || isAnyArrayBuffer(obj.buffer)) {
    if (typeof obj.length !== 'number') return new FastBuffer();
    return fromArrayLike(obj);
  }
  if (obj.type === 'Buffer' && ArrayIsArray(obj.data)) return fromArrayLike(obj.data);
  return undefined;
}

export function bufferFrom(value, encodingOrOffset, length) {
  if (typeof value === 'string') return fromString(value, encodingOrOffset);
  if (typeof value === 'object' && value !== null) {
    if (isAnyArrayBuffer(value)) return fromArrayBuffer(value, encodingOrOffset, length);
    const valueOf = value.valueOf?.();
    if (
      valueOf != null &&
      valueOf !== value &&
      (typeof valueOf === 'string' || typeof valueOf === 'object')
    ) {
      return bufferFrom(valueOf, encodingOrOffset, length);
    }
    const b = fromObject(value);
    if (b) return b;
    if (typeof value[SymbolToPrimitive] === 'function') {
      const primitive = value[SymbolToPrimitive]('string');
      if (typeof primitive === 'string') return fromString(primitive, encodingOrOffset);
    }
  }
  throw invalidArgType(
    'first argument',
    ['string', 'Buffer', 'ArrayBuffer', 'Array', 'Array-like Object'],
    value,
  );
}

// ---- validation shared by the prototype methods ----

export function validateOffset(value, name, min = 0, max = kMaxLength) {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if (!NumberIsInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

export function validateInteger(
  value,
  name,
  min = NumberMIN_SAFE_INTEGER,
  max = NumberMAX_SAFE_INTEGER,
) {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if (!NumberIsInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

export function assertSize(size) {
  validateNumber(size, 'size', 0, kMaxLength);
}

export function toInteger(n, defaultVal) {
  n = +n;
  if (!NumberIsNaN(n) && n >= NumberMIN_SAFE_INTEGER && n <= NumberMAX_SAFE_INTEGER) {
    return n % 1 === 0 ? n : MathFloor(n);
  }
  return defaultVal;
}

export function adjustOffset(offset, length) {
  offset = MathTrunc(offset);
  if (offset === 0) return 0;
  if (offset < 0) {
    offset += length;
    return offset > 0 ? offset : 0;
  }
  if (offset < length) return offset;
  return NumberIsNaN(offset) ? 0 : length;
}

/** Copies `source[sourceStart, sourceEnd)` into `target` at `targetStart` (Node's _copyActual). */
export function copyActual(source, target, targetStart, sourceStart, sourceEnd) {
  const targetLength = TypedArrayPrototypeGetLength(target);
  if (sourceEnd - sourceStart > targetLength - targetStart) {
    sourceEnd = sourceStart + targetLength - targetStart;
  }
  let nb = sourceEnd - sourceStart;
  const sourceLength = TypedArrayPrototypeGetLength(source);
  if (nb > sourceLength - sourceStart) nb = sourceLength - sourceStart;
  if (nb <= 0) return 0;
  if (sourceStart !== 0 || sourceEnd < sourceLength) {
    source = new Uint8ArrayCtor(
      TypedArrayPrototypeGetBuffer(source),
      TypedArrayPrototypeGetByteOffset(source) + sourceStart,
      nb,
    );
  }
  TypedArrayPrototypeSet(target, source, targetStart);
  return nb;
}

// ---- fill ----

/** Node's `_fill`: `value` a number, string (in `encoding`) or bytes, repeated over the range. */
export function fillBuffer(buf, value, offset, end, encoding) {
  let id = UTF8;
  if (typeof value === 'string') {
    if (offset === undefined || typeof offset === 'string') {
      encoding = offset;
      offset = 0;
      end = TypedArrayPrototypeGetLength(buf);
    } else if (typeof end === 'string') {
      encoding = end;
      end = TypedArrayPrototypeGetLength(buf);
    }
    const normalized = normalizeEncoding(encoding);
    if (normalized === undefined) {
      if (typeof encoding !== 'string') throw invalidArgType('encoding', 'string', encoding);
      throw unknownEncoding(encoding);
    }
    id = encodingIdOf(normalized);
    if (value.length === 0) {
      value = 0;
    } else if (value.length === 1) {
      if (id === UTF8) {
        const code = StringPrototypeCharCodeAt(value, 0);
        if (code < 128) value = code;
      } else if (id === LATIN1) {
        value = StringPrototypeCharCodeAt(value, 0);
      }
    }
  }
  const length = TypedArrayPrototypeGetLength(buf);
  if (offset === undefined) {
    offset = 0;
    end = length;
  } else {
    validateOffset(offset, 'offset');
    if (end === undefined) end = length;
    else validateOffset(end, 'end', 0, length);
    if (offset >= end) return buf;
  }
  if (typeof value === 'number') {
    if (offset > end || end > TypedArrayPrototypeGetByteLength(buf)) throw bufferOutOfBounds();
    TypedArrayPrototypeFill(buf, value, offset, end);
    return buf;
  }
  const fillLength = end - offset;
  let pattern;
  if (typeof value === 'string') {
    if (id === UTF8 || id === UTF16LE) {
      pattern = fromStringId(value, id);
    } else {
      const room = new FastBuffer(fillLength);
      pattern = subBuffer(room, 0, nativeWrite(room, value, 0, fillLength, id));
    }
    if (TypedArrayPrototypeGetLength(pattern) === 0) throw invalidArgValue('value', value);
  } else if (ArrayBufferIsView(value)) {
    pattern = viewBytes(value);
    if (TypedArrayPrototypeGetLength(pattern) === 0) throw invalidArgValue('value', value);
  } else {
    TypedArrayPrototypeFill(buf, (value >>> 0) & 255, offset, end);
    return buf;
  }
  repeatInto(buf, pattern, offset, end);
  return buf;
}

function repeatInto(buf, pattern, offset, end) {
  const total = end - offset;
  const plen = TypedArrayPrototypeGetLength(pattern);
  const first = plen < total ? plen : total;
  TypedArrayPrototypeSet(buf, plen === first ? pattern : subBuffer(pattern, 0, first), offset);
  let done = first;
  while (done < total) {
    const n = done < total - done ? done : total - done;
    TypedArrayPrototypeSet(buf, subBuffer(buf, offset, offset + n), offset + done);
    done += n;
  }
}

// ---- search ----

function indexOfOffset(length, offset, needleLength, forward) {
  if (offset < 0) {
    if (offset + length >= 0) return length + offset;
    if (forward || needleLength === 0) return 0;
    return -1;
  }
  if (offset + needleLength <= length) return offset;
  if (needleLength === 0) return length;
  if (forward) return -1;
  return length - 1;
}

/** Node's IndexOfBuffer / IndexOfString over bytes: `needle` at or after (before) `offset`. */
export function indexOfBytes(buf, needle, byteOffset, ucs2, forward) {
  const length = TypedArrayPrototypeGetLength(buf);
  const hayLength = ucs2 ? length & ~1 : length;
  const needleLength = TypedArrayPrototypeGetLength(needle);
  const offset = indexOfOffset(hayLength, MathTrunc(byteOffset), needleLength, forward);
  if (needleLength === 0) return offset;
  if (hayLength === 0 || offset <= -1) return -1;
  if ((forward && needleLength + offset > hayLength) || needleLength > hayLength) return -1;
  if (ucs2 && (hayLength < 2 || needleLength < 2)) return -1;
  const hay = hayLength === length ? buf : subBuffer(buf, 0, hayLength);
  return nativeIndexOf(hay, needle, offset, forward, ucs2);
}

export function indexOfNumber(buf, value, byteOffset, forward) {
  const length = TypedArrayPrototypeGetLength(buf);
  const offset = indexOfOffset(length, MathTrunc(byteOffset), 1, forward);
  if (offset <= -1 || length === 0) return -1;
  const byte = value & 255;
  if (forward) {
    for (let i = offset; i < length; i++) if (buf[i] === byte) return i;
  } else {
    for (let i = offset; i >= 0; i--) if (buf[i] === byte) return i;
  }
  return -1;
}

// ---- misc ----

export function isBufferInstance(value, Buffer) {
  return FunctionPrototypeSymbolHasInstance(Buffer, value);
}

export function defineHidden(obj, name, value) {
  ObjectDefineProperty(obj, name, {
    __proto__: null,
    value,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}
