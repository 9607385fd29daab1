// lib/internal__dns_lookup.js: `dns.lookup`, `dns.resolve4`/`resolve6`, `dns.lookupService` and
// their promise forms through the exec's network policy (natives `netLookup`,
// `netLookupService`): a name no rule could allow is never sent to a resolver, nor an address
// no rule lets the guest reach (loopback excepted), and the answer is the sidecar's (system
// resolver, `/etc/hosts`, `/etc/services`).
import { bridge } from 'agentos:bridge';
import {
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ErrorCtor,
  PromiseCtor,
  StringPrototypeIncludes,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeInvalidArgValue } from '../js/06_errors.js';
import { nextTick } from '../js/21_ticks.js';
import { netTrack } from '../js/29_net.js';
import { validatePort } from './internal__dgram_values.js';
import { isIP } from './internal__net_values.js';
import { missingArgs } from './internal__web_errors.js';

const netLookup = bridge.netLookup;
const netLookupService = bridge.netLookupService;

function familyOf(address) {
  return StringPrototypeIncludes(address, ':') ? 6 : 4;
}

function lookupError(failure, hostname, syscall) {
  const code = failure.code;
  const message =
    code === 'ENOTFOUND' ? `${syscall} ENOTFOUND ${hostname}` : `${syscall} ${failure.message}`;
  const err = new ErrorCtor(code === 'ENOTFOUND' ? message : failure.message);
  err.code = code;
  if (code === 'ENOTFOUND') err.errno = -3008;
  err.syscall = syscall;
  err.hostname = hostname;
  return err;
}

/** Resolves `hostname`; calls `done(err, [{ address, family }])`. */
function resolveAll(hostname, syscall, done) {
  const id = netLookup(`${hostname}`);
  if (typeof id !== 'number') {
    const err = lookupError(id, hostname, syscall);
    nextTick(() => done(err));
    return;
  }
  let found = null;
  netTrack(id, (kind, value) => {
    if (kind === 'resolved') {
      found = [];
      for (let i = 0; i < value.length; i++) {
        ArrayPrototypePush(found, { address: value[i], family: familyOf(value[i]) });
      }
    } else if (kind === 'done') {
      if (value !== null) done(lookupError(value, hostname, syscall));
      else if (found === null || found.length === 0) {
        done(lookupError({ code: 'ENOTFOUND' }, hostname, syscall));
      } else done(null, found);
    }
  });
}

const ORDERS = ['verbatim', 'ipv4first', 'ipv6first'];
// Node 22's default; `setDefaultResultOrder` sets it for `dns` and `dns/promises` alike.
let defaultOrder = 'verbatim';

function validateOrder(value, name) {
  if (ArrayPrototypeIndexOf(ORDERS, value) === -1) {
    throw makeInvalidArgValue(name, value, "must be one of: 'verbatim', 'ipv4first', 'ipv6first'");
  }
}

/** `dns.setDefaultResultOrder(order)`. */
export function setDefaultResultOrder(order) {
  validateOrder(order, 'dnsOrder');
  defaultOrder = order;
}

/** `dns.getDefaultResultOrder()`. */
export function getDefaultResultOrder() {
  return defaultOrder;
}

function lookupOptions(options) {
  if (typeof options === 'number') return { family: options, all: false, order: defaultOrder };
  if (options === undefined || options === null) {
    return { family: 0, all: false, order: defaultOrder };
  }
  const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
  let order = defaultOrder;
  if (options.order !== undefined && options.order !== null) {
    validateOrder(options.order, 'options.order');
    order = options.order;
  }
  if (options.verbatim !== undefined && options.verbatim !== null) {
    if (typeof options.verbatim !== 'boolean') {
      throw makeInvalidArgType('options.verbatim', 'boolean', options.verbatim);
    }
    order = options.verbatim ? 'verbatim' : 'ipv4first';
  }
  return { family: family || 0, all: options.all === true, order };
}

/** `list` in `order`: one family first (stably), or as the resolver gave it. */
function ordered(list, order) {
  if (order === 'verbatim') return list;
  const first = order === 'ipv4first' ? 4 : 6;
  const out = [];
  for (let i = 0; i < list.length; i++)
    if (list[i].family === first) ArrayPrototypePush(out, list[i]);
  for (let i = 0; i < list.length; i++)
    if (list[i].family !== first) ArrayPrototypePush(out, list[i]);
  return out;
}

/** `dns.lookup(hostname[, options], callback)`. */
export function lookup(hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  if (typeof callback !== 'function') throw makeInvalidArgType('callback', 'function', callback);
  if (typeof hostname !== 'string') throw makeInvalidArgType('hostname', 'string', hostname);
  const { family, all, order } = lookupOptions(options);
  const literal = isIP(hostname);
  if (literal !== 0) {
    // As Node: an address is its own answer, with no resolver (and no policy: it names nothing).
    if (all) nextTick(callback, null, [{ address: hostname, family: literal }]);
    else nextTick(callback, null, hostname, literal);
    return {};
  }
  resolveAll(hostname, 'getaddrinfo', (err, list) => {
    if (err) return callback(err);
    const matching = [];
    const sorted = ordered(list, order);
    for (let i = 0; i < sorted.length; i++) {
      if (family === 0 || sorted[i].family === family) ArrayPrototypePush(matching, sorted[i]);
    }
    if (matching.length === 0) {
      return callback(lookupError({ code: 'ENOTFOUND' }, hostname, 'getaddrinfo'));
    }
    if (all) callback(null, matching);
    else callback(null, matching[0].address, matching[0].family);
  });
  return {};
}

/** `dns.resolve4` / `dns.resolve6`: the addresses of one family. */
export function resolveFamily(family) {
  return function resolve(hostname, options, callback) {
    if (typeof options === 'function') callback = options;
    if (typeof callback !== 'function') throw makeInvalidArgType('callback', 'function', callback);
    const syscall = family === 4 ? 'queryA' : 'queryAaaa';
    resolveAll(hostname, syscall, (err, list) => {
      if (err) return callback(err);
      const out = [];
      for (let i = 0; i < list.length; i++) {
        if (list[i].family === family) ArrayPrototypePush(out, list[i].address);
      }
      if (out.length === 0) return callback(lookupError({ code: 'ENOTFOUND' }, hostname, syscall));
      callback(null, out);
    });
  };
}

/** The promise form of a callback-last function whose result is one value (or `lookup`'s). */
export function promised(fn, isLookup) {
  return (...args) =>
    new PromiseCtor((resolve, reject) => {
      fn(...args, (err, value, family) => {
        if (err) reject(err);
        else if (isLookup && family !== undefined) resolve({ address: value, family });
        else resolve(value);
      });
    });
}

function checkServiceArgs(address, port) {
  // As Node: no type check first (`lookupService(7, ...)` is an invalid value, not type).
  if (typeof address !== 'string' || isIP(address) === 0) {
    throw makeInvalidArgValue('address', address);
  }
  validatePort(port, true);
}

/** getnameinfo in the sidecar; calls `done(err, hostname, service)`. */
function nameInfo(address, port, done) {
  const id = netLookupService(address, port);
  if (typeof id !== 'number') {
    nextTick(done, lookupError(id, address, 'getnameinfo'));
    return;
  }
  let named = null;
  netTrack(id, (kind, value) => {
    if (kind === 'named') named = value;
    else if (kind === 'done') {
      if (value !== null) done(lookupError(value, address, 'getnameinfo'));
      else done(null, named[0], named[1]);
    }
  });
}

/** `dns.lookupService(address, port, callback)`. */
export function lookupService(address, port, callback) {
  if (arguments.length !== 3) throw missingArgs('address', 'port', 'callback');
  checkServiceArgs(address, port);
  if (typeof callback !== 'function') throw makeInvalidArgType('callback', 'function', callback);
  nameInfo(address, +port, callback);
  return {};
}

/** `dns.promises.lookupService(address, port)`: `{ hostname, service }`. */
export function lookupServicePromise(address, port) {
  if (arguments.length !== 2) throw missingArgs('address', 'port');
  checkServiceArgs(address, port);
  return new PromiseCtor((resolve, reject) => {
    nameInfo(address, +port, (err, hostname, service) => {
      if (err) reject(err);
      else resolve({ hostname, service });
    });
  });
}
