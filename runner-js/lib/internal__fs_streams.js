// lib/internal__fs_streams.js: fs.ReadStream / fs.WriteStream (createReadStream /
// createWriteStream) with Node's behaviour: every file operation goes through `options.fs`
// (default: the guest's own `fs` module, so a patched `fs.read` or `fs.close` is used, as
// graceful-fs and Node's tests expect), asynchronously through its callbacks; `fd` may be a
// number or a FileHandle; a stream whose `open` is overridden is opened through it (old
// graceful-fs); the fd is closed only once no read or write is in flight; `flush` fsyncs before
// closing; options are validated as Node validates them.

import {
  ArrayPrototypePush,
  ErrorCtor,
  FunctionPrototypeCall,
  MathMin,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  PromisePrototypeThen,
  RangeErrorCtor,
  ReflectApply,
  SymbolCtor,
  TypedArrayPrototypeSubarray,
  TypeErrorCtor,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError, validateFunction } from '../js/06_errors.js';
import { nextTick } from '../js/21_ticks.js';
import { emitWarning } from '../js/23_warnings.js';
import { fsPathArg } from '../js/41_fs_core.js';
import { fsCheckEncoding } from '../js/42_fs_bytes.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';
import { validateInteger } from './internal__buffer.js';
// Buffer is loaded when a stream first needs one: `import('node:fs')` reads these classes.
import { asChunk, bufferCtor, errorOrDestroy } from './internal__stream_core.js';
import { eos } from './internal__stream_eos.js';
import { Readable } from './internal__stream_readable.js';
import { Writable } from './internal__stream_writable.js';

const kFs = SymbolCtor('kFs');
const kBusy = SymbolCtor('kIsPerformingIO');
const kIoDone = SymbolCtor('kIoDone');
const kDefaultReadHwm = 64 * 1024;

/**
 * `options` as Node takes them: undefined, an encoding name, or an object whose enumerable
 * properties, inherited ones too, are copied.
 */
/** Node's copyObject(getOptions(options)): a copy, its encoding checked. */
function streamOptions(options) {
  if (options === undefined || options === null) return {};
  if (typeof options === 'string') {
    fsCheckEncoding(options);
    return { encoding: options };
  }
  if (typeof options !== 'object') throw makeInvalidArgType('options', 'string or Object', options);
  fsCheckEncoding(options.encoding);
  const copy = {};
  for (const key in options) copy[key] = options[key];
  return copy;
}

function isFileHandleLike(fd) {
  return (
    typeof fd === 'object' &&
    fd !== null &&
    typeof fd.fd === 'number' &&
    typeof fd.read === 'function' &&
    typeof fd.close === 'function' &&
    typeof fd.on === 'function'
  );
}

/** The callback-style operations over a FileHandle's promise methods. */
function handleOps(handle) {
  const settle = (promise, cb, ok, fail) => PromisePrototypeThen(promise, ok, fail ?? cb);
  return {
    open() {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_METHOD_NOT_IMPLEMENTED',
        'The open() method is not implemented',
      );
    },
    close(_fd, cb) {
      settle(handle.close(), cb, () => cb());
    },
    fsync(_fd, cb) {
      settle(handle.sync(), cb, () => cb());
    },
    read(_fd, buf, offset, length, pos, cb) {
      settle(
        handle.read(buf, offset, length, pos),
        cb,
        (r) => cb(null, r.bytesRead, r.buffer),
        (err) => cb(err, 0, buf),
      );
    },
    write(_fd, buf, offset, length, pos, cb) {
      settle(
        handle.write(buf, offset, length, pos),
        cb,
        (r) => cb(null, r.bytesWritten, r.buffer),
        (err) => cb(err, 0, buf),
      );
    },
  };
}

/** Sets `stream.fd` and `stream[kFs]` from `options` (an fd, a FileHandle, or a path). */
function adopt(stream, path, options, defaultFlags) {
  const fd = options.fd;
  if (fd === undefined || fd === null) {
    stream.fd = null;
    stream[kFs] = options.fs || cjsBuiltin('fs');
    validateFunction(stream[kFs].open, 'options.fs.open');
    stream.path = fsPathArg(path);
    stream.flags = options.flags === undefined ? defaultFlags : options.flags;
    stream.mode = options.mode === undefined ? 0o666 : options.mode;
    return;
  }
  if (typeof fd === 'number') {
    validateInteger(fd, 'fd', 0, 2147483647);
    stream[kFs] = options.fs || cjsBuiltin('fs');
    stream.fd = fd;
    return;
  }
  if (isFileHandleLike(fd)) {
    if (options.fs) {
      throw makeNodeError(
        ErrorCtor,
        'ERR_METHOD_NOT_IMPLEMENTED',
        'The FileHandle with fs method is not implemented',
      );
    }
    stream[kFs] = handleOps(fd);
    stream.fd = fd.fd;
    fd.on('close', () => stream.close());
    return;
  }
  throw makeInvalidArgType('options.fd', 'number or an instance of FileHandle', fd);
}

function construct(cb) {
  if (typeof this.fd === 'number') {
    cb();
    return;
  }
  if (typeof this.open === 'function' && this.open !== openFile) {
    // A stream whose open() was overridden (old graceful-fs): it reports through emit.
    const emit = this.emit;
    this.emit = function (...args) {
      if (args[0] === 'open' || args[0] === 'error') {
        this.emit = emit;
        cb(args[0] === 'error' ? args[1] : undefined);
        if (args[0] === 'open') ReflectApply(emit, this, args);
        return;
      }
      ReflectApply(emit, this, args);
    };
    this.open();
    return;
  }
  this[kFs].open(this.path, this.flags, this.mode, (err, fd) => {
    if (err) {
      cb(err);
      return;
    }
    this.fd = fd;
    cb();
    this.emit('open', fd);
    this.emit('ready');
  });
}

let openWarned = false;

/** The deprecated public `open()` (DEP0135): opens the file through the stream's `fs`. */
function openFile() {
  if (!openWarned) {
    openWarned = true;
    const which = this instanceof WriteStream ? 'WriteStream' : 'ReadStream';
    emitWarning(`${which}.prototype.open() is deprecated`, 'DeprecationWarning', 'DEP0135');
  }
  this[kFs].open(this.path, this.flags, this.mode, (err, fd) => {
    if (err) {
      errorOrDestroy(this, err);
      return;
    }
    this.fd = fd;
    this.emit('open', fd);
    this.emit('ready');
  });
}

function closeFd(stream, err, cb) {
  if (!stream.fd) {
    cb(err);
    return;
  }
  const fd = stream.fd;
  // As Node: `fd` is still the stream's while its `close` runs (a patched close may check it).
  const finish = (flushErr) => {
    stream[kFs].close(fd, (closeErr) => cb(closeErr || err || flushErr));
    stream.fd = null;
  };
  if (stream.flush) stream[kFs].fsync(fd, finish);
  else finish();
}

/** `_destroy`: the fd is closed only after the read or write in flight is done. */
function destroy(err, cb) {
  if (this[kBusy]) this.once(kIoDone, (er) => closeFd(this, err || er, cb));
  else closeFd(this, err, cb);
}

function defineCommon(Class, state, name) {
  const check = (self) => {
    if (typeof self !== 'object' || self === null || !(kFs in self)) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_THIS',
        `Value of "this" must be of type ${name}`,
      );
    }
  };
  ObjectDefineProperty(Class.prototype, 'autoClose', {
    __proto__: null,
    get() {
      check(this);
      return this[state].autoDestroy;
    },
    set(value) {
      check(this);
      this[state].autoDestroy = value;
    },
  });
  Class.prototype.open = openFile;
  ObjectDefineProperty(Class.prototype, 'pending', {
    __proto__: null,
    get() {
      return this.fd === null;
    },
    configurable: true,
  });
}

function validateStart(stream, start) {
  stream.start = start;
  stream.pos = undefined;
  if (start !== undefined) {
    validateInteger(start, 'start', 0);
    stream.pos = start;
  }
}

export function ReadStream(path, options) {
  if (!(this instanceof ReadStream)) return new ReadStream(path, options);
  options = streamOptions(options);
  if (options.highWaterMark === undefined) options.highWaterMark = kDefaultReadHwm;
  adopt(this, path, options, 'r');
  options.autoDestroy = options.autoClose === undefined ? true : options.autoClose;
  validateFunction(this[kFs].read, 'options.fs.read');
  if (options.autoDestroy) validateFunction(this[kFs].close, 'options.fs.close');
  validateStart(this, options.start);
  this.end = options.end === undefined ? Infinity : options.end;
  this.bytesRead = 0;
  this[kBusy] = false;
  if (this.end !== Infinity) {
    validateInteger(this.end, 'end', 0);
    if (this.start !== undefined && this.start > this.end) {
      throw makeNodeError(
        RangeErrorCtor,
        'ERR_OUT_OF_RANGE',
        `The value of "start" is out of range. It must be <= "end" (here: ${this.end}). Received ${this.start}`,
      );
    }
  }
  FunctionPrototypeCall(Readable, this, options);
}
ObjectSetPrototypeOf(ReadStream.prototype, Readable.prototype);
ObjectSetPrototypeOf(ReadStream, Readable);
defineCommon(ReadStream, '_readableState', 'ReadStream');

ReadStream.prototype._construct = construct;

ReadStream.prototype._read = function (n) {
  const left = this.pos !== undefined ? this.end - this.pos + 1 : this.end - this.bytesRead + 1;
  n = MathMin(left, n);
  if (n <= 0) {
    this.push(null);
    return;
  }
  this[kBusy] = true;
  const target = bufferCtor().allocUnsafeSlow(n);
  this[kFs].read(this.fd, target, 0, n, this.pos, (err, bytesRead, buf) => {
    this[kBusy] = false;
    if (this.destroyed) {
      this.emit(kIoDone, err);
      return;
    }
    if (err) {
      errorOrDestroy(this, err);
      return;
    }
    if (!(bytesRead > 0)) {
      this.push(null);
      return;
    }
    if (this.pos !== undefined) this.pos += bytesRead;
    this.bytesRead += bytesRead;
    // A short read is copied out, so a small chunk does not keep a large buffer alive.
    const chunk =
      bytesRead === buf.length
        ? buf
        : new Uint8ArrayCtor(TypedArrayPrototypeSubarray(buf, 0, bytesRead));
    this.push(asChunk(chunk));
  });
};

ReadStream.prototype._destroy = destroy;

ReadStream.prototype.close = function (cb) {
  if (typeof cb === 'function') eos(this, cb);
  this.destroy();
};

export function WriteStream(path, options) {
  if (!(this instanceof WriteStream)) return new WriteStream(path, options);
  options = streamOptions(options);
  options.decodeStrings = true;
  adopt(this, path, options, 'w');
  options.autoDestroy = options.autoClose === undefined ? true : options.autoClose;
  const ops = this[kFs];
  if (!ops.write && !ops.writev)
    throw makeInvalidArgType('options.fs.write', 'function', ops.write);
  if (ops.write) validateFunction(ops.write, 'options.fs.write');
  if (ops.writev) validateFunction(ops.writev, 'options.fs.writev');
  if (options.autoDestroy) validateFunction(ops.close, 'options.fs.close');
  this.flush = options.flush ?? false;
  if (options.flush !== undefined && options.flush !== null) {
    if (typeof options.flush !== 'boolean') {
      throw makeInvalidArgType('options.flush', 'boolean', options.flush);
    }
    validateFunction(ops.fsync, 'options.fs.fsync');
  }
  // Either may be given alone; the stream machinery then uses the other.
  if (!ops.write) this._write = null;
  if (!ops.writev) this._writev = null;
  validateStart(this, options.start);
  this.bytesWritten = 0;
  this[kBusy] = false;
  FunctionPrototypeCall(Writable, this, options);
  if (options.encoding) this.setDefaultEncoding(options.encoding);
}
ObjectSetPrototypeOf(WriteStream.prototype, Writable.prototype);
ObjectSetPrototypeOf(WriteStream, Writable);
defineCommon(WriteStream, '_writableState', 'WriteStream');

WriteStream.prototype._construct = construct;

/** The result of one write attempt: retried while bytes remain (EAGAIN counts as zero). */
function afterWrite(stream, what, err, written, size, retries, again, cb) {
  if (err?.code === 'EAGAIN') {
    err = null;
    written = 0;
  }
  if (stream.destroyed || err) {
    cb(
      err ||
        makeNodeError(
          ErrorCtor,
          'ERR_STREAM_DESTROYED',
          `Cannot call ${what} after a stream was destroyed`,
        ),
    );
    return;
  }
  stream.bytesWritten += written;
  retries = written ? 0 : retries + 1;
  if (retries > 5) {
    cb(makeNodeError(ErrorCtor, 'ERR_SYSTEM_ERROR', `A system error occurred: ${what} failed`));
  } else if (size - written > 0) {
    again(written, retries);
  } else {
    cb();
  }
}

function writeAll(stream, data, size, pos, cb, retries) {
  stream[kFs].write(stream.fd, data, 0, size, pos, (err, written, buffer) => {
    afterWrite(
      stream,
      'write',
      err,
      written,
      size,
      retries,
      (done, tries) => {
        const rest = TypedArrayPrototypeSubarray(buffer ?? data, done);
        const next = pos === undefined || pos === null ? pos : pos + done;
        writeAll(stream, rest, size - done, next, cb, tries);
      },
      cb,
    );
  });
}

function writevAll(stream, chunks, size, pos, cb, retries) {
  stream[kFs].writev(stream.fd, chunks, pos, (err, written, buffers) => {
    afterWrite(
      stream,
      'writev',
      err,
      written,
      size,
      retries,
      (done, tries) => {
        const rest = TypedArrayPrototypeSubarray(bufferCtor().concat(buffers ?? chunks), done);
        const next = pos === undefined || pos === null ? pos : pos + done;
        writevAll(stream, [rest], size - done, next, cb, tries);
      },
      cb,
    );
  });
}

/** Runs one write (`start(done)`), telling `_destroy` when the fd is free again. */
function io(stream, cb, start) {
  stream[kBusy] = true;
  start((err) => {
    stream[kBusy] = false;
    cb(err);
    if (stream.destroyed) stream.emit(kIoDone, err);
  });
}

WriteStream.prototype._write = function (data, _encoding, cb) {
  const pos = this.pos;
  io(this, cb, (done) => writeAll(this, data, data.length, pos, done, 0));
  if (this.pos !== undefined) this.pos += data.length;
};

WriteStream.prototype._writev = function (data, cb) {
  const chunks = [];
  let size = 0;
  for (let i = 0; i < data.length; i++) {
    ArrayPrototypePush(chunks, data[i].chunk);
    size += data[i].chunk.length;
  }
  const pos = this.pos;
  io(this, cb, (done) => writevAll(this, chunks, size, pos, done, 0));
  if (this.pos !== undefined) this.pos += size;
};

WriteStream.prototype._destroy = destroy;

WriteStream.prototype.close = function (cb) {
  if (cb) {
    if (this.closed) {
      nextTick(cb);
      return;
    }
    this.on('close', cb);
  }
  // An fd the stream does not close on its own is closed once everything is written.
  if (!this.autoClose) this.on('finish', this.destroy);
  this.end();
};

WriteStream.prototype.destroySoon = WriteStream.prototype.end;

export function createReadStream(path, options) {
  return new ReadStream(path, options);
}

export function createWriteStream(path, options) {
  return new WriteStream(path, options);
}
