// lib/internal__http_outgoing.js: `OutgoingMessage` (headers kept by lower-cased name with the
// name as the guest spelled it) and `ServerResponse` (the status line and headers written with
// the first body bytes; the body chunked unless its length is known, or sent whole with a
// content-length when `end()` carries all of it). Writes go straight to the connection's
// `net.Socket`, so `write()` returns the socket's backpressure and `drain` follows it.
import {
  ArrayIsArray,
  ArrayPrototypePush,
  ErrorCtor,
  FunctionPrototypeCall,
  NumberPrototypeToString,
  ObjectDefineProperty,
  ObjectKeys,
  ObjectSetPrototypeOf,
  RangeErrorCtor,
  RegExpPrototypeTest,
  StringPrototypeToLowerCase,
  SymbolFor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { nextTick } from '../js/21_ticks.js';
import { createEventsModule } from '../js/47_node_events.js';
import { Buffer } from './buffer.js';
import { isUint8Array } from './internal__buffer.js';
import { STATUS_CODES } from './internal__net_values.js';

const EventEmitter = createEventsModule();
const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

export function validateHeaderName(name, label = 'Header name') {
  if (typeof name !== 'string' || !name || !RegExpPrototypeTest(TOKEN, name)) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_HTTP_TOKEN',
      `${label} must be a valid HTTP token ["${name}"]`,
    );
  }
}

export function validateHeaderValue(name, value) {
  if (value === undefined) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_HTTP_INVALID_HEADER_VALUE',
      `Invalid value "${value}" for header "${name}"`,
    );
  }
  if (RegExpPrototypeTest(BAD_VALUE, `${value}`)) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_CHAR',
      `Invalid character in header content ["${name}"]`,
    );
  }
}

function headersSentError(action) {
  return makeNodeError(
    ErrorCtor,
    'ERR_HTTP_HEADERS_SENT',
    `Cannot ${action} headers after they are sent to the client`,
  );
}

export function OutgoingMessage() {
  FunctionPrototypeCall(EventEmitter, this);
  this._headers = { __proto__: null }; // lower-cased name -> [name, value]
  this.headersSent = false;
  this.sendDate = false;
  this.finished = false;
  this.writableEnded = false;
  this.writableFinished = false;
  this.destroyed = false;
  this.chunkedEncoding = false;
  this.useChunkedEncodingByDefault = true;
  this.shouldKeepAlive = true;
  this.socket = null;
  this._trailer = '';
}
ObjectSetPrototypeOf(OutgoingMessage.prototype, EventEmitter.prototype);
ObjectSetPrototypeOf(OutgoingMessage, EventEmitter);

const out = OutgoingMessage.prototype;

ObjectDefineProperty(out, 'connection', {
  get() {
    return this.socket;
  },
  configurable: true,
});
ObjectDefineProperty(out, 'writable', {
  get() {
    return !this.writableEnded && !this.destroyed;
  },
  configurable: true,
});
ObjectDefineProperty(out, 'writableLength', {
  get() {
    return this.socket ? this.socket.writableLength : 0;
  },
  configurable: true,
});
ObjectDefineProperty(out, 'writableHighWaterMark', {
  get() {
    return this.socket ? this.socket.writableHighWaterMark : 16384;
  },
  configurable: true,
});

out.setHeader = function (name, value) {
  if (this.headersSent) throw headersSentError('set');
  validateHeaderName(name);
  validateHeaderValue(name, value);
  this._headers[StringPrototypeToLowerCase(name)] = [name, value];
  return this;
};
out.appendHeader = function (name, value) {
  if (this.headersSent) throw headersSentError('append');
  validateHeaderName(name);
  validateHeaderValue(name, value);
  const key = StringPrototypeToLowerCase(name);
  const have = this._headers[key];
  if (have === undefined) this._headers[key] = [name, value];
  else {
    const list = ArrayIsArray(have[1]) ? have[1] : [have[1]];
    this._headers[key] = [have[0], [...list, ...(ArrayIsArray(value) ? value : [value])]];
  }
  return this;
};
out.getHeader = function (name) {
  if (typeof name !== 'string') {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_TYPE',
      'The "name" argument must be of type string.',
    );
  }
  return this._headers[StringPrototypeToLowerCase(name)]?.[1];
};
out.getHeaders = function () {
  const result = { __proto__: null };
  const keys = ObjectKeys(this._headers);
  for (let i = 0; i < keys.length; i++) result[keys[i]] = this._headers[keys[i]][1];
  return result;
};
out.getHeaderNames = function () {
  return ObjectKeys(this._headers);
};
out.getRawHeaderNames = function () {
  const keys = ObjectKeys(this._headers);
  const names = [];
  for (let i = 0; i < keys.length; i++) ArrayPrototypePush(names, this._headers[keys[i]][0]);
  return names;
};
out.hasHeader = function (name) {
  return this._headers[StringPrototypeToLowerCase(name)] !== undefined;
};
out.removeHeader = function (name) {
  if (this.headersSent) throw headersSentError('remove');
  delete this._headers[StringPrototypeToLowerCase(name)];
};
out.addTrailers = function (headers) {
  const keys = ObjectKeys(headers);
  for (let i = 0; i < keys.length; i++) {
    validateHeaderName(keys[i], 'Trailer name');
    validateHeaderValue(keys[i], headers[keys[i]]);
    this._trailer += `${keys[i]}: ${headers[keys[i]]}\r\n`;
  }
};
out.setTimeout = function (ms, cb) {
  if (this.socket) this.socket.setTimeout(ms, cb);
  return this;
};
out.cork = function () {
  this.socket?.cork();
};
out.uncork = function () {
  this.socket?.uncork();
};
out.flushHeaders = function () {
  if (!this.headersSent) this._send(Buffer.alloc(0), false);
};
// Write-only, as Node's: piping from it is an 'error'.
out.pipe = function pipe() {
  this.emit(
    'error',
    makeNodeError(ErrorCtor, 'ERR_STREAM_CANNOT_PIPE', 'Cannot pipe, not readable'),
  );
};

// captureRejections: a rejected listener destroys the message with the error (Node's).
out[SymbolFor('nodejs.rejection')] = function (err) {
  this.destroy(err);
};

out.destroy = function (err) {
  if (this.destroyed) return this;
  this.destroyed = true;
  if (this.socket) this.socket.destroy(err);
  return this;
};

/** The head's header lines, and what they say about the framing. */
out._headerLines = function () {
  let text = '';
  const keys = ObjectKeys(this._headers);
  for (let i = 0; i < keys.length; i++) {
    const [name, value] = this._headers[keys[i]];
    if (ArrayIsArray(value)) {
      for (let j = 0; j < value.length; j++) text += `${name}: ${value[j]}\r\n`;
    } else {
      text += `${name}: ${value}\r\n`;
    }
  }
  return text;
};

function toBytes(chunk, encoding) {
  if (chunk === undefined || chunk === null) return Buffer.alloc(0);
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding);
  if (isUint8Array(chunk)) return chunk;
  throw makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_ARG_TYPE',
    'The "chunk" argument must be of type string or an instance of Buffer or Uint8Array.',
  );
}

out.write = function (chunk, encoding, cb) {
  if (typeof encoding === 'function') {
    cb = encoding;
    encoding = undefined;
  }
  if (this.writableEnded) {
    const err = makeNodeError(ErrorCtor, 'ERR_STREAM_WRITE_AFTER_END', 'write after end');
    nextTick(() => {
      if (cb) cb(err);
      this.emit('error', err);
    });
    return false;
  }
  if (chunk === null) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_STREAM_NULL_VALUES',
      'May not write null values to stream',
    );
  }
  return this._send(toBytes(chunk, encoding), false, cb);
};

out.end = function (chunk, encoding, cb) {
  if (typeof chunk === 'function') {
    cb = chunk;
    chunk = undefined;
  } else if (typeof encoding === 'function') {
    cb = encoding;
    encoding = undefined;
  }
  if (this.writableEnded) {
    if (cb) nextTick(cb);
    return this;
  }
  this._send(toBytes(chunk, encoding), true, cb);
  return this;
};

export function ServerResponse(req, options) {
  if (!(this instanceof ServerResponse)) return new ServerResponse(req, options);
  FunctionPrototypeCall(OutgoingMessage, this);
  this.req = req;
  this.statusCode = 200;
  this.statusMessage = undefined;
  this.sendDate = true;
  this._head = req.method === 'HEAD';
  this._http10 = req.httpVersionMinor === 0;
  const connection = StringPrototypeToLowerCase(`${req.headers?.connection ?? ''}`);
  this.shouldKeepAlive = this._http10 ? connection === 'keep-alive' : connection !== 'close';
  this._expectContinue = false;
}
ObjectSetPrototypeOf(ServerResponse.prototype, OutgoingMessage.prototype);
ObjectSetPrototypeOf(ServerResponse, OutgoingMessage);

const res = ServerResponse.prototype;

res.writeHead = function (statusCode, reason, headers) {
  if (this.headersSent) throw headersSentError('write');
  if (typeof reason !== 'string') {
    headers = reason;
    reason = undefined;
  }
  const code = statusCode | 0;
  if (code < 100 || code > 999) {
    throw makeNodeError(
      RangeErrorCtor,
      'ERR_HTTP_INVALID_STATUS_CODE',
      `Invalid status code: ${statusCode}`,
    );
  }
  this.statusCode = code;
  if (reason !== undefined) this.statusMessage = reason;
  if (ArrayIsArray(headers)) {
    if (headers.length > 0 && ArrayIsArray(headers[0])) {
      for (let i = 0; i < headers.length; i++) this.appendHeader(headers[i][0], headers[i][1]);
    } else {
      if (headers.length % 2 !== 0) {
        throw makeNodeError(
          TypeErrorCtor,
          'ERR_INVALID_ARG_VALUE',
          "The argument 'headers' is invalid.",
        );
      }
      for (let i = 0; i < headers.length; i += 2) this.appendHeader(headers[i], headers[i + 1]);
    }
  } else if (headers) {
    const keys = ObjectKeys(headers);
    for (let i = 0; i < keys.length; i++) {
      if (headers[keys[i]] !== undefined) this.setHeader(keys[i], headers[keys[i]]);
    }
  }
  this._writeHeadCalled = true;
  return this;
};

res.writeContinue = function (cb) {
  this.socket?.write('HTTP/1.1 100 Continue\r\n\r\n', cb);
};
res.writeProcessing = function (cb) {
  this.socket?.write('HTTP/1.1 102 Processing\r\n\r\n', cb);
};
res.writeEarlyHints = function (hints, cb) {
  let text = 'HTTP/1.1 103 Early Hints\r\n';
  const keys = ObjectKeys(hints);
  for (let i = 0; i < keys.length; i++) text += `${keys[i]}: ${hints[keys[i]]}\r\n`;
  this.socket?.write(`${text}\r\n`, cb);
};
res.assignSocket = function (socket) {
  this.socket = socket;
};
res.detachSocket = function () {
  this.socket = null;
};

function bodyless(res) {
  const code = res.statusCode;
  return res._head || code === 204 || code === 304 || (code >= 100 && code < 200);
}

/** The status line and headers, deciding the framing (`last`: `end()` carries the whole body). */
res._headBytes = function (bodyLength, last) {
  const code = this.statusCode;
  const message = this.statusMessage ?? STATUS_CODES[code] ?? 'unknown';
  if (RegExpPrototypeTest(/[\r\n]/, `${message}`)) {
    throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_CHAR', 'Invalid character in statusMessage');
  }
  this.statusMessage = message;
  const has = (name) => this._headers[name] !== undefined;
  if (this.sendDate && !has('date')) this._headers.date = ['Date', new Date().toUTCString()];
  if (!bodyless(this) && !has('content-length')) {
    const te = has('transfer-encoding')
      ? StringPrototypeToLowerCase(`${this._headers['transfer-encoding'][1]}`)
      : '';
    if (te !== '') this.chunkedEncoding = RegExpPrototypeTest(/(^|,)\s*chunked\s*$/, te);
    else if (last) this._headers['content-length'] = ['Content-Length', bodyLength];
    else if (!this._http10 && this.useChunkedEncodingByDefault) {
      this.chunkedEncoding = true;
      this._headers['transfer-encoding'] = ['Transfer-Encoding', 'chunked'];
    } else this.shouldKeepAlive = false;
  }
  if (has('connection')) {
    if (StringPrototypeToLowerCase(`${this._headers.connection[1]}`) === 'close')
      this.shouldKeepAlive = false;
  } else {
    const server = this.socket?.server;
    if (server?._closing) this.shouldKeepAlive = false;
    this._headers.connection = ['Connection', this.shouldKeepAlive ? 'keep-alive' : 'close'];
    if (this.shouldKeepAlive && server) {
      this._headers['keep-alive'] = [
        'Keep-Alive',
        `timeout=${(server.keepAliveTimeout / 1000) | 0}`,
      ];
    }
  }
  return `HTTP/1.${this._http10 ? 0 : 1} ${code} ${message}\r\n${this._headerLines()}\r\n`;
};

/** Sends `bytes` of the body (`last`: and ends it). */
res._send = function (bytes, last, cb) {
  if (this.destroyed || this.socket === null || this.socket.destroyed) {
    const err = makeNodeError(
      ErrorCtor,
      'ERR_STREAM_DESTROYED',
      'Cannot call write after a stream was destroyed',
    );
    if (cb) nextTick(cb, err);
    if (last) this.writableEnded = this.finished = true;
    return false;
  }
  let text = '';
  if (!this.headersSent) {
    text = this._headBytes(bytes.length, last);
    this.headersSent = true;
  }
  const socket = this.socket;
  let parts = [];
  if (text !== '') ArrayPrototypePush(parts, Buffer.from(text, 'latin1'));
  if (!bodyless(this) && bytes.length > 0) {
    if (this.chunkedEncoding)
      ArrayPrototypePush(
        parts,
        Buffer.from(`${NumberPrototypeToString(bytes.length, 16)}\r\n`, 'latin1'),
        bytes,
        Buffer.from('\r\n'),
      );
    else ArrayPrototypePush(parts, bytes);
  }
  if (last) {
    this.writableEnded = this.finished = true;
    if (this.chunkedEncoding && !bodyless(this))
      ArrayPrototypePush(parts, Buffer.from(`0\r\n${this._trailer}\r\n`, 'latin1'));
  }
  parts = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  const onWritten = (err) => {
    if (cb) cb(err);
    if (last) this._finished();
  };
  if (parts.length === 0) {
    nextTick(onWritten);
    return true;
  }
  return socket.write(parts, onWritten);
};

res._finished = function () {
  if (this.writableFinished) return;
  this.writableFinished = true;
  this.emit('prefinish');
  this.emit('finish');
  if (this._onFinished) this._onFinished();
  nextTick(() => this.emit('close'));
};
