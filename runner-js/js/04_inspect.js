// 04_inspect.js: util.inspect, a port of the common paths of Node's (no colors; proxies print as
// their targets, no trap runs):
// formatValue and the formatters of objects, arrays, typed arrays, buffers, maps, sets, promises
// and errors, which recurse through it.

import {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypeJoin,
  ArrayPrototypePop,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSort,
  AsyncFunctionPrototype,
  AsyncGeneratorFunctionPrototype,
  bridgeConstructorName,
  bridgePromiseState,
  bridgeProxyParts,
  DatePrototypeGetTime,
  DatePrototypeToISOString,
  DatePrototypeToString,
  FunctionPrototypeToString,
  GeneratorFunctionPrototype,
  MapCtor,
  MapIteratorPrototypeNext,
  MapPrototypeEntries,
  MapPrototypeGet,
  MapPrototypeGetSize,
  MapPrototypeSet,
  MathMax,
  MathMin,
  NumberIsNaN,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  ObjectPrototypeToString,
  ReflectApply,
  RegExpPrototypeToString,
  SetIteratorPrototypeNext,
  SetPrototypeGetSize,
  SetPrototypeValues,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeRepeat,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  SymbolPrototypeToString,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
} from './00_primordials.js';
import {
  anyArrayBufferByteLength,
  isAnyArrayBuffer,
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
  newList,
  splitLines,
} from './01_helpers.js';
import {
  customInspectSymbol,
  formatArrayBuffer,
  formatBufferLike,
  formatNothing,
  formatNumber,
  formatPrimitive,
  formatTypedArray,
  formatWeakCollection,
  getBoxedBase,
  getConstructorName,
  getKeys,
  getNonIndexKeys,
  getPrefix,
  getTag,
  inspectDefaults,
  isBoxed,
  isIdentifier,
  isIndexKey,
  kArrayExtrasType,
  kArrayType,
  kObjectType,
  remainingText,
  strEscape,
  stylizeNoColor,
} from './02_inspect_base.js';
import { formatAccessor } from './03_inspect_accessor.js';
import {
  inspectColors,
  inspectStyles,
  setColorTables,
  stylizeWithColor,
} from './03_inspect_colors.js';
import { formatError } from './03_inspect_error.js';
import { reduceToSingleString } from './03_inspect_layout.js';
import { prototypeProperties } from './03_inspect_proto.js';

export function inspect(value, opts) {
  const ctx = {
    __proto__: null,
    budget: { __proto__: null },
    indentationLvl: 0,
    seen: newList(),
    circular: undefined,
    currentDepth: 0,
    stylize: stylizeNoColor,
    userOptions: undefined,
  };
  const keys = ObjectKeys(inspectDefaults);
  for (let i = 0; i < keys.length; i++) ctx[keys[i]] = inspectDefaults[keys[i]];
  if (typeof opts === 'boolean') {
    ctx.showHidden = opts;
  } else if (opts !== null && typeof opts === 'object') {
    const optKeys = ObjectKeys(opts);
    for (let i = 0; i < optKeys.length; i++) {
      const key = optKeys[i];
      if (ObjectPrototypeHasOwnProperty(inspectDefaults, key)) ctx[key] = opts[key];
      else if (ctx.userOptions === undefined) ctx.userOptions = opts;
    }
  }
  if (ctx.colors) ctx.stylize = stylizeWithColor;
  if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
  if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  return formatValue(ctx, value, 0);
}
inspect.colors = inspectColors;
inspect.styles = inspectStyles;
setColorTables(inspect);
ObjectDefineProperty(inspect, 'custom', {
  __proto__: null,
  value: customInspectSymbol,
  enumerable: true,
  configurable: true,
  writable: true,
});

// util.inspect.defaultOptions is defined by 48_node_util.js (it needs Node's errors).

function formatProxy(ctx, proxy, recurseTimes) {
  if (recurseTimes > ctx.depth && ctx.depth !== null) {
    return ctx.stylize('Proxy [Array]', 'special');
  }
  recurseTimes += 1;
  ctx.indentationLvl += 2;
  const res = [formatValue(ctx, proxy[0], recurseTimes), formatValue(ctx, proxy[1], recurseTimes)];
  ctx.indentationLvl -= 2;
  return reduceToSingleString(ctx, res, '', ['Proxy [', ']'], kArrayExtrasType, recurseTimes);
}

function formatValue(ctx, value, recurseTimes, typedArray) {
  if (typeof value !== 'object' && typeof value !== 'function') {
    return formatPrimitive(ctx.stylize, value, ctx);
  }
  if (value === null) return ctx.stylize('null', 'null');
  const context = value;
  // As Node: a proxy is never asked anything (no trap runs); it prints as its target, or as
  // `Proxy [ target, handler ]` with showProxy.
  const proxy = bridgeProxyParts(value);
  if (proxy !== undefined) {
    if (proxy[0] === null) return ctx.stylize('<Revoked Proxy>', 'special');
    if (ctx.showProxy) return formatProxy(ctx, proxy, recurseTimes);
    value = proxy[0];
  }
  if (ctx.customInspect) {
    let maybeCustom;
    try {
      maybeCustom = value[customInspectSymbol];
    } catch {}
    if (typeof maybeCustom === 'function' && maybeCustom !== inspect) {
      const desc = ObjectGetOwnPropertyDescriptor(value, 'constructor');
      if (
        !(desc !== undefined && typeof desc.value === 'function' && desc.value.prototype === value)
      ) {
        const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
        const options = {
          stylize: stylizeNoColor,
          showHidden: ctx.showHidden,
          depth: ctx.depth,
          colors: false,
          customInspect: ctx.customInspect,
          showProxy: false,
          maxArrayLength: ctx.maxArrayLength,
          maxStringLength: ctx.maxStringLength,
          breakLength: ctx.breakLength,
          compact: ctx.compact,
          sorted: ctx.sorted,
          getters: ctx.getters,
          numericSeparator: ctx.numericSeparator,
        };
        const ret = ReflectApply(maybeCustom, context, [depth, options, inspect]);
        if (ret !== context) {
          if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
          return indentLines(ret, ctx.indentationLvl);
        }
      }
    }
  }
  if (ArrayPrototypeIncludes(ctx.seen, value)) {
    let index = 1;
    if (ctx.circular === undefined) {
      ctx.circular = new MapCtor();
      MapPrototypeSet(ctx.circular, value, index);
    } else {
      index = MapPrototypeGet(ctx.circular, value);
      if (index === undefined) {
        index = MapPrototypeGetSize(ctx.circular) + 1;
        MapPrototypeSet(ctx.circular, value, index);
      }
    }
    return ctx.stylize(`[Circular *${index}]`, 'special');
  }
  return formatRaw(ctx, value, recurseTimes, typedArray);
}

function indentLines(str, n) {
  if (n === 0 || !StringPrototypeIncludes(str, '\n')) return str;
  const lines = splitLines(str);
  return ArrayPrototypeJoin(lines, `\n${StringPrototypeRepeat(' ', n)}`);
}

// What Node calls a null-prototype object: the constructor V8 recorded (`[Foo: null prototype]`).
function nullProtoName(constructor, value) {
  if (constructor !== null) return '';
  const name = bridgeConstructorName(value);
  return typeof name === 'string' && name !== '' ? name : 'Object';
}

function formatRaw(ctx, value, recurseTimes, typedArray) {
  let keys;
  // With showHidden, the getters and data a user class's prototypes add are shown too (Node's).
  const holder =
    ctx.showHidden && (recurseTimes <= ctx.depth || ctx.depth === null)
      ? { __proto__: null, at: undefined, firstProto: undefined }
      : undefined;
  const constructor = getConstructorName(value, ctx, recurseTimes, holder);
  const protoProps =
    holder === undefined
      ? undefined
      : prototypeProperties(ctx, value, holder, constructor, recurseTimes, formatProperty);
  let tag = getTag(value, ctx);
  // StdinChunk prints like a Node Buffer.
  if (constructor === 'StdinChunk' || constructor === 'Buffer') tag = '';
  let base = '';
  let formatter = formatNothing;
  let braces;
  let extrasType = kObjectType;
  let formatterArg;

  if (ArrayIsArray(value)) {
    const prefix =
      constructor !== 'Array' || tag !== ''
        ? getPrefix(constructor, tag, 'Array', `(${value.length})`)
        : '';
    keys = getNonIndexKeys(value, ctx.showHidden);
    braces = [`${prefix}[`, ']'];
    if (value.length === 0 && keys.length === 0 && protoProps === undefined) return `${braces[0]}]`;
    extrasType = kArrayExtrasType;
    formatter = formatArray;
  } else if (isSet(value)) {
    const size = SetPrototypeGetSize(value);
    const prefix = getPrefix(constructor, tag, 'Set', `(${size})`);
    keys = getKeys(value, ctx.showHidden);
    formatter = formatSet;
    if (size === 0 && keys.length === 0 && protoProps === undefined) return `${prefix}{}`;
    braces = [`${prefix}{`, '}'];
  } else if (isMap(value)) {
    const size = MapPrototypeGetSize(value);
    const prefix = getPrefix(constructor, tag, 'Map', `(${size})`);
    keys = getKeys(value, ctx.showHidden);
    formatter = formatMap;
    if (size === 0 && keys.length === 0 && protoProps === undefined) return `${prefix}{}`;
    braces = [`${prefix}{`, '}'];
  } else if (isTypedArray(value)) {
    const size = TypedArrayPrototypeGetLength(value);
    if (constructor === 'StdinChunk' || constructor === 'Buffer')
      return formatBufferLike(ctx, value, size);
    keys = getNonIndexKeys(value, ctx.showHidden);
    const fallback = constructor === null ? TypedArrayPrototypeGetSymbolToStringTag(value) : '';
    const prefix = getPrefix(constructor, tag, fallback, `(${size})`);
    braces = [`${prefix}[`, ']'];
    if (size === 0 && keys.length === 0 && protoProps === undefined && !ctx.showHidden)
      return `${braces[0]}]`;
    formatter = formatTypedArray;
    formatterArg = size;
    extrasType = kArrayExtrasType;
  } else {
    keys = getKeys(value, ctx.showHidden);
    braces = ['{', '}'];
    if (typeof value === 'function') {
      base = getFunctionBase(ctx, value, constructor, tag);
      if (keys.length === 0 && protoProps === undefined) return ctx.stylize(base, 'special');
    } else if (constructor === 'Object' && !isError(value)) {
      if (ObjectPrototypeToString(value) === '[object Arguments]') braces[0] = '[Arguments] {';
      else if (tag !== '') braces[0] = `${getPrefix(constructor, tag, 'Object')}{`;
      if (keys.length === 0 && protoProps === undefined) return `${braces[0]}}`;
    } else if (isRegExp(value)) {
      base = RegExpPrototypeToString(value);
      const prefix = getPrefix(constructor, tag, 'RegExp');
      if (prefix !== 'RegExp ') base = `${prefix}${base}`;
      if (
        (keys.length === 0 && protoProps === undefined) ||
        (recurseTimes > ctx.depth && ctx.depth !== null)
      ) {
        return ctx.stylize(base, 'regexp');
      }
    } else if (isDate(value)) {
      base = NumberIsNaN(DatePrototypeGetTime(value))
        ? DatePrototypeToString(value)
        : DatePrototypeToISOString(value);
      const prefix = getPrefix(constructor, tag, 'Date');
      if (prefix !== 'Date ') base = `${prefix}${base}`;
      if (keys.length === 0 && protoProps === undefined) return ctx.stylize(base, 'date');
    } else if (isError(value)) {
      base = formatError(value, constructor, tag, ctx, keys);
      if (keys.length === 0 && protoProps === undefined) return base;
    } else if (isAnyArrayBuffer(value)) {
      const type = isArrayBuffer(value) ? 'ArrayBuffer' : 'SharedArrayBuffer';
      const prefix = getPrefix(constructor, tag, type);
      if (typedArray === undefined) {
        formatter = formatArrayBuffer;
      } else if (keys.length === 0 && protoProps === undefined) {
        return `${prefix}{ byteLength: ${formatNumber(ctx.stylize, anyArrayBufferByteLength(value))} }`;
      }
      braces[0] = `${prefix}{`;
      const k2 = ['byteLength'];
      for (let i = 0; i < keys.length; i++) ArrayPrototypePush(k2, keys[i]);
      keys = k2;
    } else if (isDataView(value)) {
      braces[0] = `${getPrefix(constructor, tag, 'DataView')}{`;
      const k2 = ['byteLength', 'byteOffset', 'buffer'];
      for (let i = 0; i < keys.length; i++) ArrayPrototypePush(k2, keys[i]);
      keys = k2;
    } else if (ObjectPrototypeToString(value) === '[object Promise]') {
      braces[0] = `${getPrefix(constructor, tag, 'Promise')}{`;
      formatter = formatPromise;
    } else if (isWeakSet(value)) {
      braces[0] = `${getPrefix(constructor, tag, 'WeakSet')}{`;
      formatter = formatWeakCollection;
    } else if (isWeakMap(value)) {
      braces[0] = `${getPrefix(constructor, tag, 'WeakMap')}{`;
      formatter = formatWeakCollection;
    } else if (isBoxed(value)) {
      base = getBoxedBase(value, ctx, keys, constructor, tag);
      if (keys.length === 0 && protoProps === undefined) return base;
    } else {
      const prefix = getPrefix(constructor, tag, nullProtoName(constructor, value));
      if (keys.length === 0 && protoProps === undefined) return `${prefix}{}`;
      braces[0] = `${prefix}{`;
    }
  }

  if (recurseTimes > ctx.depth && ctx.depth !== null) {
    let name = StringPrototypeSlice(
      getPrefix(constructor, tag, nullProtoName(constructor, value)),
      0,
      -1,
    );
    if (constructor === null && ArrayIsArray(value)) name = '[Array: null prototype]';
    if (constructor !== null) name = `[${name}]`;
    return ctx.stylize(name, 'special');
  }
  recurseTimes += 1;
  ArrayPrototypePush(ctx.seen, value);
  ctx.currentDepth = recurseTimes;
  let output;
  try {
    output = formatter(ctx, value, recurseTimes, formatterArg);
    for (let i = 0; i < keys.length; i++) {
      ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, keys[i], extrasType));
    }
    if (protoProps !== undefined) {
      for (let i = 0; i < protoProps.length; i++) ArrayPrototypePush(output, protoProps[i]);
    }
  } catch (err) {
    if (!(isError(err) && err.name === 'RangeError')) throw err;
    ArrayPrototypePop(ctx.seen);
    return `[${StringPrototypeSlice(getPrefix(constructor, tag, 'Object'), 0, -1)}: Inspection interrupted prematurely. Maximum call stack size exceeded.]`;
  }
  if (ctx.circular !== undefined) {
    const index = MapPrototypeGet(ctx.circular, value);
    if (index !== undefined) {
      const reference = ctx.stylize(`<ref *${index}>`, 'special');
      if (ctx.compact !== true) base = base === '' ? reference : `${reference} ${base}`;
      else braces[0] = `${reference} ${braces[0]}`;
    }
  }
  ArrayPrototypePop(ctx.seen);
  if (ctx.sorted) {
    const cmp = ctx.sorted === true ? undefined : ctx.sorted;
    if (extrasType === kObjectType) {
      ArrayPrototypeSort(output, cmp);
    } else if (keys.length > 1) {
      // Entries stay in index order; the named keys after them are sorted (as in Node).
      const start = output.length - keys.length;
      const named = ArrayPrototypeSort(ArrayPrototypeSlice(output, start), cmp);
      for (let i = 0; i < named.length; i++) output[start + i] = named[i];
    }
  }
  const res = reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
  // As Node: once the text at one indentation passes 2 ** 27 characters, nothing more is
  // looked into (a huge or deeply shared object graph ends in time, within string limits).
  const length = (ctx.budget[ctx.indentationLvl] || 0) + res.length;
  ctx.budget[ctx.indentationLvl] = length;
  if (length > 2 ** 27) ctx.depth = -1;
  return res;
}

function getFunctionBase(ctx, value, constructor, tag) {
  let stringified = '';
  try {
    stringified = FunctionPrototypeToString(value);
  } catch {}
  if (
    StringPrototypeStartsWith(stringified, 'class') &&
    StringPrototypeEndsWith(stringified, '}')
  ) {
    const slice = StringPrototypeSlice(stringified, 5, -1);
    const bracketIndex = StringPrototypeIndexOf(slice, '{');
    if (
      bracketIndex !== -1 &&
      !StringPrototypeIncludes(StringPrototypeSlice(slice, 0, bracketIndex), '(')
    ) {
      const hasName = ObjectPrototypeHasOwnProperty(value, 'name');
      const name = (hasName && value.name) || '(anonymous)';
      let b = `class ${name}`;
      if (constructor !== 'Function' && constructor !== null) b += ` [${constructor}]`;
      if (tag !== '' && constructor !== tag) b += ` [${tag}]`;
      if (constructor !== null) {
        const superName = ObjectGetPrototypeOf(value).name;
        if (superName) b += ` extends ${superName}`;
      } else {
        b += ' extends [null prototype]';
      }
      return `[${b}]`;
    }
  }
  let type = 'Function';
  const proto = ObjectGetPrototypeOf(value);
  if (proto === GeneratorFunctionPrototype) type = 'GeneratorFunction';
  else if (proto === AsyncFunctionPrototype) type = 'AsyncFunction';
  else if (proto === AsyncGeneratorFunctionPrototype) type = 'AsyncGeneratorFunction';
  let base = `[${type}`;
  if (constructor === null) base += ' (null prototype)';
  const name = value.name;
  if (name === '') base += ' (anonymous)';
  else base += `: ${typeof name === 'string' ? name : formatValue(ctx, name)}`;
  base += ']';
  if (constructor !== type && constructor !== null) base += ` ${constructor}`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  return base;
}

function formatArray(ctx, value, recurseTimes) {
  const valLen = value.length;
  const len = MathMin(MathMax(0, ctx.maxArrayLength), valLen);
  const remaining = valLen - len;
  const output = [];
  for (let i = 0; i < len; i++) {
    if (!ObjectPrototypeHasOwnProperty(value, i)) {
      return formatSpecialArray(ctx, value, recurseTimes, len, output, i);
    }
    ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, i, kArrayType));
  }
  if (remaining > 0) ArrayPrototypePush(output, remainingText(remaining));
  return output;
}

function formatSpecialArray(ctx, value, recurseTimes, maxLength, output, i) {
  const keys = ObjectKeys(value);
  let index = i;
  for (; i < keys.length && output.length < maxLength; i++) {
    const key = keys[i];
    const tmp = +key;
    if (tmp > 2 ** 32 - 2) break;
    if (`${index}` !== key) {
      if (!isIndexKey(key)) break;
      const emptyItems = tmp - index;
      const message = `<${emptyItems} empty item${emptyItems > 1 ? 's' : ''}>`;
      ArrayPrototypePush(output, ctx.stylize(message, 'undefined'));
      index = tmp;
      if (output.length === maxLength) break;
    }
    ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, key, kArrayType));
    index++;
  }
  const remaining = value.length - index;
  if (output.length !== maxLength) {
    if (remaining > 0) {
      const message = `<${remaining} empty item${remaining > 1 ? 's' : ''}>`;
      ArrayPrototypePush(output, ctx.stylize(message, 'undefined'));
    }
  } else if (remaining > 0) {
    ArrayPrototypePush(output, remainingText(remaining));
  }
  return output;
}

function formatSet(ctx, value, recurseTimes) {
  const length = SetPrototypeGetSize(value);
  const maxLength = MathMin(MathMax(0, ctx.maxArrayLength), length);
  const output = [];
  ctx.indentationLvl += 2;
  const it = SetPrototypeValues(value);
  for (let i = 0; i < maxLength; i++) {
    const r = SetIteratorPrototypeNext(it);
    if (r.done) break;
    ArrayPrototypePush(output, formatValue(ctx, r.value, recurseTimes));
  }
  if (length > maxLength) ArrayPrototypePush(output, remainingText(length - maxLength));
  ctx.indentationLvl -= 2;
  return output;
}

function formatMap(ctx, value, recurseTimes) {
  const length = MapPrototypeGetSize(value);
  const maxLength = MathMin(MathMax(0, ctx.maxArrayLength), length);
  const output = [];
  ctx.indentationLvl += 2;
  const it = MapPrototypeEntries(value);
  for (let i = 0; i < maxLength; i++) {
    const r = MapIteratorPrototypeNext(it);
    if (r.done) break;
    const entry = r.value;
    ArrayPrototypePush(
      output,
      `${formatValue(ctx, entry[0], recurseTimes)} => ${formatValue(ctx, entry[1], recurseTimes)}`,
    );
  }
  if (length > maxLength) ArrayPrototypePush(output, remainingText(length - maxLength));
  ctx.indentationLvl -= 2;
  return output;
}

function formatPromise(ctx, value, recurseTimes) {
  if (bridgePromiseState === undefined) return [ctx.stylize('<unknown>', 'special')];
  const details = bridgePromiseState(value);
  if (details[0] === 0) return [ctx.stylize('<pending>', 'special')];
  ctx.indentationLvl += 2;
  const str = formatValue(ctx, details[1], recurseTimes);
  ctx.indentationLvl -= 2;
  return [details[0] === 2 ? `${ctx.stylize('<rejected>', 'special')} ${str}` : str];
}

function formatProperty(ctx, value, recurseTimes, key, type, desc, original = value) {
  let name;
  let str;
  desc ??= ObjectGetOwnPropertyDescriptor(value, key) || {
    __proto__: null,
    value: value[key],
    enumerable: true,
  };
  if (desc.value !== undefined) {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, desc.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else if (desc.get !== undefined) {
    str = formatAccessor(ctx, original, recurseTimes, desc, formatValue);
  } else if (desc.set !== undefined) {
    str = ctx.stylize('[Setter]', 'special');
  } else {
    str = ctx.stylize('undefined', 'undefined');
  }
  if (type === kArrayType) return str;
  if (typeof key === 'symbol') {
    name = `[${ctx.stylize(strEscape(SymbolPrototypeToString(key), false), 'symbol')}]`;
  } else if (key === '__proto__') {
    name = "['__proto__']";
  } else if (desc.enumerable === false) {
    name = `[${strEscape(key, false)}]`;
  } else if (isIdentifier(key)) {
    name = ctx.stylize(key, 'name');
  } else {
    name = ctx.stylize(strEscape(key), 'string');
  }
  return `${name}: ${str}`;
}
