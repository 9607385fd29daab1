// 48_node_util.js: the `util` builtin (format, inspect, inherits, promisify, callbackify,
// deprecate, types, ...), over the runner's own inspect/format.

import {
  ArrayBufferIsView,
  ArrayIsArray,
  ArrayPrototypePop,
  AsyncFunctionPrototype,
  AsyncGeneratorFunctionPrototype,
  DatePrototypeGetTime,
  ErrorCtor,
  FunctionPrototypeSymbolHasInstance,
  GeneratorFunctionPrototype,
  MapIteratorPrototypeNext,
  MapPrototypeEntries,
  MapPrototypeGet,
  MapPrototypeGetSize,
  MapPrototypeHas,
  ObjectDefineProperty,
  ObjectGetOwnPropertySymbols,
  ObjectGetPrototypeOf,
  ObjectIs,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  ObjectPrototypePropertyIsEnumerable,
  ObjectPrototypeToString,
  ObjectSetPrototypeOf,
  PromiseCtor,
  PromisePrototypeThen,
  ReflectApply,
  RegExpPrototypeToString,
  SetCtor,
  SetIteratorPrototypeNext,
  SetPrototypeAdd,
  SetPrototypeGetSize,
  SetPrototypeHas,
  SetPrototypeValues,
  StringPrototypeCharCodeAt,
  SymbolFor,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
} from './00_primordials.js';
import {
  isArrayBuffer,
  isDataView,
  isDate,
  isError,
  isMap,
  isRegExp,
  isSet,
  isTypedArray,
  isWeakMap,
  isWeakSet,
  listPush,
  newList,
} from './01_helpers.js';
import { isBoxed } from './02_inspect_base.js';
import { inspect } from './04_inspect.js';
import { formatWithOptions } from './05_format.js';
import { makeInvalidArgType, makeNodeError, validateFunction } from './06_errors.js';
import { TextDecoder, TextEncoder } from './07_encoding.js';
import { nextTick } from './21_ticks.js';
import { emitWarning } from './23_warnings.js';
import { nodeSet } from './40_path.js';

const kUtilPromisifyCustom = SymbolFor('nodejs.util.promisify.custom');
const UtilObjectGetOwnPropertyDescriptors = Object.getOwnPropertyDescriptors;
const UtilObjectDefineProperties = Object.defineProperties;
const UtilReflectConstruct = Reflect.construct;
let utilDeprecationWarned;

function utilPromisify(original) {
  validateFunction(original, 'original');
  const custom = original[kUtilPromisifyCustom];
  if (custom !== undefined) {
    validateFunction(custom, 'util.promisify.custom');
    return custom;
  }
  function fn(...args) {
    return new PromiseCtor((resolve, reject) => {
      listPush(args, (err, ...values) => {
        if (err) return reject(err);
        resolve(values[0]);
        return undefined;
      });
      ReflectApply(original, this, args);
    });
  }
  ObjectSetPrototypeOf(fn, ObjectGetPrototypeOf(original));
  ObjectDefineProperty(fn, kUtilPromisifyCustom, {
    __proto__: null,
    value: fn,
    enumerable: false,
    writable: false,
    configurable: true,
  });
  UtilObjectDefineProperties(fn, UtilObjectGetOwnPropertyDescriptors(original));
  return fn;
}
ObjectDefineProperty(utilPromisify, 'custom', { __proto__: null, value: kUtilPromisifyCustom });

function utilCallbackify(original) {
  validateFunction(original, 'original');
  function callbackified(...args) {
    const cb = ArrayPrototypePop(args);
    validateFunction(cb, 'last argument');
    PromisePrototypeThen(
      ReflectApply(original, this, args),
      (ret) => nextTick(cb, null, ret),
      (rej) => {
        if (!rej) {
          const err = makeNodeError(
            ErrorCtor,
            'ERR_FALSY_VALUE_REJECTION',
            'Promise was rejected with falsy value',
          );
          nodeSet(err, 'reason', rej);
          rej = err;
        }
        nextTick(cb, rej);
      },
    );
  }
  return callbackified;
}

function utilInherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw makeInvalidArgType('ctor', 'function', ctor);
  if (superCtor === undefined || superCtor === null)
    throw makeInvalidArgType('superCtor', 'function', superCtor);
  if (superCtor.prototype === undefined) {
    throw makeInvalidArgType('superCtor.prototype', 'object', superCtor.prototype);
  }
  ObjectDefineProperty(ctor, 'super_', {
    __proto__: null,
    value: superCtor,
    writable: true,
    configurable: true,
  });
  ObjectSetPrototypeOf(ctor.prototype, superCtor.prototype);
}

function utilDeprecate(fn, msg, code) {
  validateFunction(fn, 'fn');
  let warned = false;
  function deprecated(...args) {
    if (!warned) {
      warned = true;
      if (code !== undefined) {
        if (utilDeprecationWarned === undefined) utilDeprecationWarned = new SetCtor();
        if (!SetPrototypeHas(utilDeprecationWarned, code)) {
          SetPrototypeAdd(utilDeprecationWarned, code);
          emitWarning(msg, 'DeprecationWarning', code);
        }
      } else {
        emitWarning(msg, 'DeprecationWarning');
      }
    }
    if (new.target) return UtilReflectConstruct(fn, args, new.target);
    return ReflectApply(fn, this, args);
  }
  ObjectSetPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
}

function utilIsDeepStrictEqual(a, b) {
  return utilDeepEqual(a, b, newList(), newList());
}

function utilDeepEqual(a, b, seenA, seenB) {
  if (ObjectIs(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (ObjectGetPrototypeOf(a) !== ObjectGetPrototypeOf(b)) return false;
  if (ObjectPrototypeToString(a) !== ObjectPrototypeToString(b)) return false;
  for (let i = 0; i < seenA.length; i++) if (seenA[i] === a && seenB[i] === b) return true;
  listPush(seenA, a);
  listPush(seenB, b);
  if (isDate(a)) {
    if (!ObjectIs(DatePrototypeGetTime(a), DatePrototypeGetTime(b))) return false;
  } else if (isRegExp(a)) {
    if (RegExpPrototypeToString(a) !== RegExpPrototypeToString(b)) return false;
  } else if (isError(a)) {
    if (a.message !== b.message || a.name !== b.name) return false;
  } else if (isTypedArray(a)) {
    const n = TypedArrayPrototypeGetLength(a);
    if (n !== TypedArrayPrototypeGetLength(b)) return false;
    for (let i = 0; i < n; i++) if (!ObjectIs(a[i], b[i])) return false;
  } else if (isMap(a)) {
    if (MapPrototypeGetSize(a) !== MapPrototypeGetSize(b)) return false;
    const it = MapPrototypeEntries(a);
    for (;;) {
      const r = MapIteratorPrototypeNext(it);
      if (r.done) break;
      if (
        !MapPrototypeHas(b, r.value[0]) ||
        !utilDeepEqual(r.value[1], MapPrototypeGet(b, r.value[0]), seenA, seenB)
      ) {
        return false;
      }
    }
  } else if (isSet(a)) {
    if (SetPrototypeGetSize(a) !== SetPrototypeGetSize(b)) return false;
    const it = SetPrototypeValues(a);
    for (;;) {
      const r = SetIteratorPrototypeNext(it);
      if (r.done) break;
      if (!SetPrototypeHas(b, r.value)) return false;
    }
  } else if (isBoxed(a)) {
    if (!ObjectIs(a.valueOf(), b.valueOf())) return false;
  }
  const ka = ObjectKeys(a);
  const kb = ObjectKeys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (!ObjectPrototypeHasOwnProperty(b, ka[i]) || !ObjectPrototypePropertyIsEnumerable(b, ka[i]))
      return false;
    if (!utilDeepEqual(a[ka[i]], b[ka[i]], seenA, seenB)) return false;
  }
  const sa = ObjectGetOwnPropertySymbols(a);
  for (let i = 0; i < sa.length; i++) {
    if (
      ObjectPrototypePropertyIsEnumerable(a, sa[i]) &&
      !utilDeepEqual(a[sa[i]], b[sa[i]], seenA, seenB)
    )
      return false;
  }
  return true;
}

function utilStripVTControlCharacters(str) {
  if (typeof str !== 'string') throw makeInvalidArgType('str', 'string', str);
  let out = '';
  for (let i = 0; i < str.length; i++) {
    const c = StringPrototypeCharCodeAt(str, i);
    if (c === 0x1b || c === 0x9b) {
      let j = i + 1;
      if (c === 0x1b && j < str.length && StringPrototypeCharCodeAt(str, j) === 0x5b) j++;
      while (j < str.length) {
        const d = StringPrototypeCharCodeAt(str, j);
        if (d >= 0x40 && d <= 0x7e) break;
        j++;
      }
      i = j;
      continue;
    }
    out += str[i];
  }
  return out;
}

function createUtilTypes() {
  const isFnProto = (v, proto) => typeof v === 'function' && ObjectGetPrototypeOf(v) === proto;
  return {
    isPromise: (v) =>
      v !== null && typeof v === 'object' && FunctionPrototypeSymbolHasInstance(PromiseCtor, v),
    isDate,
    isRegExp,
    isMap,
    isSet,
    isWeakMap,
    isWeakSet,
    isArrayBuffer,
    isAnyArrayBuffer: isArrayBuffer,
    isDataView,
    isTypedArray,
    isUint8Array: (v) => TypedArrayPrototypeGetSymbolToStringTag(v) === 'Uint8Array',
    isArrayBufferView: (v) => ArrayBufferIsView(v),
    isNativeError: (v) => isError(v),
    isAsyncFunction: (v) =>
      isFnProto(v, AsyncFunctionPrototype) || isFnProto(v, AsyncGeneratorFunctionPrototype),
    isGeneratorFunction: (v) =>
      isFnProto(v, GeneratorFunctionPrototype) || isFnProto(v, AsyncGeneratorFunctionPrototype),
    isBoxedPrimitive: (v) => isBoxed(v),
    isProxy: () => false,
  };
}

export function createUtilModule() {
  const util = {
    format: function format(...args) {
      return formatWithOptions(undefined, args);
    },
    formatWithOptions: function formatWithOptions_(inspectOptions, ...args) {
      if (inspectOptions === null || typeof inspectOptions !== 'object') {
        throw makeInvalidArgType('inspectOptions', 'object', inspectOptions);
      }
      return formatWithOptions(inspectOptions, args);
    },
    inspect,
    inherits: utilInherits,
    promisify: utilPromisify,
    callbackify: utilCallbackify,
    deprecate: utilDeprecate,
    isDeepStrictEqual: utilIsDeepStrictEqual,
    stripVTControlCharacters: utilStripVTControlCharacters,
    debuglog: function debuglog() {
      const fn = function debug() {};
      nodeSet(fn, 'enabled', false);
      return fn;
    },
    isArray: ArrayIsArray,
    types: createUtilTypes(),
    TextEncoder,
    TextDecoder,
  };
  ObjectDefineProperty(util.formatWithOptions, 'name', {
    __proto__: null,
    value: 'formatWithOptions',
  });
  nodeSet(util, 'debug', util.debuglog);
  return util;
}
