// lib/internal__tls_socket.js: `tls.TLSSocket` and `tls.connect`. A TLSSocket encrypts over a
// transport of the guest's own (a `net.Socket`, a virtual-port connection, any Duplex) with a
// native rustls session (`tlsClient`/`tlsServer`, `tlsFeed`...; engine/src/bridge/net/tls.rs),
// as Node's TLSWrap does over its stream: ciphertext the transport reads is fed to the session,
// the session's output is written to the transport, plaintext is pushed to the reader. The
// peer's chain is checked natively and recorded; the name is checked here with
// `checkServerIdentity`, and `rejectUnauthorized` decides, as in Node.
//
// `tls.connect` to a host on the network (not a loopback host at one of this exec's own
// listening virtual ports, `netIsVirtual`) keeps the sidecar's
// TLS client instead (internal__net_socket.js): verified against the sidecar's roots, checked
// against the policy as `tls`, and never relaxed by the guest.
import { bridge } from 'agentos:bridge';
import {
  ArrayBufferIsView,
  ArrayIsArray,
  ArrayPrototypePush,
  ArrayPrototypeShift,
  ErrorCtor,
  FunctionPrototypeCall,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  RegExpPrototypeTest,
  StringPrototypeStartsWith,
  StringPrototypeToLowerCase,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { processObject } from '../js/20_exit.js';
import { nextTick } from '../js/21_ticks.js';
import { clearTimeout } from '../js/24_timers.js';
import { Buffer } from './buffer.js';
import { X509Certificate } from './internal__crypto_x509.js';
import { isPipeName } from './internal__net_pipe.js';
import { destroyed, Socket } from './internal__net_socket.js';
import { checkServerIdentity, verifyError } from './internal__tls_check.js';

const tlsClient = bridge.tlsClient;
const tlsServer = bridge.tlsServer;
const tlsFeed = bridge.tlsFeed;
const tlsWrite = bridge.tlsWrite;
const tlsClose = bridge.tlsClose;
const tlsPending = bridge.tlsPending;
const tlsInfo = bridge.tlsInfo;
const netIsVirtual = bridge.netIsVirtual;

const SocketProto = Socket.prototype;
const ADDRESS_FIELDS = ['remoteAddress', 'remotePort', 'remoteFamily', 'localAddress', 'localPort'];

/** PEM input (string, Buffer, `{ pem }`, or an array of them) as one byte array. */
export function pemBytes(value) {
  if (value === undefined || value === null) return undefined;
  if (ArrayIsArray(value)) {
    if (value.length === 0) return undefined;
    const parts = [];
    for (let i = 0; i < value.length; i++) {
      const one = pemBytes(value[i]);
      if (one !== undefined) {
        ArrayPrototypePush(parts, Buffer.from(one));
        ArrayPrototypePush(parts, Buffer.from('\n'));
      }
    }
    return new Uint8Array(Buffer.concat(parts));
  }
  if (typeof value === 'object' && !ArrayBufferIsView(value) && value.pem !== undefined) {
    return pemBytes(value.pem);
  }
  return new Uint8Array(Buffer.from(value));
}

/** `ca` (one or many) as an array of byte arrays. */
export function pemList(value) {
  if (value === undefined || value === null) return [];
  const list = ArrayIsArray(value) ? value : [value];
  const out = [];
  for (let i = 0; i < list.length; i++) {
    const one = pemBytes(list[i]);
    if (one !== undefined) ArrayPrototypePush(out, one);
  }
  return out;
}

/** `ALPNProtocols`: strings or Buffers, or one Buffer in wire format (length-prefixed). */
export function alpnList(value) {
  if (value === undefined || value === null) return [];
  const out = [];
  if (ArrayIsArray(value)) {
    for (let i = 0; i < value.length; i++) {
      ArrayPrototypePush(out, new Uint8Array(Buffer.from(value[i])));
    }
    return out;
  }
  const wire = Buffer.from(value);
  for (let i = 0; i < wire.length; ) {
    const n = wire[i];
    ArrayPrototypePush(out, new Uint8Array(wire.subarray(i + 1, i + 1 + n)));
    i += 1 + n;
  }
  return out;
}

function setupError(failure) {
  return makeNodeError(ErrorCtor, failure.code, failure.message);
}

export function TLSSocket(socket, options) {
  if (!(this instanceof TLSSocket)) return new TLSSocket(socket, options);
  const opts = options ?? {};
  FunctionPrototypeCall(Socket, this, {
    allowHalfOpen: opts.allowHalfOpen ?? socket?.allowHalfOpen,
    highWaterMark: opts.highWaterMark,
  });
  for (let i = 0; i < ADDRESS_FIELDS.length; i++) delete this[ADDRESS_FIELDS[i]];
  this.encrypted = true;
  this.authorized = false;
  this.authorizationError = null;
  this.alpnProtocol = null;
  this.servername = null;
  this.server = opts.server ?? null;
  this._tlsOptions = opts;
  this._session = undefined;
  this._transport = undefined;
  this._secure = false;
  this._queued = [];
  this._info = null;
  if (socket !== undefined && socket !== null) this._attach(socket);
}
ObjectSetPrototypeOf(TLSSocket.prototype, SocketProto);
ObjectSetPrototypeOf(TLSSocket, Socket);

const proto = TLSSocket.prototype;

for (let i = 0; i < ADDRESS_FIELDS.length; i++) {
  const name = ADDRESS_FIELDS[i];
  ObjectDefineProperty(proto, name, {
    __proto__: null,
    configurable: true,
    get() {
      return this._transport === undefined ? this[`_native_${name}`] : this._transport[name];
    },
    set(value) {
      this[`_native_${name}`] = value;
    },
  });
}

/** Takes `transport` as the stream the ciphertext travels on. */
proto._attach = function (transport) {
  this._transport = transport;
  // The transport's write side belongs to the TLS layer (as under Node's TLSWrap): the peer's
  // EOF must not end it before the last records (a reply, close_notify) are written.
  transport.allowHalfOpen = true;
  transport.on('data', (chunk) => onCipher(this, chunk));
  transport.on('end', () => onTransportEnd(this));
  transport.on('error', (err) => this.destroy(err));
  transport.on('close', () => {
    if (!this.destroyed) onTransportEnd(this);
  });
  if (transport.connecting) {
    this.connecting = true;
    transport.once('connect', () => {
      this.connecting = false;
      this.emit('connect');
    });
  }
};

/** Starts the handshake: a client sends its hello, a server waits for one. */
proto._start = function () {
  const o = this._tlsOptions;
  let session;
  if (o.isServer) {
    session = tlsServer(o.secureContext._handle());
  } else {
    const ctx = o.secureContext?._options ?? {};
    session = tlsClient({
      servername: o.servername ?? defaultServername(o.host),
      alpn: alpnList(o.ALPNProtocols),
      ca: pemList(o.ca ?? ctx.ca),
      cert: pemBytes(o.cert ?? ctx.cert),
      key: pemBytes(o.key ?? ctx.key),
    });
  }
  if (!(session instanceof ArrayBuffer)) {
    this.destroy(setupError(session));
    return;
  }
  this._session = session;
  if (!o.isServer) progress(this, tlsPending(session));
};

function defaultServername(host) {
  if (host === undefined || host === null || host === '') return 'localhost';
  // Node sends no SNI for an address.
  return RegExpPrototypeTest(/^[0-9.]+$|:/, host) ? '' : `${host}`;
}

function onCipher(socket, chunk) {
  if (socket._session === undefined || socket.destroyed) return;
  socket._touch();
  socket.bytesRead += chunk.length;
  progress(socket, tlsFeed(socket._session, chunk));
}

function onTransportEnd(socket) {
  if (socket._ended) return;
  socket._ended = true;
  if (!socket._secure && !socket.destroyed) {
    // As Node: a client from tls.connect fails; a server's connection is the server's
    // tlsClientError; a socket nobody started just closes.
    if (socket._fromConnect) {
      const err = new ErrorCtor(
        'Client network socket disconnected before secure TLS connection was established',
      );
      err.code = 'ECONNRESET';
      socket.destroy(err);
    } else {
      if (socket._tlsOptions.isServer && socket._session !== undefined && socket.server) {
        const err = new ErrorCtor('socket hang up');
        err.code = 'ECONNRESET';
        socket.server.emit('tlsClientError', err, socket);
      }
      socket.destroy();
    }
    return;
  }
  // The readable side's 'end' comes after the plaintext still buffered; a socket that is not
  // half-open ends its write side then (the stream's own rule), so a reply to that plaintext
  // still goes out before close_notify. read(0) lets a stream nobody reads end too (as
  // Node's onStreamRead does at EOF).
  socket.push(null);
  socket.read(0);
}

// A transport that still takes writes (not destroyed, not ended).
function canWrite(transport) {
  return transport !== undefined && !transport.destroyed && transport.writable !== false;
}

/** Acts on what the session said: bytes to send, the handshake's end, plaintext, an error. */
function progress(socket, p) {
  const transport = socket._transport;
  if (p.out !== undefined && canWrite(transport)) transport.write(p.out);
  if (p.error !== undefined) {
    const err = new ErrorCtor(p.error);
    err.code = socket._secure ? 'ERR_SSL_PROTOCOL_ERROR' : 'ERR_SSL_HANDSHAKE_FAILURE';
    if (socket._tlsOptions.isServer && !socket._secure && socket.server) {
      socket.server.emit('tlsClientError', err, socket);
      socket.destroy();
    } else {
      socket.destroy(err);
    }
    return;
  }
  if (p.secure) onSecure(socket);
  if (p.plain !== undefined && !socket.destroyed) {
    if (!socket.push(Buffer.from(p.plain.buffer, p.plain.byteOffset, p.plain.length))) {
      transport?.pause();
    }
  }
  if (p.closed) onTransportEnd(socket);
}

function onSecure(socket) {
  const o = socket._tlsOptions;
  socket._info = tlsInfo(socket._session);
  socket.alpnProtocol = socket._info.alpn;
  let err = null;
  if (o.isServer) {
    socket.servername = socket._info.servername ?? false;
    if (o.requestCert) {
      if (socket._info.peerCertificates.length === 0)
        err = verifyError('UNABLE_TO_GET_ISSUER_CERT');
      else if (socket._info.verifyError !== null) err = verifyError(socket._info.verifyError);
    }
  } else if (!socket._fromConnect) {
    // A TLSSocket made by hand checks nothing and emits 'secure' (Node: the caller checks).
    socket._secure = true;
    flushQueued(socket);
    socket.emit('secure');
    return;
  } else if (socket._info.verifyError !== null) {
    err = verifyError(socket._info.verifyError);
  } else {
    const host = o.servername || o.host || 'localhost';
    const check = o.checkServerIdentity ?? checkServerIdentity;
    err = check(host, socket.getPeerCertificate(true)) ?? null;
  }
  // A server that asked for no certificate has authorized nobody (Node's `authorized` false).
  if (o.isServer && !o.requestCert) err ??= false;
  socket.authorized = err === null;
  socket.authorizationError = err ? (err.code ?? err.message) : null;
  const reject = o.rejectUnauthorized !== false && (!o.isServer || o.requestCert);
  if (err && reject) {
    socket.destroy(err);
    return;
  }
  socket._secure = true;
  flushQueued(socket);
  if (o.isServer) {
    socket.emit('secure');
    socket.server?.emit('secureConnection', socket);
  } else {
    socket.emit('secureConnect');
  }
}

function flushQueued(socket) {
  while (socket._queued.length > 0) {
    const w = ArrayPrototypeShift(socket._queued);
    w();
  }
}

proto._write = function (chunk, encoding, cb) {
  if (this._transport === undefined)
    return FunctionPrototypeCall(SocketProto._write, this, chunk, encoding, cb);
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
  if (!this._secure) {
    ArrayPrototypePush(this._queued, () => this._write(bytes, encoding, cb));
    return;
  }
  const p = tlsWrite(this._session, bytes);
  this._bytesWritten += bytes.length;
  this._touch();
  if (p.error !== undefined) return cb(new ErrorCtor(p.error));
  if (p.out === undefined || !canWrite(this._transport)) return cb();
  // Done once the transport took it (Node's TLSWrap completes writes into its stream); the
  // transport's own high-water mark is the backpressure.
  if (this._transport.write(p.out)) cb();
  else this._transport.once('drain', () => cb());
};

proto._read = function () {
  if (this._transport === undefined) return FunctionPrototypeCall(SocketProto._read, this);
  if (this._transport.isPaused()) this._transport.resume();
};

proto._final = function (cb) {
  if (this._transport === undefined) return FunctionPrototypeCall(SocketProto._final, this, cb);
  if (!this._secure) {
    ArrayPrototypePush(this._queued, () => this._final(cb));
    return;
  }
  const p = tlsClose(this._session);
  if (p.out !== undefined && canWrite(this._transport)) this._transport.write(p.out);
  if (canWrite(this._transport)) this._transport.end();
  cb();
};

proto._destroy = function (err, cb) {
  if (this._transport === undefined)
    return FunctionPrototypeCall(SocketProto._destroy, this, err, cb);
  if (this._timer !== null) clearTimeout(this._timer);
  this.connecting = false;
  // A transport this socket ended closes gracefully (net's _destroy): the last records and
  // close_notify still go out.
  if (!this._transport.destroyed) this._transport.destroy();
  destroyed(this, err, cb);
};

for (const name of ['ref', 'unref', 'setNoDelay', 'setKeepAlive']) {
  const base = SocketProto[name];
  proto[name] = function (...args) {
    if (this._transport === undefined) return FunctionPrototypeCall(base, this, ...args);
    if (typeof this._transport[name] === 'function') this._transport[name](...args);
    return this;
  };
}

/**
 * `tlsSocket.connect(...)` on a TLSSocket made by hand: a plain socket under it, the handshake
 * once it connects (the sidecar's TLS client is only for `tls.connect`).
 */
proto.connect = function (...args) {
  if (this._transport !== undefined || this._tlsServerName !== undefined) {
    return FunctionPrototypeCall(SocketProto.connect, this, ...args);
  }
  const transport = new Socket({ allowHalfOpen: this.allowHalfOpen });
  this._attach(transport);
  transport.once('connect', () => this._start());
  transport.connect(...args);
  return this;
};

proto.address = function () {
  if (this._transport === undefined || typeof this._transport.address !== 'function') {
    return FunctionPrototypeCall(SocketProto.address, this);
  }
  return this._transport.address();
};

function legacy(der, detailed, rest) {
  const cert = new X509Certificate(der).toLegacyObject();
  if (detailed) {
    const next = rest.length > 0 ? legacy(rest[0], true, rest.slice(1)) : cert;
    cert.issuerCertificate = next;
  }
  return cert;
}

proto.getPeerCertificate = function (detailed) {
  if (this._info === null) return this._transport === undefined && this.authorized ? {} : null;
  const certs = this._info.peerCertificates;
  if (certs.length === 0) return {};
  return legacy(certs[0], detailed === true, certs.slice(1));
};

proto.getPeerX509Certificate = function () {
  const certs = this._info?.peerCertificates;
  return certs && certs.length > 0 ? new X509Certificate(certs[0]) : undefined;
};

proto.getProtocol = function () {
  return this._info?.protocol ?? null;
};

// OpenSSL's names for the suites rustls offers.
const CIPHER_NAMES = {
  __proto__: null,
  TLS13_AES_256_GCM_SHA384: 'TLS_AES_256_GCM_SHA384',
  TLS13_AES_128_GCM_SHA256: 'TLS_AES_128_GCM_SHA256',
  TLS13_CHACHA20_POLY1305_SHA256: 'TLS_CHACHA20_POLY1305_SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
};

proto.getCipher = function () {
  const standard = this._info?.cipher;
  if (!standard) return null;
  const version = StringPrototypeStartsWith(standard, 'TLS13_') ? 'TLSv1.3' : 'TLSv1.2';
  const name = CIPHER_NAMES[standard] ?? standard;
  const standardName = StringPrototypeStartsWith(standard, 'TLS13_') ? name : standard;
  return { name, standardName, version };
};

export function getCiphers() {
  const out = [];
  for (const key in CIPHER_NAMES)
    ArrayPrototypePush(out, StringPrototypeToLowerCase(CIPHER_NAMES[key]));
  return out.sort();
}

proto.getCertificate = function () {
  return null;
};
proto.getSession = function () {
  return undefined;
};
proto.isSessionReused = function () {
  return false;
};
proto.getTLSTicket = function () {
  return undefined;
};
proto.getEphemeralKeyInfo = function () {
  return this._tlsOptions.isServer ? null : {};
};
proto.getFinished = function () {
  return undefined;
};
proto.getPeerFinished = function () {
  return undefined;
};
proto.getSharedSigalgs = function () {
  return [];
};
proto.setMaxSendFragment = function () {
  return true;
};
proto.setServername = function (name) {
  if (typeof name !== 'string') {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_TYPE',
      `The "name" argument must be of type string.`,
    );
  }
  this._tlsOptions.servername = name;
};
proto.enableTrace = function () {};
proto.disableRenegotiation = function () {};
proto.renegotiate = function (_options, cb) {
  const err = makeNodeError(
    ErrorCtor,
    'ERR_TLS_RENEGOTIATION_DISABLED',
    'TLS session renegotiation disabled for this socket',
  );
  if (typeof cb === 'function') nextTick(cb, err);
  return false;
};

/** `tls.connect(options[, cb])`, `(port[, host][, options][, cb])`, `(path[, options][, cb])`. */
export function tlsConnect(...args) {
  let options = {};
  let cb;
  let i = 0;
  if (args[i] !== null && typeof args[i] === 'object') options = { ...args[i++] };
  else {
    if (isPipeName(args[i])) options.path = args[i++];
    else if (args[i] !== undefined && typeof args[i] !== 'function') options.port = args[i++];
    if (typeof args[i] === 'string') options.host = args[i++];
    if (args[i] !== null && typeof args[i] === 'object') options = { ...args[i++], ...options };
  }
  if (typeof args[i] === 'function') cb = args[i];
  if (options.rejectUnauthorized === undefined) {
    options.rejectUnauthorized = processObject.env.NODE_TLS_REJECT_UNAUTHORIZED !== '0';
  }
  const socket = new TLSSocket(options.socket, { ...options, isServer: false });
  socket._fromConnect = true;
  if (cb) socket.once('secureConnect', cb);
  if (options.timeout) socket.setTimeout(options.timeout);
  // A Unix socket (`path`, which wins over a port, as Node's) is always one of the exec's own.
  const pipe = typeof options.path === 'string' && options.path !== '';
  if (!options.socket && !pipe && !netIsVirtual(options.host ?? 'localhost', options.port)) {
    // The sidecar's own TLS client: verified against its roots, whatever the options say.
    socket._tlsServerName = options.servername === undefined ? '' : `${options.servername}`;
    return socket.connect({ port: options.port, host: options.host });
  }
  if (!options.socket) {
    const transport = new Socket({ allowHalfOpen: options.allowHalfOpen });
    socket._attach(transport);
    transport.connect(
      pipe ? { path: options.path } : { port: options.port, host: options.host ?? 'localhost' },
    );
    transport.once('connect', () => socket._start());
  } else if (options.socket.connecting) {
    options.socket.once('connect', () => socket._start());
  } else {
    nextTick(() => socket._start());
  }
  return socket;
}
