// lib/internal__net_socket.js: `net.Socket` clients over the sidecar's network (native
// `netConnect`): a Duplex whose reads credit the network as the guest takes them and whose writes
// wait for `drain` past the high-water mark. The connection is checked against the exec's policy
// (scheme `tcp`) by the sidecar; a denial is an `error` with code ECONNREFUSED naming the rule.
// A server's accepted connections are Sockets too (`attachAccepted`, see internal__net_server.js).
import { bridge } from 'agentos:bridge';
import {
  ArrayIsArray,
  ArrayPrototypePush,
  ErrorCtor,
  FunctionPrototypeCall,
  NumberCtor,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  RangeErrorCtor,
  ReflectApply,
  StringPrototypeIncludes,
} from '../js/00_primordials.js';
import { nextTick } from '../js/21_ticks.js';
import { clearTimeout, setTimeout } from '../js/24_timers.js';
import { netTrack } from '../js/29_net.js';
import { Buffer } from './buffer.js';
import { ipBlocked, isBlocked, validateBlockList } from './internal__blocklist.js';
import { lookup } from './internal__dns_lookup.js';
import { connectPipe, isPipeName } from './internal__net_pipe.js';
import { getDefaultAutoSelectFamily, isIP } from './internal__net_values.js';
import { asChunk } from './internal__stream_core.js';
import { Duplex } from './internal__stream_duplex.js';

const netConnect = bridge.netConnect;
const netWrite = bridge.netWrite;
const netEnd = bridge.netEnd;
const netConsume = bridge.netConsume;
const netCancel = bridge.netCancel;
const netFinish = bridge.netFinish;
const netRef = bridge.netRef;

const HIGH_WATER = 64 << 10;

function socketError(failure) {
  const err = new ErrorCtor(failure.message);
  err.code = failure.code;
  if (failure.code === 'ECONNREFUSED' || failure.code === 'ETIMEDOUT') err.syscall = 'connect';
  if (failure.code === 'ENOTFOUND') err.syscall = 'getaddrinfo';
  return err;
}

export function Socket(options) {
  if (!(this instanceof Socket)) return new Socket(options);
  const opts = options ?? {};
  FunctionPrototypeCall(Duplex, this, {
    allowHalfOpen: opts.allowHalfOpen === true,
    highWaterMark: opts.highWaterMark,
    // 'close' is emitted by _destroy, with Node's hadError argument.
    emitClose: false,
  });
  this._id = undefined;
  this._unconsumed = 0;
  this._drainCb = null;
  this._timer = null;
  this._timeoutMs = 0;
  this._refed = true;
  this.connecting = false;
  this.remoteAddress = undefined;
  this.remotePort = undefined;
  this.remoteFamily = undefined;
  this.localAddress = undefined;
  this.localPort = undefined;
  this.bytesRead = 0;
  this._bytesWritten = 0;
  this.blockList = validateBlockList(opts.blockList, 'options.blockList');
}
ObjectSetPrototypeOf(Socket.prototype, Duplex.prototype);
ObjectSetPrototypeOf(Socket, Duplex);

const proto = Socket.prototype;

ObjectDefineProperty(proto, 'bytesWritten', {
  get() {
    return this._bytesWritten;
  },
  configurable: true,
});
ObjectDefineProperty(proto, 'pending', {
  get() {
    return this._id === undefined || this.connecting;
  },
  configurable: true,
});
ObjectDefineProperty(proto, 'readyState', {
  get() {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable) return 'readOnly';
    if (this.writable) return 'writeOnly';
    return 'closed';
  },
  configurable: true,
});

/** `(port, host, cb)` or `(options, cb)` as Node normalizes them. */
function connectArgs(args) {
  let options = args[0];
  let cb = args[1];
  if (isPipeName(options)) {
    options = { path: args[0] };
  } else if (options === null || typeof options !== 'object') {
    options = { port: args[0] };
    if (typeof args[1] === 'string') {
      options.host = args[1];
      cb = args[2];
    }
  }
  return { options, cb: typeof cb === 'function' ? cb : undefined };
}

proto.connect = function (...args) {
  const { options, cb } = connectArgs(args);
  if (typeof options.path === 'string' && options.path !== '') {
    if (cb) this.once('connect', cb);
    return connectToPath(this, options.path);
  }
  const port = NumberCtor(options.port);
  if (!(port >= 0 && port <= 65535) || `${options.port}` === '') {
    const err = new RangeErrorCtor(`Port should be >= 0 and < 65536. Received ${options.port}.`);
    err.code = 'ERR_SOCKET_BAD_PORT';
    throw err;
  }
  const host = options.host === undefined ? 'localhost' : `${options.host}`;
  if (cb) this.once('connect', cb);
  this.connecting = true;
  if (this.blockList === undefined) return openConnection(this, host, port);
  unblockedAddress(this.blockList, host, options, (err, address) => {
    if (err) this.destroy(err);
    else if (!this.destroyed) openConnection(this, address, port);
  });
  return this;
};

/** `connect({ path })`: a Unix socket (internal__net_pipe.js); connected on its event. */
function connectToPath(socket, path) {
  socket.connecting = true;
  socket._pipePath = path;
  const id = connectPipe(path);
  if (typeof id !== 'number') {
    nextTick(() => socket.destroy(id));
    return socket;
  }
  return track(socket, id);
}

function track(socket, id) {
  socket._id = id;
  if (!socket._refed) netRef(id, false);
  netTrack(id, (kind, value) => onEvent(socket, kind, value), socket, 'TCPSocketWrap');
  return socket;
}

function openConnection(socket, host, port) {
  const tls = socket._tlsServerName;
  const id = netConnect(host, port, tls === undefined ? undefined : tls);
  if (typeof id !== 'number') {
    const err = socketError(id);
    nextTick(() => socket.destroy(err));
    return socket;
  }
  return track(socket, id);
}

/**
 * For a socket with a blockList: `host` resolved (by `options.lookup` when given, as Node) to
 * the first address the list does not hold, which is then what the socket connects to (so the
 * address checked is the address used); ERR_IP_BLOCKED when it holds them all.
 */
function unblockedAddress(blockList, host, options, done) {
  const resolve = typeof options.lookup === 'function' ? options.lookup : lookup;
  const all = options.autoSelectFamily ?? getDefaultAutoSelectFamily();
  const answer = (err, address, family) => {
    if (err) return done(err);
    const list = ArrayIsArray(address) ? address : [{ address, family }];
    for (let i = 0; i < list.length; i++) {
      if (!isBlocked(blockList, list[i].address)) return done(null, list[i].address);
    }
    done(ipBlocked(list.length === 0 ? host : list[0].address));
  };
  if (isIP(host) !== 0) return nextTick(answer, null, host, isIP(host));
  resolve(
    host,
    { family: options.family ?? 0, hints: options.hints ?? 0, all: all === true },
    answer,
  );
}

/**
 * Makes `socket` the server side of accepted socket operation `value.id` (`netListen`'s
 * `accepted` event): connected at once, driven by the same events as a client.
 */
export function attachAccepted(socket, value) {
  socket._id = value.id;
  setAddresses(socket, value);
  netTrack(value.id, (kind, v) => onEvent(socket, kind, v), socket, 'TCPSocketWrap');
}

/** The addresses of a connected socket; a Unix socket's (`{ pipe: true }`) has none, as Node's. */
function setAddresses(socket, value) {
  if (value.pipe === true) return;
  socket.remoteAddress = value.remoteAddress;
  socket.remotePort = value.remotePort;
  socket.remoteFamily = StringPrototypeIncludes(value.remoteAddress, ':') ? 'IPv6' : 'IPv4';
  socket.localAddress = value.localAddress;
  socket.localPort = value.localPort;
}

function onEvent(socket, kind, value) {
  if (kind === 'connected') {
    socket.connecting = false;
    setAddresses(socket, value);
    socket._touch();
    socket.emit('connect');
    socket.emit('ready');
    if (socket._tlsServerName !== undefined) {
      socket.authorized = true;
      socket.emit('secureConnect');
    }
    if (socket._pendingWrite) {
      const pending = socket._pendingWrite;
      socket._pendingWrite = null;
      pending();
    }
  } else if (kind === 'data') {
    socket._touch();
    socket.bytesRead += value.length;
    socket._unconsumed += value.length;
    socket.push(asChunk(value));
  } else if (kind === 'end') {
    socket._peerEnded = true;
    // As a libuv handle that read EOF: no longer keeps the loop alive (writes still go out).
    if (socket._id !== undefined) netRef(socket._id, false);
    socket.push(null);
    // As Node's onStreamRead at EOF: 'end' comes even when nobody reads (nothing is buffered).
    socket.read(0);
  } else if (kind === 'drain') {
    const cb = socket._drainCb;
    socket._drainCb = null;
    if (cb) cb();
  } else if (kind === 'done') {
    const cb = socket._drainCb;
    socket._drainCb = null;
    if (cb) cb();
    socket._id = undefined;
    if (value !== null && value.code !== 'ABORT_ERR') socket.destroy(socketError(value));
    else if (!socket.destroyed) {
      socket.push(null);
      socket.destroy();
    }
  }
}

proto._touch = function () {
  if (this._timeoutMs > 0) this.setTimeout(this._timeoutMs);
};

proto._read = function () {
  if (this._id !== undefined && this._unconsumed > 0) {
    netConsume(this._id, this._unconsumed);
    this._unconsumed = 0;
  }
};

proto._write = function (chunk, encoding, cb) {
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
  if (this.connecting) {
    this._pendingWrite = () => this._write(bytes, encoding, cb);
    return;
  }
  if (this._id === undefined) {
    const err = new ErrorCtor('This socket is closed');
    err.code = 'ERR_SOCKET_CLOSED';
    return cb(err);
  }
  const queued = netWrite(this._id, bytes);
  if (typeof queued !== 'number') return cb(socketError(queued));
  this._bytesWritten += bytes.length;
  this._touch();
  if (queued > HIGH_WATER) this._drainCb = cb;
  else cb();
};

// Corked or queued writes go out as one (Node's socket writes them with one writev).
proto._writev = function (chunks, cb) {
  const list = [];
  for (let i = 0; i < chunks.length; i++) {
    const { chunk, encoding } = chunks[i];
    ArrayPrototypePush(list, typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
  }
  this._write(Buffer.concat(list), 'buffer', cb);
};

// What waits to be written, as Node's `socket.bufferSize` (its `writableLength`).
ObjectDefineProperty(proto, 'bufferSize', {
  get() {
    return this._id === undefined && !this.connecting ? undefined : this.writableLength;
  },
  configurable: true,
});

proto._final = function (cb) {
  if (this.connecting) {
    this._pendingWrite = () => this._final(cb);
    return;
  }
  if (this._id !== undefined) {
    netEnd(this._id);
    this._sentEnd = true;
  }
  cb();
};

proto._destroy = function (err, cb) {
  if (this._timer !== null) clearTimeout(this._timer);
  // A socket closed cleanly both ways ends on its own `done`, once its queued writes are sent;
  // cancelling it would drop them. One the guest ended and then destroyed closes gracefully
  // (as a closed fd: what was written still goes out) without keeping the loop alive.
  const clean = !err && this._sentEnd === true && this._peerEnded === true;
  const ended = !err && (this._sentEnd === true || this.writableEnded);
  if (this._id !== undefined && !clean) {
    if (ended) {
      netRef(this._id, false);
      netFinish(this._id);
    } else {
      netCancel(this._id);
    }
  }
  this.connecting = false;
  destroyed(this, err, cb);
};

/**
 * Ends a socket's _destroy: `cb(err)`, then 'close' with Node's hadError argument (the stream
 * itself emits none: `emitClose: false`), after the 'error' `cb` queues, as Node's handle close.
 */
export function destroyed(socket, err, cb) {
  cb(err);
  nextTick(() => socket.emit('close', !!err));
}

proto.setTimeout = function (ms, cb) {
  if (cb) this.once('timeout', cb);
  if (this._timer !== null) clearTimeout(this._timer);
  this._timer = null;
  this._timeoutMs = ms;
  if (ms > 0) {
    this._timer = setTimeout(() => this.emit('timeout'), ms);
    this._timer.unref();
  }
  return this;
};
proto.setNoDelay = function () {
  return this;
};
proto.setKeepAlive = function () {
  return this;
};
proto.address = function () {
  if (this.localAddress === undefined) return {};
  const family = StringPrototypeIncludes(this.localAddress, ':') ? 'IPv6' : 'IPv4';
  return { address: this.localAddress, family, port: this.localPort };
};
addNetRef(proto);
proto.resetAndDestroy = function () {
  return this.destroy();
};

/**
 * `ref()`/`unref()` for a class whose instances hold their network operation in `_id` (sockets,
 * servers): a ref'd operation keeps the exec's loop alive.
 */
export function addNetRef(target) {
  target.ref = function () {
    this._refed = true;
    if (this._id !== undefined) netRef(this._id, true);
    return this;
  };
  target.unref = function () {
    this._refed = false;
    if (this._id !== undefined) netRef(this._id, false);
    return this;
  };
}

/** `net.connect` / `net.createConnection`. */
export function connect(...args) {
  const { options } = connectArgs(args);
  const socket = new Socket(options);
  if (options.timeout) socket.setTimeout(options.timeout);
  return ReflectApply(socket.connect, socket, args);
}
