// lib/internal__net_server.js: `net.Server` on the exec's virtual ports (native `netListen`). A
// port is a name in the exec's port registry, not a host socket: the guest itself, its child
// processes (`net.connect(port)`, `http.get('http://localhost:PORT')`) and the host (the
// sidecar's HttpRequest) can reach it; nothing on the real network can. Each connection arrives
// as an `accepted` event and becomes a `net.Socket` driven like a client's. A listening server
// keeps the event loop alive until `close()` or `unref()`.
import { bridge } from 'agentos:bridge';
import {
  ErrorCtor,
  FunctionPrototypeCall,
  NumberCtor,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  PromiseCtor,
  RangeErrorCtor,
  SetCtor,
  SetPrototypeAdd,
  SetPrototypeDelete,
  StringPrototypeCharCodeAt,
  StringPrototypeIncludes,
  SymbolAsyncDispose,
  SymbolFor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgValue, makeNodeError } from '../js/06_errors.js';
import { nextTick } from '../js/21_ticks.js';
import { netTrack } from '../js/29_net.js';
import { createEventsModule } from '../js/47_node_events.js';
import { isBlocked, validateBlockList } from './internal__blocklist.js';
import { isPipeName, listenPipe, releasePipe } from './internal__net_pipe.js';
import { addNetRef, attachAccepted, Socket } from './internal__net_socket.js';

const netListen = bridge.netListen;
const netEnd = bridge.netEnd;
const netCancel = bridge.netCancel;
const netRef = bridge.netRef;
const EventEmitter = createEventsModule();

function listenError(failure, address, port) {
  const err = new ErrorCtor(`listen ${failure.code}: address already in use ${address}:${port}`);
  if (failure.code !== 'EADDRINUSE') err.message = failure.message;
  err.code = failure.code;
  err.errno = failure.code === 'EADDRINUSE' ? -98 : undefined;
  err.syscall = 'listen';
  err.address = address;
  err.port = port;
  return err;
}

export function NetServer(options, connectionListener) {
  if (!(this instanceof NetServer)) return new NetServer(options, connectionListener);
  FunctionPrototypeCall(EventEmitter, this);
  if (typeof options === 'function') {
    connectionListener = options;
    options = {};
  } else if (options === undefined || options === null) {
    options = {};
  } else if (typeof options !== 'object') {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_TYPE',
      'The "options" argument must be of type object.',
    );
  }
  if (typeof connectionListener === 'function') this.on('connection', connectionListener);
  this.allowHalfOpen = options.allowHalfOpen === true;
  this.pauseOnConnect = options.pauseOnConnect === true;
  this.noDelay = options.noDelay === true;
  this.keepAlive = options.keepAlive === true;
  this.blockList = validateBlockList(options.blockList, 'options.blockList');
  this.maxConnections = undefined;
  this._id = undefined;
  this._port = null;
  this._host = null;
  this._refed = true;
  this._closing = false;
  this._connections = 0;
  this._sockets = new SetCtor();
}
ObjectSetPrototypeOf(NetServer.prototype, EventEmitter.prototype);
ObjectSetPrototypeOf(NetServer, EventEmitter);

const proto = NetServer.prototype;

// captureRejections: a rejected 'connection' listener destroys that socket with the error; any
// other event's becomes the server's 'error' (Node's net.Server).
proto[SymbolFor('nodejs.rejection')] = function (err, event, sock) {
  if (event === 'connection') sock.destroy(err);
  else this.emit('error', err);
};
ObjectDefineProperty(NetServer, 'name', { __proto__: null, value: 'Server' });

ObjectDefineProperty(proto, 'listening', {
  get() {
    return this._id !== undefined && !this._closing;
  },
  configurable: true,
});

/** `(port, host, backlog, cb)`, `(options, cb)`, `(cb)` as Node normalizes them. */
function listenArgs(args) {
  let cb;
  if (args.length > 0 && typeof args[args.length - 1] === 'function') cb = args[args.length - 1];
  const first = args[0];
  if (first !== null && typeof first === 'object') {
    if (first.fd !== undefined || first._handle !== undefined) return { unsupported: true, cb };
    const onPort = typeof first.port === 'number' || typeof first.port === 'string';
    if (!onPort && first.path !== undefined) {
      if (!first.path || !isPipeName(first.path)) throw makeInvalidArgValue('options', first);
      const chmod = first.readableAll === true || first.writableAll === true;
      return { path: first.path, chmod, options: first, cb };
    }
    return { port: first.port, host: first.host, reusePort: first.reusePort === true, cb };
  }
  if (isPipeName(first)) return { path: first, cb };
  const host = typeof args[1] === 'string' ? args[1] : undefined;
  return { port: typeof first === 'function' ? undefined : first, host, cb };
}

proto.listen = function (...args) {
  const parsed = listenArgs(args);
  if (parsed.path !== undefined) return listenOnPath(this, parsed);
  const { port: rawPort, host, cb, unsupported, reusePort } = parsed;
  if (unsupported) {
    const err = new ErrorCtor(
      'listening on a path, handle or fd is not supported in the agentOS sandbox',
    );
    err.code = 'ERR_NOT_SUPPORTED_IN_SANDBOX';
    throw err;
  }
  alreadyListening(this);
  const port = rawPort === undefined || rawPort === null ? 0 : NumberCtor(rawPort);
  if (
    !(port >= 0 && port <= 65535) ||
    port !== (port | 0) ||
    `${rawPort}` === '' ||
    typeof rawPort === 'boolean'
  ) {
    throw makeNodeError(
      RangeErrorCtor,
      'ERR_SOCKET_BAD_PORT',
      `options.port should be >= 0 and < 65536. Received ${typeof rawPort === 'string' ? `type string ('${rawPort}')` : rawPort}.`,
    );
  }
  if (cb) this.once('listening', cb);
  if (reusePort) {
    // Several listeners on one port (SO_REUSEPORT) have no meaning for a virtual port.
    const err = listenError(
      { code: 'ENOTSUP', message: 'listen ENOTSUP: reusePort is not supported' },
      host,
      port,
    );
    nextTick(() => this.emit('error', err));
    return this;
  }
  const address = host === undefined || host === null ? '::' : `${host}`;
  const started = netListen(port);
  if (typeof started !== 'object' || started === null || started.code !== undefined) {
    const err = listenError(started, address, port);
    nextTick(() => this.emit('error', err));
    return this;
  }
  startListening(this, started[0]);
  this._port = started[1];
  this._host = address === 'localhost' ? '127.0.0.1' : address;
  return this;
};

function alreadyListening(server) {
  if (server._id !== undefined) {
    throw makeNodeError(
      ErrorCtor,
      'ERR_SERVER_ALREADY_LISTEN',
      'Listen method has been called more than once without closing.',
    );
  }
}

/** The server listens on operation `id`: events tracked, 'listening' on the next tick. */
function startListening(server, id) {
  server._id = id;
  server._closing = false;
  server._pipeName = undefined;
  server._pipe = undefined;
  if (!server._refed) netRef(id, false);
  netTrack(id, (kind, value) => onEvent(server, kind, value), server, 'TCPServerWrap');
  nextTick(() => {
    if (server._id !== undefined) server.emit('listening');
  });
}

/** `listen(path)`, `listen({ path })`: a Unix socket (internal__net_pipe.js). */
function listenOnPath(server, { path, chmod, options, cb }) {
  if (chmod && StringPrototypeCharCodeAt(path, 0) === 0) {
    // Node's message, typo and all.
    const reason =
      'can not set readableAll or writableAllt to true when path is abstract unix socket';
    throw makeInvalidArgValue('options', options, reason);
  }
  alreadyListening(server);
  if (cb) server.once('listening', cb);
  const started = listenPipe(path);
  if (started instanceof ErrorCtor) {
    nextTick(() => server.emit('error', started));
    return server;
  }
  startListening(server, started.id);
  server._pipeName = path;
  server._pipe = started;
  return server;
}

function onEvent(server, kind, value) {
  if (kind === 'accepted') {
    // As Node: a peer the server's blockList holds is closed before it is a connection.
    if (server._closing || isBlocked(server.blockList, value.remoteAddress)) {
      netCancel(value.id);
      return;
    }
    const socket = new Socket({ allowHalfOpen: server.allowHalfOpen });
    attachAccepted(socket, value);
    if (server.maxConnections !== undefined && server._connections >= server.maxConnections) {
      server.emit('drop', {
        localAddress: value.localAddress,
        localPort: value.localPort,
        remoteAddress: value.remoteAddress,
        remotePort: value.remotePort,
      });
      socket.destroy();
      return;
    }
    server._connections++;
    SetPrototypeAdd(server._sockets, socket);
    socket.server = server;
    socket._server = server;
    socket.once('close', () => {
      server._connections--;
      SetPrototypeDelete(server._sockets, socket);
      maybeClosed(server);
    });
    if (server.pauseOnConnect) socket.pause();
    server.emit('connection', socket);
  } else if (kind === 'done') {
    server._id = undefined;
    // The listener ended by itself (the exec's network closed): its name went with it.
    if (server._pipe !== undefined) releasePipe({ key: undefined, file: server._pipe.file });
    server._pipe = undefined;
    if (value !== null && !server._closing) {
      const err = new ErrorCtor(value.message);
      err.code = value.code;
      server.emit('error', err);
    }
    server._closing = true;
    maybeClosed(server);
  }
}

function maybeClosed(server) {
  if (!server._closing || server._id !== undefined || server._connections > 0) return;
  if (server._closeEmitted) return;
  server._closeEmitted = true;
  nextTick(() => server.emit('close'));
}

proto.address = function () {
  if (this._id === undefined || this._closing) return null;
  if (this._pipeName !== undefined) return this._pipeName;
  const family = StringPrototypeIncludes(this._host, ':') ? 'IPv6' : 'IPv4';
  return { address: this._host, family, port: this._port };
};

proto.close = function (cb) {
  if (typeof cb === 'function') {
    if (this._id === undefined || this._closing) {
      this.once('close', () => {
        cb(makeNodeError(ErrorCtor, 'ERR_SERVER_NOT_RUNNING', 'Server is not running.'));
      });
    } else {
      this.once('close', cb);
    }
  }
  if (this._id !== undefined && !this._closing) {
    this._closing = true;
    this._closeEmitted = false;
    if (this._pipe !== undefined) releasePipe(this._pipe);
    this._pipe = undefined;
    netEnd(this._id);
  } else if (this._id === undefined && this._connections === 0) {
    nextTick(() => this.emit('close'));
  }
  return this;
};

proto[SymbolAsyncDispose] = function () {
  return new PromiseCtor((resolve) => {
    if (this._id === undefined) resolve();
    else this.close(() => resolve());
  });
};

proto.getConnections = function (cb) {
  const n = this._connections;
  if (typeof cb === 'function') nextTick(cb, null, n);
  return this;
};

addNetRef(proto);

/** `net.createServer([options], [connectionListener])`. */
export function createNetServer(options, connectionListener) {
  return new NetServer(options, connectionListener);
}
