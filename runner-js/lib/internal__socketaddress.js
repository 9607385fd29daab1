// lib/internal__socketaddress.js: net.SocketAddress, and the IP arithmetic net.BlockList
// shares with it. Node keeps an address as a native sockaddr (libuv parses and prints it); here
// it is a list of 16-bit words (2 for IPv4, 8 for IPv6) parsed from a string net.isIP accepts,
// printed as libuv's inet_ntop prints it (so `::ffff:1.1.1.2` and `::0.0.0.2` keep their IPv4
// tail), and compared as Node compares: an IPv4 address equals its IPv4-mapped IPv6 form.

import {
  ArrayPrototypePush,
  ErrorCtor,
  NumberPrototypeToString,
  StringPrototypeEndsWith,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  StringPrototypeToLowerCase,
  SymbolCtor,
  SymbolFor,
} from '../js/00_primordials.js';
import { inspect } from '../js/04_inspect.js';
import { makeNodeError } from '../js/06_errors.js';
import { markCloneable } from './internal__cloneable.js';
import {
  invalidArgValue,
  validateObject,
  validateString,
  validateUint32,
} from './internal__crypto_util.js';
import { validatePort } from './internal__dgram_values.js';
import { ipv4Words, ipv6Words, isIPv4, isIPv6 } from './internal__net_values.js';
import { URL } from './internal__url.js';

const customInspect = SymbolFor('nodejs.util.inspect.custom');
const kIp = SymbolCtor('kIp');
const kDetail = SymbolCtor('kDetail');

/** The IP `text` of `family` ('ipv4' | 'ipv6') as `{ family, words }`, or null when invalid. */
export function parseIp(text, family) {
  if (family === 'ipv4') return isIPv4(text) ? { family, words: ipv4Words(text) } : null;
  return isIPv6(text) ? { family, words: ipv6Words(text) } : null;
}

function dotted(hi, lo) {
  return `${hi >>> 8}.${hi & 255}.${lo >>> 8}.${lo & 255}`;
}

/** The longest run (at least 2) of zero words, first of equals: libuv's inet_ntop6. */
function longestZeroRun(words) {
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      cur = cur.base === -1 ? { base: i, len: 1 } : { base: cur.base, len: cur.len + 1 };
      if (cur.len > best.len) best = cur;
    } else {
      cur = { base: -1, len: 0 };
    }
  }
  return best.len < 2 ? { base: -1, len: 0 } : best;
}

/** `ip` as libuv prints it. */
export function formatIp(ip) {
  const w = ip.words;
  if (ip.family === 'ipv4') return dotted(w[0], w[1]);
  const best = longestZeroRun(w);
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    const embedsIpv4 =
      best.base === 0 &&
      (best.len === 6 || (best.len === 7 && w[7] !== 1) || (best.len === 5 && w[5] === 0xffff));
    if (i === 6 && embedsIpv4) return out + dotted(w[6], w[7]);
    out += NumberPrototypeToString(w[i], 16);
  }
  return best.base !== -1 && best.base + best.len === 8 ? `${out}:` : out;
}

/** The IPv4 words of an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), else null. */
function mappedIpv4(words) {
  for (let i = 0; i < 5; i++) if (words[i] !== 0) return null;
  return words[5] === 0xffff ? [words[6], words[7]] : null;
}

function compareWords(a, b) {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/** -1, 0 or 1 as `a` is before, equal to or after `b`; null when not comparable. */
export function compareIp(a, b) {
  if (a.family === b.family) return compareWords(a.words, b.words);
  const mapped = mappedIpv4(a.family === 'ipv6' ? a.words : b.words);
  if (mapped === null) return null;
  return a.family === 'ipv6' ? compareWords(mapped, b.words) : compareWords(a.words, mapped);
}

function samePrefix(a, b, bits) {
  for (let i = 0; i < a.length && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((a[i] & mask) !== (b[i] & mask)) return false;
  }
  return true;
}

const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0xffff];

function asIpv6Words(ip) {
  if (ip.family === 'ipv6') return ip.words;
  const words = [];
  for (let i = 0; i < 6; i++) ArrayPrototypePush(words, MAPPED_PREFIX[i]);
  ArrayPrototypePush(words, ip.words[0]);
  ArrayPrototypePush(words, ip.words[1]);
  return words;
}

/**
 * Whether `ip` is in the network `net`/`prefix`, as Node: an IPv4 network holds the mapped IPv6
 * forms of its addresses (and no other IPv6 address); an IPv6 network holds an IPv4 address
 * whose mapped form it holds (any, for `::/0`).
 */
export function ipInNetwork(ip, net, prefix) {
  if (ip.family === net.family) return samePrefix(ip.words, net.words, prefix);
  if (net.family === 'ipv4') {
    const mapped = mappedIpv4(ip.words);
    return mapped !== null && samePrefix(mapped, net.words, prefix);
  }
  return prefix === 0 || samePrefix(asIpv6Words(ip), net.words, prefix);
}

function invalidAddress() {
  return makeNodeError(ErrorCtor, 'ERR_INVALID_ADDRESS', 'Invalid socket address');
}

/** Node's net.SocketAddress: an IP address (normalized), a port and an IPv6 flow label. */
export class SocketAddress {
  static isSocketAddress(value) {
    return value?.[kIp] !== undefined;
  }

  /** `'1.2.3.4:80'` or `'[::1]:80'` as a SocketAddress; undefined when it is not one. */
  static parse(input) {
    validateString(input, 'input');
    try {
      const { hostname, port } = new URL(`http://${input}`);
      if (StringPrototypeStartsWith(hostname, '[') && StringPrototypeEndsWith(hostname, ']')) {
        const address = StringPrototypeSlice(hostname, 1, -1);
        return new SocketAddress({ address, port: port | 0, family: 'ipv6' });
      }
      return new SocketAddress({ address: hostname, port: port | 0 });
    } catch {
      return undefined;
    }
  }

  constructor(options = {}) {
    validateObject(options, 'options');
    let { family = 'ipv4' } = options;
    const { address = family === 'ipv4' ? '127.0.0.1' : '::', port = 0, flowlabel = 0 } = options;
    if (typeof family === 'string') family = StringPrototypeToLowerCase(family);
    if (family !== 'ipv4' && family !== 'ipv6') {
      throw invalidArgValue('options.family', options.family);
    }
    validateString(address, 'options.address');
    const portNumber = validatePort(port, true, 'options.port');
    validateUint32(flowlabel, 'options.flowlabel', false);
    const ip = parseIp(address, family);
    if (ip === null) throw invalidAddress();
    this[kIp] = ip;
    this[kDetail] = { address: formatIp(ip), port: portNumber, flowlabel: flowlabel >>> 0 };
    markCloneable(this, cloneSocketAddress);
  }

  get address() {
    return this[kDetail].address;
  }

  get port() {
    return this[kDetail].port;
  }

  get family() {
    return this[kIp].family;
  }

  get flowlabel() {
    return this[kDetail].flowlabel;
  }

  toJSON() {
    return {
      address: this.address,
      port: this.port,
      family: this.family,
      flowlabel: this.flowlabel,
    };
  }

  [customInspect](depth, options) {
    if (depth < 0) return this;
    const opts = { ...options, depth: options.depth == null ? null : options.depth - 1 };
    return `SocketAddress ${inspect(this.toJSON(), opts)}`;
  }
}

function cloneSocketAddress(address) {
  return new SocketAddress(address.toJSON());
}

/** The parsed IP of SocketAddress `address`. */
export function ipOf(address) {
  return address[kIp];
}
