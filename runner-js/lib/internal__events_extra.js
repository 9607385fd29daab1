// lib/internal__events_extra.js: the parts of `events` loaded on first use: events.on (an async
// iterator of an emitter's events), events.once with AbortSignal and EventTarget support,
// getEventListeners, getMaxListeners, setMaxListeners over emitters and EventTargets, and
// addAbortListener.

import {
  ArrayPrototypePush,
  ArrayPrototypeShift,
  AsyncIteratorPrototype,
  ErrorCtor,
  FunctionPrototypeSymbolHasInstance,
  ObjectSetPrototypeOf,
  PromiseCtor,
  PromiseReject,
  PromiseResolve,
  SymbolAsyncIterator,
  SymbolFor,
} from '../js/00_primordials.js';
import { makeInvalidArgType } from '../js/06_errors.js';
import { queueMicrotask } from '../js/21_ticks.js';
import {
  eventTargetListeners,
  isEventTarget,
  kMaxEventTargetListeners,
} from './internal__event_target.js';
import { AbortError, validateAbortSignal } from './internal__stream_core.js';

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

function abortErrorOf(signal) {
  return new AbortError(undefined, { __proto__: null, cause: signal?.reason });
}

// An async function, as Node's: a bad signal rejects the promise rather than throwing, and the
// result settles on the same microtask turn as Node's.
export async function once(emitter, name, options = {}) {
  const signal = options?.signal;
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
    if (signal) signal.addEventListener('abort', abortListener, { __proto__: null, once: true });
  });
}

export function on(emitter, event, options = {}) {
  const signal = options?.signal;
  validateAbortSignal(signal, 'options.signal');
  if (signal?.aborted) throw abortErrorOf(signal);
  const closeEvents = options?.close ?? [];
  const unconsumedEvents = [];
  const unconsumedPromises = [];
  let error = null;
  let finished = false;
  const iterator = ObjectSetPrototypeOf(
    {
      next() {
        const value = ArrayPrototypeShift(unconsumedEvents);
        if (value) return PromiseResolve({ value, done: false });
        if (error) {
          const p = PromiseReject(error);
          error = null;
          return p;
        }
        if (finished) return closeHandler();
        return new PromiseCtor((resolve, reject) => {
          ArrayPrototypePush(unconsumedPromises, { resolve, reject });
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
    },
    AsyncIteratorPrototype,
  );
  listen(emitter, event, eventHandler);
  if (event !== 'error' && typeof emitter.on === 'function') emitter.on('error', errorHandler);
  for (let i = 0; i < closeEvents.length; i++) listen(emitter, closeEvents[i], closeHandler);
  if (signal) signal.addEventListener('abort', abortListener, { __proto__: null, once: true });
  return iterator;

  function abortListener() {
    errorHandler(abortErrorOf(signal));
  }

  function eventHandler(...args) {
    const p = ArrayPrototypeShift(unconsumedPromises);
    if (p) p.resolve({ value: args, done: false });
    else ArrayPrototypePush(unconsumedEvents, args);
  }

  function errorHandler(err) {
    const p = ArrayPrototypeShift(unconsumedPromises);
    if (p) p.reject(err);
    else error = err;
    closeHandler();
  }

  function closeHandler() {
    unlisten(emitter, event, eventHandler);
    unlisten(emitter, 'error', errorHandler);
    for (let i = 0; i < closeEvents.length; i++) unlisten(emitter, closeEvents[i], closeHandler);
    if (signal) signal.removeEventListener('abort', abortListener);
    finished = true;
    const done = { value: undefined, done: true };
    while (unconsumedPromises.length > 0) ArrayPrototypeShift(unconsumedPromises).resolve(done);
    return PromiseResolve(done);
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
    signal.addEventListener('abort', listener, { __proto__: null, once: true });
    removeEventListener = () => signal.removeEventListener('abort', listener);
  }
  return {
    __proto__: null,
    [SymbolFor('nodejs.dispose')]() {
      removeEventListener?.();
    },
  };
}
