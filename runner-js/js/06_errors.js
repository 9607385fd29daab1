// 06_errors.js: Node-style error objects (`code`, a `TypeError [CODE]: message` stack header) and
// the argument errors of Node's validators.

import {
  ErrorCaptureStackTrace,
  ErrorCtor,
  MathAbs,
  NumberIsInteger,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  RangeErrorCtor,
  StringCtor,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  TypeErrorCtor,
} from './00_primordials.js';
import { inspect } from './04_inspect.js';

// The Node release the runner follows (its tests are the conformance reference: ci/node-tests).
export const NODE_VERSION = 'v22.22.2';

/** An error as Node's C++ throws one (ThrowCryptoError and friends): a plain error with an
 * enumerable `code`, whose string form and stack header carry no [code]. */
export function makeNativeError(Ctor, code, message) {
  return withCode(new Ctor(message), code);
}

/** `err` with an enumerable, writable `code`, as Node sets it. */
function withCode(err, code) {
  ObjectDefineProperty(err, 'code', {
    __proto__: null,
    value: code,
    configurable: true,
    writable: true,
    enumerable: true,
  });
  return err;
}

export function makeNodeError(Ctor, code, message) {
  const err = new Ctor(message);
  // Like Node: the stack header reads `TypeError [CODE]: message`, `name` stays the class name.
  ObjectDefineProperty(err, 'name', {
    __proto__: null,
    value: `${err.name} [${code}]`,
    configurable: true,
    writable: true,
  });
  err.stack; // eslint-disable-line no-unused-expressions -- materializes the stack with the name
  delete err.name;
  withCode(err, code);
  // As Node's error classes: `String(err)` is `TypeError [CODE]: message`.
  ObjectDefineProperty(err, 'toString', {
    __proto__: null,
    value: nodeErrorToString,
    configurable: true,
    writable: true,
    enumerable: false,
  });
  return err;
}

/** Re-captures a Node error's stack from below `fn` (Node's hidden frames), `[CODE]` kept. */
export function hideStackFramesAbove(err, fn) {
  ObjectDefineProperty(err, 'name', {
    __proto__: null,
    value: `${err.name} [${err.code}]`,
    configurable: true,
    writable: true,
  });
  ErrorCaptureStackTrace(err, fn);
  err.stack; // eslint-disable-line no-unused-expressions -- materializes the stack with the name
  delete err.name;
}

function nodeErrorToString() {
  return `${this.name} [${this.code}]: ${this.message}`;
}

function describeReceived(value) {
  if (value == null) return ` Received ${value}`;
  if (typeof value === 'function') {
    let name;
    try {
      name = value.name;
    } catch {}
    // Node 20 prints the name as it is, '' included (`Received function `).
    return ` Received function ${name === undefined ? '' : name}`;
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

// Node's AbortError as its APIs make it for an aborted `signal`: `new AbortError(undefined,
// { cause: signal.reason })` (name AbortError, code ABORT_ERR).
export function makeAbortError(signal) {
  const err = new ErrorCtor('The operation was aborted', { cause: signal?.reason });
  err.name = 'AbortError';
  err.code = 'ABORT_ERR';
  return err;
}

export function makeInvalidArgType(name, expected, value) {
  // As Node: `The last argument must be ...` for a name that says what it is.
  const subject = StringPrototypeEndsWith(name, ' argument')
    ? name
    : `"${name}" ${StringPrototypeIncludes(name, '.') ? 'property' : 'argument'}`;
  return makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_ARG_TYPE',
    `The ${subject} must be ${StringPrototypeStartsWith(expected, 'an instance') || StringPrototypeStartsWith(expected, 'a ') || StringPrototypeStartsWith(expected, 'one of ') ? '' : 'of type '}${expected}.${describeReceived(value)}`,
  );
}

// Node's ERR_INVALID_ARG_VALUE: "The argument 'name' REASON. Received VALUE" (a property when
// the name has a dot).
export function makeInvalidArgValue(name, value, reason = 'is invalid') {
  const what = StringPrototypeIncludes(name, '.') ? 'property' : 'argument';
  let inspected = inspect(value);
  if (inspected.length > 128) inspected = `${StringPrototypeSlice(inspected, 0, 128)}...`;
  return makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_ARG_VALUE',
    `The ${what} '${name}' ${reason}. Received ${inspected}`,
  );
}

// `1_000_000`: how Node's ERR_OUT_OF_RANGE prints a big integer.
function addNumericalSeparator(val) {
  let res = '';
  let i = val.length;
  const start = val[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) res = `_${StringPrototypeSlice(val, i - 3, i)}${res}`;
  return `${StringPrototypeSlice(val, 0, i)}${res}`;
}

/** Node's ERR_OUT_OF_RANGE: integers past 2^32 (and bigints) printed with separators. */
export function makeOutOfRange(name, range, value) {
  let received;
  if (NumberIsInteger(value) && MathAbs(value) > 2 ** 32) {
    received = addNumericalSeparator(StringCtor(value));
  } else if (typeof value === 'bigint') {
    received = StringCtor(value);
    if (value > 2n ** 32n || value < -(2n ** 32n)) received = addNumericalSeparator(received);
    received += 'n';
  } else {
    received = inspect(value);
  }
  return makeNodeError(
    RangeErrorCtor,
    'ERR_OUT_OF_RANGE',
    `The value of "${name}" is out of range. It must be ${range}. Received ${received}`,
  );
}

/** Node's validateInteger: the type, then integer, then range (`>= min && <= max`). */
export function validateInteger(value, name, min, max) {
  if (typeof value !== 'number') throw makeInvalidArgType(name, 'number', value);
  if (!NumberIsInteger(value)) throw makeOutOfRange(name, 'an integer', value);
  if (value < min || value > max) throw makeOutOfRange(name, `>= ${min} && <= ${max}`, value);
}

export function validateFunction(fn, name) {
  if (typeof fn !== 'function') throw makeInvalidArgType(name, 'function', fn);
}
