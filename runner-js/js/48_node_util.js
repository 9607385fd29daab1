// 48_node_util.js: the `util` builtin (format, inspect, inherits, promisify, callbackify,
// deprecate, types, ...), over the runner's own inspect/format.

import {
  ArrayIsArray,
  ArrayPrototypePop,
  bridgeCallSites,
  ErrorCtor,
  FunctionPrototypeBind,
  NumberIsInteger,
  ObjectAssign,
  ObjectDefineProperties,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptors,
  ObjectGetPrototypeOf,
  ObjectKeys,
  ObjectSetPrototypeOf,
  ObjectValues,
  PromiseCtor,
  ReflectApply,
  SetCtor,
  SetPrototypeAdd,
  SetPrototypeHas,
  SymbolFor,
  uncurryThis,
} from './00_primordials.js';
import { isDate, isError, isRegExp, kCustomPromisifyArgs, listPush } from './01_helpers.js';
import { inspectDefaults } from './02_inspect_base.js';
import { stripAnsi } from './03_inspect_layout.js';
import { inspect } from './04_inspect.js';
import { formatWithOptions } from './05_format.js';
import {
  hideStackFramesAbove,
  makeInvalidArgType,
  makeNodeError,
  makeOutOfRange,
  validateFunction,
} from './06_errors.js';
import { TextDecoder, TextEncoder } from './07_encoding.js';
import { nextTick } from './21_ticks.js';
import { emitWarning } from './23_warnings.js';
import { globalConsole } from './27_console.js';
import { nodeSet } from './40_path.js';
import { defineLazyProperty, loadLazyBuiltin } from './49_lazy.js';

const kUtilPromisifyCustom = SymbolFor('nodejs.util.promisify.custom');
const UtilObjectGetOwnPropertyDescriptors = Object.getOwnPropertyDescriptors;
const UtilObjectDefineProperties = Object.defineProperties;
const UtilReflectConstruct = Reflect.construct;
let utilDeprecationWarned;

// `{ names[i]: values[i] }` (what a promisified `fs.read` resolves with).
function namedValues(names, values) {
  const out = {};
  for (let i = 0; i < names.length; i++) out[names[i]] = values[i];
  return out;
}

function utilPromisify(original) {
  validateFunction(original, 'original');
  const custom = original[kUtilPromisifyCustom];
  if (custom !== undefined) {
    validateFunction(custom, 'util.promisify.custom');
    return custom;
  }
  const names = original[kCustomPromisifyArgs];
  function fn(...args) {
    return new PromiseCtor((resolve, reject) => {
      listPush(args, (err, ...values) => {
        if (err) return reject(err);
        resolve(names !== undefined && values.length > 1 ? namedValues(names, values) : values[0]);
        return undefined;
      });
      ReflectApply(original, this, args);
    });
  }
  ObjectSetPrototypeOf(fn, ObjectGetPrototypeOf(original));
  ObjectDefineProperty(fn, kUtilPromisifyCustom, {
    __proto__: null,
    value: fn,
    enumerable: false,
    writable: false,
    configurable: true,
  });
  UtilObjectDefineProperties(fn, UtilObjectGetOwnPropertyDescriptors(original));
  return fn;
}
ObjectDefineProperty(utilPromisify, 'custom', { __proto__: null, value: kUtilPromisifyCustom });

function callbackifyOnRejected(reason, cb) {
  // A falsy rejection reason becomes an error carrying it, so that the callback can tell it
  // from success.
  if (!reason) {
    const err = makeNodeError(
      ErrorCtor,
      'ERR_FALSY_VALUE_REJECTION',
      'Promise was rejected with falsy value',
    );
    nodeSet(err, 'reason', reason);
    // As Node's: the stack starts at the tick that ran this (`process.processTicksAndRejections`).
    hideStackFramesAbove(err, callbackifyOnRejected);
    reason = err;
  }
  return cb(reason);
}

// As Node's: the original's result is used as a thenable (`.then` looked up on it), the callback
// runs bound to `this` on a later tick, and `length`/`name` are carried over (+1, +'Callbackified').
function utilCallbackify(original) {
  validateFunction(original, 'original');
  function callbackified(...args) {
    const maybeCb = ArrayPrototypePop(args);
    validateFunction(maybeCb, 'last argument');
    const cb = FunctionPrototypeBind(maybeCb, this);
    ReflectApply(original, this, args).then(
      (ret) => nextTick(cb, null, ret),
      (rej) => nextTick(callbackifyOnRejected, rej, cb),
    );
  }
  const descriptors = ObjectGetOwnPropertyDescriptors(original);
  if (typeof descriptors.length.value === 'number') descriptors.length.value++;
  if (typeof descriptors.name.value === 'string') descriptors.name.value += 'Callbackified';
  const values = ObjectValues(descriptors);
  for (let i = 0; i < values.length; i++) ObjectSetPrototypeOf(values[i], null);
  ObjectDefineProperties(callbackified, descriptors);
  return callbackified;
}

function utilInherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw makeInvalidArgType('ctor', 'function', ctor);
  if (superCtor === undefined || superCtor === null)
    throw makeInvalidArgType('superCtor', 'function', superCtor);
  if (superCtor.prototype === undefined) {
    throw makeInvalidArgType('superCtor.prototype', 'object', superCtor.prototype);
  }
  ObjectDefineProperty(ctor, 'super_', {
    __proto__: null,
    value: superCtor,
    writable: true,
    configurable: true,
  });
  ObjectSetPrototypeOf(ctor.prototype, superCtor.prototype);
}

/** `util.deprecate`: `fn` warning `msg` (once per `code`) when first called. */
ObjectDefineProperty(inspect, 'defaultOptions', {
  __proto__: null,
  get() {
    return inspectDefaults;
  },
  set(options) {
    if (options === null || typeof options !== 'object') {
      throw makeInvalidArgType('options', 'object', options);
    }
    ObjectAssign(inspectDefaults, options);
  },
  configurable: true,
});

export function utilDeprecate(fn, msg, code) {
  validateFunction(fn, 'fn');
  if (code !== undefined && typeof code !== 'string')
    throw makeInvalidArgType('code', 'string', code);
  let warned = false;
  function deprecated(...args) {
    if (!warned) {
      warned = true;
      if (code !== undefined) {
        if (utilDeprecationWarned === undefined) utilDeprecationWarned = new SetCtor();
        if (!SetPrototypeHas(utilDeprecationWarned, code)) {
          SetPrototypeAdd(utilDeprecationWarned, code);
          emitWarning(msg, 'DeprecationWarning', code);
        }
      } else {
        emitWarning(msg, 'DeprecationWarning');
      }
    }
    if (new.target) return UtilReflectConstruct(fn, args, new.target);
    return ReflectApply(fn, this, args);
  }
  ObjectSetPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
}

function systemErrorName(err) {
  if (typeof err !== 'number') throw makeInvalidArgType('err', 'number', err);
  return loadLazyBuiltin('internal/util_extra').systemErrorName(err);
}

const StringPrototypeToWellFormed = uncurryThis(String.prototype.toWellFormed);

function utilStripVTControlCharacters(str) {
  if (typeof str !== 'string') throw makeInvalidArgType('str', 'string', str);
  return stripAnsi(str);
}

let warnedGetCallSite = false;

// util.getCallSites([frameCount][, options]): the caller's frames, innermost first.
function callSites(frameCount, options) {
  if (frameCount !== null && typeof frameCount === 'object' && options === undefined) {
    options = frameCount;
    frameCount = 10;
  }
  if (typeof frameCount !== 'number') throw makeInvalidArgType('frameCount', 'number', frameCount);
  if (!NumberIsInteger(frameCount) || frameCount < 1 || frameCount > 200) {
    throw makeOutOfRange('frameCount', 'an integer >= 1 && <= 200', frameCount);
  }
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw makeInvalidArgType('options', 'object', options);
  }
  if (typeof bridgeCallSites !== 'function') return [];
  // Two frames of ours (this function and util.getCallSites) come first.
  const flat = bridgeCallSites(frameCount + 2);
  const sites = [];
  for (let i = 10; i + 4 < flat.length; i += 5) {
    listPush(sites, {
      functionName: flat[i],
      scriptId: `${flat[i + 2]}`,
      scriptName: flat[i + 1],
      lineNumber: flat[i + 3],
      column: flat[i + 4],
    });
  }
  return sites;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad2(n) {
  return n < 10 ? `0${n}` : `${n}`;
}

/** `util.log`'s timestamp: `26 Feb 16:19:34`, local time. */
function logTimestamp() {
  const d = new Date();
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${time}`;
}

export function createUtilModule() {
  const util = {
    format: function format(...args) {
      return formatWithOptions(undefined, args);
    },
    formatWithOptions: function formatWithOptions_(inspectOptions, ...args) {
      if (inspectOptions === null || typeof inspectOptions !== 'object') {
        throw makeInvalidArgType('inspectOptions', 'object', inspectOptions);
      }
      return formatWithOptions(inspectOptions, args);
    },
    inspect,
    inherits: utilInherits,
    promisify: utilPromisify,
    callbackify: utilCallbackify,
    deprecate: utilDeprecate,
    _extend: utilDeprecate(
      function _extend(target, source) {
        if (source === null || typeof source !== 'object') return target;
        const keys = ObjectKeys(source);
        let i = keys.length;
        while (i--) target[keys[i]] = source[keys[i]];
        return target;
      },
      'The `util._extend` API is deprecated. Please use Object.assign() instead.',
      'DEP0060',
    ),
    isDeepStrictEqual: function isDeepStrictEqual(a, b) {
      return loadLazyBuiltin('internal/comparisons').isDeepStrictEqual(a, b);
    },
    stripVTControlCharacters: utilStripVTControlCharacters,
    styleText: function styleText(format, text, options) {
      return loadLazyBuiltin('internal/util_extra').styleText(format, text, options);
    },
    toUSVString: function toUSVString(string) {
      return StringPrototypeToWellFormed(`${string}`);
    },
    getSystemErrorName: function getSystemErrorName(err) {
      return systemErrorName(err);
    },
    getSystemErrorMap: function getSystemErrorMap() {
      return loadLazyBuiltin('internal/util_extra').systemErrorMap();
    },
    getCallSites: function getCallSites(frameCount = 10, options) {
      return callSites(frameCount, options);
    },
    // Node 22's old name, with its one-time warning.
    getCallSite: function getCallSite(frameCount = 10, options) {
      if (!warnedGetCallSite) {
        warnedGetCallSite = true;
        emitWarning(
          'The `util.getCallSite` API has been renamed to `util.getCallSites()`.',
          'ExperimentalWarning',
        );
      }
      return callSites(frameCount, options);
    },
    parseEnv: function parseEnv(content) {
      return loadLazyBuiltin('internal/dotenv').parseEnv(content);
    },
    parseArgs: function parseArgs(config) {
      return loadLazyBuiltin('internal/parse_args').parseArgs(config);
    },
    aborted: function aborted(signal, resource) {
      return loadLazyBuiltin('internal/util_extra').aborted(signal, resource);
    },
    transferableAbortSignal: (s) => s,
    isBoolean: (v) => typeof v === 'boolean',
    isNull: (v) => v === null,
    isNullOrUndefined: (v) => v === null || v === undefined,
    isNumber: (v) => typeof v === 'number',
    isString: (v) => typeof v === 'string',
    isSymbol: (v) => typeof v === 'symbol',
    isUndefined: (v) => v === undefined,
    isRegExp: (v) => isRegExp(v),
    isObject: (v) => v !== null && typeof v === 'object',
    isDate: (v) => isDate(v),
    isError: (v) => isError(v),
    isFunction: (v) => typeof v === 'function',
    isPrimitive: (v) => v === null || (typeof v !== 'object' && typeof v !== 'function'),
    debuglog: function debuglog() {
      const fn = function debug() {};
      nodeSet(fn, 'enabled', false);
      return fn;
    },
    isArray: ArrayIsArray,
    log: function log(...args) {
      globalConsole.log('%s - %s', logTimestamp(), formatWithOptions(undefined, args));
    },
    TextEncoder,
    TextDecoder,
  };
  ObjectDefineProperty(util.formatWithOptions, 'name', {
    __proto__: null,
    value: 'formatWithOptions',
  });
  nodeSet(util, 'debug', util.debuglog);
  // util.types lives in lib/ (loaded the first time it is read, then a plain data property).
  ObjectDefineProperty(util, 'types', {
    __proto__: null,
    enumerable: true,
    configurable: true,
    get() {
      const types = loadLazyBuiltin('internal/util_types').utilTypes;
      nodeSet(util, 'types', types);
      return types;
    },
    set(value) {
      nodeSet(util, 'types', value);
    },
  });
  defineLazyProperty(util, 'MIMEType', 'internal/mime', 'MIMEType', true);
  defineLazyProperty(util, 'MIMEParams', 'internal/mime', 'MIMEParams', true);
  return util;
}
