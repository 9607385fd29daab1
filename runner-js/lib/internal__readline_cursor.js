// lib/internal__readline_cursor.js: readline's cursor helpers (cursorTo, moveCursor, clearLine,
// clearScreenDown): ANSI escape sequences written to a stream.

import { TypeErrorCtor } from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { queueMicrotask } from '../js/21_ticks.js';

// Cursor helpers of `readline` (escape sequences written to a stream).
const CSI = '\x1b[';

export function cursorTo(stream, x, y, callback) {
  if (callback !== undefined && typeof callback !== 'function') {
    throw makeInvalidArgType('callback', 'function', callback);
  }
  if (typeof y === 'function') {
    callback = y;
    y = undefined;
  }
  if (stream == null || (typeof x !== 'number' && typeof y !== 'number')) {
    if (typeof callback === 'function') queueMicrotask(() => callback(null));
    return true;
  }
  if (typeof x !== 'number')
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_CURSOR_POS',
      'Cannot set cursor row without setting its column',
    );
  const data = typeof y !== 'number' ? `${CSI}${x + 1}G` : `${CSI}${y + 1};${x + 1}H`;
  return stream.write(data, callback);
}

export function moveCursor(stream, dx, dy, callback) {
  if (stream == null || !(dx || dy)) {
    if (typeof callback === 'function') queueMicrotask(() => callback(null));
    return true;
  }
  let data = '';
  if (dx < 0) data += `${CSI}${-dx}D`;
  else if (dx > 0) data += `${CSI}${dx}C`;
  if (dy < 0) data += `${CSI}${-dy}A`;
  else if (dy > 0) data += `${CSI}${dy}B`;
  return stream.write(data, callback);
}

export function clearLine(stream, dir, callback) {
  if (stream === null || stream === undefined) {
    if (typeof callback === 'function') queueMicrotask(() => callback(null));
    return true;
  }
  const type = dir < 0 ? `${CSI}1K` : dir > 0 ? `${CSI}0K` : `${CSI}2K`;
  return stream.write(type, callback);
}

export function clearScreenDown(stream, callback) {
  if (stream === null || stream === undefined) {
    if (typeof callback === 'function') queueMicrotask(() => callback(null));
    return true;
  }
  return stream.write(`${CSI}0J`, callback);
}
