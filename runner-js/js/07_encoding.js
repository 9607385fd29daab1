// 07_encoding.js: UTF-8 helpers, TextEncoder and TextDecoder (utf-8 here; utf-16le/be and
// windows-1252 in 07_encoding_legacy.js).

import {
  bridgeUtf8Decode,
  bridgeUtf8Encode,
  DataViewPrototypeGetByteLength,
  getter,
  ObjectDefineProperty,
  RangeErrorCtor,
  StringCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeCodePointAt,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  SymbolToStringTag,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSlice,
  TypedArrayPrototypeSubarray,
  TypeErrorCtor,
  Uint8ArrayCtor,
  uncurryThis,
} from './00_primordials.js';
import {
  concatBytes,
  isAnyArrayBuffer,
  isDataView,
  isTypedArray,
  listPush,
  newList,
  toStringSafe,
} from './01_helpers.js';
import { makeInvalidArgType, makeNodeError } from './06_errors.js';
import { legacyDecode, legacyEncodingName } from './07_encoding_legacy.js';

const DataViewPrototypeGetBuffer = getter(DataView.prototype, 'buffer');
const DataViewPrototypeGetByteOffset = getter(DataView.prototype, 'byteOffset');

// Returns a Uint8Array over the bytes of an ArrayBuffer / ArrayBufferView, or undefined.
// Raw bytes in text: U+10FF80 + (b - 0x80), the surrogate pair \uDBFF \uDF80+(b - 0x80), stands
// for byte b, which is not UTF-8 on its own. The shell's words carry such bytes that way
// (`shell/src/bytes.rs`) into a guest's argv and environment.

// UTF-8 of `s` with every raw byte written as itself (a WASI command's argv and environ).
export function encodeRawUtf8(s) {
  if (StringPrototypeIndexOf(s, '\uDBFF') === -1) return bridgeUtf8Encode(s);
  const parts = newList();
  let start = 0;
  for (let i = 0; i < s.length - 1; i++) {
    const low = StringPrototypeCharCodeAt(s, i + 1);
    if (StringPrototypeCharCodeAt(s, i) !== 0xdbff || low < 0xdf80 || low > 0xdfff) continue;
    listPush(parts, bridgeUtf8Encode(StringPrototypeSlice(s, start, i)));
    const raw = new Uint8ArrayCtor(1);
    raw[0] = 0x80 + low - 0xdf80;
    listPush(parts, raw);
    i++;
    start = i + 1;
  }
  listPush(parts, bridgeUtf8Encode(StringPrototypeSlice(s, start)));
  return concatBytes(parts);
}

// `s` as a JS guest sees bytes that are not UTF-8 (Node's process.argv and process.env): each
// invalid sequence one U+FFFD.
export function decodeRawLossy(s) {
  if (StringPrototypeIndexOf(s, '\uDBFF') === -1) return s;
  return bridgeUtf8Decode(encodeRawUtf8(s));
}

export function toUint8View(input) {
  if (isTypedArray(input)) {
    if (TypedArrayPrototypeGetSymbolToStringTag(input) === 'Uint8Array') return input;
    return new Uint8ArrayCtor(
      TypedArrayPrototypeGetBuffer(input),
      TypedArrayPrototypeGetByteOffset(input),
      TypedArrayPrototypeGetByteLength(input),
    );
  }
  if (isDataView(input)) {
    return new Uint8ArrayCtor(
      DataViewPrototypeGetBuffer(input),
      DataViewPrototypeGetByteOffset(input),
      DataViewPrototypeGetByteLength(input),
    );
  }
  if (isAnyArrayBuffer(input)) return new Uint8ArrayCtor(input);
  // Not bytes (a number or an array would make `new Uint8Array` invent some).
  return undefined;
}

export function utf8Decode(view) {
  return bridgeUtf8Decode(view, false);
}

// Number of trailing bytes of `bytes` that start an incomplete UTF-8 sequence (0..3).
function incompleteUtf8Tail(bytes) {
  const len = TypedArrayPrototypeGetLength(bytes);
  for (let k = 1; k <= 3 && k <= len; k++) {
    const b = bytes[len - k];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    let need = 0;
    if (b >= 0xc2 && b <= 0xdf) need = 2;
    else if (b >= 0xe0 && b <= 0xef) need = 3;
    else if (b >= 0xf0 && b <= 0xf4) need = 4;
    if (need <= k) return 0;
    // Only a valid prefix waits for more bytes (WHATWG: the second byte's range depends on the
    // lead); an invalid one is decoded now, as U+FFFD, like Node does.
    if (k >= 2) {
      const second = bytes[len - k + 1];
      const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
      if (second < lo || second > hi) return 0;
    }
    return k;
  }
  return 0;
}

// The Encoding standard strips ASCII whitespace only (TAB, LF, FF, CR, SPACE): a label with a
// NUL, a vertical tab, a no-break space or a line separator around it names no encoding.
function trimAsciiWhitespace(text) {
  const ascii = (c) => c === 9 || c === 10 || c === 12 || c === 13 || c === 32;
  let start = 0;
  let end = text.length;
  while (start < end && ascii(StringPrototypeCharCodeAt(text, start))) start++;
  while (end > start && ascii(StringPrototypeCharCodeAt(text, end - 1))) end--;
  return StringPrototypeSlice(text, start, end);
}

function normalizeEncodingLabel(label) {
  const l = StringPrototypeToLowerCase(trimAsciiWhitespace(StringCtor(label)));
  if (
    l === 'utf-8' ||
    l === 'utf8' ||
    l === 'unicode-1-1-utf-8' ||
    l === 'unicode11utf8' ||
    l === 'unicode20utf8' ||
    l === 'x-unicode20utf8'
  ) {
    return 'utf-8';
  }
  return legacyEncodingName(l);
}

export class TextEncoder {
  get encoding() {
    return 'utf-8';
  }

  encode(input = '') {
    return bridgeUtf8Encode(`${input}`);
  }

  encodeInto(src, dest) {
    if (!isTypedArray(dest) || TypedArrayPrototypeGetSymbolToStringTag(dest) !== 'Uint8Array') {
      throw makeInvalidArgType('dest', 'an instance of Uint8Array', dest);
    }
    const str = `${src}`;
    const cap = TypedArrayPrototypeGetLength(dest);
    let read = 0;
    let written = 0;
    const n = str.length;
    while (read < n) {
      let cp = StringPrototypeCodePointAt(str, read);
      const units = cp > 0xffff ? 2 : 1;
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // lone surrogate
      const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (written + size > cap) break;
      if (size === 1) {
        dest[written] = cp;
      } else if (size === 2) {
        dest[written] = 0xc0 | (cp >> 6);
        dest[written + 1] = 0x80 | (cp & 0x3f);
      } else if (size === 3) {
        dest[written] = 0xe0 | (cp >> 12);
        dest[written + 1] = 0x80 | ((cp >> 6) & 0x3f);
        dest[written + 2] = 0x80 | (cp & 0x3f);
      } else {
        dest[written] = 0xf0 | (cp >> 18);
        dest[written + 1] = 0x80 | ((cp >> 12) & 0x3f);
        dest[written + 2] = 0x80 | ((cp >> 6) & 0x3f);
        dest[written + 3] = 0x80 | (cp & 0x3f);
      }
      written += size;
      read += units;
    }
    return { read, written };
  }
}
ObjectDefineProperty(TextEncoder.prototype, SymbolToStringTag, {
  __proto__: null,
  value: 'TextEncoder',
  configurable: true,
});

export class TextDecoder {
  #encoding;
  #fatal;
  #ignoreBOM;
  #pending = undefined; // Uint8Array of an incomplete trailing sequence
  #bomChecked = false;

  constructor(label = 'utf-8', options = undefined) {
    const encoding = normalizeEncodingLabel(label);
    if (encoding === undefined) {
      throw makeNodeError(
        RangeErrorCtor,
        'ERR_ENCODING_NOT_SUPPORTED',
        `The "${toStringSafe(label)}" encoding is not supported`,
      );
    }
    if (options !== undefined && options !== null && typeof options !== 'object') {
      throw makeInvalidArgType('options', 'object', options);
    }
    this.#encoding = encoding;
    this.#fatal = options != null && !!options.fatal;
    this.#ignoreBOM = options != null && !!options.ignoreBOM;
  }

  get encoding() {
    return this.#encoding;
  }

  get fatal() {
    return this.#fatal;
  }

  get ignoreBOM() {
    return this.#ignoreBOM;
  }

  decode(input = undefined, options = undefined) {
    let bytes;
    if (input === undefined) {
      bytes = new Uint8ArrayCtor(0);
    } else {
      bytes = toUint8View(input);
      if (bytes === undefined) {
        throw makeInvalidArgType('input', 'an instance of ArrayBuffer or ArrayBufferView', input);
      }
    }
    const stream = options != null && !!options.stream;
    if (this.#pending !== undefined) {
      bytes = concatBytes([this.#pending, bytes]);
      this.#pending = undefined;
    }
    if (this.#encoding !== 'utf-8') return this.#decodeLegacy(bytes, stream);
    if (stream) {
      const tail = incompleteUtf8Tail(bytes);
      if (tail > 0) {
        const len = TypedArrayPrototypeGetLength(bytes);
        this.#pending = TypedArrayPrototypeSlice(bytes, len - tail);
        bytes = TypedArrayPrototypeSubarray(bytes, 0, len - tail);
      }
    }
    let out;
    try {
      out = bridgeUtf8Decode(bytes, this.#fatal);
    } catch {
      this.#pending = undefined;
      this.#bomChecked = false;
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_ENCODING_INVALID_ENCODED_DATA',
        'The encoded data was not valid for encoding utf-8',
      );
    }
    return this.#stripBom(out, stream);
  }

  #stripBom(out, stream) {
    if (!this.#bomChecked && out.length > 0) {
      this.#bomChecked = true;
      if (!this.#ignoreBOM && StringPrototypeCharCodeAt(out, 0) === 0xfeff) {
        out = StringPrototypeSlice(out, 1);
      }
    }
    if (!stream) this.#bomChecked = false;
    return out;
  }

  #decodeLegacy(bytes, stream) {
    const r = legacyDecode(this.#encoding, bytes, stream);
    if (r.bad && this.#fatal) {
      this.#pending = undefined;
      this.#bomChecked = false;
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_ENCODING_INVALID_ENCODED_DATA',
        `The encoded data was not valid for encoding ${this.#encoding}`,
      );
    }
    this.#pending = r.rest;
    if (this.#encoding === 'windows-1252') return r.text;
    return this.#stripBom(r.text, stream);
  }
}
ObjectDefineProperty(TextDecoder.prototype, SymbolToStringTag, {
  __proto__: null,
  value: 'TextDecoder',
  configurable: true,
});

// A streaming utf-8 decoder for runner internals (stdin setEncoding).
export function newStreamDecoder() {
  return new TextDecoder('utf-8', { __proto__: null, ignoreBOM: true });
}

export const TextDecoderPrototypeDecode = uncurryThis(TextDecoder.prototype.decode);
