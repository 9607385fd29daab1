// lib/querystring.js: the `querystring` builtin. Its parser, escaper and stringifier follow Node
// 20's lib/querystring.js (MIT) step by step: their quirks are observable (maxKeys counting,
// the percent-check that decides when to decode, lone surrogates, `+` handling).

import {
  ArrayIsArray,
  NumberIsFinite,
  ObjectKeys,
  StringCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  TypedArrayPrototypeGetLength,
} from '../js/00_primordials.js';
import { webPrimordials } from '../js/09_web_primordials.js';
import { FastBuffer, sliceString, subBuffer, UTF8 } from './internal__buffer.js';
import { uriMalformed } from './internal__web_errors.js';

const { DecodeURIComponent, MathAbs } = webPrimordials;

const hexTable = [];
for (let i = 0; i < 256; ++i) {
  hexTable[i] =
    `%${i < 16 ? '0' : ''}${webPrimordials.StringPrototypeToUpperCase(webPrimordials.NumberPrototypeToString(i, 16))}`;
}

// Characters escape() leaves as they are: A-Z a-z 0-9 - _ . ! ~ * ' ( )
function noEscape(c) {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x21 ||
    c === 0x27 ||
    c === 0x28 ||
    c === 0x29 ||
    c === 0x2a ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x5f ||
    c === 0x7e
  );
}

/** Node's encodeStr: UTF-8 percent-encoding of what `keep` does not keep. */
export function encodeStr(str, keep) {
  const len = str.length;
  if (len === 0) return '';
  let out = '';
  let lastPos = 0;
  for (let i = 0; i < len; i++) {
    let c = StringPrototypeCharCodeAt(str, i);
    if (c < 0x80) {
      if (!keep(c)) {
        if (lastPos < i) out += StringPrototypeSlice(str, lastPos, i);
        lastPos = i + 1;
        out += hexTable[c];
      }
      continue;
    }
    if (lastPos < i) out += StringPrototypeSlice(str, lastPos, i);
    if (c < 0x800) {
      lastPos = i + 1;
      out += hexTable[0xc0 | (c >> 6)] + hexTable[0x80 | (c & 0x3f)];
      continue;
    }
    if (c < 0xd800 || c >= 0xe000) {
      lastPos = i + 1;
      out +=
        hexTable[0xe0 | (c >> 12)] +
        hexTable[0x80 | ((c >> 6) & 0x3f)] +
        hexTable[0x80 | (c & 0x3f)];
      continue;
    }
    ++i;
    if (i >= len) throw uriMalformed();
    const c2 = StringPrototypeCharCodeAt(str, i) & 0x3ff;
    lastPos = i + 1;
    c = 0x10000 + (((c & 0x3ff) << 10) | c2);
    out +=
      hexTable[0xf0 | (c >> 18)] +
      hexTable[0x80 | ((c >> 12) & 0x3f)] +
      hexTable[0x80 | ((c >> 6) & 0x3f)] +
      hexTable[0x80 | (c & 0x3f)];
  }
  if (lastPos === 0) return str;
  if (lastPos < len) return out + StringPrototypeSlice(str, lastPos);
  return out;
}

function hexValue(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function unescapeBuffer(s, decodeSpaces) {
  s = `${s}`;
  const out = new FastBuffer(s.length);
  let index = 0;
  let outIndex = 0;
  const maxLength = s.length - 2;
  let hasHex = false;
  while (index < s.length) {
    let currentChar = StringPrototypeCharCodeAt(s, index);
    if (currentChar === 43 && decodeSpaces) {
      out[outIndex++] = 32;
      index++;
      continue;
    }
    if (currentChar === 37 && index < maxLength) {
      currentChar = StringPrototypeCharCodeAt(s, ++index);
      const hexHigh = hexValue(currentChar);
      if (hexHigh < 0) {
        out[outIndex++] = 37;
        continue;
      }
      const hexLow = hexValue(StringPrototypeCharCodeAt(s, ++index));
      if (hexLow < 0) {
        out[outIndex++] = 37;
        index--;
      } else {
        hasHex = true;
        currentChar = hexHigh * 16 + hexLow;
      }
    }
    out[outIndex++] = currentChar;
    index++;
  }
  return hasHex ? subBuffer(out, 0, outIndex) : out;
}

function qsUnescape(s, decodeSpaces) {
  try {
    return DecodeURIComponent(s);
  } catch {
    const buf = moduleExports.unescapeBuffer(s, decodeSpaces);
    return sliceString(buf, 0, TypedArrayPrototypeGetLength(buf), UTF8);
  }
}

function qsEscape(str) {
  if (typeof str !== 'string') {
    if (typeof str === 'object') str = StringCtor(str);
    else str += '';
  }
  return encodeStr(str, noEscape);
}

function stringifyPrimitive(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && NumberIsFinite(v)) return `${v}`;
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

function encodeStringified(v, encode) {
  if (typeof v === 'string') return v.length ? encode(v) : '';
  if (typeof v === 'number' && NumberIsFinite(v)) {
    return MathAbs(v) < 1e21 ? `${v}` : encode(`${v}`);
  }
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

function encodeStringifiedCustom(v, encode) {
  return encode(stringifyPrimitive(v));
}

function stringify(obj, sep, eq, options) {
  sep ||= '&';
  eq ||= '=';
  let encode = moduleExports.escape;
  if (options && typeof options.encodeURIComponent === 'function') {
    encode = options.encodeURIComponent;
  }
  const convert = encode === qsEscape ? encodeStringified : encodeStringifiedCustom;
  if (obj !== null && typeof obj === 'object') {
    const keys = ObjectKeys(obj);
    let fields = '';
    for (let i = 0; i < keys.length; ++i) {
      const k = keys[i];
      const v = obj[k];
      const ks = `${convert(k, encode)}${eq}`;
      if (ArrayIsArray(v)) {
        const vlen = v.length;
        if (vlen === 0) continue;
        if (fields) fields += sep;
        for (let j = 0; j < vlen; ++j) {
          if (j) fields += sep;
          fields += ks;
          fields += convert(v[j], encode);
        }
      } else {
        if (fields) fields += sep;
        fields += ks;
        fields += convert(v, encode);
      }
    }
    return fields;
  }
  return '';
}

function charCodes(str) {
  const ret = [];
  for (let i = 0; i < str.length; ++i) ret[i] = StringPrototypeCharCodeAt(str, i);
  return ret;
}

function isHex(code) {
  return hexValue(code) >= 0;
}

function decodeStr(s, decoder) {
  try {
    return decoder(s);
  } catch {
    return moduleExports.unescape(s, true);
  }
}

function addKeyVal(obj, key, value, keyEncoded, valEncoded, decode) {
  if (key.length > 0 && keyEncoded) key = decodeStr(key, decode);
  if (value.length > 0 && valEncoded) value = decodeStr(value, decode);
  if (obj[key] === undefined) {
    obj[key] = value;
  } else {
    const curValue = obj[key];
    if (ArrayIsArray(curValue)) curValue[curValue.length] = value;
    else obj[key] = [curValue, value];
  }
}

function parse(qs, sep, eq, options) {
  const obj = { __proto__: null };
  if (typeof qs !== 'string' || qs.length === 0) return obj;
  const sepCodes = !sep ? [38] : charCodes(StringCtor(sep));
  const eqCodes = !eq ? [61] : charCodes(StringCtor(eq));
  const sepLen = sepCodes.length;
  const eqLen = eqCodes.length;
  let pairs = 1000;
  if (options && typeof options.maxKeys === 'number') {
    pairs = options.maxKeys > 0 ? options.maxKeys : -1;
  }
  let decode = moduleExports.unescape;
  if (options && typeof options.decodeURIComponent === 'function') {
    decode = options.decodeURIComponent;
  }
  const customDecode = decode !== qsUnescape;
  let lastPos = 0;
  let sepIdx = 0;
  let eqIdx = 0;
  let key = '';
  let value = '';
  let keyEncoded = customDecode;
  let valEncoded = customDecode;
  const plusChar = customDecode ? '%20' : ' ';
  let encodeCheck = 0;
  for (let i = 0; i < qs.length; ++i) {
    const code = StringPrototypeCharCodeAt(qs, i);
    if (code === sepCodes[sepIdx]) {
      if (++sepIdx === sepLen) {
        const end = i - sepIdx + 1;
        if (eqIdx < eqLen) {
          if (lastPos < end) {
            key += StringPrototypeSlice(qs, lastPos, end);
          } else if (key.length === 0) {
            if (--pairs === 0) return obj;
            lastPos = i + 1;
            sepIdx = eqIdx = 0;
            continue;
          }
        } else if (lastPos < end) {
          value += StringPrototypeSlice(qs, lastPos, end);
        }
        addKeyVal(obj, key, value, keyEncoded, valEncoded, decode);
        if (--pairs === 0) return obj;
        keyEncoded = valEncoded = customDecode;
        key = value = '';
        encodeCheck = 0;
        lastPos = i + 1;
        sepIdx = eqIdx = 0;
      }
    } else {
      sepIdx = 0;
      if (eqIdx < eqLen) {
        if (code === eqCodes[eqIdx]) {
          if (++eqIdx === eqLen) {
            const end = i - eqIdx + 1;
            if (lastPos < end) key += StringPrototypeSlice(qs, lastPos, end);
            encodeCheck = 0;
            lastPos = i + 1;
          }
          continue;
        }
        eqIdx = 0;
        if (!keyEncoded) {
          if (code === 37) {
            encodeCheck = 1;
            continue;
          }
          if (encodeCheck > 0) {
            if (isHex(code)) {
              if (++encodeCheck === 3) keyEncoded = true;
              continue;
            }
            encodeCheck = 0;
          }
        }
        if (code === 43) {
          if (lastPos < i) key += StringPrototypeSlice(qs, lastPos, i);
          key += plusChar;
          lastPos = i + 1;
          continue;
        }
      }
      if (code === 43) {
        if (lastPos < i) value += StringPrototypeSlice(qs, lastPos, i);
        value += plusChar;
        lastPos = i + 1;
      } else if (!valEncoded) {
        if (code === 37) {
          encodeCheck = 1;
        } else if (encodeCheck > 0) {
          if (isHex(code)) {
            if (++encodeCheck === 3) valEncoded = true;
          } else {
            encodeCheck = 0;
          }
        }
      }
    }
  }
  if (lastPos < qs.length) {
    if (eqIdx < eqLen) key += StringPrototypeSlice(qs, lastPos);
    else if (sepIdx < sepLen) value += StringPrototypeSlice(qs, lastPos);
  } else if (eqIdx === 0 && key.length === 0) {
    return obj;
  }
  addKeyVal(obj, key, value, keyEncoded, valEncoded, decode);
  return obj;
}

export const moduleExports = {
  unescapeBuffer,
  unescape: qsUnescape,
  escape: qsEscape,
  stringify,
  encode: stringify,
  parse,
  decode: parse,
};

/** For url.parse/format, which use this module object as Node's do. */
export const querystringExports = moduleExports;
