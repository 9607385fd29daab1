// 23_warnings.js: process.emitWarning ('warning' listeners and the stderr line, on a later tick).

import {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  bridgeWrite,
  ErrorCaptureStackTrace,
  ErrorCtor,
  ObjectDefineProperty,
} from './00_primordials.js';
import { isError } from './01_helpers.js';
import { makeInvalidArgType } from './06_errors.js';
import { processEmit, processListenerCount, processObject } from './20_exit.js';
import { internalNextTick, runGuest } from './21_ticks.js';

let warnedOnce = false;
let printWarnings = true;
// The guest's pid in its exec tree (`process.pid`; configureProcess sets it for each exec).
let pid = 1;
export function ownPid() {
  return pid;
}
export function setOwnPid(value) {
  pid = value;
}
// Where a warning's text goes: stderr, through `console.error` once the console exists (as
// Node's default 'warning' handler writes it, so a replaced `process.stderr.write` sees it).
let writeWarning = (text) => bridgeWrite(2, `${text}\n`);

/** Sets how a warning's text (no trailing newline) is written. */
export function setWarningWriter(write) {
  writeWarning = write;
}

// Node's process.emitWarning(warning[, type[, code]][, ctor]) and (warning, { type, code,
// detail, ctor }): arguments checked, a string made into an Error named `type`.
export function processEmitWarning(warning, type, code, ctor) {
  let detail;
  if (type !== null && typeof type === 'object' && !ArrayIsArray(type)) {
    ctor = type.ctor;
    code = type.code;
    if (typeof type.detail === 'string') detail = type.detail;
    type = type.type || 'Warning';
  } else if (typeof type === 'function') {
    ctor = type;
    code = undefined;
    type = 'Warning';
  }
  if (type !== undefined && typeof type !== 'string')
    throw makeInvalidArgType('type', 'string', type);
  if (typeof code === 'function') {
    ctor = code;
    code = undefined;
  } else if (code !== undefined && typeof code !== 'string') {
    throw makeInvalidArgType('code', 'string', code);
  }
  if (typeof warning === 'string') {
    const err = new ErrorCtor(warning);
    err.name = `${type || 'Warning'}`;
    if (code !== undefined) err.code = code;
    if (detail !== undefined) err.detail = detail;
    ErrorCaptureStackTrace(err, typeof ctor === 'function' ? ctor : processEmitWarning);
    warning = err;
  } else if (!isError(warning)) {
    throw makeInvalidArgType('warning', 'string or an instance of Error', warning);
  }
  emitWarning(warning);
}

/** `--pending-deprecation` (or NODE_PENDING_DEPRECATION=1): the deprecations Node only reports then. */
export function pendingDeprecation() {
  return (
    ArrayPrototypeIncludes(processObject.execArgv, '--pending-deprecation') ||
    processObject.env.NODE_PENDING_DEPRECATION === '1'
  );
}

// `node --no-warnings`: warnings still reach 'warning' listeners, nothing is printed.
export function silenceWarnings() {
  printWarnings = false;
}

/** False after `--no-warnings`: the runner's own warnings are not printed either. */
export function warningsPrinted() {
  return printWarnings;
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
    if (code === undefined && warning.code) code = warning.code;
    if (typeof warning.detail === 'string') message = `${message}\n${warning.detail}`;
  } else {
    const err = new ErrorCtor(`${message}`);
    err.name = name;
    if (code !== undefined) err.code = code;
    warning = err;
  }
  if (name === 'DeprecationWarning' && processObject.noDeprecation) return;
  if (name === 'DeprecationWarning' && processObject.throwDeprecation) {
    // As Node: thrown on the next tick, after the warnings before it were printed.
    internalNextTick(() => {
      throw warning;
    });
    return;
  }
  // Node's own handler is the first 'warning' listener: the text is out before a guest's run.
  internalNextTick(() => deliverWarning(warning, name, code, message), undefined);
}

/** Node's emitWarningSync: a plain warning printed and emitted now (the process may end next). */
export function emitWarningSync(message) {
  const warning = new ErrorCtor(message);
  warning.name = 'Warning';
  deliverWarning(warning, 'Warning', undefined, message);
}

function deliverWarning(warning, name, code, message) {
  if (printWarnings) {
    let text = `(node:${pid}) ${code !== undefined ? `[${code}] ` : ''}${name}: ${message}`;
    if (!warnedOnce) {
      warnedOnce = true;
      const flag = name === 'DeprecationWarning' ? '--trace-deprecation' : '--trace-warnings';
      text += `\n(Use \`node ${flag} ...\` to show where the warning was created)`;
    }
    runGuest(writeWarning, undefined, [text]);
  }
  if (processListenerCount('warning') > 0) runGuest(processEmit, undefined, ['warning', warning]);
}
ObjectDefineProperty(processEmitWarning, 'name', { __proto__: null, value: 'emitWarning' });
