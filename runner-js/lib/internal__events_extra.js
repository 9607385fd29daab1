// lib/internal__events_extra.js: the parts of `events` loaded on first use: events.on (an async
// iterator of an emitter's events), events.once with AbortSignal and EventTarget support,
// getEventListeners, getMaxListeners, setMaxListeners over emitters and EventTargets, and
// addAbortListener.

import {
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  AsyncIteratorPrototype,
  ErrorCtor,
  FunctionPrototypeSymbolHasInstance,
  NumberMAX_SAFE_INTEGER,
  ObjectSetPrototypeOf,
  PromiseCtor,
  PromiseReject,
  PromiseResolve,
  SymbolAsyncIterator,
  SymbolCtor,
  SymbolDispose,
  SymbolFor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, validateInteger } from '../js/06_errors.js';
import { queueMicrotask } from '../js/21_ticks.js';
import {
  eventTargetListeners,
  isEventTarget,
  kMaxEventTargetListeners,
  kResistStopPropagation,
} from './internal__event_target.js';
import { AbortError, validateAbortSignal, validateObjectArg } from './internal__stream_core.js';

// Node's addAbortListenerInternal: once, and run even when an earlier 'abort' listener stops the
// event's propagation.
const kAbortListenerOptions = { __proto__: null, once: true, [kResistStopPropagation]: true };

function isEventTargetLike(obj) {
  return typeof obj?.addEventListener === 'function' && typeof obj?.on !== 'function';
}

function listen(emitter, name, fn, flags) {
  if (typeof emitter.on === 'function') {
    if (flags?.once) emitter.once(name, fn);
    else emitter.on(name, fn);
  } else if (typeof emitter.addEventListener === 'function') {
    emitter.addEventListener(name, fn, flags);
  } else {
    throw makeInvalidArgType('emitter', 'an instance of EventEmitter or EventTarget', emitter);
  }
}

function unlisten(emitter, name, fn) {
  if (typeof emitter.removeListener === 'function') emitter.removeListener(name, fn);
  else if (typeof emitter.removeEventListener === 'function') emitter.removeEventListener(name, fn);
}

/** The AbortError of an aborted `signal` (its reason as the cause). */
export function abortErrorOf(signal) {
  return new AbortError(undefined, { __proto__: null, cause: signal?.reason });
}

// An async function, as Node's: a bad signal rejects the promise rather than throwing, and the
// result settles on the same microtask turn as Node's.
export async function once(emitter, name, options = {}) {
  validateObjectArg(options, 'options');
  const signal = options.signal;
  validateAbortSignal(signal, 'options.signal');
  if (signal?.aborted) throw abortErrorOf(signal);
  return new PromiseCtor((resolve, reject) => {
    const errorListener = (err) => {
      unlisten(emitter, name, resolver);
      if (signal) signal.removeEventListener('abort', abortListener);
      reject(err);
    };
    const resolver = (...args) => {
      if (typeof emitter.removeListener === 'function')
        emitter.removeListener('error', errorListener);
      if (signal) signal.removeEventListener('abort', abortListener);
      resolve(args);
    };
    listen(emitter, name, resolver, { __proto__: null, once: true });
    if (name !== 'error' && typeof emitter.once === 'function') {
      emitter.once('error', errorListener);
    }
    function abortListener() {
      unlisten(emitter, name, resolver);
      unlisten(emitter, 'error', errorListener);
      reject(abortErrorOf(signal));
    }
    if (signal) signal.addEventListener('abort', abortListener, kAbortListenerOptions);
  });
}

// Set by readline's async iterator: each value is the event's first argument, not its list.
export const kFirstEventParam = SymbolCtor('nodejs.kFirstEventParam');
const kWatermarkData = SymbolFor('nodejs.watermarkData');

// events.on(emitter, event, options): an async iterator of the events. Events queue until they
// are read; past `highWaterMark` queued the emitter is paused (`emitter.pause()`), and resumed
// once fewer than `lowWaterMark` are left (Node 22's watermarks, readable through
// `iterator[Symbol.for('nodejs.watermarkData')]`).
export function on(emitter, event, options = {}) {
  validateObjectArg(options, 'options');
  const signal = options.signal;
  validateAbortSignal(signal, 'options.signal');
  if (signal?.aborted) throw abortErrorOf(signal);
  const high = options.highWaterMark ?? options.highWatermark ?? NumberMAX_SAFE_INTEGER;
  validateInteger(high, 'options.highWaterMark', 1, NumberMAX_SAFE_INTEGER);
  const low = options.lowWaterMark ?? options.lowWatermark ?? 1;
  validateInteger(low, 'options.lowWaterMark', 1, NumberMAX_SAFE_INTEGER);
  const closeEvents = options.close ?? [];
  const queue = new EventQueue();
  const waiting = new EventQueue();
  let paused = false;
  let error = null;
  let finished = false;
  const iterator = ObjectSetPrototypeOf(
    {
      next() {
        if (queue.size > 0) {
          const value = queue.shift();
          if (paused && queue.size < low) {
            emitter.resume();
            paused = false;
          }
          return PromiseResolve({ value, done: false });
        }
        if (error) {
          const p = PromiseReject(error);
          error = null;
          return p;
        }
        if (finished) return closeHandler();
        return new PromiseCtor((resolve, reject) => {
          waiting.push({ resolve, reject });
        });
      },
      return() {
        return closeHandler();
      },
      throw(err) {
        if (!err || !FunctionPrototypeSymbolHasInstance(ErrorCtor, err)) {
          throw makeInvalidArgType('EventEmitter.AsyncIterator', 'Error', err);
        }
        errorHandler(err);
      },
      [SymbolAsyncIterator]() {
        return this;
      },
      [kWatermarkData]: {
        get size() {
          return queue.size;
        },
        get low() {
          return low;
        },
        get high() {
          return high;
        },
        get isPaused() {
          return paused;
        },
      },
    },
    AsyncIteratorPrototype,
  );
  const firstParam = options[kFirstEventParam] === true;
  const listener = firstParam ? eventHandler : (...args) => eventHandler(args);
  listen(emitter, event, listener);
  if (event !== 'error' && typeof emitter.on === 'function') emitter.on('error', errorHandler);
  for (let i = 0; i < closeEvents.length; i++) listen(emitter, closeEvents[i], closeHandler);
  if (signal) signal.addEventListener('abort', abortListener, kAbortListenerOptions);
  return iterator;

  function abortListener() {
    errorHandler(abortErrorOf(signal));
  }

  function eventHandler(value) {
    if (waiting.size > 0) {
      waiting.shift().resolve({ value, done: false });
      return;
    }
    queue.push(value);
    if (!paused && queue.size > high) {
      paused = true;
      emitter.pause();
    }
  }

  function errorHandler(err) {
    if (waiting.size > 0) waiting.shift().reject(err);
    else error = err;
    closeHandler();
  }

  function closeHandler() {
    unlisten(emitter, event, listener);
    unlisten(emitter, 'error', errorHandler);
    for (let i = 0; i < closeEvents.length; i++) unlisten(emitter, closeEvents[i], closeHandler);
    if (signal) signal.removeEventListener('abort', abortListener);
    finished = true;
    const done = { value: undefined, done: true };
    while (waiting.size > 0) waiting.shift().resolve(done);
    return PromiseResolve(done);
  }
}

// A FIFO whose shift is O(1): a head index into an array, compacted when half of it is read
// (a queue of thousands of lines must not cost a copy per read).
class EventQueue {
  #items = [];
  #head = 0;

  get size() {
    return this.#items.length - this.#head;
  }

  push(value) {
    ArrayPrototypePush(this.#items, value);
  }

  shift() {
    const value = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head++;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = ArrayPrototypeSlice(this.#items, this.#head);
      this.#head = 0;
    }
    return value;
  }
}

export function getEventListeners(emitterOrTarget, type) {
  if (typeof emitterOrTarget?.listeners === 'function') return emitterOrTarget.listeners(type);
  if (isEventTarget(emitterOrTarget)) return eventTargetListeners(emitterOrTarget, type);
  throw makeInvalidArgType(
    'emitter',
    'an instance of EventEmitter or EventTarget',
    emitterOrTarget,
  );
}

export function getMaxListeners(emitterOrTarget, defaultMax) {
  if (typeof emitterOrTarget?.getMaxListeners === 'function') {
    return emitterOrTarget.getMaxListeners();
  }
  if (isEventTargetLike(emitterOrTarget))
    return emitterOrTarget[kMaxEventTargetListeners] ?? defaultMax;
  throw makeInvalidArgType(
    'emitter',
    'an instance of EventEmitter or EventTarget',
    emitterOrTarget,
  );
}

export function setMaxListenersOn(n, targets) {
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i];
    if (isEventTargetLike(target)) target[kMaxEventTargetListeners] = n;
    else if (typeof target?.setMaxListeners === 'function') target.setMaxListeners(n);
    else {
      throw makeInvalidArgType(
        'eventTargets',
        'an instance of EventEmitter or EventTarget',
        target,
      );
    }
  }
}

export function addAbortListener(signal, listener) {
  if (signal === undefined) throw makeInvalidArgType('signal', 'AbortSignal', signal);
  validateAbortSignal(signal, 'signal');
  if (typeof listener !== 'function') throw makeInvalidArgType('listener', 'function', listener);
  let removeEventListener;
  if (signal.aborted) {
    queueMicrotask(() => listener());
  } else {
    signal.addEventListener('abort', listener, kAbortListenerOptions);
    removeEventListener = () => signal.removeEventListener('abort', listener);
  }
  return {
    __proto__: null,
    [SymbolDispose]() {
      removeEventListener?.();
    },
  };
}
