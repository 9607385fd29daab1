// lib/zlib.js: the `zlib` builtin: deflate/inflate/gzip/gunzip/unzip/raw and brotli, sync and
// callback forms, over native zlib-rs and brotli (engine/src/bridge/zlib/). As Node's binding,
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
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray,
  Uint8ArrayCtor,
  Uint32ArrayCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError, validateFunction } from '../js/06_errors.js';
import { setImmediate } from '../js/24_timers.js';
import {
  allocBuffer,
  bytesOf,
  isAnyArrayBuffer,
  outOfRange,
  toBuffer,
  validateNumber,
  validateUint32,
} from './internal__crypto_util.js';
import { defineStreams } from './internal__zlib_stream.js';

const zlibNew = bridge.zlibNew;
const brotliNew = bridge.brotliNew;
const zlibWrite = bridge.zlibWrite;
const zlibClose = bridge.zlibClose;
const zlibCrc32 = bridge.zlibCrc32;

/** `zlib.constants`, as Node 20's. */
export const constants = ObjectFreeze({
  __proto__: null,
  Z_NO_FLUSH: 0,
  Z_PARTIAL_FLUSH: 1,
  Z_SYNC_FLUSH: 2,
  Z_FULL_FLUSH: 3,
  Z_FINISH: 4,
  Z_BLOCK: 5,
  Z_OK: 0,
  Z_STREAM_END: 1,
  Z_NEED_DICT: 2,
  Z_ERRNO: -1,
  Z_STREAM_ERROR: -2,
  Z_DATA_ERROR: -3,
  Z_MEM_ERROR: -4,
  Z_BUF_ERROR: -5,
  Z_VERSION_ERROR: -6,
  Z_NO_COMPRESSION: 0,
  Z_BEST_SPEED: 1,
  Z_BEST_COMPRESSION: 9,
  Z_DEFAULT_COMPRESSION: -1,
  Z_FILTERED: 1,
  Z_HUFFMAN_ONLY: 2,
  Z_RLE: 3,
  Z_FIXED: 4,
  Z_DEFAULT_STRATEGY: 0,
  ZLIB_VERNUM: 4880,
  DEFLATE: 1,
  INFLATE: 2,
  GZIP: 3,
  GUNZIP: 4,
  DEFLATERAW: 5,
  INFLATERAW: 6,
  UNZIP: 7,
  BROTLI_DECODE: 8,
  BROTLI_ENCODE: 9,
  Z_MIN_WINDOWBITS: 8,
  Z_MAX_WINDOWBITS: 15,
  Z_DEFAULT_WINDOWBITS: 15,
  Z_MIN_CHUNK: 64,
  Z_MAX_CHUNK: Infinity,
  Z_DEFAULT_CHUNK: 16384,
  Z_MIN_MEMLEVEL: 1,
  Z_MAX_MEMLEVEL: 9,
  Z_DEFAULT_MEMLEVEL: 8,
  Z_MIN_LEVEL: -1,
  Z_MAX_LEVEL: 9,
  Z_DEFAULT_LEVEL: -1,
  BROTLI_OPERATION_PROCESS: 0,
  BROTLI_OPERATION_FLUSH: 1,
  BROTLI_OPERATION_FINISH: 2,
  BROTLI_OPERATION_EMIT_METADATA: 3,
  BROTLI_PARAM_MODE: 0,
  BROTLI_MODE_GENERIC: 0,
  BROTLI_MODE_TEXT: 1,
  BROTLI_MODE_FONT: 2,
  BROTLI_DEFAULT_MODE: 0,
  BROTLI_PARAM_QUALITY: 1,
  BROTLI_MIN_QUALITY: 0,
  BROTLI_MAX_QUALITY: 11,
  BROTLI_DEFAULT_QUALITY: 11,
  BROTLI_PARAM_LGWIN: 2,
  BROTLI_MIN_WINDOW_BITS: 10,
  BROTLI_MAX_WINDOW_BITS: 24,
  BROTLI_LARGE_MAX_WINDOW_BITS: 30,
  BROTLI_DEFAULT_WINDOW: 22,
  BROTLI_PARAM_LGBLOCK: 3,
  BROTLI_MIN_INPUT_BLOCK_BITS: 16,
  BROTLI_MAX_INPUT_BLOCK_BITS: 24,
  BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING: 4,
  BROTLI_PARAM_SIZE_HINT: 5,
  BROTLI_PARAM_LARGE_WINDOW: 6,
  BROTLI_PARAM_NPOSTFIX: 7,
  BROTLI_PARAM_NDIRECT: 8,
  BROTLI_DECODER_RESULT_ERROR: 0,
  BROTLI_DECODER_RESULT_SUCCESS: 1,
  BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: 2,
  BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: 3,
  BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION: 0,
  BROTLI_DECODER_PARAM_LARGE_WINDOW: 1,
  BROTLI_DECODER_NO_ERROR: 0,
  BROTLI_DECODER_SUCCESS: 1,
  BROTLI_DECODER_NEEDS_MORE_INPUT: 2,
  BROTLI_DECODER_NEEDS_MORE_OUTPUT: 3,
  BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE: -1,
  BROTLI_DECODER_ERROR_FORMAT_RESERVED: -2,
  BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE: -3,
  BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET: -4,
  BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME: -5,
  BROTLI_DECODER_ERROR_FORMAT_CL_SPACE: -6,
  BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE: -7,
  BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT: -8,
  BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1: -9,
  BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2: -10,
  BROTLI_DECODER_ERROR_FORMAT_TRANSFORM: -11,
  BROTLI_DECODER_ERROR_FORMAT_DICTIONARY: -12,
  BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS: -13,
  BROTLI_DECODER_ERROR_FORMAT_PADDING_1: -14,
  BROTLI_DECODER_ERROR_FORMAT_PADDING_2: -15,
  BROTLI_DECODER_ERROR_FORMAT_DISTANCE: -16,
  BROTLI_DECODER_ERROR_DICTIONARY_NOT_SET: -19,
  BROTLI_DECODER_ERROR_INVALID_ARGUMENTS: -20,
  BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES: -21,
  BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS: -22,
  BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP: -25,
  BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1: -26,
  BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2: -27,
  BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES: -30,
  BROTLI_DECODER_ERROR_UNREACHABLE: -31,
});

const C = constants;
/** `buffer.kMaxLength` of Node 20: the default `maxOutputLength`. */
const kMaxLength = 2 ** 32;
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

/** Node's ZlibBase options: chunk size, flush flags, output bound. */
function baseOptions(opts, mode) {
  const brotli = isBrotli(mode);
  const lo = brotli ? C.BROTLI_OPERATION_PROCESS : C.Z_NO_FLUSH;
  const hi = brotli ? C.BROTLI_OPERATION_EMIT_METADATA : C.Z_BLOCK;
  const base = {
    __proto__: null,
    chunkSize: C.Z_DEFAULT_CHUNK,
    flush: lo,
    finishFlush: brotli ? C.BROTLI_OPERATION_FINISH : C.Z_FINISH,
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

function brotliHandle(opts, mode) {
  const params = new Uint32ArrayCtor(kMaxBrotliParam + 1);
  for (let i = 0; i <= kMaxBrotliParam; i++) params[i] = 0xffffffff;
  if (opts?.params) {
    const keys = ObjectKeys(opts.params);
    for (let i = 0; i < keys.length; i++) {
      const origKey = keys[i];
      const key = +origKey;
      if (NumberIsNaN(key) || key < 0 || key > kMaxBrotliParam || params[key] !== 0xffffffff) {
        throw makeNodeError(
          RangeErrorCtor,
          'ERR_BROTLI_INVALID_PARAM',
          `${origKey} is not a valid Brotli parameter`,
        );
      }
      const value = opts.params[origKey];
      if (typeof value !== 'number' && typeof value !== 'boolean') {
        throw makeInvalidArgType('options.params[key]', 'number', value);
      }
      params[key] = value;
    }
  }
  const handle = brotliNew(mode, params);
  if (handle === undefined) throw initializationFailed();
  return handle;
}

function newEngine(mode, opts) {
  // Node validates the base options after the codec's (level before chunkSize).
  const handle = isBrotli(mode) ? brotliHandle(opts, mode) : zlibHandle(opts, mode);
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
    if (availOutAfter !== 0) return concat(job.chunks, job.nread);
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

function concat(chunks, total) {
  if (chunks.length === 1 && TypedArrayPrototypeGetByteLength(chunks[0]) === total) {
    return toBuffer(chunks[0]);
  }
  const out = allocBuffer(total);
  let at = 0;
  for (let i = 0; i < chunks.length; i++) {
    TypedArrayPrototypeSet(out, chunks[i], at);
    at += TypedArrayPrototypeGetByteLength(chunks[i]);
  }
  return out;
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
  newHandle: (mode, opts) => (isBrotli(mode) ? brotliHandle(opts, mode) : zlibHandle(opts, mode)),
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
