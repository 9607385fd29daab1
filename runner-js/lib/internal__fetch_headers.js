// lib/internal__fetch_headers.js: WHATWG `Headers` as Node 20's fetch has it: names
// case-insensitive and validated as tokens, values trimmed and free of NUL/CR/LF, iteration
// sorted by name with repeated names joined by ", " (set-cookie kept apart), guards for the
// immutable headers of a network response.
import {
  ArrayIsArray,
  ArrayPrototypePush,
  ArrayPrototypeSort,
  ArrayPrototypeSplice,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ReflectApply,
  ReflectOwnKeys,
  RegExpPrototypeSymbolReplace,
  RegExpPrototypeTest,
  StringPrototypeCharCodeAt,
  StringPrototypeToLowerCase,
  SymbolFor,
  SymbolIterator,
  SymbolToStringTag,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { inspect } from '../js/04_inspect.js';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\0\r\n]/;
const LEADING = /^[\t\n\r ]+/;
const TRAILING = /[\t\n\r ]+$/;

// headers -> { list: [lowerName, value][], guard: 'none' | 'immutable' }
const states = new WeakMapCtor();

function stateOf(self) {
  const state = WeakMapPrototypeGet(states, self);
  if (state === undefined) throw new TypeErrorCtor('Illegal invocation');
  return state;
}

function checkName(name) {
  const text = `${name}`;
  if (!RegExpPrototypeTest(TOKEN, text)) {
    throw new TypeErrorCtor(`Headers.append: "${text}" is an invalid header name.`);
  }
  return StringPrototypeToLowerCase(text);
}

function normalizeValue(value) {
  let text = `${value}`;
  text = RegExpPrototypeSymbolReplace(LEADING, text, '');
  text = RegExpPrototypeSymbolReplace(TRAILING, text, '');
  if (RegExpPrototypeTest(BAD_VALUE, text)) {
    throw new TypeErrorCtor(`Headers.append: "${text}" is an invalid header value.`);
  }
  for (let i = 0; i < text.length; i++) {
    if (StringPrototypeCharCodeAt(text, i) > 0xff) {
      throw new TypeErrorCtor(`Headers.append: "${text}" is an invalid header value.`);
    }
  }
  return text;
}

function checkMutable(state) {
  if (state.guard === 'immutable') throw new TypeErrorCtor('immutable');
}

function appendTo(state, name, value) {
  ArrayPrototypePush(state.list, [checkName(name), normalizeValue(value)]);
}

function fill(self, init) {
  const state = stateOf(self);
  if (init === undefined || init === null) return;
  if (typeof init !== 'object' && typeof init !== 'function') {
    throw new TypeErrorCtor("Headers constructor: init can't be converted to a sequence or record");
  }
  const headers = WeakMapPrototypeGet(states, init);
  if (headers !== undefined) {
    for (let i = 0; i < headers.list.length; i++) {
      ArrayPrototypePush(state.list, [headers.list[i][0], headers.list[i][1]]);
    }
    return;
  }
  if (typeof init[SymbolIterator] === 'function') {
    for (const pair of init) {
      const items = ArrayIsArray(pair) ? pair : [...pair];
      if (items.length !== 2) {
        throw new TypeErrorCtor('Headers constructor: expected name/value pair to be length 2');
      }
      appendTo(state, items[0], items[1]);
    }
    return;
  }
  const keys = ReflectOwnKeys(init);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key === 'symbol') continue;
    const desc = ObjectGetOwnPropertyDescriptor(init, key);
    if (desc === undefined || !desc.enumerable) continue;
    appendTo(state, key, init[key]);
  }
}

/** What iteration yields: sorted by name, repeated names joined (set-cookie apart). */
function sortedPairs(state) {
  const names = [];
  const joined = { __proto__: null };
  const out = [];
  for (let i = 0; i < state.list.length; i++) {
    const [name, value] = state.list[i];
    if (name === 'set-cookie') continue;
    if (joined[name] === undefined) {
      joined[name] = value;
      ArrayPrototypePush(names, name);
    } else {
      joined[name] = `${joined[name]}, ${value}`;
    }
  }
  for (let i = 0; i < state.list.length; i++) {
    if (state.list[i][0] === 'set-cookie') ArrayPrototypePush(names, 'set-cookie');
  }
  ArrayPrototypeSort(names);
  let cookie = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (name === 'set-cookie') {
      while (state.list[cookie][0] !== 'set-cookie') cookie++;
      ArrayPrototypePush(out, [name, state.list[cookie][1]]);
      cookie++;
    } else if (i === 0 || names[i - 1] !== name) {
      ArrayPrototypePush(out, [name, joined[name]]);
    }
  }
  return out;
}

function* iterate(self, kind) {
  const pairs = sortedPairs(stateOf(self));
  for (let i = 0; i < pairs.length; i++) {
    if (kind === 0) yield pairs[i][0];
    else if (kind === 1) yield pairs[i][1];
    else yield pairs[i];
  }
}

export class Headers {
  constructor(init = undefined) {
    WeakMapPrototypeSet(states, this, { __proto__: null, list: [], guard: 'none' });
    fill(this, init);
  }

  append(name, value) {
    const state = stateOf(this);
    checkMutable(state);
    appendTo(state, name, value);
  }

  delete(name) {
    const state = stateOf(this);
    const key = checkName(name);
    checkMutable(state);
    for (let i = state.list.length - 1; i >= 0; i--) {
      if (state.list[i][0] === key) ArrayPrototypeSplice(state.list, i, 1);
    }
  }

  get(name) {
    const state = stateOf(this);
    const key = checkName(name);
    let out = null;
    for (let i = 0; i < state.list.length; i++) {
      if (state.list[i][0] !== key) continue;
      out = out === null ? state.list[i][1] : `${out}, ${state.list[i][1]}`;
    }
    return out;
  }

  getSetCookie() {
    const state = stateOf(this);
    const out = [];
    for (let i = 0; i < state.list.length; i++) {
      if (state.list[i][0] === 'set-cookie') ArrayPrototypePush(out, state.list[i][1]);
    }
    return out;
  }

  has(name) {
    const state = stateOf(this);
    const key = checkName(name);
    for (let i = 0; i < state.list.length; i++) {
      if (state.list[i][0] === key) return true;
    }
    return false;
  }

  set(name, value) {
    const state = stateOf(this);
    const key = checkName(name);
    const text = normalizeValue(value);
    checkMutable(state);
    let found = false;
    for (let i = 0; i < state.list.length; i++) {
      if (state.list[i][0] !== key) continue;
      if (found) {
        ArrayPrototypeSplice(state.list, i, 1);
        i--;
      } else {
        state.list[i][1] = text;
        found = true;
      }
    }
    if (!found) ArrayPrototypePush(state.list, [key, text]);
  }

  forEach(callback, thisArg = undefined) {
    if (typeof callback !== 'function') {
      throw new TypeErrorCtor("Headers.forEach: parameter 1 is not of type 'Function'.");
    }
    const pairs = sortedPairs(stateOf(this));
    for (let i = 0; i < pairs.length; i++) {
      ReflectApply(callback, thisArg, [pairs[i][1], pairs[i][0], this]);
    }
  }

  keys() {
    return iterate(this, 0);
  }

  values() {
    return iterate(this, 1);
  }

  entries() {
    return iterate(this, 2);
  }

  [SymbolIterator]() {
    return iterate(this, 2);
  }

  [SymbolFor('nodejs.util.inspect.custom')](depth, options) {
    const record = {};
    const pairs = sortedPairs(stateOf(this));
    for (let i = 0; i < pairs.length; i++) record[pairs[i][0]] = pairs[i][1];
    return `Headers ${inspect(record, options)}`;
  }
}

ObjectDefineProperty(Headers.prototype, SymbolToStringTag, {
  value: 'Headers',
  configurable: true,
});

/** True for a `Headers`. */
export function isHeaders(value) {
  return WeakMapPrototypeGet(states, value) !== undefined;
}

/** The headers as sent, in insertion order: `[lowerName, value][]`. */
export function headersList(headers) {
  return stateOf(headers).list;
}

/** New headers from `init` (anything the constructor takes), optionally immutable. */
export function makeHeaders(init, immutable) {
  const headers = new Headers(init);
  if (immutable) stateOf(headers).guard = 'immutable';
  return headers;
}

/** Headers of a network response: `[name, value][]` taken as they are, immutable. */
export function responseHeaders(list) {
  const headers = new Headers();
  const state = stateOf(headers);
  for (let i = 0; i < list.length; i++) ArrayPrototypePush(state.list, [list[i][0], list[i][1]]);
  state.guard = 'immutable';
  return headers;
}
