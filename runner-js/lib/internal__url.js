// lib/internal__url.js: WHATWG `URL` and `URLSearchParams` as Node 20 has them. Parsing,
// serialising and the setters are servo's `url` crate (engine/src/bridge/url.rs: the URL
// Standard's API); URLSearchParams (application/x-www-form-urlencoded) is here.

import { bridge } from 'agentos:bridge';
import {
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSort,
  ArrayPrototypeSplice,
  bridgeUtf8Decode,
  bridgeUtf8Encode,
  MapCtor,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ObjectSetPrototypeOf,
  ReflectApply,
  ReflectOwnKeys,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  SymbolFor,
  SymbolToStringTag,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetLength,
  TypeErrorCtor,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { webPrimordials } from '../js/09_web_primordials.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import {
  argNotIterable,
  invalidArgType,
  invalidThis,
  invalidTuple,
  invalidUrl,
  missingArgs,
  validateFunction,
} from './internal__web_errors.js';

const { MathRandom, NumberPrototypeToString, SymbolIterator } = webPrimordials;
const StringPrototypeToWellFormed =
  webPrimordials.StringPrototypeToWellFormed ??
  ((s) => bridgeUtf8Decode(bridgeUtf8Encode(s), false));

const nativeParse = bridge.urlParse;
// Blobs (and the Buffer code under them) load only for object URLs: `new URL` is common, those
// are not.
const blobModule = () => loadLazyBuiltin('internal/blob');
const nativeSet = bridge.urlSet;
const nativeDomain = bridge.urlDomain;
const customInspectSymbol = SymbolFor('nodejs.util.inspect.custom');

// Indices of the parts array the natives return.
const HREF = 0;
const ORIGIN = 1;
const PROTOCOL = 2;
const USERNAME = 3;
const PASSWORD = 4;
const HOST = 5;
const HOSTNAME = 6;
const PORT = 7;
const PATHNAME = 8;
const SEARCH = 9;
const HASH = 10;
// Setter ids, as urlSet takes them.
const SET_HREF = 0;
const SET_PROTOCOL = 1;
const SET_USERNAME = 2;
const SET_PASSWORD = 3;
const SET_HOST = 4;
const SET_HOSTNAME = 5;
const SET_PORT = 6;
const SET_PATHNAME = 7;
const SET_SEARCH = 8;
const SET_HASH = 9;

// ---- application/x-www-form-urlencoded ----

function hexValue(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Percent-decodes `s` (with `+` as space when `plus`), then decodes the bytes as UTF-8. */
export function formDecode(s, plus) {
  let simple = true;
  for (let i = 0; i < s.length; i++) {
    const c = StringPrototypeCharCodeAt(s, i);
    if (c === 37 || (plus && c === 43)) {
      simple = false;
      break;
    }
  }
  if (simple) return s;
  const bytes = bridgeUtf8Encode(s);
  const len = TypedArrayPrototypeGetLength(bytes);
  const out = new Uint8ArrayCtor(len);
  let n = 0;
  for (let i = 0; i < len; i++) {
    const b = bytes[i];
    if (b === 43 && plus) {
      out[n++] = 32;
    } else if (b === 37 && i + 2 < len) {
      const hi = hexValue(bytes[i + 1]);
      const lo = hexValue(bytes[i + 2]);
      if (hi !== -1 && lo !== -1) {
        out[n++] = hi * 16 + lo;
        i += 2;
      } else {
        out[n++] = b;
      }
    } else {
      out[n++] = b;
    }
  }
  return bridgeUtf8Decode(new Uint8ArrayCtor(TypedArrayPrototypeGetBuffer(out), 0, n), false);
}

/**
 * The name/value list of a query string; a leading `?` is skipped for the constructor's input,
 * not for a URL's query (already without its `?`, so a second one is data: `??a` -> `?a`).
 */
function parseParams(qs, skipQuestionMark = true) {
  const out = [];
  let start = skipQuestionMark && StringPrototypeCharCodeAt(qs, 0) === 63 ? 1 : 0;
  const len = qs.length;
  while (start <= len) {
    let end = start;
    while (end < len && StringPrototypeCharCodeAt(qs, end) !== 38) end++;
    if (end > start) {
      const part = StringPrototypeSlice(qs, start, end);
      let eq = -1;
      for (let i = 0; i < part.length; i++) {
        if (StringPrototypeCharCodeAt(part, i) === 61) {
          eq = i;
          break;
        }
      }
      const name = eq === -1 ? part : StringPrototypeSlice(part, 0, eq);
      const value = eq === -1 ? '' : StringPrototypeSlice(part, eq + 1);
      ArrayPrototypePush(out, formDecode(name, true), formDecode(value, true));
    }
    start = end + 1;
  }
  return out;
}

const HEX_UPPER = '0123456789ABCDEF';

function percentByte(b) {
  return `%${HEX_UPPER[b >> 4]}${HEX_UPPER[b & 15]}`;
}

/** The form-urlencoded serialisation of one name or value (already well formed). */
export function formEncode(s) {
  let out = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = StringPrototypeCharCodeAt(s, i);
    const safe =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0x2a ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x5f;
    if (safe) continue;
    if (i > start) out += StringPrototypeSlice(s, start, i);
    if (c === 0x20) {
      out += '+';
    } else if (c < 0x80) {
      out += percentByte(c);
    } else {
      let cp = c;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = StringPrototypeCharCodeAt(s, i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
        }
      }
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
      if (cp < 0x800) {
        out += percentByte(0xc0 | (cp >> 6)) + percentByte(0x80 | (cp & 63));
      } else if (cp < 0x10000) {
        out +=
          percentByte(0xe0 | (cp >> 12)) +
          percentByte(0x80 | ((cp >> 6) & 63)) +
          percentByte(0x80 | (cp & 63));
      } else {
        out +=
          percentByte(0xf0 | (cp >> 18)) +
          percentByte(0x80 | ((cp >> 12) & 63)) +
          percentByte(0x80 | ((cp >> 6) & 63)) +
          percentByte(0x80 | (cp & 63));
      }
    }
    start = i + 1;
  }
  if (start === 0) return s;
  return start < s.length ? out + StringPrototypeSlice(s, start) : out;
}

function serializeParams(list) {
  const len = list.length;
  if (len === 0) return '';
  let out = `${formEncode(list[0])}=${formEncode(list[1])}`;
  for (let i = 2; i < len; i += 2) out += `&${formEncode(list[i])}=${formEncode(list[i + 1])}`;
  return out;
}

// ---- URLSearchParams ----

let setSearchFromParams; // (url, serialized): set by URL's static block

function toUSV(value) {
  return StringPrototypeToWellFormed(`${value}`);
}

function sortPairs(list) {
  const pairs = [];
  for (let i = 0; i < list.length; i += 2) ArrayPrototypePush(pairs, [list[i], list[i + 1]]);
  // Stable, by UTF-16 code units of the names (V8's sort is stable).
  ArrayPrototypeSort(pairs, (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out = [];
  for (let i = 0; i < pairs.length; i++) ArrayPrototypePush(out, pairs[i][0], pairs[i][1]);
  return out;
}

export class URLSearchParams {
  #list = [];
  #url = null;

  constructor(init = undefined) {
    if (init == null) {
      // nothing
    } else if (typeof init === 'object' || typeof init === 'function') {
      const method = init[SymbolIterator];
      if (method === this[SymbolIterator] && #list in init) {
        this.#list = ArrayPrototypeSlice(init.#list);
      } else if (method != null) {
        if (typeof method !== 'function') throw argNotIterable('Query pairs');
        const pairs = webPrimordials.iterateToList(init);
        for (let i = 0; i < pairs.length; i++) {
          const pair = pairs[i];
          if (
            pair == null ||
            (typeof pair !== 'object' && typeof pair !== 'function') ||
            typeof pair[SymbolIterator] !== 'function'
          ) {
            throw invalidTuple('Each query pair', '[name, value]');
          }
          const items = webPrimordials.iterateToList(pair);
          if (items.length !== 2) throw invalidTuple('Each query pair', '[name, value]');
          ArrayPrototypePush(this.#list, toUSV(items[0]), toUSV(items[1]));
        }
      } else {
        const visited = new MapCtor();
        const keys = ReflectOwnKeys(init);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          const desc = ObjectGetOwnPropertyDescriptor(init, key);
          if (desc?.enumerable) {
            const typedKey = StringPrototypeToWellFormed(key);
            const typedValue = toUSV(init[key]);
            if (MapPrototypeHas(visited, typedKey)) {
              this.#list[MapPrototypeGet(visited, typedKey)] = typedValue;
            } else {
              MapPrototypeSet(
                visited,
                typedKey,
                ArrayPrototypePush(this.#list, typedKey, typedValue) - 1,
              );
            }
          }
        }
      }
    } else {
      const text = toUSV(init);
      this.#list = text ? parseParams(text) : [];
    }
  }

  static #check(self) {
    if (typeof self !== 'object' || self === null || !(#list in self)) {
      throw invalidThis('URLSearchParams');
    }
  }

  /** Internal: the list, for URL and inspect. */
  static listOf(self) {
    return self.#list;
  }

  /** Internal: a URL's params, tied to it. */
  static forUrl(url, search) {
    const params = new URLSearchParams();
    params.#list = search ? parseParams(search, false) : [];
    params.#url = url;
    return params;
  }

  /** Internal: the URL's query changed; take its new pairs. */
  static reset(params, search) {
    params.#list = search ? parseParams(search, false) : [];
  }

  #update() {
    if (this.#url === null) return;
    setSearchFromParams(this.#url, serializeParams(this.#list));
  }

  get size() {
    URLSearchParams.#check(this);
    return this.#list.length / 2;
  }

  append(name, value) {
    URLSearchParams.#check(this);
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length < 2) throw missingArgs('name', 'value');
    ArrayPrototypePush(this.#list, toUSV(name), toUSV(value));
    this.#update();
  }

  delete(name, value = undefined) {
    URLSearchParams.#check(this);
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length < 1) throw missingArgs('name');
    const list = this.#list;
    name = toUSV(name);
    if (value !== undefined) {
      value = toUSV(value);
      for (let i = 0; i < list.length; ) {
        if (list[i] === name && list[i + 1] === value) ArrayPrototypeSplice(list, i, 2);
        else i += 2;
      }
    } else {
      for (let i = 0; i < list.length; ) {
        if (list[i] === name) ArrayPrototypeSplice(list, i, 2);
        else i += 2;
      }
    }
    this.#update();
  }

  get(name) {
    URLSearchParams.#check(this);
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length < 1) throw missingArgs('name');
    const list = this.#list;
    name = toUSV(name);
    for (let i = 0; i < list.length; i += 2) if (list[i] === name) return list[i + 1];
    return null;
  }

  getAll(name) {
    URLSearchParams.#check(this);
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length < 1) throw missingArgs('name');
    const list = this.#list;
    const values = [];
    name = toUSV(name);
    for (let i = 0; i < list.length; i += 2)
      if (list[i] === name) ArrayPrototypePush(values, list[i + 1]);
    return values;
  }

  has(name, value = undefined) {
    URLSearchParams.#check(this);
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length < 1) throw missingArgs('name');
    const list = this.#list;
    name = toUSV(name);
    if (value !== undefined) value = toUSV(value);
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === name && (value === undefined || list[i + 1] === value)) return true;
    }
    return false;
  }

  set(name, value) {
    URLSearchParams.#check(this);
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length < 2) throw missingArgs('name', 'value');
    const list = this.#list;
    name = toUSV(name);
    value = toUSV(value);
    let found = false;
    for (let i = 0; i < list.length; ) {
      if (list[i] === name) {
        if (!found) {
          list[i + 1] = value;
          found = true;
          i += 2;
        } else {
          ArrayPrototypeSplice(list, i, 2);
        }
      } else {
        i += 2;
      }
    }
    if (!found) ArrayPrototypePush(list, name, value);
    this.#update();
  }

  sort() {
    URLSearchParams.#check(this);
    this.#list = sortPairs(this.#list);
    this.#update();
  }

  entries() {
    URLSearchParams.#check(this);
    return new URLSearchParamsIterator(this, 'key+value');
  }

  forEach(callback, thisArg = undefined) {
    URLSearchParams.#check(this);
    validateFunction(callback, 'callback');
    let list = this.#list;
    let i = 0;
    while (i < list.length) {
      const key = list[i];
      const value = list[i + 1];
      ReflectApply(callback, thisArg, [value, key, this]);
      list = this.#list;
      i += 2;
    }
  }

  keys() {
    URLSearchParams.#check(this);
    return new URLSearchParamsIterator(this, 'key');
  }

  values() {
    URLSearchParams.#check(this);
    return new URLSearchParamsIterator(this, 'value');
  }

  toString() {
    URLSearchParams.#check(this);
    return serializeParams(this.#list);
  }

  [customInspectSymbol](recurseTimes, ctx, inspect) {
    URLSearchParams.#check(this);
    if (typeof recurseTimes === 'number' && recurseTimes < 0)
      return ctx.stylize('[Object]', 'special');
    const innerOpts = { __proto__: null, ...ctx };
    if (recurseTimes !== null) innerOpts.depth = recurseTimes - 1;
    const list = this.#list;
    const output = [];
    let length = -2;
    for (let i = 0; i < list.length; i += 2) {
      const item = `${inspect(list[i], innerOpts)} => ${inspect(list[i + 1], innerOpts)}`;
      ArrayPrototypePush(output, item);
      length += item.length + 2;
    }
    let name = 'URLSearchParams';
    try {
      name = this.constructor.name;
    } catch {}
    if (length > ctx.breakLength) return `${name} {\n  ${ArrayPrototypeJoin(output, ',\n  ')} }`;
    if (output.length) return `${name} { ${ArrayPrototypeJoin(output, ', ')} }`;
    return `${name} {}`;
  }
}

ObjectDefineProperty(URLSearchParams.prototype, SymbolIterator, {
  __proto__: null,
  configurable: true,
  writable: true,
  value: URLSearchParams.prototype.entries,
});
ObjectDefineProperty(URLSearchParams.prototype, SymbolToStringTag, {
  __proto__: null,
  configurable: true,
  value: 'URLSearchParams',
});
const listOf = URLSearchParams.listOf;
const paramsForUrl = URLSearchParams.forUrl;
const resetParams = URLSearchParams.reset;
delete URLSearchParams.listOf;
delete URLSearchParams.forUrl;
delete URLSearchParams.reset;
{
  const names = [
    'size',
    'append',
    'delete',
    'get',
    'getAll',
    'has',
    'set',
    'sort',
    'entries',
    'forEach',
    'keys',
    'values',
    'toString',
  ];
  for (let i = 0; i < names.length; i++) {
    ObjectDefineProperty(URLSearchParams.prototype, names[i], {
      __proto__: null,
      enumerable: true,
    });
  }
}

const IteratorPrototype = ObjectGetPrototypeOf(ObjectGetPrototypeOf([][SymbolIterator]()));

class URLSearchParamsIterator {
  #target;
  #kind;
  #index = 0;

  constructor(target, kind) {
    this.#target = target;
    this.#kind = kind;
  }

  next() {
    if (typeof this !== 'object' || this === null || !(#target in this)) {
      throw invalidThis('URLSearchParamsIterator');
    }
    const list = listOf(this.#target);
    const index = this.#index;
    if (index >= list.length) return { value: undefined, done: true };
    const name = list[index];
    const value = list[index + 1];
    this.#index = index + 2;
    let result;
    if (this.#kind === 'key') result = name;
    else if (this.#kind === 'value') result = value;
    else result = [name, value];
    return { value: result, done: false };
  }

  [customInspectSymbol](recurseTimes, ctx, inspect) {
    if (typeof this !== 'object' || this === null || !(#target in this)) {
      throw invalidThis('URLSearchParamsIterator');
    }
    if (typeof recurseTimes === 'number' && recurseTimes < 0)
      return ctx.stylize('[Object]', 'special');
    const innerOpts = { __proto__: null, ...ctx };
    if (recurseTimes !== null) innerOpts.depth = recurseTimes - 1;
    const list = listOf(this.#target);
    const output = [];
    for (let i = this.#index; i < list.length; i += 2) {
      if (this.#kind === 'key') ArrayPrototypePush(output, list[i]);
      else if (this.#kind === 'value') ArrayPrototypePush(output, list[i + 1]);
      else ArrayPrototypePush(output, [list[i], list[i + 1]]);
    }
    const strs = [];
    let breakLn = false;
    for (let i = 0; i < output.length; i++) {
      const s = inspect(output[i], innerOpts);
      if (webPrimordials.RegExpPrototypeTest(/\n/, s)) breakLn = true;
      ArrayPrototypePush(strs, s);
    }
    const body = breakLn
      ? `\n  ${ArrayPrototypeJoin(strs, ',\n  ')}`
      : ` ${ArrayPrototypeJoin(strs, ', ')}`;
    return `URLSearchParams Iterator {${body} }`;
  }
}
ObjectSetPrototypeOf(URLSearchParamsIterator.prototype, IteratorPrototype);
ObjectDefineProperty(URLSearchParamsIterator.prototype, SymbolToStringTag, {
  __proto__: null,
  configurable: true,
  value: 'URLSearchParams Iterator',
});
ObjectDefineProperty(URLSearchParamsIterator.prototype, 'next', {
  __proto__: null,
  enumerable: true,
});

// ---- URL ----

function parse(input, base) {
  return base === undefined ? nativeParse(input) : nativeParse(input, base);
}

let _objectUrlCounter = 0;

function randomUuid() {
  let hex = '';
  for (let i = 0; i < 32; i++) {
    let digit = webPrimordials.MathTrunc(MathRandom() * 16);
    if (i === 12) digit = 4;
    else if (i === 16) digit = (digit & 3) | 8;
    hex += NumberPrototypeToString(digit, 16);
  }
  _objectUrlCounter++;
  return `${StringPrototypeSlice(hex, 0, 8)}-${StringPrototypeSlice(hex, 8, 12)}-${StringPrototypeSlice(hex, 12, 16)}-${StringPrototypeSlice(hex, 16, 20)}-${StringPrototypeSlice(hex, 20)}`;
}

export class URL {
  #parts;
  #params = null;

  constructor(input, base = undefined) {
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length === 0) throw missingArgs('url');
    input = `${input}`;
    if (base !== undefined) base = `${base}`;
    const parts = parse(input, base);
    if (parts === undefined) throw invalidUrl(input, base);
    this.#parts = parts;
  }

  static {
    setSearchFromParams = (url, serialized) => {
      const parts = nativeSet(url.#parts[HREF], SET_SEARCH, serialized);
      if (parts !== undefined) url.#parts = parts;
    };
  }

  static #check(self) {
    // What V8 says for a private field of another class (Node 20 reads `this.#context`).
    if (typeof self !== 'object' || self === null || !(#parts in self)) {
      throw new TypeErrorCtor('Receiver must be an instance of class URL');
    }
  }

  #set(which, value) {
    const parts = nativeSet(this.#parts[HREF], which, `${value}`);
    if (parts === undefined) return false;
    this.#parts = parts;
    if (this.#params !== null) {
      const search = parts[SEARCH];
      resetParams(this.#params, search === '' ? '' : StringPrototypeSlice(search, 1));
    }
    return true;
  }

  [customInspectSymbol](depth, opts, inspect) {
    if (typeof depth === 'number' && depth < 0) return this;
    let constructor = URL;
    try {
      const proto = ObjectGetPrototypeOf(this);
      if (proto && typeof proto.constructor === 'function') constructor = proto.constructor;
    } catch {}
    const obj = { __proto__: { constructor } };
    obj.href = this.href;
    obj.origin = this.origin;
    obj.protocol = this.protocol;
    obj.username = this.username;
    obj.password = this.password;
    obj.host = this.host;
    obj.hostname = this.hostname;
    obj.port = this.port;
    obj.pathname = this.pathname;
    obj.search = this.search;
    obj.searchParams = this.searchParams;
    obj.hash = this.hash;
    return `${constructor.name} ${inspect(obj, opts)}`;
  }

  toString() {
    URL.#check(this);
    return this.#parts[HREF];
  }

  get href() {
    URL.#check(this);
    return this.#parts[HREF];
  }

  set href(value) {
    URL.#check(this);
    value = `${value}`;
    if (!this.#set(SET_HREF, value)) throw invalidUrl(value);
  }

  get origin() {
    URL.#check(this);
    return this.#parts[ORIGIN];
  }

  get protocol() {
    URL.#check(this);
    return this.#parts[PROTOCOL];
  }

  set protocol(value) {
    URL.#check(this);
    this.#set(SET_PROTOCOL, value);
  }

  get username() {
    URL.#check(this);
    return this.#parts[USERNAME];
  }

  set username(value) {
    URL.#check(this);
    this.#set(SET_USERNAME, value);
  }

  get password() {
    URL.#check(this);
    return this.#parts[PASSWORD];
  }

  set password(value) {
    URL.#check(this);
    this.#set(SET_PASSWORD, value);
  }

  get host() {
    URL.#check(this);
    return this.#parts[HOST];
  }

  set host(value) {
    URL.#check(this);
    this.#set(SET_HOST, value);
  }

  get hostname() {
    URL.#check(this);
    return this.#parts[HOSTNAME];
  }

  set hostname(value) {
    URL.#check(this);
    this.#set(SET_HOSTNAME, value);
  }

  get port() {
    URL.#check(this);
    return this.#parts[PORT];
  }

  set port(value) {
    URL.#check(this);
    this.#set(SET_PORT, value);
  }

  get pathname() {
    URL.#check(this);
    return this.#parts[PATHNAME];
  }

  set pathname(value) {
    URL.#check(this);
    this.#set(SET_PATHNAME, value);
  }

  get search() {
    URL.#check(this);
    return this.#parts[SEARCH];
  }

  set search(value) {
    URL.#check(this);
    this.#set(SET_SEARCH, value);
  }

  get searchParams() {
    URL.#check(this);
    if (this.#params === null) {
      const search = this.#parts[SEARCH];
      this.#params = paramsForUrl(this, search === '' ? '' : StringPrototypeSlice(search, 1));
    }
    return this.#params;
  }

  get hash() {
    URL.#check(this);
    return this.#parts[HASH];
  }

  set hash(value) {
    URL.#check(this);
    this.#set(SET_HASH, value);
  }

  toJSON() {
    URL.#check(this);
    return this.#parts[HREF];
  }

  static parse(input, base = undefined) {
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length === 0) throw missingArgs('url');
    const parsedInput = `${input}`;
    const parsedBase = base === undefined ? undefined : `${base}`;
    if (parse(parsedInput, parsedBase) === undefined) return null;
    return new URL(parsedInput, parsedBase);
  }

  static canParse(url, base = undefined) {
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length === 0) throw missingArgs('url');
    url = `${url}`;
    return parse(url, base === undefined ? undefined : `${base}`) !== undefined;
  }

  static createObjectURL(obj) {
    const blobs = blobModule();
    if (!blobs.isBlob(obj)) throw invalidArgType('obj', 'Blob', obj);
    const id = randomUuid();
    blobs.registerObjectURL(id, obj);
    return `blob:nodedata:${id}`;
  }

  static revokeObjectURL(url) {
    // biome-ignore lint/correctness/noUndeclaredVariables: the method's own `arguments` (Node counts the arguments given)
    if (arguments.length === 0) throw missingArgs('url');
    const parts = parse(`${url}`, undefined);
    if (parts === undefined || parts[PROTOCOL] !== 'blob:') return;
    const path = parts[PATHNAME];
    if (!StringPrototypeStartsWith(path, 'nodedata:')) return;
    blobModule().revokeObjectURLId(StringPrototypeSlice(path, 9));
  }
}

ObjectDefineProperty(URL.prototype, SymbolToStringTag, {
  __proto__: null,
  configurable: true,
  value: 'URL',
});
{
  const names = [
    'toString',
    'href',
    'origin',
    'protocol',
    'username',
    'password',
    'host',
    'hostname',
    'port',
    'pathname',
    'search',
    'searchParams',
    'hash',
    'toJSON',
  ];
  for (let i = 0; i < names.length; i++) {
    ObjectDefineProperty(URL.prototype, names[i], { __proto__: null, enumerable: true });
  }
  const statics = ['parse', 'canParse', 'createObjectURL', 'revokeObjectURL'];
  for (let i = 0; i < statics.length; i++) {
    ObjectDefineProperty(URL, statics[i], { __proto__: null, enumerable: true });
  }
}

/** Node's isURL: a WHATWG URL (or something shaped like one), not a legacy Url. */
export function isURL(self) {
  return Boolean(self?.href && self.protocol && self.auth === undefined && self.path === undefined);
}

export function domainToASCII(domain) {
  if (arguments.length < 1) throw missingArgs('domain');
  return nativeDomain(`${domain}`, 0);
}

export function domainToUnicode(domain) {
  if (arguments.length < 1) throw missingArgs('domain');
  return nativeDomain(`${domain}`, 1);
}

/** UTS #46 ToASCII (legacy url.parse's hostnames): '' when it fails. */
export function idnaToASCII(hostname) {
  return nativeDomain(hostname, 2);
}
