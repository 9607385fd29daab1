// primordials.js: builtins and bridge functions captured at factory time.
//
// Everything the runner uses later is read here, before any guest code runs, so a guest that
// patches prototypes, `Function.prototype.call`, `Symbol.iterator`, ... cannot intercept the
// runner's own bookkeeping. Runner internals call these captured functions, use index loops (never
// `for...of` or spread over arrays) and keep internal records on null-prototype objects.

const bridgeWrite = bridge.write;
const bridgeExit = bridge.exit;
const bridgeHrtime = bridge.hrtime;
const bridgeMonotonic = bridge.monotonic;
const bridgeStdinRef = bridge.stdinRef;
const bridgeRunMicrotasks = bridge.runMicrotasks;
const bridgeCompileScript = bridge.compileScript;
const bridgeCompileFunction = bridge.compileFunction;
const bridgeUtf8Encode = bridge.utf8Encode;
const bridgeUtf8Decode = bridge.utf8Decode;
// PROPOSED (optional): `promiseState(p)` -> [state 0 pending | 1 fulfilled | 2 rejected, result].
const bridgePromiseState = typeof bridge.promiseState === 'function' ? bridge.promiseState : undefined;

const globalObject = globalThis;
const FunctionPrototypeCall = Function.prototype.call;
const uncurryThis = Function.prototype.bind.bind(FunctionPrototypeCall);
const ReflectApply = Reflect.apply;
const ReflectOwnKeys = Reflect.ownKeys;
const getter = (proto, name) => uncurryThis(Object.getOwnPropertyDescriptor(proto, name).get);

const ObjectCtor = Object;
const ObjectCreate = Object.create;
const ObjectDefineProperty = Object.defineProperty;
const ObjectFreeze = Object.freeze;
const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const ObjectGetOwnPropertyNames = Object.getOwnPropertyNames;
const ObjectGetOwnPropertySymbols = Object.getOwnPropertySymbols;
const ObjectGetPrototypeOf = Object.getPrototypeOf;
const ObjectSetPrototypeOf = Object.setPrototypeOf;
const ObjectIs = Object.is;
const ObjectKeys = Object.keys;
const ObjectPrototype = Object.prototype;
const ObjectPrototypeHasOwnProperty = uncurryThis(Object.prototype.hasOwnProperty);
const ObjectPrototypePropertyIsEnumerable = uncurryThis(Object.prototype.propertyIsEnumerable);
const ObjectPrototypeToString = uncurryThis(Object.prototype.toString);

const FunctionPrototypeToString = uncurryThis(Function.prototype.toString);
const FunctionPrototypeSymbolHasInstance = uncurryThis(Function.prototype[Symbol.hasInstance]);

const ArrayIsArray = Array.isArray;
const ArrayPrototypeIncludes = uncurryThis(Array.prototype.includes);
const ArrayPrototypeIndexOf = uncurryThis(Array.prototype.indexOf);
const ArrayPrototypeJoin = uncurryThis(Array.prototype.join);
const ArrayPrototypePop = uncurryThis(Array.prototype.pop);
const ArrayPrototypePush = uncurryThis(Array.prototype.push);
const ArrayPrototypeShift = uncurryThis(Array.prototype.shift);
const ArrayPrototypeSlice = uncurryThis(Array.prototype.slice);
const ArrayPrototypeSplice = uncurryThis(Array.prototype.splice);
const ArrayPrototypeSort = uncurryThis(Array.prototype.sort);

const StringCtor = String;
const StringFromCharCode = String.fromCharCode;
const StringPrototypeCharCodeAt = uncurryThis(String.prototype.charCodeAt);
const StringPrototypeCodePointAt = uncurryThis(String.prototype.codePointAt);
const StringPrototypeEndsWith = uncurryThis(String.prototype.endsWith);
const StringPrototypeIncludes = uncurryThis(String.prototype.includes);
const StringPrototypeIndexOf = uncurryThis(String.prototype.indexOf);
const StringPrototypeLastIndexOf = uncurryThis(String.prototype.lastIndexOf);
const StringPrototypeNormalize = uncurryThis(String.prototype.normalize);
const StringPrototypePadEnd = uncurryThis(String.prototype.padEnd);
const StringPrototypePadStart = uncurryThis(String.prototype.padStart);
const StringPrototypeRepeat = uncurryThis(String.prototype.repeat);
const StringPrototypeSlice = uncurryThis(String.prototype.slice);
const StringPrototypeStartsWith = uncurryThis(String.prototype.startsWith);
const StringPrototypeToLowerCase = uncurryThis(String.prototype.toLowerCase);
const StringPrototypeTrim = uncurryThis(String.prototype.trim);
const StringPrototypeValueOf = uncurryThis(String.prototype.valueOf);

const NumberCtor = Number;
const NumberIsFinite = Number.isFinite;
const NumberIsInteger = Number.isInteger;
const NumberIsNaN = Number.isNaN;
const NumberIsSafeInteger = Number.isSafeInteger;
const NumberParseFloat = Number.parseFloat;
const NumberParseInt = Number.parseInt;
const NumberPrototypeToString = uncurryThis(Number.prototype.toString);
const NumberPrototypeValueOf = uncurryThis(Number.prototype.valueOf);
const BooleanPrototypeValueOf = uncurryThis(Boolean.prototype.valueOf);
const BigIntCtor = BigInt;
const BigIntPrototypeValueOf = uncurryThis(BigInt.prototype.valueOf);
const SymbolCtor = Symbol;
const SymbolFor = Symbol.for;
const SymbolPrototypeToString = uncurryThis(Symbol.prototype.toString);
const SymbolPrototypeValueOf = uncurryThis(Symbol.prototype.valueOf);
const SymbolAsyncIterator = Symbol.asyncIterator;
const SymbolIterator = Symbol.iterator;
const SymbolToPrimitive = Symbol.toPrimitive;
const SymbolToStringTag = Symbol.toStringTag;

const MathCeil = Math.ceil;
const MathFloor = Math.floor;
const MathMax = Math.max;
const MathMin = Math.min;
const MathRound = Math.round;
const MathSqrt = Math.sqrt;
const MathTrunc = Math.trunc;

const JSONStringify = JSON.stringify;

const ErrorCtor = Error;
const TypeErrorCtor = TypeError;
const RangeErrorCtor = RangeError;
const ErrorPrototypeToString = uncurryThis(Error.prototype.toString);
const ErrorCaptureStackTrace = Error.captureStackTrace;

const DatePrototypeGetTime = uncurryThis(Date.prototype.getTime);
const DatePrototypeToISOString = uncurryThis(Date.prototype.toISOString);
const DatePrototypeToString = uncurryThis(Date.prototype.toString);
const RegExpPrototypeGetSource = getter(RegExp.prototype, 'source');
const RegExpPrototypeToString = uncurryThis(RegExp.prototype.toString);
const RegExpPrototype = RegExp.prototype;

const MapCtor = Map;
const MapPrototype = Map.prototype;
const MapPrototypeGet = uncurryThis(Map.prototype.get);
const MapPrototypeSet = uncurryThis(Map.prototype.set);
const MapPrototypeHas = uncurryThis(Map.prototype.has);
const MapPrototypeDelete = uncurryThis(Map.prototype.delete);
const MapPrototypeEntries = uncurryThis(Map.prototype.entries);
const MapPrototypeGetSize = getter(Map.prototype, 'size');
const MapIteratorPrototypeNext = uncurryThis(ObjectGetPrototypeOf(new Map().entries()).next);
const SetCtor = Set;
const SetPrototypeAdd = uncurryThis(Set.prototype.add);
const SetPrototypeHas = uncurryThis(Set.prototype.has);
const SetPrototypeValues = uncurryThis(Set.prototype.values);
const SetPrototypeGetSize = getter(Set.prototype, 'size');
const SetIteratorPrototypeNext = uncurryThis(ObjectGetPrototypeOf(new Set().values()).next);
const WeakMapPrototypeHas = uncurryThis(WeakMap.prototype.has);
const WeakSetPrototypeHas = uncurryThis(WeakSet.prototype.has);

const PromiseCtor = Promise;
const PromisePrototypeThen = uncurryThis(Promise.prototype.then);
const PromiseResolve = Promise.resolve.bind(Promise);

const ArrayBufferCtor = ArrayBuffer;
const ArrayBufferIsView = ArrayBuffer.isView;
const ArrayBufferPrototypeGetByteLength = getter(ArrayBuffer.prototype, 'byteLength');
const DataViewPrototypeGetByteLength = getter(DataView.prototype, 'byteLength');
const Uint8ArrayCtor = Uint8Array;
const TypedArrayPrototype = ObjectGetPrototypeOf(Uint8Array.prototype);
const TypedArrayPrototypeGetLength = getter(TypedArrayPrototype, 'length');
const TypedArrayPrototypeGetByteLength = getter(TypedArrayPrototype, 'byteLength');
const TypedArrayPrototypeGetByteOffset = getter(TypedArrayPrototype, 'byteOffset');
const TypedArrayPrototypeGetBuffer = getter(TypedArrayPrototype, 'buffer');
const TypedArrayPrototypeGetSymbolToStringTag = getter(TypedArrayPrototype, SymbolToStringTag);
const TypedArrayPrototypeSet = uncurryThis(TypedArrayPrototype.set);
const TypedArrayPrototypeSubarray = uncurryThis(TypedArrayPrototype.subarray);
const TypedArrayPrototypeSlice = uncurryThis(TypedArrayPrototype.slice);

const AsyncFunctionPrototype = ObjectGetPrototypeOf(async function () {});
const GeneratorFunctionPrototype = ObjectGetPrototypeOf(function* () {});
const AsyncGeneratorFunctionPrototype = ObjectGetPrototypeOf(async function* () {});

const WeakMapCtor = WeakMap;
const WeakMapPrototypeGet = uncurryThis(WeakMap.prototype.get);
const WeakMapPrototypeSet = uncurryThis(WeakMap.prototype.set);

// Names of the global constructors at factory time (used by util.format's `%s`).
const builtInObjects = new SetCtor();
{
  const names = ObjectGetOwnPropertyNames(globalObject);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const c = StringPrototypeCharCodeAt(name, 0);
    if (c >= 65 && c <= 90) SetPrototypeAdd(builtInObjects, name);
  }
}

// A list that guest patches of Array.prototype / Object.prototype cannot observe (no prototype, so
// no inherited index setters); use the captured Array functions on it.
function newList() {
  const list = [];
  ObjectSetPrototypeOf(list, null);
  return list;
}

function listPush(list, value) {
  list[list.length] = value;
}

// Brand checks that do not run guest code.
function isMap(v) {
  try {
    MapPrototypeGetSize(v);
    return true;
  } catch {
    return false;
  }
}

function isSet(v) {
  try {
    SetPrototypeGetSize(v);
    return true;
  } catch {
    return false;
  }
}

function isDate(v) {
  try {
    DatePrototypeGetTime(v);
    return true;
  } catch {
    return false;
  }
}

function isRegExp(v) {
  if (v === RegExpPrototype) return false;
  try {
    RegExpPrototypeGetSource(v);
    return true;
  } catch {
    return false;
  }
}

function isTypedArray(v) {
  return TypedArrayPrototypeGetSymbolToStringTag(v) !== undefined;
}

function isArrayBuffer(v) {
  try {
    ArrayBufferPrototypeGetByteLength(v);
    return true;
  } catch {
    return false;
  }
}

function isDataView(v) {
  try {
    DataViewPrototypeGetByteLength(v);
    return true;
  } catch {
    return false;
  }
}

function isWeakMap(v) {
  try {
    WeakMapPrototypeHas(v, ObjectPrototype);
    return true;
  } catch {
    return false;
  }
}

function isWeakSet(v) {
  try {
    WeakSetPrototypeHas(v, ObjectPrototype);
    return true;
  } catch {
    return false;
  }
}

function isBrand(v, fn) {
  try {
    fn(v);
    return true;
  } catch {
    return false;
  }
}

function isError(v) {
  if (v === null || typeof v !== 'object') return false;
  try {
    if (ObjectPrototypeToString(v) === '[object Error]') return true;
    return FunctionPrototypeSymbolHasInstance(ErrorCtor, v);
  } catch {
    return false;
  }
}

function toStringSafe(v) {
  try {
    return StringCtor(v);
  } catch {
    return '[object]';
  }
}
