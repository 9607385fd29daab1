// 49_lazy.js: the lazy builtins (lib/): compiled the first time a guest requires one, from the
// code cache the engine keeps per process, and loaded at most once per isolate. A builtin's
// factory gets the runner's internals (every export of js/), the bridge and this loader (for the
// lazy builtins it imports). What a guest sees is its `moduleExports` export when it has one,
// else a plain object with its exports.
import { bridge } from 'agentos:bridge';
import { internals, LAZY_BUILTINS } from 'agentos:lazy';
import {
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  ErrorCtor,
  globalObject,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeSet,
  ObjectDefineProperty,
  ObjectKeys,
  SetCtor,
  SetPrototypeAdd,
  SetPrototypeDelete,
  SetPrototypeHas,
} from './00_primordials.js';

const loadBuiltin = bridge.loadBuiltin;
const loaded = new MapCtor(); // name -> the factory's exports
const loading = new SetCtor();
const guestViews = new MapCtor(); // name -> what require() returns
const onLoad = new MapCtor(); // name -> [callback]: run with the exports once it loads

/** True for a lazy builtin a guest may require. */
export function isLazyBuiltin(name) {
  return ArrayPrototypeIncludes(LAZY_BUILTINS, name);
}

/** The names of the lazy builtins a guest may require. */
export function lazyBuiltinNames() {
  return LAZY_BUILTINS;
}

/** The exports of lazy builtin `name` (ours, not a guest's view); undefined when unknown. */
export function loadLazyBuiltin(name) {
  const done = MapPrototypeGet(loaded, name);
  if (done !== undefined) return done;
  if (SetPrototypeHas(loading, name))
    throw new ErrorCtor(`lazy builtins import each other: ${name}`);
  const factory = loadBuiltin(name);
  if (typeof factory !== 'function') return undefined;
  SetPrototypeAdd(loading, name);
  let exports;
  try {
    exports = factory(internals(), bridge, loadLazyBuiltin);
  } finally {
    SetPrototypeDelete(loading, name);
  }
  MapPrototypeSet(loaded, name, exports);
  const callbacks = MapPrototypeGet(onLoad, name);
  if (callbacks !== undefined) {
    MapPrototypeDelete(onLoad, name);
    for (let i = 0; i < callbacks.length; i++) callbacks[i](exports);
  }
  return exports;
}

/**
 * Calls `callback` with the exports of lazy builtin `name` once it has loaded (at once when it
 * already has), without loading it: a builtin that can wait for another until a guest needs it.
 */
export function whenLazyBuiltinLoaded(name, callback) {
  const done = MapPrototypeGet(loaded, name);
  if (done !== undefined) return callback(done);
  const callbacks = MapPrototypeGet(onLoad, name);
  if (callbacks === undefined) MapPrototypeSet(onLoad, name, [callback]);
  else ArrayPrototypePush(callbacks, callback);
}

/** What `require(name)` returns for lazy builtin `name`. */
export function lazyBuiltinModule(name) {
  const cached = MapPrototypeGet(guestViews, name);
  if (cached !== undefined) return cached;
  const exports = loadLazyBuiltin(name);
  if (exports === undefined) return undefined;
  let view = exports.moduleExports;
  if (view === undefined) {
    view = {};
    const keys = ObjectKeys(exports);
    for (let i = 0; i < keys.length; i++) view[keys[i]] = exports[keys[i]];
  }
  MapPrototypeSet(guestViews, name, view);
  return view;
}

// Globals a lazy builtin provides: [global name, builtin, export, enumerable]. Each is an
// accessor until first touched; then the builtin loads and the global becomes a plain data
// property (writable, configurable, as Node's are), so an exec that never touches it pays
// nothing. Add a row here for each new one.
const LAZY_GLOBALS = [
  ['Buffer', 'buffer', 'Buffer', false],
  ['atob', 'internal/buffer_text', 'atob', true],
  ['btoa', 'internal/buffer_text', 'btoa', true],
  ['Blob', 'internal/blob', 'Blob', false],
  ['navigator', 'internal/navigator', 'navigator', false],
  ['Navigator', 'internal/navigator', 'Navigator', false],
  ['File', 'internal/blob', 'File', false],
  ['DOMException', 'internal/dom_exception', 'DOMException', false],
  ['URL', 'internal/url', 'URL', false],
  ['URLSearchParams', 'internal/url', 'URLSearchParams', false],
  ['Event', 'internal/event_target', 'Event', false],
  ['EventTarget', 'internal/event_target', 'EventTarget', false],
  ['CustomEvent', 'internal/event_target', 'CustomEvent', false],
  ['AbortController', 'internal/abort', 'AbortController', false],
  ['AbortSignal', 'internal/abort', 'AbortSignal', false],
  ['structuredClone', 'internal/structured_clone', 'structuredClone', true],
  ['crypto', 'internal/webcrypto', 'webcrypto', true],
  ['Crypto', 'internal/webcrypto', 'Crypto', false],
  ['CryptoKey', 'internal/webcrypto_cryptokey', 'CryptoKey', false],
  ['SubtleCrypto', 'internal/webcrypto_subtle', 'SubtleCrypto', false],
  // WHATWG streams (lib/internal__webstreams_*.js), as Node's globals: not enumerable.
  ['ReadableStream', 'internal/webstreams_readable', 'ReadableStream', false],
  [
    'ReadableStreamDefaultReader',
    'internal/webstreams_readable',
    'ReadableStreamDefaultReader',
    false,
  ],
  [
    'ReadableStreamDefaultController',
    'internal/webstreams_readable',
    'ReadableStreamDefaultController',
    false,
  ],
  // fetch (lib/internal__fetch*.js) over the sidecar's network, as Node's globals.
  ['fetch', 'internal/fetch', 'fetch', true],
  ['Headers', 'internal/fetch_headers', 'Headers', false],
  ['Request', 'internal/fetch', 'Request', false],
  ['Response', 'internal/fetch', 'Response', false],
  ['FormData', 'internal/form_data', 'FormData', false],
  // Message channels within the exec (lib/internal__message_port.js), as Node's globals.
  ['MessageChannel', 'internal/message_port', 'MessageChannel', false],
  ['MessagePort', 'internal/message_port', 'MessagePort', false],
  ['MessageEvent', 'internal/message_port', 'MessageEvent', false],
  ['BroadcastChannel', 'internal/message_port', 'BroadcastChannel', false],
  ['WritableStream', 'internal/webstreams_writable', 'WritableStream', false],
  [
    'WritableStreamDefaultWriter',
    'internal/webstreams_writable',
    'WritableStreamDefaultWriter',
    false,
  ],
  [
    'WritableStreamDefaultController',
    'internal/webstreams_writable',
    'WritableStreamDefaultController',
    false,
  ],
  ['TransformStream', 'internal/webstreams_transform', 'TransformStream', false],
  [
    'TransformStreamDefaultController',
    'internal/webstreams_transform',
    'TransformStreamDefaultController',
    false,
  ],
  [
    'ByteLengthQueuingStrategy',
    'internal/webstreams_strategies',
    'ByteLengthQueuingStrategy',
    false,
  ],
  ['CountQueuingStrategy', 'internal/webstreams_strategies', 'CountQueuingStrategy', false],
  ['TextEncoderStream', 'internal/webstreams_encoding', 'TextEncoderStream', false],
  ['TextDecoderStream', 'internal/webstreams_encoding', 'TextDecoderStream', false],
  ['CompressionStream', 'internal/webstreams_compression', 'CompressionStream', false],
  ['DecompressionStream', 'internal/webstreams_compression', 'DecompressionStream', false],
];

/**
 * Defines `target[name]` as export `exportName` of lazy builtin `builtin`, loaded on first read;
 * the first read or write turns it into a plain data property.
 */
export function defineLazyProperty(target, name, builtin, exportName, enumerable) {
  const settle = (value) => {
    ObjectDefineProperty(target, name, {
      __proto__: null,
      value,
      writable: true,
      enumerable,
      configurable: true,
    });
  };
  ObjectDefineProperty(target, name, {
    __proto__: null,
    get() {
      const value = loadLazyBuiltin(builtin)[exportName];
      settle(value);
      return value;
    },
    set(value) {
      settle(value);
    },
    enumerable,
    configurable: true,
  });
}

/** Installs the lazy globals (at factory time). */
export function installLazyGlobals() {
  for (let i = 0; i < LAZY_GLOBALS.length; i++) {
    const row = LAZY_GLOBALS[i];
    defineLazyProperty(globalObject, row[0], row[1], row[2], row[3]);
  }
}
