// lib/internal__webcrypto_subtle.js: `crypto.subtle` (a `SubtleCrypto`, loaded on its first
// use by lib/internal__webcrypto.js). It does `digest` (SHA-1/256/384/512), HMAC
// (lib/internal__webcrypto_cryptokey.js, which also holds `CryptoKey`), AES-GCM/CBC/CTR/KW,
// PBKDF2 and HKDF (lib/internal__webcrypto_secret.js), ECDSA, Ed25519, Ed448, RSASSA-PKCS1-v1_5,
// RSA-PSS, RSA-OAEP, ECDH, X25519 and X448 (lib/internal__webcrypto_keys.js), and
// `wrapKey`/`unwrapKey` over those ciphers; other algorithms reject with a NotSupportedError
// DOMException.
import { bridge } from 'agentos:bridge';
import {
  ArrayPrototypeIncludes,
  JSONParse,
  JSONStringify,
  ObjectDefineProperty,
  StringPrototypeRepeat,
  SymbolToStringTag,
  TypedArrayPrototypeGetByteLength,
  TypeErrorCtor,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { makeNodeError } from '../js/06_errors.js';
import { bytesString, stringBytes } from './internal__crypto_util.js';
import { invalidThis } from './internal__web_errors.js';
import {
  arrayBufferOf,
  asymmetric,
  attempt,
  bufferSource,
  checkUsageNames,
  cipherKey,
  derive,
  digestOf,
  domException,
  fail,
  hmacJwk,
  hmacKey,
  hmacOf,
  hmacParams,
  importSecret,
  key,
  keyLength,
  param,
  resultBuffer,
  secretKey,
  supported,
  usableKey,
} from './internal__webcrypto_cryptokey.js';
import {
  asymmetricAlgorithm,
  exportAsymmetric,
  generatePair,
  importAsymmetric,
  oaep,
  signOrVerify,
} from './internal__webcrypto_keys.js';
import { aesCipher, aesJwk, isAes, requireMember } from './internal__webcrypto_secret.js';

const cryptoRandomFill = bridge.cryptoRandomFill;
const cryptoHashOnce = bridge.cryptoHashOnce;
const cryptoTimingSafeEqual = bridge.cryptoTimingSafeEqual;

let constructing = false;

const KEY_FORMATS = ['raw', 'spki', 'pkcs8', 'jwk'];

/** WebIDL's check of a `KeyFormat` argument (the 1st), as Node words it. */
function checkFormat(format, method) {
  const value = `${format}`;
  if (!ArrayPrototypeIncludes(KEY_FORMATS, value)) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      `Failed to execute '${method}' on 'SubtleCrypto': 1st argument value '${value}' is not a valid enum value of type KeyFormat.`,
    );
  }
}

/** A JWK to wrap as UTF-8 JSON; for AES-KW, which wraps whole 8-byte blocks, padded with
 * spaces as Node pads it. */
function jwkBytes(jwk, wrapAlgorithm) {
  const json = JSONStringify(jwk);
  const bytes = stringBytes(json, 'utf8');
  const spare = TypedArrayPrototypeGetByteLength(bytes) % 8;
  if (spare === 0 || supported(wrapAlgorithm) !== 'AES-KW') return bytes;
  return stringBytes(json + StringPrototypeRepeat(' ', 8 - spare), 'utf8');
}

/** `importKey` once its arguments are checked. */
export function importKeySync(format, keyData, algorithm, extractable, keyUsages) {
  const name = supported(algorithm);
  const out =
    asymmetricAlgorithm(name) !== undefined
      ? importAsymmetric(format, keyData, name, algorithm, extractable, keyUsages, asymmetric)
      : importSecret(format, keyData, algorithm, name, extractable, keyUsages);
  const data = key(out);
  if (data.type !== 'public' && data.usages.length === 0) {
    throw domException(`Usages cannot be empty when importing a ${data.type} key.`, 'SyntaxError');
  }
  return out;
}

/** `exportKey`: an ArrayBuffer, or the JWK object. */
function exportSync(format, k) {
  const data = key(k);
  if (!data.extractable) throw domException('key is not extractable', 'InvalidAccessError');
  if (data.keyObject !== undefined) {
    const out = exportAsymmetric(format, data, asymmetric);
    return format === 'jwk' ? out : arrayBufferOf(out);
  }
  if (format === 'raw') return arrayBufferOf(data.bytes);
  if (format === 'jwk' && isAes(data.name)) {
    return aesJwk(data.name, data.bytes, data.usages, data.extractable);
  }
  if (format === 'jwk' && data.name === 'HMAC') return hmacJwk(data);
  throw domException(
    `Unable to export ${data.name} key with format ${format}`,
    'NotSupportedError',
  );
}

/** `encrypt`/`decrypt` (and the wrapping of `wrapKey`/`unwrapKey`, `usage` naming which). */
function cipherSync(encrypt, algorithm, k, bytes, usage) {
  const state = cipherKey(algorithm, k, usage);
  if (state.name === 'RSA-OAEP') {
    return resultBuffer(oaep(encrypt, algorithm, state, bytes, asymmetric));
  }
  return resultBuffer(aesCipher(encrypt, state.name, algorithm, state.bytes, bytes, param, fail));
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
      throw invalidThis('SubtleCrypto');
    }
  }
  digest(algorithm, data) {
    return attempt(() => {
      checkSubtleThis(this);
      const entry = digestOf(algorithm);
      return resultBuffer(cryptoHashOnce(entry[1], bufferSource(data, 'digest'), 0, 0));
    });
  }
  importKey(format, keyData, algorithm, extractable, keyUsages) {
    return attempt(() => {
      checkSubtleThis(this);
      checkFormat(format, 'importKey');
      if (format !== 'jwk') bufferSource(keyData, 'importKey');
      checkUsageNames(keyUsages, 'importKey', '5th argument');
      return importKeySync(format, keyData, algorithm, extractable, keyUsages);
    });
  }
  exportKey(format, k) {
    return attempt(() => {
      checkSubtleThis(this);
      checkFormat(format, 'exportKey');
      return exportSync(format, k);
    });
  }
  generateKey(algorithm, extractable, keyUsages) {
    return attempt(() => {
      checkSubtleThis(this);
      checkUsageNames(keyUsages, 'generateKey', '3rd argument');
      const name = supported(algorithm);
      if (asymmetricAlgorithm(name) !== undefined) {
        return generatePair(name, algorithm, extractable, keyUsages, asymmetric);
      }
      if (isAes(name)) {
        requireMember(algorithm, 'length', 'AesKeyGenParams');
        const length = algorithm.length;
        if (length !== 128 && length !== 192 && length !== 256) {
          throw domException('AES key length must be 128, 192, or 256 bits', 'OperationError');
        }
        const bytes = new Uint8ArrayCtor(length / 8);
        cryptoRandomFill(bytes);
        return secretKey(name, bytes, extractable, keyUsages);
      }
      if (name !== 'HMAC') throw domException('Unrecognized algorithm name', 'NotSupportedError');
      const hash = hmacParams(algorithm, 'HmacKeyGenParams');
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
      const keyState = usableKey(algorithm, k, 'sign');
      const bytes = bufferSource(data, 'sign');
      if (keyState.name === 'HMAC') return arrayBufferOf(hmacOf(keyState, bytes));
      return arrayBufferOf(signOrVerify(algorithm, keyState, bytes, undefined, asymmetric));
    });
  }
  verify(algorithm, k, signature, data) {
    return attempt(() => {
      checkSubtleThis(this);
      const keyState = usableKey(algorithm, k, 'verify');
      const bytes = bufferSource(data, 'verify');
      const given = bufferSource(signature, 'verify');
      if (keyState.name === 'HMAC') return cryptoTimingSafeEqual(hmacOf(keyState, bytes), given);
      return signOrVerify(algorithm, keyState, bytes, given, asymmetric);
    });
  }
  encrypt(algorithm, k, data) {
    return attempt(() => {
      checkSubtleThis(this);
      return cipherSync(true, algorithm, k, bufferSource(data, 'encrypt'), 'encrypt');
    });
  }
  decrypt(algorithm, k, data) {
    return attempt(() => {
      checkSubtleThis(this);
      return cipherSync(false, algorithm, k, bufferSource(data, 'decrypt'), 'decrypt');
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
      checkUsageNames(keyUsages, 'deriveKey', '5th argument');
      const length = keyLength(derivedKeyAlgorithm);
      const bits = derive(algorithm, baseKey, length, 'deriveKey');
      const name = supported(derivedKeyAlgorithm);
      return importSecret('raw', bits, derivedKeyAlgorithm, name, extractable, keyUsages);
    });
  }
  wrapKey(format, k, wrappingKey, wrapAlgorithm) {
    return attempt(() => {
      checkSubtleThis(this);
      checkFormat(format, 'wrapKey');
      const exported = exportSync(format, k);
      const bytes =
        format === 'jwk' ? jwkBytes(exported, wrapAlgorithm) : new Uint8ArrayCtor(exported);
      return cipherSync(true, wrapAlgorithm, wrappingKey, bytes, 'wrapKey');
    });
  }
  unwrapKey(format, wrapped, unwrappingKey, unwrapAlgorithm, keyAlgorithm, extractable, usages) {
    return attempt(() => {
      checkSubtleThis(this);
      checkFormat(format, 'unwrapKey');
      checkUsageNames(usages, 'unwrapKey', '7th argument');
      const bytes = bufferSource(wrapped, 'unwrapKey');
      const opened = cipherSync(false, unwrapAlgorithm, unwrappingKey, bytes, 'unwrapKey');
      let data = opened;
      if (format === 'jwk') {
        try {
          data = JSONParse(bytesString(new Uint8ArrayCtor(opened), 'utf8'));
        } catch {
          throw domException('The imported JWK is not valid JSON', 'DataError');
        }
      }
      return importKeySync(format, data, keyAlgorithm, extractable, usages);
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

constructing = true;
/** The one `crypto.subtle`. */
export const subtle = new SubtleCrypto();
constructing = false;
