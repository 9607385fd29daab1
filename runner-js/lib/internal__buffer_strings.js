// lib/internal__buffer_strings.js: Buffer's string methods by encoding (`utf8Slice`,
// `latin1Write`, ... as Node 20's binding has them) and `buf.write(string, offset, length,
// encoding)` (defined by buffer.js in Node's order of the prototype), over the native encoders of internal__buffer.js.

import {
  ArrayBufferIsView,
  MathTrunc,
  NumberIsNaN,
  ObjectDefineProperty,
  RangeErrorCtor,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetLength,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import {
  ASCII,
  BASE64,
  BASE64URL,
  encodingOpsId,
  HEX,
  LATIN1,
  sliceString,
  UTF8,
  UTF16LE,
  validateOffset,
  writeString,
} from './internal__buffer.js';
import { bufferOutOfBounds } from './internal__web_errors.js';

function assertBuffer(buf) {
  if (!ArrayBufferIsView(buf)) {
    throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_TYPE', 'argument must be a buffer');
  }
}

function sliceIndex(value, fallback) {
  if (value === undefined) return fallback;
  const n = MathTrunc(+value);
  if (n < 0) throw makeNodeError(RangeErrorCtor, 'ERR_OUT_OF_RANGE', 'Index out of range');
  return NumberIsNaN(n) ? 0 : n;
}

function makeSlice(id) {
  return function (start, end) {
    assertBuffer(this);
    const length = TypedArrayPrototypeGetByteLength(this);
    start = sliceIndex(start, 0);
    end = sliceIndex(end, length);
    if (end < start) end = start;
    if (end > length) throw makeNodeError(RangeErrorCtor, 'ERR_OUT_OF_RANGE', 'Index out of range');
    return sliceString(this, start, end, id);
  };
}

function makeWrite(id, checked) {
  return function (string, offset = 0, length = undefined) {
    assertBuffer(this);
    const total = TypedArrayPrototypeGetByteLength(this);
    if (checked) {
      if (length === undefined) length = total - offset;
      if (offset < 0 || offset > total) throw bufferOutOfBounds('offset');
      if (length < 0 || length > total - offset) throw bufferOutOfBounds('length');
    }
    if (typeof string !== 'string') {
      throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_TYPE', 'argument must be a string');
    }
    offset = sliceIndex(offset, 0);
    if (offset > total) throw bufferOutOfBounds('offset');
    length = length === undefined ? total - offset : sliceIndex(length, total - offset);
    if (length > total - offset) length = total - offset;
    if (length === 0) return 0;
    return writeString(this, string, offset, length, id);
  };
}

const sliceNames = ['ascii', 'base64', 'base64url', 'latin1', 'hex', 'ucs2', 'utf8'];
const sliceIds = [ASCII, BASE64, BASE64URL, LATIN1, HEX, UTF16LE, UTF8];

function writeChecked(buf, string, offset, length, id) {
  if (typeof string !== 'string') {
    throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_TYPE', 'argument must be a string');
  }
  if (length <= 0) return 0;
  return writeString(buf, string, offset, length, id);
}

/** Defines the string methods on `proto` (Buffer.prototype) with `define`. */
export function addEncodingMethods(proto, define) {
  for (let i = 0; i < sliceNames.length; i++) {
    const fn = makeSlice(sliceIds[i]);
    ObjectDefineProperty(fn, 'name', { __proto__: null, value: `${sliceNames[i]}Slice` });
    define(proto, `${sliceNames[i]}Slice`, fn);
  }
  for (let i = 0; i < sliceNames.length; i++) {
    const id = sliceIds[i];
    const fn = makeWrite(id, id === ASCII || id === LATIN1 || id === UTF8);
    ObjectDefineProperty(fn, 'name', { __proto__: null, value: `${sliceNames[i]}Write` });
    define(proto, `${sliceNames[i]}Write`, fn);
  }
}

/** `buf.write(string[, offset[, length]][, encoding])`. */
export function write(string, offset, length, encoding) {
  const total = TypedArrayPrototypeGetLength(this);
  if (offset === undefined) return writeChecked(this, string, 0, total, UTF8);
  if (length === undefined && typeof offset === 'string') {
    encoding = offset;
    length = total;
    offset = 0;
  } else {
    validateOffset(offset, 'offset', 0, total);
    const remaining = total - offset;
    if (length === undefined) {
      length = remaining;
    } else if (typeof length === 'string') {
      encoding = length;
      length = remaining;
    } else {
      validateOffset(length, 'length', 0, total);
      if (length > remaining) length = remaining;
    }
  }
  if (!encoding || encoding === 'utf8') return writeChecked(this, string, offset, length, UTF8);
  const id = encodingOpsId(encoding);
  if (id === -1)
    throw makeNodeError(TypeErrorCtor, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
  return writeChecked(this, string, offset, length, id);
}
