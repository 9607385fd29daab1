// 07_encoding_legacy.js: TextDecoder's encodings besides utf-8 (WHATWG Encoding): utf-16le,
// utf-16be and windows-1252 (what the `latin1`/`ascii` labels mean there), decoded here in JS.

import {
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ReflectApply,
  StringFromCharCode,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSlice,
} from './00_primordials.js';

const LABELS = {
  __proto__: null,
  csunicode: 'utf-16le',
  'iso-10646-ucs-2': 'utf-16le',
  'ucs-2': 'utf-16le',
  unicode: 'utf-16le',
  unicodefeff: 'utf-16le',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  unicodefffe: 'utf-16be',
  'utf-16be': 'utf-16be',
};
for (const label of [
  'ansi_x3.4-1968',
  'ascii',
  'cp1252',
  'cp819',
  'csisolatin1',
  'ibm819',
  'iso-8859-1',
  'iso-ir-100',
  'iso8859-1',
  'iso88591',
  'iso_8859-1',
  'iso_8859-1:1987',
  'l1',
  'latin1',
  'us-ascii',
  'windows-1252',
  'x-cp1252',
]) {
  LABELS[label] = 'windows-1252';
}

/** The canonical name of a (lower-cased, trimmed) label of the encodings here, or undefined. */
export function legacyEncodingName(label) {
  return LABELS[label];
}

// windows-1252's 0x80..0x9f (the rest of its bytes are their own code points).
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

const CHUNK = 4096;

function unitsToString(units) {
  let out = '';
  for (let i = 0; i < units.length; i += CHUNK) {
    out += ReflectApply(StringFromCharCode, undefined, ArrayPrototypeSlice(units, i, i + CHUNK));
  }
  return out;
}

function decodeCp1252(bytes) {
  const len = TypedArrayPrototypeGetLength(bytes);
  const units = [];
  for (let i = 0; i < len; i++) {
    const b = bytes[i];
    ArrayPrototypePush(units, b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : b);
  }
  return { text: unitsToString(units), rest: undefined, bad: false };
}

// UTF-16 code units to text: lone surrogates become U+FFFD (`bad` tells a fatal decoder). In a
// stream, a trailing odd byte or high surrogate waits for the next chunk (`rest`).
function decodeUtf16(bytes, bigEndian, stream) {
  const len = TypedArrayPrototypeGetLength(bytes);
  const pairs = len >> 1;
  let end = pairs;
  if (stream && pairs > 0) {
    const last = bigEndian
      ? (bytes[2 * pairs - 2] << 8) | bytes[2 * pairs - 1]
      : bytes[2 * pairs - 2] | (bytes[2 * pairs - 1] << 8);
    if (last >= 0xd800 && last <= 0xdbff) end = pairs - 1;
  }
  const units = [];
  let bad = false;
  for (let i = 0; i < end; i++) {
    const unit = bigEndian
      ? (bytes[2 * i] << 8) | bytes[2 * i + 1]
      : bytes[2 * i] | (bytes[2 * i + 1] << 8);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const j = i + 1;
      const next =
        j < end
          ? bigEndian
            ? (bytes[2 * j] << 8) | bytes[2 * j + 1]
            : bytes[2 * j] | (bytes[2 * j + 1] << 8)
          : -1;
      if (next >= 0xdc00 && next <= 0xdfff) {
        ArrayPrototypePush(units, unit, next);
        i = j;
        continue;
      }
      bad = true;
      ArrayPrototypePush(units, 0xfffd);
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      bad = true;
      ArrayPrototypePush(units, 0xfffd);
    } else {
      ArrayPrototypePush(units, unit);
    }
  }
  let rest;
  if (stream && end * 2 < len) rest = TypedArrayPrototypeSlice(bytes, end * 2);
  else if (!stream && (len & 1) === 1) {
    bad = true;
    ArrayPrototypePush(units, 0xfffd);
  }
  return { text: unitsToString(units), rest, bad };
}

/** `{ text, rest, bad }` of `bytes` in `encoding` (one of legacyEncodingName's names). */
export function legacyDecode(encoding, bytes, stream) {
  if (encoding === 'windows-1252') return decodeCp1252(bytes);
  return decodeUtf16(bytes, encoding === 'utf-16be', stream);
}
