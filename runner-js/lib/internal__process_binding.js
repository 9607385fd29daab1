// lib/internal__process_binding.js: the deprecated `process.binding(name)` (DEP0111), as far as
// code outside Node's own lib uses it. Node allows the names below and refuses any other with
// "No such module"; here there is no internal binding behind them, so `util` gives the 16 type
// checks Node's legacy wrapper gives, `constants` the os/fs/crypto/zlib constants, `natives` no
// sources, and every other allowed name an empty object (a test for the binding's presence holds;
// a call into it finds nothing). Reading one of the runtime-deprecated names warns once, as Node.

import { ErrorCtor, ObjectDefineProperty, ObjectFreeze, StringCtor } from '../js/00_primordials.js';
import { emitWarning, pendingDeprecation } from '../js/23_warnings.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';
import { osConstants } from './internal__os_constants.js';

const ALLOWED = {
  __proto__: null,
  async_wrap: true,
  buffer: true,
  cares_wrap: true,
  config: true,
  constants: true,
  contextify: true,
  crypto: true,
  fs: true,
  fs_event_wrap: true,
  http_parser: true,
  icu: true,
  inspector: true,
  js_stream: true,
  natives: true,
  os: true,
  pipe_wrap: true,
  process_wrap: true,
  signal_wrap: true,
  spawn_sync: true,
  stream_wrap: true,
  tcp_wrap: true,
  tls_wrap: true,
  tty_wrap: true,
  udp_wrap: true,
  url: true,
  util: true,
  uv: true,
  v8: true,
  zlib: true,
};

// Node warns on the first read of each of these (the rest are documentation-only deprecated);
// with --pending-deprecation it warns once for process.binding itself, first.
const runtimeDeprecated = {
  __proto__: null,
  async_wrap: true,
  crypto: true,
  http_parser: true,
  signal_wrap: true,
  url: true,
  v8: true,
};

// The checks of Node's legacy `process.binding('util')` wrapper, from util.types.
const UTIL_TYPES = [
  'isAnyArrayBuffer',
  'isArrayBuffer',
  'isArrayBufferView',
  'isAsyncFunction',
  'isDataView',
  'isDate',
  'isExternal',
  'isMap',
  'isMapIterator',
  'isNativeError',
  'isPromise',
  'isRegExp',
  'isSet',
  'isSetIterator',
  'isTypedArray',
  'isUint8Array',
];

const made = { __proto__: null };
let bindingWarned = false;

function utilBinding() {
  const types = cjsBuiltin('util').types;
  const binding = {};
  for (let i = 0; i < UTIL_TYPES.length; i++) {
    const name = UTIL_TYPES[i];
    ObjectDefineProperty(binding, name, {
      __proto__: null,
      value: types[name],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return binding;
}

function constantsBinding() {
  return ObjectFreeze({
    os: osConstants,
    fs: cjsBuiltin('fs').constants,
    crypto: cjsBuiltin('crypto').constants,
    zlib: cjsBuiltin('zlib').constants,
    trace: ObjectFreeze({ __proto__: null }),
  });
}

function make(name) {
  if (name === 'constants') return constantsBinding();
  return {};
}

/** `process.binding(name)`: the same object on every call for one name (a new one for `util`). */
export function binding(name) {
  if (!bindingWarned && pendingDeprecation()) {
    bindingWarned = true;
    emitWarning(
      'process.binding() is deprecated. Please use public APIs instead.',
      'DeprecationWarning',
      'DEP0111',
    );
  }
  const key = StringCtor(name);
  if (ALLOWED[key] !== true) throw new ErrorCtor(`No such module: ${key}`);
  if (runtimeDeprecated[key] === true) {
    runtimeDeprecated[key] = false;
    emitWarning(
      `Access to process.binding('${key}') is deprecated.`,
      'DeprecationWarning',
      'DEP0111',
    );
  }
  if (key === 'util') return utilBinding();
  if (made[key] === undefined) made[key] = make(key);
  return made[key];
}
