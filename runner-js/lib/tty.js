// lib/tty.js: no file descriptor of a guest is a terminal (stdio are pipes to the host), so
// `isatty` is false for every fd and constructing a ReadStream/WriteStream fails as Node's does
// on a non-terminal fd (ERR_TTY_INIT_FAILED). The classes have Node's shape for `instanceof` and
// for packages that patch or subclass them.

import {
  bridgeWrite,
  ErrorCtor,
  FunctionPrototypeCall,
  ObjectSetPrototypeOf,
  RangeErrorCtor,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { Duplex } from './internal__stream_duplex.js';

export function isatty(fd) {
  // Every fd of a guest is a pipe or a file: never a terminal.
  return false;
}

function ttyInitFailed() {
  const err = makeNodeError(
    ErrorCtor,
    'ERR_TTY_INIT_FAILED',
    'TTY initialization failed: uv_tty_init returned EINVAL (invalid argument)',
  );
  err.errno = -22;
  err.syscall = 'uv_tty_init';
  return err;
}

export function ReadStream(fd, options) {
  if (!(this instanceof ReadStream)) return new ReadStream(fd, options);
  if (fd >> 0 !== fd || fd < 0)
    throw makeNodeError(RangeErrorCtor, 'ERR_INVALID_FD', `"fd" must be a positive integer: ${fd}`);
  throw ttyInitFailed();
}
ObjectSetPrototypeOf(ReadStream.prototype, Duplex.prototype);
ObjectSetPrototypeOf(ReadStream, Duplex);
ReadStream.prototype.isRaw = false;
ReadStream.prototype.isTTY = true;
ReadStream.prototype.setRawMode = function setRawMode(flag) {
  this.isRaw = !!flag;
  return this;
};

// Over fd 1 or 2 a WriteStream writes to the exec's stdout/stderr (as Node's does over a pipe);
// any other fd is not a stream the sandbox has.
export function WriteStream(fd) {
  if (!(this instanceof WriteStream)) return new WriteStream(fd);
  if (fd >> 0 !== fd || fd < 0)
    throw makeNodeError(RangeErrorCtor, 'ERR_INVALID_FD', `"fd" must be a positive integer: ${fd}`);
  if (fd !== 1 && fd !== 2) throw ttyInitFailed();
  FunctionPrototypeCall(Duplex, this, {
    allowHalfOpen: false,
    readable: false,
    write(chunk, encoding, cb) {
      bridgeWrite(fd, chunk);
      cb();
    },
  });
  this.fd = fd;
}
ObjectSetPrototypeOf(WriteStream.prototype, Duplex.prototype);
ObjectSetPrototypeOf(WriteStream, Duplex);
WriteStream.prototype.isTTY = true;
WriteStream.prototype.getColorDepth = function getColorDepth() {
  return 1;
};
WriteStream.prototype.hasColors = function hasColors() {
  return false;
};
WriteStream.prototype.getWindowSize = function getWindowSize() {
  return [80, 24];
};
WriteStream.prototype._refreshSize = function _refreshSize() {};
WriteStream.prototype.cursorTo = function cursorTo(x, y, cb) {
  return this.write(
    y === undefined || typeof y === 'function' ? `\x1b[${x + 1}G` : `\x1b[${y + 1};${x + 1}H`,
    typeof y === 'function' ? y : cb,
  );
};
WriteStream.prototype.moveCursor = function moveCursor(dx, dy, cb) {
  let s = '';
  if (dx < 0) s += `\x1b[${-dx}D`;
  else if (dx > 0) s += `\x1b[${dx}C`;
  if (dy < 0) s += `\x1b[${-dy}A`;
  else if (dy > 0) s += `\x1b[${dy}B`;
  return this.write(s, cb);
};
WriteStream.prototype.clearLine = function clearLine(dir, cb) {
  return this.write(dir < 0 ? '\x1b[1K' : dir > 0 ? '\x1b[0K' : '\x1b[2K', cb);
};
WriteStream.prototype.clearScreenDown = function clearScreenDown(cb) {
  return this.write('\x1b[0J', cb);
};

export const moduleExports = { isatty, ReadStream, WriteStream };
