// 09_web_primordials.js: builtins the lazy web builtins of lib/ (buffer, url, events, abort,
// structuredClone, querystring, ...) use, captured at factory time. Those builtins compile at
// guest time, after guest code may have patched globals, so they take what they call from here
// (and from 00_primordials.js), never from the guest's globals. One exported object, so that
// other files' captures never collide with these names.

import {
  bridgeOwnNonIndexKeys,
  getter,
  ObjectGetPrototypeOf,
  uncurryThis,
} from './00_primordials.js';
import { anyArrayBufferByteLength, isSharedArrayBuffer } from './01_helpers.js';

const TypedArrayPrototype = ObjectGetPrototypeOf(Uint8Array.prototype);
const ArrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
const ArrayBufferDetached = ObjectGetOwnDescriptorGetter(ArrayBuffer.prototype, 'detached');
const ArrayBufferPrototypeSlice = uncurryThis(ArrayBuffer.prototype.slice);
const TypedArrayPrototypeGetByteLength = getter(TypedArrayPrototype, 'byteLength');
const DataViewPrototypeGetByteLength = getter(DataView.prototype, 'byteLength');
const DataViewPrototypeGetBuffer = getter(DataView.prototype, 'buffer');
const TypedArrayPrototypeGetSymbolToStringTag = getter(TypedArrayPrototype, Symbol.toStringTag);
const ArrayIteratorPrototypeNext = uncurryThis(Object.getPrototypeOf([][Symbol.iterator]()).next);
const ReflectApply = Reflect.apply;
const SymbolIterator = Symbol.iterator;

function ObjectGetOwnDescriptorGetter(proto, name) {
  const desc = Object.getOwnPropertyDescriptor(proto, name);
  return desc && typeof desc.get === 'function' ? uncurryThis(desc.get) : undefined;
}

// V8's property filter bit for enumerable keys only (engine/src/bridge/keys.rs).
const ONLY_ENUMERABLE_KEYS = 2;

export const webPrimordials = {
  __proto__: null,
  // Numbers, math, strings.
  MathAbs: Math.abs,
  MathTrunc: Math.trunc,
  MathRandom: Math.random,
  NumberMAX_SAFE_INTEGER: Number.MAX_SAFE_INTEGER,
  NumberMIN_SAFE_INTEGER: Number.MIN_SAFE_INTEGER,
  NumberIsSafeInteger: Number.isSafeInteger,
  NumberPrototypeToString: uncurryThis(Number.prototype.toString),
  StringPrototypeSplit: uncurryThis(String.prototype.split),
  StringPrototypeReplace: uncurryThis(String.prototype.replace),
  StringPrototypeReplaceAll: uncurryThis(String.prototype.replaceAll),
  StringPrototypeToUpperCase: uncurryThis(String.prototype.toUpperCase),
  StringPrototypeTrimStart: uncurryThis(String.prototype.trimStart),
  StringPrototypeTrimEnd: uncurryThis(String.prototype.trimEnd),
  StringPrototypeSubstring: uncurryThis(String.prototype.substring),
  StringPrototypeToWellFormed:
    typeof String.prototype.toWellFormed === 'function'
      ? uncurryThis(String.prototype.toWellFormed)
      : undefined,
  StringFromCodePoint: String.fromCodePoint,
  EncodeURIComponent: encodeURIComponent,
  DecodeURIComponent: decodeURIComponent,
  RegExpPrototypeExec: uncurryThis(RegExp.prototype.exec),
  RegExpPrototypeTest: uncurryThis(RegExp.prototype.test),
  RegExpPrototypeSymbolReplace: uncurryThis(RegExp.prototype[Symbol.replace]),
  RegExpPrototypeSymbolSplit: uncurryThis(RegExp.prototype[Symbol.split]),
  // Errors, objects, functions.
  URIErrorCtor: URIError,
  SyntaxErrorCtor: SyntaxError,
  ObjectFreeze: Object.freeze,
  ObjectAssign: Object.assign,
  ObjectDefineProperties: Object.defineProperties,
  ObjectEntries: Object.entries,
  ObjectGetOwnPropertyDescriptors: Object.getOwnPropertyDescriptors,
  ObjectPreventExtensions: Object.preventExtensions,
  FunctionPrototypeCall: uncurryThis(Function.prototype.call),
  FunctionPrototypeBind: uncurryThis(Function.prototype.bind),
  ReflectConstruct: Reflect.construct,
  SymbolSpecies: Symbol.species,
  SymbolIterator,
  SymbolToStringTag: Symbol.toStringTag,
  ArrayPrototypeMap: uncurryThis(Array.prototype.map),
  ArrayPrototypeFilter: uncurryThis(Array.prototype.filter),
  ArrayPrototypeForEach: uncurryThis(Array.prototype.forEach),
  ArrayPrototypeUnshift: uncurryThis(Array.prototype.unshift),
  ArrayPrototypeReverse: uncurryThis(Array.prototype.reverse),
  ArrayPrototypeFill: uncurryThis(Array.prototype.fill),
  ArrayPrototypeSome: uncurryThis(Array.prototype.some),
  ArrayFrom: Array.from,
  ArrayCtor: Array,
  ArrayIteratorPrototypeNext,
  // Promises, dates, collections.
  PromiseReject: Promise.reject.bind(Promise),
  PromiseWithResolvers() {
    let resolve;
    let reject;
    const promise = new Promise((a, b) => {
      resolve = a;
      reject = b;
    });
    return { __proto__: null, promise, resolve, reject };
  },
  PromisePrototypeThen: uncurryThis(Promise.prototype.then),
  DateNow: Date.now,
  WeakRefCtor: typeof WeakRef === 'function' ? WeakRef : undefined,
  WeakRefPrototypeDeref:
    typeof WeakRef === 'function' ? uncurryThis(WeakRef.prototype.deref) : undefined,
  FinalizationRegistryCtor:
    typeof FinalizationRegistry === 'function' ? FinalizationRegistry : undefined,
  FinalizationRegistryPrototypeRegister:
    typeof FinalizationRegistry === 'function'
      ? uncurryThis(FinalizationRegistry.prototype.register)
      : undefined,
  WeakSetCtor: WeakSet,
  WeakSetPrototypeAdd: uncurryThis(WeakSet.prototype.add),
  WeakSetPrototypeHas: uncurryThis(WeakSet.prototype.has),
  WeakSetPrototypeDelete: uncurryThis(WeakSet.prototype.delete),
  MapPrototypeForEach: uncurryThis(Map.prototype.forEach),
  MapPrototypeKeys: uncurryThis(Map.prototype.keys),
  // Binary data.
  Uint8ArrayCtor: Uint8Array,
  Uint16ArrayCtor: Uint16Array,
  Float32ArrayCtor: Float32Array,
  Float64ArrayCtor: Float64Array,
  ArrayBufferCtor: ArrayBuffer,
  DataViewCtor: DataView,
  TypedArrayPrototype,
  TypedArrayPrototypeFill: uncurryThis(TypedArrayPrototype.fill),
  TypedArrayPrototypeGetBuffer: getter(TypedArrayPrototype, 'buffer'),
  TypedArrayPrototypeCopyWithin: uncurryThis(TypedArrayPrototype.copyWithin),
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset: getter(DataView.prototype, 'byteOffset'),
  ArrayBufferSlice: ArrayBufferPrototypeSlice,
  ArrayBufferPrototypeGetByteLength: ArrayBufferByteLength,
  isSharedArrayBuffer,
  anyArrayBufferByteLength,
  isArrayBufferDetached(value) {
    if (ArrayBufferDetached !== undefined) {
      try {
        return ArrayBufferDetached(value);
      } catch {
        return false;
      }
    }
    return false;
  },
  /** byteLength of any ArrayBufferView. */
  viewByteLength(view) {
    return TypedArrayPrototypeGetSymbolToStringTag(view) !== undefined
      ? TypedArrayPrototypeGetByteLength(view)
      : DataViewPrototypeGetByteLength(view);
  },
  /** The own keys of `obj` that are not array indices (enumerable ones unless `all`). */
  ownNonIndexKeys(obj, all) {
    return bridgeOwnNonIndexKeys(obj, all ? 0 : ONLY_ENUMERABLE_KEYS);
  },
  /** The values of an iterable, through its own iterator (WebIDL sequence conversion). */
  iterateToList(iterable) {
    const iterator = iterable[SymbolIterator]();
    const next = iterator.next;
    const out = [];
    for (;;) {
      const step = ReflectApply(next, iterator, []);
      if (step.done) break;
      out[out.length] = step.value;
    }
    return out;
  },
};
