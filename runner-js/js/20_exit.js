// 20_exit.js: the end of a guest. The process emitter (made here, filled by 26_process.js),
// process.exitCode, the 'exit' listeners and `exitProcess`; the stdin ref the event loop waits
// on; uncaught exceptions ('uncaughtException' listeners, or Node's `file:line`, source line and
// caret, the error, and exit 1).

// Main script source, for the `file:line\n<source line>\n^` header of uncaught errors.

import {
  bridgeArrowMessage,
  bridgeExit,
  bridgeMonotonic,
  bridgeStdinRef,
  bridgeWrite,
  NumberCtor,
  ObjectCreate,
  ObjectDefineProperty,
  ReflectApply,
  ReflectConstruct,
  StringPrototypeCharCodeAt,
  StringPrototypeEndsWith,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeTrim,
  SymbolPrototypeToString,
  SymbolToStringTag,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from './00_primordials.js';
import { getStack, isError, splitLines } from './01_helpers.js';
import { inspect } from './04_inspect.js';
import { NODE_VERSION } from './06_errors.js';
import { EventEmitter, EventEmitterPrototypeListenerCount } from './08_events.js';

let mainFilename;
let mainSourceLines;

// The main script (eval source or main file), set by start().
export function setMainSource(filename, source) {
  mainFilename = filename;
  mainSourceLines = splitLines(source);
}

// Errors whose place the engine knows better than their stack (a TypeScript error's), with the
// header printed above them when uncaught: `FILE:LINE`, the line, `^^^` under the place.
const knownHeaders = new WeakMapCtor();

export function setErrorHeader(err, header) {
  WeakMapPrototypeSet(knownHeaders, err, header);
}

let sourceReader;

// How to read a module's source other than the main script's (the CommonJS loader sets it):
// `read(fileOrURL)` returns the text or undefined.
export function setSourceReader(read) {
  sourceReader = read;
}

function sourceLinesOf(file) {
  if (file === mainFilename) return mainSourceLines;
  if (sourceReader === undefined) return undefined;
  try {
    const text = sourceReader(file);
    return typeof text === 'string' ? splitLines(text) : undefined;
  } catch {
    return undefined;
  }
}

// `file:line\n<line>\n<caret>\n` for an error whose top stack frame is in a module's source.
function sourceHeader(stack, atThrow) {
  if (typeof stack !== 'string') return '';
  const at = StringPrototypeIndexOf(stack, '\n    at ');
  if (at === -1) return '';
  let end = StringPrototypeIndexOf(stack, '\n', at + 1);
  if (end === -1) end = stack.length;
  let frame = StringPrototypeSlice(stack, at + 8, end);
  if (StringPrototypeEndsWith(frame, ')')) {
    const open = StringPrototypeLastIndexOf(frame, '(');
    if (open === -1) return '';
    frame = StringPrototypeSlice(frame, open + 1, frame.length - 1);
  }
  // frame = "<file>:<line>:<col>"
  const c2 = StringPrototypeLastIndexOf(frame, ':');
  const c1 = c2 > 0 ? StringPrototypeLastIndexOf(frame, ':', c2 - 1) : -1;
  if (c1 <= 0) return '';
  const file = StringPrototypeSlice(frame, 0, c1);
  const line = NumberCtor(StringPrototypeSlice(frame, c1 + 1, c2));
  const col = NumberCtor(StringPrototypeSlice(frame, c2 + 1));
  const lines = sourceLinesOf(file);
  if (lines === undefined || !(line >= 1) || line > lines.length || !(col >= 1)) return '';
  const text = lines[line - 1];
  let caret = col - 1;
  // `throw new Error(...)`: Node points at the throw statement, the stack at `new`.
  const before = StringPrototypeTrim(StringPrototypeSlice(text, 0, caret));
  if (atThrow && StringPrototypeEndsWith(before, 'throw')) {
    caret = StringPrototypeLastIndexOf(text, 'throw', caret);
  }
  let pad = '';
  for (let i = 0; i < caret && i < text.length; i++) {
    pad += StringPrototypeCharCodeAt(text, i) === 9 ? '\t' : ' ';
  }
  return `${file}:${line}\n${text}\n${pad}^\n`;
}

// `atThrow`: the exception reached the top uncaught (Node then points at the throw statement);
// false when it was caught first (queueMicrotask, rejections: Node points at the creation site).
export function formatUncaught(err, atThrow) {
  try {
    if (isError(err)) {
      const known = WeakMapPrototypeGet(knownHeaders, err);
      const arrow = known === undefined ? bridgeArrowMessage(err) : known;
      const header = arrow === undefined ? sourceHeader(getStack(err), atThrow) : arrow;
      return `${header === '' ? '' : `${header}\n`}${inspect(err)}`;
    }
    if (err !== null && (typeof err === 'object' || typeof err === 'function')) {
      return inspect(err);
    }
    return (
      `\n${typeof err === 'symbol' ? SymbolPrototypeToString(err) : `${err}`}\n` +
      '(Use `node --trace-uncaught ...` to show where the exception was thrown)'
    );
  } catch {
    return 'Uncaught exception (formatting failed)';
  }
}

let reportingFatal = false;

export function fatalExit(text) {
  if (reportingFatal) bridgeExit(7);
  reportingFatal = true;
  try {
    bridgeWrite(2, `${text}\n\nNode.js ${NODE_VERSION}\n`);
  } catch {}
  exitProcess(1);
}

// process.setUncaughtExceptionCaptureCallback's function, else null: called instead of the
// 'uncaughtException' listeners, as in Node (the `domain` builtin installs one too).
let uncaughtCapture = null;

export function getUncaughtCapture() {
  return uncaughtCapture;
}

export function setUncaughtCapture(fn) {
  uncaughtCapture = fn;
}

// A worker's reporter of its fatal exception (lib/internal__worker.js), else null: the error
// goes to the parent's Worker as 'error' instead of to stderr, and the worker exits with 1.
let fatalReporter = null;

export function setFatalReporter(fn) {
  fatalReporter = fn;
}

// lib/domain.js's handler, else null: true when the domain active where `err` was thrown took it
// (decided at the throw: the active domain follows the async context, Node's capture callback
// follows its async hooks).
let domainHandler = null;

export function setDomainUncaughtHandler(fn) {
  domainHandler = fn;
}

// An exception escaped guest code: the active domain, else the capture callback, else
// 'uncaughtException' listeners, else print it and exit(1).
// `origin` is what 'uncaughtException' listeners get second; `fatalText` replaces the report of
// `err` when nothing handles it.
export function triggerUncaught(err, atThrow = true, origin = 'uncaughtException', fatalText) {
  if (!reportingFatal && domainHandler !== null) {
    try {
      if (domainHandler(err) === true) return;
    } catch (err2) {
      err = err2;
    }
  }
  if (!reportingFatal && uncaughtCapture !== null) {
    try {
      ReflectApply(uncaughtCapture, undefined, [err]);
      return;
    } catch (err2) {
      err = err2;
    }
  }
  if (!reportingFatal && processListenerCount('uncaughtException') > 0) {
    try {
      processEmit('uncaughtException', err, origin);
      return;
    } catch (err2) {
      err = err2;
      fatalText = undefined;
    }
  }
  if (!reportingFatal && fatalReporter !== null) {
    reportingFatal = true;
    try {
      fatalReporter(err);
    } catch {}
    exitProcess(1);
    return;
  }
  fatalExit(fatalText ?? formatUncaught(err, atThrow));
}
let stdinRefOn = false;

export function setStdinRef(on) {
  if (on !== stdinRefOn) {
    stdinRefOn = on;
    bridgeStdinRef(on);
  }
}

export function isStdinRefOn() {
  return stdinRefOn;
}

let processExiting = false;
let exitCodeState; // undefined or an integer
let startMonotonic = 0;

const EventEmitterPrototypeEmitRaw = EventEmitter.prototype.emit;

// As Node's: the process emitter is an instance of a `process` class (so errors and inspect name
// it `process`) whose prototype inherits from EventEmitter's; the toStringTag is the object's
// own. Made here at factory time; `populateProcess` adds its properties.
const ProcessClass = function process() {
  throw new TypeErrorCtor('Illegal constructor');
};
ProcessClass.prototype = ObjectCreate(EventEmitter.prototype, {
  constructor: { __proto__: null, value: ProcessClass, writable: true, configurable: true },
});
// Constructed with `process` as new.target: V8 then names the object by its toStringTag in stack
// frames (`at process.processTicksAndRejections`), as Node's, not by EventEmitter.
export const processObject = ReflectConstruct(EventEmitter, [], ProcessClass);
ObjectDefineProperty(processObject, SymbolToStringTag, {
  __proto__: null,
  value: 'process',
  writable: true,
  configurable: false,
});

export function processEmit(...args) {
  return ReflectApply(EventEmitterPrototypeEmitRaw, processObject, args);
}

export function processListenerCount(event) {
  return EventEmitterPrototypeListenerCount(processObject, event);
}

export function isProcessExiting() {
  return processExiting;
}

// The runner's start time (start(config)), for process.uptime() and performance.now().
export function markStart(now) {
  startMonotonic = now;
}

export function msSinceStart() {
  return bridgeMonotonic() - startMonotonic;
}

// process.exitCode as set by the guest: undefined or an integer.
export function getExitCode() {
  return exitCodeState;
}

export function setExitCode(code) {
  exitCodeState = code;
}

export function exitCodeValue() {
  return exitCodeState === undefined ? 0 : exitCodeState;
}

// Runs 'exit' listeners once (process.exit() or the end of the loop). `atEnd`: the program ran
// out of work; as Node, 'exit' is emitted then even if a process.exit() whose reallyExit the
// guest replaced emitted it already.
export function runExitListeners(atEnd = false) {
  if (processExiting && !atEnd) return;
  processExiting = true;
  setStdinRef(false);
  try {
    processEmit('exit', exitCodeValue());
  } catch (err) {
    triggerUncaught(err);
  }
}

/**
 * `process.exit(code)`: 'exit' listeners once, then `process.reallyExit`, which ends the guest
 * unless the guest replaced it (then this returns and the program goes on, as in Node).
 */
export function processExit(code) {
  if (code !== undefined) exitCodeState = code;
  runExitListeners();
  const reallyExit = processObject.reallyExit;
  if (typeof reallyExit !== 'function') bridgeExit(exitCodeValue());
  ReflectApply(reallyExit, processObject, [exitCodeValue()]);
}

/** `process.reallyExit(code)`: ends the guest now. */
export function reallyExit(code) {
  bridgeExit(code === undefined ? 0 : NumberCtor(code) | 0);
}

// Runs 'exit' listeners once, then ends the guest. Never returns.
export function exitProcess(code) {
  if (code !== undefined) exitCodeState = code;
  runExitListeners();
  bridgeExit(exitCodeValue());
}
