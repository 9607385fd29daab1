// lib/internal__web_errors.js: the Node errors of the web globals and small builtins (buffer, url,
// querystring, string_decoder, events, abort), with Node's message texts.

import {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypeIndexOf,
  ArrayPrototypeJoin,
  ArrayPrototypePop,
  ArrayPrototypePush,
  ArrayPrototypeSplice,
  ErrorCtor,
  ObjectDefineProperty,
  RangeErrorCtor,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { inspect } from '../js/04_inspect.js';
import { makeNodeError, makeOutOfRange } from '../js/06_errors.js';
import { webPrimordials } from '../js/09_web_primordials.js';

const { RegExpPrototypeExec, URIErrorCtor } = webPrimordials;

// The lowercase type names and the two classes Node's ERR_INVALID_ARG_TYPE lists as types.
export const kTypes = [
  'string',
  'function',
  'number',
  'object',
  'Function',
  'Object',
  'boolean',
  'bigint',
  'symbol',
];
const classRegExp = /^([A-Z][a-z0-9]*)+$/;

export function nodeError(Ctor, code, message) {
  return makeNodeError(Ctor, code, message);
}

/** Node's `determineSpecificType`: how an error message names a received value. */
export function describeType(value) {
  if (value == null) return `${value}`;
  if (typeof value === 'function') {
    let name;
    try {
      name = value.name;
    } catch {}
    // As makeInvalidArgType (and Node 22): `function ` for an anonymous one.
    return `function ${name === undefined ? '' : name}`;
  }
  if (typeof value === 'object') {
    let name;
    try {
      name = value.constructor?.name;
    } catch {}
    if (name) return `an instance of ${name}`;
    return inspect(value, { __proto__: null, depth: -1 });
  }
  let inspected = inspect(value, { __proto__: null, colors: false });
  if (inspected.length > 28) inspected = `${StringPrototypeSlice(inspected, 0, 25)}...`;
  return `type ${typeof value} (${inspected})`;
}

function listText(items, lead) {
  if (items.length > 2) {
    const last = ArrayPrototypePop(items);
    return `${lead}${ArrayPrototypeJoin(items, ', ')}, or ${last}`;
  }
  if (items.length === 2) return `${lead}${items[0]} or ${items[1]}`;
  return `${lead}${items[0]}`;
}

/** ERR_INVALID_ARG_TYPE; `expected` is a type name or a list of them, as Node's. */
export function invalidArgType(name, expected, actual) {
  const list = ArrayIsArray(expected) ? expected : [expected];
  let msg = 'The ';
  if (StringPrototypeEndsWith(name, ' argument')) msg += `${name} `;
  else msg += `"${name}" ${StringPrototypeIncludes(name, '.') ? 'property' : 'argument'} `;
  msg += 'must be ';
  const types = [];
  const instances = [];
  const other = [];
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    if (ArrayPrototypeIncludes(kTypes, value))
      ArrayPrototypePush(types, StringPrototypeToLowerCase(value));
    else if (RegExpPrototypeExec(classRegExp, value) !== null) ArrayPrototypePush(instances, value);
    else ArrayPrototypePush(other, value);
  }
  if (instances.length > 0) {
    const pos = ArrayPrototypeIndexOf(types, 'object');
    if (pos !== -1) {
      ArrayPrototypeSplice(types, pos, 1);
      ArrayPrototypePush(instances, 'Object');
    }
  }
  if (types.length > 0) {
    msg += types.length === 1 ? `of type ${types[0]}` : listText(types, 'one of type ');
    if (instances.length > 0 || other.length > 0) msg += ' or ';
  }
  if (instances.length > 0) {
    if (instances.length > 2) msg += listText(instances, 'an instance of ');
    else {
      msg += `an instance of ${instances[0]}`;
      if (instances.length === 2) msg += ` or ${instances[1]}`;
    }
    if (other.length > 0) msg += ' or ';
  }
  if (other.length > 0) {
    if (other.length > 1) msg += listText(other, 'one of ');
    else {
      if (StringPrototypeToLowerCase(other[0]) !== other[0]) msg += 'an ';
      msg += other[0];
    }
  }
  return makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_ARG_TYPE',
    `${msg}. Received ${describeType(actual)}`,
  );
}

/** ERR_OUT_OF_RANGE, big integers printed with separators as Node does. */
export function outOfRange(name, range, input) {
  return makeOutOfRange(name, range, input);
}

/** ERR_INVALID_ARG_VALUE (a TypeError, or a RangeError when `Ctor` says so). */
export function invalidArgValue(name, value, reason = 'is invalid', Ctor = TypeErrorCtor) {
  let inspected = inspect(value);
  if (inspected.length > 128) inspected = `${StringPrototypeSlice(inspected, 0, 128)}...`;
  const type = StringPrototypeIncludes(name, '.') ? 'property' : 'argument';
  return makeNodeError(
    Ctor,
    'ERR_INVALID_ARG_VALUE',
    `The ${type} '${name}' ${reason}. Received ${inspected}`,
  );
}

export function unknownEncoding(encoding) {
  return makeNodeError(TypeErrorCtor, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
}

export function bufferOutOfBounds(name = undefined) {
  return makeNodeError(
    RangeErrorCtor,
    'ERR_BUFFER_OUT_OF_BOUNDS',
    name
      ? `"${name}" is outside of buffer bounds`
      : 'Attempt to access memory outside buffer bounds',
  );
}

export function missingArgs(...names) {
  const wrapped = [];
  for (let i = 0; i < names.length; i++) {
    const a = names[i];
    if (ArrayIsArray(a)) {
      const parts = [];
      for (let j = 0; j < a.length; j++) ArrayPrototypePush(parts, `"${a[j]}"`);
      ArrayPrototypePush(wrapped, ArrayPrototypeJoin(parts, ' or '));
    } else {
      ArrayPrototypePush(wrapped, `"${a}"`);
    }
  }
  let msg = 'The ';
  if (wrapped.length === 1) msg += `${wrapped[0]} argument`;
  else if (wrapped.length === 2) msg += `${wrapped[0]} and ${wrapped[1]} arguments`;
  else {
    const last = ArrayPrototypePop(wrapped);
    msg += `${ArrayPrototypeJoin(wrapped, ', ')}, and ${last} arguments`;
  }
  return makeNodeError(TypeErrorCtor, 'ERR_MISSING_ARGS', `${msg} must be specified`);
}

export function invalidThis(type) {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_THIS',
    `Value of "this" must be of type ${type}`,
  );
}

export function invalidState(message, Ctor = ErrorCtor) {
  return makeNodeError(Ctor, 'ERR_INVALID_STATE', `Invalid state: ${message}`);
}

export function stringTooLong() {
  return makeNodeError(
    ErrorCtor,
    'ERR_STRING_TOO_LONG',
    'Cannot create a string longer than 0x1fffffe8 characters',
  );
}

export function argNotIterable(name) {
  return makeNodeError(TypeErrorCtor, 'ERR_ARG_NOT_ITERABLE', `${name} must be iterable`);
}

export function invalidTuple(name, what) {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_TUPLE',
    `${name} must be an iterable ${what} tuple`,
  );
}

export function invalidUrl(input, base) {
  const err = makeNodeError(TypeErrorCtor, 'ERR_INVALID_URL', 'Invalid URL');
  // Node throws this one from C++ (ada): it prints as a plain TypeError, without the code.
  delete err.toString;
  ObjectDefineProperty(err, 'input', {
    __proto__: null,
    value: input,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  if (base !== undefined) {
    ObjectDefineProperty(err, 'base', {
      __proto__: null,
      value: base,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return err;
}

export function uriMalformed() {
  return makeNodeError(URIErrorCtor, 'ERR_INVALID_URI', 'URI malformed');
}

/** validateNumber: a number, optionally within [min, max]. */
export function validateNumber(value, name, min = undefined, max = undefined) {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if (
    (min != null && value < min) ||
    (max != null && value > max) ||
    // biome-ignore lint/suspicious/noSelfCompare: a NaN test that no guest patch of Number.isNaN can steer
    ((min != null || max != null) && value !== value)
  ) {
    throw outOfRange(
      name,
      `${min != null ? `>= ${min}` : ''}${min != null && max != null ? ' && ' : ''}${max != null ? `<= ${max}` : ''}`,
      value,
    );
  }
}

export function validateString(value, name) {
  if (typeof value !== 'string') throw invalidArgType(name, 'string', value);
}

export function validateObject(value, name) {
  if (value === null || typeof value !== 'object' || ArrayIsArray(value)) {
    throw invalidArgType(name, 'Object', value);
  }
}

export function validateBoolean(value, name) {
  if (typeof value !== 'boolean') throw invalidArgType(name, 'boolean', value);
}

export function validateFunction(value, name) {
  if (typeof value !== 'function') throw invalidArgType(name, 'Function', value);
}
