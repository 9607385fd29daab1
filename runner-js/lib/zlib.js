// lib/zlib.js: the `zlib` builtin: deflate/inflate/gzip/gunzip/unzip/raw, brotli and zstd, sync
// and callback forms, over native zlib-rs, brotli and libzstd (engine/src/bridge/zlib/). As Node's binding,
// the native writes into output chunks allocated here, so every output byte is the guest's own
// memory (its ArrayBuffer budget) and `maxOutputLength` is enforced chunk by chunk: a small input
// that inflates without end stops with ERR_BUFFER_TOO_LARGE or an allocation RangeError
// (MEMORY_LIMIT), never by growing the host. The stream forms (`createGzip()`, `new zlib.Gzip()`)
// are in internal__zlib_stream.js over the same handles (see ZLIB.md).

import { bridge } from 'agentos:bridge';
import {
  ArrayBufferIsView,
  ArrayPrototypePush,
  bridgeMonotonic,
  bridgeUtf8Encode,
  ErrorCtor,
  NumberIsFinite,
  NumberIsNaN,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectKeys,
  RangeErrorCtor,
  StringPrototypeStartsWith,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeSubarray,
  Uint8ArrayCtor,
  Uint32ArrayCtor,
} from '../js/00_primordials.js';
import { isAnyArrayBuffer } from '../js/01_helpers.js';
import { makeInvalidArgType, makeNodeError, validateFunction } from '../js/06_errors.js';
import { setImmediate } from '../js/24_timers.js';
import { lazyBuiltinModule } from '../js/49_lazy.js';
import { bytesOf, outOfRange, validateNumber, validateUint32 } from './internal__crypto_util.js';
import { constants } from './internal__zlib_constants.js';
import { concatChunks, defineStreams } from './internal__zlib_stream.js';

const zlibNew = bridge.zlibNew;
const brotliNew = bridge.brotliNew;
const zstdNew = bridge.zstdNew;
const zlibWrite = bridge.zlibWrite;
const zlibClose = bridge.zlibClose;
const zlibCrc32 = bridge.zlibCrc32;

const C = constants;
/** `buffer.kMaxLength` when zlib loads (as Node reads it): the default `maxOutputLength`. */
const kMaxLength = lazyBuiltinModule('buffer').kMaxLength;
/** Work done per event-loop turn by the callback forms, ms. */
const ASYNC_SLICE_MS = 5;

function validateFiniteNumber(number, name) {
  if (number === undefined) return false;
  if (NumberIsFinite(number)) return true;
  if (NumberIsNaN(number)) return false;
  validateNumber(number, name);
  throw outOfRange(name, 'a finite number', number);
}

function checkRangesOrGetDefault(number, name, lower, upper, def) {
  if (!validateFiniteNumber(number, name)) return def;
  if (number < lower || number > upper) {
    throw outOfRange(name, `>= ${lower} and <= ${upper}`, number);
  }
  return number;
}

function isBrotli(mode) {
  return mode === C.BROTLI_DECODE || mode === C.BROTLI_ENCODE;
}

function isZstd(mode) {
  return mode === C.ZSTD_COMPRESS || mode === C.ZSTD_DECOMPRESS;
}

/** The flush values a codec takes: [lowest (no flush), highest, finish]. */
function flushRange(mode) {
  if (isBrotli(mode)) {
    return [
      C.BROTLI_OPERATION_PROCESS,
      C.BROTLI_OPERATION_EMIT_METADATA,
      C.BROTLI_OPERATION_FINISH,
    ];
  }
  if (isZstd(mode)) return [C.ZSTD_e_continue, C.ZSTD_e_end, C.ZSTD_e_end];
  return [C.Z_NO_FLUSH, C.Z_BLOCK, C.Z_FINISH];
}

/** Node's ZlibBase options: chunk size, flush flags, output bound. */
function baseOptions(opts, mode) {
  // Indexed, not destructured: a guest may have patched Array.prototype[Symbol.iterator].
  const range = flushRange(mode);
  const lo = range[0];
  const hi = range[1];
  const finish = range[2];
  const base = {
    __proto__: null,
    chunkSize: C.Z_DEFAULT_CHUNK,
    flush: lo,
    finishFlush: finish,
    maxOutputLength: kMaxLength,
    info: false,
  };
  if (opts) {
    const chunkSize = opts.chunkSize;
    if (validateFiniteNumber(chunkSize, 'options.chunkSize')) {
      if (chunkSize < C.Z_MIN_CHUNK) {
        throw outOfRange('options.chunkSize', `>= ${C.Z_MIN_CHUNK}`, chunkSize);
      }
      // Node allocates the chunk with Buffer.allocUnsafe, whose size check speaks here.
      if (chunkSize > kMaxLength) throw outOfRange('size', `>= 0 && <= ${kMaxLength}`, chunkSize);
      base.chunkSize = chunkSize;
    }
    base.flush = checkRangesOrGetDefault(opts.flush, 'options.flush', lo, hi, lo);
    base.finishFlush = checkRangesOrGetDefault(
      opts.finishFlush,
      'options.finishFlush',
      lo,
      hi,
      base.finishFlush,
    );
    base.maxOutputLength = checkRangesOrGetDefault(
      opts.maxOutputLength,
      'options.maxOutputLength',
      1,
      kMaxLength,
      kMaxLength,
    );
    base.info = !!opts.info;
  }
  return base;
}

function zlibHandle(opts, mode) {
  let windowBits = C.Z_DEFAULT_WINDOWBITS;
  let level = C.Z_DEFAULT_COMPRESSION;
  let dictionary;
  if (opts) {
    if (
      (opts.windowBits == null || opts.windowBits === 0) &&
      (mode === C.INFLATE || mode === C.GUNZIP || mode === C.UNZIP)
    ) {
      windowBits = 0;
    } else {
      const min = C.Z_MIN_WINDOWBITS + (mode === C.GZIP ? 1 : 0);
      windowBits = checkRangesOrGetDefault(
        opts.windowBits,
        'options.windowBits',
        min,
        C.Z_MAX_WINDOWBITS,
        C.Z_DEFAULT_WINDOWBITS,
      );
    }
    level = checkRangesOrGetDefault(
      opts.level,
      'options.level',
      C.Z_MIN_LEVEL,
      C.Z_MAX_LEVEL,
      C.Z_DEFAULT_COMPRESSION,
    );
    // memLevel and strategy are checked as Node does; the engine uses zlib's defaults for them.
    checkRangesOrGetDefault(
      opts.memLevel,
      'options.memLevel',
      C.Z_MIN_MEMLEVEL,
      C.Z_MAX_MEMLEVEL,
      8,
    );
    checkRangesOrGetDefault(opts.strategy, 'options.strategy', C.Z_DEFAULT_STRATEGY, C.Z_FIXED, 0);
    dictionary = opts.dictionary;
    if (dictionary !== undefined) {
      if (ArrayBufferIsView(dictionary) || isAnyArrayBuffer(dictionary)) {
        dictionary = bytesOf(dictionary);
      } else {
        throw makeInvalidArgType(
          'options.dictionary',
          'an instance of Buffer, TypedArray, DataView, or ArrayBuffer',
          dictionary,
        );
      }
    }
  } else if (mode === C.INFLATE || mode === C.GUNZIP || mode === C.UNZIP) {
    windowBits = 0;
  }
  const handle = zlibNew(mode, level, windowBits, dictionary);
  if (handle === undefined) throw initializationFailed();
  return handle;
}

function initializationFailed() {
  return makeNodeError(ErrorCtor, 'ERR_ZLIB_INITIALIZATION_FAILED', 'Initialization failed');
}

const kMaxBrotliParam = 8;

/**
 * The codec parameters `opts.params` as Node checks them: a `Uint32Array` indexed by key up to
 * `maxParam`, 0xFFFFFFFF where unset; a bad or repeated key is a RangeError with `code`.
 */
function paramsArray(opts, maxParam, code, codec) {
  const params = new Uint32ArrayCtor(maxParam + 1);
  for (let i = 0; i <= maxParam; i++) params[i] = 0xffffffff;
  if (opts?.params) {
    const keys = ObjectKeys(opts.params);
    for (let i = 0; i < keys.length; i++) {
      const origKey = keys[i];
      const key = +origKey;
      if (NumberIsNaN(key) || key < 0 || key > maxParam || params[key] !== 0xffffffff) {
        throw makeNodeError(RangeErrorCtor, code, `${origKey} is not a valid ${codec} parameter`);
      }
      const value = opts.params[origKey];
      if (typeof value !== 'number' && typeof value !== 'boolean') {
        throw makeInvalidArgType('options.params[key]', 'number', value);
      }
      params[key] = value;
    }
  }
  return params;
}

function brotliHandle(opts, mode) {
  const params = paramsArray(opts, kMaxBrotliParam, 'ERR_BROTLI_INVALID_PARAM', 'Brotli');
  const handle = brotliNew(mode, params);
  if (handle === undefined) throw initializationFailed();
  return handle;
}

/** Node 22's largest `ZSTD_c_*` and `ZSTD_d_*` parameter keys. */
const kMaxZstdCParam = C.ZSTD_c_overlapLog;
const kMaxZstdDParam = C.ZSTD_d_windowLogMax;

function zstdHandle(opts, mode) {
  const maxParam = mode === C.ZSTD_COMPRESS ? kMaxZstdCParam : kMaxZstdDParam;
  const params = paramsArray(opts, maxParam, 'ERR_ZSTD_INVALID_PARAM', 'zstd');
  const pledged = opts?.pledgedSrcSize;
  const dictionary = opts?.dictionary;
  const handle = zstdNew(
    mode,
    params,
    typeof pledged === 'number' ? pledged : undefined,
    dictionary && ArrayBufferIsView(dictionary) ? bytesOf(dictionary) : undefined,
  );
  if (typeof handle === 'string') {
    throw makeNodeError(ErrorCtor, 'ERR_ZLIB_INITIALIZATION_FAILED', handle);
  }
  return handle;
}

/** A native handle for `mode` with the codec's own options checked, as Node's constructors. */
function newHandle(mode, opts) {
  if (isBrotli(mode)) return brotliHandle(opts, mode);
  if (isZstd(mode)) return zstdHandle(opts, mode);
  return zlibHandle(opts, mode);
}

function newEngine(mode, opts) {
  // Node validates the base options after the codec's (level before chunkSize).
  const handle = newHandle(mode, opts);
  let base;
  try {
    base = baseOptions(opts, mode);
  } catch (err) {
    zlibClose(handle);
    throw err;
  }
  return {
    __proto__: null,
    handle,
    mode,
    base,
    state: new Uint32ArrayCtor(2),
    closed: false,
  };
}

function close(engine) {
  if (!engine.closed) {
    engine.closed = true;
    zlibClose(engine.handle);
  }
}

function zlibError(err) {
  const error = new ErrorCtor(err[0]);
  error.errno = err[1];
  error.code = err[2];
  return error;
}

function tooLarge(max) {
  return makeNodeError(
    RangeErrorCtor,
    'ERR_BUFFER_TOO_LARGE',
    `Cannot create a Buffer larger than ${max} bytes`,
  );
}

/**
 * Runs `input` through the engine with its finish flag: Node's processChunkSync. Returns the
 * output Buffer, or (with `deadline`) undefined when the time slice ran out first; the progress is
 * kept in `job` so the next call continues.
 */
function run(engine, job, deadline) {
  const { handle, state, base } = engine;
  const chunkSize = base.chunkSize;
  while (true) {
    const err = zlibWrite(
      handle,
      base.finishFlush,
      job.input,
      job.inOff,
      job.availIn,
      job.buffer,
      job.offset,
      job.availOut,
      state,
    );
    if (err !== undefined) throw zlibError(err);
    const availOutAfter = state[0];
    const availInAfter = state[1];
    const have = job.availOut - availOutAfter;
    if (have > 0) {
      ArrayPrototypePush(
        job.chunks,
        TypedArrayPrototypeSubarray(job.buffer, job.offset, job.offset + have),
      );
      job.offset += have;
      job.nread += have;
      if (job.nread > base.maxOutputLength) throw tooLarge(base.maxOutputLength);
    }
    if (availOutAfter === 0 || job.offset >= chunkSize) {
      job.availOut = chunkSize;
      job.offset = 0;
      job.buffer = new Uint8ArrayCtor(chunkSize);
    }
    if (availOutAfter !== 0) return concatChunks(job.chunks, job.nread);
    job.inOff += job.availIn - availInAfter;
    job.availIn = availInAfter;
    if (deadline !== undefined && bridgeMonotonic() >= deadline) return undefined;
  }
}

function newJob(engine, input) {
  const chunkSize = engine.base.chunkSize;
  return {
    __proto__: null,
    input,
    inOff: 0,
    availIn: TypedArrayPrototypeGetByteLength(input),
    buffer: new Uint8ArrayCtor(chunkSize),
    offset: 0,
    availOut: chunkSize,
    chunks: [],
    nread: 0,
  };
}

function syncInput(buffer) {
  if (typeof buffer === 'string') return bridgeUtf8Encode(buffer);
  if (ArrayBufferIsView(buffer)) return bytesOf(buffer);
  if (isAnyArrayBuffer(buffer)) return new Uint8ArrayCtor(buffer);
  throw makeInvalidArgType(
    'buffer',
    'string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer',
    buffer,
  );
}

function asyncInput(buffer) {
  if (isAnyArrayBuffer(buffer)) return new Uint8ArrayCtor(buffer);
  if (typeof buffer === 'string') return bridgeUtf8Encode(buffer);
  if (ArrayBufferIsView(buffer)) return bytesOf(buffer);
  throw makeInvalidArgType(
    'chunk',
    'string or an instance of Buffer, TypedArray, or DataView',
    buffer,
  );
}

function result(engine, buffer, opts) {
  if (!engine.base.info) return buffer;
  // Node returns the stream that did the work (closed by then).
  const instance = new streams[CLASS_OF_MODE[engine.mode]](opts);
  instance._handle.close();
  instance._handle = null;
  return { buffer, engine: instance };
}

function syncMethod(mode) {
  return function syncBufferWrapper(buffer, opts) {
    const engine = newEngine(mode, opts);
    try {
      return result(engine, run(engine, newJob(engine, syncInput(buffer))), opts);
    } finally {
      close(engine);
    }
  };
}

function asyncMethod(mode) {
  return function asyncBufferWrapper(buffer, opts, callback) {
    if (typeof opts === 'function') {
      callback = opts;
      opts = {};
    }
    const engine = newEngine(mode, opts);
    try {
      validateFunction(callback, 'callback');
      const job = newJob(engine, asyncInput(buffer));
      const step = () => {
        let out;
        try {
          out = run(engine, job, bridgeMonotonic() + ASYNC_SLICE_MS);
        } catch (err) {
          close(engine);
          callback(err);
          return;
        }
        if (out === undefined) {
          setImmediate(step);
          return;
        }
        close(engine);
        callback(null, result(engine, out, opts));
      };
      setImmediate(step);
    } catch (err) {
      close(engine);
      throw err;
    }
  };
}

/** `zlib.crc32(data[, value])`. */
export function crc32(data, value = 0) {
  if (typeof data !== 'string' && !ArrayBufferIsView(data)) {
    throw makeInvalidArgType(
      'data',
      'string or an instance of Buffer, TypedArray, or DataView',
      data,
    );
  }
  validateUint32(value, 'value');
  return zlibCrc32(data, value);
}

const CLASSES = [
  ['Deflate', C.DEFLATE],
  ['Inflate', C.INFLATE],
  ['Gzip', C.GZIP],
  ['Gunzip', C.GUNZIP],
  ['DeflateRaw', C.DEFLATERAW],
  ['InflateRaw', C.INFLATERAW],
  ['Unzip', C.UNZIP],
  ['BrotliCompress', C.BROTLI_ENCODE],
  ['BrotliDecompress', C.BROTLI_DECODE],
  ['ZstdCompress', C.ZSTD_COMPRESS],
  ['ZstdDecompress', C.ZSTD_DECOMPRESS],
];

function checkLevelStrategy(level, strategy) {
  checkRangesOrGetDefault(level, 'level', C.Z_MIN_LEVEL, C.Z_MAX_LEVEL);
  checkRangesOrGetDefault(strategy, 'strategy', C.Z_DEFAULT_STRATEGY, C.Z_FIXED);
}

const streams = defineStreams({
  constants,
  write: zlibWrite,
  close: zlibClose,
  reset: bridge.zlibReset,
  params: bridge.zlibParams,
  newHandle,
  baseOptions,
  checkLevelStrategy,
});

const CLASS_OF_MODE = [];
for (let i = 0; i < CLASSES.length; i++) CLASS_OF_MODE[CLASSES[i][1]] = CLASSES[i][0];

// Node's order of the convenience methods (Object.keys(zlib) shows it).
const METHODS = [
  ['deflate', C.DEFLATE],
  ['gzip', C.GZIP],
  ['deflateRaw', C.DEFLATERAW],
  ['unzip', C.UNZIP],
  ['inflate', C.INFLATE],
  ['gunzip', C.GUNZIP],
  ['inflateRaw', C.INFLATERAW],
  ['brotliCompress', C.BROTLI_ENCODE],
  ['brotliDecompress', C.BROTLI_DECODE],
  ['zstdCompress', C.ZSTD_COMPRESS],
  ['zstdDecompress', C.ZSTD_DECOMPRESS],
];

const CODE_NAMES = [
  'Z_OK',
  'Z_STREAM_END',
  'Z_NEED_DICT',
  'Z_ERRNO',
  'Z_STREAM_ERROR',
  'Z_DATA_ERROR',
  'Z_MEM_ERROR',
  'Z_BUF_ERROR',
  'Z_VERSION_ERROR',
];

function buildModule() {
  const mod = { crc32 };
  for (let i = 0; i < CLASSES.length; i++) mod[CLASSES[i][0]] = streams[CLASSES[i][0]];
  for (let i = 0; i < METHODS.length; i++) {
    const name = METHODS[i][0];
    const mode = METHODS[i][1];
    mod[name] = asyncMethod(mode);
    mod[`${name}Sync`] = syncMethod(mode);
  }
  for (let i = 0; i < CLASSES.length; i++) {
    const Ctor = streams[CLASSES[i][0]];
    ObjectDefineProperty(mod, `create${CLASSES[i][0]}`, {
      __proto__: null,
      configurable: true,
      enumerable: true,
      value: function create(opts) {
        return new Ctor(opts);
      },
    });
  }
  ObjectDefineProperty(mod, 'constants', {
    __proto__: null,
    configurable: false,
    enumerable: true,
    value: constants,
  });
  const codes = {};
  for (let i = 0; i < CODE_NAMES.length; i++) codes[CODE_NAMES[i]] = constants[CODE_NAMES[i]];
  for (let i = 0; i < CODE_NAMES.length; i++) codes[constants[CODE_NAMES[i]]] = CODE_NAMES[i];
  ObjectDefineProperty(mod, 'codes', {
    __proto__: null,
    enumerable: true,
    writable: false,
    value: ObjectFreeze(codes),
  });
  // Deprecated, but still there: every non-brotli constant on the module itself.
  const names = ObjectKeys(constants);
  for (let i = 0; i < names.length; i++) {
    if (StringPrototypeStartsWith(names[i], 'BROTLI')) continue;
    ObjectDefineProperty(mod, names[i], {
      __proto__: null,
      enumerable: false,
      value: constants[names[i]],
      writable: false,
    });
  }
  return mod;
}

/** What `require('zlib')` returns. */
export const moduleExports = buildModule();
