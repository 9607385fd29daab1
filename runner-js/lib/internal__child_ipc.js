// lib/internal__child_ipc.js: the IPC channel between a guest and a forked child (`fork`, or
// `'ipc'` in a child's stdio), both ends, as Node's lib/internal/child_process.js shapes them:
// `send(message[, sendHandle][, options][, callback])`, `disconnect()`, `connected`, `channel`
// (`ref`/`unref`), 'message' (and 'internalMessage' for `cmd: 'NODE_...'` messages) and
// 'disconnect'. Messages are JSON text (Node's default serialization) or, with `serialization:
// 'advanced'`, V8's serializer (the engine's `serializeMessage`: what structuredClone keeps,
// without shared memory), carried whole by the engine (engine/src/bridge/ipc.rs). A child's loop
// stays alive while it listens for 'message' or 'disconnect'. Handles (sockets, servers) cannot
// be sent. A worker_threads Worker is a child with an 'advanced' channel that is not `process`'s
// (lib/internal__worker.js).

import { bridge } from 'agentos:bridge';
import {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  bridgeUtf8Decode,
  bridgeUtf8Encode,
  ErrorCtor,
  JSONParse,
  JSONStringify,
  ObjectDefineProperty,
  StringPrototypeStartsWith,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { listPush, newList } from '../js/01_helpers.js';
import { makeInvalidArgType, makeInvalidArgValue, makeNodeError } from '../js/06_errors.js';
import { EventEmitterPrototypeListenerCount, setEmitterHook } from '../js/08_events.js';
import { processObject } from '../js/20_exit.js';
import { nextTick } from '../js/21_ticks.js';
import { setTimeout } from '../js/24_timers.js';
import { createEventsModule } from '../js/47_node_events.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';
import { DOMException } from './internal__dom_exception.js';
import { notSupported } from './internal__unsupported.js';

function dataCloneError(message) {
  return new DOMException(message, 'DataCloneError');
}

/** The codecs of Node's serializations: 'json' (the default) and 'advanced' (V8's format). */
const CODECS = {
  __proto__: null,
  json: {
    encode: (message) => bridgeUtf8Encode(JSONStringify(message)),
    decode: (bytes) => JSONParse(bridgeUtf8Decode(bytes)),
  },
  advanced: {
    encode: (message) => serializeMessage(message, undefined),
    decode: (bytes) => bridge.deserializeMessage(bytes, dataCloneError),
  },
};

/** `value` in V8's format for another guest; the `transfer` ArrayBuffers are detached. */
export function serializeMessage(value, transfer) {
  return bridge.serializeMessage(value, transfer, dataCloneError);
}

// Node sends sockets, servers and UDP sockets (refused here: no handle passing); anything else
// is ERR_INVALID_HANDLE_TYPE, as in Node.
function checkHandle(handle) {
  const net = cjsBuiltin('net');
  if (
    handle instanceof net.Socket ||
    handle instanceof net.Server ||
    handle instanceof cjsBuiltin('dgram').Socket
  ) {
    throw notSupported('sending a handle over IPC');
  }
  throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_HANDLE_TYPE', 'This handle type cannot be sent');
}

function channelClosed() {
  return makeNodeError(ErrorCtor, 'ERR_IPC_CHANNEL_CLOSED', 'Channel closed');
}

/**
 * Gives `target` (a ChildProcess, or `process` in a child) the channel's API. `transport`:
 * `send(bytes)` -> true, false (full: retry) or null (closed), and `close()`.
 */
function setupChannel(target, transport, codec) {
  // [bytes, callback] not yet taken by the other side: queue[head], queue[head + 1]...
  let queue = newList();
  let head = 0;
  let retrying = false;
  target.connected = true;
  // Node's deprecated alias of `channel`.
  ObjectDefineProperty(target, '_channel', {
    __proto__: null,
    get() {
      return this.channel;
    },
    set(value) {
      this.channel = value;
    },
    enumerable: false,
    configurable: true,
  });
  const flush = () => {
    while (head < queue.length) {
      const sent = transport.send(queue[head][0]);
      if (sent === false) {
        if (!retrying) {
          retrying = true;
          setTimeout(() => {
            retrying = false;
            flush();
          }, 1);
        }
        return;
      }
      const callback = queue[head][1];
      queue[head++] = undefined;
      if (typeof callback === 'function') {
        nextTick(callback, sent === null ? channelClosed() : null);
      }
    }
    queue = newList();
    head = 0;
    if (!target.connected && closePending) closeNow();
  };
  let closePending = false;
  let closed = false;
  const closeNow = () => {
    if (closed) return;
    closed = true;
    transport.close();
    nextTick(() => target.emit('disconnect'));
  };
  target.send = function send(message, handle, options, callback) {
    if (typeof handle === 'function') {
      callback = handle;
      handle = undefined;
      options = undefined;
    } else if (typeof options === 'function') {
      callback = options;
      options = undefined;
    } else if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw makeInvalidArgType('options', 'object', options);
    }
    if (!this.connected) {
      const err = channelClosed();
      if (typeof callback === 'function') nextTick(callback, err);
      else nextTick(() => this.emit('error', err));
      return false;
    }
    if (message === undefined) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_MISSING_ARGS',
        'The "message" argument must be specified',
      );
    }
    const type = typeof message;
    if (type !== 'string' && type !== 'object' && type !== 'number' && type !== 'boolean') {
      throw makeInvalidArgType(
        'message',
        'one of type string, object, number, or boolean',
        message,
      );
    }
    if (handle !== undefined && handle !== null) checkHandle(handle);
    listPush(queue, [codec.encode(message), callback]);
    flush();
    return head === queue.length;
  };
  target.disconnect = function disconnect() {
    if (!this.connected) {
      this.emit(
        'error',
        makeNodeError(ErrorCtor, 'ERR_IPC_DISCONNECTED', 'IPC channel is already disconnected'),
      );
      return;
    }
    this.connected = false;
    closePending = true;
    if (head === queue.length) closeNow();
  };
  return {
    /** Sends bytes already encoded (a worker's messages, with their transfer lists). */
    post(bytes) {
      if (!target.connected) return false;
      listPush(queue, [bytes, undefined]);
      flush();
      return true;
    },
    /** One message from the other side. */
    message(bytes) {
      if (closed) return;
      const message = codec.decode(bytes);
      const internal =
        message !== null &&
        typeof message === 'object' &&
        typeof message.cmd === 'string' &&
        StringPrototypeStartsWith(message.cmd, 'NODE_');
      target.emit(internal ? 'internalMessage' : 'message', message, undefined);
    },
    /** The other side closed the channel (or ended). */
    closed() {
      if (closed) return;
      closed = true;
      target.connected = false;
      nextTick(() => target.emit('disconnect'));
    },
  };
}

/**
 * The parent's end of child `id`'s channel (`serialization` 'json' or 'advanced'): wires
 * `child`; returns its event sink.
 */
export function parentChannel(child, id, serialization) {
  const channel = setupChannel(
    child,
    {
      send: (bytes) =>
        bridge.childIpcSend(id, bytes)
          ? true
          : child.exitCode === null && child.signalCode === null
            ? false
            : null,
      close: () => bridge.childIpcClose(id),
    },
    CODECS[serialization] ?? CODECS.json,
  );
  child.channel = { ref() {}, unref() {} };
  return channel;
}

/**
 * The child's end, when this guest was forked (`NODE_CHANNEL_FD` in its environment and a
 * channel from the engine): `process.send` and the rest; its events come through
 * `runner.ipcMessage` / `runner.ipcClosed` (`childChannelEvent`).
 */
let childChannel;

/** A worker's end of its channel to the parent (not `process`'s), and its sink; or undefined. */
let workerChannel;

export function workerEndpoint() {
  return workerChannel;
}

export function setupChildChannel(proc) {
  if (!bridge.ipcChannel()) return;
  const codec = CODECS[proc.env.NODE_CHANNEL_SERIALIZATION_MODE] ?? CODECS.json;
  const worker = proc.env.AGENTOS_WORKER_THREAD;
  delete proc.env.NODE_CHANNEL_FD;
  delete proc.env.NODE_CHANNEL_SERIALIZATION_MODE;
  delete proc.env.AGENTOS_WORKER_THREAD;
  if (worker !== undefined) {
    const Emitter = createEventsModule();
    const endpoint = new Emitter();
    const transport = {
      send: (bytes) => (bridge.ipcSend(bytes) ? true : null),
      close: () => bridge.ipcClose(),
    };
    childChannel = setupChannel(endpoint, transport, CODECS.advanced);
    workerChannel = { endpoint, channel: childChannel, threadId: +worker };
    return;
  }
  let listeners = 0;
  let refed = true; // process.channel.ref()/unref()
  const update = () => bridge.ipcRef(refed && listeners > 0 && proc.connected);
  childChannel = setupChannel(
    proc,
    {
      send: (bytes) => (bridge.ipcSend(bytes) ? true : null),
      close: () => {
        bridge.ipcClose();
        update();
      },
    },
    codec,
  );
  const channel = {
    ref() {
      refed = true;
      update();
    },
    unref() {
      refed = false;
      update();
    },
  };
  ObjectDefineProperty(proc, 'channel', {
    __proto__: null,
    value: channel,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  // Listeners change through the process emitter's internal hook (no listener of ours shows).
  setEmitterHook(proc, (event) => {
    if (event !== undefined && event !== 'message' && event !== 'disconnect') return;
    listeners =
      EventEmitterPrototypeListenerCount(proc, 'message') +
      EventEmitterPrototypeListenerCount(proc, 'disconnect');
    update();
  });
}

/** `runner.ipcMessage(bytes)` (kind 'message') and `runner.ipcClosed()` (kind 'closed'). */
export function childChannelEvent(kind, bytes) {
  if (childChannel === undefined) return;
  if (kind === 'message') childChannel.message(bytes);
  else {
    childChannel.closed();
    bridge.ipcRef(false);
  }
}

// `given` (this guest's execArgv by default) without `-e CODE`/`-p CODE`: a fork or a worker
// runs its own entry, not the eval again.
export function forkExecArgv(given = processObject.execArgv) {
  const kept = [];
  for (let i = 0; i < given.length; i++) {
    const flag = `${given[i]}`;
    if (flag === '-e' || flag === '-p' || flag === '--eval' || flag === '--print') i++;
    else listPush(kept, flag);
  }
  return kept;
}

// As Node's fork: `node [execArgv] modulePath ...args` with an IPC channel, the child's stdio
// inherited (piped when `silent`); `spawn` and `nullCheck` are child_process's.
export function fork({ spawn, nullCheck }, modulePath, args, options) {
  if (cjsBuiltin('buffer').Buffer.isBuffer(modulePath)) modulePath = modulePath.toString();
  else if (modulePath !== null && typeof modulePath === 'object' && 'href' in modulePath) {
    modulePath = cjsBuiltin('url').fileURLToPath(modulePath);
  }
  if (typeof modulePath !== 'string') {
    throw makeInvalidArgType('modulePath', 'string or an instance of Buffer or URL', modulePath);
  }
  nullCheck(modulePath, 'modulePath');
  if (args === undefined || args === null) args = [];
  else if (typeof args === 'object' && !ArrayIsArray(args)) {
    options = args;
    args = [];
  } else if (!ArrayIsArray(args)) throw makeInvalidArgType('args', 'Array', args);
  if (options !== undefined && options !== null && typeof options !== 'object') {
    throw makeInvalidArgType('options', 'object', options);
  }
  options = { __proto__: null, ...options, shell: false };
  options.execPath = options.execPath || processObject.execPath;
  nullCheck(options.execPath, 'options.execPath');
  const execArgv = options.execArgv || forkExecArgv();
  for (let i = 0; i < execArgv.length; i++) nullCheck(execArgv[i], `options.execArgv[${i}]`);
  if (typeof options.stdio === 'string') {
    const mode = options.stdio;
    if (mode !== 'pipe' && mode !== 'inherit' && mode !== 'ignore' && mode !== 'overlapped') {
      throw makeInvalidArgValue('stdio', mode);
    }
    options.stdio = [mode, mode, mode, 'ipc'];
  } else if (!ArrayIsArray(options.stdio)) {
    const mode = options.silent ? 'pipe' : 'inherit';
    options.stdio = [mode, mode, mode, 'ipc'];
  } else if (!ArrayPrototypeIncludes(options.stdio, 'ipc')) {
    throw makeNodeError(
      ErrorCtor,
      'ERR_CHILD_PROCESS_IPC_REQUIRED',
      "Forked processes must have an IPC channel, missing value 'ipc' in options.stdio",
    );
  }
  return spawn(options.execPath, [...execArgv, modulePath, ...args], options);
}
