// 24_timers.js: setTimeout/setInterval/setImmediate and the turn logic behind runner.tick().

import {
  ArrayPrototypeIndexOf,
  ArrayPrototypeSplice,
  asyncContextGet,
  bridgeMonotonic,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeSet,
  MathCeil,
  MathFloor,
  MathMax,
  MathTrunc,
  NumberIsFinite,
  ObjectDefineProperty,
  SymbolDispose,
  SymbolToPrimitive,
  WeakMapCtor,
  WeakMapPrototypeDelete,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from './00_primordials.js';
import { listPush, newList } from './01_helpers.js';
import { makeInvalidArgType, makeOutOfRange, validateFunction } from './06_errors.js';
import {
  exitCodeValue,
  isProcessExiting,
  isStdinRefOn,
  processEmit,
  processListenerCount,
} from './20_exit.js';
import { drainTicks, runGuest, runGuestIn } from './21_ticks.js';
import { emitWarning } from './23_warnings.js';

const TIMEOUT_MAX = 2 ** 31 - 1;

// Pending timers sorted by (due, seq); records are null-prototype objects.
const timerQueue = newList();
const timersById = new MapCtor();
let timerSeq = 0;
let nextTimerId = 1;
let refTimerCount = 0;
// The timer whose callback runs now: Node counts it active until the callback returns.
let firingTimer;
// libuv-style cached loop time: refreshed when the loop enters the runner; due timers run by it.
let loopNow = 0;

export function updateLoopTime() {
  loopNow = bridgeMonotonic();
}

export function setLoopTime(now) {
  loopNow = now;
}

const immediateQueue = newList();
let refImmediateCount = 0;

function timerLess(a, b) {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

function insertTimer(rec) {
  let lo = 0;
  let hi = timerQueue.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timerLess(timerQueue[mid], rec)) lo = mid + 1;
    else hi = mid;
  }
  ArrayPrototypeSplice(timerQueue, lo, 0, rec);
  rec.active = true;
  if (rec.ref) refTimerCount++;
}

function removeTimer(rec) {
  if (!rec.active) return;
  const idx = ArrayPrototypeIndexOf(timerQueue, rec);
  if (idx !== -1) ArrayPrototypeSplice(timerQueue, idx, 1);
  rec.active = false;
  if (rec.ref) refTimerCount--;
}

function coerceDelay(after) {
  after *= 1;
  if (!(after >= 1 && after <= TIMEOUT_MAX)) {
    if (after > TIMEOUT_MAX) {
      emitWarning(
        `${after} does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.`,
        'TimeoutOverflowWarning',
      );
    }
    after = 1;
  }
  return after;
}

class Timeout {
  #rec;

  constructor(rec) {
    this.#rec = rec;
  }

  // The record of `t`, or undefined: Node's methods are no-ops on a foreign `this`
  // (`t.unref.bind({})`).
  static recordOf(t) {
    return typeof t === 'object' && t !== null && #rec in t ? t.#rec : undefined;
  }

  ref() {
    const rec = timeoutRecordOf(this);
    if (rec === undefined) return this;
    if (!rec.ref) {
      rec.ref = true;
      if (rec.active) refTimerCount++;
    }
    return this;
  }

  unref() {
    const rec = timeoutRecordOf(this);
    if (rec === undefined) return this;
    if (rec.ref) {
      rec.ref = false;
      if (rec.active) refTimerCount--;
    }
    return this;
  }

  hasRef() {
    return timeoutRecordOf(this)?.ref === true;
  }

  // As Node: a timer that already fired (and was not cleared) is armed again, also from
  // inside its own callback.
  refresh() {
    const rec = timeoutRecordOf(this);
    if (rec === undefined) return this;
    if (!rec.cleared) {
      removeTimer(rec);
      rec.due = bridgeMonotonic() + MathTrunc(rec.delay);
      rec.seq = timerSeq++;
      MapPrototypeSet(timersById, rec.id, rec);
      insertTimer(rec);
    }
    return this;
  }

  // Node's `_repeat`: the interval of a repeating timer, or null; code that sets it on a
  // timeout from its callback turns it into an interval (as Node's list processing does).
  get _repeat() {
    const rec = timeoutRecordOf(this);
    return rec?.repeat ? rec.delay : null;
  }

  set _repeat(value) {
    const rec = timeoutRecordOf(this);
    // A cleared timer stays cleared (Node re-arms only while `_idleTimeout` is not -1).
    if (rec === undefined || rec.cleared) return;
    if (value === null || value === undefined || value === false) {
      rec.repeat = false;
      return;
    }
    rec.repeat = true;
    rec.delay = coerceDelay(value);
    MapPrototypeSet(timersById, rec.id, rec);
  }

  close() {
    const rec = timeoutRecordOf(this);
    if (rec !== undefined) clearTimer(rec);
    return this;
  }

  // Node's `_destroyed`: cleared, or a timeout that fired.
  get _destroyed() {
    const rec = timeoutRecordOf(this);
    return rec !== undefined && !rec.active;
  }

  [SymbolDispose]() {
    const rec = timeoutRecordOf(this);
    if (rec !== undefined) clearTimer(rec);
  }

  [SymbolToPrimitive]() {
    return this.#rec.id;
  }
}
const timeoutRecordOf = Timeout.recordOf;
delete Timeout.recordOf;

function createTimer(callback, after, args, repeat) {
  validateFunction(callback, 'callback');
  const delay = coerceDelay(after);
  const rec = {
    __proto__: null,
    id: nextTimerId++,
    callback,
    args,
    delay,
    repeat,
    // As Node, the delay is truncated for scheduling (sub-millisecond accuracy is not
    // assumed), so timers of 1, 1.8 and 1.1 ms fire in the order they were made; the start is
    // the time now (Node refreshes the loop's time here), so a timer set after a long
    // synchronous stretch does not fire early.
    due: bridgeMonotonic() + MathTrunc(delay),
    seq: timerSeq++,
    context: asyncContextGet(),
    ref: true,
    active: false,
    cleared: false,
    timeout: undefined,
  };
  rec.timeout = new Timeout(rec);
  // Node's frames read `Timeout._onTimeout`; V8 infers the name from an enumerable property.
  ObjectDefineProperty(rec.timeout, '_onTimeout', {
    __proto__: null,
    value: callback,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  MapPrototypeSet(timersById, rec.id, rec);
  insertTimer(rec);
  return rec.timeout;
}

function clearTimer(rec) {
  removeTimer(rec);
  rec.repeat = false;
  rec.cleared = true;
  MapPrototypeDelete(timersById, rec.id);
}

function clearTimerArg(timer) {
  if (timer === null || timer === undefined) return;
  if (typeof timer === 'object') {
    const rec = timeoutRecordOf(timer);
    if (rec !== undefined) clearTimer(rec);
    return;
  }
  if (typeof timer === 'number' || typeof timer === 'string') {
    const rec = MapPrototypeGet(timersById, +timer);
    if (rec !== undefined) clearTimer(rec);
  }
}

export function setTimeout(callback, after, ...args) {
  return createTimer(callback, after, args, false);
}

export function setInterval(callback, repeat, ...args) {
  return createTimer(callback, repeat, args, true);
}

export function clearTimeout(timer) {
  clearTimerArg(timer);
}

export function clearInterval(timer) {
  clearTimerArg(timer);
}

// ---- timers.enroll / active / _unrefActive / unenroll (deprecated; Node's lib/timers.js) ----
// An object with `_onTimeout` becomes a timer of `_idleTimeout` ms; active() (re)starts it.

const enrolled = new WeakMapCtor();

function enrollDuration(msecs) {
  if (typeof msecs !== 'number') throw makeInvalidArgType('msecs', 'number', msecs);
  if (msecs < 0 || !NumberIsFinite(msecs)) {
    throw makeOutOfRange('msecs', 'a non-negative finite number', msecs);
  }
  if (msecs > TIMEOUT_MAX) {
    emitWarning(
      `${msecs} does not fit into a 32-bit signed integer.\nTimer duration was truncated to ${TIMEOUT_MAX}.`,
      'TimeoutOverflowWarning',
    );
    return TIMEOUT_MAX;
  }
  return msecs;
}

export function timersUnenroll(item) {
  const timer = WeakMapPrototypeGet(enrolled, item);
  if (timer !== undefined) {
    clearTimeout(timer);
    WeakMapPrototypeDelete(enrolled, item);
  }
  item._idleTimeout = -1;
  item._idleNext = null;
  item._idlePrev = null;
}

export function timersEnroll(item, msecs) {
  const duration = enrollDuration(msecs);
  timersUnenroll(item);
  item._idleTimeout = duration;
}

function startEnrolled(item, ref) {
  const timer = WeakMapPrototypeGet(enrolled, item);
  if (timer !== undefined) clearTimeout(timer);
  const after = item._idleTimeout;
  if (typeof after !== 'number' || after < 0) return;
  // What Node's timer list sets: the start, and links (here to the item itself).
  item._idleStart = MathFloor(loopNow);
  item._idleNext = item;
  item._idlePrev = item;
  const next = setTimeout(() => {
    WeakMapPrototypeDelete(enrolled, item);
    if (typeof item._onTimeout === 'function') item._onTimeout();
  }, after);
  if (!ref) next.unref();
  WeakMapPrototypeSet(enrolled, item, next);
}

export function timersActive(item) {
  startEnrolled(item, true);
}

export function timersUnrefActive(item) {
  startEnrolled(item, false);
}

class Immediate {
  #rec;

  constructor(rec) {
    this.#rec = rec;
  }

  static recordOf(i) {
    return typeof i === 'object' && i !== null && #rec in i ? i.#rec : undefined;
  }

  ref() {
    const rec = this.#rec;
    if (!rec.ref) {
      rec.ref = true;
      if (rec.active) refImmediateCount++;
    }
    return this;
  }

  unref() {
    const rec = this.#rec;
    if (rec.ref) {
      rec.ref = false;
      if (rec.active) refImmediateCount--;
    }
    return this;
  }

  hasRef() {
    return immediateRecordOf(this)?.ref === true;
  }

  // Node's `_destroyed`: cleared or run.
  get _destroyed() {
    const rec = immediateRecordOf(this);
    return rec !== undefined && !rec.active;
  }

  [SymbolDispose]() {
    const rec = immediateRecordOf(this);
    if (rec !== undefined) deactivateImmediate(rec);
  }
}
const immediateRecordOf = Immediate.recordOf;
delete Immediate.recordOf;

export function setImmediate(callback, ...args) {
  validateFunction(callback, 'callback');
  return queueImmediate(undefined, callback, args);
}

/**
 * Runs `callback(...args)` on the next turn as the completion of request `request` (an object
 * such as fs's FSReqCallback): it keeps the loop alive like an immediate, and lists as that
 * request in `process._getActiveRequests()` until it runs.
 */
export function queueRequest(request, callback, args) {
  queueImmediate(request, callback, args);
}

function queueImmediate(request, callback, args) {
  const rec = {
    __proto__: null,
    callback,
    args,
    ref: true,
    active: true,
    request,
    immediate: undefined,
    context: asyncContextGet(),
  };
  rec.immediate = new Immediate(rec);
  ObjectDefineProperty(rec.immediate, '_onImmediate', {
    __proto__: null,
    value: callback,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  listPush(immediateQueue, rec);
  refImmediateCount++;
  return rec.immediate;
}

/**
 * What the loop waits on here, as Node's `getActiveResourcesInfo` counts it: the pending
 * requests (objects), and how many referenced timeouts (the one running included) and
 * immediates are active.
 */
export function activeTimerResources() {
  const requests = newList();
  let immediates = 0;
  for (let i = 0; i < immediateQueue.length; i++) {
    const rec = immediateQueue[i];
    if (!rec.active || !rec.ref) continue;
    if (rec.request !== undefined) listPush(requests, rec.request);
    else immediates++;
  }
  const running = firingTimer;
  const firing = running?.ref && !running.active && !running.cleared;
  return { requests, timeouts: refTimerCount + (firing ? 1 : 0), immediates };
}

function deactivateImmediate(rec) {
  if (!rec.active) return;
  rec.active = false;
  if (rec.ref) refImmediateCount--;
}

export function clearImmediate(immediate) {
  if (immediate === null || typeof immediate !== 'object') return;
  const rec = immediateRecordOf(immediate);
  if (rec !== undefined) deactivateImmediate(rec);
}

function runTimers(now) {
  while (timerQueue.length > 0 && timerQueue[0].due <= now) {
    const rec = timerQueue[0];
    removeTimer(rec);
    if (!rec.repeat) MapPrototypeDelete(timersById, rec.id);
    firingTimer = rec;
    try {
      runGuestIn(rec.context, rec.callback, rec.timeout, rec.args);
    } finally {
      firingTimer = undefined;
    }
    if (rec.repeat && !rec.active) {
      rec.due = now + MathTrunc(rec.delay);
      rec.seq = timerSeq++;
      insertTimer(rec);
    }
    drainTicks();
  }
}

function runImmediates() {
  const count = immediateQueue.length;
  if (count === 0) return;
  const batch = ArrayPrototypeSplice(immediateQueue, 0, count);
  for (let i = 0; i < count; i++) {
    const rec = batch[i];
    if (!rec.active) continue;
    deactivateImmediate(rec);
    // As Node: after one that threw (its exception handled), the next immediate runs before
    // the nextTick queue does.
    if (!runGuestIn(rec.context, rec.callback, rec.immediate, rec.args)) drainTicks();
  }
}

function pendingImmediates() {
  for (let i = 0; i < immediateQueue.length; i++) {
    if (immediateQueue[i].active) return true;
  }
  return false;
}

// ms until the loop has work; when nothing here keeps it alive, -1, or -2 - ms when an unref'd
// timer is due in ms (it fires if something else, a socket or a host call, keeps the loop alive).
function loopDelay() {
  const keptAlive = refTimerCount > 0 || refImmediateCount > 0 || isStdinRefOn();
  if (!keptAlive) {
    if (timerQueue.length === 0) return -1;
    return -2 - MathMax(0, MathCeil(timerQueue[0].due - bridgeMonotonic()));
  }
  if (pendingImmediates()) return 0;
  if (timerQueue.length > 0) return MathMax(0, MathCeil(timerQueue[0].due - bridgeMonotonic()));
  return -1;
}

let beforeExitEmitted = false;

export function loopTurn() {
  updateLoopTime();
  runTimers(loopNow);
  runImmediates();
  let delay = loopDelay();
  if (
    delay < 0 &&
    !isStdinRefOn() &&
    !isProcessExiting() &&
    processListenerCount('beforeExit') > 0 &&
    !beforeExitEmitted
  ) {
    beforeExitEmitted = true;
    runGuest(processEmit, undefined, ['beforeExit', exitCodeValue()]);
    drainTicks();
    delay = loopDelay();
    if (delay >= 0) beforeExitEmitted = false;
  }
  return delay;
}
