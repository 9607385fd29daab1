// 05_format.js: util.format / formatWithOptions (console.log's `%s %d %i %f %j %o %O %c`).

// util.format's `%s`: does `value` use a builtin toString (then inspect it) or its own?

import {
  builtInObjects,
  JSONStringify,
  NumberCtor,
  NumberParseFloat,
  NumberParseInt,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  SetPrototypeHas,
  StringCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeIncludes,
  StringPrototypeSlice,
  SymbolPrototypeToString,
  SymbolToPrimitive,
} from './00_primordials.js';
import { isError } from './01_helpers.js';
import { formatBigInt, formatNumber, inspectDefaults, stylizeNoColor } from './02_inspect_base.js';
import { inspect } from './04_inspect.js';

function hasBuiltInToString(value) {
  let pointer = value;
  try {
    if (typeof value.toString !== 'function' && typeof value[SymbolToPrimitive] !== 'function')
      return true;
    if (
      ObjectPrototypeHasOwnProperty(value, 'toString') ||
      ObjectPrototypeHasOwnProperty(value, SymbolToPrimitive)
    )
      return false;
    do {
      pointer = ObjectGetPrototypeOf(pointer);
    } while (
      pointer !== null &&
      !ObjectPrototypeHasOwnProperty(pointer, 'toString') &&
      !ObjectPrototypeHasOwnProperty(pointer, SymbolToPrimitive)
    );
    if (pointer === null) return true;
    const descriptor = ObjectGetOwnPropertyDescriptor(pointer, 'constructor');
    return (
      descriptor !== undefined &&
      typeof descriptor.value === 'function' &&
      SetPrototypeHas(builtInObjects, descriptor.value.name)
    );
  } catch {
    return true;
  }
}

function tryStringify(arg) {
  try {
    return JSONStringify(arg);
  } catch (err) {
    if (
      isError(err) &&
      err.name === 'TypeError' &&
      StringPrototypeIncludes(`${err.message}`, 'circular')
    ) {
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
export function formatWithOptions(inspectOptions, args) {
  const first = args[0];
  // %d, %i and %s of numbers follow inspect's numericSeparator (the call's, else the default).
  const separator = inspectOptions?.numericSeparator ?? inspectDefaults.numericSeparator;
  let a = 0;
  let str = '';
  let join = '';
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let tempStr;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (StringPrototypeCharCodeAt(first, i) === 37) {
        // '%'
        const nextChar = StringPrototypeCharCodeAt(first, ++i);
        if (a + 1 !== args.length) {
          switch (nextChar) {
            case 115: {
              // 's'
              const tempArg = args[++a];
              if (typeof tempArg === 'number')
                tempStr = formatNumber(stylizeNoColor, tempArg, separator);
              else if (typeof tempArg === 'bigint')
                tempStr = formatBigInt(stylizeNoColor, tempArg, separator);
              else if (
                typeof tempArg !== 'object' ||
                tempArg === null ||
                !hasBuiltInToString(tempArg)
              ) {
                tempStr =
                  typeof tempArg === 'symbol'
                    ? SymbolPrototypeToString(tempArg)
                    : StringCtor(tempArg);
              } else {
                tempStr = inspect(
                  tempArg,
                  withOptions(inspectOptions, { compact: 3, colors: false, depth: 0 }),
                );
              }
              break;
            }
            case 106: // 'j'
              tempStr = tryStringify(args[++a]);
              break;
            case 100: {
              // 'd'
              const tempNum = args[++a];
              if (typeof tempNum === 'bigint')
                tempStr = formatBigInt(stylizeNoColor, tempNum, separator);
              else if (typeof tempNum === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(stylizeNoColor, NumberCtor(tempNum), separator);
              break;
            }
            case 79: // 'O'
              tempStr = inspect(args[++a], inspectOptions);
              break;
            case 111: // 'o'
              tempStr = inspect(
                args[++a],
                withOptions(inspectOptions, { showHidden: true, showProxy: true, depth: 4 }),
              );
              break;
            case 105: {
              // 'i'
              const tempInteger = args[++a];
              if (typeof tempInteger === 'bigint')
                tempStr = formatBigInt(stylizeNoColor, tempInteger, separator);
              else if (typeof tempInteger === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(stylizeNoColor, NumberParseInt(tempInteger), separator);
              break;
            }
            case 102: {
              // 'f'
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
