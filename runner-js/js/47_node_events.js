// 47_node_events.js: the `events` builtin. A function-style EventEmitter with Node's observable
// state (`_events`, `_eventsCount`, `_maxListeners`), so old-style `EventEmitter.call(this)` +
// `util.inherits` subclasses work. The runner's own class (08_events.js, used by process and
// stdin) inherits from it, so `process instanceof require('events')` holds as in Node.

import {
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSplice,
  ErrorCtor,
  FunctionPrototypeCall,
  NumberIsNaN,
  ObjectDefineProperty,
  ObjectGetPrototypeOf,
  ObjectKeys,
  ObjectSetPrototypeOf,
  PromiseCtor,
  ReflectApply,
  ReflectOwnKeys,
  SymbolCtor,
  SymbolFor,
} from './00_primordials.js';
import { isError, listPush, newList, toStringSafe } from './01_helpers.js';
import { inspect } from './04_inspect.js';
import {
  makeInvalidArgType,
  makeNodeError,
  makeOutOfRange,
  validateFunction,
} from './06_errors.js';
import { EventEmitter } from './08_events.js';
import { nextTick } from './21_ticks.js';
import { emitWarning } from './23_warnings.js';
import { nodeSet } from './40_path.js';
import { loadLazyBuiltin } from './49_lazy.js';

const kNodeEventsCapture = SymbolFor('nodejs.rejection');
const kNodeEventsCaptureOn = SymbolCtor('kCapture');
const kNodeEventsErrorMonitor = SymbolCtor('events.errorMonitor');

// Node's validateNumber(n, name, 0), for listener limits.
function validateCount(n, name) {
  if (typeof n !== 'number') throw makeInvalidArgType(name, 'number', n);
  if (n < 0 || NumberIsNaN(n)) throw makeOutOfRange(name, '>= 0', n);
}
let nodeEventsDefaultMaxListeners = 10;

function NodeEventEmitter(opts) {
  FunctionPrototypeCall(NodeEventEmitter.init, this, opts);
}

NodeEventEmitter.prototype._events = undefined;
NodeEventEmitter.prototype._eventsCount = 0;
NodeEventEmitter.prototype._maxListeners = undefined;
// The default (`EventEmitter.captureRejections`) lives on the prototype, as Node's: an emitter
// whose constructor never ran `init` follows it.
ObjectDefineProperty(NodeEventEmitter.prototype, kNodeEventsCaptureOn, {
  __proto__: null,
  value: false,
  writable: true,
  enumerable: false,
});

NodeEventEmitter.init = function init(opts) {
  if (this._events === undefined || this._events === ObjectGetPrototypeOf(this)._events) {
    this._events = { __proto__: null };
    this._eventsCount = 0;
  }
  this._maxListeners = this._maxListeners || undefined;
  if (opts?.captureRejections) {
    if (typeof opts.captureRejections !== 'boolean') {
      throw makeInvalidArgType('options.captureRejections', 'boolean', opts.captureRejections);
    }
    this[kNodeEventsCaptureOn] = true;
  } else {
    this[kNodeEventsCaptureOn] = NodeEventEmitter.prototype[kNodeEventsCaptureOn];
  }
};

// captureRejections: a listener's rejected promise becomes an 'error' event (or a call of the
// emitter's Symbol.for('nodejs.rejection') method), on the next tick, as in Node.
function nodeEventsAddCatch(that, promise, type, args) {
  try {
    const then = promise.then;
    if (typeof then === 'function') {
      ReflectApply(then, promise, [
        undefined,
        (err) => nextTick(nodeEventsRejection, that, err, type, args),
      ]);
    }
  } catch (err) {
    that.emit('error', err);
  }
}

function nodeEventsRejection(that, err, type, args) {
  if (typeof that[kNodeEventsCapture] === 'function') {
    const callArgs = newList();
    listPush(callArgs, err);
    listPush(callArgs, type);
    for (let i = 0; i < args.length; i++) listPush(callArgs, args[i]);
    ReflectApply(that[kNodeEventsCapture], that, callArgs);
  } else {
    const prev = that[kNodeEventsCaptureOn];
    try {
      that[kNodeEventsCaptureOn] = false;
      that.emit('error', err);
    } finally {
      that[kNodeEventsCaptureOn] = prev;
    }
  }
}

function nodeEventsAdd(target, type, listener, prepend) {
  validateFunction(listener, 'listener');
  let events = target._events;
  if (events === undefined) {
    events = target._events = { __proto__: null };
    target._eventsCount = 0;
  } else if (events.newListener !== undefined) {
    target.emit('newListener', type, listener.listener ? listener.listener : listener);
    events = target._events;
  }
  const existing = events[type];
  if (existing === undefined) {
    events[type] = listener;
    ++target._eventsCount;
  } else if (typeof existing === 'function') {
    events[type] = prepend ? [listener, existing] : [existing, listener];
  } else if (prepend) {
    ArrayPrototypeSplice(existing, 0, 0, listener);
  } else {
    ArrayPrototypePush(existing, listener);
  }
  const list = events[type];
  if (typeof list !== 'function') nodeEventsCheckLeak(target, type, list);
  return target;
}

// Node's leak warning: once per event name, when its listeners pass getMaxListeners().
function nodeEventsCheckLeak(target, type, list) {
  const max =
    target._maxListeners === undefined ? nodeEventsDefaultMaxListeners : target._maxListeners;
  if (!(max > 0) || list.length <= max || list.warned) return;
  list.warned = true;
  const warning = new ErrorCtor(
    `Possible EventEmitter memory leak detected. ${list.length} ${toStringSafe(type)} listeners ` +
      `added to ${inspect(target, { __proto__: null, depth: -1 })}. MaxListeners is ${max}. ` +
      'Use emitter.setMaxListeners() to increase limit',
  );
  warning.name = 'MaxListenersExceededWarning';
  warning.emitter = target;
  warning.type = type;
  warning.count = list.length;
  emitWarning(warning);
}

function nodeEventsOnceWrapper(target, type, listener) {
  const state = { fired: false, wrapFn: undefined, target, type, listener };
  const wrapped = function (...args) {
    if (!state.fired) {
      state.target.removeListener(state.type, state.wrapFn);
      state.fired = true;
      return ReflectApply(state.listener, state.target, args);
    }
    return undefined;
  };
  nodeSet(wrapped, 'listener', listener);
  state.wrapFn = wrapped;
  return wrapped;
}

const nodeEventsMethods = {
  setMaxListeners(n) {
    validateCount(n, 'setMaxListeners');
    this._maxListeners = n;
    return this;
  },
  getMaxListeners() {
    return this._maxListeners === undefined ? nodeEventsDefaultMaxListeners : this._maxListeners;
  },
  emit(type, ...args) {
    const events = this._events;
    if (type === 'error' && events !== undefined && events[kNodeEventsErrorMonitor] !== undefined) {
      // events.errorMonitor listeners see every 'error' first, handled or not (as in Node).
      const monitorArgs = newList();
      listPush(monitorArgs, kNodeEventsErrorMonitor);
      for (let i = 0; i < args.length; i++) listPush(monitorArgs, args[i]);
      ReflectApply(this.emit, this, monitorArgs);
    }
    if (type === 'error' && (events === undefined || events.error === undefined)) {
      const er = args[0];
      if (isError(er)) throw er;
      let text;
      try {
        text = inspect(er);
      } catch {
        text = toStringSafe(er);
      }
      const err = makeNodeError(ErrorCtor, 'ERR_UNHANDLED_ERROR', `Unhandled error. (${text})`);
      err.context = er;
      throw err;
    }
    if (events === undefined) return false;
    const handler = events[type];
    if (handler === undefined) return false;
    const capture = this[kNodeEventsCaptureOn] === true;
    if (typeof handler === 'function') {
      const result = ReflectApply(handler, this, args);
      if (capture && result !== undefined && result !== null) {
        nodeEventsAddCatch(this, result, type, args);
      }
    } else {
      const listeners = ArrayPrototypeSlice(handler);
      for (let i = 0; i < listeners.length; ++i) {
        const result = ReflectApply(listeners[i], this, args);
        if (capture && result !== undefined && result !== null) {
          nodeEventsAddCatch(this, result, type, args);
        }
      }
    }
    return true;
  },
  addListener(type, listener) {
    return nodeEventsAdd(this, type, listener, false);
  },
  prependListener(type, listener) {
    return nodeEventsAdd(this, type, listener, true);
  },
  // As Node: through `this.on` / `this.prependListener`, so a subclass's override sees it
  // (a Readable's `once('data')` starts the flow as `on('data')` does).
  once(type, listener) {
    validateFunction(listener, 'listener');
    this.on(type, nodeEventsOnceWrapper(this, type, listener));
    return this;
  },
  prependOnceListener(type, listener) {
    validateFunction(listener, 'listener');
    this.prependListener(type, nodeEventsOnceWrapper(this, type, listener));
    return this;
  },
  removeListener(type, listener) {
    validateFunction(listener, 'listener');
    const events = this._events;
    if (events === undefined) return this;
    const list = events[type];
    if (list === undefined) return this;
    if (list === listener || list.listener === listener) {
      if (--this._eventsCount === 0) this._events = { __proto__: null };
      else delete events[type];
      if (events.removeListener !== undefined)
        this.emit('removeListener', type, list.listener || listener);
    } else if (typeof list !== 'function') {
      let position = -1;
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i] === listener || list[i].listener === listener) {
          position = i;
          break;
        }
      }
      if (position < 0) return this;
      ArrayPrototypeSplice(list, position, 1);
      if (list.length === 1) events[type] = list[0];
      if (events.removeListener !== undefined) this.emit('removeListener', type, listener);
    }
    return this;
  },
  removeAllListeners(type) {
    const events = this._events;
    if (events === undefined) return this;
    if (events.removeListener === undefined) {
      // biome-ignore lint/correctness/noUndeclaredVariables: the method\'s own `arguments` (Node tells no argument from undefined)
      if (arguments.length === 0) {
        this._events = { __proto__: null };
        this._eventsCount = 0;
      } else if (events[type] !== undefined) {
        if (--this._eventsCount === 0) this._events = { __proto__: null };
        else delete events[type];
      }
      return this;
    }
    // biome-ignore lint/correctness/noUndeclaredVariables: the method\'s own `arguments` (Node tells no argument from undefined)
    if (arguments.length === 0) {
      const keys = ReflectOwnKeys(events);
      for (let i = 0; i < keys.length; i++) {
        if (keys[i] !== 'removeListener') this.removeAllListeners(keys[i]);
      }
      this.removeAllListeners('removeListener');
      this._events = { __proto__: null };
      this._eventsCount = 0;
      return this;
    }
    const listeners = events[type];
    if (typeof listeners === 'function') {
      this.removeListener(type, listeners);
    } else if (listeners !== undefined) {
      for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
    }
    return this;
  },
  listeners(type) {
    return nodeEventsListeners(this, type, true);
  },
  rawListeners(type) {
    return nodeEventsListeners(this, type, false);
  },
  listenerCount(type, listener) {
    const events = this._events;
    if (events === undefined) return 0;
    const l = events[type];
    if (l === undefined) return 0;
    if (typeof l === 'function') {
      if (listener == null) return 1;
      return l === listener || l.listener === listener ? 1 : 0;
    }
    if (listener == null) return l.length;
    let matching = 0;
    for (let i = 0; i < l.length; i++) {
      if (l[i] === listener || l[i].listener === listener) matching++;
    }
    return matching;
  },
  eventNames() {
    return this._eventsCount > 0 ? ReflectOwnKeys(this._events) : [];
  },
};

function nodeEventsListeners(target, type, unwrap) {
  const events = target._events;
  if (events === undefined) return [];
  const l = events[type];
  if (l === undefined) return [];
  if (typeof l === 'function') return unwrap ? [l.listener || l] : [l];
  const out = [];
  for (let i = 0; i < l.length; i++) ArrayPrototypePush(out, unwrap ? l[i].listener || l[i] : l[i]);
  return out;
}

{
  // `on` is `addListener` and `off` is `removeListener` (the same functions, as in Node).
  const aliases = { __proto__: null, addListener: 'on', removeListener: 'off' };
  const names = ObjectKeys(nodeEventsMethods);
  for (let i = 0; i < names.length; i++) {
    const value = nodeEventsMethods[names[i]];
    nodeSet(NodeEventEmitter.prototype, names[i], value);
    const alias = aliases[names[i]];
    if (alias !== undefined) nodeSet(NodeEventEmitter.prototype, alias, value);
  }
  ObjectDefineProperty(NodeEventEmitter, 'name', { __proto__: null, value: 'EventEmitter' });
  // process / stdin (the runner's class) are EventEmitters too; their own methods shadow these.
  ObjectSetPrototypeOf(EventEmitter.prototype, NodeEventEmitter.prototype);
}

// events.once(emitter, name): a promise of the next event's arguments.
function nodeEventsOnce(emitter, name) {
  return new PromiseCtor((resolve, reject) => {
    const errorListener = (err) => {
      emitter.removeListener(name, resolver);
      reject(err);
    };
    const resolver = (...args) => {
      if (name !== 'error') emitter.removeListener('error', errorListener);
      resolve(args);
    };
    emitter.once(name, resolver);
    if (name !== 'error') emitter.once('error', errorListener);
  });
}

let eventsModuleInstalled = false;

// The `events` module: the EventEmitter with its statics, installed on the first call only
// (lib modules call this on load; a later call must not reset what guest code or `domain`
// set, such as `EventEmitter.usingDomains`).
export function createEventsModule() {
  const EE = NodeEventEmitter;
  if (eventsModuleInstalled) return EE;
  eventsModuleInstalled = true;
  ObjectDefineProperty(EE, 'EventEmitter', {
    __proto__: null,
    value: EE,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  ObjectDefineProperty(EE, 'defaultMaxListeners', {
    __proto__: null,
    enumerable: true,
    configurable: true,
    get() {
      return nodeEventsDefaultMaxListeners;
    },
    set(n) {
      validateCount(n, 'defaultMaxListeners');
      nodeEventsDefaultMaxListeners = n;
    },
  });
  nodeSet(EE, 'once', function once(emitter, name, options = undefined) {
    if (options === undefined && typeof emitter?.once === 'function') {
      return nodeEventsOnce(emitter, name);
    }
    return loadLazyBuiltin('internal/events_extra').once(emitter, name, options);
  });
  nodeSet(EE, 'on', function on(emitter, event, options = undefined) {
    return loadLazyBuiltin('internal/events_extra').on(emitter, event, options);
  });
  nodeSet(EE, 'getEventListeners', function getEventListeners(emitterOrTarget, type) {
    return loadLazyBuiltin('internal/events_extra').getEventListeners(emitterOrTarget, type);
  });
  nodeSet(EE, 'getMaxListeners', function getMaxListeners(emitterOrTarget) {
    return loadLazyBuiltin('internal/events_extra').getMaxListeners(
      emitterOrTarget,
      nodeEventsDefaultMaxListeners,
    );
  });
  nodeSet(
    EE,
    'setMaxListeners',
    function setMaxListeners(n = nodeEventsDefaultMaxListeners, ...eventTargets) {
      validateCount(n, 'setMaxListeners');
      if (eventTargets.length === 0) nodeEventsDefaultMaxListeners = n;
      else loadLazyBuiltin('internal/events_extra').setMaxListenersOn(n, eventTargets);
    },
  );
  nodeSet(EE, 'addAbortListener', function addAbortListener(signal, listener) {
    return loadLazyBuiltin('internal/events_extra').addAbortListener(signal, listener);
  });
  EE.listenerCount = function listenerCount(emitter, type) {
    return emitter.listenerCount(type);
  };
  nodeSet(EE, 'errorMonitor', kNodeEventsErrorMonitor);
  nodeSet(EE, 'captureRejectionSymbol', kNodeEventsCapture);
  ObjectDefineProperty(EE, 'captureRejections', {
    __proto__: null,
    enumerable: true,
    configurable: true,
    get() {
      return NodeEventEmitter.prototype[kNodeEventsCaptureOn];
    },
    set(value) {
      if (typeof value !== 'boolean') {
        throw makeInvalidArgType('EventEmitter.captureRejections', 'boolean', value);
      }
      NodeEventEmitter.prototype[kNodeEventsCaptureOn] = value;
    },
  });
  nodeSet(EE, 'usingDomains', false);
  return EE;
}
