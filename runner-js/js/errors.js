// errors.js: Node-style error objects and the reporting of uncaught exceptions / rejections.

const NODE_VERSION = 'v20.20.2';

function makeNodeError(Ctor, code, message) {
  const err = new Ctor(message);
  // Like Node: the stack header reads `TypeError [CODE]: message`, `name` stays the class name.
  ObjectDefineProperty(err, 'name', {
    __proto__: null, value: `${err.name} [${code}]`, configurable: true, writable: true,
  });
  err.stack; // eslint-disable-line no-unused-expressions -- materializes the stack with the name
  delete err.name;
  ObjectDefineProperty(err, 'code', {
    __proto__: null, value: code, configurable: true, writable: true, enumerable: true,
  });
  return err;
}

function describeReceived(value) {
  if (value == null) return ` Received ${value}`;
  if (typeof value === 'function') {
    let name;
    try {
      name = value.name;
    } catch {}
    return name ? ` Received function ${name}` : ' Received function';
  }
  if (typeof value === 'object') {
    let name;
    try {
      const desc = ObjectGetOwnPropertyDescriptor(ObjectGetPrototypeOf(value), 'constructor');
      name = desc && typeof desc.value === 'function' ? desc.value.name : undefined;
    } catch {}
    if (name) return ` Received an instance of ${name}`;
    return ` Received ${inspect(value, { __proto__: null, depth: -1 })}`;
  }
  let inspected = inspect(value, { __proto__: null, colors: false });
  if (inspected.length > 28) inspected = `${StringPrototypeSlice(inspected, 0, 25)}...`;
  return ` Received type ${typeof value} (${inspected})`;
}

function makeInvalidArgType(name, expected, value) {
  const what = StringPrototypeIncludes(name, '.') ? 'property' : 'argument';
  return makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_TYPE',
    `The "${name}" ${what} must be ${StringPrototypeStartsWith(expected, 'an instance') ? '' : 'of type '}${expected}.${describeReceived(value)}`);
}

function makeOutOfRange(name, range, value) {
  return makeNodeError(RangeErrorCtor, 'ERR_OUT_OF_RANGE',
    `The value of "${name}" is out of range. It must be ${range}. Received ${inspect(value)}`);
}

function validateFunction(fn, name) {
  if (typeof fn !== 'function') throw makeInvalidArgType(name, 'function', fn);
}

// Main script source, for the `file:line\n<source line>\n^` header of uncaught errors.
let mainFilename;
let mainSourceLines;

// The main script (eval source or main file), set by start().
function setMainSource(filename, source) {
  mainFilename = filename;
  mainSourceLines = splitLines(source);
}

function splitLines(text) {
  const lines = newList();
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = StringPrototypeCharCodeAt(text, i);
    if (c === 10) {
      let end = i;
      if (end > start && StringPrototypeCharCodeAt(text, end - 1) === 13) end--;
      listPush(lines, StringPrototypeSlice(text, start, end));
      start = i + 1;
    }
  }
  listPush(lines, StringPrototypeSlice(text, start));
  return lines;
}

// `file:line\n<line>\n<caret>\n` for an error whose top stack frame is in the main script.
function sourceHeader(stack, atThrow) {
  if (mainSourceLines === undefined || typeof stack !== 'string') return '';
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
  if (file !== mainFilename || !(line >= 1) || line > mainSourceLines.length || !(col >= 1)) return '';
  const text = mainSourceLines[line - 1];
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

function getStack(err) {
  try {
    const stack = err.stack;
    return typeof stack === 'string' ? stack : undefined;
  } catch {
    return undefined;
  }
}

// `atThrow`: the exception reached the top uncaught (Node then points at the throw statement);
// false when it was caught first (queueMicrotask, rejections: Node points at the creation site).
function formatUncaught(err, atThrow) {
  try {
    if (isError(err)) {
      const header = sourceHeader(getStack(err), atThrow);
      return `${header === '' ? '' : `${header}\n`}${inspect(err)}`;
    }
    if (err !== null && (typeof err === 'object' || typeof err === 'function')) {
      return inspect(err);
    }
    return `\n${typeof err === 'symbol' ? SymbolPrototypeToString(err) : `${err}`}\n` +
      '(Use `node --trace-uncaught ...` to show where the exception was thrown)';
  } catch {
    return 'Uncaught exception (formatting failed)';
  }
}

let reportingFatal = false;

function fatalExit(text) {
  if (reportingFatal) bridgeExit(7);
  reportingFatal = true;
  try {
    bridgeWrite(2, `${text}\n\nNode.js ${NODE_VERSION}\n`);
  } catch {}
  exitProcess(1);
}

// An exception escaped guest code: 'uncaughtException' listeners, or print it and exit(1).
function triggerUncaught(err, atThrow = true) {
  if (!reportingFatal && processListenerCount('uncaughtException') > 0) {
    try {
      processEmit('uncaughtException', err, 'uncaughtException');
      return;
    } catch (err2) {
      err = err2;
    }
  }
  fatalExit(formatUncaught(err, atThrow));
}

function noSideEffectsToString(v) {
  if (typeof v === 'symbol') return SymbolPrototypeToString(v);
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return `${v}`;
  if (typeof v === 'function') return `${FunctionPrototypeToString(v)}`;
  let name = 'Object';
  try {
    const desc = ObjectGetOwnPropertyDescriptor(ObjectGetPrototypeOf(v), 'constructor');
    if (desc && typeof desc.value === 'function' && typeof desc.value.name === 'string' &&
        desc.value.name !== '') {
      name = desc.value.name;
    }
  } catch {}
  return `#<${name}>`;
}

// `promise` is optional (PROPOSED second argument from Rust), passed to listeners as in Node.
function reportUnhandledRejection(reason, promise) {
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
    text = 'node:internal/process/promises:389\n      new UnhandledPromiseRejection(reason);\n' +
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
