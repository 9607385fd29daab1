// lib/internal__crypto_lazy_transform.js: Node's LazyTransform, the base of Hash, Hmac and the
// ciphers: a Transform whose stream state is made on first stream use (`write`, `pipe`,
// `on('data')`...), so a hash that is only updated and digested never builds one.
import {
  FunctionPrototypeCall,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
} from '../js/00_primordials.js';
import { Transform } from './internal__stream_duplex.js';

/** Node's LazyTransform: a Transform whose stream state is made on first touch. */
export function LazyTransform(options) {
  this._options = options;
}
ObjectSetPrototypeOf(LazyTransform.prototype, Transform.prototype);
ObjectSetPrototypeOf(LazyTransform, Transform);

function lazyGetter(name) {
  return function () {
    FunctionPrototypeCall(Transform, this, this._options);
    this._writableState.decodeStrings = false;
    return this[name];
  };
}

function lazySetter(name) {
  return function (value) {
    ObjectDefineProperty(this, name, {
      __proto__: null,
      value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  };
}

const LAZY = ['_readableState', '_writableState', '_transformState'];
for (let i = 0; i < LAZY.length; i++) {
  ObjectDefineProperty(LazyTransform.prototype, LAZY[i], {
    __proto__: null,
    get: lazyGetter(LAZY[i]),
    set: lazySetter(LAZY[i]),
    configurable: true,
    enumerable: true,
  });
}
