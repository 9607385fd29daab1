// lib/internal__webcrypto_secret.js: the secret-key algorithms of Web Crypto besides HMAC:
// AES-GCM, AES-CBC and AES-CTR (`encrypt`/`decrypt`), AES-KW (`wrapKey`/`unwrapKey`, the
// `cryptoAesKw` native), keys from `generateKey` or `importKey` 'raw'/'jwk', exported the same
// ways; PBKDF2 and HKDF (`deriveBits`, `deriveKey`, keys from `importKey` 'raw', never
// extractable). The ciphers are the natives behind node:crypto's Cipheriv, the KDFs
// node:crypto's own (loaded on first use), with Node's Web Crypto errors.
// Not done: AES-CTR counters that wrap within a message.
import { bridge } from 'agentos:bridge';
import {
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  ObjectFreeze,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  StringPrototypeToUpperCase,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray,
  TypeErrorCtor,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import { bytesString, stringBytes } from './internal__crypto_util.js';

const cipherNew = bridge.cryptoCipherNew;
const cipherUpdate = bridge.cryptoCipherUpdate;
const cipherFinal = bridge.cryptoCipherFinal;
const cipherSetAAD = bridge.cryptoCipherSetAAD;
const cipherSetTag = bridge.cryptoCipherSetTag;
const cipherGetTag = bridge.cryptoCipherGetTag;
const aesKw = bridge.cryptoAesKw;
const FAILED = 'The operation failed for an operation-specific reason';

const AES_USAGES = ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];
const KDF_USAGES = ['deriveBits', 'deriveKey'];
const GCM_TAG_LENGTHS = [32, 64, 96, 104, 112, 120, 128];
const KW_USAGES = ['wrapKey', 'unwrapKey'];
const JWK_ALG_SUFFIX = {
  __proto__: null,
  'AES-GCM': 'GCM',
  'AES-CBC': 'CBC',
  'AES-CTR': 'CTR',
  'AES-KW': 'KW',
};

/**
 * WebIDL's required dictionary member: a TypeError (ERR_MISSING_OPTION) naming it and the
 * dictionary (`AesGcmParams`, ...), as Node's webidl converters throw it.
 */
export function requireMember(algorithm, member, dictionary) {
  if (algorithm !== null && typeof algorithm === 'object' && algorithm[member] !== undefined)
    return;
  throw makeNodeError(
    TypeErrorCtor,
    'ERR_MISSING_OPTION',
    `Failed to normalize algorithm: passed algorithm can not be converted to '${dictionary}' because '${member}' is required in '${dictionary}'.`,
  );
}

/** The canonical name of a secret-key algorithm here, or undefined. */
export function secretAlgorithm(name) {
  const upper = StringPrototypeToUpperCase(`${name}`);
  if (JWK_ALG_SUFFIX[upper] !== undefined) return upper;
  if (upper === 'PBKDF2' || upper === 'HKDF') return upper;
  return undefined;
}

/** True for the AES algorithms. */
export function isAes(name) {
  return JWK_ALG_SUFFIX[name] !== undefined;
}

/** The usages of a new key, checked (`SyntaxError` naming the algorithm otherwise). */
export function checkUsages(name, usages, fail) {
  const allowed = name === 'AES-KW' ? KW_USAGES : isAes(name) ? AES_USAGES : KDF_USAGES;
  const out = [];
  for (let i = 0; i < usages.length; i++) {
    if (!ArrayPrototypeIncludes(allowed, usages[i])) {
      throw fail(`Unsupported key usage for ${isAes(name) ? 'an AES' : `a ${name}`} key`);
    }
    if (!ArrayPrototypeIncludes(out, usages[i])) ArrayPrototypePush(out, usages[i]);
  }
  return out;
}

/** The frozen `algorithm` of an AES key of `bytes`. */
export function aesAlgorithm(name, bytes) {
  return ObjectFreeze({ name, length: TypedArrayPrototypeGetByteLength(bytes) * 8 });
}

/** An AES key's bytes from `importKey` data, or throws `DataError` through `fail`. */
export function aesKeyBytes(name, format, data, bytesOfSource, fail) {
  let bytes;
  if (format === 'raw') bytes = bytesOfSource(data);
  else if (format === 'jwk') bytes = aesFromJwk(name, data, fail);
  else throw fail(`Unable to import AES key with format ${format}`, 'NotSupportedError');
  const bits = TypedArrayPrototypeGetByteLength(bytes) * 8;
  if (bits !== 128 && bits !== 192 && bits !== 256) throw fail('Invalid key length', 'DataError');
  return bytes;
}

function aesFromJwk(name, jwk, fail) {
  if (jwk === null || typeof jwk !== 'object') throw fail('Invalid keyData', 'DataError');
  if (jwk.kty !== 'oct') throw fail('Invalid JWK "kty" Parameter', 'DataError');
  if (typeof jwk.k !== 'string') throw fail('Invalid JWK "k" Parameter', 'DataError');
  const bytes = new Uint8ArrayCtor(stringBytes(jwk.k, 'base64url'));
  const alg = `A${TypedArrayPrototypeGetByteLength(bytes) * 8}${JWK_ALG_SUFFIX[name]}`;
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    throw fail('JWK "alg" does not match the requested algorithm', 'DataError');
  }
  return bytes;
}

/** The JWK of an AES key. */
export function aesJwk(name, bytes, usages, extractable) {
  const k = bytesString(bytes, 'base64url');
  const alg = `A${TypedArrayPrototypeGetByteLength(bytes) * 8}${JWK_ALG_SUFFIX[name]}`;
  return { key_ops: usages, ext: extractable, kty: 'oct', k, alg };
}

function aesCipherName(name, bytes) {
  const bits = TypedArrayPrototypeGetByteLength(bytes) * 8;
  return `aes-${bits}-${StringPrototypeToLowerCase(StringPrototypeSlice(name, 4))}`;
}

/**
 * `encrypt`/`decrypt` with an AES key: the output bytes. `params` is the algorithm object,
 * `source(value, what)` reads a BufferSource, `fail(message, name)` makes a DOMException.
 */
export function aesCipher(encrypt, name, params, bytes, data, source, fail) {
  if (name === 'AES-KW') {
    const out = aesKw(bytes, data, encrypt);
    if (out === undefined) throw fail(FAILED, 'OperationError');
    return out;
  }
  if (name === 'AES-CTR') {
    requireMember(params, 'counter', 'AesCtrParams');
    requireMember(params, 'length', 'AesCtrParams');
  } else requireMember(params, 'iv', name === 'AES-GCM' ? 'AesGcmParams' : 'AesCbcParams');
  if (name === 'AES-GCM') return gcm(encrypt, params, bytes, data, source, fail);
  const iv = source(name === 'AES-CBC' ? params.iv : params.counter, name);
  if (TypedArrayPrototypeGetByteLength(iv) !== 16) {
    const field = name === 'AES-CBC' ? 'iv' : 'counter';
    throw fail(`algorithm.${field} must contain exactly 16 bytes`, 'OperationError');
  }
  if (name === 'AES-CTR' && !(params.length > 0 && params.length <= 128)) {
    throw fail('AES-CTR algorithm.length must be between 1 and 128', 'OperationError');
  }
  return run(aesCipherName(name, bytes), bytes, iv, encrypt, data, fail);
}

/** One whole cipher pass; a failed final block (padding, tag) is an OperationError. */
function run(cipher, bytes, iv, encrypt, data, fail, aad, tag) {
  const handle = cipherNew(cipher, bytes, iv, encrypt);
  if (typeof handle === 'number') throw fail(FAILED, 'OperationError');
  if (aad !== undefined) cipherSetAAD(handle, aad);
  if (tag !== undefined) cipherSetTag(handle, tag);
  const head = cipherUpdate(handle, data);
  const tail = cipherFinal(handle);
  if (typeof tail === 'number') throw fail(FAILED, 'OperationError');
  const out = TypedArrayPrototypeGetByteLength(tail) === 0 ? head : concat(head, tail);
  return encrypt && aad !== undefined ? { out, tag: cipherGetTag(handle) } : out;
}

function gcm(encrypt, params, bytes, data, source, fail) {
  const tagBits = params.tagLength === undefined ? 128 : params.tagLength;
  if (!ArrayPrototypeIncludes(GCM_TAG_LENGTHS, tagBits)) {
    throw fail(`${tagBits} is not a valid AES-GCM tag length`, 'OperationError');
  }
  const tagBytes = tagBits / 8;
  const iv = source(params.iv, 'AES-GCM');
  if (TypedArrayPrototypeGetByteLength(iv) === 0) {
    throw fail('algorithm.iv must not be empty', 'OperationError');
  }
  const name = aesCipherName('AES-GCM', bytes);
  const aad =
    params.additionalData === undefined
      ? new Uint8ArrayCtor(0)
      : source(params.additionalData, 'AES-GCM');
  if (encrypt) {
    const sealed = run(name, bytes, iv, true, data, fail, aad);
    return concat(sealed.out, TypedArrayPrototypeSubarray(sealed.tag, 0, tagBytes));
  }
  const length = TypedArrayPrototypeGetByteLength(data);
  if (length < tagBytes) throw fail('The provided data is too small.', 'OperationError');
  const body = TypedArrayPrototypeSubarray(data, 0, length - tagBytes);
  const tag = TypedArrayPrototypeSubarray(data, length - tagBytes);
  return run(name, bytes, iv, false, body, fail, aad, tag);
}

function concat(a, b) {
  const aLength = TypedArrayPrototypeGetByteLength(a);
  const out = new Uint8ArrayCtor(aLength + TypedArrayPrototypeGetByteLength(b));
  TypedArrayPrototypeSet(out, a, 0);
  TypedArrayPrototypeSet(out, b, aLength);
  return out;
}

/**
 * `deriveBits` with a PBKDF2 or HKDF key of `bytes`: `length` bits (a multiple of 8). `hash`
 * is node:crypto's digest name.
 */
export function kdfBits(name, params, bytes, hash, length, source, fail) {
  if (length === null || length === undefined) {
    throw fail('length cannot be null', 'OperationError');
  }
  // WebIDL's `unsigned long`, as Node converts it (2 ** 32 is 0, -8 is 4294967288).
  length = +length >>> 0;
  if (length % 8 !== 0) throw fail('length must be a multiple of 8', 'OperationError');
  const kdf = loadLazyBuiltin('internal/crypto_kdf');
  const salt = source(params.salt, name);
  if (name === 'PBKDF2') {
    if (!(params.iterations > 0)) throw fail('iterations cannot be zero', 'OperationError');
    return new Uint8ArrayCtor(kdf.pbkdf2Sync(bytes, salt, params.iterations, length / 8, hash));
  }
  const info = source(params.info, name);
  try {
    return new Uint8ArrayCtor(kdf.hkdfSync(hash, bytes, salt, info, length / 8));
  } catch {
    throw fail(FAILED, 'OperationError');
  }
}
