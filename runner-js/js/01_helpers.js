// 01_helpers.js: small helpers on the primordials that guest patches cannot observe:
// null-prototype lists, brand checks that run no guest code, line splitting, stack reads.

// A list that guest patches of Array.prototype / Object.prototype cannot observe (no prototype, so
// no inherited index setters); use the captured Array functions on it.

import {
  ArrayBufferPrototypeGetByteLength,
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
  TypedArrayPrototypeGetSymbolToStringTag,
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
