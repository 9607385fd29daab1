// lib/internal__buffer_text.js: `atob`/`btoa` (the forgiving base64 of the HTML standard, with
// Node 20's checks and DOMException texts) and `buffer.transcode` between utf8, utf16le, latin1
// and ascii (what Node's ICU conversion gives: `?` for what the target cannot hold).

import {
  bridgeUtf8Decode,
  ErrorCtor,
  ObjectDefineProperty,
  StringFromCharCode,
  StringPrototypeCharCodeAt,
  StringPrototypeCodePointAt,
  TypedArrayPrototypeGetLength,
} from '../js/00_primordials.js';
import {
  ASCII,
  BASE64,
  FastBuffer,
  fromStringId,
  isUint8Array,
  LATIN1,
  normalizeEncoding,
  sliceString,
  UTF8,
  UTF16LE,
} from './internal__buffer.js';
import { DOMException } from './internal__dom_exception.js';
import { invalidArgType, missingArgs } from './internal__web_errors.js';

function invalidCharacter(message = 'Invalid character') {
  return new DOMException(message, 'InvalidCharacterError');
}

export function btoa(input) {
  if (arguments.length === 0) throw missingArgs('input');
  input = `${input}`;
  for (let n = 0; n < input.length; n++) {
    if (StringPrototypeCharCodeAt(input, n) > 0xff) throw invalidCharacter();
  }
  const buf = fromStringId(input, LATIN1);
  return sliceString(buf, 0, TypedArrayPrototypeGetLength(buf), BASE64);
}

// 0: ASCII whitespace, 1: a base64 digit, 2: '='; anything else is invalid.
function base64Class(code) {
  if (code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d || code === 0x20) return 0;
  if (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2b ||
    code === 0x2f
  ) {
    return 1;
  }
  return code === 0x3d ? 2 : -1;
}

export function atob(input) {
  if (arguments.length === 0) throw missingArgs('input');
  input = `${input}`;
  let nonWhitespace = 0;
  let equals = 0;
  for (let n = 0; n < input.length; n++) {
    const kind = base64Class(StringPrototypeCharCodeAt(input, n));
    if (kind > 0) {
      nonWhitespace++;
      if (kind === 2) equals++;
      else if (equals) throw invalidCharacter();
      if (equals > 2) throw invalidCharacter();
    } else if (kind === -1) {
      throw invalidCharacter();
    }
  }
  let reminder = nonWhitespace % 4;
  if (!reminder) reminder = (nonWhitespace - equals) % 4;
  else if (equals) throw invalidCharacter();
  if (reminder === 1) {
    throw invalidCharacter('The string to be decoded is not correctly encoded.');
  }
  const buf = fromStringId(input, BASE64);
  return sliceString(buf, 0, TypedArrayPrototypeGetLength(buf), LATIN1);
}

function transcodeError(code, errno) {
  const err = new ErrorCtor(`Unable to transcode Buffer [${code}]`);
  ObjectDefineProperty(err, 'code', {
    __proto__: null,
    value: code,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  ObjectDefineProperty(err, 'errno', {
    __proto__: null,
    value: errno,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  return err;
}

const TRANSCODABLE = {
  __proto__: null,
  utf8: UTF8,
  utf16le: UTF16LE,
  latin1: LATIN1,
  ascii: ASCII,
};

/** `text` with every code point above `max` (a surrogate pair counts once) replaced by `?`. */
function narrow(text, max) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const cp = StringPrototypeCodePointAt(text, i);
    if (cp > 0xffff) i++;
    out += cp > max ? '?' : StringFromCharCode(cp);
  }
  return out;
}

function hasLoneSurrogate(text) {
  for (let i = 0; i < text.length; i++) {
    const c = StringPrototypeCharCodeAt(text, i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = StringPrototypeCharCodeAt(text, i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    }
  }
  return false;
}

export function transcode(source, fromEncoding, toEncoding) {
  if (!isUint8Array(source)) throw invalidArgType('source', ['Buffer', 'Uint8Array'], source);
  const length = TypedArrayPrototypeGetLength(source);
  if (length === 0) return new FastBuffer();
  const from = TRANSCODABLE[normalizeEncoding(fromEncoding) || fromEncoding];
  const to = TRANSCODABLE[normalizeEncoding(toEncoding) || toEncoding];
  if (from === undefined || to === undefined) throw transcodeError('U_ILLEGAL_ARGUMENT_ERROR', 1);
  const wide = to === UTF8 || to === UTF16LE;
  let text;
  if (from === UTF8) {
    if (wide) {
      try {
        text = bridgeUtf8Decode(source, true);
      } catch {
        throw transcodeError('U_INVALID_CHAR_FOUND', 10);
      }
    } else {
      // Each ill-formed byte becomes one substitution, as ICU's converter gives.
      text = '';
      let start = 0;
      for (let i = 0; i <= length; i++) {
        if (i === length || source[i] >= 0x80) {
          if (i > start) text += sliceString(source, start, i, LATIN1);
          if (i === length) break;
          const lead = source[i];
          const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
          let ok = need > 0 && i + need <= length;
          for (let k = 1; ok && k < need; k++) ok = (source[i + k] & 0xc0) === 0x80;
          if (ok) {
            text += sliceString(source, i, i + need, UTF8);
            i += need - 1;
          } else {
            text += '\ufffd';
          }
          start = i + 1;
        }
      }
    }
  } else if (from === UTF16LE) {
    text = sliceString(source, 0, length, UTF16LE);
    if (wide && hasLoneSurrogate(text)) throw transcodeError('U_INVALID_CHAR_FOUND', 10);
  } else if (from === ASCII) {
    text = '';
    for (let i = 0; i < length; i++)
      text += source[i] < 0x80 ? StringFromCharCode(source[i]) : '\ufffd';
  } else {
    text = sliceString(source, 0, length, LATIN1);
  }
  if (to === LATIN1) text = narrow(text, 0xff);
  else if (to === ASCII) text = narrow(text, 0x7f);
  return fromStringId(text, to === ASCII ? LATIN1 : to);
}
