// lib/internal__dgram_values.js: what `dgram` checks and throws, as Node's dgram does: system
// errors (`bind EADDRNOTAVAIL 1.1.1.1`, `send EMSGSIZE 127.0.0.1:41234`), the ERR_SOCKET_*
// errors, port and buffer argument rules, and which addresses the exec's virtual UDP network
// has (loopback and the wildcard addresses; nothing reaches the real network).
import {
  ArrayBufferIsView,
  ArrayIsArray,
  ErrorCtor,
  NumberCtor,
  RangeErrorCtor,
  RegExpPrototypeTest,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  StringPrototypeToLowerCase,
  StringPrototypeTrim,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { lazyBuiltinModule } from '../js/49_lazy.js';
import { isIP, isIPv4 } from './internal__net_values.js';
import { osConstants } from './internal__os_constants.js';

const BUFFER_TYPES = 'string or an instance of Buffer, TypedArray, or DataView';

/** Node's `ErrnoException` (`getsockname EBADF`). */
export function errnoError(code, syscall) {
  const err = new ErrorCtor(`${syscall} ${code}`);
  err.errno = -(osConstants.errno[code] ?? 0);
  err.code = code;
  err.syscall = syscall;
  return err;
}

/** Node's `ExceptionWithHostPort` (`bind EADDRINUSE 0.0.0.0:41234`; no port when it is 0). */
export function hostPortError(code, syscall, address, port) {
  const where = port ? `${address}:${port}` : address;
  const err = new ErrorCtor(`${syscall} ${code} ${where}`);
  err.errno = -(osConstants.errno[code] ?? 0);
  err.code = code;
  err.syscall = syscall;
  err.address = address;
  if (port) err.port = port;
  return err;
}

/** A destination the virtual network does not have (a real host, broadcast, multicast). */
export function unreachable(syscall, address, port) {
  return makeNodeError(
    ErrorCtor,
    'ERR_NOT_SUPPORTED_IN_SANDBOX',
    `dgram: ${syscall} to ${address}:${port} is not supported in the agentOS sandbox (UDP reaches only the exec's own sockets on loopback)`,
  );
}

export function socketError(code, message, Ctor = ErrorCtor) {
  return makeNodeError(Ctor, code, message);
}

export const notRunning = () => socketError('ERR_SOCKET_DGRAM_NOT_RUNNING', 'Not running');
export const isConnected = () => socketError('ERR_SOCKET_DGRAM_IS_CONNECTED', 'Already connected');
export const notConnected = () => socketError('ERR_SOCKET_DGRAM_NOT_CONNECTED', 'Not connected');

function specificType(value) {
  if (value === null || value === undefined) return `${value}`;
  if (typeof value === 'string') {
    const shown = value.length > 28 ? `${StringPrototypeSlice(value, 0, 25)}...` : value;
    return `type string ('${shown}')`;
  }
  if (typeof value === 'object') return `an instance of ${value.constructor?.name ?? 'Object'}`;
  if (typeof value === 'bigint') return `type bigint (${value}n)`;
  if (typeof value === 'symbol') return 'type symbol';
  if (typeof value === 'function') return `function ${value.name}`;
  return `type ${typeof value} (${value})`;
}

/** Node's `validatePort(port, name, allowZero)`: the port as a number. */
export function validatePort(port, allowZero, name = 'Port') {
  if (
    (typeof port !== 'number' && typeof port !== 'string') ||
    (typeof port === 'string' && StringPrototypeTrim(port).length === 0) ||
    +port !== +port >>> 0 ||
    port > 0xffff ||
    (+port === 0 && !allowZero)
  ) {
    throw socketError(
      'ERR_SOCKET_BAD_PORT',
      `${name} should be ${allowZero ? '>=' : '>'} 0 and < 65536. Received ${specificType(port)}.`,
      RangeErrorCtor,
    );
  }
  return +port | 0;
}

export function validateString(value, name) {
  if (typeof value !== 'string') throw makeInvalidArgType(name, 'string', value);
}

export function validateNumber(value, name) {
  if (typeof value !== 'number') throw makeInvalidArgType(name, 'number', value);
}

function bufferFrom(value, offset, length) {
  const { Buffer } = lazyBuiltinModule('buffer');
  if (typeof value === 'string') return Buffer.from(value);
  return Buffer.from(value.buffer, value.byteOffset + (offset ?? 0), length ?? value.byteLength);
}

/** `send`'s `(buffer, offset, length)`: the slice, or Node's errors. */
export function sliceBuffer(buffer, offset, length) {
  if (typeof buffer !== 'string' && !ArrayBufferIsView(buffer)) {
    throw makeInvalidArgType('buffer', BUFFER_TYPES, buffer);
  }
  const whole = typeof buffer === 'string' ? bufferFrom(buffer) : buffer;
  const start = offset >>> 0;
  const n = length >>> 0;
  const out = (name) =>
    socketError(
      'ERR_BUFFER_OUT_OF_BOUNDS',
      `"${name}" is outside of buffer bounds`,
      RangeErrorCtor,
    );
  if (start > whole.byteLength) throw out('offset');
  if (start + n > whole.byteLength) throw out('length');
  return bufferFrom(whole, start, n);
}

/** `send`'s message: a list of Buffers (views over the caller's memory), or Node's errors. */
export function messageList(buffer) {
  if (!ArrayIsArray(buffer)) {
    if (typeof buffer === 'string') return [bufferFrom(buffer)];
    if (!ArrayBufferIsView(buffer)) throw makeInvalidArgType('buffer', BUFFER_TYPES, buffer);
    return [bufferFrom(buffer)];
  }
  const list = [];
  for (let i = 0; i < buffer.length; i++) {
    const item = buffer[i];
    if (typeof item !== 'string' && !ArrayBufferIsView(item)) {
      throw makeInvalidArgType('buffer list arguments', BUFFER_TYPES, buffer);
    }
    list[i] = bufferFrom(item);
  }
  return list;
}

/** True for an address a socket of the exec may bind (loopback or a wildcard). */
export function isLocalAddress(ip) {
  const lower = StringPrototypeToLowerCase(ip);
  if (isIPv4(ip)) return ip === '0.0.0.0' || StringPrototypeStartsWith(ip, '127.');
  if (lower === '::' || lower === '::1' || lower === '::ffff:0.0.0.0') return true;
  return StringPrototypeStartsWith(lower, '::ffff:127.');
}

/** True for a multicast group address (224.0.0.0/4, ff00::/8). */
export function isMulticast(address) {
  if (isIPv4(address)) {
    const first = NumberCtor(
      StringPrototypeSlice(address, 0, StringPrototypeIndexOf(address, '.')),
    );
    return first >= 224 && first <= 239;
  }
  return isIP(address) === 6 && RegExpPrototypeTest(/^ff/i, address);
}

/** `createSocket`'s type (a string or `{ type }`), else ERR_SOCKET_BAD_TYPE. */
export function socketType(type) {
  if (type !== 'udp4' && type !== 'udp6') {
    throw socketError(
      'ERR_SOCKET_BAD_TYPE',
      'Bad socket type specified. Valid types are: udp4, udp6',
      TypeErrorCtor,
    );
  }
  return type;
}

/** `getRecvBufferSize`/`setSendBufferSize`'s size argument. */
export function validateBufferSize(size) {
  if (size >>> 0 !== size) {
    throw socketError(
      'ERR_SOCKET_BAD_BUFFER_SIZE',
      'Buffer size must be a positive integer',
      TypeErrorCtor,
    );
  }
}

/** ERR_SOCKET_BUFFER_SIZE for a socket that is not bound (a SystemError, as Node's). */
export function bufferSizeError(which) {
  const syscall = `uv_${which}_buffer_size`;
  const err = socketError(
    'ERR_SOCKET_BUFFER_SIZE',
    `Could not get or set buffer size: ${syscall} returned EBADF (bad file descriptor)`,
  );
  err.info = { errno: -9, code: 'EBADF', message: 'bad file descriptor', syscall };
  err.errno = -9;
  err.syscall = syscall;
  return err;
}
