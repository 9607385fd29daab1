// lib/internal__http_server.js: `http.Server` over `net.Server`'s sockets. The request head is
// parsed by the native `httpParseHead` (httparse, the parser hyper uses: strict tokens, CR/LF
// and header syntax, where smuggling and injection live); bodies are framed here
// (Content-Length, or chunked; both at once is refused as Node's llhttp does). One request is
// handled at a time per connection: pipelined bytes wait, and the socket is paused, until the
// response ends. A head larger than `maxHeaderSize` is answered 431, a malformed one 400, a head
// or request slower than `headersTimeout`/`requestTimeout` 408; an idle keep-alive connection
// closes after `keepAliveTimeout`. Those timers are unref'd: they free sockets, and a closed
// server's last connections end with them, so no client can hold the exec open for long.
import { bridge } from 'agentos:bridge';
import {
  ArrayPrototypePop,
  ArrayPrototypePush,
  ErrorCtor,
  FunctionPrototypeCall,
  MathMin,
  NumberMAX_SAFE_INTEGER,
  NumberParseInt,
  ObjectSetPrototypeOf,
  ReflectApply,
  RegExpPrototypeTest,
  SetIteratorPrototypeNext,
  SetPrototypeValues,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeToLowerCase,
  StringPrototypeTrim,
  SymbolCtor,
  SymbolFor,
} from '../js/00_primordials.js';
import { nextTick } from '../js/21_ticks.js';
import { clearInterval, clearTimeout, setInterval, setTimeout } from '../js/24_timers.js';
import { Buffer } from './buffer.js';
import { connReset, IncomingMessage } from './internal__http_client.js';
import { ServerResponse } from './internal__http_outgoing.js';
import { NetServer } from './internal__net_server.js';
import { STATUS_CODES } from './internal__net_values.js';
import { Readable } from './internal__stream_readable.js';

const httpParseHead = bridge.httpParseHead;
const MAX_HEADER_SIZE = 16384;
const MAX_CHUNK_LINE = 4096;

export function Server(options, requestListener) {
  if (!(this instanceof Server)) return new Server(options, requestListener);
  if (typeof options === 'function') {
    requestListener = options;
    options = {};
  } else if (options === undefined || options === null) {
    options = {};
  }
  FunctionPrototypeCall(NetServer, this, { allowHalfOpen: true, noDelay: options.noDelay });
  initHttpServer(this, options, requestListener, 'connection');
}

/**
 * Makes `server` (a net.Server, or a tls.Server for https) serve HTTP on the sockets of its
 * `event` (`connection`, or `secureConnection` for https).
 */
export function initHttpServer(server, options, requestListener, event) {
  if (typeof requestListener === 'function') server.on('request', requestListener);
  server.timeout = 0;
  server.keepAliveTimeout = options.keepAliveTimeout ?? 5000;
  server.headersTimeout = options.headersTimeout ?? 60000;
  server.requestTimeout = options.requestTimeout ?? 300000;
  server.maxHeadersCount = null;
  server.maxRequestsPerSocket = 0;
  server.maxHeaderSize = options.maxHeaderSize ?? MAX_HEADER_SIZE;
  server._ServerResponse = options.ServerResponse ?? ServerResponse;
  server.connectionsCheckingInterval = options.connectionsCheckingInterval ?? 30000;
  server.on(event, (socket) => connection(server, socket));
  server.on('listening', setupConnectionsTracking);
}

// Node keeps an unref'd interval per listening server (`_http_server`'s
// kConnectionsCheckingInterval) on which it checks request and header timeouts; here each
// connection's own timers do those checks, so the interval only marks the server's lifetime.
export const kConnectionsCheckingInterval = SymbolCtor('http.server.connectionsCheckingInterval');

function setupConnectionsTracking() {
  if (this[kConnectionsCheckingInterval]) clearInterval(this[kConnectionsCheckingInterval]);
  this[kConnectionsCheckingInterval] = setInterval(() => {}, this.connectionsCheckingInterval);
  this[kConnectionsCheckingInterval].unref();
}
ObjectSetPrototypeOf(Server.prototype, NetServer.prototype);
ObjectSetPrototypeOf(Server, NetServer);

// captureRejections: a rejected 'request' listener answers 500 (headers it set dropped) when
// nothing was sent yet, else destroys the response; other events as net's (Node's http.Server).
Server.prototype[SymbolFor('nodejs.rejection')] = function (err, event, ...args) {
  if (event !== 'request') {
    ReflectApply(NetServer.prototype[SymbolFor('nodejs.rejection')], this, [err, event, ...args]);
    return;
  }
  const res = args[1];
  if (!res.headersSent && !res.writableEnded) {
    const names = res.getHeaderNames();
    for (let i = 0; i < names.length; i++) res.removeHeader(names[i]);
    res.statusCode = 500;
    res.end(STATUS_CODES[500]);
  } else {
    res.destroy();
  }
};

Server.prototype.setTimeout = function (ms, cb) {
  this.timeout = ms;
  if (cb) this.on('timeout', cb);
  return this;
};

// Each socket of the server's set, iterated with the captured Set iterator.
function forEachSocket(server, fn) {
  const it = SetPrototypeValues(server._sockets);
  for (;;) {
    const step = SetIteratorPrototypeNext(it);
    if (step.done) return;
    fn(step.value);
  }
}

Server.prototype.closeAllConnections = function () {
  forEachSocket(this, (socket) => socket.destroy());
};

Server.prototype.closeIdleConnections = function () {
  forEachSocket(this, (socket) => {
    // An https connection's HTTP state is on its TLSSocket.
    if ((socket._tlsSocket ?? socket)._httpIdle) socket.destroy();
  });
};

const netClose = NetServer.prototype.close;
Server.prototype.close = function (cb) {
  clearInterval(this[kConnectionsCheckingInterval]);
  FunctionPrototypeCall(netClose, this, cb);
  this.closeIdleConnections();
  return this;
};

/** The server side of one connection: parse, dispatch, respond, repeat. */
function connection(server, socket) {
  const conn = {
    server,
    socket,
    buf: Buffer.alloc(0),
    req: null, // the request whose body is being read
    res: null, // the response in flight
    body: null, // { length } | { chunked: state }
    timer: null,
  };
  socket._httpIdle = true;
  socket.on('data', (chunk) => {
    conn.buf = conn.buf.length === 0 ? chunk : Buffer.concat([conn.buf, chunk]);
    parse(conn);
  });
  socket.on('end', () => {
    if (conn.req !== null && !conn.req.complete) conn.req.destroy(connReset());
    if (conn.res === null) socket.end();
    else conn.ended = true;
  });
  socket.on('error', (err) => {
    if (conn.req !== null && !conn.req.complete) conn.req.destroy(err);
    else server.emit('clientError', err, socket);
  });
  socket.on('close', () => {
    clearTimer(conn);
    if (conn.req !== null && !conn.req.complete) conn.req.destroy(connReset());
    if (conn.res !== null && !conn.res.writableFinished) {
      conn.res.destroyed = true;
      conn.res.emit('close');
    }
  });
  socket.on('drain', () => conn.res?.emit('drain'));
  if (server.timeout > 0) {
    socket.setTimeout(server.timeout, () => {
      if (!server.emit('timeout', socket)) socket.destroy();
    });
  }
  arm(conn, server.headersTimeout, 408);
}

function clearTimer(conn) {
  if (conn.timer !== null) clearTimeout(conn.timer);
  conn.timer = null;
}

/** After `ms` the connection is answered `status` (0: closed quietly) and closed. */
function arm(conn, ms, status) {
  clearTimer(conn);
  if (!(ms > 0)) return;
  conn.timer = setTimeout(() => {
    conn.timer = null;
    if (status === 0 || conn.res !== null) conn.socket.destroy();
    else reject(conn, status, 'ERR_HTTP_REQUEST_TIMEOUT');
  }, ms);
  conn.timer.unref();
}

const REASONS = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  431: 'Request Header Fields Too Large',
};

/** A client error: `clientError` if the guest listens, else an answer and the socket closed. */
function reject(conn, status, code) {
  const err = new ErrorCtor(`Parse Error: ${code}`);
  err.code = code;
  conn.buf = Buffer.alloc(0);
  conn.dead = true;
  clearTimer(conn);
  const { server, socket } = conn;
  if (server.listenerCount('clientError') > 0) {
    server.emit('clientError', err, socket);
    return;
  }
  if (conn.res !== null && !conn.res.headersSent) {
    conn.res.destroyed = true; // the handler's answer can no longer go out
    conn.res = null;
  }
  if (socket.writable && conn.res === null) {
    socket.end(`HTTP/1.1 ${status} ${REASONS[status]}\r\nConnection: close\r\n\r\n`);
  }
  setTimeout(() => socket.destroy(), 1000).unref();
}

function parse(conn) {
  while (!conn.dead && conn.buf.length > 0) {
    if (conn.req !== null && conn.body !== null) {
      if (!readBody(conn)) return;
      continue;
    }
    if (conn.res !== null) {
      conn.socket.pause(); // pipelined: wait for the response in flight
      return;
    }
    if (!readHead(conn)) return;
  }
}

function readHead(conn) {
  const { server } = conn;
  if (conn.buf[0] === 13 || conn.buf[0] === 10) {
    // Stray CRLF between requests, as Node allows.
    conn.buf = conn.buf.subarray(conn.buf[0] === 13 && conn.buf[1] === 10 ? 2 : 1);
    return true;
  }
  const head = httpParseHead(conn.buf);
  if (head === undefined) {
    if (conn.buf.length > server.maxHeaderSize) reject(conn, 431, 'HPE_HEADER_OVERFLOW');
    return false;
  }
  if (typeof head === 'string') {
    reject(conn, head === 'HPE_HEADER_OVERFLOW' ? 431 : 400, head);
    return false;
  }
  if (head[0] > server.maxHeaderSize + 2) {
    reject(conn, 431, 'HPE_HEADER_OVERFLOW');
    return false;
  }
  conn.buf = conn.buf.subarray(head[0]);
  const req = request(conn, head);
  const framing = bodyFraming(req);
  if (framing === null) {
    reject(conn, 400, 'HPE_UNEXPECTED_CONTENT_LENGTH');
    return false;
  }
  conn.socket._httpIdle = false;
  conn.req = req;
  conn.body = framing;
  arm(conn, server.requestTimeout, 408);
  const upgrade =
    req.method === 'CONNECT' ||
    (req.headers.upgrade !== undefined &&
      RegExpPrototypeTest(/\bupgrade\b/i, `${req.headers.connection}`));
  const event = req.method === 'CONNECT' ? 'connect' : 'upgrade';
  if (upgrade && server.listenerCount(event) > 0) {
    conn.dead = true;
    clearTimer(conn);
    const rest = conn.buf;
    conn.buf = Buffer.alloc(0);
    conn.socket.removeAllListeners('data');
    server.emit(event, req, conn.socket, rest);
    return false;
  }
  if (framing.length === 0) finishBody(conn);
  dispatch(conn, req);
  return true;
}

function request(conn, head) {
  const req = new ServerRequest(conn.socket);
  req.method = head[1];
  req.url = head[2];
  req.httpVersionMinor = head[3];
  req.httpVersion = `1.${head[3]}`;
  for (let i = 4; i < head.length; i += 2) {
    const name = head[i];
    const value = head[i + 1];
    ArrayPrototypePush(req.rawHeaders, name, value);
    const key = StringPrototypeToLowerCase(name);
    const distinct = req.headersDistinct[key];
    if (distinct === undefined) req.headersDistinct[key] = [value];
    else ArrayPrototypePush(distinct, value);
    const have = req.headers[key];
    if (key === 'set-cookie') {
      if (have === undefined) req.headers[key] = [value];
      else ArrayPrototypePush(have, value);
    } else if (typeof have !== 'string') {
      // First (as Node: a name Object.prototype has, `constructor`, counts as absent).
      req.headers[key] = value;
    } else if (key === 'cookie') {
      req.headers[key] = `${have}; ${value}`;
    } else if (!SINGLE[key]) {
      req.headers[key] = `${have}, ${value}`;
    }
  }
  return req;
}

const SINGLE = {
  __proto__: null,
  'content-type': 1,
  'content-length': 1,
  host: 1,
  'user-agent': 1,
  authorization: 1,
  referer: 1,
  from: 1,
  age: 1,
  etag: 1,
  expires: 1,
  location: 1,
  server: 1,
  'if-modified-since': 1,
  'if-unmodified-since': 1,
  'last-modified': 1,
  'max-forwards': 1,
  'proxy-authorization': 1,
  'retry-after': 1,
};

/** `{ length }` or `{ chunked }` from the head, or null when they disagree (smuggling). */
function bodyFraming(req) {
  const te = req.headersDistinct['transfer-encoding'];
  const cl = req.headersDistinct['content-length'];
  if (te !== undefined) {
    if (cl !== undefined) return null;
    const last = StringPrototypeTrim(
      ArrayPrototypePop(StringPrototypeSplit(StringPrototypeToLowerCase(te[te.length - 1]), ',')),
    );
    if (last !== 'chunked') return null;
    return { chunked: 'size', left: 0 };
  }
  if (cl !== undefined) {
    for (let i = 0; i < cl.length; i++) {
      if (
        !RegExpPrototypeTest(/^\s*[0-9]+\s*$/, cl[i]) ||
        StringPrototypeTrim(cl[i]) !== StringPrototypeTrim(cl[0])
      )
        return null;
    }
    const length = NumberParseInt(cl[0], 10);
    return length > NumberMAX_SAFE_INTEGER ? null : { length };
  }
  return { length: 0 };
}

/** Moves body bytes from the buffer into the request; false when it needs more bytes. */
function readBody(conn) {
  const body = conn.body;
  const req = conn.req;
  if (body.chunked === undefined) {
    const n = MathMin(body.length, conn.buf.length);
    if (n > 0) req._feedBody(conn.buf.subarray(0, n));
    conn.buf = conn.buf.subarray(n);
    body.length -= n;
    if (body.length === 0) finishBody(conn);
    return conn.buf.length > 0;
  }
  if (body.chunked === 'data') {
    const n = MathMin(body.left, conn.buf.length);
    req._feedBody(conn.buf.subarray(0, n));
    conn.buf = conn.buf.subarray(n);
    body.left -= n;
    if (body.left === 0) body.chunked = 'crlf';
    return conn.buf.length > 0;
  }
  const eol = conn.buf.indexOf('\r\n');
  if (eol < 0) {
    if (conn.buf.length > MAX_CHUNK_LINE) reject(conn, 400, 'HPE_INVALID_CHUNK_SIZE');
    return false;
  }
  const line = conn.buf.latin1Slice(0, eol);
  conn.buf = conn.buf.subarray(eol + 2);
  if (body.chunked === 'crlf') {
    if (line !== '') reject(conn, 400, 'HPE_STRICT');
    body.chunked = 'size';
  } else if (body.chunked === 'size') {
    const size = StringPrototypeTrim(StringPrototypeSplit(line, ';')[0]);
    if (!RegExpPrototypeTest(/^[0-9a-fA-F]{1,12}$/, size)) {
      reject(conn, 400, 'HPE_INVALID_CHUNK_SIZE');
      return false;
    }
    body.left = NumberParseInt(size, 16);
    body.chunked = body.left === 0 ? 'trailers' : 'data';
    body.trailerBytes = 0;
  } else if (line === '') {
    finishBody(conn);
  } else {
    body.trailerBytes += line.length;
    if (body.trailerBytes > conn.server.maxHeaderSize) {
      reject(conn, 431, 'HPE_HEADER_OVERFLOW');
      return false;
    }
    const colon = StringPrototypeIndexOf(line, ':');
    if (colon > 0) {
      const name = StringPrototypeSlice(line, 0, colon);
      const value = StringPrototypeTrim(StringPrototypeSlice(line, colon + 1));
      ArrayPrototypePush(req.rawTrailers, name, value);
      req.trailers[StringPrototypeToLowerCase(name)] = value;
    }
  }
  return true;
}

function finishBody(conn) {
  const req = conn.req;
  conn.body = null;
  req._finish();
  clearTimer(conn);
}

function dispatch(conn, req) {
  const { server, socket } = conn;
  const res = new server._ServerResponse(req);
  res.socket = socket;
  conn.res = res;
  req.res = res;
  res._onFinished = () => responded(conn, res);
  const expect = StringPrototypeToLowerCase(`${req.headers.expect ?? ''}`);
  if (expect === '100-continue') {
    if (server.listenerCount('checkContinue') > 0) {
      server.emit('checkContinue', req, res);
      return;
    }
    res.writeContinue();
  } else if (expect !== '' && server.listenerCount('checkExpectation') > 0) {
    server.emit('checkExpectation', req, res);
    return;
  }
  server.emit('request', req, res);
}

function responded(conn, res) {
  if (conn.res !== res) return;
  const { socket, server } = conn;
  conn.res = null;
  if (conn.req !== null && !conn.req.complete) {
    // The guest answered without reading the whole body: the connection cannot be reused, and
    // a body nobody reads is dumped (Node's req._dump()) so the peer's end is seen.
    res.shouldKeepAlive = false;
    dump(conn.req);
  }
  conn.req = conn.body === null ? null : conn.req;
  if (!res.shouldKeepAlive || conn.ended || server._closing) {
    socket.end();
    arm(conn, 5000, 0);
    return;
  }
  socket._httpIdle = true;
  arm(conn, server.keepAliveTimeout, 0);
  socket.resume();
  nextTick(() => parse(conn));
}

/** Node's `_dump()`: the rest of a body nobody reads is pulled off the wire and dropped. */
function dump(req) {
  if (req._dumped || req.readableFlowing === true) return;
  req._dumped = true;
  req.removeAllListeners('data');
  req.resume();
}

/** A request as the server sees it: an IncomingMessage fed by the connection's parser. */
export function ServerRequest(socket) {
  FunctionPrototypeCall(Readable, this, {});
  this.socket = socket;
  this.connection = socket;
  this.httpVersion = '1.1';
  this.httpVersionMajor = 1;
  this.httpVersionMinor = 1;
  this.complete = false;
  this.aborted = false;
  this.url = '';
  this.method = null;
  this.statusCode = null;
  this.statusMessage = null;
  // Plain objects as Node's (a guest may call headers.hasOwnProperty); headersDistinct has no
  // prototype, as Node's.
  this.headers = {};
  this.headersDistinct = { __proto__: null };
  this.rawHeaders = [];
  this.trailers = {};
  this.rawTrailers = [];
}
ObjectSetPrototypeOf(ServerRequest.prototype, IncomingMessage.prototype);
ObjectSetPrototypeOf(ServerRequest, IncomingMessage);

ServerRequest.prototype._read = function () {
  if (this.socket.isPaused() && !this.complete) this.socket.resume();
};
// `bytes` is a view of the connection's buffer, whose memory is never written again (each socket
// chunk is fresh, and the buffer only moves past what was read), so it is pushed as it is, as
// Node pushes slices of the socket's chunk.
ServerRequest.prototype._feedBody = function (bytes) {
  if (!this.push(bytes)) this.socket.pause();
};
ServerRequest.prototype._destroy = function (err, cb) {
  if (!this.complete) {
    this.aborted = true;
    this.emit('aborted');
    if (err) this.socket.destroy();
  }
  // As Node: an aborted request is an 'error' only for a guest that listens for one.
  cb(this.listenerCount('error') > 0 ? err : undefined);
};
ServerRequest.prototype.setTimeout = function (ms, cb) {
  this.socket.setTimeout(ms, cb);
  return this;
};

/** `http.createServer([options], [requestListener])`. */
export function createServer(options, requestListener) {
  return new Server(options, requestListener);
}
