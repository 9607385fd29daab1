// lib/async_hooks.js: AsyncLocalStorage and AsyncResource over V8's continuation-preserved data
// (bridge asyncContextGet/Set), which V8 carries into every promise job and the runner carries
// into nextTick, timer and immediate callbacks: a store set by `run` is seen after `await` and in
// callbacks scheduled inside it, as in Node 22's AsyncContextFrame. The frame is an immutable
// Map (AsyncLocalStorage -> store), copied on write.
//
// createHook's hooks are accepted and never called (no async resource ids are tracked);
// executionAsyncId/triggerAsyncId return fixed ids. Both are documented as such.

import {
  asyncContextGet,
  asyncContextSet,
  MapCtor,
  MapIteratorPrototypeNext,
  MapPrototypeDelete,
  MapPrototypeEntries,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  ReflectApply,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { makeInvalidArgType, validateFunction } from '../js/06_errors.js';

function withFrame(frame, fn, thisArg, args) {
  const outer = asyncContextGet();
  asyncContextSet(frame);
  try {
    return ReflectApply(fn, thisArg, args);
  } finally {
    asyncContextSet(outer);
  }
}

// Frames are made here only, and recorded, so a guest's own Map set as the context is no frame
// and copying one never goes through Map.prototype (which a guest may have patched).
const frames = new WeakMapCtor();

function isFrame(value) {
  return value !== null && typeof value === 'object' && WeakMapPrototypeGet(frames, value) === true;
}

function copyFrame(current) {
  const next = new MapCtor();
  WeakMapPrototypeSet(frames, next, true);
  if (!isFrame(current)) return next;
  const entries = MapPrototypeEntries(current);
  for (let step = MapIteratorPrototypeNext(entries); !step.done; ) {
    MapPrototypeSet(next, step.value[0], step.value[1]);
    step = MapIteratorPrototypeNext(entries);
  }
  return next;
}

function frameWith(storage, store) {
  const next = copyFrame(asyncContextGet());
  MapPrototypeSet(next, storage, store);
  return next;
}

export class AsyncLocalStorage {
  static bind(fn) {
    return AsyncResource.bind(fn);
  }

  static snapshot() {
    const frame = asyncContextGet();
    return function runInAsyncScope(fn, ...args) {
      return withFrame(frame, fn, undefined, args);
    };
  }

  disable() {
    const current = asyncContextGet();
    if (isFrame(current) && MapPrototypeHas(current, this)) {
      const next = copyFrame(current);
      MapPrototypeDelete(next, this);
      asyncContextSet(next);
    }
  }

  getStore() {
    const current = asyncContextGet();
    return isFrame(current) ? MapPrototypeGet(current, this) : undefined;
  }

  enterWith(store) {
    asyncContextSet(frameWith(this, store));
  }

  run(store, callback, ...args) {
    return withFrame(frameWith(this, store), callback, undefined, args);
  }

  exit(callback, ...args) {
    const current = asyncContextGet();
    if (!isFrame(current) || !MapPrototypeHas(current, this)) {
      return ReflectApply(callback, undefined, args);
    }
    const next = copyFrame(current);
    MapPrototypeDelete(next, this);
    return withFrame(next, callback, undefined, args);
  }
}

let nextAsyncId = 2;

export class AsyncResource {
  #frame;
  #asyncId;
  #triggerAsyncId;

  constructor(type, options) {
    if (typeof type !== 'string') throw makeInvalidArgType('type', 'string', type);
    this.#frame = asyncContextGet();
    this.#asyncId = nextAsyncId++;
    const trigger = typeof options === 'number' ? options : options?.triggerAsyncId;
    this.#triggerAsyncId = trigger === undefined ? 1 : trigger;
  }

  static bind(fn, type, thisArg) {
    return new AsyncResource(type || fn.name || 'bound-anonymous-fn').bind(fn, thisArg);
  }

  runInAsyncScope(fn, thisArg, ...args) {
    return withFrame(this.#frame, fn, thisArg, args);
  }

  bind(fn, thisArg) {
    validateFunction(fn, 'fn');
    const resource = this;
    const bound = function bound(...args) {
      return withFrame(resource.#frame, fn, thisArg === undefined ? this : thisArg, args);
    };
    return bound;
  }

  emitDestroy() {
    return this;
  }

  asyncId() {
    return this.#asyncId;
  }

  triggerAsyncId() {
    return this.#triggerAsyncId;
  }
}

export function createHook(callbacks) {
  if (callbacks === null || typeof callbacks !== 'object') {
    throw makeInvalidArgType('callbacks', 'object', callbacks);
  }
  const hook = {
    enable() {
      return hook;
    },
    disable() {
      return hook;
    },
  };
  return hook;
}

export function executionAsyncId() {
  return 1;
}

export function triggerAsyncId() {
  return 0;
}

export function executionAsyncResource() {
  return {};
}
