// lib/internal__webcrypto_cryptokey.js: `CryptoKey` and what `SubtleCrypto`'s methods share
// (lib/internal__webcrypto.js): the key state behind each CryptoKey, the algorithm names and
// digests, HMAC keys, and the dispatch to lib/internal__webcrypto_secret.js (AES, PBKDF2, HKDF)
// and lib/internal__webcrypto_keys.js (the asymmetric algorithms).

import { bridge } from 'agentos:bridge';
import {
  ArrayBufferCtor,
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  ErrorCtor,
  globalObject,
  ObjectDefineProperty,
  ObjectFreeze,
  PromiseReject,
  PromiseResolve,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  SymbolToStringTag,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeSet,
  TypeErrorCtor,
  Uint8ArrayCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { isAnyArrayBuffer } from '../js/01_helpers.js';
import { makeNodeError } from '../js/06_errors.js';
import { bytesOf, bytesString, stringBytes } from './internal__crypto_util.js';
import { invalidThis } from './internal__web_errors.js';
import { agree, asymmetricAlgorithm, isAgreement, KEY_USAGES } from './internal__webcrypto_keys.js';
import {
  aesAlgorithm,
  aesKeyBytes,
  checkUsages,
  isAes,
  kdfBits,
  requireMember,
  secretAlgorithm,
} from './internal__webcrypto_secret.js';

const cryptoHmacNew = bridge.cryptoHmacNew;
const cryptoHashUpdate = bridge.cryptoHashUpdate;
const cryptoHashDigest = bridge.cryptoHashDigest;

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
export function domException(message, name, cause) {
  const Ctor = globalObject.DOMException;
  if (typeof Ctor === 'function') {
    return cause === undefined ? new Ctor(message, name) : new Ctor(message, { name, cause });
  }
  const err = new ErrorCtor(message);
  ObjectDefineProperty(err, 'name', { __proto__: null, value: name, configurable: true });
  ObjectDefineProperty(err, 'code', {
    __proto__: null,
    value: DOM_CODES[name] ?? 0,
    configurable: true,
  });
  return err;
}

const DIGESTS = {
  __proto__: null,
  'sha-1': ['SHA-1', 'sha1', 64],
  'sha-256': ['SHA-256', 'sha256', 64],
  'sha-384': ['SHA-384', 'sha384', 128],
  'sha-512': ['SHA-512', 'sha512', 128],
};

/** An AlgorithmIdentifier's name: an object's `name`, or anything else as a string (WebIDL). */
function algorithmName(algorithm) {
  if (algorithm !== null && typeof algorithm === 'object') return `${algorithm.name}`;
  return `${algorithm}`;
}

export function digestOf(algorithm) {
  const entry = DIGESTS[StringPrototypeToLowerCase(algorithmName(algorithm))];
  if (entry === undefined) throw domException('Unrecognized algorithm name', 'NotSupportedError');
  return entry;
}

export function bufferSource(data, name) {
  if (isAnyArrayBuffer(data) || ArrayBufferIsView(data)) return bytesOf(data);
  throw makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_ARG_TYPE',
    `Failed to execute '${name}' on 'SubtleCrypto': 2nd argument is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.`,
  );
}

export function arrayBufferOf(u8) {
  const out = new ArrayBufferCtor(TypedArrayPrototypeGetByteLength(u8));
  TypedArrayPrototypeSet(new Uint8ArrayCtor(out), u8);
  return out;
}

/**
 * The ArrayBuffer of `u8`, a fresh result nothing else holds (a cipher's or a digest's output):
 * its own buffer when it spans all of it, else a copy.
 */
export function resultBuffer(u8) {
  const buffer = TypedArrayPrototypeGetBuffer(u8);
  const whole =
    TypedArrayPrototypeGetByteOffset(u8) === 0 &&
    TypedArrayPrototypeGetByteLength(u8) === ArrayBufferPrototypeGetByteLength(buffer);
  return whole ? buffer : arrayBufferOf(u8);
}

// Runs `fn` and settles a promise with its result, as an async method would.
export function attempt(fn) {
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

/** True for a CryptoKey (its state is looked up; no guest code runs). */
export function isCryptoKey(value) {
  return WeakMapPrototypeGet(keyData, value) !== undefined;
}

export function key(value) {
  const data = WeakMapPrototypeGet(keyData, value);
  if (data === undefined) throw invalidThis('CryptoKey');
  return data;
}

/** A new CryptoKey whose state is `state` ({ type, name, bytes, algorithm, usages, ... }). */
export function newKey(state) {
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

export function hmacKey(bytes, hash, extractable, usages) {
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
export function secretKey(name, bytes, extractable, usages) {
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
export function fail(message, name, cause) {
  return domException(message, name, cause);
}

/** An HMAC key's bytes from its JWK (`kty` oct, `alg` HS<bits> when given). */
function hmacFromJwk(jwk, hash) {
  if (jwk === null || typeof jwk !== 'object') throw domException('Invalid keyData', 'DataError');
  if (jwk.kty !== 'oct') throw domException('Invalid JWK "kty" Parameter', 'DataError');
  if (typeof jwk.k !== 'string') throw domException('Invalid JWK "k" Parameter', 'DataError');
  if (jwk.alg !== undefined && jwk.alg !== hmacJwkAlg(hash)) {
    throw domException('JWK "alg" does not match the requested algorithm', 'DataError');
  }
  return new Uint8ArrayCtor(stringBytes(jwk.k, 'base64url'));
}

/** The JWK `alg` of an HMAC key over `hash` (a DIGESTS entry): HS256, ... */
function hmacJwkAlg(hash) {
  return hash[0] === 'SHA-1' ? 'HS1' : `HS${StringPrototypeSlice(hash[0], 4)}`;
}

/** The JWK of an HMAC key's state. */
export function hmacJwk(k) {
  const jwk = { key_ops: k.usages, ext: k.extractable, kty: 'oct' };
  jwk.k = bytesString(k.bytes, 'base64url');
  jwk.alg = hmacJwkAlg(k.hash);
  return jwk;
}

/** `importKey` for the secret-key algorithms (`name` canonical); sync, for `deriveKey` too. */
export function importSecret(format, data, algorithm, name, extractable, usages) {
  if (name === 'HMAC') {
    const hash = hmacParams(algorithm);
    let bytes;
    if (format === 'raw') bytes = new Uint8ArrayCtor(bufferSource(data, 'importKey'));
    else if (format === 'jwk') bytes = hmacFromJwk(data, hash);
    else throw domException(`Unable to import HMAC key with format ${format}`, 'NotSupportedError');
    const bits = TypedArrayPrototypeGetByteLength(bytes) * 8;
    if (bits === 0 || algorithm.length === 0)
      throw domException('Zero-length key is not supported', 'DataError');
    if (algorithm.length !== undefined && algorithm.length % 8 !== 0) {
      throw domException('Unsupported algorithm.length', 'NotSupportedError');
    }
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
export function supported(algorithm) {
  const raw = algorithmName(algorithm);
  if (StringPrototypeToLowerCase(raw) === 'hmac') return 'HMAC';
  const name = secretAlgorithm(raw) ?? asymmetricAlgorithm(raw);
  if (name === undefined) throw domException('Unrecognized algorithm name', 'NotSupportedError');
  return name;
}

/** WebIDL's check of a `KeyUsage[]` argument (`where`: "3rd argument"), as Node words it. */
export function checkUsageNames(usages, method, where) {
  if (!ArrayIsArray(usages)) return;
  for (let i = 0; i < usages.length; i++) {
    if (!ArrayPrototypeIncludes(KEY_USAGES, usages[i])) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_VALUE',
        `Failed to execute '${method}' on 'SubtleCrypto': ${where}, index ${i} value '${usages[i]}' is not a valid enum value of type KeyUsage.`,
      );
    }
  }
}

/** What lib/internal__webcrypto_keys.js needs of this module. */
export const asymmetric = {
  fail,
  isDomException: (value) => {
    const Ctor = globalObject.DOMException;
    return typeof Ctor === 'function' && value instanceof Ctor;
  },
  source: (value, what) => new Uint8ArrayCtor(bufferSource(value, what)),
  digest: digestOf,
  newKey,
};

/** The state of `k` once its algorithm is `algorithm`'s and it may be used for `usage`. */
export function usableKey(algorithm, k, usage) {
  const name = supported(algorithm);
  const data = key(k);
  if (data.name !== name || !ArrayPrototypeIncludes(data.usages, usage)) {
    throw domException(`Unable to use this key to ${usage}`, 'InvalidAccessError');
  }
  return data;
}

/** A BufferSource parameter of an algorithm, as bytes. */
export function param(value, name) {
  if (isAnyArrayBuffer(value) || ArrayBufferIsView(value)) return bytesOf(value);
  throw makeNodeError(
    TypeErrorCtor,
    'ERR_INVALID_ARG_TYPE',
    `Failed to execute '${name}': a parameter is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.`,
  );
}

/** `encrypt`/`decrypt`: the key's state once `algorithm` and `usage` fit it. */
export function cipherKey(algorithm, k, usage) {
  const name = supported(algorithm);
  if (name === 'AES-KW' && usage !== 'wrapKey' && usage !== 'unwrapKey') {
    throw domException('Unrecognized algorithm name', 'NotSupportedError');
  }
  const data = key(k);
  const fits = isAes(name) || name === 'RSA-OAEP';
  if (!fits || data.name !== name || !ArrayPrototypeIncludes(data.usages, usage)) {
    throw domException(
      'The requested operation is not valid for the provided key',
      'InvalidAccessError',
    );
  }
  return data;
}

/** `deriveBits`/`deriveKey`: `length` bits from `baseKey`. */
export function derive(algorithm, baseKey, length, usage) {
  const name = supported(algorithm);
  const data = key(baseKey);
  if (!ArrayPrototypeIncludes(data.usages, usage)) {
    throw domException(`baseKey does not have ${usage} usage`, 'InvalidAccessError');
  }
  if (data.name !== name) throw domException('Key algorithm mismatch', 'InvalidAccessError');
  if (isAgreement(name)) {
    requireMember(algorithm, 'public', 'EcdhKeyDeriveParams');
    const peer = algorithm.public;
    if (WeakMapPrototypeGet(keyData, peer) === undefined) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_TYPE',
        'algorithm.public must be a CryptoKey',
      );
    }
    return agree(algorithm, data, key(peer), length, asymmetric);
  }
  if (name !== 'PBKDF2' && name !== 'HKDF') {
    throw domException('Unrecognized algorithm name', 'NotSupportedError');
  }
  const members = name === 'PBKDF2' ? ['hash', 'salt', 'iterations'] : ['hash', 'salt', 'info'];
  for (let i = 0; i < members.length; i++) {
    requireMember(algorithm, members[i], `${name === 'PBKDF2' ? 'Pbkdf2' : 'Hkdf'}Params`);
  }
  const hash = digestOf(algorithm.hash)[1];
  return kdfBits(name, algorithm, data.bytes, hash, length, param, fail);
}

/** The length in bits a key of `algorithm` takes (`deriveKey`). */
export function keyLength(algorithm) {
  const name = supported(algorithm);
  if (name === 'HMAC') {
    return algorithm.length === undefined ? hmacParams(algorithm)[2] * 8 : algorithm.length;
  }
  if (isAes(name)) return algorithm.length;
  throw domException(`Unable to derive a ${name} key`, 'NotSupportedError');
}

export function hmacParams(algorithm, dictionary = 'HmacImportParams') {
  if (algorithm === null || typeof algorithm !== 'object') {
    throw domException('Unrecognized algorithm name', 'NotSupportedError');
  }
  if (StringPrototypeToLowerCase(`${algorithm.name}`) !== 'hmac') {
    throw domException('Unrecognized algorithm name', 'NotSupportedError');
  }
  requireMember(algorithm, 'hash', dictionary);
  return digestOf(algorithm.hash);
}

export function hmacOf(k, data) {
  const handle = cryptoHmacNew(k.hash[1], k.bytes);
  cryptoHashUpdate(handle, data, 0);
  return cryptoHashDigest(handle, 0);
}

export function notSupported() {
  return PromiseReject(domException('Unrecognized algorithm name', 'NotSupportedError'));
}
