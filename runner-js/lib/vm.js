// lib/vm.js: the parts of `vm` the sandbox can honour: code compiled and run in this (the
// exec's only) context: `runInThisContext`, `Script#runInThisContext`, `compileFunction`. New
// contexts are not supported (ERR_NOT_SUPPORTED_IN_SANDBOX naming the API).

import {
  ArrayIsArray,
  ArrayPrototypePush,
  bridgeCompileFunction,
  bridgeCompileScript,
  ObjectDefineProperty,
  SymbolCtor,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType } from '../js/06_errors.js';
import { unsupportedFunction } from './internal__unsupported.js';

function filenameOf(options) {
  if (typeof options === 'string') return options;
  if (options !== null && typeof options === 'object' && options.filename !== undefined) {
    return `${options.filename}`;
  }
  return 'evalmachine.<anonymous>';
}

function validateCode(code) {
  if (typeof code !== 'string') throw makeInvalidArgType('code', 'string', code);
}

class Script {
  #run;

  constructor(code, options = undefined) {
    code = `${code}`;
    this.#run = bridgeCompileScript(code, filenameOf(options));
    ObjectDefineProperty(this, 'cachedDataRejected', {
      __proto__: null,
      value: false,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }

  runInThisContext(options = undefined) {
    return this.#run();
  }

  runInContext() {
    return unsupportedFunction('vm', 'Script.runInContext')();
  }

  runInNewContext() {
    return unsupportedFunction('vm', 'Script.runInNewContext')();
  }

  createCachedData() {
    return new Uint8ArrayCtor(0);
  }
}

function runInThisContext(code, options = undefined) {
  validateCode(code);
  return bridgeCompileScript(code, filenameOf(options))();
}

function compileFunction(code, params = [], options = undefined) {
  validateCode(code);
  if (!ArrayIsArray(params)) throw makeInvalidArgType('params', 'an instance of Array', params);
  const names = [];
  for (let i = 0; i < params.length; i++) {
    if (typeof params[i] !== 'string') {
      throw makeInvalidArgType(`params[${i}]`, 'string', params[i]);
    }
    ArrayPrototypePush(names, params[i]);
  }
  if (options?.parsingContext !== undefined || options?.contextExtensions !== undefined) {
    return unsupportedFunction('vm', 'compileFunction with a context')();
  }
  return bridgeCompileFunction(code, filenameOf(options), names);
}

export const moduleExports = {
  Script,
  runInThisContext,
  compileFunction,
  isContext: function isContext(object) {
    if (object === null || typeof object !== 'object') {
      throw makeInvalidArgType('object', 'object', object);
    }
    return false;
  },
  createContext: unsupportedFunction('vm', 'createContext'),
  runInContext: unsupportedFunction('vm', 'runInContext'),
  runInNewContext: unsupportedFunction('vm', 'runInNewContext'),
  measureMemory: unsupportedFunction('vm', 'measureMemory'),
  createScript: function createScript(code, options) {
    return new Script(code, options);
  },
  constants: {
    USE_MAIN_CONTEXT_DEFAULT_LOADER: SymbolCtor('vm_dynamic_import_main_context_default'),
    DONT_CONTEXTIFY: SymbolCtor('vm_context_no_contextify'),
  },
};
