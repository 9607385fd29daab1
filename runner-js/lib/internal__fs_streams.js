// lib/internal__fs_streams.js: fs.ReadStream / fs.WriteStream (createReadStream /
// createWriteStream) over the runner's synchronous file primitives, with Node's options (flags,
// fd, start/end, encoding, highWaterMark 64 KiB, autoClose, emitClose) and events ('open',
// 'ready', then the stream's, 'close'). Each read or write runs synchronously inside
// _read/_write; the stream machinery makes the events asynchronous as Node's are.

import {
  FunctionPrototypeCall,
  MathMin,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  TypedArrayPrototypeSubarray,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeOutOfRange } from '../js/06_errors.js';
import { queueMicrotask } from '../js/21_ticks.js';
import { fsPathArg } from '../js/41_fs_core.js';
import { fsCloseSync, fsOpenSync, fsReadSync, fsWriteSync } from '../js/44_fs_files.js';
import { asChunk } from './internal__stream_core.js';
import { Readable } from './internal__stream_readable.js';
import { Writable } from './internal__stream_writable.js';

const kDefaultReadHwm = 64 * 1024;

function normalizeOptions(options, defaults) {
  if (options === undefined || options === null) return { ...defaults };
  if (typeof options === 'string') return { ...defaults, encoding: options };
  if (typeof options !== 'object') throw makeInvalidArgType('options', 'object', options);
  return { ...defaults, ...options };
}

function closeFd(stream, cb) {
  if (typeof stream.fd !== 'number') return cb();
  const fd = stream.fd;
  stream.fd = null;
  try {
    fsCloseSync(fd);
  } catch (err) {
    return cb(err);
  }
  return cb();
}

function openFd(stream, cb) {
  try {
    stream.fd = fsOpenSync(stream.path, stream.flags, stream.mode);
  } catch (err) {
    cb(err);
    return;
  }
  cb();
  stream.emit('open', stream.fd);
  stream.emit('ready');
}

export function ReadStream(path, options) {
  if (!(this instanceof ReadStream)) return new ReadStream(path, options);
  options = normalizeOptions(options, { highWaterMark: kDefaultReadHwm });
  if (options.highWaterMark === undefined) options.highWaterMark = kDefaultReadHwm;
  if (options.autoDestroy === undefined) options.autoDestroy = options.autoClose !== false;
  this.fd = options.fd === undefined ? null : options.fd;
  this.path = this.fd === null ? fsPathArg(path) : undefined;
  this.flags = options.flags === undefined ? 'r' : options.flags;
  this.mode = options.mode === undefined ? 0o666 : options.mode;
  this.start = options.start;
  this.end = options.end === undefined ? Infinity : options.end;
  this.pos = undefined;
  this.bytesRead = 0;
  if (this.start !== undefined) {
    if (typeof this.start !== 'number') throw makeInvalidArgType('start', 'number', this.start);
    if (this.start < 0) throw makeOutOfRange('start', '>= 0 && <= 9007199254740991', this.start);
    this.pos = this.start;
  }
  if (this.end !== Infinity) {
    if (typeof this.end !== 'number') throw makeInvalidArgType('end', 'number', this.end);
    if (this.end < 0) throw makeOutOfRange('end', '>= 0 && <= 9007199254740991', this.end);
    if (this.start !== undefined && this.start > this.end) {
      throw makeOutOfRange('start', `<= "end" (here: ${this.end})`, this.start);
    }
  }
  FunctionPrototypeCall(Readable, this, options);
}
ObjectSetPrototypeOf(ReadStream.prototype, Readable.prototype);
ObjectSetPrototypeOf(ReadStream, Readable);

ObjectDefineProperty(ReadStream.prototype, 'pending', {
  __proto__: null,
  get() {
    return this.fd === null;
  },
  configurable: true,
});

ReadStream.prototype._construct = function (cb) {
  if (typeof this.fd === 'number') cb();
  else openFd(this, cb);
};

ReadStream.prototype._read = function (n) {
  n =
    this.pos !== undefined
      ? MathMin(this.end - this.pos + 1, n)
      : MathMin(this.end - this.bytesRead + 1, n);
  if (n <= 0) {
    this.push(null);
    return;
  }
  const buf = new Uint8ArrayCtor(n);
  let bytesRead;
  try {
    bytesRead = fsReadSync(this.fd, buf, 0, n, this.pos === undefined ? null : this.pos);
  } catch (err) {
    this.destroy(err);
    return;
  }
  if (bytesRead > 0) {
    if (this.pos !== undefined) this.pos += bytesRead;
    this.bytesRead += bytesRead;
    this.push(asChunk(bytesRead === n ? buf : TypedArrayPrototypeSubarray(buf, 0, bytesRead)));
  } else {
    this.push(null);
  }
};

ReadStream.prototype._destroy = function (err, cb) {
  closeFd(this, (er) => cb(er || err));
};

ReadStream.prototype.close = function (cb) {
  if (typeof cb === 'function') this.once('close', cb);
  this.destroy();
};

export function WriteStream(path, options) {
  if (!(this instanceof WriteStream)) return new WriteStream(path, options);
  options = normalizeOptions(options, {});
  options.decodeStrings = true;
  if (options.autoDestroy === undefined) options.autoDestroy = options.autoClose !== false;
  this.fd = options.fd === undefined ? null : options.fd;
  this.path = this.fd === null ? fsPathArg(path) : undefined;
  this.flags = options.flags === undefined ? 'w' : options.flags;
  this.mode = options.mode === undefined ? 0o666 : options.mode;
  this.start = options.start;
  this.pos = this.start;
  this.bytesWritten = 0;
  if (this.start !== undefined) {
    if (typeof this.start !== 'number') throw makeInvalidArgType('start', 'number', this.start);
    if (this.start < 0) throw makeOutOfRange('start', '>= 0 && <= 9007199254740991', this.start);
  }
  FunctionPrototypeCall(Writable, this, options);
  if (options.encoding) this.setDefaultEncoding(options.encoding);
}
ObjectSetPrototypeOf(WriteStream.prototype, Writable.prototype);
ObjectSetPrototypeOf(WriteStream, Writable);

ObjectDefineProperty(WriteStream.prototype, 'pending', {
  __proto__: null,
  get() {
    return this.fd === null;
  },
  configurable: true,
});

WriteStream.prototype._construct = function (cb) {
  if (typeof this.fd === 'number') cb();
  else openFd(this, cb);
};

WriteStream.prototype._write = function (data, encoding, cb) {
  let n;
  try {
    n = fsWriteSync(this.fd, data, 0, data.length, this.pos === undefined ? null : this.pos);
  } catch (err) {
    cb(err);
    return;
  }
  this.bytesWritten += n;
  if (this.pos !== undefined) this.pos += n;
  cb();
};

WriteStream.prototype._destroy = function (err, cb) {
  closeFd(this, (er) => cb(er || err));
};

WriteStream.prototype.close = function (cb) {
  if (cb) {
    if (this.closed) {
      queueMicrotask(() => cb());
      return;
    }
    this.on('close', cb);
  }
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
