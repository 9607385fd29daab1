// 21_ticks.js: the process.nextTick queue, queueMicrotask, drainTicks (Node's
// processTicksAndRejections: ticks, then a microtask checkpoint, until both are empty) and
// runGuest (a guest callback whose exception becomes an uncaught exception).

import {
  ArrayPrototypeSplice,
  asyncContextGet,
  asyncContextSet,
  bridgeRunMicrotasks,
  ObjectDefineProperty,
  PromiseCtor,
  PromisePrototypeThen,
  PromiseResolve,
  ReflectApply,
} from './00_primordials.js';
import { listPush, newList } from './01_helpers.js';
import { validateFunction } from './06_errors.js';
import { isProcessExiting, processObject, triggerUncaught } from './20_exit.js';

const tickQueue = newList();
let tickHead = 0;

export function nextTick(callback, ...args) {
  validateFunction(callback, 'callback');
  if (isProcessExiting()) return;
  listPush(tickQueue, { __proto__: null, callback, args, context: asyncContextGet() });
}

// Internal nextTick for runner callbacks (no validation, runs even after guest patches).
export function internalNextTick(fn, arg) {
  listPush(tickQueue, { __proto__: null, callback: fn, args: [arg], context: asyncContextGet() });
}

let microtaskTrampoline;

export function queueMicrotask(callback) {
  validateFunction(callback, 'callback');
  if (microtaskTrampoline === undefined) {
    microtaskTrampoline = PromiseResolve(undefined);
    ObjectDefineProperty(microtaskTrampoline, 'constructor', {
      __proto__: null,
      value: PromiseCtor,
    });
  }
  PromisePrototypeThen(microtaskTrampoline, () => {
    try {
      ReflectApply(callback, undefined, []);
    } catch (err) {
      triggerUncaught(err, false);
    }
  });
}

// Runs a guest callback; an exception becomes an uncaught exception (and the result true).
export function runGuest(fn, thisArg, args) {
  try {
    ReflectApply(fn, thisArg, args);
    return false;
  } catch (err) {
    triggerUncaught(err);
    return true;
  }
}

// As runGuest, in the async context captured when the callback was scheduled
// (AsyncLocalStorage's stores follow nextTick, timers and immediates, as in Node).
export function runGuestIn(context, fn, thisArg, args) {
  const outer = asyncContextGet();
  asyncContextSet(context);
  try {
    return runGuest(fn, thisArg, args);
  } finally {
    asyncContextSet(outer);
  }
}

// Node's processTicksAndRejections: all nextTicks, then a microtask checkpoint, until both are empty.
let drainingTicks = false;

export function drainTicks() {
  ReflectApply(processTicksAndRejections, processObject, []);
}

/**
 * Node's processTicksAndRejections: ticks, then a microtask checkpoint, until both are empty.
 * Called on the process object (so a tick callback's caller frame reads
 * `at process.processTicksAndRejections`, as in Node): by drainTicks, and by the host right
 * after the main program (engine/src/runner_call.rs), when it is the bottom frame as in Node.
 */
export function processTicksAndRejections() {
  if (drainingTicks) return;
  drainingTicks = true;
  try {
    do {
      while (tickHead < tickQueue.length) {
        const entry = tickQueue[tickHead];
        tickQueue[tickHead] = undefined;
        tickHead++;
        if (tickHead > 1024 && tickHead * 2 > tickQueue.length) {
          ArrayPrototypeSplice(tickQueue, 0, tickHead);
          tickHead = 0;
        }
        // runGuestIn, inlined so that no runner frame sits between this one and the callback.
        const outer = asyncContextGet();
        asyncContextSet(entry.context);
        try {
          ReflectApply(entry.callback, undefined, entry.args);
        } catch (err) {
          triggerUncaught(err);
        } finally {
          asyncContextSet(outer);
        }
      }
      ArrayPrototypeSplice(tickQueue, 0, tickHead);
      tickHead = 0;
      bridgeRunMicrotasks();
    } while (tickQueue.length > 0);
  } finally {
    drainingTicks = false;
  }
}
