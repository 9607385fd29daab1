// lib/vm.js: `vm`: code compiled and run in this context (`runInThisContext`,
// `compileFunction`) or in new contexts (`createContext`, `runInContext`, `runInNewContext`,
// `isContext`, `Script#runInContext`/`runInNewContext`). A context is a real V8 context in the
// exec's isolate (bridge vmContextNew, engine/src/bridge/vm.rs) whose global forwards to the
// sandbox object, as Node's contextify does. The `timeout` option is validated; the code it
// bounds is bounded by the exec's own time limits instead (it is not interrupted early).
// Not here: `compileFunction` with a parsing context, `measureMemory`, modules (`vm.Module`).

import { bridge } from 'agentos:bridge';
import {
  ArrayIsArray,
  ArrayPrototypePush,
  bridgeCompileFunction,
  ObjectDefineProperty,
  SymbolCtor,
  Uint8ArrayCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { makeInvalidArgType } from '../js/06_errors.js';
import { validateUint32 } from './internal__crypto_util.js';
import { unsupportedFunction } from './internal__unsupported.js';

const vmCompile = bridge.vmCompile;
const vmContextNew = bridge.vmContextNew;
const vmRun = bridge.vmRun;

// Sandbox object -> the index of its context.
const contexts = new WeakMapCtor();

const DONT_CONTEXTIFY = SymbolCtor('vm_context_no_contextify');

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

function validateObject(value, name) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    throw makeInvalidArgType(name, 'object', value);
  }
}

function validateRunOptions(options) {
  if (options === undefined || typeof options === 'string') return;
  validateObject(options, 'options');
  const timeout = options.timeout;
  if (timeout !== undefined) validateUint32(timeout, 'options.timeout', true);
}

function contextIndexOf(contextifiedObject) {
  validateObject(contextifiedObject, 'contextifiedObject');
  const index = WeakMapPrototypeGet(contexts, contextifiedObject);
  if (index === undefined) {
    throw makeInvalidArgType('contextifiedObject', 'vm.Context', contextifiedObject);
  }
  return index;
}

function createContext(contextObject = {}, options = undefined) {
  if (contextObject === DONT_CONTEXTIFY) {
    return unsupportedFunction('vm', 'createContext(vm.constants.DONT_CONTEXTIFY)')();
  }
  validateObject(contextObject, 'contextObject');
  if (options !== undefined) validateObject(options, 'options');
  if (WeakMapPrototypeGet(contexts, contextObject) !== undefined) return contextObject;
  WeakMapPrototypeSet(contexts, contextObject, vmContextNew(contextObject));
  return contextObject;
}

function isContext(object) {
  validateObject(object, 'object');
  return WeakMapPrototypeGet(contexts, object) !== undefined;
}

class Script {
  #index;

  constructor(code, options = undefined) {
    code = `${code}`;
    if (options !== undefined && typeof options !== 'string') validateObject(options, 'options');
    this.#index = vmCompile(code, filenameOf(options));
    ObjectDefineProperty(this, 'cachedDataRejected', {
      __proto__: null,
      value: false,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }

  runInThisContext(options = undefined) {
    validateRunOptions(options);
    return vmRun(this.#index, -1);
  }

  runInContext(contextifiedObject, options = undefined) {
    const index = contextIndexOf(contextifiedObject);
    validateRunOptions(options);
    return vmRun(this.#index, index);
  }

  runInNewContext(contextObject = undefined, options = undefined) {
    const context = createContext(contextObject);
    return this.runInContext(context, options);
  }

  createCachedData() {
    return new Uint8ArrayCtor(0);
  }
}

function runInThisContext(code, options = undefined) {
  validateCode(code);
  return new Script(code, options).runInThisContext(options);
}

function runInContext(code, contextifiedObject, options = undefined) {
  validateCode(code);
  contextIndexOf(contextifiedObject);
  return new Script(code, options).runInContext(contextifiedObject, options);
}

function runInNewContext(code, contextObject = undefined, options = undefined) {
  validateCode(code);
  return new Script(code, options).runInNewContext(contextObject, options);
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
  runInContext,
  runInNewContext,
  compileFunction,
  isContext,
  createContext,
  measureMemory: unsupportedFunction('vm', 'measureMemory'),
  createScript: function createScript(code, options) {
    return new Script(code, options);
  },
  constants: {
    USE_MAIN_CONTEXT_DEFAULT_LOADER: SymbolCtor('vm_dynamic_import_main_context_default'),
    DONT_CONTEXTIFY,
  },
};
