// 08_events.js: a minimal EventEmitter for process, process.stdin/stdout/stderr.
//
// Listener lists live in a private field; `setEmitterHook(emitter, hook)` registers an internal
// hook (a private registry) called when listeners change, so stdin can track its ref state.

import {
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSplice,
  ErrorCtor,
  MapCtor,
  MapIteratorPrototypeNext,
  MapPrototypeDelete,
  MapPrototypeEntries,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  ReflectApply,
  uncurryThis,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from './00_primordials.js';
import { isError, listPush, newList } from './01_helpers.js';
import { inspect } from './04_inspect.js';
import { validateFunction } from './06_errors.js';

const emitterHooks = new WeakMapCtor();

export function setEmitterHook(emitter, hook) {
  WeakMapPrototypeSet(emitterHooks, emitter, hook);
}

function callEmitterHook(emitter, event) {
  const hook = WeakMapPrototypeGet(emitterHooks, emitter);
  if (hook !== undefined) hook(event);
}

export class EventEmitter {
  #events = new MapCtor();

  #add(event, listener, once, prepend) {
    validateFunction(listener, 'listener');
    let list = MapPrototypeGet(this.#events, event);
    if (list === undefined) {
      list = newList();
      MapPrototypeSet(this.#events, event, list);
    }
    const entry = { __proto__: null, listener, once };
    if (prepend) ArrayPrototypeSplice(list, 0, 0, entry);
    else listPush(list, entry);
    if (event !== 'newListener' && MapPrototypeHas(this.#events, 'newListener')) {
      this.emit('newListener', event, listener);
    }
    callEmitterHook(this, event);
    return this;
  }

  on(event, listener) {
    return this.#add(event, listener, false, false);
  }

  addListener(event, listener) {
    return this.#add(event, listener, false, false);
  }

  prependListener(event, listener) {
    return this.#add(event, listener, false, true);
  }

  once(event, listener) {
    return this.#add(event, listener, true, false);
  }

  prependOnceListener(event, listener) {
    return this.#add(event, listener, true, true);
  }

  removeListener(event, listener) {
    const list = MapPrototypeGet(this.#events, event);
    if (list === undefined) return this;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i].listener === listener) {
        ArrayPrototypeSplice(list, i, 1);
        if (list.length === 0) MapPrototypeDelete(this.#events, event);
        callEmitterHook(this, event);
        this.#removed(event, listener);
        break;
      }
    }
    return this;
  }

  /** Node's 'removeListener' event, after `listener` left `event`'s list. */
  #removed(event, listener) {
    if (MapPrototypeHas(this.#events, 'removeListener')) {
      this.emit('removeListener', event, listener);
    }
  }

  off(event, listener) {
    return this.removeListener(event, listener);
  }

  removeAllListeners(event) {
    // biome-ignore lint/correctness/noUndeclaredVariables: the method\'s own `arguments` (Node tells no argument from undefined)
    const all = arguments.length === 0;
    if (MapPrototypeHas(this.#events, 'removeListener')) {
      // One by one, so that each removal is told, as Node does: the named event's listeners
      // last first; for all events, every other event first and 'removeListener' last.
      if (!all) return this.#removeEach(event);
      const names = this.eventNames();
      for (let i = 0; i < names.length; i++) {
        if (names[i] !== 'removeListener') this.#removeEach(names[i]);
      }
      return this.#removeEach('removeListener');
    }
    if (all) {
      this.#events = new MapCtor();
      callEmitterHook(this, undefined);
    } else {
      MapPrototypeDelete(this.#events, event);
      callEmitterHook(this, event);
    }
    return this;
  }

  #removeEach(event) {
    const list = MapPrototypeGet(this.#events, event);
    if (list === undefined) return this;
    const copy = ArrayPrototypeSlice(list);
    for (let i = copy.length - 1; i >= 0; i--) this.removeListener(event, copy[i].listener);
    return this;
  }

  emit(event, ...args) {
    const list = MapPrototypeGet(this.#events, event);
    if (list === undefined) {
      if (event === 'error') {
        const er = args[0];
        if (isError(er)) throw er;
        const err = new ErrorCtor(`Unhandled error. (${inspect(er)})`);
        err.context = er;
        throw err;
      }
      return false;
    }
    const copy = ArrayPrototypeSlice(list);
    let removedOnce = false;
    for (let i = 0; i < copy.length; i++) {
      const entry = copy[i];
      if (entry.once) {
        const idx = ArrayPrototypeIndexOf(list, entry);
        if (idx === -1) continue;
        ArrayPrototypeSplice(list, idx, 1);
        if (list.length === 0) MapPrototypeDelete(this.#events, event);
        removedOnce = true;
        this.#removed(event, entry.listener);
      }
      ReflectApply(entry.listener, this, args);
    }
    if (removedOnce) callEmitterHook(this, event);
    return true;
  }

  listenerCount(event) {
    const list = MapPrototypeGet(this.#events, event);
    return list === undefined ? 0 : list.length;
  }

  listeners(event) {
    const list = MapPrototypeGet(this.#events, event);
    const out = [];
    if (list !== undefined) {
      for (let i = 0; i < list.length; i++) ArrayPrototypePush(out, list[i].listener);
    }
    return out;
  }

  rawListeners(event) {
    return this.listeners(event);
  }

  eventNames() {
    const out = [];
    const it = MapPrototypeEntries(this.#events);
    for (;;) {
      const r = MapIteratorPrototypeNext(it);
      if (r.done) break;
      ArrayPrototypePush(out, r.value[0]);
    }
    return out;
  }

  setMaxListeners() {
    return this;
  }

  getMaxListeners() {
    return 10;
  }
}

export const EventEmitterPrototypeEmit = uncurryThis(EventEmitter.prototype.emit);
export const EventEmitterPrototypeListenerCount = uncurryThis(EventEmitter.prototype.listenerCount);
