// 02_inspect_base.js: the leaves of the util.inspect port (Node's lib/internal/util/inspect.js):
// options, primitives and string escaping, constructor names and prefixes, keys, and the line
// breaking of entry lists (groupArrayElements, reduceToSingleString). Nothing here recurses into
// values; 03_inspect.js does.

import { ArrayPrototypeIndexOf, ArrayPrototypeJoin, ArrayPrototypePush, ArrayPrototypeSplice, BigIntPrototypeValueOf, BooleanPrototypeValueOf, MathFloor, MathMax, MathMin, MathRound, MathSqrt, NumberPrototypeToString, NumberPrototypeValueOf, ObjectGetOwnPropertyDescriptor, ObjectGetOwnPropertyNames, ObjectGetOwnPropertySymbols, ObjectGetPrototypeOf, ObjectIs, ObjectKeys, ObjectPrototypeHasOwnProperty, ObjectPrototypePropertyIsEnumerable, StringCtor, StringPrototypeCharCodeAt, StringPrototypeCodePointAt, StringPrototypeIncludes, StringPrototypeIndexOf, StringPrototypeNormalize, StringPrototypePadEnd, StringPrototypePadStart, StringPrototypeRepeat, StringPrototypeSlice, StringPrototypeValueOf, SymbolFor, SymbolPrototypeToString, SymbolPrototypeValueOf, SymbolToStringTag } from './00_primordials.js';
import { getStack, isBrand, isError, listPush, newList, splitLines } from './01_helpers.js';

export const customInspectSymbol = SymbolFor('nodejs.util.inspect.custom');
export const kObjectType = 0;
export const kArrayType = 1;
export const kArrayExtrasType = 2;
const kMinLineLength = 16;

export const inspectDefaults = {
  __proto__: null,
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
  if (key.length === 0 || (key.length > 1 && StringPrototypeCharCodeAt(key, 0) === 48)) return false;
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
    else if (!StringPrototypeIncludes(str, '`') && !StringPrototypeIncludes(str, '${')) singleQuote = -2;
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

export function formatNumber(fn, number) {
  if (ObjectIs(number, -0)) return fn('-0', 'number');
  return fn(`${number}`, 'number');
}

export function formatBigInt(fn, bigint) {
  return fn(`${bigint}n`, 'bigint');
}

export function formatPrimitive(fn, value, ctx) {
  if (typeof value === 'string') {
    let trailer = '';
    if (value.length > ctx.maxStringLength) {
      const remaining = value.length - ctx.maxStringLength;
      value = StringPrototypeSlice(value, 0, ctx.maxStringLength);
      trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
    }
    if (ctx.compact !== true && value.length > kMinLineLength &&
        value.length > ctx.breakLength - ctx.indentationLvl - 4) {
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
      return ArrayPrototypeJoin(parts, ` +\n${StringPrototypeRepeat(' ', ctx.indentationLvl + 2)}`) + trailer;
    }
    return fn(strEscape(value), 'string') + trailer;
  }
  if (typeof value === 'number') return formatNumber(fn, value);
  if (typeof value === 'bigint') return formatBigInt(fn, value);
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

// Constructor name from the prototype chain, or null for a null-prototype chain.
export function getConstructorName(obj, ctx, recurseTimes) {
  let firstProto;
  const tmp = obj;
  while (obj) {
    const descriptor = ObjectGetOwnPropertyDescriptor(obj, 'constructor');
    if (descriptor !== undefined && typeof descriptor.value === 'function' &&
        descriptor.value.name !== '' && isInstanceof(tmp, descriptor.value)) {
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
      if (ObjectPrototypePropertyIsEnumerable(value, symbols[i])) ArrayPrototypePush(keys, symbols[i]);
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
  if (typeof tag !== 'string' || (tag !== '' && (ctx.showHidden
    ? ObjectPrototypeHasOwnProperty(value, SymbolToStringTag)
    : ObjectPrototypePropertyIsEnumerable(value, SymbolToStringTag)))) {
    return '';
  }
  return tag;
}

export function formatNothing() {
  return [];
}

export function isBoxed(value) {
  return isBrand(value, NumberPrototypeValueOf) || isBrand(value, StringPrototypeValueOf) ||
    isBrand(value, BooleanPrototypeValueOf) || isBrand(value, BigIntPrototypeValueOf) ||
    isBrand(value, SymbolPrototypeValueOf);
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
  if (type !== constructor) base += constructor === null ? ' (null prototype)' : ` (${constructor})`;
  base += `: ${formatPrimitive(stylizeNoColor, prim, { __proto__: null, compact: 3, maxStringLength: Infinity, breakLength: Infinity, indentationLvl: 0 })}]`;
  if (tag !== '' && tag !== constructor) base += ` [${tag}]`;
  return base;
}

export function remainingText(remaining) {
  return `... ${remaining} more item${remaining > 1 ? 's' : ''}`;
}

export function hexByte(b) {
  const hex = '0123456789abcdef';
  return `${hex[b >> 4]}${hex[b & 15]}`;
}

function getStringWidth(str) {
  let width = 0;
  for (let i = 0; i < str.length; i++) {
    const code = StringPrototypeCharCodeAt(str, i);
    if (code >= 127) return width + getStringWidthSlow(StringPrototypeSlice(str, i));
    width += code >= 32 ? 1 : 0;
  }
  return width;
}

function getStringWidthSlow(str) {
  str = StringPrototypeNormalize(str, 'NFC');
  let width = 0;
  for (let i = 0; i < str.length; i++) {
    const code = StringPrototypeCodePointAt(str, i);
    if (code > 0xffff) i++;
    if (code >= 0x1100 && (code <= 0x115f || code === 0x2329 || code === 0x232a ||
        (code >= 0x2e80 && code <= 0x3247 && code !== 0x303f) || (code >= 0x3250 && code <= 0x4dbf) ||
        (code >= 0x4e00 && code <= 0xa4c6) || (code >= 0xa960 && code <= 0xa97c) ||
        (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) ||
        (code >= 0xfe10 && code <= 0xfe19) || (code >= 0xfe30 && code <= 0xfe6b) ||
        (code >= 0xff01 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) ||
        (code >= 0x1b000 && code <= 0x1b001) || (code >= 0x1f200 && code <= 0x1f251) ||
        (code >= 0x1f300 && code <= 0x1f64f) || (code >= 0x20000 && code <= 0x3fffd))) {
      width += 2;
    } else if (!(code <= 0x1f || (code >= 0x7f && code <= 0x9f) || (code >= 0x300 && code <= 0x36f) ||
        (code >= 0x200b && code <= 0x200f) || (code >= 0x20d0 && code <= 0x20ff) ||
        (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0xfe20 && code <= 0xfe2f) ||
        (code >= 0xe0100 && code <= 0xe01ef))) {
      width++;
    }
  }
  return width;
}

function groupArrayElements(ctx, output, value) {
  let totalLength = 0;
  let maxLength = 0;
  let i = 0;
  let outputLength = output.length;
  if (ctx.maxArrayLength < output.length) outputLength--;
  const separatorSpace = 2;
  const dataLen = newList();
  for (; i < outputLength; i++) {
    const len = getStringWidth(output[i]);
    listPush(dataLen, len);
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
      (totalLength / actualMax > 5 || maxLength <= 6)) {
    const averageBias = MathSqrt(actualMax - totalLength / output.length);
    const biasedMax = MathMax(actualMax - 3 - averageBias, 1);
    const columns = MathMin(
      MathRound(MathSqrt(2.5 * biasedMax * outputLength) / biasedMax),
      MathFloor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      ctx.compact * 4,
      15,
    );
    if (columns <= 1) return output;
    const tmp = [];
    const maxLineLength = newList();
    for (let c = 0; c < columns; c++) {
      let lineMaxLength = 0;
      for (let j = c; j < output.length; j += columns) {
        if (dataLen[j] > lineMaxLength) lineMaxLength = dataLen[j];
      }
      listPush(maxLineLength, lineMaxLength + separatorSpace);
    }
    let padStart = true;
    if (value !== undefined) {
      for (let k = 0; k < output.length; k++) {
        const v = value[k];
        if (typeof v !== 'number' && typeof v !== 'bigint') {
          padStart = false;
          break;
        }
      }
    }
    for (let k = 0; k < outputLength; k += columns) {
      const max = MathMin(k + columns, outputLength);
      let str = '';
      let j = k;
      for (; j < max - 1; j++) {
        const padding = maxLineLength[j - k] + output[j].length - dataLen[j];
        str += padStart ? StringPrototypePadStart(`${output[j]}, `, padding, ' ')
          : StringPrototypePadEnd(`${output[j]}, `, padding, ' ');
      }
      if (padStart) {
        const padding = maxLineLength[j - k] + output[j].length - dataLen[j] - separatorSpace;
        str += StringPrototypePadStart(output[j], padding, ' ');
      } else {
        str += output[j];
      }
      ArrayPrototypePush(tmp, str);
    }
    if (ctx.maxArrayLength < output.length) ArrayPrototypePush(tmp, output[outputLength]);
    output = tmp;
  }
  return output;
}

function isBelowBreakLength(ctx, output, start, base) {
  let totalLength = output.length + start;
  if (totalLength + output.length > ctx.breakLength) return false;
  for (let i = 0; i < output.length; i++) {
    totalLength += output[i].length;
    if (totalLength > ctx.breakLength) return false;
  }
  return base === '' || !StringPrototypeIncludes(base, '\n');
}

export function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
  if (ctx.compact !== true) {
    if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
      const entries = output.length;
      if (extrasType === kArrayExtrasType && entries > 6) {
        output = groupArrayElements(ctx, output, value);
      }
      if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        if (isBelowBreakLength(ctx, output, start, base)) {
          const joined = ArrayPrototypeJoin(output, ', ');
          if (!StringPrototypeIncludes(joined, '\n')) {
            return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
          }
        }
      }
    }
    const indentation = `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${
      ArrayPrototypeJoin(output, `,${indentation}  `)}${indentation}${braces[1]}`;
  }
  if (isBelowBreakLength(ctx, output, 0, base)) {
    return `${braces[0]}${base ? ` ${base}` : ''} ${ArrayPrototypeJoin(output, ', ')} ${braces[1]}`;
  }
  const indentation = StringPrototypeRepeat(' ', ctx.indentationLvl);
  const ln = base === '' && braces[0].length === 1 ? ' ' : `${base ? ` ${base}` : ''}\n${indentation}  `;
  return `${braces[0]}${ln}${ArrayPrototypeJoin(output, `,\n${indentation}  `)} ${braces[1]}`;
}

function identicalSequenceRange(a, b) {
  for (let i = 0; i < a.length - 3; i++) {
    const pos = ArrayPrototypeIndexOf(b, a[i]);
    if (pos !== -1) {
      const rest = b.length - pos;
      if (rest > 3) {
        let len = 1;
        const maxLen = MathMin(a.length - i, rest);
        while (maxLen > len && a[i + len] === b[pos + len]) len++;
        if (len > 3) return { __proto__: null, len, offset: i };
      }
    }
  }
  return { __proto__: null, len: 0, offset: 0 };
}

// Replaces frames shared with `err.cause`'s stack by `... N lines matching cause stack trace ...`.
export function removeCauseFrames(err, frames) {
  let cause;
  try {
    cause = err.cause;
  } catch {
    return frames;
  }
  if (cause == null || !isError(cause)) return frames;
  const causeStack = getStack(cause);
  if (causeStack === undefined) return frames;
  const causeStackStart = StringPrototypeIndexOf(causeStack, '\n    at');
  if (causeStackStart === -1) return frames;
  const causeFrames = splitLines(StringPrototypeSlice(causeStack, causeStackStart + 1));
  const { len, offset } = identicalSequenceRange(frames, causeFrames);
  if (len > 0) {
    const skipped = len - 2;
    ArrayPrototypeSplice(frames, offset + 1, skipped, `    ... ${skipped} lines matching cause stack trace ...`);
  }
  return frames;
}
