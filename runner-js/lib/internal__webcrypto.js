// lib/internal__webcrypto.js: the Web Crypto surface: the `crypto` global (a `Crypto`), with
// `getRandomValues`, `randomUUID` and `subtle`. `subtle` does `digest` (SHA-1/256/384/512),
// HMAC keys (`importKey`/`exportKey` 'raw', `generateKey`, `sign`, `verify`), and AES-GCM/CBC/CTR,
// PBKDF2 and HKDF (lib/internal__webcrypto_secret.js: `encrypt`, `decrypt`, `deriveBits`,
// `deriveKey`); every other algorithm and method rejects with a NotSupportedError DOMException.
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
import {
  aesAlgorithm,
  aesCipher,
  aesJwk,
  aesKeyBytes,
  checkUsages,
  isAes,
  kdfBits,
  secretAlgorithm,
} from './internal__webcrypto_secret.js';

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
    return key(this).type;
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

/** A new CryptoKey whose state is `state` ({ type, name, bytes, algorithm, usages, ... }). */
function newKey(state) {
  constructing = true;
  let made;
  try {
    made = new CryptoKey();
  } finally {
    constructing = false;
  }
  WeakMapPrototypeSet(keyData, made, state);
  return made;
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
  const algorithm = ObjectFreeze({
    name: 'HMAC',
    hash: ObjectFreeze({ name: hash[0] }),
    length: TypedArrayPrototypeGetByteLength(bytes) * 8,
  });
  return newKey({
    type: 'secret',
    name: 'HMAC',
    bytes,
    hash,
    extractable: !!extractable,
    algorithm,
    usages: list,
  });
}

/** An AES, PBKDF2 or HKDF key of `bytes`. */
function secretKey(name, bytes, extractable, usages) {
  if (!ArrayIsArray(usages))
    throw domException(`Unsupported key usage for a ${name} key`, 'SyntaxError');
  const list = checkUsages(name, usages, (message) => domException(message, 'SyntaxError'));
  const algorithm = isAes(name) ? aesAlgorithm(name, bytes) : ObjectFreeze({ name });
  return newKey({
    type: 'secret',
    name,
    bytes,
    extractable: !!extractable,
    algorithm,
    usages: list,
  });
}

/** A DOMException maker for the secret-key helpers. */
function fail(message, name) {
  return domException(message, name);
}

/** `importKey` for the secret-key algorithms (`name` canonical); sync, for `deriveKey` too. */
function importSecret(format, data, algorithm, name, extractable, usages) {
  if (name === 'HMAC') {
    const hash = hmacParams(algorithm);
    if (format !== 'raw')
      throw domException(`Unable to import HMAC key with format ${format}`, 'NotSupportedError');
    const bytes = new Uint8ArrayCtor(bufferSource(data, 'importKey'));
    const bits = TypedArrayPrototypeGetByteLength(bytes) * 8;
    if (bits === 0 || algorithm.length === 0)
      throw domException('Zero-length key is not supported', 'DataError');
    if (algorithm.length !== undefined && algorithm.length !== bits) {
      throw domException('Invalid key length', 'DataError');
    }
    return hmacKey(bytes, hash, extractable, usages);
  }
  if (isAes(name)) {
    const source = (value) => new Uint8ArrayCtor(bufferSource(value, 'importKey'));
    return secretKey(name, aesKeyBytes(name, format, data, source, fail), extractable, usages);
  }
  if (format !== 'raw') {
    throw domException(`Unable to import ${name} key with format ${format}`, 'NotSupportedError');
  }
  if (extractable) throw domException(`${name} keys are not extractable`, 'SyntaxError');
  return secretKey(name, new Uint8ArrayCtor(bufferSource(data, 'importKey')), false, usages);
}

/** The canonical name of `algorithm` among those here, or a NotSupportedError. */
function supported(algorithm) {
  const raw = algorithmName(algorithm);
  if (StringPrototypeToLowerCase(raw) === 'hmac') return 'HMAC';
  const name = secretAlgorithm(raw);
  if (name === undefined) throw domException('Unrecognized algorithm name', 'NotSupportedError');
  return name;
}

/** A BufferSource parameter of an algorithm, as bytes. */
function param(value, name) {
  if (isAnyArrayBuffer(value) || ArrayBufferIsView(value)) return bytesOf(value);
  throw makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_ARG_TYPE',
    `Failed to execute '${name}': a parameter is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.`,
  );
}

/** `encrypt`/`decrypt`: the key's state once `algorithm` and `usage` fit it. */
function cipherKey(algorithm, k, usage) {
  const name = supported(algorithm);
  const data = key(k);
  if (!isAes(name) || data.name !== name || !ArrayPrototypeIncludes(data.usages, usage)) {
    throw domException(
      'The requested operation is not valid for the provided key',
      'InvalidAccessError',
    );
  }
  return data;
}

/** `deriveBits`/`deriveKey`: `length` bits from `baseKey`. */
function derive(algorithm, baseKey, length, usage) {
  const name = supported(algorithm);
  const data = key(baseKey);
  if (!ArrayPrototypeIncludes(data.usages, usage)) {
    throw domException(`baseKey does not have ${usage} usage`, 'InvalidAccessError');
  }
  if (data.name !== name) throw domException('Key algorithm mismatch', 'InvalidAccessError');
  if (name !== 'PBKDF2' && name !== 'HKDF') {
    throw domException('Unrecognized algorithm name', 'NotSupportedError');
  }
  const hash = digestOf(algorithm.hash)[1];
  return kdfBits(name, algorithm, data.bytes, hash, length, param, fail);
}

/** The length in bits a key of `algorithm` takes (`deriveKey`). */
function keyLength(algorithm) {
  const name = supported(algorithm);
  if (name === 'HMAC') {
    return algorithm.length === undefined ? hmacParams(algorithm)[2] * 8 : algorithm.length;
  }
  if (isAes(name)) return algorithm.length;
  throw domException(`Unable to derive a ${name} key`, 'NotSupportedError');
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

/** `crypto.subtle`. Each method rejects with ERR_INVALID_THIS on anything but the instance. */
export class SubtleCrypto {
  #brand = true;

  constructor() {
    if (!constructing)
      throw makeNodeError(TypeErrorCtor, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
  }
  static checkThis(self) {
    if (typeof self !== 'object' || self === null || !(#brand in self)) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_THIS',
        'Value of "this" must be of type SubtleCrypto',
      );
    }
  }
  digest(algorithm, data) {
    return attempt(() => {
      checkSubtleThis(this);
      const entry = digestOf(algorithm);
      return arrayBufferOf(cryptoHashOnce(entry[1], bufferSource(data, 'digest'), 0, 0));
    });
  }
  importKey(format, keyData, algorithm, extractable, keyUsages) {
    return attempt(() => {
      checkSubtleThis(this);
      const name = supported(algorithm);
      return importSecret(format, keyData, algorithm, name, extractable, keyUsages);
    });
  }
  exportKey(format, k) {
    return attempt(() => {
      checkSubtleThis(this);
      const data = key(k);
      if (!data.extractable) throw domException('key is not extractable', 'InvalidAccessError');
      if (format === 'raw') return arrayBufferOf(data.bytes);
      if (format === 'jwk' && isAes(data.name)) {
        return aesJwk(data.name, data.bytes, data.usages, data.extractable);
      }
      throw domException(
        `Unable to export ${data.name} key with format ${format}`,
        'NotSupportedError',
      );
    });
  }
  generateKey(algorithm, extractable, keyUsages) {
    return attempt(() => {
      checkSubtleThis(this);
      const name = supported(algorithm);
      if (isAes(name)) {
        const length = algorithm.length;
        if (length !== 128 && length !== 192 && length !== 256) {
          throw domException('AES key length must be 128, 192, or 256 bits', 'OperationError');
        }
        const bytes = new Uint8ArrayCtor(length / 8);
        cryptoRandomFill(bytes);
        return secretKey(name, bytes, extractable, keyUsages);
      }
      if (name !== 'HMAC') throw domException('Unrecognized algorithm name', 'NotSupportedError');
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
      checkSubtleThis(this);
      const keyState = checkHmacKey(algorithm, k, 'sign');
      return arrayBufferOf(hmacOf(keyState, bufferSource(data, 'sign')));
    });
  }
  verify(algorithm, k, signature, data) {
    return attempt(() => {
      checkSubtleThis(this);
      const keyState = checkHmacKey(algorithm, k, 'verify');
      const expected = hmacOf(keyState, bufferSource(data, 'verify'));
      return cryptoTimingSafeEqual(expected, bufferSource(signature, 'verify'));
    });
  }
  encrypt(algorithm, k, data) {
    return attempt(() => {
      checkSubtleThis(this);
      const state = cipherKey(algorithm, k, 'encrypt');
      const bytes = bufferSource(data, 'encrypt');
      return arrayBufferOf(aesCipher(true, state.name, algorithm, state.bytes, bytes, param, fail));
    });
  }
  decrypt(algorithm, k, data) {
    return attempt(() => {
      checkSubtleThis(this);
      const state = cipherKey(algorithm, k, 'decrypt');
      const bytes = bufferSource(data, 'decrypt');
      return arrayBufferOf(
        aesCipher(false, state.name, algorithm, state.bytes, bytes, param, fail),
      );
    });
  }
  deriveBits(algorithm, baseKey, length) {
    return attempt(() => {
      checkSubtleThis(this);
      return arrayBufferOf(derive(algorithm, baseKey, length, 'deriveBits'));
    });
  }
  deriveKey(algorithm, baseKey, derivedKeyAlgorithm, extractable, keyUsages) {
    return attempt(() => {
      checkSubtleThis(this);
      const length = keyLength(derivedKeyAlgorithm);
      const bits = derive(algorithm, baseKey, length, 'deriveKey');
      const name = supported(derivedKeyAlgorithm);
      return importSecret('raw', bits, derivedKeyAlgorithm, name, extractable, keyUsages);
    });
  }
  wrapKey() {
    return attempt(() => {
      checkSubtleThis(this);
      return notSupported();
    });
  }
  unwrapKey() {
    return attempt(() => {
      checkSubtleThis(this);
      return notSupported();
    });
  }
}
const checkSubtleThis = SubtleCrypto.checkThis;
delete SubtleCrypto.checkThis;
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
