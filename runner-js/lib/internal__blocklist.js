// lib/internal__blocklist.js: net.BlockList, rules of addresses, ranges and subnets that
// net.connect, net servers and dgram sockets consult (their `blockList`, `sendBlockList` and
// `receiveBlockList` options). The rules live in a store a structured clone shares, as Node's
// native handle is shared: a BlockList posted through a MessagePort is the same list.

import {
  ArrayIsArray,
  ArrayPrototypePush,
  ArrayPrototypeUnshift,
  ErrorCtor,
  JSONParse,
  NumberParseInt,
  RegExpCtor,
  RegExpPrototypeExec,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  SymbolCtor,
  SymbolFor,
} from '../js/00_primordials.js';
import { inspect } from '../js/04_inspect.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { markCloneable } from './internal__cloneable.js';
import { invalidArgValue, validateInt32, validateString } from './internal__crypto_util.js';
import { isIP } from './internal__net_values.js';
import {
  compareIp,
  formatIp,
  ipInNetwork,
  ipOf,
  SocketAddress,
} from './internal__socketaddress.js';

const customInspect = SymbolFor('nodejs.util.inspect.custom');
const kStore = SymbolCtor('kStore');
const RULE = new RegExpCtor('^(Address|Range|Subnet): IPv(4|6) (.+)$');
const LABEL = { ipv4: 'IPv4', ipv6: 'IPv6' };

/** A SocketAddress for `value` (one already, or a string of `family`), validated as Node. */
function addressArg(value, name, family) {
  if (SocketAddress.isSocketAddress(value)) return value;
  validateString(value, name);
  validateString(family, 'family');
  return new SocketAddress({ address: value, family });
}

function matches(rule, ip) {
  if (rule.kind === 'Address') return compareIp(ip, rule.ip) === 0;
  if (rule.kind === 'Subnet') return ipInNetwork(ip, rule.ip, rule.prefix);
  const low = compareIp(ip, rule.ip);
  const high = compareIp(ip, rule.end);
  return low !== null && high !== null && low >= 0 && high <= 0;
}

function addRule(list, rule, text) {
  rule.text = `${rule.kind}: ${LABEL[rule.ip.family]} ${text}`;
  ArrayPrototypeUnshift(list[kStore].rules, rule);
}

/** The serialized rules of `data` (an array of strings, or its JSON), checked as Node. */
function serializedRules(data) {
  const rules = typeof data === 'string' ? JSONParse(data) : data;
  if (!ArrayIsArray(rules)) {
    throw makeInvalidArgType('data', 'one of type string or string[]', data);
  }
  for (let i = 0; i < rules.length; i++) {
    if (typeof rules[i] !== 'string') {
      throw makeInvalidArgType('data', 'one of type string or string[]', data);
    }
  }
  return rules;
}

function addSerialized(list, text) {
  const m = RegExpPrototypeExec(RULE, text);
  if (m === null) return;
  const family = `ipv${m[2]}`;
  const rest = m[3];
  const cut = StringPrototypeIndexOf(rest, m[1] === 'Range' ? '-' : '/');
  try {
    if (m[1] === 'Address') list.addAddress(rest, family);
    else if (cut === -1) return;
    else if (m[1] === 'Range') {
      list.addRange(
        StringPrototypeSlice(rest, 0, cut),
        StringPrototypeSlice(rest, cut + 1),
        family,
      );
    } else {
      const prefix = NumberParseInt(StringPrototypeSlice(rest, cut + 1), 10);
      list.addSubnet(StringPrototypeSlice(rest, 0, cut), prefix, family);
    }
  } catch {
    // Node ignores a rule it cannot read.
  }
}

export class BlockList {
  constructor() {
    this[kStore] = { rules: [] };
    markCloneable(this, cloneBlockList);
  }

  static isBlockList(value) {
    return value?.[kStore] !== undefined;
  }

  addAddress(address, family = 'ipv4') {
    const ip = ipOf(addressArg(address, 'address', family));
    addRule(this, { kind: 'Address', ip }, formatIp(ip));
  }

  addRange(start, end, family = 'ipv4') {
    const first = addressArg(start, 'start', family);
    const last = ipOf(addressArg(end, 'end', family));
    const ip = ipOf(first);
    if (compareIp(ip, last) === 1) {
      throw invalidArgValue('start', first, 'must come before end');
    }
    addRule(this, { kind: 'Range', ip, end: last }, `${formatIp(ip)}-${formatIp(last)}`);
  }

  addSubnet(network, prefix, family = 'ipv4') {
    const ip = ipOf(addressArg(network, 'network', family));
    validateInt32(prefix, 'prefix', 0, ip.family === 'ipv4' ? 32 : 128);
    addRule(this, { kind: 'Subnet', ip, prefix }, `${formatIp(ip)}/${prefix}`);
  }

  check(address, family = 'ipv4') {
    let target = address;
    if (!SocketAddress.isSocketAddress(target)) {
      validateString(address, 'address');
      validateString(family, 'family');
      try {
        target = new SocketAddress({ address, family });
      } catch {
        return false;
      }
    }
    const ip = ipOf(target);
    const rules = this[kStore].rules;
    for (let i = 0; i < rules.length; i++) if (matches(rules[i], ip)) return true;
    return false;
  }

  get rules() {
    const out = [];
    const rules = this[kStore].rules;
    for (let i = 0; i < rules.length; i++) ArrayPrototypePush(out, rules[i].text);
    return out;
  }

  toJSON() {
    return this.rules;
  }

  fromJSON(data) {
    if (!ArrayIsArray(data) && typeof data !== 'string') {
      throw makeInvalidArgType('data', 'one of type string or string[]', data);
    }
    const rules = serializedRules(data);
    for (let i = 0; i < rules.length; i++) addSerialized(this, rules[i]);
  }

  [customInspect](depth, options) {
    if (depth < 0) return this;
    const opts = { ...options, depth: options.depth == null ? null : options.depth - 1 };
    return `BlockList ${inspect({ rules: this.rules }, opts)}`;
  }
}

/** A structured clone of BlockList `list`: another over the same rules, as in Node. */
function cloneBlockList(list) {
  const clone = new BlockList();
  clone[kStore] = list[kStore];
  return clone;
}

/** Node's ERR_IP_BLOCKED for a connection or datagram to or from `ip`. */
export function ipBlocked(ip) {
  return makeNodeError(ErrorCtor, 'ERR_IP_BLOCKED', `IP(${ip}) is blocked by net.BlockList`);
}

/** Whether `blockList` (a BlockList or undefined) holds the address `ip`. */
export function isBlocked(blockList, ip) {
  const type = isIP(ip);
  return blockList !== undefined && type !== 0 && blockList.check(ip, `ipv${type}`);
}

/** `value` when it is a BlockList or undefined; else ERR_INVALID_ARG_TYPE naming `name`. */
export function validateBlockList(value, name) {
  if (value === undefined || BlockList.isBlockList(value)) return value;
  throw makeInvalidArgType(name, 'net.BlockList', value);
}
