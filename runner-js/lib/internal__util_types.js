// lib/internal__util_types.js: util.types, every predicate of Node's, over brand checks that run
// no guest code: the captured builtins' internal-slot getters in JS, and V8's own checks through
// the `valueKinds` native (bridge/node_process.rs) for what JS cannot tell (proxies, arguments
// objects, generator objects, module namespaces, externals, ...).

import {
  ArrayBufferIsView,
  BigIntPrototypeValueOf,
  BooleanPrototypeValueOf,
  NumberPrototypeValueOf,
  ObjectDefineProperty,
  ObjectKeys,
  StringPrototypeValueOf,
  SymbolPrototypeValueOf,
  TypedArrayPrototypeGetSymbolToStringTag,
} from '../js/00_primordials.js';
import {
  isAnyArrayBuffer,
  isArrayBuffer,
  isBrand,
  isDataView,
  isDate,
  isMap,
  isRegExp,
  isSet,
  isSharedArrayBuffer,
  isWeakMap,
  isWeakSet,
  valueKinds,
} from '../js/01_helpers.js';

// Bit positions of the native's answer (engine/src/bridge/node_process.rs, KIND_CHECKS).
const PROXY = 1 << 0;
const EXTERNAL = 1 << 1;
const MODULE_NAMESPACE = 1 << 2;
const GENERATOR_OBJECT = 1 << 3;
const ARGUMENTS = 1 << 4;
const PROMISE = 1 << 5;
const ASYNC_FUNCTION = 1 << 6;
const GENERATOR_FUNCTION = 1 << 7;
const MAP_ITERATOR = 1 << 8;
const SET_ITERATOR = 1 << 9;
const NATIVE_ERROR = 1 << 10;
const NUMBER_OBJECT = 1 << 13;
const STRING_OBJECT = 1 << 14;
const SYMBOL_OBJECT = 1 << 15;

const kinds = valueKinds;

function has(bit) {
  return (v) => (kinds(v) & bit) !== 0;
}

function tagIs(tag) {
  return (v) => TypedArrayPrototypeGetSymbolToStringTag(v) === tag;
}

function isPrimitiveWrapper(v, valueOf) {
  return v !== null && typeof v === 'object' && isBrand(v, valueOf);
}

export const isNumberObject = (v) =>
  (kinds(v) & NUMBER_OBJECT) !== 0 || isPrimitiveWrapper(v, NumberPrototypeValueOf);
export const isStringObject = (v) =>
  (kinds(v) & STRING_OBJECT) !== 0 || isPrimitiveWrapper(v, StringPrototypeValueOf);
export const isSymbolObject = (v) =>
  (kinds(v) & SYMBOL_OBJECT) !== 0 || isPrimitiveWrapper(v, SymbolPrototypeValueOf);
export const isBooleanObject = (v) => isPrimitiveWrapper(v, BooleanPrototypeValueOf);
export const isBigIntObject = (v) => isPrimitiveWrapper(v, BigIntPrototypeValueOf);

export const utilTypes = {
  isExternal: has(EXTERNAL),
  isDate: (v) => isDate(v),
  isArgumentsObject: has(ARGUMENTS),
  isBigIntObject,
  isBooleanObject,
  isNumberObject,
  isStringObject,
  isSymbolObject,
  isNativeError: has(NATIVE_ERROR),
  isRegExp: (v) => isRegExp(v),
  isAsyncFunction: has(ASYNC_FUNCTION),
  isGeneratorFunction: has(GENERATOR_FUNCTION),
  isGeneratorObject: has(GENERATOR_OBJECT),
  isPromise: has(PROMISE),
  isMap: (v) => isMap(v),
  isSet: (v) => isSet(v),
  isMapIterator: has(MAP_ITERATOR),
  isSetIterator: has(SET_ITERATOR),
  isWeakMap: (v) => isWeakMap(v),
  isWeakSet: (v) => isWeakSet(v),
  isArrayBuffer: (v) => isArrayBuffer(v),
  isDataView: (v) => isDataView(v),
  isSharedArrayBuffer: (v) => isSharedArrayBuffer(v),
  isProxy: has(PROXY),
  isModuleNamespaceObject: has(MODULE_NAMESPACE),
  isAnyArrayBuffer: (v) => isAnyArrayBuffer(v),
  isBoxedPrimitive: (v) =>
    isNumberObject(v) ||
    isStringObject(v) ||
    isBooleanObject(v) ||
    isBigIntObject(v) ||
    isSymbolObject(v),
  isArrayBufferView: (v) => ArrayBufferIsView(v),
  isTypedArray: (v) => TypedArrayPrototypeGetSymbolToStringTag(v) !== undefined,
  isUint8Array: tagIs('Uint8Array'),
  isUint8ClampedArray: tagIs('Uint8ClampedArray'),
  isUint16Array: tagIs('Uint16Array'),
  isUint32Array: tagIs('Uint32Array'),
  isInt8Array: tagIs('Int8Array'),
  isInt16Array: tagIs('Int16Array'),
  isInt32Array: tagIs('Int32Array'),
  isFloat32Array: tagIs('Float32Array'),
  isFloat64Array: tagIs('Float64Array'),
  isBigInt64Array: tagIs('BigInt64Array'),
  isBigUint64Array: tagIs('BigUint64Array'),
  isKeyObject: (v) => false,
  isCryptoKey: (v) => false,
};
{
  // Function names as Node's (util.types.isDate.name === 'isDate').
  const names = ObjectKeys(utilTypes);
  for (let i = 0; i < names.length; i++) {
    ObjectDefineProperty(utilTypes[names[i]], 'name', { __proto__: null, value: names[i] });
  }
}
