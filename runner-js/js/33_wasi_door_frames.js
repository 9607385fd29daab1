// 33_wasi_door_frames.js: what every door op builds its answer with (33_wasi_door.js has the
// frames' contract): errors by name, answers of a JSON header and a payload, fields read back.

import {
  bridgeUtf8Decode,
  bridgeUtf8Encode,
  JSONStringify,
  NumberIsSafeInteger,
  StringPrototypeIncludes,
  TypedArrayPrototypeIndexOf,
  TypedArrayPrototypeSubarray,
  Uint8ArrayCtor,
} from './00_primordials.js';
import { wasiConcat, wasiEncodeStrings } from './30_wasi.js';

// WASI errno numbers the natives return, by name.
export const DOOR_ERRNO_NAMES = {
  __proto__: null,
  2: 'EACCES',
  3: 'EADDRINUSE',
  6: 'EAGAIN',
  8: 'EBADF',
  29: 'EIO',
  25: 'EILSEQ',
  27: 'EINTR',
  28: 'EINVAL',
  30: 'EISCONN',
  31: 'EISDIR',
  32: 'ELOOP',
  33: 'EMFILE',
  37: 'ENAMETOOLONG',
  42: 'ENOBUFS',
  44: 'ENOENT',
  52: 'ENOSYS',
  53: 'ENOTCONN',
  54: 'ENOTDIR',
  57: 'ENOTSOCK',
  58: 'ENOTSUP',
  63: 'EPERM',
  64: 'EPIPE',
  69: 'EROFS',
  73: 'ETIMEDOUT',
  76: 'ENOTCAPABLE',
};
export const DOOR_NOTHING = new Uint8ArrayCtor(0);

export function doorError(errno, message) {
  return bridgeUtf8Encode(`${JSONStringify({ errno, message })}\0`);
}

// The answer to a native's `-errno`.
export function doorErrno(r, text) {
  const name = DOOR_ERRNO_NAMES[-r] || 'EINVAL';
  return doorError(name, text === undefined ? '' : text);
}

export function doorAnswer(head, payload) {
  return wasiConcat([bridgeUtf8Encode(`${JSONStringify(head)}\0`), payload]);
}

// NUL-terminated strings back to back, or undefined when one is not a string or holds a NUL.
export function doorStrings(list) {
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (typeof s !== 'string' || StringPrototypeIncludes(s, '\0')) return undefined;
  }
  return wasiConcat(wasiEncodeStrings(list));
}

export function doorNumber(value, fallback) {
  if (value === undefined || value === null) return fallback;
  return NumberIsSafeInteger(value) && value >= 0 ? value : -1;
}

// The first `n` NUL-terminated strings of `bytes` (missing ones empty); `.rest`: where the rest
// starts.
export function doorFields(bytes, n) {
  const out = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const end = typeof bytes === 'number' ? -1 : TypedArrayPrototypeIndexOf(bytes, 0, at);
    out[i] = end < 0 ? '' : bridgeUtf8Decode(TypedArrayPrototypeSubarray(bytes, at, end));
    at = end < 0 ? at : end + 1;
  }
  out.rest = at;
  return out;
}
