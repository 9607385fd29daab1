// lib/diagnostics_channel.js: named channels that publish messages to subscribers, and tracing
// channels (start/end/asyncStart/asyncEnd/error around a traced call), as Node's. Nothing inside
// the sidecar publishes on them; packages (undici, express, pino...) create and use their own.

import {
  ArrayPrototypeIndexOf,
  ArrayPrototypeSlice,
  ArrayPrototypeSplice,
  FunctionPrototypeCall,
  MapCtor,
  MapIteratorPrototypeNext,
  MapPrototypeDelete,
  MapPrototypeEntries,
  MapPrototypeGet,
  MapPrototypeGetSize,
  MapPrototypeSet,
  PromisePrototypeThen,
  PromiseReject,
  ReflectApply,
} from '../js/00_primordials.js';
import { listPush } from '../js/01_helpers.js';
import { makeInvalidArgType, validateFunction } from '../js/06_errors.js';
import { nextTick } from '../js/21_ticks.js';

const channels = new MapCtor();

function validateName(name) {
  if (typeof name !== 'string' && typeof name !== 'symbol') {
    throw makeInvalidArgType('channel', ['string', 'symbol'], name);
  }
}

export class Channel {
  #subscribers = [];
  #stores = new MapCtor();

  constructor(name) {
    this.name = name;
  }

  get hasSubscribers() {
    return this.#subscribers.length > 0 || MapPrototypeGetSize(this.#stores) > 0;
  }

  subscribe(subscription) {
    validateFunction(subscription, 'subscription');
    this.#subscribers = ArrayPrototypeSlice(this.#subscribers);
    listPush(this.#subscribers, subscription);
  }

  unsubscribe(subscription) {
    const index = ArrayPrototypeIndexOf(this.#subscribers, subscription);
    if (index === -1) return false;
    this.#subscribers = ArrayPrototypeSlice(this.#subscribers);
    ArrayPrototypeSplice(this.#subscribers, index, 1);
    return true;
  }

  publish(data) {
    const subscribers = this.#subscribers;
    for (let i = 0; i < subscribers.length; i++) {
      try {
        FunctionPrototypeCall(subscribers[i], undefined, data, this.name);
      } catch (err) {
        // As Node: a throwing subscriber becomes an uncaught exception, later.
        nextTick(() => {
          throw err;
        });
      }
    }
  }

  bindStore(store, transform) {
    MapPrototypeSet(this.#stores, store, transform);
  }

  unbindStore(store) {
    return MapPrototypeDelete(this.#stores, store);
  }

  runStores(data, fn, thisArg, ...args) {
    let run = () => {
      this.publish(data);
      return ReflectApply(fn, thisArg, args);
    };
    const entries = MapPrototypeEntries(this.#stores);
    for (let step = MapIteratorPrototypeNext(entries); !step.done; ) {
      const store = step.value[0];
      const transform = step.value[1];
      const inner = run;
      const value =
        transform === undefined ? data : FunctionPrototypeCall(transform, undefined, data);
      run = () => store.run(value, inner);
      step = MapIteratorPrototypeNext(entries);
    }
    return run();
  }
}

export function channel(name) {
  validateName(name);
  let ch = MapPrototypeGet(channels, name);
  if (ch === undefined) {
    ch = new Channel(name);
    MapPrototypeSet(channels, name, ch);
  }
  return ch;
}

export function hasSubscribers(name) {
  validateName(name);
  const ch = MapPrototypeGet(channels, name);
  return ch?.hasSubscribers === true;
}

export function subscribe(name, subscription) {
  channel(name).subscribe(subscription);
}

export function unsubscribe(name, subscription) {
  return channel(name).unsubscribe(subscription);
}

const EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];

// Runs `fn` between `start` (with its stores) and `end`, publishing a throw on `error`.
function traced(tc, context, fn) {
  return tc.start.runStores(context, () => {
    try {
      return fn();
    } catch (err) {
      context.error = err;
      tc.error.publish(context);
      throw err;
    } finally {
      tc.end.publish(context);
    }
  });
}

export class TracingChannel {
  constructor(nameOrChannels) {
    for (let i = 0; i < EVENTS.length; i++) {
      const event = EVENTS[i];
      this[event] =
        typeof nameOrChannels === 'string'
          ? channel(`tracing:${nameOrChannels}:${event}`)
          : nameOrChannels[event];
    }
  }

  get hasSubscribers() {
    return (
      this.start.hasSubscribers ||
      this.end.hasSubscribers ||
      this.asyncStart.hasSubscribers ||
      this.asyncEnd.hasSubscribers ||
      this.error.hasSubscribers
    );
  }

  subscribe(handlers) {
    for (let i = 0; i < EVENTS.length; i++) {
      if (handlers[EVENTS[i]]) this[EVENTS[i]].subscribe(handlers[EVENTS[i]]);
    }
  }

  unsubscribe(handlers) {
    let done = true;
    for (let i = 0; i < EVENTS.length; i++) {
      if (handlers[EVENTS[i]] && !this[EVENTS[i]].unsubscribe(handlers[EVENTS[i]])) done = false;
    }
    return done;
  }

  traceSync(fn, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return ReflectApply(fn, thisArg, args);
    return traced(this, context, () => {
      const result = ReflectApply(fn, thisArg, args);
      context.result = result;
      return result;
    });
  }

  tracePromise(fn, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return ReflectApply(fn, thisArg, args);
    const { asyncStart, asyncEnd, error } = this;
    const reject = (err) => {
      context.error = err;
      error.publish(context);
      asyncStart.publish(context);
      asyncEnd.publish(context);
      return PromiseReject(err);
    };
    const resolve = (result) => {
      context.result = result;
      asyncStart.publish(context);
      asyncEnd.publish(context);
      return result;
    };
    return traced(this, context, () =>
      PromisePrototypeThen(ReflectApply(fn, thisArg, args), resolve, reject),
    );
  }

  traceCallback(fn, position = -1, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return ReflectApply(fn, thisArg, args);
    const { asyncStart, asyncEnd, error } = this;
    const index = position < 0 ? args.length + position : position;
    const callback = args[index];
    validateFunction(callback, 'callback');
    args[index] = function wrappedCallback(err, result) {
      if (err) {
        context.error = err;
        error.publish(context);
      } else {
        context.result = result;
      }
      return asyncStart.runStores(context, () => {
        try {
          return ReflectApply(callback, this, arguments);
        } finally {
          asyncEnd.publish(context);
        }
      });
    };
    return traced(this, context, () => ReflectApply(fn, thisArg, args));
  }
}

export function tracingChannel(nameOrChannels) {
  return new TracingChannel(nameOrChannels);
}
