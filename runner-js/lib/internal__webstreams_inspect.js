// lib/internal__webstreams_inspect.js: `util.inspect` of the WHATWG stream classes as Node's:
// the class name, then an object of what a reader wants to see
// (`ReadableStream { locked: false, state: 'readable', supportsBYOB: false }`).

import {
  ObjectAssign,
  ObjectDefineProperty,
  SymbolFor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { inspect } from '../js/04_inspect.js';
import { makeNodeError } from '../js/06_errors.js';

const kInspect = SymbolFor('nodejs.util.inspect.custom');

/** Gives `Class` Node's inspection: `name { ...fields(stream) }`, one level deeper. */
export function defineInspect(Class, name, fields) {
  ObjectDefineProperty(Class.prototype, kInspect, {
    __proto__: null,
    configurable: true,
    writable: true,
    value: function inspectStream(depth, options) {
      if (this == null) {
        throw makeNodeError(
          TypeErrorCtor,
          'ERR_INVALID_THIS',
          `Value of "this" must be of type ${name}`,
        );
      }
      const data = fields(this);
      if (depth < 0) return `[${name}]`;
      const opts = ObjectAssign({}, options);
      opts.depth = options.depth == null ? null : options.depth - 1;
      return `${name} ${inspect(data, opts)}`;
    },
  });
}
