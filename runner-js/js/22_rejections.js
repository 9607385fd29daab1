// 22_rejections.js: what a turn's unhandled rejections become, by Node's
// --unhandled-rejections modes (processPromiseRejections): `throw` (the default: the
// 'unhandledRejection' listeners, else an uncaught exception with origin 'unhandledRejection'),
// `strict`, `warn`, `none`, `warn-with-error-code`; and 'rejectionHandled' (or Node's warning)
// when a reported rejection gets a handler later.

import {
  ErrorCtor,
  FunctionPrototypeToString,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  SymbolPrototypeToString,
  WeakMapCtor,
  WeakMapPrototypeDelete,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from './00_primordials.js';
import { isError } from './01_helpers.js';
import { processEmit, processListenerCount, setExitCode, triggerUncaught } from './20_exit.js';
import { drainTicks } from './21_ticks.js';
import { emitWarning } from './23_warnings.js';

function noSideEffectsToString(v) {
  if (typeof v === 'symbol') return SymbolPrototypeToString(v);
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return `${v}`;
  if (typeof v === 'function') return `${FunctionPrototypeToString(v)}`;
  let name = 'Object';
  try {
    const desc = ObjectGetOwnPropertyDescriptor(ObjectGetPrototypeOf(v), 'constructor');
    if (
      desc &&
      typeof desc.value === 'function' &&
      typeof desc.value.name === 'string' &&
      desc.value.name !== ''
    ) {
      name = desc.value.name;
    }
  } catch {}
  return `#<${name}>`;
}

// --unhandled-rejections=MODE (Node's modes; `throw` is the default).
let mode = 'throw';
let lastId = 0;
const reported = new WeakMapCtor(); // promise -> rejection id, once reported

export function setRejectionsMode(value) {
  mode = value;
}

const UNHANDLED_TEXT =
  'This error originated either by throwing inside of an async function without a catch ' +
  'block, or by rejecting a promise which was not handled with .catch().';

// Node's fatal report of a rejection with a non-Error reason (as Node prints it).
function nonErrorText(reason) {
  try {
    return (
      'node:internal/process/promises:389\n      new UnhandledPromiseRejection(reason);\n' +
      `      ^\n\nUnhandledPromiseRejection: ${UNHANDLED_TEXT} The promise rejected with the ` +
      `reason "${noSideEffectsToString(reason)}".\n` +
      '    at throwUnhandledRejectionsMode (node:internal/process/promises:389:7)\n' +
      '    at processPromiseRejections (node:internal/process/promises:470:17)\n' +
      '    at process.processTicksAndRejections (node:internal/process/task_queues:96:32) {\n' +
      "  code: 'ERR_UNHANDLED_REJECTION'\n}"
    );
  } catch {
    return 'UnhandledPromiseRejection';
  }
}

// What 'uncaughtException' gets for a rejection: the reason, or Node's wrapper of a non-Error.
function rejectionError(reason) {
  if (isError(reason)) return reason;
  const err = new ErrorCtor(
    `${UNHANDLED_TEXT} The promise rejected with the reason "${noSideEffectsToString(reason)}".`,
  );
  err.code = 'ERR_UNHANDLED_REJECTION';
  ObjectDefineProperty(err, 'name', {
    __proto__: null,
    value: 'UnhandledPromiseRejection',
    writable: true,
    configurable: true,
  });
  return err;
}

function uncaught(reason) {
  const text = isError(reason) ? undefined : nonErrorText(reason);
  triggerUncaught(rejectionError(reason), false, 'unhandledRejection', text);
}

// Emits 'unhandledRejection'; true when a listener took it.
function emitUnhandled(reason, promise) {
  if (processListenerCount('unhandledRejection') === 0) return false;
  processEmit('unhandledRejection', reason, promise);
  return true;
}

function warningError(name, message, stack) {
  const err = new ErrorCtor(message);
  err.name = name;
  err.stack = stack;
  return err;
}

// Node's two warnings for a rejection nobody handled (warn modes).
// The first carries the reason's stack (or its text), the second says what to do; both keep
// the reason's stack, as Node's do.
function warnUnhandled(id, reason) {
  const name = 'UnhandledPromiseRejectionWarning';
  let stack = '';
  let detail;
  try {
    if (reason !== null && typeof reason === 'object' && typeof reason.stack === 'string') {
      stack = reason.stack;
      detail = stack;
    } else {
      detail = noSideEffectsToString(reason);
    }
  } catch {
    detail = 'Unknown';
  }
  emitWarning(warningError(name, detail, `${name}: ${detail}`));
  const advice =
    `Unhandled promise rejection. ${UNHANDLED_TEXT} To terminate the node process on unhandled ` +
    'promise rejection, use the CLI flag `--unhandled-rejections=strict` (see ' +
    'https://nodejs.org/api/cli.html#cli_unhandled_rejections_mode). ' +
    `(rejection id: ${id})`;
  emitWarning(warningError(name, advice, stack));
}

function reportByMode(reason, promise, id) {
  if (mode === 'strict') {
    uncaught(reason);
    if (!emitUnhandled(reason, promise)) warnUnhandled(id, reason);
  } else if (mode === 'warn') {
    emitUnhandled(reason, promise);
    warnUnhandled(id, reason);
  } else if (mode === 'none') {
    emitUnhandled(reason, promise);
  } else if (mode === 'warn-with-error-code') {
    if (!emitUnhandled(reason, promise)) {
      warnUnhandled(id, reason);
      setExitCode(1);
    }
  } else if (!emitUnhandled(reason, promise)) {
    uncaught(reason);
  }
}

/**
 * `runner.unhandledRejection(reason, promise, last)`: a promise a turn left rejected and
 * unhandled. The ticks run after the `last` of a turn's reports, as Node's do after the loop.
 */
export function reportUnhandledRejection(reason, promise, last) {
  const id = ++lastId;
  if (promise !== undefined) WeakMapPrototypeSet(reported, promise, id);
  try {
    reportByMode(reason, promise, id);
    if (last !== false) drainTicks();
  } catch (err) {
    triggerUncaught(err);
  }
}

/** `runner.rejectionHandled(promise, last)`: a reported rejection got a handler later. */
export function reportRejectionHandled(promise, last) {
  const id = WeakMapPrototypeGet(reported, promise);
  if (id === undefined) return;
  WeakMapPrototypeDelete(reported, promise);
  try {
    if (processListenerCount('rejectionHandled') > 0) processEmit('rejectionHandled', promise);
    else {
      const message = `Promise rejection was handled asynchronously (rejection id: ${id})`;
      emitWarning(warningError('PromiseRejectionHandledWarning', message, ''));
    }
    if (last !== false) drainTicks();
  } catch (err) {
    triggerUncaught(err);
  }
}
