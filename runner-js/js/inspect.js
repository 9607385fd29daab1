// inspect.js: a port of the common paths of Node's util.inspect (no colors, no proxies).

const customInspectSymbol = SymbolFor('nodejs.util.inspect.custom');
const kObjectType = 0;
const kArrayType = 1;
const kArrayExtrasType = 2;
const kMinLineLength = 16;

const inspectDefaults = {
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

function stylizeNoColor(str) {
  return str;
}

function inspect(value, opts) {
  const ctx = {
    __proto__: null,
    budget: 0,
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
      if (key in inspectDefaults) ctx[key] = opts[key];
      else if (ctx.userOptions === undefined) ctx.userOptions = opts;
    }
  }
  if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
  if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  return formatValue(ctx, value, 0);
}
ObjectDefineProperty(inspect, 'custom', { __proto__: null, value: customInspectSymbol });

function isIdentifier(key) {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = StringPrototypeCharCodeAt(key, i);
    const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!alpha && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

function isIndexKey(key) {
  if (key.length === 0 || (key.length > 1 && StringPrototypeCharCodeAt(key, 0) === 48)) return false;
  for (let i = 0; i < key.length; i++) {
    const c = StringPrototypeCharCodeAt(key, i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function strEscape(str, escapeQuotes = true) {
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

function formatNumber(fn, number) {
  if (ObjectIs(number, -0)) return fn('-0', 'number');
  return fn(`${number}`, 'number');
}

function formatBigInt(fn, bigint) {
  return fn(`${bigint}n`, 'bigint');
}

function formatPrimitive(fn, value, ctx) {
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
function getConstructorName(obj, ctx, recurseTimes) {
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

function getPrefix(constructor, tag, fallback, size = '') {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `;
  return `${constructor}${size} `;
}

function getKeys(value, showHidden) {
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
function getNonIndexKeys(value, showHidden) {
  const all = getKeys(value, showHidden);
  const keys = [];
  for (let i = 0; i < all.length; i++) {
    const k = all[i];
    if (typeof k === 'symbol' || !isIndexKey(k)) ArrayPrototypePush(keys, k);
  }
  return keys;
}

function formatValue(ctx, value, recurseTimes, typedArray) {
  if (typeof value !== 'object' && typeof value !== 'function') {
    return formatPrimitive(ctx.stylize, value, ctx);
  }
  if (value === null) return 'null';
  const context = value;
  if (ctx.customInspect) {
    let maybeCustom;
    try {
      maybeCustom = value[customInspectSymbol];
    } catch {}
    if (typeof maybeCustom === 'function' && maybeCustom !== inspect) {
      const desc = ObjectGetOwnPropertyDescriptor(value, 'constructor');
      if (!(desc !== undefined && typeof desc.value === 'function' && desc.value.prototype === value)) {
        const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
        const options = {
          stylize: stylizeNoColor, showHidden: ctx.showHidden, depth: ctx.depth, colors: false,
          customInspect: ctx.customInspect, showProxy: false, maxArrayLength: ctx.maxArrayLength,
          maxStringLength: ctx.maxStringLength, breakLength: ctx.breakLength,
          compact: ctx.compact, sorted: ctx.sorted, getters: ctx.getters, numericSeparator: false,
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
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, value, recurseTimes, typedArray);
}

function indentLines(str, n) {
  if (n === 0 || !StringPrototypeIncludes(str, '\n')) return str;
  const lines = splitLines(str);
  return ArrayPrototypeJoin(lines, `\n${StringPrototypeRepeat(' ', n)}`);
}

function getTag(value, ctx) {
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

function formatRaw(ctx, value, recurseTimes, typedArray) {
  let keys;
  const constructor = getConstructorName(value, ctx, recurseTimes);
  let tag = getTag(value, ctx);
  // StdinChunk prints like a Node Buffer.
  if (constructor === 'StdinChunk' || constructor === 'Buffer') tag = '';
  let base = '';
  let formatter = formatNothing;
  let braces;
  let extrasType = kObjectType;
  let formatterArg;

  if (ArrayIsArray(value)) {
    const prefix = (constructor !== 'Array' || tag !== '')
      ? getPrefix(constructor, tag, 'Array', `(${value.length})`) : '';
    keys = getNonIndexKeys(value, ctx.showHidden);
    braces = [`${prefix}[`, ']'];
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    extrasType = kArrayExtrasType;
    formatter = formatArray;
  } else if (isSet(value)) {
    const size = SetPrototypeGetSize(value);
    const prefix = getPrefix(constructor, tag, 'Set', `(${size})`);
    keys = getKeys(value, ctx.showHidden);
    formatter = formatSet;
    if (size === 0 && keys.length === 0) return `${prefix}{}`;
    braces = [`${prefix}{`, '}'];
  } else if (isMap(value)) {
    const size = MapPrototypeGetSize(value);
    const prefix = getPrefix(constructor, tag, 'Map', `(${size})`);
    keys = getKeys(value, ctx.showHidden);
    formatter = formatMap;
    if (size === 0 && keys.length === 0) return `${prefix}{}`;
    braces = [`${prefix}{`, '}'];
  } else if (isTypedArray(value)) {
    const size = TypedArrayPrototypeGetLength(value);
    if (constructor === 'StdinChunk' || constructor === 'Buffer') return formatBufferLike(ctx, value, size);
    keys = getNonIndexKeys(value, ctx.showHidden);
    const fallback = constructor === null ? TypedArrayPrototypeGetSymbolToStringTag(value) : '';
    const prefix = getPrefix(constructor, tag, fallback, `(${size})`);
    braces = [`${prefix}[`, ']'];
    if (size === 0 && keys.length === 0 && !ctx.showHidden) return `${braces[0]}]`;
    formatter = formatTypedArray;
    formatterArg = size;
    extrasType = kArrayExtrasType;
  } else {
    keys = getKeys(value, ctx.showHidden);
    braces = ['{', '}'];
    if (typeof value === 'function') {
      base = getFunctionBase(ctx, value, constructor, tag);
      if (keys.length === 0) return base;
    } else if (constructor === 'Object' && !isError(value)) {
      if (ObjectPrototypeToString(value) === '[object Arguments]') braces[0] = '[Arguments] {';
      else if (tag !== '') braces[0] = `${getPrefix(constructor, tag, 'Object')}{`;
      if (keys.length === 0) return `${braces[0]}}`;
    } else if (isRegExp(value)) {
      base = RegExpPrototypeToString(value);
      const prefix = getPrefix(constructor, tag, 'RegExp');
      if (prefix !== 'RegExp ') base = `${prefix}${base}`;
      if (keys.length === 0 || (recurseTimes > ctx.depth && ctx.depth !== null)) return base;
    } else if (isDate(value)) {
      base = NumberIsNaN(DatePrototypeGetTime(value))
        ? DatePrototypeToString(value) : DatePrototypeToISOString(value);
      const prefix = getPrefix(constructor, tag, 'Date');
      if (prefix !== 'Date ') base = `${prefix}${base}`;
      if (keys.length === 0) return base;
    } else if (isError(value)) {
      base = formatError(value, constructor, tag, ctx, keys);
      if (keys.length === 0) return base;
    } else if (isArrayBuffer(value)) {
      const prefix = getPrefix(constructor, tag, 'ArrayBuffer');
      if (typedArray === undefined) {
        formatter = formatArrayBuffer;
      } else if (keys.length === 0) {
        return `${prefix}{ byteLength: ${formatNumber(stylizeNoColor, ArrayBufferPrototypeGetByteLength(value))} }`;
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
      if (keys.length === 0) return base;
    } else {
      const prefix = constructor === null
        ? getPrefix(null, tag, tag === 'Object' ? 'Object' : 'Object')
        : getPrefix(constructor, tag, '');
      if (keys.length === 0) return `${prefix}{}`;
      braces[0] = `${prefix}{`;
    }
  }

  if (recurseTimes > ctx.depth && ctx.depth !== null) {
    let name = StringPrototypeSlice(getPrefix(constructor, tag, constructor === null ? 'Object' : ''), 0, -1);
    if (constructor === null && ArrayIsArray(value)) name = '[Array: null prototype]';
    if (constructor !== null) name = `[${name}]`;
    return name;
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
  } catch (err) {
    if (!(isError(err) && err.name === 'RangeError')) throw err;
    ArrayPrototypePop(ctx.seen);
    return `[${StringPrototypeSlice(getPrefix(constructor, tag, 'Object'), 0, -1)}: Inspection interrupted prematurely. Maximum call stack size exceeded.]`;
  }
  if (ctx.circular !== undefined) {
    const index = MapPrototypeGet(ctx.circular, value);
    if (index !== undefined) {
      const reference = `<ref *${index}>`;
      if (ctx.compact !== true) base = base === '' ? reference : `${reference} ${base}`;
      else braces[0] = `${reference} ${braces[0]}`;
    }
  }
  ArrayPrototypePop(ctx.seen);
  if (ctx.sorted) {
    const cmp = ctx.sorted === true ? undefined : ctx.sorted;
    if (extrasType === kObjectType) ArrayPrototypeSort(output, cmp);
  }
  return reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
}

function formatNothing() {
  return [];
}

function isBoxed(value) {
  return isBrand(value, NumberPrototypeValueOf) || isBrand(value, StringPrototypeValueOf) ||
    isBrand(value, BooleanPrototypeValueOf) || isBrand(value, BigIntPrototypeValueOf) ||
    isBrand(value, SymbolPrototypeValueOf);
}

function getBoxedBase(value, ctx, keys, constructor, tag) {
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

function getFunctionBase(ctx, value, constructor, tag) {
  let stringified = '';
  try {
    stringified = FunctionPrototypeToString(value);
  } catch {}
  if (StringPrototypeStartsWith(stringified, 'class') &&
      StringPrototypeEndsWith(stringified, '}')) {
    const slice = StringPrototypeSlice(stringified, 5, -1);
    const bracketIndex = StringPrototypeIndexOf(slice, '{');
    if (bracketIndex !== -1 && !StringPrototypeIncludes(StringPrototypeSlice(slice, 0, bracketIndex), '(')) {
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
