// lib/internal__webcrypto.js: the Web Crypto surface: the `crypto` global (a `Crypto`), with
// `getRandomValues`, `randomUUID` and `subtle`. `subtle` does `digest` (SHA-1/256/384/512) and
// HMAC keys (`importKey`/`exportKey` 'raw', `generateKey`, `sign`, `verify`); every other
// algorithm and method rejects with a NotSupportedError DOMException.
import { bridge } from 'agentos:bridge';
import {
  ArrayBufferCtor,
  ArrayBufferIsView,
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  ErrorCtor,
  globalObject,
  NumberPrototypeToString,
  ObjectDefineProperty,
  ObjectFreeze,
  PromiseReject,
  PromiseResolve,
  StringPrototypePadStart,
  StringPrototypeToLowerCase,
  SymbolToStringTag,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSet,
  TypeErrorCtor,
  Uint8ArrayCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import {
  bytesOf,
  isAnyArrayBuffer,
  validateBoolean,
  validateObject,
} from './internal__crypto_util.js';

const cryptoRandomFill = bridge.cryptoRandomFill;
const cryptoHashOnce = bridge.cryptoHashOnce;
const cryptoHmacNew = bridge.cryptoHmacNew;
const cryptoHashUpdate = bridge.cryptoHashUpdate;
const cryptoHashDigest = bridge.cryptoHashDigest;
const cryptoTimingSafeEqual = bridge.cryptoTimingSafeEqual;

const DOM_CODES = {
  __proto__: null,
  NotSupportedError: 9,
  SyntaxError: 12,
  InvalidAccessError: 15,
  TypeMismatchError: 17,
  QuotaExceededError: 22,
  DataError: 0,
  OperationError: 0,
};

/** A DOMException (the global's when there is one; else an Error shaped like one). */
export function domException(message, name) {
  const Ctor = globalObject.DOMException;
  if (typeof Ctor === 'function') return new Ctor(message, name);
  const err = new ErrorCtor(message);
  ObjectDefineProperty(err, 'name', { __proto__: null, value: name, configurable: true });
  ObjectDefineProperty(err, 'code', {
    __proto__: null,
    value: DOM_CODES[name] ?? 0,
    configurable: true,
  });
  return err;
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

const DIGESTS = {
  __proto__: null,
  'sha-1': ['SHA-1', 'sha1', 64],
  'sha-256': ['SHA-256', 'sha256', 64],
  'sha-384': ['SHA-384', 'sha384', 128],
  'sha-512': ['SHA-512', 'sha512', 128],
};

function algorithmName(algorithm) {
  if (typeof algorithm === 'string') return algorithm;
  if (algorithm !== null && typeof algorithm === 'object') return `${algorithm.name}`;
  throw makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_ARG_TYPE',
    'Algorithm must be an object or a string',
  );
}

function digestOf(algorithm) {
  const entry = DIGESTS[StringPrototypeToLowerCase(algorithmName(algorithm))];
  if (entry === undefined) throw domException('Unrecognized algorithm name', 'NotSupportedError');
  return entry;
}

function bufferSource(data, name) {
  if (isAnyArrayBuffer(data) || ArrayBufferIsView(data)) return bytesOf(data);
  throw makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_ARG_TYPE',
    `Failed to execute '${name}' on 'SubtleCrypto': 2nd argument is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.`,
  );
}

function arrayBufferOf(u8) {
  const out = new ArrayBufferCtor(TypedArrayPrototypeGetByteLength(u8));
  TypedArrayPrototypeSet(new Uint8ArrayCtor(out), u8);
  return out;
}

// Runs `fn` and settles a promise with its result, as an async method would.
function attempt(fn) {
  try {
    return PromiseResolve(fn());
  } catch (err) {
    return PromiseReject(err);
  }
}

const keyData = new WeakMapCtor(); // CryptoKey -> { bytes, hash, extractable, usages }
let constructing = false;

/** A Web Crypto key (only HMAC secret keys are made here). */
export class CryptoKey {
  constructor() {
    if (!constructing)
      throw makeNodeError(TypeErrorCtor, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
  }
  get type() {
    return 'secret';
  }
  get extractable() {
    return key(this).extractable;
  }
  get algorithm() {
    return key(this).algorithm;
  }
  get usages() {
    return key(this).usages;
  }
}
ObjectDefineProperty(CryptoKey.prototype, SymbolToStringTag, {
  __proto__: null,
  value: 'CryptoKey',
  configurable: true,
});

function key(value) {
  const data = WeakMapPrototypeGet(keyData, value);
  if (data === undefined) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_THIS',
      'Value of "this" must be of type CryptoKey',
    );
  }
  return data;
}

function hmacKey(bytes, hash, extractable, usages) {
  const list = [];
  if (!ArrayIsArray(usages))
    throw domException('Unsupported key usage for an HMAC key', 'SyntaxError');
  for (let i = 0; i < usages.length; i++) {
    const usage = usages[i];
    if (usage !== 'sign' && usage !== 'verify') {
      throw domException('Unsupported key usage for an HMAC key', 'SyntaxError');
    }
    if (!ArrayPrototypeIncludes(list, usage)) ArrayPrototypePush(list, usage);
  }
  constructing = true;
  let made;
  try {
    made = new CryptoKey();
  } finally {
    constructing = false;
  }
  const algorithm = ObjectFreeze({
    name: 'HMAC',
    hash: ObjectFreeze({ name: hash[0] }),
    length: TypedArrayPrototypeGetByteLength(bytes) * 8,
  });
  WeakMapPrototypeSet(keyData, made, {
    bytes,
    hash,
    extractable: !!extractable,
    algorithm,
    usages: list,
  });
  return made;
}

function hmacParams(algorithm) {
  if (algorithm === null || typeof algorithm !== 'object') {
    throw domException('Unrecognized algorithm name', 'NotSupportedError');
  }
  if (StringPrototypeToLowerCase(`${algorithm.name}`) !== 'hmac') {
    throw domException('Unrecognized algorithm name', 'NotSupportedError');
  }
  return digestOf(algorithm.hash);
}

function hmacOf(k, data) {
  const handle = cryptoHmacNew(k.hash[1], k.bytes);
  cryptoHashUpdate(handle, data, 0);
  return cryptoHashDigest(handle, 0);
}

function checkHmacKey(algorithm, k, usage) {
  if (StringPrototypeToLowerCase(algorithmName(algorithm)) !== 'hmac') {
    throw domException('Unrecognized algorithm name', 'NotSupportedError');
  }
  const data = key(k);
  if (!ArrayPrototypeIncludes(data.usages, usage)) {
    throw domException(`Unable to use this key to ${usage}`, 'InvalidAccessError');
  }
  return data;
}

function notSupported() {
  return PromiseReject(domException('Unrecognized algorithm name', 'NotSupportedError'));
}

/** `crypto.subtle`. */
export class SubtleCrypto {
  constructor() {
    if (!constructing)
      throw makeNodeError(TypeErrorCtor, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
  }
  digest(algorithm, data) {
    return attempt(() => {
      const entry = digestOf(algorithm);
      return arrayBufferOf(cryptoHashOnce(entry[1], bufferSource(data, 'digest'), 0, 0));
    });
  }
  importKey(format, keyData, algorithm, extractable, keyUsages) {
    return attempt(() => {
      const hash = hmacParams(algorithm);
      if (format !== 'raw')
        throw domException(`Unable to import HMAC key with format ${format}`, 'NotSupportedError');
      const bytes = new Uint8ArrayCtor(bufferSource(keyData, 'importKey'));
      const bits = TypedArrayPrototypeGetByteLength(bytes) * 8;
      if (bits === 0 || algorithm.length === 0)
        throw domException('Zero-length key is not supported', 'DataError');
      if (algorithm.length !== undefined && algorithm.length !== bits) {
        throw domException('Invalid key length', 'DataError');
      }
      return hmacKey(bytes, hash, extractable, keyUsages);
    });
  }
  exportKey(format, k) {
    return attempt(() => {
      const data = key(k);
      if (!data.extractable) throw domException('key is not extractable', 'InvalidAccessError');
      if (format !== 'raw')
        throw domException(`Unable to export HMAC key with format ${format}`, 'NotSupportedError');
      return arrayBufferOf(data.bytes);
    });
  }
  generateKey(algorithm, extractable, keyUsages) {
    return attempt(() => {
      const hash = hmacParams(algorithm);
      const length = algorithm.length === undefined ? hash[2] * 8 : algorithm.length;
      if (length === 0 || length % 8 !== 0)
        throw domException('Invalid key length', 'OperationError');
      const bytes = new Uint8ArrayCtor(length / 8);
      cryptoRandomFill(bytes);
      return hmacKey(bytes, hash, extractable, keyUsages);
    });
  }
  sign(algorithm, k, data) {
    return attempt(() => {
      const keyState = checkHmacKey(algorithm, k, 'sign');
      return arrayBufferOf(hmacOf(keyState, bufferSource(data, 'sign')));
    });
  }
  verify(algorithm, k, signature, data) {
    return attempt(() => {
      const keyState = checkHmacKey(algorithm, k, 'verify');
      const expected = hmacOf(keyState, bufferSource(data, 'verify'));
      return cryptoTimingSafeEqual(expected, bufferSource(signature, 'verify'));
    });
  }
  encrypt() {
    return notSupported();
  }
  decrypt() {
    return notSupported();
  }
  deriveBits() {
    return notSupported();
  }
  deriveKey() {
    return notSupported();
  }
  wrapKey() {
    return notSupported();
  }
  unwrapKey() {
    return notSupported();
  }
}
ObjectDefineProperty(SubtleCrypto.prototype, SymbolToStringTag, {
  __proto__: null,
  value: 'SubtleCrypto',
  configurable: true,
});

let subtleInstance;

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
    return subtleInstance;
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
subtleInstance = new SubtleCrypto();
/** `globalThis.crypto` and `require('crypto').webcrypto`. */
export const webcrypto = new Crypto();
constructing = false;
