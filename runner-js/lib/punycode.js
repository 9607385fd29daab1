// lib/punycode.js: the `punycode` builtin (deprecated in Node, still shipped): RFC 3492
// Punycode and the IDNA ToASCII/ToUnicode of whole domains, with punycode.js 2.1.0's API and
// error messages, as Node 20 bundles it.

import {
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeSplice,
  MathFloor,
  RangeErrorCtor,
  StringFromCharCode,
  StringPrototypeCharCodeAt,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
} from '../js/00_primordials.js';
import { webPrimordials } from '../js/09_web_primordials.js';
import { emitWarning, pendingDeprecation } from '../js/23_warnings.js';

// Node 22 warns when the module loads under --pending-deprecation (or NODE_PENDING_DEPRECATION=1).
if (pendingDeprecation()) {
  emitWarning(
    'The `punycode` module is deprecated. Please use a userland alternative instead.',
    'DeprecationWarning',
    'DEP0040',
  );
}

const {
  RegExpPrototypeSymbolReplace,
  RegExpPrototypeTest,
  StringFromCodePoint,
  StringPrototypeSplit,
} = webPrimordials;

const maxInt = 2147483647;
const base = 36;
const tMin = 1;
const tMax = 26;
const skew = 38;
const damp = 700;
const initialBias = 72;
const initialN = 128;
const delimiter = '-';
const regexPunycode = /^xn--/;
const regexNonASCII = /[^\0-\x7F]/;
const regexSeparators = /[\x2E\u3002\uFF0E\uFF61]/g;
const errors = {
  __proto__: null,
  overflow: 'Overflow: input needs wider integers to process',
  'not-basic': 'Illegal input >= 0x80 (not a basic code point)',
  'invalid-input': 'Invalid input',
};

function error(type) {
  throw new RangeErrorCtor(errors[type]);
}

function mapDomain(domain, fn) {
  const parts = StringPrototypeSplit(domain, '@');
  let result = '';
  if (parts.length > 1) {
    result = `${parts[0]}@`;
    domain = parts[1];
  }
  domain = RegExpPrototypeSymbolReplace(regexSeparators, domain, '\x2E');
  const labels = StringPrototypeSplit(domain, '.');
  const encoded = [];
  for (let i = 0; i < labels.length; i++) ArrayPrototypePush(encoded, fn(labels[i]));
  return result + ArrayPrototypeJoin(encoded, '.');
}

function ucs2decode(string) {
  const output = [];
  let counter = 0;
  const length = string.length;
  while (counter < length) {
    const value = StringPrototypeCharCodeAt(string, counter++);
    if (value >= 0xd800 && value <= 0xdbff && counter < length) {
      const extra = StringPrototypeCharCodeAt(string, counter++);
      if ((extra & 0xfc00) === 0xdc00) {
        ArrayPrototypePush(output, ((value & 0x3ff) << 10) + (extra & 0x3ff) + 0x10000);
      } else {
        ArrayPrototypePush(output, value);
        counter--;
      }
    } else {
      ArrayPrototypePush(output, value);
    }
  }
  return output;
}

function ucs2encode(codePoints) {
  let out = '';
  for (let i = 0; i < codePoints.length; i++) out += StringFromCodePoint(codePoints[i]);
  return out;
}

function basicToDigit(codePoint) {
  if (codePoint >= 0x30 && codePoint < 0x3a) return 26 + (codePoint - 0x30);
  if (codePoint >= 0x41 && codePoint < 0x5b) return codePoint - 0x41;
  if (codePoint >= 0x61 && codePoint < 0x7b) return codePoint - 0x61;
  return base;
}

function digitToBasic(digit, flag) {
  return digit + 22 + 75 * (digit < 26) - ((flag !== 0) << 5);
}

function adapt(delta, numPoints, firstTime) {
  let k = 0;
  delta = firstTime ? MathFloor(delta / damp) : delta >> 1;
  delta += MathFloor(delta / numPoints);
  for (; delta > ((base - tMin) * tMax) >> 1; k += base) {
    delta = MathFloor(delta / (base - tMin));
  }
  return MathFloor(k + ((base - tMin + 1) * delta) / (delta + skew));
}

function decode(input) {
  const output = [];
  const inputLength = input.length;
  let i = 0;
  let n = initialN;
  let bias = initialBias;
  let basic = StringPrototypeLastIndexOf(input, delimiter);
  if (basic < 0) basic = 0;
  for (let j = 0; j < basic; ++j) {
    if (StringPrototypeCharCodeAt(input, j) >= 0x80) error('not-basic');
    ArrayPrototypePush(output, StringPrototypeCharCodeAt(input, j));
  }
  for (let index = basic > 0 ? basic + 1 : 0; index < inputLength; ) {
    const oldi = i;
    for (let w = 1, k = base; ; k += base) {
      if (index >= inputLength) error('invalid-input');
      const digit = basicToDigit(StringPrototypeCharCodeAt(input, index++));
      if (digit >= base) error('invalid-input');
      if (digit > MathFloor((maxInt - i) / w)) error('overflow');
      i += digit * w;
      const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
      if (digit < t) break;
      const baseMinusT = base - t;
      if (w > MathFloor(maxInt / baseMinusT)) error('overflow');
      w *= baseMinusT;
    }
    const out = output.length + 1;
    bias = adapt(i - oldi, out, oldi === 0);
    if (MathFloor(i / out) > maxInt - n) error('overflow');
    n += MathFloor(i / out);
    i %= out;
    ArrayPrototypeSplice(output, i++, 0, n);
  }
  return ucs2encode(output);
}

function encode(input) {
  const output = [];
  input = ucs2decode(input);
  const inputLength = input.length;
  let n = initialN;
  let delta = 0;
  let bias = initialBias;
  for (let i = 0; i < inputLength; i++) {
    if (input[i] < 0x80) ArrayPrototypePush(output, StringFromCharCode(input[i]));
  }
  const basicLength = output.length;
  let handledCPCount = basicLength;
  if (basicLength) ArrayPrototypePush(output, delimiter);
  while (handledCPCount < inputLength) {
    let m = maxInt;
    for (let i = 0; i < inputLength; i++) {
      if (input[i] >= n && input[i] < m) m = input[i];
    }
    const handledCPCountPlusOne = handledCPCount + 1;
    if (m - n > MathFloor((maxInt - delta) / handledCPCountPlusOne)) error('overflow');
    delta += (m - n) * handledCPCountPlusOne;
    n = m;
    for (let i = 0; i < inputLength; i++) {
      const currentValue = input[i];
      if (currentValue < n && ++delta > maxInt) error('overflow');
      if (currentValue === n) {
        let q = delta;
        for (let k = base; ; k += base) {
          const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
          if (q < t) break;
          const qMinusT = q - t;
          const baseMinusT = base - t;
          ArrayPrototypePush(
            output,
            StringFromCharCode(digitToBasic(t + (qMinusT % baseMinusT), 0)),
          );
          q = MathFloor(qMinusT / baseMinusT);
        }
        ArrayPrototypePush(output, StringFromCharCode(digitToBasic(q, 0)));
        bias = adapt(delta, handledCPCountPlusOne, handledCPCount === basicLength);
        delta = 0;
        ++handledCPCount;
      }
    }
    ++delta;
    ++n;
  }
  return ArrayPrototypeJoin(output, '');
}

function toUnicode(input) {
  return mapDomain(input, (string) =>
    RegExpPrototypeTest(regexPunycode, string)
      ? decode(StringPrototypeToLowerCase(StringPrototypeSlice(string, 4)))
      : string,
  );
}

function toASCII(input) {
  return mapDomain(input, (string) =>
    RegExpPrototypeTest(regexNonASCII, string) ? `xn--${encode(string)}` : string,
  );
}

export const moduleExports = {
  version: '2.1.0',
  ucs2: { decode: ucs2decode, encode: ucs2encode },
  decode,
  encode,
  toASCII,
  toUnicode,
};
