// lib/internal__webcrypto.js: the `crypto` global (a `Crypto`) and `require('crypto').webcrypto`:
// `getRandomValues`, `randomUUID` and `subtle`. `subtle` (lib/internal__webcrypto_subtle.js,
// with the algorithms beside it) loads on first use, so code that only wants random values
// pays for none of it.
import { bridge } from 'agentos:bridge';
import {
  NumberPrototypeToString,
  ObjectDefineProperty,
  StringPrototypePadStart,
  SymbolToStringTag,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypeErrorCtor,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import { bytesOf, validateBoolean, validateObject } from './internal__crypto_util.js';

const cryptoRandomFill = bridge.cryptoRandomFill;

function domException(message, name) {
  return loadLazyBuiltin('internal/dom_exception').domException(message, name);
}

/** `crypto.getRandomValues(typedArray)`, with the Web Crypto errors. */
export function getRandomValues(data) {
  const tag = TypedArrayPrototypeGetSymbolToStringTag(data);
  if (tag === undefined || tag === 'Float32Array' || tag === 'Float64Array') {
    throw domException('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
  }
  if (TypedArrayPrototypeGetByteLength(data) > 65536) {
    throw domException('The requested length exceeds 65,536 bytes', 'QuotaExceededError');
  }
  cryptoRandomFill(bytesOf(data));
  return data;
}

let constructing = false;

const HEX = [];
for (let i = 0; i < 256; i++)
  HEX[i] = StringPrototypePadStart(NumberPrototypeToString(i, 16), 2, '0');

/** `crypto.randomUUID([options])`: a version 4 UUID. */
export function randomUUID(options) {
  if (options !== undefined) {
    validateObject(options, 'options');
    if (options.disableEntropyCache !== undefined) {
      validateBoolean(options.disableEntropyCache, 'options.disableEntropyCache');
    }
  }
  const b = new Uint8ArrayCtor(16);
  cryptoRandomFill(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return `${HEX[b[0]]}${HEX[b[1]]}${HEX[b[2]]}${HEX[b[3]]}-${HEX[b[4]]}${HEX[b[5]]}-${HEX[b[6]]}${HEX[b[7]]}-${HEX[b[8]]}${HEX[b[9]]}-${HEX[b[10]]}${HEX[b[11]]}${HEX[b[12]]}${HEX[b[13]]}${HEX[b[14]]}${HEX[b[15]]}`;
}

/** The global `crypto` object's class. */
export class Crypto {
  #brand = true;

  constructor() {
    if (!constructing)
      throw makeNodeError(TypeErrorCtor, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
  }
  // As Node: the methods work on the Crypto object only (`const { getRandomValues } = crypto`
  // then `getRandomValues(a)` is ERR_INVALID_THIS).
  static checkThis(self) {
    if (typeof self !== 'object' || self === null || !(#brand in self)) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_THIS',
        'Value of "this" must be of type Crypto',
      );
    }
  }
  get subtle() {
    checkCryptoThis(this);
    return loadLazyBuiltin('internal/webcrypto_subtle').subtle;
  }
  getRandomValues(data) {
    checkCryptoThis(this);
    return getRandomValues(data);
  }
  randomUUID() {
    checkCryptoThis(this);
    return randomUUID();
  }
}
const checkCryptoThis = Crypto.checkThis;
delete Crypto.checkThis;
ObjectDefineProperty(Crypto.prototype, SymbolToStringTag, {
  __proto__: null,
  value: 'Crypto',
  configurable: true,
});

constructing = true;
/** `globalThis.crypto` and `require('crypto').webcrypto`. */
export const webcrypto = new Crypto();
constructing = false;
