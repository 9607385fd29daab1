// lib/internal__test_mock_timers.js: `mock.timers` of node:test. `enable({ apis, now })` puts a
// fake clock under the timers (the globals and node:timers' setTimeout, setInterval,
// setImmediate and their clear functions, node:timers/promises' setTimeout, setImmediate and
// scheduler.wait)
// and `Date` (`Date.now()`, `new Date()`, `Date()`); nothing runs until `tick(ms)` advances the
// clock, running what falls due in order of due time then of creation (an interval again each
// period; as in Node, the clock already reads the new time while they run), or `runAll()`
// advances it to the last one. `setTime(ms)` moves the clock without
// running anything; `reset()` (also `[Symbol.dispose]`) puts the real ones back.

import {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSplice,
  DateCtor,
  DatePrototypeGetTime,
  ErrorCtor,
  FunctionPrototypeCall,
  globalObject,
  NumberIsFinite,
  ObjectDefineProperty,
  PromiseCtor,
  PromiseReject,
  ReflectApply,
  ReflectConstruct,
  SymbolDispose,
  SymbolToPrimitive,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeAbortError, makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';
import { validateAbortSignal } from './internal__event_target.js';

const APIS = ['setTimeout', 'setInterval', 'setImmediate', 'Date', 'scheduler.wait'];
const TIMER_NAMES = {
  setTimeout: ['setTimeout', 'clearTimeout'],
  setInterval: ['setInterval', 'clearInterval'],
  setImmediate: ['setImmediate', 'clearImmediate'],
};

function invalidState(message) {
  return makeNodeError(ErrorCtor, 'ERR_INVALID_STATE', `Invalid state: ${message}`);
}

function invalidArg(name, value, reason) {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_ARG_VALUE',
    `The argument '${name}' ${reason}. Received ${value}`,
  );
}

// A timer of the fake clock (what the mocked functions return).
class MockTimer {
  constructor(clock, at, interval, fn, args) {
    this.id = ++clock.lastId;
    this.at = at;
    this.interval = interval;
    this.fn = fn;
    this.args = args;
    this.ref_ = true;
  }

  hasRef() {
    return this.ref_;
  }

  ref() {
    this.ref_ = true;
    return this;
  }

  unref() {
    this.ref_ = false;
    return this;
  }

  [SymbolToPrimitive]() {
    return this.id;
  }
}

export class MockTimers {
  #clock = { now: 0, lastId: 0, queue: [] };
  #enabled = false;
  #apis = [];
  #restore = [];

  enable(options = { __proto__: null }) {
    if (this.#enabled) throw invalidState('MockTimers is already enabled!');
    const apis = options.apis ?? APIS;
    if (!ArrayIsArray(apis)) throw invalidArg('options.apis', apis, 'must be an array');
    for (let i = 0; i < apis.length; i++) {
      if (!ArrayPrototypeIncludes(APIS, apis[i])) {
        throw invalidArg(`options.apis`, apis[i], `option ${apis[i]} is not supported`);
      }
    }
    let now = options.now ?? 0;
    if (now instanceof DateCtor) now = DatePrototypeGetTime(now);
    if (typeof now !== 'number') throw makeInvalidArgType('options.now', 'number', now);
    if (!NumberIsFinite(now) || now < 0) {
      throw invalidArg('options.now', now, 'must be a positive number or a Date');
    }
    if (ArrayPrototypeIncludes(apis, 'Date') && globalObject.Date?.isMock === true) {
      throw invalidState('Date is already being mocked!');
    }
    this.#clock.now = now;
    this.#apis = apis;
    this.#enabled = true;
    for (let i = 0; i < apis.length; i++) this.#install(apis[i]);
  }

  #install(api) {
    if (api === 'Date') return this.#replace(globalObject, 'Date', this.#mockDate());
    if (api === 'scheduler.wait') {
      const wait = (ms, options) => this.#promised(+ms || 1, undefined, options);
      return this.#replace(cjsBuiltin('timers/promises').scheduler, 'wait', wait);
    }
    const [set, clear] = TIMER_NAMES[api];
    const isInterval = api === 'setInterval';
    const delayed = api !== 'setImmediate';
    const fake = (fn, ...rest) => {
      const delay = delayed ? +rest[0] : 0;
      const args = delayed ? ArrayPrototypeSlice(rest, 1) : rest;
      const ms = NumberIsFinite(delay) && delay >= 1 ? delay : delayed ? 1 : 0;
      return this.#add(ms, isInterval ? ms : 0, fn, args);
    };
    const cancel = (timer) => this.#clear(timer);
    const targets = [globalObject, cjsBuiltin('timers')];
    for (let i = 0; i < targets.length; i++) {
      this.#replace(targets[i], set, fake);
      this.#replace(targets[i], clear, cancel);
    }
    if (api === 'setTimeout' || api === 'setImmediate') {
      const wrapped =
        api === 'setTimeout'
          ? (ms, value, options) => this.#promised(+ms || 1, value, options)
          : (value, options) => this.#promised(0, value, options);
      this.#replace(cjsBuiltin('timers/promises'), api, wrapped);
    }
  }

  // A promise of `value` in `ms` of the fake clock; rejected with an AbortError when
  // `options.signal` aborts first.
  #promised(ms, value, options) {
    const signal = options?.signal;
    try {
      validateAbortSignal(signal, 'options.signal');
    } catch (err) {
      return PromiseReject(err);
    }
    if (signal?.aborted) return PromiseReject(makeAbortError(signal));
    return new PromiseCtor((resolve, reject) => {
      const onAbort = () => {
        this.#clear(timer);
        reject(makeAbortError(signal));
      };
      const timer = this.#add(
        ms,
        0,
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
        [],
      );
      signal?.addEventListener('abort', onAbort, { __proto__: null, once: true });
    });
  }

  #mockDate() {
    const clock = this.#clock;
    const RealDate = DateCtor;
    function MockDate(...args) {
      if (new.target === undefined) return `${new RealDate(clock.now)}`;
      const given = args.length === 0 ? [clock.now] : args;
      return ReflectConstruct(RealDate, given, new.target);
    }
    MockDate.prototype = RealDate.prototype;
    MockDate.now = () => clock.now;
    MockDate.parse = RealDate.parse;
    MockDate.UTC = RealDate.UTC;
    MockDate.isMock = true;
    MockDate.toString = () => 'function Date() { [native code] }';
    ObjectDefineProperty(MockDate, 'name', { __proto__: null, value: 'Date' });
    return MockDate;
  }

  #replace(target, name, value) {
    const previous = target[name];
    target[name] = value;
    ArrayPrototypePush(this.#restore, () => {
      target[name] = previous;
    });
  }

  #add(ms, interval, fn, args) {
    if (typeof fn !== 'function') {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_TYPE',
        'The "callback" argument must be of type function.',
      );
    }
    const timer = new MockTimer(this.#clock, this.#clock.now + ms, interval, fn, args);
    ArrayPrototypePush(this.#clock.queue, timer);
    return timer;
  }

  #clear(timer) {
    const id = typeof timer === 'object' && timer !== null ? timer.id : +timer;
    const queue = this.#clock.queue;
    for (let i = 0; i < queue.length; i++) {
      if (queue[i].id === id) {
        ArrayPrototypeSplice(queue, i, 1);
        return;
      }
    }
  }

  // The timer due first at or before `limit` (the earliest created among equals).
  #next(limit) {
    let best;
    const queue = this.#clock.queue;
    for (let i = 0; i < queue.length; i++) {
      const t = queue[i];
      if (t.at > limit) continue;
      if (best === undefined || t.at < best.at || (t.at === best.at && t.id < best.id)) best = t;
    }
    return best;
  }

  tick(time = 1) {
    if (!this.#enabled) {
      throw invalidState('You should enable MockTimers first by calling the .enable function');
    }
    if (typeof time !== 'number' || !(time >= 0)) {
      throw invalidArg('time', time, 'must be a positive number');
    }
    // As Node: the clock reads the new time while the timers that fall due run.
    const limit = this.#clock.now + time;
    this.#clock.now = limit;
    for (let timer = this.#next(limit); timer !== undefined; timer = this.#next(limit)) {
      if (timer.interval > 0) timer.at += timer.interval;
      else this.#clear(timer);
      ReflectApply(timer.fn, undefined, timer.args);
    }
  }

  runAll() {
    if (!this.#enabled) {
      throw invalidState('You should enable MockTimers first by calling the .enable function');
    }
    let last = this.#clock.now;
    const queue = this.#clock.queue;
    for (let i = 0; i < queue.length; i++) if (queue[i].at > last) last = queue[i].at;
    this.tick(last - this.#clock.now);
  }

  setTime(time) {
    if (!this.#enabled) {
      throw invalidState('You should enable MockTimers first by calling the .enable function');
    }
    if (typeof time !== 'number' || !NumberIsFinite(time)) {
      throw invalidArg('time', time, 'must be a number');
    }
    this.#clock.now = time;
  }

  reset() {
    const restore = this.#restore;
    for (let i = restore.length - 1; i >= 0; i--) FunctionPrototypeCall(restore[i], undefined);
    this.#restore = [];
    this.#clock.queue = [];
    this.#enabled = false;
  }

  [SymbolDispose]() {
    this.reset();
  }
}
