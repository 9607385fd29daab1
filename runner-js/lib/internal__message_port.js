// lib/internal__message_port.js: `MessageChannel`, `MessagePort`, `BroadcastChannel`,
// `MessageEvent` and `receiveMessageOnPort` within one isolate (an exec has one thread, so both
// ends of a channel live here). A message is a structured clone, delivered later as a macrotask
// (an immediate), in order, once the receiving port is started (`start()`, `onmessage`, or a
// 'message' listener through `on`). As in Node, `port.on('message', fn)` gets the data and
// `addEventListener('message', fn)` gets a MessageEvent.
//
// One difference from Node: an idle started port does not keep the exec alive (nothing else in
// this thread could post to it once the loop is empty); a message waiting for delivery does.
import {
  ArrayIsArray,
  ArrayPrototypePush,
  ArrayPrototypeShift,
  ArrayPrototypeSplice,
  ErrorCtor,
  FunctionPrototypeCall,
  MapCtor,
  MapPrototypeGet,
  MapPrototypeSet,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ReflectConstruct,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { setImmediate } from '../js/24_timers.js';
import { defineEventHandler, Event, EventTarget } from './internal__event_target.js';
import { structuredClone } from './internal__structured_clone.js';

export class MessageEvent extends Event {
  #data;
  #ports;

  constructor(type, init = undefined) {
    super(type, init);
    this.#data = init?.data ?? null;
    this.#ports = init?.ports ?? [];
  }

  static checkThis(self) {
    if (typeof self !== 'object' || self === null || !(#data in self)) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_THIS',
        'Value of "this" must be of type MessageEvent',
      );
    }
  }

  get data() {
    return this.#data;
  }

  get origin() {
    checkMessageEventThis(this);
    return '';
  }

  get lastEventId() {
    checkMessageEventThis(this);
    return '';
  }

  get source() {
    checkMessageEventThis(this);
    return null;
  }

  get ports() {
    return this.#ports;
  }
}
const checkMessageEventThis = MessageEvent.checkThis;
delete MessageEvent.checkThis;

// port -> { other, queue, started, closed, refed, pending, listeners }
const ports = new WeakMapCtor();

function stateOf(port) {
  const state = WeakMapPrototypeGet(ports, port);
  if (state === undefined) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_THIS',
      'Value of "this" must be of type MessagePort',
    );
  }
  return state;
}

/** Delivers what `port` has queued, all of it in one turn (as Node drains a port). */
function schedule(port, state) {
  if (state.pending || !state.started || state.closed || state.queue.length === 0) return;
  state.pending = true;
  const immediate = setImmediate(() => {
    state.pending = false;
    while (!state.closed && state.started && state.queue.length > 0) {
      const data = ArrayPrototypeShift(state.queue);
      port.dispatchEvent(new MessageEvent('message', { data }));
    }
  });
  if (!state.refed) immediate.unref();
}

function closePort(port, state) {
  if (state.closed) return;
  state.closed = true;
  state.queue.length = 0;
  setImmediate(() => port.dispatchEvent(new Event('close')));
}

export class MessagePort extends EventTarget {
  constructor() {
    // Ports come only from a MessageChannel (as in Node, `new MessagePort()` throws).
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_CONSTRUCT_CALL_INVALID',
      'Constructor cannot be called',
    );
  }

  postMessage(value, transfer = undefined) {
    const state = stateOf(this);
    if (state.closed) return;
    // `postMessage(value, transferList)` or `postMessage(value, { transfer })`.
    let list = transfer;
    if (transfer !== null && typeof transfer === 'object' && !ArrayIsArray(transfer)) {
      list = transfer.transfer;
    }
    const data = structuredClone(value, list == null ? undefined : { transfer: list });
    const other = state.other;
    const target = WeakMapPrototypeGet(ports, other);
    if (target === undefined || target.closed) return;
    ArrayPrototypePush(target.queue, data);
    schedule(other, target);
  }

  start() {
    const state = stateOf(this);
    state.started = true;
    schedule(this, state);
  }

  close() {
    const state = stateOf(this);
    const other = WeakMapPrototypeGet(ports, state.other);
    closePort(this, state);
    if (other !== undefined) closePort(state.other, other);
  }

  ref() {
    stateOf(this).refed = true;
    return this;
  }

  unref() {
    stateOf(this).refed = false;
    return this;
  }

  hasRef() {
    return stateOf(this).refed;
  }

  // Node's EventEmitter-style surface: 'message' listeners get the data itself.
  on(type, listener) {
    const state = stateOf(this);
    const wrapped = (event) =>
      FunctionPrototypeCall(listener, this, type === 'message' ? event.data : event);
    ArrayPrototypePush(state.listeners, { type, listener, wrapped });
    this.addEventListener(type, wrapped);
    if (type === 'message') this.start();
    return this;
  }

  addListener(type, listener) {
    return this.on(type, listener);
  }

  once(type, listener) {
    const once = (...args) => {
      this.off(type, once);
      return FunctionPrototypeCall(listener, this, ...args);
    };
    return this.on(type, once);
  }

  off(type, listener) {
    const state = stateOf(this);
    for (let i = 0; i < state.listeners.length; i++) {
      const entry = state.listeners[i];
      if (entry.type === type && entry.listener === listener) {
        this.removeEventListener(type, entry.wrapped);
        ArrayPrototypeSplice(state.listeners, i, 1);
        break;
      }
    }
    return this;
  }

  removeListener(type, listener) {
    return this.off(type, listener);
  }

  removeAllListeners(type = undefined) {
    const state = stateOf(this);
    for (let i = state.listeners.length - 1; i >= 0; i--) {
      const entry = state.listeners[i];
      if (type === undefined || entry.type === type) {
        this.removeEventListener(entry.type, entry.wrapped);
        ArrayPrototypeSplice(state.listeners, i, 1);
      }
    }
    return this;
  }

  emit(type, arg) {
    this.dispatchEvent(
      type === 'message' ? new MessageEvent(type, { data: arg }) : new Event(type),
    );
    return true;
  }

  listenerCount(type) {
    let n = 0;
    const list = stateOf(this).listeners;
    for (let i = 0; i < list.length; i++) if (list[i].type === type) n++;
    return n;
  }
}

defineEventHandler(MessagePort.prototype, 'messageerror');
// Setting `onmessage` starts the port, as in browsers and Node.
defineEventHandler(MessagePort.prototype, 'message');
{
  const desc = ObjectGetOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
  const set = desc.set;
  desc.set = function (value) {
    FunctionPrototypeCall(set, this, value);
    if (typeof value === 'function') this.start();
  };
  ObjectDefineProperty(MessagePort.prototype, 'onmessage', desc);
}

/** A port object made without running MessagePort's (throwing) constructor. */
function makePort() {
  const port = ReflectConstruct(EventTarget, [], MessagePort);
  WeakMapPrototypeSet(ports, port, {
    __proto__: null,
    other: null,
    queue: [],
    started: false,
    closed: false,
    refed: true,
    pending: false,
    listeners: [],
  });
  return port;
}

export class MessageChannel {
  constructor() {
    const port1 = makePort();
    const port2 = makePort();
    WeakMapPrototypeGet(ports, port1).other = port2;
    WeakMapPrototypeGet(ports, port2).other = port1;
    ObjectDefineProperty(this, 'port1', { __proto__: null, value: port1, enumerable: true });
    ObjectDefineProperty(this, 'port2', { __proto__: null, value: port2, enumerable: true });
  }
}

/** worker_threads.receiveMessageOnPort: the next queued message now, or undefined. */
export function receiveMessageOnPort(port) {
  const state = stateOf(port);
  if (state.queue.length === 0) return undefined;
  return { message: ArrayPrototypeShift(state.queue) };
}

// BroadcastChannel: every other open channel of the same name in this isolate gets a copy.
const channels = new MapCtor();

export class BroadcastChannel extends EventTarget {
  #name;
  #closed = false;

  constructor(name) {
    super();
    this.#name = `${name}`;
    let list = MapPrototypeGet(channels, this.#name);
    if (list === undefined) {
      list = [];
      MapPrototypeSet(channels, this.#name, list);
    }
    ArrayPrototypePush(list, this);
  }

  get name() {
    return this.#name;
  }

  postMessage(message) {
    if (this.#closed) {
      throw makeNodeError(
        ErrorCtor,
        'ERR_INVALID_STATE',
        'Invalid state: BroadcastChannel is closed.',
      );
    }
    const list = MapPrototypeGet(channels, this.#name) ?? [];
    for (let i = 0; i < list.length; i++) {
      const other = list[i];
      if (other === this) continue;
      const data = structuredClone(message);
      setImmediate(() => {
        if (!other.#closed) other.dispatchEvent(new MessageEvent('message', { data }));
      });
    }
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    const list = MapPrototypeGet(channels, this.#name);
    for (let i = 0; list !== undefined && i < list.length; i++) {
      if (list[i] === this) ArrayPrototypeSplice(list, i, 1);
    }
  }

  ref() {
    return this;
  }

  unref() {
    return this;
  }
}
defineEventHandler(BroadcastChannel.prototype, 'message');
defineEventHandler(BroadcastChannel.prototype, 'messageerror');
