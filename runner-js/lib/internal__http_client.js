// lib/internal__http_client.js: the client half of `http`/`https` over the sidecar's network
// (`netFetch` with redirects left to the guest, as Node's client does). `ClientRequest` is a
// Writable: a body written before `end()` is streamed (chunked unless the guest set
// content-length), one given only to `end()` is sent whole. `IncomingMessage` is a Readable
// that gives the network credit (`netConsume`) as the guest reads. `Agent` objects exist for the
// packages that pass them around; connections are kept alive by the sidecar (net/src/pool.rs),
// per exec and origin, whatever the agent.
import { bridge } from 'agentos:bridge';
import {
  ArrayIsArray,
  ArrayPrototypePush,
  ErrorCtor,
  FunctionPrototypeCall,
  ObjectKeys,
  ObjectSetPrototypeOf,
  RegExpPrototypeTest,
  StringPrototypeIndexOf,
  StringPrototypeToLowerCase,
  StringPrototypeToUpperCase,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeAbortError, makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { processObject } from '../js/20_exit.js';
import { nextTick } from '../js/21_ticks.js';
import { clearTimeout, setTimeout } from '../js/24_timers.js';
import { netTrack } from '../js/29_net.js';
import { createEventsModule } from '../js/47_node_events.js';
import { Buffer } from './buffer.js';
import { validateHeaderName, validateHeaderValue } from './internal__http_outgoing.js';
import { pipeKey } from './internal__net_pipe.js';
import { STATUS_CODES } from './internal__net_values.js';
import { asChunk } from './internal__stream_core.js';
import { Readable } from './internal__stream_readable.js';
import { Writable } from './internal__stream_writable.js';
import { URL } from './internal__url.js';

const netFetch = bridge.netFetch;
const netWrite = bridge.netWrite;
const netEnd = bridge.netEnd;
const netConsume = bridge.netConsume;
const netCancel = bridge.netCancel;
const netRef = bridge.netRef;
const EventEmitter = createEventsModule();

const HIGH_WATER = 64 << 10;

/** A Node-shaped network error from `{ code, message }`. */
export function nodeNetError(failure) {
  const err = new ErrorCtor(failure.message);
  err.code = failure.code;
  if (failure.code === 'ECONNREFUSED' || failure.code === 'ETIMEDOUT' || failure.code === 'ENOENT')
    err.syscall = 'connect';
  if (failure.code === 'ENOTFOUND') err.syscall = 'getaddrinfo';
  return err;
}

export function Agent(options) {
  if (!(this instanceof Agent)) return new Agent(options);
  FunctionPrototypeCall(EventEmitter, this);
  this.options = { __proto__: null, path: null, ...options };
  this.defaultPort = this.options.defaultPort || 80;
  this.protocol = this.options.protocol || 'http:';
  this.keepAlive = this.options.keepAlive === true;
  this.keepAliveMsecs = this.options.keepAliveMsecs || 1000;
  this.maxSockets = this.options.maxSockets || Infinity;
  this.maxFreeSockets = this.options.maxFreeSockets || 256;
  this.maxTotalSockets = this.options.maxTotalSockets || Infinity;
  this.scheduling = this.options.scheduling || 'lifo';
  this.requests = { __proto__: null };
  this.sockets = { __proto__: null };
  this.freeSockets = { __proto__: null };
  this.totalSocketCount = 0;
}
ObjectSetPrototypeOf(Agent.prototype, EventEmitter.prototype);
ObjectSetPrototypeOf(Agent, EventEmitter);
Agent.prototype.destroy = function () {};
Agent.prototype.getName = function (options = {}) {
  return `${options.host || 'localhost'}:${options.port || ''}:${options.localAddress || ''}`;
};

/** What stands in for a request's socket: timeouts and no-op tuning calls. */
function fakeSocket(req) {
  const socket = new EventEmitter();
  socket.setTimeout = (ms, cb) => {
    req.setTimeout(ms, cb);
    return socket;
  };
  socket.setNoDelay = () => socket;
  socket.setKeepAlive = () => socket;
  socket.ref = () => socket;
  socket.unref = () => socket;
  socket.destroy = (err) => {
    req.destroy(err);
    return socket;
  };
  socket.remoteAddress = undefined;
  socket.encrypted = req.protocol === 'https:';
  return socket;
}

function requestOptions(input, options, cb, defaults) {
  let opts = {};
  if (typeof input === 'string' || input instanceof URL) {
    const url = typeof input === 'string' ? new URL(input) : input;
    opts = {
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      auth: url.username ? `${url.username}:${url.password}` : undefined,
    };
  } else if (input !== null && typeof input === 'object') {
    opts = { ...input };
  } else if (typeof input === 'function') {
    cb = input;
  }
  if (typeof options === 'function') cb = options;
  else if (options !== null && typeof options === 'object') opts = { ...opts, ...options };
  return { opts, cb, defaults };
}

const INVALID_PATH = /[^\u0021-\u00ff]/;

function validateHost(host, name) {
  if (host !== null && host !== undefined && typeof host !== 'string') {
    throw makeInvalidArgType(`options.${name}`, 'string or one of undefined or null', host);
  }
}

/** Node's checks of a request's method, path and host, before anything is sent. */
function validateRequest(opts) {
  const method = opts.method;
  if (method !== null && method !== undefined && typeof method !== 'string') {
    throw makeInvalidArgType('options.method', 'string', method);
  }
  if (method) validateHeaderName(method, 'Method');
  if (opts.path && RegExpPrototypeTest(INVALID_PATH, `${opts.path}`)) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_UNESCAPED_CHARACTERS',
      'Request path contains unescaped characters',
    );
  }
  validateHost(opts.hostname, 'hostname');
  validateHost(opts.host, 'host');
}

export function ClientRequest(input, options, cb, defaults = { protocol: 'http:', port: 80 }) {
  if (!(this instanceof ClientRequest)) return new ClientRequest(input, options, cb, defaults);
  const parsed = requestOptions(input, options, cb, defaults);
  const opts = parsed.opts;
  FunctionPrototypeCall(Writable, this, { highWaterMark: HIGH_WATER, autoDestroy: false });
  const agent = opts.agent;
  this.agent = agent === false || agent === undefined ? null : agent;
  this.protocol = opts.protocol || agent?.protocol || defaults.protocol;
  if (this.protocol !== defaults.protocol) {
    const err = new TypeErrorCtor(
      `Protocol "${this.protocol}" not supported. Expected "${defaults.protocol}"`,
    );
    err.code = 'ERR_INVALID_PROTOCOL';
    throw err;
  }
  validateRequest(opts);
  this.method = opts.method ? StringPrototypeToUpperCase(opts.method) : 'GET';
  this.host = opts.hostname || opts.host || 'localhost';
  const port = opts.port || agent?.defaultPort || defaults.port;
  this.port = port;
  this.path = opts.path || '/';
  this.aborted = false;
  this.reusedSocket = false;
  this.maxHeadersCount = null;
  this.res = null;
  this._id = undefined;
  this._ending = false;
  this._whole = [];
  this._drainCb = null;
  this._timer = null;
  this._headers = { __proto__: null }; // lower name -> [name, value]
  const headers = opts.headers;
  if (ArrayIsArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) this.setHeader(headers[i], headers[i + 1]);
  } else if (headers) {
    const keys = ObjectKeys(headers);
    for (let i = 0; i < keys.length; i++) this.setHeader(keys[i], headers[keys[i]]);
  }
  if (opts.auth && !this.hasHeader('authorization')) {
    this.setHeader('Authorization', `Basic ${Buffer.from(opts.auth).toString('base64')}`);
  }
  const host = StringPrototypeIndexOf(this.host, ':') >= 0 ? `[${this.host}]` : this.host;
  const defaultPort = `${port}` === `${defaults.port}`;
  this._url = `${this.protocol}//${host}${defaultPort ? '' : `:${port}`}${this.path}`;
  if (ArrayIsArray(this.getHeader('host'))) {
    throw makeInvalidArgType('options.headers.host', 'string', this.getHeader('host'));
  }
  if (opts.setHost !== false && !this.hasHeader('host')) {
    this.setHeader('Host', defaultPort ? host : `${host}:${port}`);
  }
  if (typeof parsed.cb === 'function') this.once('response', parsed.cb);
  this._trust = trustOf(opts, agent);
  // A Unix socket of the exec (`socketPath`, as Node's agent reads it): every hop goes there.
  this._socketPath = typeof opts.socketPath === 'string' ? opts.socketPath : undefined;
  if (opts.timeout !== undefined) this.setTimeout(opts.timeout);
  if (opts.signal) {
    const signal = opts.signal;
    const onAbort = () => this.destroy(makeAbortError(signal));
    if (signal.aborted) nextTick(onAbort);
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  this.socket = fakeSocket(this);
  this.connection = this.socket;
  nextTick(() => this.emit('socket', this.socket));
}
ObjectSetPrototypeOf(ClientRequest.prototype, Writable.prototype);
ObjectSetPrototypeOf(ClientRequest, Writable);

const proto = ClientRequest.prototype;

proto.setHeader = function (name, value) {
  if (this._id !== undefined) {
    const err = new ErrorCtor('Cannot set headers after they are sent to the client');
    err.code = 'ERR_HTTP_HEADERS_SENT';
    throw err;
  }
  validateHeaderName(name);
  validateHeaderValue(name, value);
  this._headers[StringPrototypeToLowerCase(`${name}`)] = [`${name}`, value];
  return this;
};
proto.getHeader = function (name) {
  return this._headers[StringPrototypeToLowerCase(`${name}`)]?.[1];
};
proto.hasHeader = function (name) {
  return this._headers[StringPrototypeToLowerCase(`${name}`)] !== undefined;
};
proto.removeHeader = function (name) {
  delete this._headers[StringPrototypeToLowerCase(`${name}`)];
};
proto.getHeaderNames = function () {
  return ObjectKeys(this._headers);
};
proto.getHeaders = function () {
  const out = { __proto__: null };
  const keys = ObjectKeys(this._headers);
  for (let i = 0; i < keys.length; i++) out[keys[i]] = this._headers[keys[i]][1];
  return out;
};
proto.getRawHeaderNames = function () {
  const keys = ObjectKeys(this._headers);
  const out = [];
  for (let i = 0; i < keys.length; i++) ArrayPrototypePush(out, this._headers[keys[i]][0]);
  return out;
};
proto.flushHeaders = function () {};
proto.setNoDelay = function () {};
proto.setSocketKeepAlive = function () {};
proto.setTimeout = function (ms, cb) {
  if (cb) this.once('timeout', cb);
  if (this._timer !== null) clearTimeout(this._timer);
  this._timer = null;
  if (ms > 0) {
    this._timer = setTimeout(() => this.emit('timeout'), ms);
    this._timer.unref();
  }
  return this;
};
proto.abort = function () {
  if (this.aborted) return;
  this.aborted = true;
  nextTick(() => this.emit('abort'));
  this.destroy();
};

proto.end = function (chunk, encoding, cb) {
  if (this._id === undefined) this._ending = true;
  return FunctionPrototypeCall(Writable.prototype.end, this, chunk, encoding, cb);
};

function headerList(req) {
  const out = [];
  const keys = ObjectKeys(req._headers);
  for (let i = 0; i < keys.length; i++) {
    const [name, value] = req._headers[keys[i]];
    if (ArrayIsArray(value)) {
      for (let j = 0; j < value.length; j++) ArrayPrototypePush(out, [name, `${value[j]}`]);
    } else {
      ArrayPrototypePush(out, [name, `${value}`]);
    }
  }
  return out;
}

// How an https request to one of the exec's own servers trusts it (Node's TLS options, from the
// request or its agent); requests to the network are verified by the sidecar whatever they say.
function trustOf(opts, agent) {
  const a = agent?.options ?? {};
  const ca = opts.ca ?? a.ca;
  const list = ca === undefined || ca === null ? [] : ArrayIsArray(ca) ? ca : [ca];
  const out = [];
  for (let i = 0; i < list.length; i++)
    ArrayPrototypePush(out, new Uint8Array(Buffer.from(list[i])));
  let reject = opts.rejectUnauthorized ?? a.rejectUnauthorized;
  if (reject === undefined) reject = processObject.env.NODE_TLS_REJECT_UNAUTHORIZED !== '0';
  return {
    ca: out,
    rejectUnauthorized: reject !== false,
    servername: opts.servername ?? a.servername,
  };
}

/** Starts the request: `body` is the whole body, or `true` to stream it. */
function start(req, body) {
  const id = netFetch(
    req.method,
    req._url,
    headerList(req),
    body,
    1,
    false,
    req._trust,
    req._socketPath === undefined ? undefined : pipeKey(req._socketPath),
  );
  if (typeof id !== 'number') {
    const err = nodeNetError(id);
    nextTick(() => req.destroy(err));
    return false;
  }
  req._id = id;
  netTrack(id, (kind, value) => onEvent(req, kind, value));
  return true;
}

proto._write = function (chunk, encoding, cb) {
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
  if (this._id === undefined && this._ending) {
    ArrayPrototypePush(this._whole, bytes);
    return cb();
  }
  if (this._id === undefined && !start(this, true)) return cb();
  const queued = netWrite(this._id, bytes);
  if (typeof queued !== 'number') return cb(nodeNetError(queued));
  if (queued > HIGH_WATER) this._drainCb = cb;
  else cb();
};

proto._final = function (cb) {
  if (this._id === undefined) {
    const body = this._whole.length === 0 ? undefined : Buffer.concat(this._whole);
    if (body !== undefined && !this.hasHeader('content-length')) {
      this._headers['content-length'] = ['Content-Length', `${body.length}`];
    }
    this._whole = [];
    start(this, body);
    return cb();
  }
  netEnd(this._id);
  cb();
};

proto._destroy = function (err, cb) {
  if (this._timer !== null) clearTimeout(this._timer);
  if (this._id !== undefined) netCancel(this._id);
  if (this.res !== null && !this.res.complete) this.res.destroy(err || connReset());
  cb(err);
};

/** The error of a request or response cut off before its end (Node's connResetException). */
export function connReset() {
  const err = new ErrorCtor('aborted');
  err.code = 'ECONNRESET';
  return err;
}

function onEvent(req, kind, value) {
  if (kind === 'response') {
    netRef(req._id, false);
    const res = new IncomingMessage(req, req._id, value);
    req.res = res;
    if (req._timer !== null) clearTimeout(req._timer);
    if (!req.emit('response', res)) res.resume();
  } else if (kind === 'data') {
    req.res?._feed(value);
  } else if (kind === 'end') {
    req.res?._finish();
  } else if (kind === 'drain') {
    const cb = req._drainCb;
    req._drainCb = null;
    if (cb) cb();
  } else if (kind === 'done') {
    const cb = req._drainCb;
    req._drainCb = null;
    if (cb) cb();
    if (value === null) {
      req.res?._finish();
      nextTick(() => req.destroy());
    } else if (value.code === 'ABORT_ERR') {
      // The guest destroyed the request itself.
    } else if (req.res === null) {
      req.destroy(nodeNetError(value));
    } else if (!req.res.complete) {
      // A body cut off is Node's "aborted" (the transport's reason is not the guest's concern).
      req.res.destroy(connReset());
    }
  }
}

export function IncomingMessage(req, id, head) {
  if (!(this instanceof IncomingMessage)) return new IncomingMessage(req, id, head);
  FunctionPrototypeCall(Readable, this, {});
  this._id = id;
  this._unconsumed = 0;
  this.req = req;
  this.socket = req.socket;
  this.connection = req.socket;
  this.httpVersion = '1.1';
  this.httpVersionMajor = 1;
  this.httpVersionMinor = 1;
  this.complete = false;
  this.aborted = false;
  this.url = '';
  this.method = null;
  this.statusCode = head.status;
  this.statusMessage = head.statusText || STATUS_CODES[head.status] || '';
  // Plain objects as Node's (a guest may call headers.hasOwnProperty); headersDistinct has no
  // prototype, as Node's.
  this.headers = {};
  this.headersDistinct = { __proto__: null };
  this.rawHeaders = [];
  this.trailers = {};
  this.rawTrailers = [];
  for (let i = 0; i < head.headers.length; i++) {
    const name = head.headers[i][0];
    const val = head.headers[i][1];
    ArrayPrototypePush(this.rawHeaders, name, val);
    const distinct = this.headersDistinct[name];
    if (distinct === undefined) this.headersDistinct[name] = [val];
    else ArrayPrototypePush(distinct, val);
    const have = this.headers[name];
    if (name === 'set-cookie') {
      if (have === undefined) this.headers[name] = [val];
      else ArrayPrototypePush(have, val);
    } else if (typeof have !== 'string') {
      // First (as Node: a name Object.prototype has, `constructor`, counts as absent).
      this.headers[name] = val;
    } else if (name !== 'content-type' && name !== 'content-length' && name !== 'host') {
      this.headers[name] = `${have}, ${val}`;
    }
  }
}
ObjectSetPrototypeOf(IncomingMessage.prototype, Readable.prototype);
ObjectSetPrototypeOf(IncomingMessage, Readable);

IncomingMessage.prototype._read = function () {
  if (this.complete) return;
  if (this._unconsumed > 0) {
    netConsume(this._id, this._unconsumed);
    this._unconsumed = 0;
  }
  netRef(this._id, true);
};

IncomingMessage.prototype._feed = function (bytes) {
  this._unconsumed += bytes.length;
  if (!this.push(asChunk(bytes))) netRef(this._id, false);
};

IncomingMessage.prototype._finish = function () {
  if (this.complete) return;
  this.complete = true;
  this.push(null);
};

IncomingMessage.prototype._destroy = function (err, cb) {
  if (!this.complete) {
    this.aborted = true;
    netCancel(this._id);
    this.emit('aborted');
  }
  // As Node: the error is emitted only when someone listens for it.
  nextTick(() => cb(this.listenerCount('error') === 0 ? null : err));
};

IncomingMessage.prototype.setTimeout = function (ms, cb) {
  this.req.setTimeout(ms, cb);
  return this;
};

/** `http.request` / `https.request` with `defaults` (`{ protocol, port }`). */
export function request(defaults, input, options, cb) {
  return new ClientRequest(input, options, cb, defaults);
}

/** `http.get` / `https.get`. */
export function get(defaults, input, options, cb) {
  const req = new ClientRequest(input, options, cb, defaults);
  req.end();
  return req;
}
