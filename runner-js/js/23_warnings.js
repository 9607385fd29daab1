// 23_warnings.js: process.emitWarning ('warning' listeners and the stderr line, on a later tick).

import { bridgeWrite, ErrorCtor } from './00_primordials.js';
import { isError } from './01_helpers.js';
import { processEmit, processListenerCount, processObject } from './20_exit.js';
import { internalNextTick, runGuest } from './21_ticks.js';

let warnedOnce = false;
let printWarnings = true;
export const PROCESS_PID = 1;

// `node --no-warnings`: warnings still reach 'warning' listeners, nothing is printed.
export function silenceWarnings() {
  printWarnings = false;
}

export function emitWarning(warning, type = undefined, code = undefined) {
  let name = 'Warning';
  let message = warning;
  if (type !== null && typeof type === 'object') {
    code = type.code;
    type = type.type;
  }
  if (typeof type === 'string') name = type;
  if (isError(warning)) {
    name = warning.name;
    message = warning.message;
  } else {
    const err = new ErrorCtor(`${message}`);
    err.name = name;
    if (code !== undefined) err.code = code;
    warning = err;
  }
  if (name === 'DeprecationWarning' && processObject.noDeprecation) return;
  if (name === 'DeprecationWarning' && processObject.throwDeprecation) throw warning;
  internalNextTick(() => {
    if (processListenerCount('warning') > 0) runGuest(processEmit, undefined, ['warning', warning]);
    if (!printWarnings) return;
    let text = `(node:${PROCESS_PID}) ${code !== undefined ? `[${code}] ` : ''}${name}: ${message}\n`;
    if (!warnedOnce) {
      warnedOnce = true;
      const flag = name === 'DeprecationWarning' ? '--trace-deprecation' : '--trace-warnings';
      text += `(Use \`node ${flag} ...\` to show where the warning was created)\n`;
    }
    bridgeWrite(2, text);
  }, undefined);
}
