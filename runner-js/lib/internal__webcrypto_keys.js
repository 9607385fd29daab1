// lib/internal__webcrypto_keys.js: the asymmetric algorithms of Web Crypto: ECDSA, Ed25519,
// Ed448, RSASSA-PKCS1-v1_5 and RSA-PSS (`sign`/`verify`), RSA-OAEP (`encrypt`/`decrypt`), ECDH,
// X25519 and X448 (`deriveBits`, `deriveKey`), with keys from `generateKey` and `importKey` 'spki',
// 'pkcs8', 'jwk' and 'raw' (EC and OKP public keys), exported the same ways. A key is a
// node:crypto KeyObject (internal/crypto_pkey, loaded on first use) with the Web Crypto
// algorithm, usages and extractability beside it; the errors are Node's.
// Not done: Ed448 with a non-empty context (nor does Node 22), ECDSA keys in 'raw' private form.
import {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  ArrayPrototypeUnshift,
  MathCeil,
  NumberCtor,
  ObjectFreeze,
  ObjectKeys,
  RangeErrorCtor,
  StringPrototypeToLowerCase,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeSubarray,
  Uint8ArrayCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import { ecSpki, encodePoint } from './internal__crypto_ec.js';
import { bytesString, stringBytes } from './internal__crypto_util.js';
import { requireMember } from './internal__webcrypto_secret.js';

const NAMES = {
  __proto__: null,
  ecdsa: 'ECDSA',
  ecdh: 'ECDH',
  ed25519: 'Ed25519',
  x25519: 'X25519',
  ed448: 'Ed448',
  x448: 'X448',
  'rsassa-pkcs1-v1_5': 'RSASSA-PKCS1-v1_5',
  'rsa-pss': 'RSA-PSS',
  'rsa-oaep': 'RSA-OAEP',
};
/** [public usages, private usages] of each algorithm. */
const USAGES = {
  __proto__: null,
  ECDSA: [['verify'], ['sign']],
  Ed25519: [['verify'], ['sign']],
  Ed448: [['verify'], ['sign']],
  'RSASSA-PKCS1-v1_5': [['verify'], ['sign']],
  'RSA-PSS': [['verify'], ['sign']],
  'RSA-OAEP': [
    ['encrypt', 'wrapKey'],
    ['decrypt', 'unwrapKey'],
  ],
  ECDH: [[], ['deriveKey', 'deriveBits']],
  X25519: [[], ['deriveKey', 'deriveBits']],
  X448: [[], ['deriveKey', 'deriveBits']],
};
/** The length of an OKP key's raw bytes. */
const OKP_BYTES = { __proto__: null, Ed25519: 32, X25519: 32, Ed448: 57, X448: 56 };
/** Web Crypto curve name -> [node:crypto name, JWK crv, coordinate bytes]. */
const CURVES = {
  __proto__: null,
  'P-256': ['prime256v1', 'P-256', 32],
  'P-384': ['secp384r1', 'P-384', 48],
  'P-521': ['secp521r1', 'P-521', 66],
};
const JWK_HASH = {
  __proto__: null,
  'SHA-1': '1',
  'SHA-256': '256',
  'SHA-384': '384',
  'SHA-512': '512',
};
const HASH_BYTES = { __proto__: null, 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
const RSA_PKCS1_OAEP_PADDING = 4;
const RSA_PKCS1_PSS_PADDING = 6;

let pkey;
function keys() {
  if (pkey === undefined) pkey = loadLazyBuiltin('internal/crypto_pkey');
  return pkey;
}
let signing;
function signs() {
  if (signing === undefined) signing = loadLazyBuiltin('internal/crypto_sign');
  return signing;
}

/** The canonical name of an asymmetric algorithm here, or undefined. */
export function asymmetricAlgorithm(name) {
  return NAMES[StringPrototypeToLowerCase(`${name}`)];
}

const isRsa = (name) => name === 'RSASSA-PKCS1-v1_5' || name === 'RSA-PSS' || name === 'RSA-OAEP';
const isEc = (name) => name === 'ECDSA' || name === 'ECDH';
const isOkp = (name) => OKP_BYTES[name] !== undefined;
/** Whether `name` agrees secrets (`deriveBits`). */
export const isAgreement = (name) => name === 'ECDH' || name === 'X25519' || name === 'X448';

/**
 * `ctx` carries the host module's helpers: `fail(message, name)` (a DOMException),
 * `isDomException(value)`, `source(value, what)` (BufferSource bytes), `digest(algorithm)` (the
 * [Web, node] hash names), `newKey(state)` (a CryptoKey).
 */
function curveOf(algorithm, ctx) {
  const curve = CURVES[`${algorithm.namedCurve}`];
  if (curve === undefined) throw ctx.fail('Unrecognized namedCurve', 'NotSupportedError');
  return curve;
}

/** The usages split into the public and private key's (`{ pub, priv }`), or a SyntaxError. */
function splitUsages(name, usages, ctx, article) {
  const allowed = USAGES[name];
  const pub = [];
  const priv = [];
  for (let i = 0; i < usages.length; i++) {
    const usage = usages[i];
    const list = ArrayPrototypeIncludes(allowed[0], usage)
      ? pub
      : ArrayPrototypeIncludes(allowed[1], usage)
        ? priv
        : null;
    if (list === null) throw unsupportedUsage(name, ctx, article);
    if (!ArrayPrototypeIncludes(list, usage)) ArrayPrototypePush(list, usage);
  }
  return { pub, priv };
}

/** Node's words: "an" when generating (RSA too), "a" when importing EC and OKP keys. */
function unsupportedUsage(name, ctx, article) {
  return ctx.fail(`Unsupported key usage for ${article} ${name} key`, 'SyntaxError');
}

/** The frozen `algorithm` of a key of `name` over KeyObject `ko`. */
function keyAlgorithm(name, ko, params, ctx) {
  if (isEc(name)) return ObjectFreeze({ name, namedCurve: params.namedCurve });
  if (isOkp(name)) return ObjectFreeze({ name });
  const details = ko.asymmetricKeyDetails;
  const exponent = [];
  let e = NumberCtor(details.publicExponent);
  while (e > 0) {
    ArrayPrototypeUnshift(exponent, e % 256);
    e = (e - (e % 256)) / 256;
  }
  return ObjectFreeze({
    name,
    modulusLength: details.modulusLength,
    publicExponent: new Uint8ArrayCtor(exponent),
    hash: ObjectFreeze({ name: ctx.digest(params.hash)[0] }),
  });
}

function wrap(name, type, ko, params, extractable, usages, ctx) {
  return ctx.newKey({
    type,
    name,
    keyObject: ko,
    extractable: !!extractable,
    algorithm: keyAlgorithm(name, ko, params, ctx),
    usages,
    hash: isRsa(name) ? ctx.digest(params.hash) : undefined,
  });
}

/** `generateKey` for an asymmetric algorithm: `{ publicKey, privateKey }`. */
export function generatePair(name, params, extractable, usages, ctx) {
  const split = splitUsages(name, usages, ctx, name === 'X25519' || name === 'X448' ? 'a' : 'an');
  let type;
  let options;
  if (isEc(name)) {
    requireMember(params, 'namedCurve', 'EcKeyGenParams');
    type = 'ec';
    options = { namedCurve: curveOf(params, ctx)[0] };
  } else if (isOkp(name)) {
    type = StringPrototypeToLowerCase(name);
    options = {};
  } else {
    type = 'rsa';
    requireMember(params, 'modulusLength', 'RsaHashedKeyGenParams');
    requireMember(params, 'publicExponent', 'RsaHashedKeyGenParams');
    requireMember(params, 'hash', 'RsaHashedKeyGenParams');
    ctx.digest(params.hash);
    options = { modulusLength: params.modulusLength, publicExponent: exponentOf(params, ctx) };
  }
  if (split.priv.length === 0) {
    throw ctx.fail('Usages cannot be empty when creating a key.', 'SyntaxError');
  }
  let pair;
  try {
    pair = keys().generateKeyPairSync(type, options);
  } catch {
    throw ctx.fail('The operation failed for an operation-specific reason', 'OperationError');
  }
  return {
    publicKey: wrap(name, 'public', pair.publicKey, params, true, split.pub, ctx),
    privateKey: wrap(name, 'private', pair.privateKey, params, extractable, split.priv, ctx),
  };
}

function exponentOf(params, ctx) {
  const bytes = ctx.source(params.publicExponent, 'generateKey');
  let value = 0;
  const length = TypedArrayPrototypeGetByteLength(bytes);
  for (let i = 0; i < length; i++) value = value * 256 + bytes[i];
  if (value !== 3 && value !== 65537) {
    throw ctx.fail('The operation failed for an operation-specific reason', 'OperationError');
  }
  return value;
}

/** `importKey` for an asymmetric algorithm. */
export function importAsymmetric(format, data, name, params, extractable, usages, ctx) {
  if (isEc(name)) requireMember(params, 'namedCurve', 'EcKeyImportParams');
  if (isRsa(name)) requireMember(params, 'hash', 'RsaHashedImportParams');
  let ko;
  let type;
  try {
    if (format === 'spki' || format === 'raw') {
      const key =
        format === 'raw'
          ? rawPublic(name, params, ctx.source(data, 'importKey'), ctx)
          : { key: ctx.source(data, 'importKey'), format: 'der', type: 'spki' };
      ko = keys().createPublicKey(key);
      type = 'public';
    } else if (format === 'pkcs8') {
      const key = { key: ctx.source(data, 'importKey'), format: 'der', type: 'pkcs8' };
      ko = keys().createPrivateKey(key);
      type = 'private';
    } else if (format === 'jwk') {
      checkJwk(name, params, data, extractable, usages, ctx);
      type = data.d === undefined ? 'public' : 'private';
      const create = type === 'public' ? keys().createPublicKey : keys().createPrivateKey;
      ko = create({ key: data, format: 'jwk' });
      if (type === 'private' && isOkp(name) && ko.export({ format: 'jwk' }).x !== data.x) {
        throw ctx.fail('Invalid keyData', 'DataError');
      }
    } else {
      throw ctx.fail(`Unable to import ${name} key with format ${format}`, 'NotSupportedError');
    }
  } catch (err) {
    if (ctx.isDomException(err)) throw err;
    throw ctx.fail('Invalid keyData', 'DataError');
  }
  checkKind(name, ko, params, ctx);
  const article = isRsa(name) ? 'an' : 'a';
  const split = splitUsages(name, usages, ctx, article);
  const list = type === 'public' ? split.pub : split.priv;
  const other = type === 'public' ? split.priv : split.pub;
  if (other.length > 0) throw unsupportedUsage(name, ctx, article);
  return wrap(name, type, ko, params, extractable, list, ctx);
}

/** The JWK `alg` an ECDSA key on each curve may carry. */
const ECDSA_ALG = { __proto__: null, 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };
/** WebIDL's `KeyUsage` values: what `checkUsageNames` accepts, and the JWK key_ops Node knows. */
export const KEY_USAGES = [
  'encrypt',
  'decrypt',
  'sign',
  'verify',
  'deriveKey',
  'deriveBits',
  'wrapKey',
  'unwrapKey',
];

/** Node's checks of a JWK's `kty`, `crv`, `use`, `key_ops`, `ext` and `alg` before import. */
function checkJwk(name, params, jwk, extractable, usages, ctx) {
  const bad = (message) => ctx.fail(message, 'DataError');
  if (jwk === null || typeof jwk !== 'object' || !jwk.kty) throw bad('Invalid keyData');
  if (jwk.kty !== (isEc(name) ? 'EC' : isOkp(name) ? 'OKP' : 'RSA')) {
    throw bad('Invalid JWK "kty" Parameter');
  }
  if (isOkp(name) && jwk.crv !== name) {
    throw bad('JWK "crv" Parameter and algorithm name mismatch');
  }
  if (isEc(name) && jwk.crv !== params.namedCurve) {
    throw bad('JWK "crv" does not match the requested algorithm');
  }
  const use = name === 'RSA-OAEP' || isAgreement(name) ? 'enc' : 'sig';
  if (usages.length > 0 && jwk.use !== undefined && jwk.use !== use) {
    throw bad('Invalid JWK "use" Parameter');
  }
  checkKeyOps(jwk.key_ops, usages, ctx);
  if (jwk.ext === false && extractable === true) {
    throw bad('JWK "ext" Parameter and extractable mismatch');
  }
  if (jwk.alg === undefined) return;
  const alg = isRsa(name)
    ? rsaJwkAlg(name, ctx.digest(params.hash)[0])
    : name === 'ECDSA'
      ? ECDSA_ALG[params.namedCurve]
      : name === 'Ed25519' || name === 'Ed448'
        ? name
        : jwk.alg;
  if (jwk.alg !== alg && !(alg === name && jwk.alg === 'EdDSA')) {
    throw bad('JWK "alg" does not match the requested algorithm');
  }
}

/** A JWK's `key_ops`: no known operation twice, and every usage asked for among them. */
function checkKeyOps(keyOps, usages, ctx) {
  if (keyOps === undefined) return;
  if (!ArrayIsArray(keyOps)) {
    throw makeInvalidArgType('keyData.key_ops', 'an instance of Array', keyOps);
  }
  const seen = [];
  for (let i = 0; i < keyOps.length; i++) {
    const op = keyOps[i];
    if (!ArrayPrototypeIncludes(KEY_USAGES, op)) continue;
    if (ArrayPrototypeIncludes(seen, op)) throw ctx.fail('Duplicate key operation', 'DataError');
    ArrayPrototypePush(seen, op);
  }
  for (let i = 0; i < usages.length; i++) {
    if (!ArrayPrototypeIncludes(keyOps, usages[i])) {
      throw ctx.fail('Key operations and usage mismatch', 'DataError');
    }
  }
}

/** A DataError unless KeyObject `ko` is a key of `name` (and of `params.namedCurve`). */
function checkKind(name, ko, params, ctx) {
  const kind = ko.asymmetricKeyType;
  const want = isEc(name) ? 'ec' : isOkp(name) ? StringPrototypeToLowerCase(name) : 'rsa';
  if (kind !== want && !(want === 'rsa' && kind === 'rsa-pss')) {
    throw ctx.fail('Invalid key type', 'DataError');
  }
  if (isEc(name) && ko.asymmetricKeyDetails.namedCurve !== curveOf(params, ctx)[0]) {
    throw ctx.fail('Named curve mismatch', 'DataError');
  }
  if (isRsa(name)) ctx.digest(params.hash);
}

/** A raw public key as createPublicKey takes it: an OKP's bytes as a JWK, an EC point (any
 * SEC1 form, compressed too) in a SubjectPublicKeyInfo. */
function rawPublic(name, params, bytes, ctx) {
  if (isOkp(name)) {
    if (TypedArrayPrototypeGetByteLength(bytes) !== OKP_BYTES[name]) {
      throw ctx.fail(`${name} raw keys must be exactly ${OKP_BYTES[name]}-bytes`, 'DataError');
    }
    return { key: { kty: 'OKP', crv: name, x: bytesString(bytes, 'base64url') }, format: 'jwk' };
  }
  if (!isEc(name))
    throw ctx.fail(`Unable to import ${name} key with format raw`, 'NotSupportedError');
  // No SEC1 point is longer than an uncompressed one; nothing larger is copied.
  const curve = curveOf(params, ctx);
  if (TypedArrayPrototypeGetByteLength(bytes) > 1 + 2 * curve[2]) {
    throw ctx.fail('Invalid keyData', 'DataError');
  }
  return { key: ecSpki(curve[0], bytes), format: 'der', type: 'spki' };
}

/** `exportKey` of an asymmetric key's state `k`. */
export function exportAsymmetric(format, k, ctx) {
  const ko = k.keyObject;
  const refuse = () =>
    ctx.fail(`Unable to export a ${format} ${k.name} ${k.type} key`, 'InvalidAccessError');
  if (format === 'spki') {
    if (k.type !== 'public') throw refuse();
    return ko.export({ format: 'der', type: 'spki' });
  }
  if (format === 'pkcs8') {
    if (k.type !== 'private') throw refuse();
    return ko.export({ format: 'der', type: 'pkcs8' });
  }
  if (format === 'raw') {
    if (k.type !== 'public' || isRsa(k.name)) throw refuse();
    const jwk = ko.export({ format: 'jwk' });
    if (isOkp(k.name)) return stringBytes(jwk.x, 'base64url');
    return encodePoint(
      stringBytes(jwk.x, 'base64url'),
      stringBytes(jwk.y, 'base64url'),
      'uncompressed',
    );
  }
  if (format !== 'jwk') {
    throw ctx.fail(`Unable to export ${k.name} key with format ${format}`, 'NotSupportedError');
  }
  const jwk = { key_ops: k.usages, ext: k.extractable };
  const fields = ko.export({ format: 'jwk' });
  const names = ObjectKeys(fields);
  for (let i = 0; i < names.length; i++) jwk[names[i]] = fields[names[i]];
  if (isRsa(k.name)) jwk.alg = rsaJwkAlg(k.name, k.hash[0]);
  else if (k.name === 'Ed25519' || k.name === 'Ed448') jwk.alg = k.name;
  return jwk;
}

function rsaJwkAlg(name, hash) {
  const bits = JWK_HASH[hash];
  if (name === 'RSASSA-PKCS1-v1_5') return `RS${bits}`;
  if (name === 'RSA-PSS') return `PS${bits}`;
  return bits === '1' ? 'RSA-OAEP' : `RSA-OAEP-${bits}`;
}

/** `sign` (`signature` undefined) or `verify` with an asymmetric key's state `k`. */
export function signOrVerify(params, k, data, signature, ctx) {
  const options = { key: k.keyObject };
  let hash = null;
  if (k.name === 'ECDSA') {
    requireMember(params, 'hash', 'EcdsaParams');
    hash = ctx.digest(params.hash)[1];
    options.dsaEncoding = 'ieee-p1363';
  } else if (k.name === 'RSASSA-PKCS1-v1_5') {
    hash = k.hash[1];
  } else if (k.name === 'RSA-PSS') {
    requireMember(params, 'saltLength', 'RsaPssParams');
    hash = k.hash[1];
    options.padding = RSA_PKCS1_PSS_PADDING;
    options.saltLength = checkSaltLength(params.saltLength, k, ctx);
  } else if (k.name === 'Ed448' && params.context !== undefined) {
    if (TypedArrayPrototypeGetByteLength(ctx.source(params.context, 'algorithm.context')) !== 0) {
      throw ctx.fail('Non zero-length context is not supported.', 'NotSupportedError');
    }
  }
  if (signature === undefined) return new Uint8ArrayCtor(signs().sign(hash, data, options));
  try {
    return signs().verify(hash, data, options, signature);
  } catch {
    return false;
  }
}

/** A PSS salt length that fits the key and hash, or an OperationError caused by a RangeError. */
function checkSaltLength(saltLength, k, ctx) {
  const max = MathCeil(k.algorithm.modulusLength / 8) - HASH_BYTES[k.hash[0]] - 2;
  if (saltLength >= 0 && saltLength <= max) return saltLength;
  const cause = makeNodeError(
    RangeErrorCtor,
    'ERR_OUT_OF_RANGE',
    `The value of "algorithm.saltLength" is out of range. It must be >= 0 && <= ${max}. Received ${saltLength}`,
  );
  throw ctx.fail('The operation failed for an operation-specific reason', 'OperationError', cause);
}

/** `encrypt`/`decrypt` with an RSA-OAEP key's state `k`. */
export function oaep(encrypt, params, k, data, ctx) {
  const options = { key: k.keyObject, padding: RSA_PKCS1_OAEP_PADDING, oaepHash: k.hash[1] };
  if (params.label !== undefined) options.oaepLabel = ctx.source(params.label, 'RSA-OAEP');
  try {
    const out = encrypt
      ? signs().publicEncrypt(options, data)
      : signs().privateDecrypt(options, data);
    return new Uint8ArrayCtor(out);
  } catch {
    throw ctx.fail('The operation failed for an operation-specific reason', 'OperationError');
  }
}

/** `deriveBits` with an ECDH, X25519 or X448 private key's state `k` and `params.public`'s. */
export function agree(params, k, peer, length, ctx) {
  if (peer.type !== 'public') {
    throw ctx.fail('algorithm.public must be a public key', 'InvalidAccessError');
  }
  if (k.type !== 'private') {
    throw ctx.fail('baseKey must be a private key', 'InvalidAccessError');
  }
  if (peer.name !== k.name) {
    throw ctx.fail(`algorithm.public must be an ${k.name} key`, 'InvalidAccessError');
  }
  if (isEc(k.name) && peer.algorithm.namedCurve !== k.algorithm.namedCurve) {
    throw ctx.fail('Named curve mismatch', 'InvalidAccessError');
  }
  let bits;
  try {
    bits = signs().diffieHellman({ privateKey: k.keyObject, publicKey: peer.keyObject });
  } catch {
    throw ctx.fail('The operation failed for an operation-specific reason', 'OperationError');
  }
  const out = new Uint8ArrayCtor(bits);
  if (length === null || length === undefined) return out;
  // As Node: a length that is not a multiple of 8 is rounded up to whole bytes.
  const bytes = MathCeil((+length >>> 0) / 8);
  if (TypedArrayPrototypeGetByteLength(out) < bytes) {
    throw ctx.fail('derived bit length is too small', 'OperationError');
  }
  const head = TypedArrayPrototypeSubarray(out, 0, bytes);
  // The bits past `length` in the last byte are zero, as Node leaves them.
  const spare = bytes * 8 - (+length >>> 0);
  if (spare > 0) head[bytes - 1] &= (0xff << spare) & 0xff;
  return head;
}
