// lib/internal__webstreams_inspect.js: `util.inspect` of the WHATWG stream classes as Node's:
// the class name, then an object of what a reader wants to see
// (`ReadableStream { locked: false, state: 'readable', supportsBYOB: false }`), and their
// Web IDL attributes enumerable, as Node shows them.

import {
  ObjectAssign,
  ObjectDefineProperty,
  SymbolFor,
  SymbolToStringTag,
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

/** Makes the named accessors of `Class.prototype` enumerable, as Web IDL attributes are. */
export function enumerableAccessors(Class, names) {
  for (let i = 0; i < names.length; i++) {
    ObjectDefineProperty(Class.prototype, names[i], { __proto__: null, enumerable: true });
  }
}

/** `Class.prototype[Symbol.toStringTag]` = `name`, as Web IDL defines it. */
export function defineToStringTag(Class, name) {
  ObjectDefineProperty(Class.prototype, SymbolToStringTag, {
    __proto__: null,
    value: name,
    configurable: true,
  });
}
