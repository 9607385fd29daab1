// lib/internal__abort.js: `AbortController` and `AbortSignal` (abort, timeout, any, reason,
// throwIfAborted, onabort), as Node 20 has them over its EventTarget.

import {
  ArrayIsArray,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  NumberIsInteger,
  ObjectDefineProperty,
  SetCtor,
  SetIteratorPrototypeNext,
  SetPrototypeAdd,
  SetPrototypeDelete,
  SetPrototypeValues,
  SymbolFor,
  SymbolIterator,
  SymbolToStringTag,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { inspect } from '../js/04_inspect.js';
import { makeNodeError } from '../js/06_errors.js';
import { webPrimordials } from '../js/09_web_primordials.js';
import { setTimeout } from '../js/24_timers.js';
import { DOMException } from './internal__dom_exception.js';
import {
  defineEventHandler,
  Event,
  EventTarget,
  kMaxEventTargetListeners,
  kNewListener,
  kRemoveListener,
  kTrustEvent,
  validateAbortSignal,
} from './internal__event_target.js';
import { invalidArgType, invalidThis, outOfRange } from './internal__web_errors.js';

const { ObjectAssign, WeakRefCtor, WeakRefPrototypeDeref } = webPrimordials;

const customInspectSymbol = SymbolFor('nodejs.util.inspect.custom');

// signal -> { aborted, reason, composite, timeout, sources: Set<WeakRef>, dependants: Set<WeakRef>,
//   inputs: the signals a composite was made of }
const signals = new WeakMapCtor();
let constructing = false;

// Timeout and composite signals with an 'abort' listener, held so that the collector cannot take
// them before they fire (Node's gcPersistentSignals).
const persistentSignals = new SetCtor();

function mayStillFire(state) {
  return !state.aborted && (state.timeout || (state.composite && state.sources?.size > 0));
}

function stateOf(self) {
  const state = WeakMapPrototypeGet(signals, self);
  if (state === undefined) throw invalidThis('AbortSignal');
  return state;
}

function customInspect(self, obj, depth, options) {
  if (depth < 0) return self;
  const opts = ObjectAssign({}, options, {
    depth: options.depth === null ? null : options.depth - 1,
  });
  return `${self.constructor.name} ${inspect(obj, opts)}`;
}

function abortError() {
  return new DOMException('This operation was aborted', 'AbortError');
}

function weakRef(value) {
  return WeakRefCtor === undefined ? { deref: () => value } : new WeakRefCtor(value);
}

function deref(ref) {
  return WeakRefCtor === undefined ? ref.deref() : WeakRefPrototypeDeref(ref);
}

function forEachRef(set, fn) {
  const it = SetPrototypeValues(set);
  for (;;) {
    const step = SetIteratorPrototypeNext(it);
    if (step.done) return;
    fn(step.value);
  }
}

// A WebIDL `sequence<AbortSignal>`: an array as it is, any other iterable read to its end.
function signalSequence(value) {
  if (ArrayIsArray(value)) return value;
  if (value === null || typeof value !== 'object' || typeof value[SymbolIterator] !== 'function') {
    throw invalidArgType('signals', 'Array', value);
  }
  const list = [];
  const it = value[SymbolIterator]();
  for (;;) {
    const step = it.next();
    if (step.done) return list;
    ArrayPrototypePush(list, step.value);
  }
}

export class AbortSignal extends EventTarget {
  constructor() {
    if (!constructing)
      throw makeNodeError(TypeErrorCtor, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
    super();
    // As Node: a signal may have any number of listeners (events.getMaxListeners gives 0).
    this[kMaxEventTargetListeners] = 0;
  }

  get aborted() {
    return stateOf(this).aborted;
  }

  get reason() {
    return stateOf(this).reason;
  }

  throwIfAborted() {
    const state = stateOf(this);
    if (state.aborted) throw state.reason;
  }

  [customInspectSymbol](depth, options) {
    return customInspect(this, { aborted: this.aborted }, depth, options);
  }

  [kNewListener](size, type, listener, once, capture, passive) {
    super[kNewListener](size, type, listener, once, capture, passive);
    const state = WeakMapPrototypeGet(signals, this);
    if (type === 'abort' && size === 1 && state !== undefined && mayStillFire(state)) {
      SetPrototypeAdd(persistentSignals, this);
    }
  }

  [kRemoveListener](size, type, listener, capture) {
    super[kRemoveListener](size, type, listener, capture);
    if (type === 'abort' && size === 0) SetPrototypeDelete(persistentSignals, this);
  }

  static abort(reason = abortError()) {
    return createAbortSignal(true, reason);
  }

  static timeout(delay) {
    if (typeof delay !== 'number') throw invalidArgType('delay', 'number', delay);
    if (!NumberIsInteger(delay)) throw outOfRange('delay', 'an integer', delay);
    if (delay < 0 || delay > 4294967295) throw outOfRange('delay', '>= 0 && <= 4294967295', delay);
    const signal = createAbortSignal(false, undefined);
    stateOf(signal).timeout = true;
    const ref = weakRef(signal);
    const timer = setTimeout(() => {
      const target = deref(ref);
      if (target !== undefined) {
        abortSignal(
          target,
          new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
        );
      }
    }, delay);
    timer.unref();
    return signal;
  }

  static any(signals) {
    const list = signalSequence(signals);
    for (let i = 0; i < list.length; i++) {
      validateAbortSignal(list[i], `signals[${i}]`);
      if (list[i] === undefined) throw invalidArgType(`signals[${i}]`, 'AbortSignal', list[i]);
    }
    const result = createAbortSignal(false, undefined);
    const resultState = stateOf(result);
    resultState.composite = true;
    if (!list.length) return result;
    const resultRef = weakRef(result);
    resultState.sources = new SetCtor();
    // The composite holds its inputs for as long as it lives, as Node's finalization registry
    // does: a timeout signal only the composite knows must still fire.
    resultState.inputs = ArrayPrototypeSlice(list);
    for (let i = 0; i < list.length; i++) {
      const signal = list[i];
      const state = stateOf(signal);
      if (state.aborted) {
        abortSignal(result, state.reason);
        return result;
      }
      if (!state.composite) {
        SetPrototypeAdd(resultState.sources, weakRef(signal));
        state.dependants ??= new SetCtor();
        SetPrototypeAdd(state.dependants, resultRef);
      } else if (state.sources !== undefined) {
        forEachRef(state.sources, (sourceRef) => {
          const source = deref(sourceRef);
          if (source === undefined) return;
          const sourceState = stateOf(source);
          SetPrototypeAdd(resultState.sources, sourceRef);
          sourceState.dependants ??= new SetCtor();
          SetPrototypeAdd(sourceState.dependants, resultRef);
        });
      }
    }
    return result;
  }
}

ObjectDefineProperty(AbortSignal.prototype, 'aborted', { __proto__: null, enumerable: true });
ObjectDefineProperty(AbortSignal.prototype, SymbolToStringTag, {
  __proto__: null,
  writable: false,
  enumerable: false,
  configurable: true,
  value: 'AbortSignal',
});
defineEventHandler(AbortSignal.prototype, 'abort');

export function createAbortSignal(aborted, reason) {
  constructing = true;
  let signal;
  try {
    signal = new AbortSignal();
  } finally {
    constructing = false;
  }
  WeakMapPrototypeSet(signals, signal, {
    __proto__: null,
    aborted,
    reason,
    composite: false,
    timeout: false,
    sources: undefined,
    dependants: undefined,
    inputs: undefined,
  });
  return signal;
}

export function abortSignal(signal, reason) {
  const state = stateOf(signal);
  if (state.aborted) return;
  state.aborted = true;
  state.reason = reason;
  SetPrototypeDelete(persistentSignals, signal);
  const event = new Event('abort', { [kTrustEvent]: true });
  signal.dispatchEvent(event);
  if (state.dependants !== undefined) {
    forEachRef(state.dependants, (ref) => {
      const dependant = deref(ref);
      if (dependant !== undefined) abortSignal(dependant, reason);
    });
  }
}

const controllers = new WeakMapCtor();

export class AbortController {
  constructor() {
    WeakMapPrototypeSet(controllers, this, { __proto__: null, signal: undefined });
  }

  get signal() {
    const state = WeakMapPrototypeGet(controllers, this);
    if (state === undefined) throw invalidThis('AbortController');
    state.signal ??= createAbortSignal(false, undefined);
    return state.signal;
  }

  abort(reason = abortError()) {
    const state = WeakMapPrototypeGet(controllers, this);
    if (state === undefined) throw invalidThis('AbortController');
    state.signal ??= createAbortSignal(false, undefined);
    abortSignal(state.signal, reason);
  }

  [customInspectSymbol](depth, options) {
    return customInspect(this, { signal: this.signal }, depth, options);
  }
}

{
  const names = ['signal', 'abort'];
  for (let i = 0; i < names.length; i++) {
    ObjectDefineProperty(AbortController.prototype, names[i], {
      __proto__: null,
      enumerable: true,
    });
  }
  ObjectDefineProperty(AbortController.prototype, SymbolToStringTag, {
    __proto__: null,
    writable: false,
    enumerable: false,
    configurable: true,
    value: 'AbortController',
  });
}
