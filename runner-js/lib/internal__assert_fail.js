// lib/internal__assert_fail.js: how assert fails: the AssertionError thrower (innerFail),
// the no-exception sentinel, and Node's argument errors as assert words them (ERR_INVALID_ARG_TYPE
// with its expected-type list, ERR_INVALID_ARG_VALUE, ERR_INVALID_RETURN_VALUE,
// ERR_AMBIGUOUS_ARGUMENT, ERR_MISSING_ARGS); from Node 20's lib (MIT license, Node.js contributors).

import {
  ArrayIsArray,
  ArrayPrototypeIndexOf,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ErrorCtor,
  RegExpPrototypeExec,
  StringPrototypeSlice,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { inspect } from '../js/04_inspect.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { AssertionError } from './internal__assert_error.js';
import { describeType, kTypes } from './internal__web_errors.js';

/** What getActual/waitForActual return when nothing was thrown. */
export const NO_EXCEPTION_SENTINEL = {};

/** Throws `obj.message` when it is an Error, else an AssertionError of `obj`. */
export function innerFail(obj) {
  if (obj.message instanceof ErrorCtor) throw obj.message;

  throw new AssertionError(obj);
}

// Node's formatting of an ERR_INVALID_ARG_TYPE "expected" list.
export function expectedText(expected) {
  if (!ArrayIsArray(expected)) expected = [expected];
  const types = [];
  const instances = [];
  const other = [];
  for (let i = 0; i < expected.length; i++) {
    const value = expected[i];
    if (ArrayPrototypeIndexOf(kTypes, value) !== -1) {
      ArrayPrototypePush(
        types,
        value === 'Function' ? 'function' : value === 'Object' ? 'object' : value,
      );
    } else if (RegExpPrototypeExec(/^([A-Z][a-z0-9]*)+$/, value) !== null) {
      ArrayPrototypePush(instances, value);
    } else {
      ArrayPrototypePush(other, value);
    }
  }
  const list = (items, last) => {
    if (items.length === 1) return items[0];
    if (items.length === 2) return `${items[0]} ${last} ${items[1]}`;
    return `${ArrayPrototypeJoin(ArrayPrototypeSlice(items, 0, -1), ', ')}, ${last} ${items[items.length - 1]}`;
  };
  let msg = '';
  if (types.length > 0) {
    msg += `${types.length > 1 ? 'one of type' : 'of type'} ${list(types, 'or')}`;
    if (instances.length > 0 || other.length > 0) msg += ' or ';
  }
  if (instances.length > 0) {
    msg += `an instance of ${list(instances, 'or')}`;
    if (other.length > 0) msg += ' or ';
  }
  if (other.length > 0) msg += other.length > 1 ? `one of ${list(other, 'or')}` : `${other[0]}`;
  return msg;
}

export function ERR_INVALID_ARG_TYPE(name, expected, actual) {
  const text = expectedText(expected);
  // makeInvalidArgType adds "of type " unless the text starts with "an instance".
  const err = makeInvalidArgType(name, text.startsWith('of type ') ? text.slice(8) : text, actual);
  return err;
}

export function ERR_INVALID_ARG_VALUE(name, value, reason = 'is invalid') {
  let inspected = inspect(value);
  if (inspected.length > 128) inspected = `${StringPrototypeSlice(inspected, 0, 128)}...`;
  const type = name.includes('.') ? 'property' : 'argument';
  return makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_ARG_VALUE',
    `The ${type} '${name}' ${reason}. Received ${inspected}`,
  );
}

export function ERR_INVALID_RETURN_VALUE(input, name, value) {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_RETURN_VALUE',
    `Expected ${input} to be returned from the "${name}" function but got ${describeType(value)}.`,
  );
}

export function ERR_AMBIGUOUS_ARGUMENT(name, reason) {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_AMBIGUOUS_ARGUMENT',
    `The "${name}" argument is ambiguous. ${reason}`,
  );
}

export function ERR_MISSING_ARGS(...args) {
  let msg = 'The ';
  const len = args.length;
  const wrap = (a) => `"${a}"`;
  if (len === 1) msg += `${wrap(args[0])} argument`;
  else if (len === 2) msg += `${wrap(args[0])} and ${wrap(args[1])} arguments`;
  else
    msg += `${ArrayPrototypeJoin(ArrayPrototypeSlice(args, 0, -1).map(wrap), ', ')}, and ${wrap(args[len - 1])} arguments`;
  return makeNodeError(TypeErrorCtor, 'ERR_MISSING_ARGS', `${msg} must be specified`);
}
