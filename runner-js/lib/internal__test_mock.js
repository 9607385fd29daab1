// lib/internal__test_mock.js: node:test's MockTracker (`mock` and each test's `t.mock`): mock
// functions (`fn`), methods, getters and setters mocked in place and put back by `restore()`,
// the calls each mock saw (arguments, result or error, this, target), implementations changed
// for all calls or for one; properties spied on (`property`: every get and set). As Node 22's;
// not here: `mock.timers`, `mock.module`.

import {
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ErrorCtor,
  FunctionPrototypeBind,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ProxyCtor,
  ReflectApply,
  ReflectConstruct,
  ReflectGet,
} from '../js/00_primordials.js';
import {
  makeInvalidArgType,
  makeInvalidArgValue,
  validateFunction,
  validateInteger,
} from '../js/06_errors.js';
import { validateBoolean, validateObject } from './internal__crypto_util.js';
import { MockTimers } from './internal__test_mock_timers.js';

const kDefault = function () {};

function validateTimes(value, name) {
  if (value !== Infinity) validateInteger(value, name, 1, 2 ** 53 - 1);
}

/** What `mock.fn().mock` is: the calls seen, and the implementation of the next ones. */
export class MockFunctionContext {
  #calls = [];
  #once = new MapCtor();
  #implementation;
  #restore;
  #times;

  constructor(implementation, restore, times) {
    this.#implementation = implementation;
    this.#restore = restore;
    this.#times = times;
  }

  get calls() {
    return ArrayPrototypeSlice(this.#calls, 0);
  }

  callCount() {
    return this.#calls.length;
  }

  mockImplementation(implementation) {
    validateFunction(implementation, 'implementation');
    this.#implementation = implementation;
  }

  mockImplementationOnce(implementation, onCall) {
    validateFunction(implementation, 'implementation');
    const next = this.#calls.length;
    const call = onCall ?? next;
    validateInteger(call, 'onCall', next, 2 ** 53 - 1);
    MapPrototypeSet(this.#once, call, implementation);
  }

  restore() {
    const { descriptor, object, original, methodName } = this.#restore;
    if (methodName !== undefined) ObjectDefineProperty(object, methodName, descriptor);
    else this.#implementation = original;
  }

  resetCalls() {
    this.#calls = [];
  }

  trackCall(call) {
    ArrayPrototypePush(this.#calls, call);
  }

  nextImpl() {
    const next = this.#calls.length;
    const once = MapPrototypeGet(this.#once, next);
    const impl = once ?? this.#implementation;
    if (next + 1 === this.#times) this.restore();
    MapPrototypeDelete(this.#once, next);
    return impl;
  }
}

/** What `mock.property(...).mock` is: the property's gets and sets, and its next values. */
export class MockPropertyContext {
  #object;
  #name;
  #value;
  #original;
  #descriptor;
  #accesses = [];
  #once = new MapCtor();

  constructor(object, name, hasValue, value) {
    this.#object = object;
    this.#name = name;
    this.#original = object[name];
    this.#value = hasValue ? value : this.#original;
    this.#descriptor = ObjectGetOwnPropertyDescriptor(object, name);
    if (this.#descriptor === undefined) {
      throw makeInvalidArgValue('propertyName', name, 'is not a property of the object');
    }
    const { configurable, enumerable } = this.#descriptor;
    ObjectDefineProperty(object, name, {
      __proto__: null,
      configurable,
      enumerable,
      get: () => this.#access('get', this.#value),
      set: (next) => this.mockImplementation(next),
    });
  }

  get accesses() {
    return ArrayPrototypeSlice(this.#accesses, 0);
  }

  accessCount() {
    return this.#accesses.length;
  }

  mockImplementation(value) {
    if (!this.#descriptor.writable) {
      throw makeInvalidArgValue('propertyName', this.#name, 'cannot be set');
    }
    this.#value = this.#access('set', value);
  }

  mockImplementationOnce(value, onAccess) {
    const next = this.#accesses.length;
    const index = onAccess ?? next;
    validateInteger(index, 'onAccess', next, 2 ** 53 - 1);
    MapPrototypeSet(this.#once, index, value);
  }

  resetAccesses() {
    this.#accesses = [];
  }

  restore() {
    ObjectDefineProperty(this.#object, this.#name, {
      __proto__: null,
      ...this.#descriptor,
      value: this.#original,
    });
  }

  /** Records a get or set of `value` (or of the value set for this access by `...Once`). */
  #access(type, value) {
    const index = this.#accesses.length;
    if (MapPrototypeHas(this.#once, index)) {
      value = MapPrototypeGet(this.#once, index);
      MapPrototypeDelete(this.#once, index);
    }
    ArrayPrototypePush(this.#accesses, {
      __proto__: null,
      type,
      value,
      stack: new ErrorCtor(),
    });
    return value;
  }
}

/** Marks a construct call: its `this` is the object it made. */
const kConstructed = {};

/** Runs one call of a mock and records it (arguments, result or error, this, target). */
function tracked(ctx, args, target, thisArg, run) {
  let result;
  let error;
  try {
    result = run();
  } catch (err) {
    error = err;
    throw err;
  } finally {
    ctx.trackCall({
      __proto__: null,
      arguments: args,
      error,
      result,
      stack: new ErrorCtor(),
      target,
      this: thisArg === kConstructed ? result : thisArg,
    });
  }
  return result;
}

function findOnPrototypeChain(instance, name) {
  for (let host = instance; host !== null; host = ObjectGetPrototypeOf(host)) {
    const descriptor = ObjectGetOwnPropertyDescriptor(host, name);
    if (descriptor !== undefined) return descriptor;
  }
  return undefined;
}

export class MockTracker {
  #mocks = [];
  #timers = null;

  /** The fake clock (internal__test_mock_timers.js), made on first use. */
  get timers() {
    if (this.#timers === null) this.#timers = new MockTimers();
    return this.#timers;
  }

  fn(original = function () {}, implementation = original, options = {}) {
    if (original !== null && typeof original === 'object') {
      options = original;
      original = function () {};
      implementation = original;
    } else if (implementation !== null && typeof implementation === 'object') {
      options = implementation;
      implementation = original;
    }
    validateFunction(original, 'original');
    validateFunction(implementation, 'implementation');
    validateObject(options, 'options');
    const { times = Infinity } = options;
    validateTimes(times, 'options.times');
    const ctx = new MockFunctionContext(implementation, { __proto__: null, original }, times);
    return this.#setup(ctx, original);
  }

  method(object, methodName, implementation = kDefault, options = {}) {
    if (typeof methodName !== 'string' && typeof methodName !== 'symbol') {
      throw makeInvalidArgType('methodName', 'one of type string or symbol', methodName);
    }
    if (typeof object !== 'function') validateObject(object, 'object');
    if (implementation !== null && typeof implementation === 'object') {
      options = implementation;
      implementation = kDefault;
    }
    validateFunction(implementation, 'implementation');
    validateObject(options, 'options');
    const { getter = false, setter = false, times = Infinity } = options;
    validateBoolean(getter, 'options.getter');
    validateBoolean(setter, 'options.setter');
    validateTimes(times, 'options.times');
    if (setter && getter) {
      throw makeInvalidArgValue('options.setter', setter, "cannot be used with 'options.getter'");
    }
    const descriptor = findOnPrototypeChain(object, methodName);
    const original = getter ? descriptor?.get : setter ? descriptor?.set : descriptor?.value;
    if (typeof original !== 'function') {
      throw makeInvalidArgValue('methodName', original, 'must be a method');
    }
    const restore = { __proto__: null, descriptor, object, methodName };
    const impl = implementation === kDefault ? original : implementation;
    const mock = this.#setup(new MockFunctionContext(impl, restore, times), original);
    const replaced = {
      __proto__: null,
      configurable: descriptor.configurable,
      enumerable: descriptor.enumerable,
    };
    if (getter) {
      replaced.get = mock;
      replaced.set = descriptor.set;
    } else if (setter) {
      replaced.get = descriptor.get;
      replaced.set = mock;
    } else {
      replaced.writable = descriptor.writable;
      replaced.value = mock;
    }
    ObjectDefineProperty(object, methodName, replaced);
    return mock;
  }

  getter(object, methodName, implementation = kDefault, options = {}) {
    return this.#accessor('getter', object, methodName, implementation, options);
  }

  setter(object, methodName, implementation = kDefault, options = {}) {
    return this.#accessor('setter', object, methodName, implementation, options);
  }

  #accessor(kind, object, methodName, implementation, options) {
    if (implementation !== null && typeof implementation === 'object') {
      options = implementation;
      implementation = kDefault;
    } else {
      validateObject(options, 'options');
    }
    if (options[kind] === false) {
      throw makeInvalidArgValue(`options.${kind}`, false, 'cannot be false');
    }
    return this.method(object, methodName, implementation, { ...options, [kind]: true });
  }

  property(object, propertyName, ...maybeValue) {
    validateObject(object, 'object');
    if (typeof propertyName !== 'string' && typeof propertyName !== 'symbol') {
      throw makeInvalidArgType('propertyName', 'one of type string or symbol', propertyName);
    }
    // A value passed as undefined mocks the property to undefined; none keeps the original.
    const ctx = new MockPropertyContext(object, propertyName, maybeValue.length > 0, maybeValue[0]);
    ArrayPrototypePush(this.#mocks, ctx);
    return new ProxyCtor(object, {
      __proto__: null,
      get(target, property, receiver) {
        if (property === 'mock') return ctx;
        return ReflectGet(target, property, receiver);
      },
    });
  }

  reset() {
    this.restoreAll();
    this.#mocks = [];
    this.#timers?.reset();
  }

  restoreAll() {
    for (let i = 0; i < this.#mocks.length; i++) this.#mocks[i].restore();
  }

  #setup(ctx, fnToMatch) {
    const mock = new ProxyCtor(fnToMatch, {
      __proto__: null,
      apply(_fn, thisArg, args) {
        const fn = FunctionPrototypeBind(ctx.nextImpl(), thisArg);
        return tracked(ctx, args, undefined, thisArg, () => ReflectApply(fn, thisArg, args));
      },
      construct(target, args, newTarget) {
        const impl = ctx.nextImpl();
        return tracked(ctx, args, target, kConstructed, () =>
          ReflectConstruct(impl, args, newTarget),
        );
      },
      get(target, property, receiver) {
        if (property === 'mock') return ctx;
        return ReflectGet(target, property, receiver);
      },
    });
    ArrayPrototypePush(this.#mocks, ctx);
    return mock;
  }
}
