// lib/internal__tls_server.js: `tls.Server`/`createServer` and secure contexts. A TLS server is
// a `net.Server` (virtual ports, internal__net_server.js) whose connections are wrapped in
// server-side TLSSockets; each emits `secureConnection` once its handshake is over, or the
// server `tlsClientError` when it fails. The key and certificate are checked when the context
// is made (a bad pair throws from `createServer`, as Node's does).
import { bridge } from 'agentos:bridge';
import {
  ArrayBufferIsView,
  ArrayIsArray,
  ErrorCtor,
  FunctionPrototypeCall,
  ObjectSetPrototypeOf,
  ReflectApply,
  SymbolFor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { clearTimeout, setTimeout } from '../js/24_timers.js';
import { NetServer } from './internal__net_server.js';
import { alpnList, pemBytes, pemList, TLSSocket } from './internal__tls_socket.js';

const tlsServerContext = bridge.tlsServerContext;

function checkPemOption(options, name) {
  const value = options[name];
  if (value === undefined || value === null || value === false) return;
  const ok = (v) =>
    typeof v === 'string' ||
    ArrayBufferIsView(v) ||
    (v !== null && typeof v === 'object' && v.pem !== undefined);
  const list = ArrayIsArray(value) ? value : [value];
  for (let i = 0; i < list.length; i++) {
    if (!ok(list[i])) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_TYPE',
        `The "options.${name}" property must be of type string or an instance of Buffer, TypedArray, or DataView.`,
      );
    }
  }
}

/** What `tls.createSecureContext(options)` returns: the options, and a server context on use. */
export function SecureContext(options) {
  if (!(this instanceof SecureContext)) return new SecureContext(options);
  const o = options ?? {};
  for (const name of ['key', 'cert', 'ca']) checkPemOption(o, name);
  if (o.pfx !== undefined) {
    throw makeNodeError(
      ErrorCtor,
      'ERR_NOT_SUPPORTED_IN_SANDBOX',
      'PKCS#12 (pfx) is not supported in the agentOS sandbox: pass key and cert as PEM',
    );
  }
  this._options = { ca: o.ca, cert: o.cert, key: o.key };
  // A server's own options (tls.Server passes them; createSecureContext's callers do not).
  this._alpn = o.ALPNProtocols;
  this._requestCert = o.requestCert === true;
  this._server = undefined;
  this.context = {};
  // A key and certificate are checked now, as OpenSSL's SSL_CTX_use_PrivateKey does.
  if (o.key !== undefined && o.cert !== undefined) this._handle();
}

/** The native server context, made (and checked) once. */
SecureContext.prototype._handle = function () {
  if (this._server !== undefined) return this._server;
  const made = tlsServerContext({
    cert: pemBytes(this._options.cert),
    key: pemBytes(this._options.key),
    alpn: alpnList(this._alpn),
    requestCert: this._requestCert === true,
    ca: pemList(this._options.ca),
  });
  if (!(made instanceof ArrayBuffer)) {
    // OpenSSL's errors are plain Errors with a code (`Error: error:...`), not Node's.
    const err = new ErrorCtor(made.message);
    err.code = made.code;
    throw err;
  }
  this._server = made;
  return made;
};

export function createSecureContext(options) {
  return new SecureContext(options);
}

export function TlsServer(options, listener) {
  if (!(this instanceof TlsServer)) return new TlsServer(options, listener);
  if (typeof options === 'function') {
    listener = options;
    options = {};
  } else if (options === undefined || options === null) {
    options = {};
  } else if (typeof options !== 'object' || ArrayIsArray(options)) {
    throw makeInvalidArgType('options', 'object', options);
  }
  FunctionPrototypeCall(NetServer, this, options);
  this._tlsOptions = options;
  this.requestCert = options.requestCert === true;
  this.rejectUnauthorized = options.rejectUnauthorized !== false;
  this.ALPNProtocols = options.ALPNProtocols;
  this.setSecureContext(options);
  if (typeof listener === 'function') this.on('secureConnection', listener);
  this.on('connection', (raw) => wrapConnection(this, raw));
}
ObjectSetPrototypeOf(TlsServer.prototype, NetServer.prototype);
ObjectSetPrototypeOf(TlsServer, NetServer);

// captureRejections: as net's, for 'secureConnection' (Node's tls.Server).
TlsServer.prototype[SymbolFor('nodejs.rejection')] = function (err, event, sock) {
  if (event === 'secureConnection') sock.destroy(err);
  else ReflectApply(NetServer.prototype[SymbolFor('nodejs.rejection')], this, [err, event, sock]);
};

TlsServer.prototype.setSecureContext = function (options) {
  const context = new SecureContext(options);
  // Without a certificate Node's handshakes fail one by one; the context is checked when given.
  if (options.cert !== undefined || options.key !== undefined) context._handle();
  this._secureContext = context;
};

TlsServer.prototype.addContext = function () {};

function wrapConnection(server, raw) {
  const socket = new TLSSocket(raw, {
    isServer: true,
    server,
    secureContext: server._secureContext,
    requestCert: server.requestCert,
    rejectUnauthorized: server.rejectUnauthorized,
  });
  raw._tlsSocket = socket;
  socket.on('error', (err) => {
    if (!socket._secure) server.emit('tlsClientError', err, socket);
  });
  // A client that does not finish its handshake in time is dropped (Node's handshakeTimeout).
  const ms = server._tlsOptions.handshakeTimeout ?? 120000;
  if (ms > 0) {
    const timer = setTimeout(() => {
      if (socket._secure || socket.destroyed) return;
      const err = makeNodeError(ErrorCtor, 'ERR_TLS_HANDSHAKE_TIMEOUT', 'TLS handshake timeout');
      server.emit('tlsClientError', err, socket);
      socket.destroy();
    }, ms);
    timer.unref();
    socket.once('secure', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
  }
  try {
    socket._start();
  } catch (err) {
    server.emit('tlsClientError', err, socket);
    socket.destroy();
  }
}

export function createTlsServer(options, listener) {
  return new TlsServer(options, listener);
}
