// lib/internal__comparisons.js: the deep equality of assert.deepStrictEqual / deepEqual and
// util.isDeepStrictEqual, ported from Node 20's lib/internal/util/comparisons.js (MIT license,
// Copyright Node.js contributors) so that what is equal is exactly what Node says is equal.

import {
  ArrayIsArray,
  ArrayPrototypeFilter,
  ArrayPrototypePush,
  DatePrototypeGetTime,
  ErrorCtor,
  FunctionPrototypeSymbolHasInstance,
  NumberIsNaN,
  ObjectGetOwnPropertySymbols,
  ObjectGetPrototypeOf,
  ObjectIs,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  ObjectPrototypePropertyIsEnumerable,
  ObjectPrototypeToString,
  SetCtor,
  TypedArrayPrototypeGetSymbolToStringTag,
} from '../js/00_primordials.js';
import { mapEquiv, setEquiv, useDeepEqual } from './internal__comparisons_collections.js';
import {
  areEqualArrayBuffers,
  areSimilarFloatArrays,
  areSimilarRegExps,
  areSimilarTypedArrays,
  getOwnNonIndexProperties,
  isEqualBoxedPrimitive,
  isURL,
  kIsArray,
  kIsMap,
  kIsSet,
  kKeyObject,
  kLoose,
  kNoIterator,
  kStrict,
} from './internal__comparisons_values.js';
import { utilTypes } from './internal__util_types.js';

const {
  isAnyArrayBuffer,
  isArrayBufferView,
  isDate,
  isMap,
  isRegExp,
  isSet,
  isNativeError,
  isBoxedPrimitive,
  isFloat32Array,
  isFloat64Array,
  isKeyObject,
  isCryptoKey,
} = utilTypes;

const ONLY_ENUMERABLE = 2;
const SKIP_SYMBOLS = 16;

// Notes: Type tags are historical [[Class]] properties that can be set by
// FunctionTemplate::SetClassName() in C++ or Symbol.toStringTag in JS
// and retrieved using Object.prototype.toString.call(obj) in JS
// See https://tc39.github.io/ecma262/#sec-object.prototype.tostring
// for a list of tags pre-defined in the spec.
// There are some unspecified tags in the wild too (e.g. typed array tags).
// Since tags can be altered, they only serve fast failures
//
// For strict comparison, objects should have
// a) The same built-in type tag.
// b) The same prototypes.

function innerDeepEqual(val1, val2, strict, memos) {
  // All identical values are equivalent, as determined by ===.
  if (val1 === val2) {
    return val1 !== 0 || ObjectIs(val1, val2) || !strict;
  }

  // Check more closely if val1 and val2 are equal.
  if (strict) {
    if (typeof val1 === 'number') {
      return NumberIsNaN(val1) && NumberIsNaN(val2);
    }
    if (
      typeof val2 !== 'object' ||
      typeof val1 !== 'object' ||
      val1 === null ||
      val2 === null ||
      ObjectGetPrototypeOf(val1) !== ObjectGetPrototypeOf(val2)
    ) {
      return false;
    }
  } else {
    if (val1 === null || typeof val1 !== 'object') {
      if (val2 === null || typeof val2 !== 'object') {
        // eslint-disable-next-line eqeqeq
        // biome-ignore lint/suspicious/noDoubleEquals: loose deep equality compares loosely, as Node's
        return val1 == val2 || (NumberIsNaN(val1) && NumberIsNaN(val2));
      }
      return false;
    }
    if (val2 === null || typeof val2 !== 'object') {
      return false;
    }
  }
  const val1Tag = ObjectPrototypeToString(val1);
  const val2Tag = ObjectPrototypeToString(val2);

  if (val1Tag !== val2Tag) {
    return false;
  }

  if (ArrayIsArray(val1)) {
    // Check for sparse arrays and general fast path
    if (!ArrayIsArray(val2) || val1.length !== val2.length) {
      return false;
    }
    const filter = strict ? ONLY_ENUMERABLE : ONLY_ENUMERABLE | SKIP_SYMBOLS;
    const keys1 = getOwnNonIndexProperties(val1, filter);
    const keys2 = getOwnNonIndexProperties(val2, filter);
    if (keys1.length !== keys2.length) {
      return false;
    }
    return keyCheck(val1, val2, strict, memos, kIsArray, keys1);
  } else if (val1Tag === '[object Object]') {
    return keyCheck(val1, val2, strict, memos, kNoIterator);
  } else if (isDate(val1)) {
    if (!isDate(val2) || DatePrototypeGetTime(val1) !== DatePrototypeGetTime(val2)) {
      return false;
    }
  } else if (isRegExp(val1)) {
    if (!isRegExp(val2) || !areSimilarRegExps(val1, val2)) {
      return false;
    }
  } else if (isArrayBufferView(val1)) {
    if (
      TypedArrayPrototypeGetSymbolToStringTag(val1) !==
      TypedArrayPrototypeGetSymbolToStringTag(val2)
    ) {
      return false;
    }
    if (
      !strict &&
      (isFloat32Array(val1) ||
        isFloat64Array(val1) ||
        TypedArrayPrototypeGetSymbolToStringTag(val1) === 'Float16Array')
    ) {
      if (!areSimilarFloatArrays(val1, val2)) {
        return false;
      }
    } else if (!areSimilarTypedArrays(val1, val2)) {
      return false;
    }
    // Buffer.compare returns true, so val1.length === val2.length. If they both
    // only contain numeric keys, we don't need to exam further than checking
    // the symbols.
    const filter = strict ? ONLY_ENUMERABLE : ONLY_ENUMERABLE | SKIP_SYMBOLS;
    const keys1 = getOwnNonIndexProperties(val1, filter);
    const keys2 = getOwnNonIndexProperties(val2, filter);
    if (keys1.length !== keys2.length) {
      return false;
    }
    return keyCheck(val1, val2, strict, memos, kNoIterator, keys1);
  } else if (isSet(val1)) {
    if (!isSet(val2) || val1.size !== val2.size) {
      return false;
    }
    return keyCheck(val1, val2, strict, memos, kIsSet);
  } else if (isMap(val1)) {
    if (!isMap(val2) || val1.size !== val2.size) {
      return false;
    }
    return keyCheck(val1, val2, strict, memos, kIsMap);
  } else if (isAnyArrayBuffer(val1)) {
    if (!isAnyArrayBuffer(val2) || !areEqualArrayBuffers(val1, val2)) {
      return false;
    }
  } else if (isNativeError(val1) || val1 instanceof ErrorCtor) {
    // Do not compare the stack as it might differ even though the error itself
    // is otherwise identical.
    if (!isNativeError(val2) && !(val2 instanceof ErrorCtor)) {
      return false;
    }

    const message1Enumerable = ObjectPrototypePropertyIsEnumerable(val1, 'message');
    const name1Enumerable = ObjectPrototypePropertyIsEnumerable(val1, 'name');
    const cause1Enumerable = ObjectPrototypePropertyIsEnumerable(val1, 'cause');
    const errors1Enumerable = ObjectPrototypePropertyIsEnumerable(val1, 'errors');

    if (
      message1Enumerable !== ObjectPrototypePropertyIsEnumerable(val2, 'message') ||
      (!message1Enumerable && val1.message !== val2.message) ||
      name1Enumerable !== ObjectPrototypePropertyIsEnumerable(val2, 'name') ||
      (!name1Enumerable && val1.name !== val2.name) ||
      cause1Enumerable !== ObjectPrototypePropertyIsEnumerable(val2, 'cause') ||
      (!cause1Enumerable && !innerDeepEqual(val1.cause, val2.cause, strict, memos)) ||
      errors1Enumerable !== ObjectPrototypePropertyIsEnumerable(val2, 'errors') ||
      (!errors1Enumerable && !innerDeepEqual(val1.errors, val2.errors, strict, memos))
    ) {
      return false;
    }
  } else if (isBoxedPrimitive(val1)) {
    if (!isEqualBoxedPrimitive(val1, val2)) {
      return false;
    }
  } else if (
    ArrayIsArray(val2) ||
    isArrayBufferView(val2) ||
    isSet(val2) ||
    isMap(val2) ||
    isDate(val2) ||
    isRegExp(val2) ||
    isAnyArrayBuffer(val2) ||
    isBoxedPrimitive(val2) ||
    isNativeError(val2) ||
    FunctionPrototypeSymbolHasInstance(ErrorCtor, val2)
  ) {
    return false;
  } else if (isKeyObject(val1)) {
    if (!isKeyObject(val2) || !val1.equals(val2)) {
      return false;
    }
  } else if (isCryptoKey(val1)) {
    if (
      !isCryptoKey(val2) ||
      val1.extractable !== val2.extractable ||
      !innerDeepEqual(val1.algorithm, val2.algorithm, strict, memos) ||
      !innerDeepEqual(val1.usages, val2.usages, strict, memos) ||
      !innerDeepEqual(val1[kKeyObject], val2[kKeyObject], strict, memos)
    ) {
      return false;
    }
  } else if (isURL(val1)) {
    if (!isURL(val2) || val1.href !== val2.href) {
      return false;
    }
  }
  return keyCheck(val1, val2, strict, memos, kNoIterator);
}

function getEnumerables(val, keys) {
  return ArrayPrototypeFilter(keys, (k) => ObjectPrototypePropertyIsEnumerable(val, k));
}

function keyCheck(val1, val2, strict, memos, iterationType, aKeys) {
  // For all remaining Object pairs, including Array, objects and Maps,
  // equivalence is determined by having:
  // a) The same number of owned enumerable properties
  // b) The same set of keys/indexes (although not necessarily the same order)
  // c) Equivalent values for every corresponding key/index
  // d) For Sets and Maps, equal contents
  // Note: this accounts for both named and indexed properties on Arrays.
  const isArrayLikeObject = aKeys !== undefined;

  if (aKeys === undefined) {
    aKeys = ObjectKeys(val1);
  }

  // Cheap key test
  if (aKeys.length > 0) {
    for (const key of aKeys) {
      if (!ObjectPrototypePropertyIsEnumerable(val2, key)) {
        return false;
      }
    }
  }

  if (!isArrayLikeObject) {
    // The pair must have the same number of owned properties.
    if (aKeys.length !== ObjectKeys(val2).length) {
      return false;
    }

    if (strict) {
      const symbolKeysA = ObjectGetOwnPropertySymbols(val1);
      if (symbolKeysA.length !== 0) {
        let count = 0;
        for (const key of symbolKeysA) {
          if (ObjectPrototypePropertyIsEnumerable(val1, key)) {
            if (!ObjectPrototypePropertyIsEnumerable(val2, key)) {
              return false;
            }
            ArrayPrototypePush(aKeys, key);
            count++;
          } else if (ObjectPrototypePropertyIsEnumerable(val2, key)) {
            return false;
          }
        }
        const symbolKeysB = ObjectGetOwnPropertySymbols(val2);
        if (
          symbolKeysA.length !== symbolKeysB.length &&
          getEnumerables(val2, symbolKeysB).length !== count
        ) {
          return false;
        }
      } else {
        const symbolKeysB = ObjectGetOwnPropertySymbols(val2);
        if (symbolKeysB.length !== 0 && getEnumerables(val2, symbolKeysB).length !== 0) {
          return false;
        }
      }
    }
  }

  if (
    aKeys.length === 0 &&
    (iterationType === kNoIterator ||
      (iterationType === kIsArray && val1.length === 0) ||
      val1.size === 0)
  ) {
    return true;
  }

  // Use memos to handle cycles.
  if (memos === undefined) {
    memos = {
      set: undefined,
      a: val1,
      b: val2,
      c: undefined,
      d: undefined,
      deep: false,
      deleteFailures: false,
    };
    return objEquiv(val1, val2, strict, aKeys, memos, iterationType);
  }

  if (memos.set === undefined) {
    if (memos.deep === false) {
      if (memos.a === val1) {
        if (memos.b === val2) return true;
      }
      memos.c = val1;
      memos.d = val2;
      memos.deep = true;
      const result = objEquiv(val1, val2, strict, aKeys, memos, iterationType);
      memos.deep = false;
      return result;
    }
    memos.set = new SetCtor();
    memos.set.add(memos.a);
    memos.set.add(memos.b);
    memos.set.add(memos.c);
    memos.set.add(memos.d);
  }

  const { set } = memos;

  const originalSize = set.size;
  set.add(val1);
  set.add(val2);
  if (originalSize === set.size) {
    return true;
  }

  const areEq = objEquiv(val1, val2, strict, aKeys, memos, iterationType);

  if (areEq || memos.deleteFailures) {
    set.delete(val1);
    set.delete(val2);
  }

  return areEq;
}
function objEquiv(a, b, strict, keys, memos, iterationType) {
  // The pair must have equivalent values for every corresponding key.
  if (keys.length > 0) {
    for (const key of keys) {
      if (!innerDeepEqual(a[key], b[key], strict, memos)) {
        return false;
      }
    }
  }

  if (iterationType === kIsArray) {
    for (let i = 0; i < a.length; i++) {
      if (ObjectPrototypeHasOwnProperty(a, i)) {
        if (!ObjectPrototypeHasOwnProperty(b, i) || !innerDeepEqual(a[i], b[i], strict, memos)) {
          return false;
        }
      } else if (ObjectPrototypeHasOwnProperty(b, i)) {
        return false;
      } else {
        // Array is sparse.
        const keysA = ObjectKeys(a);
        for (; i < keysA.length; i++) {
          const key = keysA[i];
          if (
            !ObjectPrototypeHasOwnProperty(b, key) ||
            !innerDeepEqual(a[key], b[key], strict, memos)
          ) {
            return false;
          }
        }
        return keysA.length === ObjectKeys(b).length;
      }
    }
  } else if (iterationType === kIsSet) {
    if (!setEquiv(a, b, strict, memos)) {
      return false;
    }
  } else if (iterationType === kIsMap) {
    if (!mapEquiv(a, b, strict, memos)) {
      return false;
    }
  }

  return true;
}

export function isDeepEqual(val1, val2) {
  return innerDeepEqual(val1, val2, kLoose);
}

export function isDeepStrictEqual(val1, val2) {
  return innerDeepEqual(val1, val2, kStrict);
}

useDeepEqual(innerDeepEqual);
