// lib/internal__dns_resolver.js: Node's `dns.Resolver` (and the default one behind `dns.resolve*`):
// queries over UDP to the servers `setServers` named, with Node's answers and error codes. A
// server on the exec's virtual network (a loopback address where a guest has bound the UDP port)
// is asked with the guest's own `dgram`; any other goes through the sidecar (`netDnsQuery`) under
// the exec's network policy, scheme `dns`: a server no rule allows is ECONNREFUSED naming the
// rule, at once and without retries.
//
// Until servers are set, a resolver has none of its own (the host's resolvers are not the
// guest's to see: `getServers()` is empty): `resolve4`/`resolve6` then answer from the sidecar's
// resolver, as `dns.lookup` does, and the other record types ask the sidecar's name servers
// (`netDnsSystemQuery`) about a name the policy could allow, as `dns.lookup` screens it.
// A truncated answer is asked again over TCP (through the sidecar's connector: a guest's
// listener or a server the policy allows).

import { bridge } from 'agentos:bridge';
import {
  ArrayIsArray,
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSplice,
  ErrorCtor,
  FunctionPrototypeBind,
  FunctionPrototypeCall,
  MathFloor,
  MathMin,
  MathRandom,
  NumberParseInt,
  NumberPrototypeToString,
  PromiseCtor,
  ReflectApply,
  RegExpPrototypeExec,
  StringPrototypeSlice,
  StringPrototypeSplit,
  SymbolCtor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeInvalidArgValue, makeNodeError } from '../js/06_errors.js';
import { nextTick } from '../js/21_ticks.js';
import { clearTimeout, setTimeout } from '../js/24_timers.js';
import { netTrack } from '../js/29_net.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import { validateInt32 } from './internal__crypto_util.js';
import { resolveFamily } from './internal__dns_lookup.js';
import { BadMessage, decodeResponse, encodeQuery, TYPES } from './internal__dns_wire.js';
import { ipv6Words, isIP, isIPv4, isIPv6 } from './internal__net_values.js';

const IANA_DNS_PORT = 53;
const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_TRIES = 4;
const IPV6_BRACKETS = /^\[([^[\]]*)\]/;
const ADDRESS_PORT = /(^.+?)(?::(\d+))?$/;
const RCODES = ['', 'EFORMERR', 'ESERVFAIL', 'ENOTFOUND', 'ENOTIMP', 'EREFUSED'];
const kState = SymbolCtor('dns resolver state');
const netDnsQuery = bridge.netDnsQuery;
const netDnsSystemQuery = bridge.netDnsSystemQuery;
const netCancel = bridge.netCancel;
const netConsume = bridge.netConsume;
const udpIsVirtual = bridge.udpIsVirtual;

/** Node's dnsException for a query: `${syscall} ${code} ${hostname}`. */
function dnsError(code, syscall, hostname) {
  const err = new ErrorCtor(`${syscall} ${code}${hostname ? ` ${hostname}` : ''}`);
  err.errno = undefined;
  err.code = code;
  err.syscall = syscall;
  if (hostname) err.hostname = hostname;
  return err;
}

/** A query's error for its socket's `err`, saying why (a server off the exec's network, say). */
function socketError(err, syscall, hostname) {
  const out = dnsError(err.code || 'ECONNREFUSED', syscall, hostname);
  if (err.message) out.message += ` (${err.message})`;
  return out;
}

/** The servers of `setServers`, as [family, address, port], or throws as Node. */
function parseServers(servers) {
  if (!ArrayIsArray(servers)) throw makeInvalidArgType('servers', 'an instance of Array', servers);
  const out = [];
  for (let i = 0; i < servers.length; i++) {
    const serv = servers[i];
    if (typeof serv !== 'string') throw makeInvalidArgType(`servers[${i}]`, 'string', serv);
    ArrayPrototypePush(out, parseServer(serv));
  }
  return out;
}

function parseServer(serv) {
  const family = isIP(serv);
  if (family !== 0) return [family, serv, IANA_DNS_PORT];
  // `[v6]:port` or `v4:port`, as Node splits them (a bracketed address's port 0 is 53).
  const bracketed = RegExpPrototypeExec(IPV6_BRACKETS, serv);
  const split = RegExpPrototypeExec(ADDRESS_PORT, serv);
  const port = split !== null && split[2] !== undefined ? NumberParseInt(split[2]) : undefined;
  const address = bracketed !== null ? bracketed[1] : split !== null ? split[1] : '';
  const addressFamily = isIP(address);
  if (addressFamily !== 0) {
    if (bracketed !== null) return [addressFamily, address, port || IANA_DNS_PORT];
    return [addressFamily, address, port === undefined ? IANA_DNS_PORT : port];
  }
  throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_IP_ADDRESS', `Invalid IP address: ${serv}`);
}

function formatServer(server) {
  if (server[2] === IANA_DNS_PORT) return server[1];
  return server[0] === 6 ? `[${server[1]}]:${server[2]}` : `${server[1]}:${server[2]}`;
}

/** The answers of a response as `resolve*` returns them for `type`; null when there are none. */
function shape(answers, type, ttl) {
  const out = [];
  for (let i = 0; i < answers.length; i++) {
    const a = answers[i];
    if (type === 'ANY') {
      // Node reports a ttl for the address records only.
      if (a.type !== 'A' && a.type !== 'AAAA') delete a.ttl;
      ArrayPrototypePush(out, a);
      continue;
    }
    if (a.type !== type) continue;
    delete a.type;
    if (type === 'A' || type === 'AAAA') ArrayPrototypePush(out, ttl ? a : a.address);
    else if (type === 'CNAME' || type === 'NS' || type === 'PTR') ArrayPrototypePush(out, a.value);
    else if (type === 'TXT') ArrayPrototypePush(out, a.entries);
    else if (type === 'SOA') return a;
    else ArrayPrototypePush(out, a);
  }
  return out.length === 0 ? null : out;
}

/**
 * Registers a query of `state` that `cancel()` can end: returns `done(err, value)`, which calls
 * `callback` once (never after a cancel); a cancel calls `stop()` then `callback` (ECANCELLED).
 */
function track(state, syscall, hostname, callback, stop) {
  const pending = {
    cancel() {
      stop();
      done(dnsError('ECANCELLED', syscall, hostname));
    },
  };
  ArrayPrototypePush(state.pending, pending);
  function done(err, value) {
    const index = ArrayPrototypeIndexOf(state.pending, pending);
    if (index === -1) return;
    ArrayPrototypeSplice(state.pending, index, 1);
    if (err) callback(err);
    else callback(null, value);
  }
  return done;
}

/** One query: every try of every server in turn, until an answer, an error or a cancel. */
function query(resolver, hostname, type, ttl, syscall, callback) {
  const state = resolver[kState];
  const servers = state.servers;
  const id = MathFloor(MathRandom() * 0x10000);
  const message = encodeQuery(id, hostname, TYPES[type]);
  if (message === null) {
    nextTick(callback, dnsError('EBADNAME', syscall, hostname));
    return;
  }
  // No servers set: the sidecar's, one per try in turn (the guest never learns them).
  const rounds = servers.length === 0 ? 1 : servers.length;
  let attempt = 0;
  let channel = null;
  let timer = null;
  let wait = 0;
  let overTcp = false;
  const done = track(state, syscall, hostname, callback, () => finish());
  function finish(err, value) {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (channel !== null) channel.close();
    channel = null;
    if (err !== undefined) done(err, value);
  }
  function onMessage(bytes) {
    // As c-ares: a datagram is matched to its query by id before anything else is read, so
    // one for another query (or junk) is dropped and the query keeps waiting.
    if (bytes.length < 2 || bytes[0] !== id >> 8 || bytes[1] !== (id & 0xff)) return;
    // Truncated (TC): asked again over TCP, of the same server, as c-ares does.
    if (!overTcp && bytes.length > 2 && (bytes[2] & 0x02) !== 0) return retryOverTcp();
    let response;
    try {
      response = decodeResponse(bytes);
    } catch (e) {
      if (!(e instanceof BadMessage)) throw e;
      return finish(dnsError('EBADRESP', syscall, hostname));
    }
    if (response.rcode !== 0) {
      return finish(dnsError(RCODES[response.rcode] || 'ESERVFAIL', syscall, hostname));
    }
    const value = shape(response.answers, type, ttl);
    if (value === null) return finish(dnsError('ENODATA', syscall, hostname));
    finish(null, value);
  }
  function next() {
    if (channel !== null) channel.close();
    channel = null;
    if (attempt >= state.tries * rounds) {
      return finish(dnsError('ETIMEOUT', syscall, hostname));
    }
    // As c-ares: the wait doubles with each round of the servers, up to maxTimeout when set.
    wait = state.timeout * 2 ** MathFloor(attempt / rounds);
    if (state.maxTimeout > 0) wait = MathMin(wait, state.maxTimeout);
    overTcp = false;
    const server = servers[attempt % rounds];
    channel =
      server !== undefined && udpIsVirtual(server[1], server[2])
        ? virtualChannel(server, message, onMessage, onError)
        : sidecarChannel(server, attempt, message, false, onMessage, onError);
    attempt++;
    timer = setTimeout(next, wait);
  }
  function retryOverTcp() {
    channel.close();
    clearTimeout(timer);
    overTcp = true;
    const server = servers[(attempt - 1) % rounds];
    channel = sidecarChannel(server, attempt - 1, message, true, onMessage, onError);
    timer = setTimeout(next, wait);
  }
  function onError(err) {
    finish(socketError(err, syscall, hostname));
  }
  next();
}

/** One try over the guest's own `dgram` (a server on the exec's virtual network). */
function virtualChannel(server, message, onMessage, onError) {
  const socket = loadLazyBuiltin('dgram').createSocket(server[0] === 6 ? 'udp6' : 'udp4');
  socket.on('message', onMessage);
  socket.on('error', onError);
  socket.send(message, server[2], server[1]);
  return { close: () => socket.close() };
}

/**
 * One try through the sidecar: `netDnsQuery` over UDP to a server off the exec's network,
 * under its policy, or over TCP (`tcp`) to any, a virtual listener included; with no `server`,
 * `netDnsSystemQuery` to the sidecar's name server for try `attempt`.
 */
function sidecarChannel(server, attempt, message, tcp, onMessage, onError) {
  const id =
    server === undefined
      ? netDnsSystemQuery(attempt, message, tcp)
      : netDnsQuery(server[1], server[2], message, tcp);
  if (typeof id !== 'number') {
    nextTick(onError, id);
    return { close() {} };
  }
  let open = true;
  netTrack(id, (kind, value) => {
    if (kind === 'message') {
      netConsume(id, value[1].length > 0 ? value[1].length : 1);
      onMessage(value[1]);
    } else if (kind === 'done') {
      const wasOpen = open;
      open = false;
      if (wasOpen && value !== null) onError(value);
    }
  });
  return {
    close() {
      if (open) netCancel(id);
      open = false;
    },
  };
}

/** A `resolve*` method: Node's argument checks, then the query (or the sidecar's lookup). */
function resolveMethod(type, syscall) {
  const system = type === 'A' ? resolveFamily(4) : type === 'AAAA' ? resolveFamily(6) : null;
  // A method named as Node names it (`queryMx`), not a constructor: `new dns.resolveMx()` is a
  // TypeError, not a query.
  return {
    [syscall](name, options, callback) {
      if (arguments.length <= 2) {
        callback = options;
        options = undefined;
      }
      if (typeof name !== 'string') throw makeInvalidArgType('name', 'string', name);
      if (typeof callback !== 'function')
        throw makeInvalidArgType('callback', 'function', callback);
      const ttl = !!options?.ttl;
      const resolver = this instanceof Resolver ? this : defaultResolver;
      const state = resolver[kState];
      if (system !== null && state.servers.length === 0 && !ttl) {
        system(
          name,
          track(state, syscall, name, callback, () => {}),
        );
        return {};
      }
      query(resolver, name, type, ttl, syscall, callback);
      return {};
    },
  }[syscall];
}

function reverseName(ip) {
  if (isIPv4(ip)) {
    const parts = StringPrototypeSplit(ip, '.');
    return `${parts[3]}.${parts[2]}.${parts[1]}.${parts[0]}.in-addr.arpa`;
  }
  if (!isIPv6(ip)) return null;
  const groups = expandIPv6(ip);
  let name = '';
  for (let i = groups.length - 1; i >= 0; i--) name += `${groups[i]}.`;
  return `${name}ip6.arpa`;
}

/** The 32 hex digits of IPv6 address `ip` (already validated; an IPv4 tail included). */
function expandIPv6(ip) {
  const words = ipv6Words(ip);
  let digits = '';
  for (let i = 0; i < 8; i++) {
    digits += StringPrototypeSlice(`000${NumberPrototypeToString(words[i], 16)}`, -4);
  }
  return StringPrototypeSplit(digits, '');
}

/** Node's dns.Resolver (callback form). */
export class Resolver {
  constructor(options = undefined) {
    let timeout = -1;
    let tries = DEFAULT_TRIES;
    let maxTimeout = 0;
    if (options !== undefined && options !== null) {
      if (options.timeout !== undefined) {
        validateInt32(options.timeout, 'options.timeout', -1);
        timeout = options.timeout;
      }
      if (options.maxTimeout !== undefined) {
        validateInt32(options.maxTimeout, 'options.maxTimeout', 0);
        maxTimeout = options.maxTimeout;
      }
      if (options.tries !== undefined) {
        validateInt32(options.tries, 'options.tries', 1);
        tries = options.tries;
      }
    }
    this[kState] = {
      servers: [],
      pending: [],
      timeout: timeout === -1 ? DEFAULT_TIMEOUT_MS : timeout,
      maxTimeout,
      tries,
    };
  }

  cancel() {
    // A copy: each cancel takes its query out of the list.
    const pending = ArrayPrototypeSlice(this[kState].pending);
    for (let i = 0; i < pending.length; i++) pending[i].cancel();
  }

  getServers() {
    const out = [];
    const servers = this[kState].servers;
    for (let i = 0; i < servers.length; i++) ArrayPrototypePush(out, formatServer(servers[i]));
    return out;
  }

  setServers(servers) {
    const parsed = parseServers(servers);
    // As c-ares; the module's own setServers replaces its default resolver instead (Node's).
    if (this[kState].pending.length > 0 && this !== defaultResolver) {
      throw makeNodeError(
        ErrorCtor,
        'ERR_DNS_SET_SERVERS_FAILED',
        `c-ares failed to set servers: "There are pending queries." [${servers}]`,
      );
    }
    this[kState].servers = parsed;
  }

  // Validated as c-ares does; the queries' source address stays the sidecar's to choose.
  setLocalAddress(ipv4, ipv6) {
    if (typeof ipv4 !== 'string') throw makeInvalidArgType('ipv4', 'string', ipv4);
    if (typeof ipv6 !== 'string' && ipv6 !== undefined) {
      throw makeInvalidArgType('ipv6', ['String', 'undefined'], ipv6);
    }
    // As c-ares: one address of either family, or an IPv4 then an IPv6 one.
    const first = isIP(ipv4);
    if (first === 0 || (ipv6 !== undefined && (first !== 4 || !isIPv6(ipv6)))) {
      throw makeInvalidArgValue('ipv4', ipv4, 'is an invalid IP address');
    }
  }

  resolve(hostname, rrtype, callback) {
    let method;
    if (typeof rrtype === 'string') method = RESOLVE_BY_TYPE[rrtype];
    else if (typeof rrtype === 'function') {
      method = RESOLVE_BY_TYPE.A;
      callback = rrtype;
    } else throw makeInvalidArgType('rrtype', 'string', rrtype);
    if (typeof method !== 'function') throw makeInvalidArgValue('rrtype', rrtype);
    return FunctionPrototypeCall(method, this, hostname, callback);
  }

  reverse(ip, callback) {
    if (typeof ip !== 'string') throw makeInvalidArgType('ip', 'string', ip);
    if (typeof callback !== 'function') throw makeInvalidArgType('callback', 'function', callback);
    const name = reverseName(ip);
    if (name === null) throw dnsError('EINVAL', 'getHostByAddr', ip);
    query(this, name, 'PTR', false, 'getHostByAddr', (err, value) => {
      if (err) {
        err.message = `getHostByAddr ${err.code} ${ip}`;
        err.hostname = ip;
      }
      callback(err, value);
    });
    return {};
  }
}

const RESOLVE_BY_TYPE = { __proto__: null };
const METHODS = [
  ['resolveAny', 'ANY', 'queryAny'],
  ['resolve4', 'A', 'queryA'],
  ['resolve6', 'AAAA', 'queryAaaa'],
  ['resolveCaa', 'CAA', 'queryCaa'],
  ['resolveCname', 'CNAME', 'queryCname'],
  ['resolveMx', 'MX', 'queryMx'],
  ['resolveNs', 'NS', 'queryNs'],
  ['resolveTxt', 'TXT', 'queryTxt'],
  ['resolveSrv', 'SRV', 'querySrv'],
  ['resolvePtr', 'PTR', 'queryPtr'],
  ['resolveNaptr', 'NAPTR', 'queryNaptr'],
  ['resolveSoa', 'SOA', 'querySoa'],
];
for (let i = 0; i < METHODS.length; i++) {
  const row = METHODS[i];
  const method = resolveMethod(row[1], row[2]);
  Resolver.prototype[row[0]] = method;
  RESOLVE_BY_TYPE[row[1]] = method;
}

/** The resolver behind the module's own `resolve*`, `getServers` and `setServers`. */
export const defaultResolver = new Resolver();

/** A promise form of callback Resolver method `name`, with `this` a callback Resolver. */
function promiseMethod(name) {
  // A method, not a constructor (as each is in the callback Resolver).
  const methods = {
    [name](...args) {
      let settle;
      const promise = new PromiseCtor((resolve, reject) => {
        settle = (err, value) => (err ? reject(err) : resolve(value));
      });
      // Argument errors throw here, as Node's do, rather than rejecting.
      ArrayPrototypePush(args, settle);
      ReflectApply(Resolver.prototype[name], this[kState].callbacks, args);
      return promise;
    },
  };
  return methods[name];
}

/** Node's dns.promises.Resolver. */
export class PromiseResolver {
  constructor(options = undefined) {
    this[kState] = { callbacks: new Resolver(options) };
  }

  cancel() {
    this[kState].callbacks.cancel();
  }

  getServers() {
    return this[kState].callbacks.getServers();
  }

  setServers(servers) {
    this[kState].callbacks.setServers(servers);
  }

  setLocalAddress(ipv4, ipv6) {
    this[kState].callbacks.setLocalAddress(ipv4, ipv6);
  }
}
/** The query methods of both resolvers. */
const QUERY_METHODS = ['resolve', 'reverse'];
for (let i = 0; i < METHODS.length; i++) ArrayPrototypePush(QUERY_METHODS, METHODS[i][0]);
for (let i = 0; i < QUERY_METHODS.length; i++) {
  PromiseResolver.prototype[QUERY_METHODS[i]] = promiseMethod(QUERY_METHODS[i]);
}

/** A promise resolver sharing `callbacks`' servers (dns.promises' default). */
export function promiseResolverOf(callbacks) {
  const r = new PromiseResolver();
  r[kState].callbacks = callbacks;
  return r;
}

/**
 * Puts on module object `target` the methods of `prototype` bound to `resolver`, as Node's
 * bindDefaultResolver does: `getServers`, `setServers` and every query method.
 */
export function bindResolverMethods(target, prototype, resolver) {
  target.getServers = FunctionPrototypeBind(prototype.getServers, resolver);
  target.setServers = FunctionPrototypeBind(prototype.setServers, resolver);
  for (let i = 0; i < QUERY_METHODS.length; i++) {
    const name = QUERY_METHODS[i];
    target[name] = FunctionPrototypeBind(prototype[name], resolver);
  }
}
