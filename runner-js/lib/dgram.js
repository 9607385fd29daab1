// lib/dgram.js: UDP sockets on the exec's virtual network (internal__dgram_socket.js has the
// socket and what it reaches). Here: `createSocket`, and the socket options as Node checks them.
// The kernel options (TTL, broadcast, multicast TTL and loopback, buffer sizes) are kept and
// read back as Linux would (a set buffer size reads back doubled); with no real socket under
// them they change nothing. Multicast membership is checked and accepted, but a datagram to a
// group address is not delivered (ERR_NOT_SUPPORTED_IN_SANDBOX, as any address off loopback).

import { StringPrototypeReplace, TypeErrorCtor } from '../js/00_primordials.js';
import { healthCheck, isBound, kState, Socket } from './internal__dgram_socket.js';
import {
  bufferSizeError,
  errnoError,
  isLocalAddress,
  isMulticast,
  socketError,
  validateBufferSize,
  validateNumber,
  validateString,
} from './internal__dgram_values.js';
import { isIP, isIPv4, isIPv6 } from './internal__net_values.js';
import { unsupportedFunction } from './internal__unsupported.js';

/** Linux's default socket buffer (net.core.rmem_default / wmem_default). */
const DEFAULT_BUFFER = 212992;

const proto = Socket.prototype;

function needBound(socket, syscall) {
  if (!isBound(socket)) throw errnoError('EBADF', syscall);
}

proto.setBroadcast = function (arg) {
  needBound(this, 'setBroadcast');
  this[kState].broadcast = !!arg;
};

proto.setTTL = function (ttl) {
  validateNumber(ttl, 'ttl');
  needBound(this, 'setTTL');
  if (!(ttl >= 1 && ttl <= 255)) throw errnoError('EINVAL', 'setTTL');
  this[kState].ttl = ttl;
  return ttl;
};

proto.setMulticastTTL = function (ttl) {
  validateNumber(ttl, 'ttl');
  needBound(this, 'setMulticastTTL');
  if (!(ttl >= 0 && ttl <= 255)) throw errnoError('EINVAL', 'setMulticastTTL');
  this[kState].multicastTTL = ttl;
  return ttl;
};

proto.setMulticastLoopback = function (arg) {
  needBound(this, 'setMulticastLoopback');
  this[kState].multicastLoopback = !!arg;
  return arg;
};

proto.setMulticastInterface = function (interfaceAddress) {
  healthCheck(this);
  validateString(interfaceAddress, 'interfaceAddress');
  needBound(this, 'setMulticastInterface');
  if (this.type === 'udp4') {
    if (!isIPv4(interfaceAddress)) throw errnoError('EINVAL', 'setMulticastInterface');
    // An interface of this host: only loopback and "any" exist here.
    if (!isLocalAddress(interfaceAddress)) {
      throw errnoError('EADDRNOTAVAIL', 'setMulticastInterface');
    }
  } else if (!isIPv6(StringPrototypeReplace(interfaceAddress, /%.*$/, ''))) {
    throw errnoError('EINVAL', 'setMulticastInterface');
  }
};

// The old name with the old argument order, each checked.
proto.sendto = function (buffer, offset, length, port, address, callback) {
  validateNumber(offset, 'offset');
  validateNumber(length, 'length');
  validateNumber(port, 'port');
  validateString(address, 'address');
  this.send(buffer, offset, length, port, address, callback);
};

function membership(socket, syscall, multicastAddress, interfaceAddress) {
  healthCheck(socket);
  if (!multicastAddress) {
    throw socketError(
      'ERR_MISSING_ARGS',
      'The "multicastAddress" argument must be specified',
      TypeErrorCtor,
    );
  }
  validateString(multicastAddress, 'multicastAddress');
  if (!isMulticast(multicastAddress)) throw errnoError('EINVAL', syscall);
  checkInterface(syscall, interfaceAddress);
}

// The optional interface of a membership call: an IP address, else EINVAL as the kernel says.
function checkInterface(syscall, interfaceAddress) {
  if (interfaceAddress !== undefined && isIP(`${interfaceAddress}`) === 0) {
    throw errnoError('EINVAL', syscall);
  }
}

proto.addMembership = function (multicastAddress, interfaceAddress) {
  membership(this, 'addMembership', multicastAddress, interfaceAddress);
};

proto.dropMembership = function (multicastAddress, interfaceAddress) {
  membership(this, 'dropMembership', multicastAddress, interfaceAddress);
};

function sourceMembership(socket, syscall, sourceAddress, groupAddress, interfaceAddress) {
  healthCheck(socket);
  validateString(sourceAddress, 'sourceAddress');
  validateString(groupAddress, 'groupAddress');
  if (isIP(sourceAddress) === 0 || !isMulticast(groupAddress)) throw errnoError('EINVAL', syscall);
  checkInterface(syscall, interfaceAddress);
}

proto.addSourceSpecificMembership = function (source, group, iface) {
  sourceMembership(this, 'addSourceSpecificMembership', source, group, iface);
};

proto.dropSourceSpecificMembership = function (source, group, iface) {
  sourceMembership(this, 'dropSourceSpecificMembership', source, group, iface);
};

function bufferSize(socket, which, size) {
  if (size !== undefined) validateBufferSize(size);
  if (!isBound(socket)) throw bufferSizeError(which);
  const key = which === 'recv' ? 'recvBufferSize' : 'sendBufferSize';
  if (size !== undefined) socket[kState][key] = size;
  const set = socket[kState][key];
  return set ? set * 2 : DEFAULT_BUFFER;
}

proto.getRecvBufferSize = function () {
  return bufferSize(this, 'recv');
};

proto.setRecvBufferSize = function (size) {
  bufferSize(this, 'recv', size);
};

proto.getSendBufferSize = function () {
  return bufferSize(this, 'send');
};

proto.setSendBufferSize = function (size) {
  bufferSize(this, 'send', size);
};

// Nothing waits in a send queue: a datagram leaves (or is dropped) when `send` runs.
proto.getSendQueueSize = function () {
  return 0;
};

proto.getSendQueueCount = function () {
  return 0;
};

/** `dgram.createSocket(type | options[, listener])`. */
export function createSocket(type, listener) {
  return new Socket(type, listener);
}

export const moduleExports = {
  createSocket,
  Socket,
  _createSocketHandle: unsupportedFunction('dgram', '_createSocketHandle'),
};
