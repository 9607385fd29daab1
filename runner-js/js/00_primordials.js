// 00_primordials.js: builtins and bridge functions captured at factory time.
//
// Everything the runner uses later is read here, before any guest code runs, so a guest that
// patches prototypes, `Function.prototype.call`, `Symbol.iterator`, ... cannot intercept the
// runner's own bookkeeping. Runner internals call these captured functions, use index loops (never
// `for...of` or spread over arrays) and keep internal records on null-prototype objects.

import { bridge } from 'agentos:bridge';

export const bridgeWrite = bridge.write;
export const bridgeExit = bridge.exit;
export const bridgeHrtime = bridge.hrtime;
export const bridgeMonotonic = bridge.monotonic;
// The own non-index keys of an object, V8 skipping indices as it collects (engine/src/bridge/keys.rs).
export const bridgeOwnNonIndexKeys = bridge.ownNonIndexKeys;
export const bridgeStdinRef = bridge.stdinRef;
export const bridgeRunMicrotasks = bridge.runMicrotasks;
export const bridgeCompileScript = bridge.compileScript;
export const bridgeCompileFunction = bridge.compileFunction;
export const bridgeStripTypeScript = bridge.stripTypeScript;
export const bridgeArrowMessage = bridge.arrowMessage;
export const bridgeUtf8Encode = bridge.utf8Encode;
export const bridgeUtf8Decode = bridge.utf8Decode;
// PROPOSED (optional): `promiseState(p)` -> [state 0 pending | 1 fulfilled | 2 rejected, result].
export const bridgePromiseState =
  typeof bridge.promiseState === 'function' ? bridge.promiseState : undefined;

export const globalObject = globalThis;
const FunctionPrototypeCallOwn = Function.prototype.call;
export const uncurryThis = Function.prototype.bind.bind(FunctionPrototypeCallOwn);
export const ReflectApply = Reflect.apply;
export const ReflectOwnKeys = Reflect.ownKeys;
export const getter = (proto, name) =>
  uncurryThis(Object.getOwnPropertyDescriptor(proto, name).get);

export const ObjectCreate = Object.create;
export const ObjectDefineProperty = Object.defineProperty;
export const ObjectFreeze = Object.freeze;
export const ObjectSeal = Object.seal;
export const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
export const ObjectGetOwnPropertyNames = Object.getOwnPropertyNames;
export const ObjectGetOwnPropertySymbols = Object.getOwnPropertySymbols;
export const ObjectGetPrototypeOf = Object.getPrototypeOf;
export const ObjectSetPrototypeOf = Object.setPrototypeOf;
export const ObjectIs = Object.is;
export const ObjectKeys = Object.keys;
export const ObjectValues = Object.values;
export const ObjectPrototype = Object.prototype;
export const ObjectPrototypeHasOwnProperty = uncurryThis(Object.prototype.hasOwnProperty);
export const ObjectPrototypePropertyIsEnumerable = uncurryThis(
  Object.prototype.propertyIsEnumerable,
);
export const ObjectPrototypeToString = uncurryThis(Object.prototype.toString);

export const FunctionPrototypeToString = uncurryThis(Function.prototype.toString);
export const FunctionPrototypeSymbolHasInstance = uncurryThis(
  Function.prototype[Symbol.hasInstance],
);

export const ArrayIsArray = Array.isArray;
export const ArrayPrototypeSome = uncurryThis(Array.prototype.some);
export const ArrayPrototypeIncludes = uncurryThis(Array.prototype.includes);
export const ArrayPrototypeIndexOf = uncurryThis(Array.prototype.indexOf);
export const ArrayPrototypeJoin = uncurryThis(Array.prototype.join);
export const ArrayPrototypePop = uncurryThis(Array.prototype.pop);
export const ArrayPrototypePush = uncurryThis(Array.prototype.push);
export const ArrayPrototypeShift = uncurryThis(Array.prototype.shift);
export const ArrayPrototypeSlice = uncurryThis(Array.prototype.slice);
export const ArrayPrototypeSplice = uncurryThis(Array.prototype.splice);
export const ArrayPrototypeSort = uncurryThis(Array.prototype.sort);

export const StringCtor = String;
export const StringFromCharCode = String.fromCharCode;
export const StringPrototypeCharCodeAt = uncurryThis(String.prototype.charCodeAt);
export const StringPrototypeCharAt = uncurryThis(String.prototype.charAt);
export const StringPrototypeCodePointAt = uncurryThis(String.prototype.codePointAt);
export const StringPrototypeEndsWith = uncurryThis(String.prototype.endsWith);
export const StringPrototypeIncludes = uncurryThis(String.prototype.includes);
export const StringPrototypeIndexOf = uncurryThis(String.prototype.indexOf);
export const StringPrototypeLastIndexOf = uncurryThis(String.prototype.lastIndexOf);
export const StringPrototypeNormalize = uncurryThis(String.prototype.normalize);
export const StringPrototypePadEnd = uncurryThis(String.prototype.padEnd);
export const StringPrototypePadStart = uncurryThis(String.prototype.padStart);
export const StringPrototypeRepeat = uncurryThis(String.prototype.repeat);
export const StringPrototypeSlice = uncurryThis(String.prototype.slice);
export const StringPrototypeSubstring = uncurryThis(String.prototype.substring);
export const StringPrototypeStartsWith = uncurryThis(String.prototype.startsWith);
export const StringPrototypeToLowerCase = uncurryThis(String.prototype.toLowerCase);
export const StringPrototypeTrim = uncurryThis(String.prototype.trim);
export const StringPrototypeValueOf = uncurryThis(String.prototype.valueOf);

export const NumberCtor = Number;
export const NumberIsFinite = Number.isFinite;
export const NumberIsInteger = Number.isInteger;
export const NumberIsNaN = Number.isNaN;
export const NumberParseFloat = Number.parseFloat;
export const NumberParseInt = Number.parseInt;
export const NumberPrototypeToString = uncurryThis(Number.prototype.toString);
export const NumberPrototypeValueOf = uncurryThis(Number.prototype.valueOf);
export const BooleanPrototypeValueOf = uncurryThis(Boolean.prototype.valueOf);
export const BigIntCtor = BigInt;
export const BigIntPrototypeValueOf = uncurryThis(BigInt.prototype.valueOf);
export const SymbolCtor = Symbol;
export const SymbolFor = Symbol.for;
export const SymbolPrototypeToString = uncurryThis(Symbol.prototype.toString);
export const SymbolPrototypeValueOf = uncurryThis(Symbol.prototype.valueOf);
export const SymbolAsyncIterator = Symbol.asyncIterator;
export const SymbolToPrimitive = Symbol.toPrimitive;
export const SymbolDispose = Symbol.dispose;
export const SymbolAsyncDispose = Symbol.asyncDispose;
export const SymbolToStringTag = Symbol.toStringTag;

export const MathAbs = Math.abs;
export const MathCeil = Math.ceil;
export const MathFloor = Math.floor;
export const MathMax = Math.max;
export const MathMin = Math.min;
export const MathRound = Math.round;
export const MathSqrt = Math.sqrt;

export const JSONStringify = JSON.stringify;
export const JSONParse = JSON.parse;

export const ErrorCtor = Error;
export const TypeErrorCtor = TypeError;
export const RangeErrorCtor = RangeError;
export const ErrorPrototypeToString = uncurryThis(Error.prototype.toString);
export const ErrorCaptureStackTrace = Error.captureStackTrace;

export const DatePrototypeGetTime = uncurryThis(Date.prototype.getTime);
export const DatePrototypeGetUTCDate = uncurryThis(Date.prototype.getUTCDate);
export const DatePrototypeGetUTCFullYear = uncurryThis(Date.prototype.getUTCFullYear);
export const DatePrototypeGetUTCHours = uncurryThis(Date.prototype.getUTCHours);
export const DatePrototypeGetUTCMinutes = uncurryThis(Date.prototype.getUTCMinutes);
export const DatePrototypeGetUTCMonth = uncurryThis(Date.prototype.getUTCMonth);
export const DatePrototypeGetUTCSeconds = uncurryThis(Date.prototype.getUTCSeconds);
export const DatePrototypeToISOString = uncurryThis(Date.prototype.toISOString);
export const DatePrototypeToString = uncurryThis(Date.prototype.toString);
export const RegExpPrototypeGetSource = getter(RegExp.prototype, 'source');
export const RegExpPrototypeToString = uncurryThis(RegExp.prototype.toString);
export const RegExpPrototype = RegExp.prototype;

export const MapCtor = Map;
export const MapPrototypeGet = uncurryThis(Map.prototype.get);
export const MapPrototypeSet = uncurryThis(Map.prototype.set);
export const MapPrototypeHas = uncurryThis(Map.prototype.has);
export const MapPrototypeDelete = uncurryThis(Map.prototype.delete);
export const MapPrototypeEntries = uncurryThis(Map.prototype.entries);
export const MapPrototypeKeys = uncurryThis(Map.prototype.keys);
export const MapPrototypeValues = uncurryThis(Map.prototype.values);
export const MapPrototypeForEach = uncurryThis(Map.prototype.forEach);
export const MapPrototypeGetSize = getter(Map.prototype, 'size');
export const MapIteratorPrototypeNext = uncurryThis(ObjectGetPrototypeOf(new Map().entries()).next);
export const SetCtor = Set;
export const SetPrototypeAdd = uncurryThis(Set.prototype.add);
export const SetPrototypeHas = uncurryThis(Set.prototype.has);
export const SetPrototypeDelete = uncurryThis(Set.prototype.delete);
export const SetPrototypeValues = uncurryThis(Set.prototype.values);
export const SetPrototypeGetSize = getter(Set.prototype, 'size');
export const SetIteratorPrototypeNext = uncurryThis(ObjectGetPrototypeOf(new Set().values()).next);
export const WeakMapPrototypeHas = uncurryThis(WeakMap.prototype.has);
export const WeakMapPrototypeDelete = uncurryThis(WeakMap.prototype.delete);
export const WeakSetPrototypeHas = uncurryThis(WeakSet.prototype.has);

export const PromiseCtor = Promise;
export const PromisePrototypeThen = uncurryThis(Promise.prototype.then);
export const PromiseResolve = Promise.resolve.bind(Promise);

export const ArrayBufferIsView = ArrayBuffer.isView;
export const ArrayBufferPrototypeGetByteLength = getter(ArrayBuffer.prototype, 'byteLength');
export const DataViewPrototypeGetByteLength = getter(DataView.prototype, 'byteLength');
export const Uint8ArrayCtor = Uint8Array;
export const TypedArrayPrototype = ObjectGetPrototypeOf(Uint8Array.prototype);
export const TypedArrayPrototypeGetLength = getter(TypedArrayPrototype, 'length');
export const TypedArrayPrototypeGetByteLength = getter(TypedArrayPrototype, 'byteLength');
export const TypedArrayPrototypeGetByteOffset = getter(TypedArrayPrototype, 'byteOffset');
export const TypedArrayPrototypeGetBuffer = getter(TypedArrayPrototype, 'buffer');
export const TypedArrayPrototypeGetSymbolToStringTag = getter(
  TypedArrayPrototype,
  SymbolToStringTag,
);
export const TypedArrayPrototypeSet = uncurryThis(TypedArrayPrototype.set);
export const TypedArrayPrototypeSubarray = uncurryThis(TypedArrayPrototype.subarray);
export const TypedArrayPrototypeIndexOf = uncurryThis(TypedArrayPrototype.indexOf);
export const TypedArrayPrototypeSlice = uncurryThis(TypedArrayPrototype.slice);

export const AsyncFunctionPrototype = ObjectGetPrototypeOf(async function () {});
export const GeneratorFunctionPrototype = ObjectGetPrototypeOf(function* () {});
export const AsyncGeneratorFunctionPrototype = ObjectGetPrototypeOf(async function* () {});

export const WeakMapCtor = WeakMap;
export const WeakMapPrototypeGet = uncurryThis(WeakMap.prototype.get);
export const WeakMapPrototypeSet = uncurryThis(WeakMap.prototype.set);

// Names of the global constructors at factory time (used by util.format's `%s`).
export const builtInObjects = new SetCtor();
{
  const names = ObjectGetOwnPropertyNames(globalObject);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const c = StringPrototypeCharCodeAt(name, 0);
    if (c >= 65 && c <= 90) SetPrototypeAdd(builtInObjects, name);
  }
}

// Used by the crypto and zlib builtins (lib/crypto.js, lib/zlib.js).
export const NumberIsSafeInteger = Number.isSafeInteger;
export const Uint32ArrayCtor = Uint32Array;
export const ArrayBufferCtor = ArrayBuffer;
export const DataViewPrototypeGetBuffer = getter(DataView.prototype, 'buffer');
export const DataViewPrototypeGetByteOffset = getter(DataView.prototype, 'byteOffset');
export const PromiseReject = Promise.reject.bind(Promise);
export const ArrayBufferPrototypeSlice = uncurryThis(ArrayBuffer.prototype.slice);
// For the lazy builtins of lib/ (stream, assert, readline, ...): they compile at guest time, after
// guest code may have patched globals, so what they use is captured here.
export const ArrayPrototypeMap = uncurryThis(Array.prototype.map);
export const ArrayPrototypeFilter = uncurryThis(Array.prototype.filter);
export const ArrayPrototypeUnshift = uncurryThis(Array.prototype.unshift);
export const ArrayPrototypeConcat = uncurryThis(Array.prototype.concat);
export const ArrayPrototypeReverse = uncurryThis(Array.prototype.reverse);
export const ArrayPrototypeLastIndexOf = uncurryThis(Array.prototype.lastIndexOf);
export const ArrayFrom = Array.from;
export const ArrayCtor = Array;
export const ObjectAssign = Object.assign;
export const ObjectEntries = Object.entries;
export const ObjectDefineProperties = Object.defineProperties;
export const ObjectGetOwnPropertyDescriptors = Object.getOwnPropertyDescriptors;
export const ObjectIsFrozen = Object.isFrozen;
export const ObjectIsExtensible = Object.isExtensible;
export const ObjectCtor = Object;
export const ReflectConstruct = Reflect.construct;
export const ReflectGetPrototypeOf = Reflect.getPrototypeOf;
export const ReflectHas = Reflect.has;
export const ReflectGet = Reflect.get;
export const ReflectDefineProperty = Reflect.defineProperty;
export const ReflectSet = Reflect.set;
export const ProxyCtor = Proxy;
export const FunctionPrototypeBind = uncurryThis(Function.prototype.bind);
export const FunctionPrototypeCall = uncurryThis(FunctionPrototypeCallOwn);
export const StringPrototypeSplit = uncurryThis(String.prototype.split);
export const StringPrototypeReplace = uncurryThis(String.prototype.replace);
export const StringPrototypeToUpperCase = uncurryThis(String.prototype.toUpperCase);
export const StringPrototypeTrimEnd = uncurryThis(String.prototype.trimEnd);
export const StringPrototypeTrimStart = uncurryThis(String.prototype.trimStart);
export const StringPrototypeSearch = uncurryThis(String.prototype.search);
export const StringPrototypeAt = uncurryThis(String.prototype.at);
export const RegExpPrototypeExec = uncurryThis(RegExp.prototype.exec);
export const RegExpPrototypeTest = uncurryThis(RegExp.prototype.test);
export const RegExpPrototypeSymbolReplace = uncurryThis(RegExp.prototype[Symbol.replace]);
export const RegExpCtor = RegExp;
export const SymbolIterator = Symbol.iterator;
export const SymbolHasInstance = Symbol.hasInstance;
export const PromiseAll = Promise.all.bind(Promise);
export const PromiseRace = Promise.race.bind(Promise);
export const PromisePrototypeCatch = uncurryThis(Promise.prototype.catch);
export const PromisePrototypeFinally = uncurryThis(Promise.prototype.finally);
export const DateCtor = Date;
export const DateNow = Date.now;
export const NumberMAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;
export const MathRandom = Math.random;
export const MathTrunc = Math.trunc;
export const SyntaxErrorCtor = SyntaxError;
export const WeakRefCtor = typeof WeakRef === 'function' ? WeakRef : undefined;
export const AsyncIteratorPrototype = ObjectGetPrototypeOf(
  ObjectGetPrototypeOf(async function* () {}).prototype,
);
export const GeneratorPrototypeNext = uncurryThis(
  ObjectGetPrototypeOf(function* () {}).prototype.next,
);
export const ArrayIteratorPrototypeNext = uncurryThis(
  ObjectGetPrototypeOf([][Symbol.iterator]()).next,
);
export const StringIteratorPrototype = ObjectGetPrototypeOf(''[Symbol.iterator]());
export const ErrorPrototype = Error.prototype;
export const AggregateErrorCtor = AggregateError;
export const EvalErrorCtor = EvalError;
export const ReferenceErrorCtor = ReferenceError;
export const URIErrorCtor = URIError;
// The natives of bridge/node_process.rs (absent in unit tests under Node: feature-detected).
export const bridgeHeapStatistics = bridge.heapStatistics;
export const bridgeThreadCpuMicros = bridge.threadCpuMicros;
export const bridgeValueKinds = bridge.valueKinds;
// A proxy's parts and V8's record of an object's constructor name (both absent in the JS unit
// tests' bridge double: then no value is a proxy and no name is recorded).
export const bridgeProxyParts =
  typeof bridge.proxyParts === 'function' ? bridge.proxyParts : () => undefined;
export const bridgeConstructorName =
  typeof bridge.constructorName === 'function' ? bridge.constructorName : () => undefined;
export const bridgeCallSites = bridge.callSites;
// True in a forked child with a channel to its parent (bridge/ipc.rs; absent in unit tests).
export const bridgeIpcChannel =
  typeof bridge.ipcChannel === 'function' ? bridge.ipcChannel : () => false;
export const bridgeGc = typeof bridge.gc === 'function' ? bridge.gc : () => {};
// V8's continuation-preserved data (absent under Node's unit tests: then no context is carried).
export const asyncContextGet =
  typeof bridge.asyncContextGet === 'function' ? bridge.asyncContextGet : () => undefined;
export const asyncContextSet =
  typeof bridge.asyncContextSet === 'function' ? bridge.asyncContextSet : () => {};
