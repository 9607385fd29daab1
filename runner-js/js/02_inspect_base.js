// 02_inspect_base.js: the leaves of the util.inspect port (Node's lib/internal/util/inspect.js):
// options, primitives and string escaping, constructor names and prefixes, keys, and the line
// breaking of entry lists (groupArrayElements, reduceToSingleString). Nothing here recurses into
// values; 04_inspect.js does.

import {
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeSplice,
  BigIntPrototypeValueOf,
  BooleanPrototypeValueOf,
  MathMax,
  MathMin,
  MathTrunc,
  NumberIsFinite,
  NumberIsNaN,
  NumberPrototypeToString,
  NumberPrototypeValueOf,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetOwnPropertyNames,
  ObjectGetOwnPropertySymbols,
  ObjectGetPrototypeOf,
  ObjectIs,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  ObjectPrototypePropertyIsEnumerable,
  ObjectSeal,
  StringCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeIncludes,
  StringPrototypeRepeat,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  StringPrototypeValueOf,
  SymbolFor,
  SymbolPrototypeToString,
  SymbolPrototypeValueOf,
  SymbolToStringTag,
  TypedArrayPrototypeGetLength,
  Uint8ArrayCtor,
} from './00_primordials.js';
import { isBrand, listPush, newList } from './01_helpers.js';

export const customInspectSymbol = SymbolFor('nodejs.util.inspect.custom');
export const kObjectType = 0;
export const kArrayType = 1;
export const kArrayExtrasType = 2;
const kMinLineLength = 16;

// util.inspect.defaultOptions (sealed, as Node's: assignments change the defaults of every call).
export const inspectDefaults = {
  showHidden: false,
  depth: 2,
  colors: false,
  customInspect: true,
  showProxy: false,
  maxArrayLength: 100,
  maxStringLength: 10000,
  breakLength: 80,
  compact: 3,
  sorted: false,
  getters: false,
  numericSeparator: false,
};
ObjectSeal(inspectDefaults);

const escapeMeta = newList();
for (let i = 0; i < 160; i++) {
  let s = '';
  if (i < 32 || (i >= 127 && i < 160)) {
    const hex = '0123456789ABCDEF';
    s = `\\x${hex[i >> 4]}${hex[i & 15]}`;
  }
  listPush(escapeMeta, s);
}
escapeMeta[8] = '\\b';
escapeMeta[9] = '\\t';
escapeMeta[10] = '\\n';
escapeMeta[12] = '\\f';
escapeMeta[13] = '\\r';
escapeMeta[39] = "\\'";
escapeMeta[92] = '\\\\';

export function stylizeNoColor(str) {
  return str;
}

export function isIdentifier(key) {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = StringPrototypeCharCodeAt(key, i);
    const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!alpha && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

export function isIndexKey(key) {
  if (key.length === 0 || (key.length > 1 && StringPrototypeCharCodeAt(key, 0) === 48))
    return false;
  for (let i = 0; i < key.length; i++) {
    const c = StringPrototypeCharCodeAt(key, i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function strEscape(str, escapeQuotes = true) {
  let singleQuote = 39;
  if (escapeQuotes && StringPrototypeIncludes(str, "'")) {
    if (!StringPrototypeIncludes(str, '"')) singleQuote = -1;
    else if (!StringPrototypeIncludes(str, '`') && !StringPrototypeIncludes(str, '${'))
      singleQuote = -2;
  }
  let result = '';
  let last = 0;
  for (let i = 0; i < str.length; i++) {
    const point = StringPrototypeCharCodeAt(str, i);
    if (point === singleQuote || point === 92 || point < 32 || (point > 126 && point < 160)) {
      result += `${StringPrototypeSlice(str, last, i)}${escapeMeta[point]}`;
      last = i + 1;
    } else if (point >= 0xd800 && point <= 0xdfff) {
      if (point <= 0xdbff && i + 1 < str.length) {
        const next = StringPrototypeCharCodeAt(str, i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          i++;
          continue;
        }
      }
      result += `${StringPrototypeSlice(str, last, i)}\\u${NumberPrototypeToString(point, 16)}`;
      last = i + 1;
    }
  }
  if (last !== str.length) result += StringPrototypeSlice(str, last);
  if (!escapeQuotes) return result;
  if (singleQuote === -1) return `"${result}"`;
  if (singleQuote === -2) return `\`${result}\``;
  return `'${result}'`;
}

// `1_000_000` for inspect's numericSeparator (Node's addNumericSeparator / ...End).
function addNumericSeparator(integerString) {
  let result = '';
  let i = integerString.length;
  const start = StringPrototypeCharCodeAt(integerString, 0) === 45 ? 1 : 0;
  for (; i >= start + 4; i -= 3) {
    result = `_${StringPrototypeSlice(integerString, i - 3, i)}${result}`;
  }
  return i === integerString.length
    ? integerString
    : `${StringPrototypeSlice(integerString, 0, i)}${result}`;
}

function addNumericSeparatorEnd(integerString) {
  let result = '';
  let i = 0;
  for (; i < integerString.length - 3; i += 3) {
    result += `${StringPrototypeSlice(integerString, i, i + 3)}_`;
  }
  return i === 0 ? integerString : `${result}${StringPrototypeSlice(integerString, i)}`;
}

export function formatNumber(fn, number, numericSeparator) {
  if (!numericSeparator) {
    if (ObjectIs(number, -0)) return fn('-0', 'number');
    return fn(`${number}`, 'number');
  }
  const integer = MathTrunc(number);
  const string = `${integer}`;
  if (integer === number) {
    if (!NumberIsFinite(number) || StringPrototypeIncludes(string, 'e'))
      return fn(string, 'number');
    return fn(addNumericSeparator(string), 'number');
  }
  if (NumberIsNaN(number)) return fn(string, 'number');
  const fraction = StringPrototypeSlice(`${number}`, string.length + 1);
  return fn(`${addNumericSeparator(string)}.${addNumericSeparatorEnd(fraction)}`, 'number');
}

export function formatBigInt(fn, bigint, numericSeparator) {
  const string = `${bigint}`;
  if (!numericSeparator) return fn(`${string}n`, 'bigint');
  return fn(`${addNumericSeparator(string)}n`, 'bigint');
}

export function formatPrimitive(fn, value, ctx) {
  if (typeof value === 'string') {
    let trailer = '';
    if (value.length > ctx.maxStringLength) {
      const remaining = value.length - ctx.maxStringLength;
      value = StringPrototypeSlice(value, 0, ctx.maxStringLength);
      trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
    }
    if (
      ctx.compact !== true &&
      value.length > kMinLineLength &&
      value.length > ctx.breakLength - ctx.indentationLvl - 4
    ) {
      // Split after each newline into `'line\n' +` pieces.
      const parts = newList();
      let start = 0;
      for (let i = 0; i < value.length; i++) {
        if (StringPrototypeCharCodeAt(value, i) === 10) {
          listPush(parts, fn(strEscape(StringPrototypeSlice(value, start, i + 1)), 'string'));
          start = i + 1;
        }
      }
      if (start < value.length || parts.length === 0) {
        listPush(parts, fn(strEscape(StringPrototypeSlice(value, start)), 'string'));
      }
      return (
        ArrayPrototypeJoin(parts, ` +\n${StringPrototypeRepeat(' ', ctx.indentationLvl + 2)}`) +
        trailer
      );
    }
    return fn(strEscape(value), 'string') + trailer;
  }
  if (typeof value === 'number') return formatNumber(fn, value, ctx.numericSeparator);
  if (typeof value === 'bigint') return formatBigInt(fn, value, ctx.numericSeparator);
  if (typeof value === 'boolean') return fn(`${value}`, 'boolean');
  if (typeof value === 'undefined') return fn('undefined', 'undefined');
  return fn(SymbolPrototypeToString(value), 'symbol');
}

function isInstanceof(object, ctor) {
  try {
    return object instanceof ctor;
  } catch {
    return false;
  }
}

// Constructor name from the prototype chain, or null for a null-prototype chain. `holder`, when
// given, learns where the constructor was found (`at`) and the first prototype (`firstProto`).
export function getConstructorName(obj, ctx, recurseTimes, holder) {
  let firstProto;
  const tmp = obj;
  while (obj) {
    const descriptor = ObjectGetOwnPropertyDescriptor(obj, 'constructor');
    if (
      descriptor !== undefined &&
      typeof descriptor.value === 'function' &&
      descriptor.value.name !== '' &&
      isInstanceof(tmp, descriptor.value)
    ) {
      if (holder !== undefined) {
        holder.at = obj;
        holder.firstProto = firstProto;
      }
      return StringCtor(descriptor.value.name);
    }
    obj = ObjectGetPrototypeOf(obj);
    if (firstProto === undefined) firstProto = obj;
  }
  if (firstProto === null) return null;
  if (recurseTimes > ctx.depth && ctx.depth !== null) return 'Object <Complex prototype>';
  const protoConstr = getConstructorName(firstProto, ctx, recurseTimes + 1);
  return `Object <${protoConstr === null ? '[Object: null prototype] {}' : protoConstr}>`;
}

export function getPrefix(constructor, tag, fallback, size = '') {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `;
  return `${constructor}${size} `;
}

export function getKeys(value, showHidden) {
  let keys;
  const symbols = ObjectGetOwnPropertySymbols(value);
  if (showHidden) {
    keys = ObjectGetOwnPropertyNames(value);
    for (let i = 0; i < symbols.length; i++) ArrayPrototypePush(keys, symbols[i]);
  } else {
    keys = ObjectKeys(value);
    for (let i = 0; i < symbols.length; i++) {
      if (ObjectPrototypePropertyIsEnumerable(value, symbols[i]))
        ArrayPrototypePush(keys, symbols[i]);
    }
  }
  return keys;
}

// Own non-index keys of an array-like (index keys come first in property order).
export function getNonIndexKeys(value, showHidden) {
  const all = getKeys(value, showHidden);
  const keys = [];
  for (let i = 0; i < all.length; i++) {
    const k = all[i];
    if (typeof k === 'symbol' || !isIndexKey(k)) ArrayPrototypePush(keys, k);
  }
  return keys;
}

export function getTag(value, ctx) {
  let tag;
  try {
    tag = value[SymbolToStringTag];
  } catch {
    return '';
  }
  if (
    typeof tag !== 'string' ||
    (tag !== '' &&
      (ctx.showHidden
        ? ObjectPrototypeHasOwnProperty(value, SymbolToStringTag)
        : ObjectPrototypePropertyIsEnumerable(value, SymbolToStringTag)))
  ) {
    return '';
  }
  return tag;
}

export function formatNothing() {
  return [];
}

export function isBoxed(value) {
  return (
    isBrand(value, NumberPrototypeValueOf) ||
    isBrand(value, StringPrototypeValueOf) ||
    isBrand(value, BooleanPrototypeValueOf) ||
    isBrand(value, BigIntPrototypeValueOf) ||
    isBrand(value, SymbolPrototypeValueOf)
  );
}

export function getBoxedBase(value, ctx, keys, constructor, tag) {
  let type;
  let prim;
  if (isBrand(value, NumberPrototypeValueOf)) {
    type = 'Number';
    prim = NumberPrototypeValueOf(value);
  } else if (isBrand(value, StringPrototypeValueOf)) {
    type = 'String';
    prim = StringPrototypeValueOf(value);
    ArrayPrototypeSplice(keys, 0, prim.length);
  } else if (isBrand(value, BooleanPrototypeValueOf)) {
    type = 'Boolean';
    prim = BooleanPrototypeValueOf(value);
  } else if (isBrand(value, BigIntPrototypeValueOf)) {
    type = 'BigInt';
    prim = BigIntPrototypeValueOf(value);
  } else {
    type = 'Symbol';
    prim = SymbolPrototypeValueOf(value);
  }
  let base = `[${type}`;
  if (type !== constructor)
    base += constructor === null ? ' (null prototype)' : ` (${constructor})`;
  base += `: ${formatPrimitive(stylizeNoColor, prim, { __proto__: null, compact: 3, maxStringLength: Infinity, breakLength: Infinity, indentationLvl: 0 })}]`;
  if (tag !== '' && tag !== constructor) base += ` [${tag}]`;
  if (keys.length !== 0 || ctx.stylize === stylizeNoColor) return base;
  return ctx.stylize(base, StringPrototypeToLowerCase(type));
}

export function remainingText(remaining) {
  return `... ${remaining} more item${remaining > 1 ? 's' : ''}`;
}

export function hexByte(b) {
  const hex = '0123456789abcdef';
  return `${hex[b >> 4]}${hex[b & 15]}`;
}

export function formatTypedArray(ctx, value, recurseTimes, length) {
  const maxLength = MathMin(MathMax(0, ctx.maxArrayLength), length);
  const remaining = length - maxLength;
  const output = [];
  for (let i = 0; i < maxLength; ++i) {
    const v = value[i];
    ArrayPrototypePush(
      output,
      typeof v === 'bigint'
        ? formatBigInt(ctx.stylize, v, ctx.numericSeparator)
        : formatNumber(ctx.stylize, v, ctx.numericSeparator),
    );
  }
  if (remaining > 0) ArrayPrototypePush(output, remainingText(remaining));
  return output;
}

export function formatBufferLike(ctx, value, size) {
  const max = MathMin(50, size);
  let str = '';
  for (let i = 0; i < max; i++) str += i === 0 ? hexByte(value[i]) : ` ${hexByte(value[i])}`;
  const remaining = size - max;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return `<Buffer${str === '' ? '' : ` ${str}`}>`;
}

export function formatArrayBuffer(ctx, value) {
  let buffer;
  try {
    buffer = new Uint8ArrayCtor(value);
  } catch {
    return [ctx.stylize('(detached)', 'special')];
  }
  const len = TypedArrayPrototypeGetLength(buffer);
  const max = MathMin(ctx.maxArrayLength, len);
  let str = '';
  for (let i = 0; i < max; i++) str += i === 0 ? hexByte(buffer[i]) : ` ${hexByte(buffer[i])}`;
  const remaining = len - max;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return [`${ctx.stylize('[Uint8Contents]', 'special')}: <${str}>`];
}

export function formatWeakCollection(ctx) {
  return [ctx.stylize('<items unknown>', 'special')];
}
