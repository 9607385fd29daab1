// lib/internal__comparisons_values.js: the leaf comparisons of deep equality (regular
// expressions, float and other typed arrays, array buffers, boxed primitives), its mode and
// iteration constants, and the key helpers; from Node 20's lib/internal/util/comparisons.js
// (MIT license, Copyright Node.js contributors), as internal__comparisons.js.

import {
  BigIntPrototypeValueOf,
  BooleanPrototypeValueOf,
  bridgeOwnNonIndexKeys,
  ErrorCtor,
  NumberPrototypeValueOf,
  ObjectIs,
  StringPrototypeValueOf,
  SymbolCtor,
  SymbolPrototypeValueOf,
  TypedArrayPrototypeGetByteLength,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { utilTypes } from './internal__util_types.js';

const { isNumberObject, isStringObject, isBooleanObject, isBigIntObject, isSymbolObject } =
  utilTypes;

const _ONLY_ENUMERABLE = 2;
const _SKIP_SYMBOLS = 16;

// internalBinding('util').getOwnNonIndexProperties: V8 skips the indices as it collects (a large
// typed array's elements are never listed).
export function getOwnNonIndexProperties(obj, filter) {
  return bridgeOwnNonIndexKeys(obj, filter);
}

// internalBinding('buffer').compare on two byte views.
function compare(a, b) {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function isURL(self) {
  return !!(
    self?.href !== undefined &&
    self?.protocol !== undefined &&
    self?.auth === undefined &&
    self?.path === undefined
  );
}

function cmpAssert(value, message) {
  if (!value) throw new ErrorCtor(message ?? 'assertion failed');
}

export const kStrict = true;
export const kLoose = false;

export const kNoIterator = 0;
export const kIsArray = 1;
export const kIsSet = 2;
export const kIsMap = 3;

export const kKeyObject = SymbolCtor('kKeyObject');

// Check if they have the same source and flags
export function areSimilarRegExps(a, b) {
  return a.source === b.source && a.flags === b.flags && a.lastIndex === b.lastIndex;
}

export function areSimilarFloatArrays(a, b) {
  if (a.byteLength !== b.byteLength) {
    return false;
  }
  const len = TypedArrayPrototypeGetByteLength(a);
  for (let offset = 0; offset < len; offset++) {
    if (a[offset] !== b[offset]) {
      return false;
    }
  }
  return true;
}

export function areSimilarTypedArrays(a, b) {
  if (a.byteLength !== b.byteLength) {
    return false;
  }
  return (
    compare(
      new Uint8ArrayCtor(a.buffer, a.byteOffset, a.byteLength),
      new Uint8ArrayCtor(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}

export function areEqualArrayBuffers(buf1, buf2) {
  return (
    buf1.byteLength === buf2.byteLength &&
    compare(new Uint8ArrayCtor(buf1), new Uint8ArrayCtor(buf2)) === 0
  );
}

export function isEqualBoxedPrimitive(val1, val2) {
  if (isNumberObject(val1)) {
    return (
      isNumberObject(val2) && ObjectIs(NumberPrototypeValueOf(val1), NumberPrototypeValueOf(val2))
    );
  }
  if (isStringObject(val1)) {
    return isStringObject(val2) && StringPrototypeValueOf(val1) === StringPrototypeValueOf(val2);
  }
  if (isBooleanObject(val1)) {
    return isBooleanObject(val2) && BooleanPrototypeValueOf(val1) === BooleanPrototypeValueOf(val2);
  }
  if (isBigIntObject(val1)) {
    return isBigIntObject(val2) && BigIntPrototypeValueOf(val1) === BigIntPrototypeValueOf(val2);
  }
  if (isSymbolObject(val1)) {
    return isSymbolObject(val2) && SymbolPrototypeValueOf(val1) === SymbolPrototypeValueOf(val2);
  }
  /* c8 ignore next */
  cmpAssert(false, `Unknown boxed type ${val1}`);
}
