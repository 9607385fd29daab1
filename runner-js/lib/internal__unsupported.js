// lib/internal__unsupported.js: the builtins that exist in the sandbox but cannot work there
// (threads, processes, sockets, inspector): requiring them works, so packages that only probe
// them load; calling into them throws an Error with code ERR_NOT_SUPPORTED_IN_SANDBOX naming
// the API (e.g. `worker_threads.Worker is not supported in the agentOS sandbox`).

import { ErrorCtor, ObjectDefineProperty, ObjectKeys } from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';

export function notSupported(api) {
  const err = makeNodeError(
    ErrorCtor,
    'ERR_NOT_SUPPORTED_IN_SANDBOX',
    `${api} is not supported in the agentOS sandbox`,
  );
  return err;
}

/** A function (callable and constructible) named `member` that throws for `module.member`. */
export function unsupportedFunction(module, member) {
  const fn = function () {
    throw notSupported(`${module}.${member}`);
  };
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: member });
  return fn;
}

/**
 * The exports of unsupported builtin `module`: each name of `functions` throws when called or
 * constructed; `values` are copied as they are (constants packages read at load time).
 */
export function unsupportedModule(module, functions, values) {
  const out = {};
  for (let i = 0; i < functions.length; i++) {
    out[functions[i]] = unsupportedFunction(module, functions[i]);
  }
  if (values) {
    const keys = ObjectKeys(values);
    for (let i = 0; i < keys.length; i++) out[keys[i]] = values[keys[i]];
  }
  return out;
}
