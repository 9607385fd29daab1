// format.js: the rest of the inspect port (entries, errors, line breaking) and util.format.

function remainingText(remaining) {
  return `... ${remaining} more item${remaining > 1 ? 's' : ''}`;
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
      ArrayPrototypePush(output, `<${emptyItems} empty item${emptyItems > 1 ? 's' : ''}>`);
      index = tmp;
      if (output.length === maxLength) break;
    }
    ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, key, kArrayType));
    index++;
  }
  const remaining = value.length - index;
  if (output.length !== maxLength) {
    if (remaining > 0) {
      ArrayPrototypePush(output, `<${remaining} empty item${remaining > 1 ? 's' : ''}>`);
    }
  } else if (remaining > 0) {
    ArrayPrototypePush(output, remainingText(remaining));
  }
  return output;
}

function formatTypedArray(ctx, value, recurseTimes, length) {
  const maxLength = MathMin(MathMax(0, ctx.maxArrayLength), length);
  const remaining = length - maxLength;
  const output = [];
  for (let i = 0; i < maxLength; ++i) {
    const v = value[i];
    ArrayPrototypePush(output, typeof v === 'bigint' ? formatBigInt(stylizeNoColor, v) : formatNumber(stylizeNoColor, v));
  }
  if (remaining > 0) ArrayPrototypePush(output, remainingText(remaining));
  return output;
}

function hexByte(b) {
  const hex = '0123456789abcdef';
  return `${hex[b >> 4]}${hex[b & 15]}`;
}

function formatBufferLike(ctx, value, size) {
  const max = MathMin(50, size);
  let str = '';
  for (let i = 0; i < max; i++) str += i === 0 ? hexByte(value[i]) : ` ${hexByte(value[i])}`;
  const remaining = size - max;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return `<Buffer${str === '' ? '' : ` ${str}`}>`;
}

function formatArrayBuffer(ctx, value) {
  let buffer;
  try {
    buffer = new Uint8ArrayCtor(value);
  } catch {
    return ['(detached)'];
  }
  const len = TypedArrayPrototypeGetLength(buffer);
  const max = MathMin(ctx.maxArrayLength, len);
  let str = '';
  for (let i = 0; i < max; i++) str += i === 0 ? hexByte(buffer[i]) : ` ${hexByte(buffer[i])}`;
  const remaining = len - max;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return [`[Uint8Contents]: <${str}>`];
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
    ArrayPrototypePush(output,
      `${formatValue(ctx, entry[0], recurseTimes)} => ${formatValue(ctx, entry[1], recurseTimes)}`);
  }
  if (length > maxLength) ArrayPrototypePush(output, remainingText(length - maxLength));
  ctx.indentationLvl -= 2;
  return output;
}

function formatWeakCollection() {
  return ['<items unknown>'];
}

function formatPromise(ctx, value, recurseTimes) {
  if (bridgePromiseState === undefined) return ['<unknown>'];
  const details = bridgePromiseState(value);
  if (details[0] === 0) return ['<pending>'];
  ctx.indentationLvl += 2;
  const str = formatValue(ctx, details[1], recurseTimes);
  ctx.indentationLvl -= 2;
  return [details[0] === 2 ? `<rejected> ${str}` : str];
}

function formatProperty(ctx, value, recurseTimes, key, type) {
  let name;
  let str;
  const desc = ObjectGetOwnPropertyDescriptor(value, key) ||
    { __proto__: null, value: value[key], enumerable: true };
  if (desc.value !== undefined) {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, desc.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else if (desc.get !== undefined) {
    str = desc.set !== undefined ? '[Getter/Setter]' : '[Getter]';
  } else if (desc.set !== undefined) {
    str = '[Setter]';
  } else {
    str = 'undefined';
  }
  if (type === kArrayType) return str;
  if (typeof key === 'symbol') {
    name = `[${strEscape(SymbolPrototypeToString(key), false)}]`;
  } else if (key === '__proto__') {
    name = "['__proto__']";
  } else if (desc.enumerable === false) {
    name = `[${strEscape(key, false)}]`;
  } else if (isIdentifier(key)) {
    name = key;
  } else {
    name = strEscape(key);
  }
  return `${name}: ${str}`;
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

function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
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

function formatError(err, constructor, tag, ctx, keys) {
  let name = 'Error';
  let message;
  let stack;
  try {
    name = err.name != null ? err.name : 'Error';
    message = err.message;
    stack = err.stack;
  } catch {}
  if (typeof stack !== 'string') {
    stack = stack ? formatValue(ctx, stack, 0) : ErrorPrototypeToString(err);
  }
  if (!ctx.showHidden && keys.length !== 0) {
    const names = ['name', 'message', 'stack'];
    for (let i = 0; i < 3; i++) {
      const index = ArrayPrototypeIndexOf(keys, names[i]);
      if (index !== -1) {
        const v = err[names[i]];
        if (typeof v !== 'string' || StringPrototypeIncludes(stack, v)) ArrayPrototypeSplice(keys, index, 1);
      }
    }
  }
  if ('cause' in err && (keys.length === 0 || !ArrayPrototypeIncludes(keys, 'cause'))) {
    ArrayPrototypePush(keys, 'cause');
  }
  if (ArrayIsArray(err.errors) && (keys.length === 0 || !ArrayPrototypeIncludes(keys, 'errors'))) {
    ArrayPrototypePush(keys, 'errors');
  }
  // improveStack: make the stack header mention the class when the name was changed.
  if (typeof name === 'string') {
    const len = name.length;
    if (constructor === null || (StringPrototypeEndsWith(name, 'Error') &&
        StringPrototypeStartsWith(stack, name) &&
        (stack.length === len || stack[len] === ':' || stack[len] === '\n'))) {
      const prefix = StringPrototypeSlice(getPrefix(constructor, tag, 'Error'), 0, -1);
      if (name !== prefix) {
        if (StringPrototypeIncludes(prefix, name)) {
          stack = len === 0 ? `${prefix}: ${stack}` : `${prefix}${StringPrototypeSlice(stack, len)}`;
        } else {
          stack = `${prefix} [${name}]${StringPrototypeSlice(stack, len)}`;
        }
      }
    }
  }
  let pos = (typeof message === 'string' && message !== '' && StringPrototypeIndexOf(stack, message)) || -1;
  if (pos !== -1) pos += message.length;
  const stackStart = StringPrototypeIndexOf(stack, '\n    at', pos);
  if (stackStart === -1) {
    stack = `[${stack}]`;
  } else {
    const frames = removeCauseFrames(err, splitLines(StringPrototypeSlice(stack, stackStart + 1)));
    stack = `${StringPrototypeSlice(stack, 0, stackStart)}\n${ArrayPrototypeJoin(frames, '\n')}`;
  }
  if (ctx.indentationLvl !== 0) {
    const lines = splitLines(stack);
    stack = ArrayPrototypeJoin(lines, `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`);
  }
  return stack;
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
function removeCauseFrames(err, frames) {
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

// util.format's `%s`: does `value` use a builtin toString (then inspect it) or its own?
function hasBuiltInToString(value) {
  let pointer = value;
  try {
    if (typeof value.toString !== 'function' && typeof value[SymbolToPrimitive] !== 'function') return true;
    if (ObjectPrototypeHasOwnProperty(value, 'toString') ||
        ObjectPrototypeHasOwnProperty(value, SymbolToPrimitive)) return false;
    do {
      pointer = ObjectGetPrototypeOf(pointer);
    } while (pointer !== null && !ObjectPrototypeHasOwnProperty(pointer, 'toString') &&
      !ObjectPrototypeHasOwnProperty(pointer, SymbolToPrimitive));
    if (pointer === null) return true;
    const descriptor = ObjectGetOwnPropertyDescriptor(pointer, 'constructor');
    return descriptor !== undefined && typeof descriptor.value === 'function' &&
      SetPrototypeHas(builtInObjects, descriptor.value.name);
  } catch {
    return true;
  }
}

function tryStringify(arg) {
  try {
    return JSONStringify(arg);
  } catch (err) {
    if (isError(err) && err.name === 'TypeError' && StringPrototypeIncludes(`${err.message}`, 'circular')) {
      return '[Circular]';
    }
    throw err;
  }
}

function withOptions(inspectOptions, extra) {
  const o = { __proto__: null };
  if (inspectOptions) {
    const keys = ObjectKeys(inspectOptions);
    for (let i = 0; i < keys.length; i++) o[keys[i]] = inspectOptions[keys[i]];
  }
  const keys = ObjectKeys(extra);
  for (let i = 0; i < keys.length; i++) o[keys[i]] = extra[keys[i]];
  return o;
}

// util.formatWithOptions(inspectOptions, ...args) with `args` an array.
function formatWithOptions(inspectOptions, args) {
  const first = args[0];
  let a = 0;
  let str = '';
  let join = '';
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let tempStr;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (StringPrototypeCharCodeAt(first, i) === 37) { // '%'
        const nextChar = StringPrototypeCharCodeAt(first, ++i);
        if (a + 1 !== args.length) {
          switch (nextChar) {
            case 115: { // 's'
              const tempArg = args[++a];
              if (typeof tempArg === 'number') tempStr = formatNumber(stylizeNoColor, tempArg);
              else if (typeof tempArg === 'bigint') tempStr = formatBigInt(stylizeNoColor, tempArg);
              else if (typeof tempArg !== 'object' || tempArg === null || !hasBuiltInToString(tempArg)) {
                tempStr = typeof tempArg === 'symbol' ? SymbolPrototypeToString(tempArg) : StringCtor(tempArg);
              } else {
                tempStr = inspect(tempArg, withOptions(inspectOptions, { compact: 3, colors: false, depth: 0 }));
              }
              break;
            }
            case 106: // 'j'
              tempStr = tryStringify(args[++a]);
              break;
            case 100: { // 'd'
              const tempNum = args[++a];
              if (typeof tempNum === 'bigint') tempStr = formatBigInt(stylizeNoColor, tempNum);
              else if (typeof tempNum === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(stylizeNoColor, NumberCtor(tempNum));
              break;
            }
            case 79: // 'O'
              tempStr = inspect(args[++a], inspectOptions);
              break;
            case 111: // 'o'
              tempStr = inspect(args[++a], withOptions(inspectOptions, { showHidden: true, showProxy: true, depth: 4 }));
              break;
            case 105: { // 'i'
              const tempInteger = args[++a];
              if (typeof tempInteger === 'bigint') tempStr = formatBigInt(stylizeNoColor, tempInteger);
              else if (typeof tempInteger === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(stylizeNoColor, NumberParseInt(tempInteger));
              break;
            }
            case 102: { // 'f'
              const tempFloat = args[++a];
              if (typeof tempFloat === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(stylizeNoColor, NumberParseFloat(tempFloat));
              break;
            }
            case 99: // 'c'
              a += 1;
              tempStr = '';
              break;
            case 37: // '%'
              str += StringPrototypeSlice(first, lastPos, i);
              lastPos = i + 1;
              continue;
            default:
              continue;
          }
          if (lastPos !== i - 1) str += StringPrototypeSlice(first, lastPos, i - 1);
          str += tempStr;
          lastPos = i + 1;
        } else if (nextChar === 37) {
          str += StringPrototypeSlice(first, lastPos, i);
          lastPos = i + 1;
        }
      }
    }
    if (lastPos !== 0) {
      a++;
      join = ' ';
      if (lastPos < first.length) str += StringPrototypeSlice(first, lastPos);
    }
  }
  while (a < args.length) {
    const value = args[a];
    str += join;
    str += typeof value !== 'string' ? inspect(value, inspectOptions) : value;
    join = ' ';
    a++;
  }
  return str;
}
