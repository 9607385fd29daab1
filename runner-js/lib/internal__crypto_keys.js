// lib/internal__crypto_keys.js: `KeyObject` for secret keys (`createSecretKey`, `generateKey`,
// `generateKeySync` for 'hmac' and 'aes', `export` as bytes or JWK, `equals`), and the key
// preparation the ciphers, HMAC and HKDF share (a secret KeyObject stands for its bytes).
// Asymmetric keys (`createPublicKey`, `createPrivateKey`, `generateKeyPair`) build on this
// KeyObject in internal__crypto_pkey.js.

import { bridge } from 'agentos:bridge';
import {
  ArrayBufferIsView,
  MathFloor,
  ObjectDefineProperty,
  SymbolCtor,
  SymbolToStringTag,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeSlice,
  TypeErrorCtor,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { isAnyArrayBuffer } from '../js/01_helpers.js';
import { makeInvalidArgType, makeNodeError, validateFunction } from '../js/06_errors.js';
import { setImmediate } from '../js/24_timers.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import {
  allocBuffer,
  arrayBufferOrView,
  bytesOf,
  bytesString,
  invalidArgValue,
  stringBytes,
  toBuffer,
  validateInteger,
  validateObject,
  validateString,
} from './internal__crypto_util.js';

const cryptoRandomFill = bridge.cryptoRandomFill;
const cryptoTimingSafeEqual = bridge.cryptoTimingSafeEqual;

const kKeyType = SymbolCtor('kKeyType');
const kKeyBytes = SymbolCtor('kKeyBytes');
/** The constructor argument only this module can make (Node's KeyObjectHandle). */
const kHandleToken = SymbolCtor('KeyObjectHandle');

function makeHandle(bytes) {
  return { __proto__: null, [kHandleToken]: true, bytes };
}

/** A handle for a KeyObject subclass: its key bytes (DER for an asymmetric key). */
export function keyHandle(bytes) {
  return makeHandle(bytes);
}

/** The bytes a KeyObject holds. */
export function keyObjectBytes(key) {
  return key[kKeyBytes];
}

/** `crypto.KeyObject`. */
export class KeyObject {
  constructor(type, handle) {
    if (type !== 'secret' && type !== 'public' && type !== 'private') {
      throw invalidArgValue('type', type);
    }
    if (typeof handle !== 'object' || handle === null || handle[kHandleToken] !== true) {
      throw makeInvalidArgType('handle', 'object', handle);
    }
    this[kKeyType] = type;
    this[kKeyBytes] = handle.bytes;
  }

  get type() {
    return this[kKeyType];
  }

  static from(key) {
    return loadLazyBuiltin('internal/webcrypto_keyobject').keyObjectFrom(key);
  }

  toCryptoKey(algorithm, extractable, keyUsages) {
    return loadLazyBuiltin('internal/webcrypto_keyobject').toCryptoKey(
      this,
      algorithm,
      extractable,
      keyUsages,
    );
  }

  equals(otherKeyObject) {
    if (!isKeyObject(otherKeyObject)) {
      throw makeInvalidArgType('otherKeyObject', 'KeyObject', otherKeyObject);
    }
    if (otherKeyObject.type !== this.type) return false;
    const a = this[kKeyBytes];
    const b = otherKeyObject[kKeyBytes];
    if (TypedArrayPrototypeGetByteLength(a) !== TypedArrayPrototypeGetByteLength(b)) return false;
    return cryptoTimingSafeEqual(a, b);
  }
}

ObjectDefineProperty(KeyObject.prototype, SymbolToStringTag, {
  __proto__: null,
  configurable: true,
  value: 'KeyObject',
});

class SecretKeyObject extends KeyObject {
  constructor(handle) {
    super('secret', handle);
  }

  get symmetricKeySize() {
    return TypedArrayPrototypeGetByteLength(this[kKeyBytes]);
  }

  export(options) {
    if (options !== undefined) {
      validateObject(options, 'options');
      const format = options.format;
      if (format !== undefined && format !== 'buffer' && format !== 'jwk') {
        throw invalidArgValue(
          'options.format',
          format,
          "must be one of: undefined, 'buffer', 'jwk'",
        );
      }
      if (format === 'jwk') return { kty: 'oct', k: bytesString(this[kKeyBytes], 'base64url') };
    }
    return toBuffer(TypedArrayPrototypeSlice(this[kKeyBytes]));
  }
}

export function isKeyObject(value) {
  return value !== null && typeof value === 'object' && value[kKeyType] !== undefined;
}

function invalidKeyObjectType(type, expected) {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE',
    `Invalid key object type ${type}, expected ${expected}.`,
  );
}

/** The bytes of a secret KeyObject; `undefined` when `key` is not a KeyObject. */
export function secretKeyObjectBytes(key) {
  if (!isKeyObject(key)) return undefined;
  if (key.type !== 'secret') throw invalidKeyObjectType(key.type, 'secret');
  return key[kKeyBytes];
}

/** Node's prepareSecretKey (a cipher or HMAC key): string, ArrayBuffer, view, or secret KeyObject. */
export function secretKeyBytes(key, encoding) {
  const bytes = secretKeyObjectBytes(key);
  if (bytes !== undefined) return bytes;
  if (typeof key === 'string') return stringBytes(key, encoding);
  if (isAnyArrayBuffer(key) || ArrayBufferIsView(key)) return bytesOf(key);
  throw makeInvalidArgType(
    'key',
    'string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey',
    key,
  );
}

/** `crypto.createSecretKey(key[, encoding])`: a copy of the bytes. */
export function createSecretKey(key, encoding) {
  let bytes;
  if (isAnyArrayBuffer(key)) {
    bytes = new Uint8ArrayCtor(key);
  } else if (typeof key === 'string' || ArrayBufferIsView(key)) {
    bytes = arrayBufferOrView(key, 'key', encoding);
  } else {
    throw makeInvalidArgType(
      'key',
      'string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView',
      key,
    );
  }
  return new SecretKeyObject(makeHandle(TypedArrayPrototypeSlice(bytesOf(bytes))));
}

function keyLengthBytes(type, options) {
  validateString(type, 'type');
  validateObject(options, 'options');
  const { length } = options;
  switch (type) {
    case 'hmac':
      validateInteger(length, 'options.length', 8, 2 ** 31 - 1);
      return MathFloor(length / 8);
    case 'aes':
      if (length !== 128 && length !== 192 && length !== 256) {
        throw invalidArgValue('options.length', length, 'must be one of: 128, 192, 256');
      }
      return length / 8;
    default:
      throw invalidArgValue('type', type, 'must be a supported key type');
  }
}

function randomKey(n) {
  const bytes = allocBuffer(n);
  if (n > 0) cryptoRandomFill(bytes);
  return new SecretKeyObject(makeHandle(bytes));
}

/** `crypto.generateKeySync(type, { length })`. */
export function generateKeySync(type, options) {
  return randomKey(keyLengthBytes(type, options));
}

/** `crypto.generateKey(type, { length }, callback)`. */
export function generateKey(type, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  const n = keyLengthBytes(type, options);
  validateFunction(callback, 'callback');
  const key = randomKey(n);
  setImmediate(() => callback(null, key));
}
