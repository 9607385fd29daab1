// lib/internal__webcrypto_keyobject.js: the two crossings between node:crypto's KeyObject and
// Web Crypto's CryptoKey, `KeyObject.from(cryptoKey)` and `keyObject.toCryptoKey(algorithm,
// extractable, keyUsages)` (loaded by lib/internal__crypto_keys.js on their first use). A
// KeyObject becomes a CryptoKey exactly as its bytes would through `subtle.importKey` (raw for a
// secret key, SPKI or PKCS#8 DER for a public or private one), so every check is the import's.

import { makeInvalidArgType } from '../js/06_errors.js';
import { createSecretKey, isKeyObject, keyObjectBytes } from './internal__crypto_keys.js';
import { isCryptoKey, key } from './internal__webcrypto_cryptokey.js';
import { importKeySync } from './internal__webcrypto_subtle.js';

/** `KeyObject.from(key)`: the KeyObject behind a CryptoKey. */
export function keyObjectFrom(cryptoKey) {
  if (!isCryptoKey(cryptoKey))
    throw makeInvalidArgType('key', 'an instance of CryptoKey', cryptoKey);
  const data = key(cryptoKey);
  if (data.keyObject !== undefined) return data.keyObject;
  return createSecretKey(data.bytes);
}

const FORMATS = { __proto__: null, secret: 'raw', public: 'spki', private: 'pkcs8' };

/** `keyObject.toCryptoKey(algorithm, extractable, keyUsages)`. */
export function toCryptoKey(keyObject, algorithm, extractable, keyUsages) {
  if (!isKeyObject(keyObject)) throw makeInvalidArgType('this', 'KeyObject', keyObject);
  const format = FORMATS[keyObject.type];
  return importKeySync(format, keyObjectBytes(keyObject), algorithm, extractable, keyUsages);
}
