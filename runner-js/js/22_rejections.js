// 22_rejections.js: runner.unhandledRejection: 'unhandledRejection' listeners, or Node's report
// of the rejection and exit 1.

import {
  FunctionPrototypeToString,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  SymbolPrototypeToString,
} from './00_primordials.js';
import { isError } from './01_helpers.js';
import {
  fatalExit,
  formatUncaught,
  processEmit,
  processListenerCount,
  triggerUncaught,
} from './20_exit.js';
import { drainTicks } from './21_ticks.js';

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

// `promise` is optional (PROPOSED second argument from Rust), passed to listeners as in Node.
export function reportUnhandledRejection(reason, promise) {
  if (processListenerCount('unhandledRejection') > 0) {
    try {
      processEmit('unhandledRejection', reason, promise);
      drainTicks();
      return;
    } catch (err) {
      triggerUncaught(err);
      return;
    }
  }
  if (isError(reason)) {
    fatalExit(formatUncaught(reason, false));
    return;
  }
  let text;
  try {
    text =
      'node:internal/process/promises:389\n      new UnhandledPromiseRejection(reason);\n' +
      '      ^\n\nUnhandledPromiseRejection: This error originated either by throwing inside of an ' +
      'async function without a catch block, or by rejecting a promise which was not handled ' +
      `with .catch(). The promise rejected with the reason "${noSideEffectsToString(reason)}".\n` +
      '    at throwUnhandledRejectionsMode (node:internal/process/promises:389:7)\n' +
      '    at processPromiseRejections (node:internal/process/promises:470:17)\n' +
      '    at process.processTicksAndRejections (node:internal/process/task_queues:96:32) {\n' +
      "  code: 'ERR_UNHANDLED_REJECTION'\n}";
  } catch {
    text = 'UnhandledPromiseRejection';
  }
  fatalExit(text);
}
