// lib/buffer.js: the `buffer` builtin and the `Buffer` global, as Node 20 has them (behaviour of
// its lib/buffer.js; the encodings run in engine/src/bridge/buffer.rs).

import {
  ArrayBufferIsView,
  ArrayIsArray,
  MathMin,
  NumberIsNaN,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  RangeErrorCtor,
  StringPrototypeIncludes,
  StringPrototypeSlice,
  SymbolFor,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypeErrorCtor,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { getStack, isAnyArrayBuffer, isTypedArray } from '../js/01_helpers.js';
import { inspect } from '../js/04_inspect.js';
import { makeNodeError } from '../js/06_errors.js';
import { webPrimordials } from '../js/09_web_primordials.js';
import { emitWarning } from '../js/23_warnings.js';
import { StdinChunk } from '../js/25_stdin.js';
import { Blob, File, resolveObjectURL } from './internal__blob.js';
import {
  adjustOffset,
  allocate,
  assertSize,
  bufferFrom,
  byteLengthOf,
  copyActual,
  encodingOpsId,
  FastBuffer,
  fillBuffer,
  fromArrayLike,
  fromStringId,
  HEX,
  indexOfBytes,
  indexOfNumber,
  isUint8Array,
  kMaxLength,
  kStringMaxLength,
  nativeCompare,
  nativeValidate,
  normalizeEncoding,
  setPoolSizeSource,
  sliceString,
  subBuffer,
  toInteger,
  UTF8,
  UTF16LE,
  utf8Length,
  validateInteger,
  validateOffset,
} from './internal__buffer.js';
import { addNumberMethods } from './internal__buffer_numbers.js';
import { addEncodingMethods, write } from './internal__buffer_strings.js';
import { atob, btoa, transcode } from './internal__buffer_text.js';
import {
  invalidArgType,
  invalidState,
  outOfRange,
  validateNumber,
} from './internal__web_errors.js';

const { anyArrayBufferByteLength, ArrayCtor, isArrayBufferDetached, MathTrunc, SymbolSpecies } =
  webPrimordials;

const customInspectSymbol = SymbolFor('nodejs.util.inspect.custom');

function define(obj, name, value, enumerable = true) {
  ObjectDefineProperty(obj, name, {
    __proto__: null,
    value,
    writable: true,
    enumerable,
    configurable: true,
  });
}

// ---- DEP0005 ----

let bufferWarningEmitted = false;
function showFlaggedDeprecation() {
  if (bufferWarningEmitted) return;
  // Node warns for code outside node_modules only.
  const stack = getStack(new TypeErrorCtor());
  if (stack !== undefined && StringPrototypeIncludes(stack, '/node_modules/')) return;
  bufferWarningEmitted = true;
  emitWarning(
    'Buffer() is deprecated due to security and usability issues. Please use the ' +
      'Buffer.alloc(), Buffer.allocUnsafe(), or Buffer.from() methods instead.',
    'DeprecationWarning',
    'DEP0005',
  );
}

// ---- Buffer ----

export function Buffer(arg, encodingOrOffset, length) {
  showFlaggedDeprecation();
  if (typeof arg === 'number') {
    if (typeof encodingOrOffset === 'string') throw invalidArgType('string', 'string', arg);
    return Buffer.alloc(arg);
  }
  return Buffer.from(arg, encodingOrOffset, length);
}

ObjectDefineProperty(Buffer, SymbolSpecies, {
  __proto__: null,
  enumerable: false,
  configurable: true,
  get() {
    return FastBuffer;
  },
});

FastBuffer.prototype.constructor = Buffer;
Buffer.prototype = FastBuffer.prototype;
ObjectSetPrototypeOf(Buffer, Uint8ArrayCtor);

// Bytes the runtime hands out before this module loads (fs reads, stdin chunks) are
// StdinChunks, which stand in for Buffers without loading this module. From now on they are
// Buffers (`instanceof Buffer`, `Buffer.isBuffer`, every method), as Node's always are.
ObjectSetPrototypeOf(StdinChunk.prototype, Buffer.prototype);
delete StdinChunk.prototype.toString;
delete StdinChunk.prototype.toJSON;
ObjectDefineProperty(StdinChunk.prototype, 'constructor', {
  __proto__: null,
  value: Buffer,
  writable: true,
  configurable: true,
});

define(Buffer, 'poolSize', 8 * 1024);
setPoolSizeSource(() => Buffer.poolSize);

define(Buffer, 'from', function from(value, encodingOrOffset, length) {
  return bufferFrom(value, encodingOrOffset, length);
});

define(Buffer, 'copyBytesFrom', function copyBytesFrom(view, offset, length) {
  if (!isTypedArray(view)) throw invalidArgType('view', ['TypedArray'], view);
  const viewLength = TypedArrayPrototypeGetLength(view);
  if (viewLength === 0) return new FastBuffer();
  const size = TypedArrayPrototypeGetByteLength(view) / viewLength;
  let start = 0;
  let end = viewLength;
  if (offset !== undefined || length !== undefined) {
    if (offset !== undefined) {
      validateInteger(offset, 'offset', 0);
      if (offset >= viewLength) return new FastBuffer();
      start = offset;
    }
    if (length !== undefined) {
      validateInteger(length, 'length', 0);
      end = MathMin(start + length, viewLength);
    }
  }
  return fromArrayLike(
    new Uint8ArrayCtor(
      TypedArrayPrototypeGetBuffer(view),
      TypedArrayPrototypeGetByteOffset(view) + start * size,
      (end - start) * size,
    ),
  );
});

define(Buffer, 'of', function of(...items) {
  const b = new FastBuffer(items.length);
  for (let k = 0; k < items.length; k++) b[k] = items[k];
  return b;
});

define(Buffer, 'alloc', function alloc(size, fill, encoding) {
  assertSize(size);
  if (fill !== undefined && fill !== 0 && size > 0) {
    const buf = new FastBuffer(size);
    return fillBuffer(buf, fill, 0, TypedArrayPrototypeGetLength(buf), encoding);
  }
  return new FastBuffer(size);
});

define(Buffer, 'allocUnsafe', function allocUnsafe(size) {
  assertSize(size);
  return allocate(size);
});

define(Buffer, 'allocUnsafeSlow', function allocUnsafeSlow(size) {
  assertSize(size);
  return new FastBuffer(size);
});

export function SlowBuffer(size) {
  assertSize(size);
  return new FastBuffer(size);
}
ObjectSetPrototypeOf(SlowBuffer.prototype, Uint8ArrayCtor.prototype);
ObjectSetPrototypeOf(SlowBuffer, Uint8ArrayCtor);

define(Buffer, 'isBuffer', function isBuffer(b) {
  return b instanceof Buffer;
});

define(Buffer, 'compare', function compare(buf1, buf2) {
  if (!isUint8Array(buf1)) throw invalidArgType('buf1', ['Buffer', 'Uint8Array'], buf1);
  if (!isUint8Array(buf2)) throw invalidArgType('buf2', ['Buffer', 'Uint8Array'], buf2);
  if (buf1 === buf2) return 0;
  return nativeCompare(buf1, buf2);
});

define(Buffer, 'isEncoding', function isEncoding(encoding) {
  return (
    typeof encoding === 'string' &&
    encoding.length !== 0 &&
    normalizeEncoding(encoding) !== undefined
  );
});

define(Buffer, 'concat', function concat(list, length) {
  if (!ArrayIsArray(list)) throw invalidArgType('list', 'Array', list);
  if (list.length === 0) return new FastBuffer();
  if (length === undefined) {
    length = 0;
    for (let i = 0; i < list.length; i++) {
      if (list[i].length) length += list[i].length;
    }
  } else {
    validateOffset(length, 'length');
  }
  const buffer = allocate(length);
  let pos = 0;
  for (let i = 0; i < list.length; i++) {
    const buf = list[i];
    if (!isUint8Array(buf)) throw invalidArgType(`list[${i}]`, ['Buffer', 'Uint8Array'], buf);
    pos += copyActual(buf, buffer, pos, 0, TypedArrayPrototypeGetLength(buf));
  }
  if (pos < length) webPrimordials.TypedArrayPrototypeFill(buffer, 0, pos, length);
  return buffer;
});

function byteLength(string, encoding) {
  if (typeof string !== 'string') {
    if (ArrayBufferIsView(string)) return webPrimordials.viewByteLength(string);
    if (isAnyArrayBuffer(string)) return anyArrayBufferByteLength(string);
    throw invalidArgType('string', ['string', 'Buffer', 'ArrayBuffer'], string);
  }
  const len = string.length;
  const mustMatch = arguments.length > 2 && arguments[2] === true;
  if (!mustMatch && len === 0) return 0;
  if (!encoding) return mustMatch ? -1 : utf8Length(string);
  const id = encodingOpsId(encoding);
  if (id === -1) return mustMatch ? -1 : utf8Length(string);
  return byteLengthOf(string, id);
}
define(Buffer, 'byteLength', byteLength);

// ---- prototype ----

const proto = Buffer.prototype;
addNumberMethods(proto, define);

addEncodingMethods(proto, define);

ObjectDefineProperty(proto, 'parent', {
  __proto__: null,
  enumerable: true,
  configurable: true,
  get() {
    if (!(this instanceof Buffer)) return undefined;
    return TypedArrayPrototypeGetBuffer(this);
  },
});
ObjectDefineProperty(proto, 'offset', {
  __proto__: null,
  enumerable: true,
  configurable: true,
  get() {
    if (!(this instanceof Buffer)) return undefined;
    return TypedArrayPrototypeGetByteOffset(this);
  },
});

define(proto, 'copy', function copy(target, targetStart, sourceStart, sourceEnd) {
  if (!isUint8Array(this)) throw invalidArgType('source', ['Buffer', 'Uint8Array'], this);
  if (!isUint8Array(target)) throw invalidArgType('target', ['Buffer', 'Uint8Array'], target);
  const sourceLength = TypedArrayPrototypeGetLength(this);
  if (targetStart === undefined) {
    targetStart = 0;
  } else {
    targetStart = toInteger(targetStart, 0);
    if (targetStart < 0) throw outOfRange('targetStart', '>= 0', targetStart);
  }
  if (sourceStart === undefined) {
    sourceStart = 0;
  } else {
    sourceStart = toInteger(sourceStart, 0);
    if (sourceStart < 0 || sourceStart > sourceLength) {
      throw outOfRange('sourceStart', `>= 0 && <= ${sourceLength}`, sourceStart);
    }
  }
  if (sourceEnd === undefined) {
    sourceEnd = sourceLength;
  } else {
    sourceEnd = toInteger(sourceEnd, 0);
    if (sourceEnd < 0) throw outOfRange('sourceEnd', '>= 0', sourceEnd);
  }
  if (targetStart >= TypedArrayPrototypeGetLength(target) || sourceStart >= sourceEnd) return 0;
  return copyActual(this, target, targetStart, sourceStart, sourceEnd);
});

define(proto, 'toString', function toString(encoding, start, end) {
  if (arguments.length === 0) return sliceString(this, 0, TypedArrayPrototypeGetLength(this), UTF8);
  const len = TypedArrayPrototypeGetLength(this);
  if (start <= 0) start = 0;
  else if (start >= len) return '';
  else start = MathTrunc(start) || 0;
  if (end === undefined || end > len) end = len;
  else end = MathTrunc(end) || 0;
  if (end <= start) return '';
  if (encoding === undefined) return sliceString(this, start, end, UTF8);
  const id = encodingOpsId(encoding);
  if (id === -1)
    throw makeNodeError(TypeErrorCtor, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
  return sliceString(this, start, end, id);
});

define(proto, 'equals', function equals(otherBuffer) {
  if (!isUint8Array(otherBuffer)) {
    throw invalidArgType('otherBuffer', ['Buffer', 'Uint8Array'], otherBuffer);
  }
  if (this === otherBuffer) return true;
  const len = TypedArrayPrototypeGetLength(this);
  if (len !== TypedArrayPrototypeGetLength(otherBuffer)) return false;
  return len === 0 || nativeCompare(this, otherBuffer) === 0;
});

let INSPECT_MAX_BYTES = 50;

define(proto, 'inspect', function inspect_(recurseTimes, ctx) {
  const length = TypedArrayPrototypeGetLength(this);
  const max = INSPECT_MAX_BYTES;
  const actualMax = MathMin(max, length);
  const remaining = length - max;
  const hex = sliceString(this, 0, actualMax, HEX);
  let str = '';
  for (let i = 0; i < hex.length; i += 2) {
    if (i !== 0) str += ' ';
    str += StringPrototypeSlice(hex, i, i + 2);
  }
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  if (ctx) {
    let extras = false;
    const obj = { __proto__: null };
    const keys = webPrimordials.ownNonIndexKeys(this, ctx.showHidden);
    for (let i = 0; i < keys.length; i++) {
      extras = true;
      obj[keys[i]] = this[keys[i]];
    }
    if (extras) {
      if (length !== 0) str += ', ';
      const text = inspect(obj, {
        __proto__: null,
        ...ctx,
        breakLength: Infinity,
        compact: true,
      });
      str += StringPrototypeSlice(text, 27, -2);
    }
  }
  let name = 'Buffer';
  try {
    name = this.constructor.name;
  } catch {}
  return `<${name} ${str}>`;
});
ObjectDefineProperty(proto.inspect, 'name', { __proto__: null, value: 'inspect' });
define(proto, customInspectSymbol, proto.inspect);

define(proto, 'compare', function compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
  if (!isUint8Array(target)) throw invalidArgType('target', ['Buffer', 'Uint8Array'], target);
  if (arguments.length === 1) return this === target ? 0 : nativeCompare(this, target);
  if (targetStart === undefined) targetStart = 0;
  else validateOffset(targetStart, 'targetStart');
  const targetLength = TypedArrayPrototypeGetLength(target);
  if (targetEnd === undefined) targetEnd = targetLength;
  else validateOffset(targetEnd, 'targetEnd', 0, targetLength);
  if (sourceStart === undefined) sourceStart = 0;
  else validateOffset(sourceStart, 'sourceStart');
  const sourceLength = TypedArrayPrototypeGetLength(this);
  if (sourceEnd === undefined) sourceEnd = sourceLength;
  else validateOffset(sourceEnd, 'sourceEnd', 0, sourceLength);
  if (sourceStart >= sourceEnd) return targetStart >= targetEnd ? 0 : -1;
  if (targetStart >= targetEnd) return 1;
  if (sourceStart > sourceLength) {
    throw makeNodeError(
      RangeErrorCtor,
      'ERR_OUT_OF_RANGE',
      'The value of "sourceStart" is out of range.',
    );
  }
  if (targetStart > targetLength) {
    throw makeNodeError(
      RangeErrorCtor,
      'ERR_OUT_OF_RANGE',
      'The value of "targetStart" is out of range.',
    );
  }
  return nativeCompare(
    subBuffer(this, sourceStart, sourceEnd),
    subBuffer(target, targetStart, targetEnd),
  );
});

function bidirectionalIndexOf(buffer, val, byteOffset, encoding, dir) {
  if (!ArrayBufferIsView(buffer)) throw invalidArgType('buffer', 'ArrayBufferView', buffer);
  if (typeof byteOffset === 'string') {
    encoding = byteOffset;
    byteOffset = undefined;
  } else if (byteOffset > 0x7fffffff) {
    byteOffset = 0x7fffffff;
  } else if (byteOffset < -0x80000000) {
    byteOffset = -0x80000000;
  }
  byteOffset = +byteOffset;
  if (NumberIsNaN(byteOffset)) byteOffset = dir ? 0 : TypedArrayPrototypeGetLength(buffer);
  dir = !!dir;
  if (typeof val === 'number') return indexOfNumber(buffer, val >>> 0, byteOffset, dir);
  const id = encoding === undefined ? UTF8 : encodingOpsId(encoding);
  if (typeof val === 'string') {
    if (id === -1)
      throw makeNodeError(TypeErrorCtor, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
    const needle = fromStringId(val, id);
    return indexOfBytes(buffer, needle, byteOffset, id === UTF16LE, dir);
  }
  if (isUint8Array(val)) return indexOfBytes(buffer, val, byteOffset, id === UTF16LE, dir);
  throw invalidArgType('value', ['number', 'string', 'Buffer', 'Uint8Array'], val);
}

define(proto, 'indexOf', function indexOf(val, byteOffset, encoding) {
  return bidirectionalIndexOf(this, val, byteOffset, encoding, true);
});
define(proto, 'lastIndexOf', function lastIndexOf(val, byteOffset, encoding) {
  return bidirectionalIndexOf(this, val, byteOffset, encoding, false);
});
define(proto, 'includes', function includes(val, byteOffset, encoding) {
  return this.indexOf(val, byteOffset, encoding) !== -1;
});

define(proto, 'fill', function fill(value, offset, end, encoding) {
  return fillBuffer(this, value, offset, end, encoding);
});

define(proto, 'write', write);

define(proto, 'toJSON', function toJSON() {
  const length = TypedArrayPrototypeGetLength(this);
  const data = new ArrayCtor(length);
  for (let i = 0; i < length; ++i) data[i] = this[i];
  return { type: 'Buffer', data };
});

define(proto, 'subarray', webPrimordials.TypedArrayPrototype.subarray);

define(proto, 'slice', function slice(start, end) {
  const srcLength = TypedArrayPrototypeGetLength(this);
  start = adjustOffset(start, srcLength);
  end = end !== undefined ? adjustOffset(end, srcLength) : srcLength;
  const newLength = end > start ? end - start : 0;
  return new FastBuffer(
    TypedArrayPrototypeGetBuffer(this),
    TypedArrayPrototypeGetByteOffset(this) + start,
    newLength,
  );
});

function invalidBufferSize(bits) {
  return makeNodeError(
    RangeErrorCtor,
    'ERR_INVALID_BUFFER_SIZE',
    `Buffer size must be a multiple of ${bits}`,
  );
}

function swapBytes(buf, width) {
  const len = TypedArrayPrototypeGetLength(buf);
  if (len % width !== 0) throw invalidBufferSize(`${width * 8}-bits`);
  for (let i = 0; i < len; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = buf[a];
      buf[a] = buf[b];
      buf[b] = t;
    }
  }
  return buf;
}

define(proto, 'swap16', function swap16() {
  return swapBytes(this, 2);
});
define(proto, 'swap32', function swap32() {
  return swapBytes(this, 4);
});
define(proto, 'swap64', function swap64() {
  return swapBytes(this, 8);
});
define(proto, 'toLocaleString', proto.toString);

// ---- module ----

function isUtf8(input) {
  if (isTypedArray(input) || isAnyArrayBuffer(input)) return validateBytes(input, 0);
  throw invalidArgType('input', ['ArrayBuffer', 'Buffer', 'TypedArray'], input);
}

function isAscii(input) {
  if (isTypedArray(input) || isAnyArrayBuffer(input)) return validateBytes(input, 1);
  throw invalidArgType('input', ['ArrayBuffer', 'Buffer', 'TypedArray'], input);
}

function validateBytes(input, kind) {
  if (isArrayBufferDetached(isTypedArray(input) ? TypedArrayPrototypeGetBuffer(input) : input)) {
    throw invalidState('Cannot validate on a detached buffer');
  }
  const view = isTypedArray(input) ? input : new Uint8ArrayCtor(input);
  return nativeValidate(view, kind);
}

const constants = {
  MAX_LENGTH: kMaxLength,
  MAX_STRING_LENGTH: kStringMaxLength,
};
webPrimordials.ObjectFreeze(constants);

export const moduleExports = {
  Buffer,
  SlowBuffer,
  transcode,
  isUtf8,
  isAscii,
  kMaxLength,
  kStringMaxLength,
  btoa,
  atob,
  constants,
  INSPECT_MAX_BYTES: undefined,
  Blob,
  resolveObjectURL,
  File,
};
ObjectDefineProperty(moduleExports, 'INSPECT_MAX_BYTES', {
  __proto__: null,
  configurable: true,
  enumerable: true,
  get() {
    return INSPECT_MAX_BYTES;
  },
  set(val) {
    validateNumber(val, 'INSPECT_MAX_BYTES', 0);
    INSPECT_MAX_BYTES = val;
  },
});
