// lib/internal__zlib_stream.js: the zlib stream classes (Node 20's ZlibBase, Zlib, Brotli and
// Deflate ... BrotliDecompress; `createGzip()` and friends) over the native stream handles of
// `zlib.js`. Each stream owns one native state, fed chunk by chunk as the Transform receives
// them; the native call runs on the guest's thread, deferred by one event-loop turn per output
// chunk (where Node's thread pool would call back), and the next chunk of output is made only
// when the readable side wants it (push() returned true, or _read() asked): a stream that
// inflates without end grows no more than the stream's highWaterMark plus one chunk unless the
// guest keeps the data (then the guest's heap budget ends it). `_processChunk(chunk, flag)` is
// the synchronous form (and `zlib.*Sync` semantics), bounded by `maxOutputLength`.
import {
  ArrayPrototypePush,
  ErrorCtor,
  FunctionPrototypeCall,
  NumberIsNaN,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  RangeErrorCtor,
  SymbolCtor,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray,
  TypeErrorCtor,
  Uint32ArrayCtor,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { nextTick } from '../js/21_ticks.js';
import { emitWarning } from '../js/23_warnings.js';
import { setImmediate } from '../js/24_timers.js';
import { allocBuffer, toBuffer } from './internal__crypto_util.js';
import { Transform } from './internal__stream_duplex.js';
import { eos } from './internal__stream_eos.js';

const kFlushFlag = SymbolCtor('kFlushFlag');
const kError = SymbolCtor('kError');
const kOwner = SymbolCtor('owner_symbol');

// zlib's flush values ordered by how much they flush (Node's `flushiness`).
const FLUSH_ORDER = [0, 5, 1, 2, 3, 4];
const flushiness = [];
for (let i = 0; i < FLUSH_ORDER.length; i++) flushiness[FLUSH_ORDER[i]] = i;

let bytesReadWarned = false;
function warnBytesRead() {
  if (bytesReadWarned) return;
  bytesReadWarned = true;
  emitWarning(
    'zlib.bytesRead is deprecated and will change its meaning in the future. Use zlib.bytesWritten instead.',
    'DeprecationWarning',
    'DEP0108',
  );
}

function maxFlush(a, b) {
  return flushiness[a] > flushiness[b] ? a : b;
}

// A zero-length Buffer per flush value carries `flush(kind)` through the write queue.
const kFlushBuffers = [];
function flushBuffer(kind) {
  if (kFlushBuffers[kind] === undefined) {
    const buf = allocBuffer(0);
    buf[kFlushFlag] = kind;
    kFlushBuffers[kind] = buf;
  }
  return kFlushBuffers[kind];
}

function tooLarge(max) {
  return makeNodeError(
    RangeErrorCtor,
    'ERR_BUFFER_TOO_LARGE',
    `Cannot create a Buffer larger than ${max} bytes`,
  );
}

/** One Buffer of `chunks` (`total` bytes): the one chunk itself, else a copy of them all. */
export function concatChunks(chunks, total) {
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

/**
 * Builds the classes over `natives` ({ write, close, reset, params, newHandle(mode, opts),
 * baseOptions(opts, mode), constants }) of `zlib.js`.
 */
export function defineStreams(natives) {
  const C = natives.constants;

  /** `stream._handle`: the native state with Node's binding methods. */
  function ZlibHandle(native, mode) {
    this.native = native;
    this.mode = mode;
    this.closed = false;
    this.state = new Uint32ArrayCtor(2);
    this[kOwner] = null;
  }
  ZlibHandle.prototype.close = function close() {
    if (!this.closed) {
      this.closed = true;
      natives.close(this.native);
    }
  };
  ZlibHandle.prototype.reset = function reset() {
    return this.closed ? false : natives.reset(this.native);
  };
  ZlibHandle.prototype.params = function params(level, strategy) {
    if (!this.closed) natives.params(this.native, level, strategy);
  };
  /** One native call; `[message, errno, code]` on failure, else the state holds the counts. */
  ZlibHandle.prototype.writeSync = function writeSync(
    flush,
    input,
    inOff,
    inLen,
    out,
    outOff,
    outLen,
  ) {
    return natives.write(this.native, flush, input, inOff, inLen, out, outOff, outLen, this.state);
  };

  function onError(self, err) {
    const error = new ErrorCtor(err[0]);
    error.errno = err[1];
    error.code = err[2];
    self.destroy(error);
    self[kError] = error;
    return error;
  }

  function closeEngine(engine) {
    engine._handle?.close();
    engine._handle = null;
  }

  // The native handle is made (the codec's options validated) before the base options are; it
  // is closed when anything after it throws.
  function ZlibBase(opts, mode, fullFlush) {
    const handle = new ZlibHandle(natives.newHandle(mode, opts), mode);
    try {
      const base = natives.baseOptions(opts, mode);
      if (opts && (opts.encoding || opts.objectMode || opts.writableObjectMode)) {
        opts = { ...opts, encoding: null, objectMode: false, writableObjectMode: false };
      }
      FunctionPrototypeCall(Transform, this, { autoDestroy: true, ...opts });
      this[kError] = null;
      this.bytesWritten = 0;
      this._handle = handle;
      handle[kOwner] = this;
      this._writeState = handle.state;
      this._outBuffer = allocBuffer(base.chunkSize);
      this._outOffset = 0;
      this._chunkSize = base.chunkSize;
      this._defaultFlushFlag = base.flush;
      this._finishFlushFlag = base.finishFlush;
      this._defaultFullFlushFlag = fullFlush;
      this._info = opts?.info;
      this._maxOutputLength = base.maxOutputLength;
    } catch (err) {
      handle.close();
      throw err;
    }
  }
  ObjectSetPrototypeOf(ZlibBase.prototype, Transform.prototype);
  ObjectSetPrototypeOf(ZlibBase, Transform);

  ObjectDefineProperty(ZlibBase.prototype, '_closed', {
    __proto__: null,
    configurable: true,
    enumerable: true,
    get() {
      return !this._handle;
    },
  });
  ObjectDefineProperty(ZlibBase.prototype, 'bytesRead', {
    __proto__: null,
    configurable: true,
    enumerable: true,
    get() {
      warnBytesRead();
      return this.bytesWritten;
    },
    set(value) {
      warnBytesRead();
      this.bytesWritten = value;
    },
  });

  ZlibBase.prototype.reset = function reset() {
    if (!this._handle) throw new ErrorCtor('zlib binding closed');
    return this._handle.reset();
  };
  ZlibBase.prototype._flush = function _flush(callback) {
    this._transform(allocBuffer(0), '', callback);
  };
  ZlibBase.prototype._final = function _final(callback) {
    callback();
  };
  ZlibBase.prototype.flush = function flush(kind, callback) {
    if (typeof kind === 'function' || (kind === undefined && !callback)) {
      callback = kind;
      kind = this._defaultFullFlushFlag;
    }
    if (this.writableFinished) {
      if (callback) nextTick(callback);
    } else if (this.writableEnded) {
      if (callback) this.once('end', callback);
    } else {
      this.write(flushBuffer(kind), '', callback);
    }
  };
  ZlibBase.prototype.close = function close(callback) {
    if (callback) eos(this, callback);
    this.destroy();
  };
  ZlibBase.prototype._destroy = function _destroy(err, callback) {
    closeEngine(this);
    callback(err);
  };
  ZlibBase.prototype._transform = function _transform(chunk, encoding, cb) {
    let flushFlag = this._defaultFlushFlag;
    if (typeof chunk[kFlushFlag] === 'number') flushFlag = chunk[kFlushFlag];
    if (this.writableEnded && this.writableLength === TypedArrayPrototypeGetByteLength(chunk)) {
      flushFlag = maxFlush(flushFlag, this._finishFlushFlag);
    }
    processChunk(this, chunk, flushFlag, cb);
  };
  ZlibBase.prototype._processChunk = function _processChunk(chunk, flushFlag, cb) {
    if (typeof cb === 'function') return processChunk(this, chunk, flushFlag, cb);
    return processChunkSync(this, chunk, flushFlag);
  };

  function processChunkSync(self, chunk, flushFlag) {
    let availInBefore = TypedArrayPrototypeGetByteLength(chunk);
    let availOutBefore = self._chunkSize - self._outOffset;
    let inOff = 0;
    const buffers = [];
    let nread = 0;
    let inputRead = 0;
    const handle = self._handle;
    if (!handle) throw new ErrorCtor('zlib binding closed');
    const state = handle.state;
    let buffer = self._outBuffer;
    let offset = self._outOffset;
    const chunkSize = self._chunkSize;
    while (true) {
      const err = handle.writeSync(
        flushFlag,
        chunk,
        inOff,
        availInBefore,
        buffer,
        offset,
        availOutBefore,
      );
      if (err !== undefined) throw onError(self, err);
      const availOutAfter = state[0];
      const availInAfter = state[1];
      const inDelta = availInBefore - availInAfter;
      inputRead += inDelta;
      const have = availOutBefore - availOutAfter;
      if (have > 0) {
        ArrayPrototypePush(buffers, TypedArrayPrototypeSubarray(buffer, offset, offset + have));
        offset += have;
        nread += have;
        if (nread > self._maxOutputLength) {
          closeEngine(self);
          throw tooLarge(self._maxOutputLength);
        }
      }
      if (availOutAfter === 0 || offset >= chunkSize) {
        availOutBefore = chunkSize;
        offset = 0;
        buffer = allocBuffer(chunkSize);
      }
      if (availOutAfter !== 0) break;
      inOff += inDelta;
      availInBefore = availInAfter;
    }
    self.bytesWritten = inputRead;
    closeEngine(self);
    return concatChunks(buffers, nread);
  }

  function processChunk(self, chunk, flushFlag, cb) {
    const handle = self._handle;
    if (!handle) return nextTick(cb);
    handle.buffer = chunk;
    handle.cb = cb;
    handle.availOutBefore = self._chunkSize - self._outOffset;
    handle.availInBefore = TypedArrayPrototypeGetByteLength(chunk);
    handle.inOff = 0;
    handle.flushFlag = flushFlag;
    scheduleWrite(handle);
  }

  // Node runs the write on its thread pool and calls back from the event loop; here the
  // native call runs in the next turn, on the guest's thread.
  function scheduleWrite(handle) {
    setImmediate(runWrite, handle);
  }

  function runWrite(handle) {
    const self = handle[kOwner];
    if (handle.closed || self.destroyed) {
      handle.buffer = null;
      handle.cb();
      return;
    }
    const err = handle.writeSync(
      handle.flushFlag,
      handle.buffer,
      handle.inOff,
      handle.availInBefore,
      self._outBuffer,
      self._outOffset,
      handle.availOutBefore,
    );
    if (err !== undefined) {
      onError(self, err);
      return;
    }
    processCallback(handle, self);
  }

  function processCallback(handle, self) {
    const state = handle.state;
    const availOutAfter = state[0];
    const availInAfter = state[1];
    const inDelta = handle.availInBefore - availInAfter;
    self.bytesWritten += inDelta;
    const have = handle.availOutBefore - availOutAfter;
    let streamBufferIsFull = false;
    if (have > 0) {
      const out = toBuffer(
        TypedArrayPrototypeSubarray(self._outBuffer, self._outOffset, self._outOffset + have),
      );
      self._outOffset += have;
      streamBufferIsFull = !self.push(out);
    }
    if (self.destroyed) {
      handle.buffer = null;
      handle.cb();
      return;
    }
    if (availOutAfter === 0 || self._outOffset >= self._chunkSize) {
      handle.availOutBefore = self._chunkSize;
      self._outOffset = 0;
      self._outBuffer = allocBuffer(self._chunkSize);
    }
    if (availOutAfter === 0) {
      handle.inOff += inDelta;
      handle.availInBefore = availInAfter;
      if (!streamBufferIsFull) {
        scheduleWrite(handle);
      } else {
        const oldRead = self._read;
        self._read = (n) => {
          self._read = oldRead;
          scheduleWrite(handle);
          self._read(n);
        };
      }
      return;
    }
    if (availInAfter > 0) {
      // The codec stopped before the input's end (its stream ended): no more output.
      self.push(null);
    }
    handle.buffer = null;
    handle.cb();
  }

  function Zlib(opts, mode) {
    FunctionPrototypeCall(ZlibBase, this, opts, mode, C.Z_FULL_FLUSH);
    // As validated (NaN and undefined mean the default).
    const level = opts?.level;
    const strategy = opts?.strategy;
    this._level =
      typeof level === 'number' && !NumberIsNaN(level) ? level : C.Z_DEFAULT_COMPRESSION;
    this._strategy =
      typeof strategy === 'number' && !NumberIsNaN(strategy) ? strategy : C.Z_DEFAULT_STRATEGY;
  }
  ObjectSetPrototypeOf(Zlib.prototype, ZlibBase.prototype);
  ObjectSetPrototypeOf(Zlib, ZlibBase);

  Zlib.prototype.params = function params(level, strategy, callback) {
    natives.checkLevelStrategy(level, strategy);
    if (this._level !== level || this._strategy !== strategy) {
      this.flush(C.Z_SYNC_FLUSH, () => {
        if (!this._handle) throw new ErrorCtor('zlib binding closed');
        this._handle.params(level, strategy);
        if (!this.destroyed) {
          this._level = level;
          this._strategy = strategy;
          if (callback) callback();
        }
      });
    } else {
      nextTick(callback);
    }
  };

  function Brotli(opts, mode) {
    FunctionPrototypeCall(ZlibBase, this, opts, mode, C.BROTLI_OPERATION_FLUSH);
  }
  ObjectSetPrototypeOf(Brotli.prototype, ZlibBase.prototype);
  ObjectSetPrototypeOf(Brotli, ZlibBase);

  // Node 22's zstd streams are classes: callable only with `new`.
  function Zstd(opts, mode) {
    FunctionPrototypeCall(ZlibBase, this, opts, mode, C.ZSTD_e_flush);
  }
  ObjectSetPrototypeOf(Zstd.prototype, ZlibBase.prototype);
  ObjectSetPrototypeOf(Zstd, ZlibBase);

  function subclass(name, parent, mode) {
    const ctor = {
      [name]: function (opts) {
        if (!(this instanceof ctor)) {
          if (parent === Zstd) {
            throw new TypeErrorCtor(`Class constructor ${name} cannot be invoked without 'new'`);
          }
          return new ctor(opts);
        }
        FunctionPrototypeCall(parent, this, opts, mode);
      },
    }[name];
    ObjectSetPrototypeOf(ctor.prototype, parent.prototype);
    ObjectSetPrototypeOf(ctor, parent);
    return ctor;
  }

  return {
    Deflate: subclass('Deflate', Zlib, C.DEFLATE),
    Inflate: subclass('Inflate', Zlib, C.INFLATE),
    Gzip: subclass('Gzip', Zlib, C.GZIP),
    Gunzip: subclass('Gunzip', Zlib, C.GUNZIP),
    DeflateRaw: subclass('DeflateRaw', Zlib, C.DEFLATERAW),
    InflateRaw: subclass('InflateRaw', Zlib, C.INFLATERAW),
    Unzip: subclass('Unzip', Zlib, C.UNZIP),
    BrotliCompress: subclass('BrotliCompress', Brotli, C.BROTLI_ENCODE),
    BrotliDecompress: subclass('BrotliDecompress', Brotli, C.BROTLI_DECODE),
    ZstdCompress: subclass('ZstdCompress', Zstd, C.ZSTD_COMPRESS),
    ZstdDecompress: subclass('ZstdDecompress', Zstd, C.ZSTD_DECOMPRESS),
  };
}
