// lib/internal__dns_lookup.js: `dns.lookup`, `dns.resolve4`/`resolve6` and their promise forms
// through the exec's network policy (native `netLookup`): a name no rule could allow is never
// sent to a resolver, and the answer is the sidecar's (system resolver, `/etc/hosts`).
import { bridge } from 'agentos:bridge';
import {
  ArrayPrototypePush,
  ErrorCtor,
  PromiseCtor,
  StringPrototypeIncludes,
} from '../js/00_primordials.js';
import { makeInvalidArgType } from '../js/06_errors.js';
import { nextTick } from '../js/21_ticks.js';
import { netTrack } from '../js/29_net.js';
import { isIP } from './internal__net_values.js';

const netLookup = bridge.netLookup;

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

function lookupOptions(options) {
  if (typeof options === 'number') return { family: options, all: false };
  if (options === undefined || options === null) return { family: 0, all: false };
  const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
  return { family: family || 0, all: options.all === true };
}

/** `dns.lookup(hostname[, options], callback)`. */
export function lookup(hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  if (typeof callback !== 'function') throw makeInvalidArgType('callback', 'Function', callback);
  if (typeof hostname !== 'string') throw makeInvalidArgType('hostname', 'string', hostname);
  const { family, all } = lookupOptions(options);
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
    for (let i = 0; i < list.length; i++) {
      if (family === 0 || list[i].family === family) ArrayPrototypePush(matching, list[i]);
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
    if (typeof callback !== 'function') throw makeInvalidArgType('callback', 'Function', callback);
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
