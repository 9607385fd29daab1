// lib/internal__event_target.js: `Event`, `CustomEvent` and `EventTarget` as Node 20 has them
// (its lib/internal/event_target.js): listeners in insertion order, `once`/`passive`/`signal`
// options, `handleEvent` objects, errors thrown by listeners reported as uncaught exceptions on
// the next tick, and Node's observable quirks (a boolean `capture` is ignored by
// removeEventListener; `currentTarget` reads null after the first listener ran).

import {
  ErrorCtor,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeSet,
  NumberIsInteger,
  ObjectDefineProperty,
  ReflectApply,
  SymbolCtor,
  SymbolFor,
  SymbolToStringTag,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { inspect } from '../js/04_inspect.js';
import { makeNodeError } from '../js/06_errors.js';
import { webPrimordials } from '../js/09_web_primordials.js';
import { msSinceStart } from '../js/20_exit.js';
import { nextTick } from '../js/21_ticks.js';
import { emitWarning } from '../js/23_warnings.js';
import { invalidArgType, invalidThis, missingArgs } from './internal__web_errors.js';

// The per-target listener limit events.setMaxListeners sets (read by getMaxListeners).
export const kMaxEventTargetListeners = SymbolCtor('events.maxEventTargetListeners');

const { ObjectAssign, WeakSetCtor, WeakSetPrototypeAdd, WeakSetPrototypeHas } = webPrimordials;

const customInspectSymbol = SymbolFor('nodejs.util.inspect.custom');

// Internal symbols (not reachable from guests): dispatch state and options only runner code sets.
export const kTrustEvent = SymbolCtor('kTrustEvent');
export const kResistStopPropagation = SymbolCtor('kResistStopPropagation');
export const kNewListener = SymbolCtor('kNewListener');
export const kRemoveListener = SymbolCtor('kRemoveListener');

const trusted = new WeakSetCtor();

// event -> { target, dispatching, stop }
const dispatchState = new WeakMapCtor();

function reportUncaught(err) {
  nextTick(() => {
    throw err;
  });
}

// Node's addCatch: a listener's thenable result reports its rejection as uncaught.
function addCatch(promise) {
  const then = promise.then;
  if (typeof then === 'function') {
    ReflectApply(then, promise, [undefined, (err) => reportUncaught(err)]);
  }
}

function isEvent(value) {
  return WeakMapPrototypeGet(dispatchState, value) !== undefined;
}

function stateOf(self) {
  const state = WeakMapPrototypeGet(dispatchState, self);
  if (state === undefined) throw invalidThis('Event');
  return state;
}

export class Event {
  #cancelable = false;
  #bubbles = false;
  #composed = false;
  #defaultPrevented = false;
  #timestamp = msSinceStart();
  #propagationStopped = false;
  #type;

  constructor(type, options = undefined) {
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length === 0) throw missingArgs('type');
    if (
      options !== undefined &&
      options !== null &&
      typeof options !== 'object' &&
      typeof options !== 'function'
    ) {
      throw invalidArgType('options', 'object', options);
    }
    const opts = options == null ? {} : options;
    this.#cancelable = !!opts.cancelable;
    this.#bubbles = !!opts.bubbles;
    this.#composed = !!opts.composed;
    this.#type = `${type}`;
    if (options?.[kTrustEvent]) WeakSetPrototypeAdd(trusted, this);
    WeakMapPrototypeSet(dispatchState, this, {
      __proto__: null,
      target: null,
      dispatching: false,
      stop: false,
    });
  }

  initEvent(type, bubbles = false, cancelable = false) {
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length === 0) throw missingArgs('type');
    const state = stateOf(this);
    if (state.dispatching) return;
    this.#type = `${type}`;
    this.#bubbles = !!bubbles;
    this.#cancelable = !!cancelable;
  }

  // As Node 22: on anything but an Event (the prototype itself, a copied method) it is `this`.
  [customInspectSymbol](depth, options) {
    if (!isEvent(this)) return this;
    const name = this.constructor.name;
    if (depth < 0) return name;
    const opts = ObjectAssign({}, options, {
      depth: NumberIsInteger(options.depth) ? options.depth - 1 : options.depth,
    });
    return `${name} ${inspect(
      {
        type: this.#type,
        defaultPrevented: this.#defaultPrevented,
        cancelable: this.#cancelable,
        timeStamp: this.#timestamp,
      },
      opts,
    )}`;
  }

  stopImmediatePropagation() {
    stateOf(this).stop = true;
  }

  preventDefault() {
    stateOf(this);
    this.#defaultPrevented = true;
  }

  get target() {
    return stateOf(this).target;
  }

  get currentTarget() {
    const state = stateOf(this);
    return state.dispatching ? state.target : null;
  }

  get srcElement() {
    return stateOf(this).target;
  }

  get type() {
    stateOf(this);
    return this.#type;
  }

  get cancelable() {
    stateOf(this);
    return this.#cancelable;
  }

  get defaultPrevented() {
    stateOf(this);
    return this.#cancelable && this.#defaultPrevented;
  }

  get timeStamp() {
    stateOf(this);
    return this.#timestamp;
  }

  composedPath() {
    const state = stateOf(this);
    return state.dispatching ? [state.target] : [];
  }

  get returnValue() {
    stateOf(this);
    return !(this.#cancelable && this.#defaultPrevented);
  }

  get bubbles() {
    stateOf(this);
    return this.#bubbles;
  }

  get composed() {
    stateOf(this);
    return this.#composed;
  }

  get eventPhase() {
    return stateOf(this).dispatching ? 2 : 0;
  }

  get cancelBubble() {
    stateOf(this);
    return this.#propagationStopped;
  }

  set cancelBubble(value) {
    stateOf(this);
    if (value) this.#propagationStopped = true;
  }

  stopPropagation() {
    stateOf(this);
    this.#propagationStopped = true;
  }

  get isTrusted() {
    return WeakSetPrototypeHas(trusted, this);
  }
}

{
  const names = [
    'initEvent',
    'stopImmediatePropagation',
    'preventDefault',
    'target',
    'currentTarget',
    'srcElement',
    'type',
    'cancelable',
    'defaultPrevented',
    'timeStamp',
    'composedPath',
    'returnValue',
    'bubbles',
    'composed',
    'eventPhase',
    'cancelBubble',
    'stopPropagation',
    'isTrusted',
  ];
  for (let i = 0; i < names.length; i++) {
    ObjectDefineProperty(Event.prototype, names[i], { __proto__: null, enumerable: true });
  }
  const phases = ['NONE', 'CAPTURING_PHASE', 'AT_TARGET', 'BUBBLING_PHASE'];
  for (let i = 0; i < phases.length; i++) {
    ObjectDefineProperty(Event, phases[i], {
      __proto__: null,
      value: i,
      writable: false,
      enumerable: true,
      configurable: false,
    });
  }
  ObjectDefineProperty(Event.prototype, SymbolToStringTag, {
    __proto__: null,
    writable: false,
    enumerable: false,
    configurable: true,
    value: 'Event',
  });
}

const customDetails = new WeakMapCtor();

export class CustomEvent extends Event {
  constructor(type, options = undefined) {
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length === 0) throw missingArgs('type');
    super(type, options);
    WeakMapPrototypeSet(customDetails, this, { __proto__: null, detail: options?.detail ?? null });
  }

  get detail() {
    const state = WeakMapPrototypeGet(customDetails, this);
    if (state === undefined) throw invalidThis('CustomEvent');
    return state.detail;
  }
}
ObjectDefineProperty(CustomEvent.prototype, 'detail', { __proto__: null, enumerable: true });
ObjectDefineProperty(CustomEvent.prototype, SymbolToStringTag, {
  __proto__: null,
  writable: false,
  enumerable: false,
  configurable: true,
  value: 'CustomEvent',
});

// ---- EventTarget ----

// target -> Map(type -> root of a linked list of listeners)
const targets = new WeakMapCtor();

function listenersOf(self) {
  const map = WeakMapPrototypeGet(targets, self);
  if (map === undefined) throw invalidThis('EventTarget');
  return map;
}

export function isEventTarget(value) {
  return WeakMapPrototypeGet(targets, value) !== undefined;
}

function makeListener(previous, listener, once, capture, passive, resist) {
  const record = {
    __proto__: null,
    next: undefined,
    previous,
    listener,
    callback: undefined,
    once,
    capture,
    passive,
    removed: false,
    resistStopPropagation: resist,
  };
  if (previous !== undefined) previous.next = record;
  if (typeof listener === 'function') {
    record.callback = listener;
  } else {
    record.callback = async (...args) => {
      if (listener.handleEvent) await ReflectApply(listener.handleEvent, listener, args);
    };
  }
  return record;
}

function removeListener(record) {
  if (record.previous !== undefined) record.previous.next = record.next;
  if (record.next !== undefined) record.next.previous = record.previous;
  record.removed = true;
}

function validateEventListener(listener) {
  if (typeof listener === 'function' || typeof listener?.handleEvent === 'function') return true;
  if (listener == null) return false;
  if (typeof listener === 'object') return true;
  throw invalidArgType('listener', 'EventListener', listener);
}

function listenerOptions(options) {
  if (typeof options === 'boolean') return { __proto__: null, capture: options };
  if (options === null) return { __proto__: null };
  if (typeof options !== 'object' && typeof options !== 'function') {
    throw invalidArgType('options', 'object', options);
  }
  return {
    __proto__: null,
    once: !!options.once,
    capture: !!options.capture,
    passive: !!options.passive,
    signal: options.signal,
    resistStopPropagation: !!options[kResistStopPropagation],
  };
}

export function validateAbortSignal(signal, name) {
  if (
    signal !== undefined &&
    (signal === null || typeof signal !== 'object' || !('aborted' in signal))
  ) {
    throw invalidArgType(name, 'AbortSignal', signal);
  }
}

export class EventTarget {
  constructor() {
    WeakMapPrototypeSet(targets, this, new MapCtor());
  }

  [kNewListener](size, type) {
    const max = this[kMaxEventTargetListeners] ?? defaultMaxListeners();
    if (max > 0 && size > max && !this[kMaxListenersWarned]) {
      this[kMaxListenersWarned] = true;
      const w = new ErrorCtor(
        `Possible EventTarget memory leak detected. ${size} ${type} listeners added to ${inspect(this, { __proto__: null, depth: -1 })}. MaxListeners is ${max}. Use events.setMaxListeners() to increase limit`,
      );
      w.name = 'MaxListenersExceededWarning';
      w.target = this;
      w.type = type;
      w.count = size;
      emitWarning(w);
    }
  }

  [kRemoveListener]() {}

  addEventListener(type, listener, options = undefined) {
    const map = listenersOf(this);
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length < 2) throw missingArgs('type', 'listener');
    const opts = listenerOptions(options === undefined ? {} : options);
    validateAbortSignal(opts.signal, 'options.signal');
    if (!validateEventListener(listener)) {
      const w = new ErrorCtor(`addEventListener called with ${listener} which has no effect.`);
      w.name = 'AddEventListenerArgumentTypeWarning';
      w.target = this;
      w.type = type;
      emitWarning(w);
      return;
    }
    type = `${type}`;
    const signal = opts.signal;
    if (signal) {
      if (signal.aborted) return;
      signal.addEventListener(
        'abort',
        () => {
          this.removeEventListener(type, listener, options);
        },
        { __proto__: null, once: true, [kResistStopPropagation]: true },
      );
    }
    const once = !!opts.once;
    const capture = !!opts.capture;
    const passive = !!opts.passive;
    const resist = !!opts.resistStopPropagation;
    let root = MapPrototypeGet(map, type);
    if (root === undefined) {
      root = { __proto__: null, size: 1, next: undefined, resistStopPropagation: resist };
      makeListener(root, listener, once, capture, passive, resist);
      this[kNewListener](root.size, type, listener, once, capture, passive);
      MapPrototypeSet(map, type, root);
      return;
    }
    let handler = root.next;
    let previous = root;
    while (
      handler !== undefined &&
      !(handler.listener === listener && handler.capture === capture)
    ) {
      previous = handler;
      handler = handler.next;
    }
    if (handler !== undefined) return;
    makeListener(previous, listener, once, capture, passive, resist);
    root.size++;
    root.resistStopPropagation ||= resist;
    this[kNewListener](root.size, type, listener, once, capture, passive);
  }

  removeEventListener(type, listener, options = undefined) {
    const map = listenersOf(this);
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length < 2) throw missingArgs('type', 'listener');
    if (!validateEventListener(listener)) return;
    type = `${type}`;
    const capture = options?.capture === true;
    const root = MapPrototypeGet(map, type);
    if (root === undefined || root.next === undefined) return;
    let handler = root.next;
    while (handler !== undefined) {
      if (handler.listener === listener && handler.capture === capture) {
        removeListener(handler);
        root.size--;
        if (root.size === 0) MapPrototypeDelete(map, type);
        this[kRemoveListener](root.size, type, listener, capture);
        break;
      }
      handler = handler.next;
    }
  }

  dispatchEvent(event) {
    const map = listenersOf(this);
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length < 1) throw missingArgs('event');
    if (!isEvent(event)) throw invalidArgType('event', 'Event', event);
    const state = stateOf(event);
    if (state.dispatching) {
      throw makeNodeError(
        ErrorCtor,
        'ERR_EVENT_RECURSION',
        `The event "${event.type}" is already being dispatched`,
      );
    }
    state.target = this;
    state.dispatching = true;
    const type = event.type;
    const root = MapPrototypeGet(map, type);
    if (root !== undefined && root.next !== undefined) {
      let handler = root.next;
      while (
        handler !== undefined &&
        (root.resistStopPropagation || handler.passive || state.stop !== true)
      ) {
        const next = handler.next;
        if (handler.removed || (state.stop === true && !handler.resistStopPropagation)) {
          handler = next;
          continue;
        }
        if (handler.once) {
          removeListener(handler);
          root.size--;
          if (root.size === 0 && MapPrototypeGet(map, type) === root) MapPrototypeDelete(map, type);
          this[kRemoveListener](root.size, type, handler.listener, handler.capture);
        }
        try {
          const result = ReflectApply(handler.callback, this, [event]);
          // Node's quirk: the event reads as no longer dispatching after each listener.
          state.dispatching = false;
          if (result !== undefined && result !== null) addCatch(result);
        } catch (err) {
          reportUncaught(err);
        }
        handler = next;
      }
    }
    state.dispatching = false;
    return event.defaultPrevented !== true;
  }

  [customInspectSymbol](depth, options) {
    if (!isEventTarget(this)) return this;
    const name = this.constructor.name;
    if (depth < 0) return name;
    const opts = ObjectAssign({}, options, {
      depth: NumberIsInteger(options.depth) ? options.depth - 1 : options.depth,
    });
    return `${name} ${inspect({}, opts)}`;
  }
}

{
  const names = ['addEventListener', 'removeEventListener', 'dispatchEvent'];
  for (let i = 0; i < names.length; i++) {
    ObjectDefineProperty(EventTarget.prototype, names[i], { __proto__: null, enumerable: true });
  }
  ObjectDefineProperty(EventTarget.prototype, SymbolToStringTag, {
    __proto__: null,
    writable: false,
    enumerable: false,
    configurable: true,
    value: 'EventTarget',
  });
}

export const kMaxListenersWarned = SymbolCtor('events.maxEventTargetListenersWarned');
function defaultMaxListeners() {
  return 10;
}

/** The listeners of `type` on `target` (for events.getEventListeners). */
export function eventTargetListeners(target, type) {
  const root = MapPrototypeGet(listenersOf(target), `${type}`);
  const out = [];
  for (let handler = root?.next; handler !== undefined; handler = handler.next) {
    out[out.length] = handler.listener;
  }
  return out;
}

/** Defines `on<type>` on `proto` (an event handler attribute, as Node's defineEventHandler). */
export function defineEventHandler(proto, type) {
  const handlers = new WeakMapCtor();
  ObjectDefineProperty(proto, `on${type}`, {
    __proto__: null,
    enumerable: true,
    configurable: true,
    get() {
      return WeakMapPrototypeGet(handlers, this)?.handler ?? null;
    },
    set(value) {
      let wrapper = WeakMapPrototypeGet(handlers, this);
      if (wrapper === undefined) {
        wrapper = {
          __proto__: null,
          handler: null,
          fn: (event) => {
            const handler = wrapper.handler;
            if (typeof handler === 'function')
              return ReflectApply(handler, event.currentTarget ?? this, [event]);
            return undefined;
          },
        };
        WeakMapPrototypeSet(handlers, this, wrapper);
      }
      if (typeof value === 'function' || (typeof value === 'object' && value !== null)) {
        if (wrapper.handler === null) this.addEventListener(type, wrapper.fn);
        wrapper.handler = value;
      } else {
        if (wrapper.handler !== null) this.removeEventListener(type, wrapper.fn);
        wrapper.handler = null;
      }
    },
  });
}
