// lib/internal__readline_cursor.js: readline's cursor helpers (cursorTo, moveCursor, clearLine,
// clearScreenDown): ANSI escape sequences written to a stream.

import { TypeErrorCtor } from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { queueMicrotask } from '../js/21_ticks.js';

// Cursor helpers of `readline` (escape sequences written to a stream); the sequences also serve
// readline/promises' Readline, which queues them.
const CSI = '\x1b[';

export function cursorToCode(x, y) {
  return typeof y !== 'number' ? `${CSI}${x + 1}G` : `${CSI}${y + 1};${x + 1}H`;
}

export function moveCursorCode(dx, dy) {
  let data = '';
  if (dx < 0) data += `${CSI}${-dx}D`;
  else if (dx > 0) data += `${CSI}${dx}C`;
  if (dy < 0) data += `${CSI}${-dy}A`;
  else if (dy > 0) data += `${CSI}${dy}B`;
  return data;
}

export function clearLineCode(dir) {
  return dir < 0 ? `${CSI}1K` : dir > 0 ? `${CSI}0K` : `${CSI}2K`;
}

export const kClearScreenDown = `${CSI}0J`;

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
  return stream.write(cursorToCode(x, y), callback);
}

export function moveCursor(stream, dx, dy, callback) {
  if (stream == null || !(dx || dy)) {
    if (typeof callback === 'function') queueMicrotask(() => callback(null));
    return true;
  }
  return stream.write(moveCursorCode(dx, dy), callback);
}

export function clearLine(stream, dir, callback) {
  if (stream === null || stream === undefined) {
    if (typeof callback === 'function') queueMicrotask(() => callback(null));
    return true;
  }
  return stream.write(clearLineCode(dir), callback);
}

export function clearScreenDown(stream, callback) {
  if (stream === null || stream === undefined) {
    if (typeof callback === 'function') queueMicrotask(() => callback(null));
    return true;
  }
  return stream.write(kClearScreenDown, callback);
}
