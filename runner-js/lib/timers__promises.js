// lib/timers__promises.js: `timers/promises` (Node 20's lib/timers/promises.js) over the
// runner's timers: setTimeout, setImmediate, the setInterval async iterator and `scheduler`,
// each cancellable with an AbortSignal (any object with `aborted`/`addEventListener`, so the
// global AbortController and look-alikes both work).

import {
  ArrayIsArray,
  ObjectDefineProperty,
  PromiseCtor,
  PromisePrototypeFinally,
  PromiseReject,
  ReflectConstruct,
  SymbolCtor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import {
  clearImmediate,
  clearInterval,
  clearTimeout,
  setImmediate,
  setInterval,
  setTimeout,
} from '../js/24_timers.js';
import { AbortError, validateAbortSignal } from './internal__stream_core.js';

const kNone = { __proto__: null };

function validateOptions(options) {
  if (options === null || typeof options !== 'object' || ArrayIsArray(options)) {
    throw makeInvalidArgType('options', 'object', options);
  }
  const { signal, ref = true } = options;
  validateAbortSignal(signal, 'options.signal');
  if (typeof ref !== 'boolean') throw makeInvalidArgType('options.ref', 'boolean', ref);
  return { signal, ref };
}

function abortError(signal) {
  return new AbortError(undefined, { __proto__: null, cause: signal?.reason });
}

function delayed(start, clear, options) {
  let signal;
  let ref;
  try {
    ({ signal, ref } = validateOptions(options));
  } catch (err) {
    return PromiseReject(err);
  }
  if (signal?.aborted) return PromiseReject(abortError(signal));
  let oncancel;
  const ret = new PromiseCtor((resolve, reject) => {
    const handle = start(resolve);
    if (!ref && typeof handle?.unref === 'function') handle.unref();
    if (signal) {
      let done = false;
      oncancel = () => {
        if (done) return;
        done = true;
        clear(handle);
        reject(abortError(signal));
      };
      signal.addEventListener('abort', oncancel, { __proto__: null, once: true });
    }
  });
  if (oncancel === undefined) return ret;
  return PromisePrototypeFinally(ret, () => signal.removeEventListener('abort', oncancel));
}

function promiseTimeout(after, value, options = kNone) {
  return delayed((resolve) => setTimeout(resolve, after, value), clearTimeout, options);
}

function promiseImmediate(value, options = kNone) {
  return delayed((resolve) => setImmediate(resolve, value), clearImmediate, options);
}

async function* promiseInterval(after, value, options = kNone) {
  const { signal, ref } = validateOptions(options);
  if (signal?.aborted) throw abortError(signal);
  let onCancel;
  let interval;
  try {
    let notYielded = 0;
    let callback;
    interval = setInterval(() => {
      notYielded++;
      if (callback) {
        callback();
        callback = undefined;
      }
    }, after);
    if (!ref) interval.unref();
    if (signal) {
      onCancel = () => {
        clearInterval(interval);
        if (callback) {
          callback(PromiseReject(abortError(signal)));
          callback = undefined;
        }
      };
      signal.addEventListener('abort', onCancel, { __proto__: null, once: true });
    }
    while (!signal?.aborted) {
      if (notYielded === 0) {
        await new PromiseCtor((resolve) => {
          callback = resolve;
        });
      }
      for (; notYielded > 0; notYielded--) yield value;
    }
    throw abortError(signal);
  } finally {
    clearInterval(interval);
    if (onCancel !== undefined) signal.removeEventListener('abort', onCancel);
  }
}

// As Node's: `scheduler` is the one instance (`new scheduler.constructor()` throws), and its
// methods refuse any other `this`.
const kScheduler = SymbolCtor('kScheduler');

class Scheduler {
  constructor() {
    throw makeNodeError(TypeErrorCtor, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
  }

  yield() {
    if (!this[kScheduler]) throw invalidThis();
    return promiseImmediate();
  }

  wait(delay, options = undefined) {
    if (!this[kScheduler]) throw invalidThis();
    return promiseTimeout(delay, undefined, options === undefined ? kNone : options);
  }
}

function invalidThis() {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_THIS',
    'Value of "this" must be of type Scheduler',
  );
}

function named(fn, name) {
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: name });
  return fn;
}

export const timersPromises = {
  setTimeout: named(promiseTimeout, 'setTimeout'),
  setImmediate: named(promiseImmediate, 'setImmediate'),
  setInterval: named(promiseInterval, 'setInterval'),
  scheduler: ReflectConstruct(
    function () {
      this[kScheduler] = true;
    },
    [],
    Scheduler,
  ),
};
export const moduleExports = timersPromises;
