// lib/internal__dgram_socket.js: `dgram.Socket` on the exec's virtual UDP network (natives
// `udpBind`/`udpSend`, net/src/udp.rs). A socket binds a virtual UDP port of the exec; a
// datagram sent to a loopback address reaches the socket bound on that port in any guest of the
// exec, whole, or is dropped as UDP drops it (nothing bound there, its queue full). Nothing
// reaches the real network: a send or connect elsewhere fails with ERR_NOT_SUPPORTED_IN_SANDBOX.
// The states, queueing and argument rules are Node's (lib/dgram.js): `send` before `bind` binds
// to a free port first; `send`/`connect` during a bind wait for it; a bound socket keeps the
// loop alive until `close()` or `unref()`.
import { bridge } from 'agentos:bridge';
import {
  ArrayPrototypePush,
  FunctionPrototypeCall,
  ObjectSetPrototypeOf,
  PromiseCtor,
  SymbolAsyncDispose,
  SymbolCtor,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeSet,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType } from '../js/06_errors.js';
import { nextTick } from '../js/21_ticks.js';
import { netTrack } from '../js/29_net.js';
import { createEventsModule } from '../js/47_node_events.js';
import { lazyBuiltinModule } from '../js/49_lazy.js';
import { ipBlocked, isBlocked, validateBlockList } from './internal__blocklist.js';
import { toBuffer } from './internal__crypto_util.js';
import {
  errnoError,
  hostPortError,
  isConnected,
  isLocalAddress,
  messageList,
  notConnected,
  notRunning,
  sliceBuffer,
  socketError,
  socketType,
  unreachable,
  validatePort,
  validateString,
} from './internal__dgram_values.js';
import { validateAbortSignal } from './internal__event_target.js';

const udpBind = bridge.udpBind;
const udpSend = bridge.udpSend;
const netCancel = bridge.netCancel;
const netConsume = bridge.netConsume;
const netRef = bridge.netRef;
const EventEmitter = createEventsModule();

const UNBOUND = 0;
const BINDING = 1;
const BOUND = 2;
const DISCONNECTED = 0;
const CONNECTING = 1;
const CONNECTED = 2;
/** The largest payload: 65 535 less the IP and UDP headers. */
const MAX_PAYLOAD = { udp4: 65507, udp6: 65527 };

export const kState = SymbolCtor('state symbol');
const socketChannel = lazyBuiltinModule('diagnostics_channel').channel('udp.socket');

function lookupWith(socket, address, callback) {
  const state = socket[kState];
  const fallback = socket.type === 'udp4' ? '127.0.0.1' : '::1';
  const family = socket.type === 'udp4' ? 4 : 6;
  const lookup = state.lookup ?? lazyBuiltinModule('dns').lookup;
  return lookup(address || fallback, family, callback);
}

export function Socket(type, listener) {
  FunctionPrototypeCall(EventEmitter, this);
  let options;
  if (type !== null && typeof type === 'object') {
    options = type;
    type = options.type;
  }
  socketType(type);
  if (options?.lookup !== undefined && typeof options.lookup !== 'function') {
    throw makeInvalidArgType('lookup', 'function', options.lookup);
  }
  const sizes = ['recvBufferSize', 'sendBufferSize'];
  for (let i = 0; i < sizes.length; i++) {
    const size = options?.[sizes[i]];
    if (size !== undefined && typeof size !== 'number') {
      throw makeInvalidArgType(`options.${sizes[i]}`, 'number', size);
    }
  }
  this.type = type;
  if (typeof listener === 'function') this.on('message', listener);
  this[kState] = {
    open: true,
    id: undefined,
    refed: true,
    receiving: false,
    bindState: UNBOUND,
    connectState: DISCONNECTED,
    queue: undefined,
    local: undefined,
    remote: undefined,
    lookup: options?.lookup,
    reuseAddr: options?.reuseAddr,
    reusePort: options?.reusePort,
    ipv6Only: options?.ipv6Only,
    recvBufferSize: options?.recvBufferSize || 0,
    sendBufferSize: options?.sendBufferSize || 0,
    ttl: 64,
    sendBlockList: validateBlockList(options?.sendBlockList, 'options.sendBlockList'),
    receiveBlockList: validateBlockList(options?.receiveBlockList, 'options.receiveBlockList'),
  };
  if (options?.signal !== undefined) watchSignal(this, options.signal);
  if (socketChannel.hasSubscribers) socketChannel.publish({ socket: this });
}
ObjectSetPrototypeOf(Socket.prototype, EventEmitter.prototype);
ObjectSetPrototypeOf(Socket, EventEmitter);

function watchSignal(socket, signal) {
  validateAbortSignal(signal, 'options.signal');
  const onAborted = () => {
    if (socket[kState].open) socket.close();
  };
  if (signal.aborted) {
    onAborted();
    return;
  }
  signal.addEventListener('abort', onAborted, { once: true });
  socket.once('close', () => signal.removeEventListener('abort', onAborted));
}

export function healthCheck(socket) {
  if (!socket[kState].open) throw notRunning();
}

const proto = Socket.prototype;

proto.bind = function (port_, address_ /* , callback */) {
  let port = port_;
  healthCheck(this);
  const state = this[kState];
  if (state.bindState !== UNBOUND) {
    throw socketError('ERR_SOCKET_ALREADY_BOUND', 'Socket is already bound');
  }
  state.bindState = BINDING;
  const last = arguments.length > 0 ? arguments[arguments.length - 1] : undefined;
  const cb = typeof last === 'function' ? last : undefined;
  if (cb) this.once('listening', cb);
  let address;
  if (port !== null && typeof port === 'object') {
    if (typeof port.fd === 'number' && port.fd > 0) {
      state.bindState = UNBOUND;
      throw socketError(
        'ERR_NOT_SUPPORTED_IN_SANDBOX',
        'dgram: binding to a file descriptor is not supported in the agentOS sandbox',
      );
    }
    address = port.address || '';
    port = port.port;
  } else {
    address = typeof address_ === 'function' ? '' : address_;
  }
  if (!address) address = this.type === 'udp4' ? '0.0.0.0' : '::';
  lookupWith(this, address, (err, ip) => {
    if (!state.open) return;
    if (err) {
      bindFailed(this, cb, err);
      return;
    }
    bindResolved(this, ip, port, cb);
  });
  return this;
};

// A failed bind drops its callback, so a socket that retries does not pile up listeners.
function bindFailed(socket, cb, err) {
  socket[kState].bindState = UNBOUND;
  if (cb) socket.removeListener('listening', cb);
  socket.emit('error', err);
}

function bindResolved(socket, ip, port, cb) {
  const state = socket[kState];
  const wanted = port >>> 0;
  let failure = isLocalAddress(ip) ? undefined : 'EADDRNOTAVAIL';
  if (state.reusePort) {
    // Several sockets on one port (SO_REUSEPORT) have no meaning for a virtual port.
    bindFailed(socket, cb, socketError('ENOTSUP', 'bind ENOTSUP: reusePort is not supported'));
    return;
  }
  let bound;
  if (failure === undefined) {
    bound = wanted > 0xffff ? { code: 'EINVAL' } : udpBind(wanted);
    if (!ArrayIsArrayLike(bound)) failure = bound.code === 'EADDRINUSE' ? 'EADDRINUSE' : bound.code;
  }
  if (failure !== undefined) {
    const err =
      failure === 'EADDRINUSE' || failure === 'EADDRNOTAVAIL' || failure === 'EINVAL'
        ? hostPortError(failure, 'bind', ip, port)
        : socketError(failure, bound.message);
    bindFailed(socket, cb, err);
    return;
  }
  state.id = bound[0];
  state.local = { address: ip, family: socket.type === 'udp4' ? 'IPv4' : 'IPv6', port: bound[1] };
  if (!state.refed) netRef(state.id, false);
  netTrack(state.id, (kind, value) => onEvent(socket, kind, value));
  state.receiving = true;
  state.bindState = BOUND;
  socket.emit('listening');
}

function ArrayIsArrayLike(value) {
  return typeof value === 'object' && value !== null && value.length === 2;
}

function onEvent(socket, kind, value) {
  const state = socket[kState];
  if (kind === 'message') {
    const bytes = value[1];
    const size = TypedArrayPrototypeGetByteLength(bytes);
    netConsume(state.id, size > 0 ? size : 1);
    if (!state.receiving) return;
    const address = socket.type === 'udp4' ? '127.0.0.1' : '::1';
    if (isBlocked(state.receiveBlockList, address)) return;
    const family = socket.type === 'udp4' ? 'IPv4' : 'IPv6';
    socket.emit('message', toBuffer(bytes), { address, family, port: value[0], size });
  } else if (kind === 'done' && value !== null && state.open && value.code !== 'ABORT_ERR') {
    socket.emit('error', socketError(value.code, value.message));
  }
}

function enqueue(socket, entry) {
  const state = socket[kState];
  if (state.queue === undefined) {
    state.queue = [];
    const onError = () => {
      socket.removeListener('listening', onListening);
      state.queue = undefined;
    };
    const onListening = () => {
      socket.removeListener(EventEmitter.errorMonitor, onError);
      const queue = state.queue;
      state.queue = undefined;
      for (let i = 0; i < queue.length; i++) queue[i]();
    };
    socket.once(EventEmitter.errorMonitor, onError);
    socket.once('listening', onListening);
  }
  ArrayPrototypePush(state.queue, entry);
}

proto.connect = function (port, address, callback) {
  port = validatePort(port, false);
  if (typeof address === 'function') {
    callback = address;
    address = '';
  } else if (address === undefined) {
    address = '';
  }
  validateString(address, 'address');
  const state = this[kState];
  if (state.connectState !== DISCONNECTED) throw isConnected();
  state.connectState = CONNECTING;
  if (state.bindState === UNBOUND) this.bind({ port: 0, exclusive: true }, null);
  if (state.bindState !== BOUND) {
    enqueue(this, () => connectBound(this, port, address, callback));
    return;
  }
  connectBound(this, port, address, callback);
};

function connectBound(socket, port, address, callback) {
  const state = socket[kState];
  if (callback) socket.once('connect', callback);
  lookupWith(socket, address, (err, ip) => {
    if (!state.open) return;
    if (!err && isBlocked(state.sendBlockList, ip)) err = ipBlocked(ip);
    if (!err && !isLocalAddress(ip)) err = unreachable('connect', ip, port);
    if (err) {
      state.connectState = DISCONNECTED;
      nextTick(() => {
        if (callback) {
          socket.removeListener('connect', callback);
          callback(err);
        } else {
          socket.emit('error', err);
        }
      });
      return;
    }
    state.remote = { address: ip, family: socket.type === 'udp4' ? 'IPv4' : 'IPv6', port };
    state.connectState = CONNECTED;
    nextTick(() => socket.emit('connect'));
  });
}

proto.disconnect = function () {
  const state = this[kState];
  if (state.connectState !== CONNECTED) throw notConnected();
  state.connectState = DISCONNECTED;
  state.remote = undefined;
};

proto.send = function (buffer, offset, length, port, address, callback) {
  const state = this[kState];
  const connected = state.connectState === CONNECTED;
  if (!connected) {
    if (address || (port && typeof port !== 'function')) {
      buffer = sliceBuffer(buffer, offset, length);
    } else {
      callback = port;
      port = offset;
      address = length;
    }
  } else {
    if (typeof length === 'number') {
      buffer = sliceBuffer(buffer, offset, length);
      if (typeof port === 'function') {
        callback = port;
        port = null;
      } else {
        callback = address;
      }
    } else {
      callback = offset;
    }
    if (port || address) throw isConnected();
  }
  const list = messageList(buffer);
  if (!connected) port = validatePort(port, false);
  if (typeof callback !== 'function') callback = undefined;
  if (typeof address === 'function') {
    callback = address;
    address = undefined;
  } else if (address != null) {
    validateString(address, 'address');
  }
  healthCheck(this);
  if (state.bindState === UNBOUND) this.bind({ port: 0, exclusive: true }, null);
  if (state.bindState !== BOUND) {
    enqueue(this, () => this.send(list, port, address, callback));
    return;
  }
  if (connected) {
    sendResolved(this, undefined, list, state.remote.address, state.remote.port, callback);
  } else {
    lookupWith(this, address, (err, ip) => sendResolved(this, err, list, ip, port, callback));
  }
};

function joined(list) {
  if (list.length === 1) return list[0];
  let total = 0;
  for (let i = 0; i < list.length; i++) total += TypedArrayPrototypeGetByteLength(list[i]);
  const out = new Uint8ArrayCtor(total);
  let at = 0;
  for (let i = 0; i < list.length; i++) {
    TypedArrayPrototypeSet(out, list[i], at);
    at += TypedArrayPrototypeGetByteLength(list[i]);
  }
  return out;
}

function sendResolved(socket, err, list, ip, port, callback) {
  const state = socket[kState];
  const fail = (error) => {
    if (callback) nextTick(callback, error);
    else nextTick(() => socket.emit('error', error));
  };
  if (err) return fail(err);
  if (!state.open) return;
  if (isBlocked(state.sendBlockList, ip)) {
    // As Node: the callback hears of it; without one the datagram is dropped.
    if (callback) nextTick(callback, ipBlocked(ip));
    return;
  }
  const data = joined(list);
  const size = TypedArrayPrototypeGetByteLength(data);
  if (size > MAX_PAYLOAD[socket.type]) {
    if (callback) nextTick(callback, hostPortError('EMSGSIZE', 'send', ip, port));
    return;
  }
  if (!isLocalAddress(ip)) return fail(unreachable('send', ip, port));
  const sent = udpSend(state.id, port, data);
  if (typeof sent === 'object') return fail(socketError(sent.code, sent.message));
  if (callback) nextTick(callback, null, size);
}

proto.close = function (callback) {
  const state = this[kState];
  if (typeof callback === 'function') this.on('close', callback);
  if (state.queue !== undefined) {
    ArrayPrototypePush(state.queue, () => this.close());
    return this;
  }
  healthCheck(this);
  state.receiving = false;
  state.open = false;
  if (state.id !== undefined) netCancel(state.id);
  state.id = undefined;
  nextTick(() => this.emit('close'));
  return this;
};

proto[SymbolAsyncDispose] = function () {
  return new PromiseCtor((resolve, reject) => {
    if (!this[kState].open) return resolve();
    try {
      this.close(() => resolve());
    } catch (err) {
      reject(err);
    }
  });
};

proto.address = function () {
  healthCheck(this);
  const local = this[kState].local;
  if (local === undefined || this[kState].bindState !== BOUND) {
    throw errnoError('EBADF', 'getsockname');
  }
  return { address: local.address, family: local.family, port: local.port };
};

proto.remoteAddress = function () {
  healthCheck(this);
  const state = this[kState];
  if (state.connectState !== CONNECTED) throw notConnected();
  const r = state.remote;
  return { address: r.address, family: r.family, port: r.port };
};

proto.ref = function () {
  const state = this[kState];
  state.refed = true;
  if (state.id !== undefined) netRef(state.id, true);
  return this;
};

proto.unref = function () {
  const state = this[kState];
  state.refed = false;
  if (state.id !== undefined) netRef(state.id, false);
  return this;
};

/** True once bound (the option setters need a socket, as the kernel's do). */
export function isBound(socket) {
  return socket[kState].open && socket[kState].bindState === BOUND;
}
