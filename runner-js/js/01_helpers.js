// 01_helpers.js: small helpers on the primordials that guest patches cannot observe:
// null-prototype lists, brand checks that run no guest code, line splitting, stack reads.

// A list that guest patches of Array.prototype / Object.prototype cannot observe (no prototype, so
// no inherited index setters); use the captured Array functions on it.

import {
  ArrayBufferPrototypeGetByteLength,
  bridgeValueKinds,
  DataViewPrototypeGetByteLength,
  DatePrototypeGetTime,
  ErrorCtor,
  FunctionPrototypeSymbolHasInstance,
  MapPrototypeGetSize,
  ObjectPrototype,
  ObjectPrototypeToString,
  ObjectSetPrototypeOf,
  RegExpPrototype,
  RegExpPrototypeGetSource,
  SetPrototypeGetSize,
  StringCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  SymbolCtor,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSet,
  Uint8ArrayCtor,
  WeakMapPrototypeHas,
  WeakSetPrototypeHas,
} from './00_primordials.js';

export function newList() {
  const list = [];
  ObjectSetPrototypeOf(list, null);
  return list;
}

export function listPush(list, value) {
  list[list.length] = value;
}

// On a callback API whose callback gets several results (`fs.read`: bytesRead, buffer): their
// names, so that `util.promisify` resolves with an object of them, as Node's does.
export const kCustomPromisifyArgs = SymbolCtor('customPromisifyArgs');

// The byte arrays of `list`, joined into one.
export function concatBytes(list) {
  let size = 0;
  for (let i = 0; i < list.length; i++) size += TypedArrayPrototypeGetLength(list[i]);
  const out = new Uint8ArrayCtor(size);
  let at = 0;
  for (let i = 0; i < list.length; i++) {
    TypedArrayPrototypeSet(out, list[i], at);
    at += TypedArrayPrototypeGetLength(list[i]);
  }
  return out;
}

// Brand checks that do not run guest code.
export function isMap(v) {
  try {
    MapPrototypeGetSize(v);
    return true;
  } catch {
    return false;
  }
}

export function isSet(v) {
  try {
    SetPrototypeGetSize(v);
    return true;
  } catch {
    return false;
  }
}

export function isDate(v) {
  try {
    DatePrototypeGetTime(v);
    return true;
  } catch {
    return false;
  }
}

export function isRegExp(v) {
  if (v === RegExpPrototype) return false;
  try {
    RegExpPrototypeGetSource(v);
    return true;
  } catch {
    return false;
  }
}

export function isTypedArray(v) {
  return TypedArrayPrototypeGetSymbolToStringTag(v) !== undefined;
}

export function isArrayBuffer(v) {
  try {
    ArrayBufferPrototypeGetByteLength(v);
    return true;
  } catch {
    return false;
  }
}

/** V8's own brand checks of `v` (the `valueKinds` native, bridge/node_process.rs): an int32, bit
 * i = check i there; 0 for a primitive. */
export function valueKinds(v) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return 0;
  return typeof bridgeValueKinds === 'function' ? bridgeValueKinds(v) : 0;
}

const SHARED_ARRAY_BUFFER_KIND = 1 << 11;

// SharedArrayBuffer joins the global object only when an exec starts (the snapshot has none), so
// no getter of it can be captured here: V8's own check tells one apart.
export function isSharedArrayBuffer(v) {
  return (valueKinds(v) & SHARED_ARRAY_BUFFER_KIND) !== 0;
}

/** True for an ArrayBuffer or a SharedArrayBuffer. */
export function isAnyArrayBuffer(v) {
  return isArrayBuffer(v) || isSharedArrayBuffer(v);
}

/** The byteLength of an ArrayBuffer or a SharedArrayBuffer (which `isAnyArrayBuffer` said it is). */
export function anyArrayBufferByteLength(v) {
  if (isArrayBuffer(v)) return ArrayBufferPrototypeGetByteLength(v);
  return TypedArrayPrototypeGetByteLength(new Uint8ArrayCtor(v));
}

export function isDataView(v) {
  try {
    DataViewPrototypeGetByteLength(v);
    return true;
  } catch {
    return false;
  }
}

export function isWeakMap(v) {
  try {
    WeakMapPrototypeHas(v, ObjectPrototype);
    return true;
  } catch {
    return false;
  }
}

export function isWeakSet(v) {
  try {
    WeakSetPrototypeHas(v, ObjectPrototype);
    return true;
  } catch {
    return false;
  }
}

export function isBrand(v, fn) {
  try {
    fn(v);
    return true;
  } catch {
    return false;
  }
}

export function isError(v) {
  if (v === null || typeof v !== 'object') return false;
  try {
    if (ObjectPrototypeToString(v) === '[object Error]') return true;
    return FunctionPrototypeSymbolHasInstance(ErrorCtor, v);
  } catch {
    return false;
  }
}

export function toStringSafe(v) {
  try {
    return StringCtor(v);
  } catch {
    return '[object]';
  }
}

export function splitLines(text) {
  const lines = newList();
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = StringPrototypeCharCodeAt(text, i);
    if (c === 10) {
      let end = i;
      if (end > start && StringPrototypeCharCodeAt(text, end - 1) === 13) end--;
      listPush(lines, StringPrototypeSlice(text, start, end));
      start = i + 1;
    }
  }
  listPush(lines, StringPrototypeSlice(text, start));
  return lines;
}

export function getStack(err) {
  try {
    const stack = err.stack;
    return typeof stack === 'string' ? stack : undefined;
  } catch {
    return undefined;
  }
}
