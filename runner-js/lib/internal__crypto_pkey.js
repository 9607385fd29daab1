// lib/internal__crypto_pkey.js: asymmetric KeyObjects over the native `cryptoKeyOp`
// (agentos-keys: RustCrypto). `createPrivateKey`, `createPublicKey` (PEM, DER, JWK, a
// certificate, a private key), `generateKeyPair(Sync)` for rsa, rsa-pss, ec, ed25519, x25519,
// ed448 and x448, and `export` as PEM (PKCS#1, PKCS#8, SEC1, SPKI; encrypted with a passphrase), DER or JWK.
// A KeyObject holds its key as DER (PKCS#8 or SPKI); every operation hands that to the native.

import { bridge } from 'agentos:bridge';
import {
  ArrayBufferIsView,
  ArrayPrototypeIncludes,
  BigIntCtor,
  ErrorCtor,
  JSONParse,
  JSONStringify,
  ObjectDefineProperty,
  PromiseCtor,
  RangeErrorCtor,
  RegExpPrototypeExec,
  RegExpPrototypeTest,
  StringPrototypeToLowerCase,
  SymbolCtor,
  SymbolFor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { isAnyArrayBuffer } from '../js/01_helpers.js';
import { makeInvalidArgType, makeNodeError, validateFunction } from '../js/06_errors.js';
import { emitWarning } from '../js/23_warnings.js';
import { setImmediate } from '../js/24_timers.js';
import { isKeyObject, KeyObject, keyHandle, keyObjectBytes } from './internal__crypto_keys.js';
import {
  bytesOf,
  invalidArgValue,
  stringBytes,
  toBuffer,
  validateInt32,
  validateObject,
  validateString,
  validateUint32,
} from './internal__crypto_util.js';

const cryptoKeyOp = bridge.cryptoKeyOp;

const kAsymmetricType = SymbolCtor('kAsymmetricKeyType');
const kDetails = SymbolCtor('kAsymmetricKeyDetails');

/** Runs a key operation; its failure is thrown as the Node error it names. */
export function keyOp(op, spec, a, b, c) {
  const out = JSONParse(cryptoKeyOp(op, JSONStringify(spec), a, b, c));
  if (out.error !== undefined) {
    const e = out.error;
    const Ctor = e.typeError ? TypeErrorCtor : e.rangeError ? RangeErrorCtor : ErrorCtor;
    throw opensslParts(makeNodeError(Ctor, e.code, e.message));
  }
  return out;
}

/** `error` with the `library` and `reason` of an OpenSSL-style message
 * ("error:1E08010C:DECODER routines::unsupported"), as Node decorates OpenSSL's errors. */
function opensslParts(error) {
  const parts = RegExpPrototypeExec(/^error:[0-9A-F]{8}:([^:]*):[^:]*:(.*)$/, error.message);
  if (parts !== null) {
    error.library = parts[1];
    error.reason = parts[2];
  }
  return error;
}

/** Base64 from a key operation as a Buffer. */
export function opBytes(b64) {
  return toBuffer(stringBytes(b64, 'base64'));
}

class AsymmetricKeyObject extends KeyObject {
  constructor(type, handle, keyType, details) {
    super(type, handle);
    this[kAsymmetricType] = keyType;
    this[kDetails] = details;
  }

  get asymmetricKeyType() {
    return this[kAsymmetricType];
  }

  get asymmetricKeyDetails() {
    const d = this[kDetails];
    if (d.publicExponent === undefined) {
      return d.namedCurve === undefined ? {} : { namedCurve: d.namedCurve };
    }
    const out = { modulusLength: d.modulusLength, publicExponent: BigIntCtor(d.publicExponent) };
    if (d.hashAlgorithm !== undefined) {
      out.hashAlgorithm = d.hashAlgorithm;
      out.mgf1HashAlgorithm = d.mgf1HashAlgorithm;
      out.saltLength = d.saltLength;
    }
    return out;
  }
}

function exportFormat(options, types) {
  validateObject(options, 'options');
  const { format, type } = options;
  if (format === 'jwk') return { format, type: undefined };
  if (format !== 'pem' && format !== 'der') {
    throw invalidArgValue('options.format', format);
  }
  if (!ArrayPrototypeIncludes(types, type)) throw invalidArgValue('options.type', type);
  return { format, type };
}

/** JWK members in the order Node writes them. */
const JWK_ORDER = {
  __proto__: null,
  RSA: ['kty', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'],
  EC: ['kty', 'x', 'y', 'crv', 'd'],
  OKP: ['crv', 'd', 'x', 'kty'],
};

function nodeOrder(jwk) {
  const order = JWK_ORDER[jwk.kty];
  const out = {};
  for (let i = 0; i < order.length; i++) {
    if (jwk[order[i]] !== undefined) out[order[i]] = jwk[order[i]];
  }
  return out;
}

function exported(out) {
  if (out.pem !== undefined) return out.pem;
  if (out.jwk !== undefined) return nodeOrder(out.jwk);
  return opBytes(out.der);
}

class PublicKeyObject extends AsymmetricKeyObject {
  constructor(handle, keyType, details) {
    super('public', handle, keyType, details);
  }

  export(options) {
    const { format, type } = exportFormat(options, ['spki', 'pkcs1']);
    const spec = { kind: 'public', format, type };
    return exported(keyOp('export', spec, keyObjectBytes(this)));
  }
}

class PrivateKeyObject extends AsymmetricKeyObject {
  constructor(handle, keyType, details) {
    super('private', handle, keyType, details);
  }

  export(options) {
    const { format, type } = exportFormat(options, ['pkcs1', 'pkcs8', 'sec1']);
    const spec = { kind: 'private', format, type };
    const pass = encryption(options, spec, format, type);
    return exported(keyOp('export', spec, keyObjectBytes(this), pass));
  }
}

/** The passphrase bytes of an export with `cipher` (and `spec.cipher` set), else undefined. */
function encryption(options, spec, format, type) {
  const { cipher, passphrase } = options;
  if (format === 'jwk' && passphrase !== undefined) throw incompatibleEncryption('jwk');
  if (cipher === undefined) return undefined;
  validateString(cipher, 'options.cipher');
  if (!ArrayPrototypeIncludes(KEY_CIPHERS, StringPrototypeToLowerCase(cipher))) {
    throw unknownCipher();
  }
  if (format === 'der' && type !== 'pkcs8') throw incompatibleEncryption(type);
  if (typeof passphrase !== 'string' && !ArrayBufferIsView(passphrase)) {
    throw makeInvalidArgType(
      'options.passphrase',
      'string or an instance of Buffer, TypedArray, or DataView',
      passphrase,
    );
  }
  spec.cipher = cipher;
  return passBytes(passphrase);
}

function incompatibleEncryption(encoding) {
  return makeNodeError(
    ErrorCtor,
    'ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS',
    `The selected key encoding ${encoding} does not support encryption.`,
  );
}

function passBytes(passphrase) {
  if (passphrase === undefined || passphrase === null) return undefined;
  return typeof passphrase === 'string' ? stringBytes(passphrase, 'utf8') : bytesOf(passphrase);
}

/** A KeyObject from a key operation's description `{kind, der, keyType, details}`. */
export function keyFromOp(d) {
  const handle = keyHandle(opBytes(d.der));
  return d.kind === 'private'
    ? new PrivateKeyObject(handle, d.keyType, d.details)
    : new PublicKeyObject(handle, d.keyType, d.details);
}

function isKeyData(value) {
  return typeof value === 'string' || isAnyArrayBuffer(value) || ArrayBufferIsView(value);
}

const KEY_TYPES = 'string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, or object';

/**
 * Node's prepareAsymmetricKey for input that is not a KeyObject: `{ keyObject }` when `key`
 * (or `key.key`) is one, else the import's spec and bytes.
 */
export function prepareKey(key, want) {
  if (isKeyObject(key)) return { keyObject: key };
  if (isKeyData(key)) return { spec: { format: 'pem', want }, bytes: dataBytes(key) };
  if (key === null || typeof key !== 'object') throw makeInvalidArgType('key', KEY_TYPES, key);
  const { format = 'pem', type, passphrase, encoding } = key;
  const data = key.key;
  if (isKeyObject(data)) return { keyObject: data };
  if (format === 'jwk') {
    validateObject(data, 'key.key');
    validateJwk(data);
    return { spec: { format, want, jwk: data } };
  }
  if (format !== 'pem' && format !== 'der') throw invalidArgValue('options.format', format);
  if (!isKeyData(data)) {
    throw makeInvalidArgType(
      'key.key',
      'string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView',
      data,
    );
  }
  if (format === 'der' || type !== undefined) checkKeyType(type, want);
  const spec = { format, type, want };
  return { spec, bytes: dataBytes(data, encoding), pass: passBytes(passphrase) };
}

/** Node's parseKeyType for an input key: SPKI is never a private key's encoding. */
function checkKeyType(type, want) {
  const types = want === 'private' ? PRIVATE_TYPES : INPUT_TYPES;
  if (!ArrayPrototypeIncludes(types, type)) throw invalidArgValue('options.type', type);
}

const PRIVATE_TYPES = ['pkcs1', 'pkcs8', 'sec1'];
const INPUT_TYPES = ['pkcs1', 'spki', 'pkcs8', 'sec1'];

/** The string members a JWK of its `kty` must have (Node checks them before decoding). */
const JWK_MEMBERS = {
  __proto__: null,
  RSA: ['n', 'e'],
  RSA_PRIVATE: ['d', 'p', 'q', 'dp', 'dq', 'qi'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
};

function validateJwk(jwk) {
  const members = JWK_MEMBERS[jwk.kty];
  if (members === undefined) {
    throw makeNodeError(TypeErrorCtor, 'ERR_CRYPTO_INVALID_JWK', 'Invalid JWK data');
  }
  for (let i = 0; i < members.length; i++) validateString(jwk[members[i]], `key.${members[i]}`);
  if (jwk.kty === 'RSA' && jwk.d !== undefined) {
    const extra = JWK_MEMBERS.RSA_PRIVATE;
    for (let i = 0; i < extra.length; i++) validateString(jwk[extra[i]], `key.${extra[i]}`);
  }
}

function dataBytes(data, encoding) {
  if (typeof data === 'string') return stringBytes(data, encoding || 'utf8');
  return bytesOf(data);
}

function importKey(prepared) {
  return keyFromOp(keyOp('import', prepared.spec, prepared.bytes, prepared.pass));
}

function invalidKeyType(type, expected) {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE',
    `Invalid key object type ${type}, expected ${expected}.`,
  );
}

/** `crypto.createPrivateKey(key)`. */
export function createPrivateKey(key) {
  const prepared = prepareKey(key, 'private');
  if (prepared.keyObject !== undefined) throw makeInvalidArgType('key', KEY_TYPES, key);
  return importKey(prepared);
}

/** `crypto.createPublicKey(key)`: also from a private key (its public half) or a certificate. */
export function createPublicKey(key) {
  const prepared = prepareKey(key, 'public');
  const ko = prepared.keyObject;
  if (ko === undefined) return importKey(prepared);
  if (ko.type !== 'private') throw invalidKeyType(ko.type, 'private');
  return keyFromOp(keyOp('public', {}, keyObjectBytes(ko)));
}

/** The KeyObject a sign/verify/encrypt key argument stands for (`want`: private or public). */
export function keyObjectOf(key, want) {
  const prepared = prepareKey(key, want);
  const ko = prepared.keyObject;
  if (ko === undefined) return importKey(prepared);
  if (ko.type === 'secret') throw invalidKeyType('secret', want);
  if (want === 'private' && ko.type !== 'private') throw invalidKeyType(ko.type, 'private');
  return ko;
}

// ---- generateKeyPair ----

function keygenSpec(type, options) {
  validateString(type, 'type');
  const needsOptions = type === 'rsa' || type === 'rsa-pss' || type === 'ec' || type === 'dsa';
  if (options !== undefined || needsOptions) validateObject(options, 'options');
  const o = options || {};
  switch (type) {
    case 'rsa':
      validateRsa(o);
      return { type, modulusLength: o.modulusLength, publicExponent: o.publicExponent };
    case 'rsa-pss':
      return pssSpec(o);
    case 'ec':
      validateString(o.namedCurve, 'options.namedCurve');
      if (o.paramEncoding !== undefined && o.paramEncoding !== 'named') {
        if (o.paramEncoding === 'explicit') throw unsupportedExplicit();
        throw invalidArgValue('options.paramEncoding', o.paramEncoding);
      }
      return { type, namedCurve: o.namedCurve };
    case 'ed25519':
    case 'x25519':
    case 'ed448':
    case 'x448':
    case 'dsa':
    case 'dh':
      return { type };
    default:
      throw invalidArgValue('type', type, 'must be a supported key type');
  }
}

function validateRsa(o) {
  validateUint32(o.modulusLength, 'options.modulusLength');
  if (o.publicExponent !== undefined) validateUint32(o.publicExponent, 'options.publicExponent');
}

/** An option of the names before Node 16 (DEP0154), still honoured. */
function pssAlias(o, old, now) {
  const value = o[now];
  if (value !== undefined) validateString(value, `options.${now}`);
  if (o[old] === undefined) return value;
  pssDeprecation(old, now);
  validateString(o[old], `options.${old}`);
  if (value !== undefined && value !== o[old]) throw invalidArgValue(`options.${old}`, o[old]);
  return o[old];
}

function pssSpec(o) {
  validateRsa(o);
  if (o.saltLength !== undefined) validateInt32(o.saltLength, 'options.saltLength', 0);
  return {
    type: 'rsa-pss',
    modulusLength: o.modulusLength,
    publicExponent: o.publicExponent,
    hashAlgorithm: pssAlias(o, 'hash', 'hashAlgorithm'),
    mgf1HashAlgorithm: pssAlias(o, 'mgf1Hash', 'mgf1HashAlgorithm'),
    saltLength: o.saltLength,
  };
}

const pssWarned = { __proto__: null };

function pssDeprecation(old, now) {
  if (pssWarned[old]) return;
  pssWarned[old] = true;
  emitWarning(
    `"options.${old}" is deprecated, use "options.${now}" instead.`,
    'DeprecationWarning',
    'DEP0154',
  );
}

function unsupportedExplicit() {
  return makeNodeError(
    TypeErrorCtor,
    'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM',
    'The feature explicit EC parameters is unavailable on the current platform, which is being used to run Node.js',
  );
}

/** The ciphers a private key can be encrypted with here (PKCS#8 PBES2, or legacy PEM). */
const KEY_CIPHERS = ['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc', 'aes128', 'aes192', 'aes256'];

function unknownCipher() {
  return makeNodeError(ErrorCtor, 'ERR_CRYPTO_UNKNOWN_CIPHER', 'Unknown cipher');
}

/** Node's parseKeyEncoding for generateKeyPair: every bad value is ERR_INVALID_ARG_VALUE. */
function encodingOf(value, name, types) {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') throw invalidArgValue(name, value);
  const { format, type, cipher, passphrase } = value;
  if (format === 'jwk') return value;
  if (format !== 'pem' && format !== 'der') throw invalidArgValue(`${name}.format`, format);
  if (!ArrayPrototypeIncludes(types, type)) throw invalidArgValue(`${name}.type`, type);
  if (cipher === undefined) return value;
  if (typeof cipher !== 'string') throw invalidArgValue(`${name}.cipher`, cipher);
  if (
    typeof passphrase !== 'string' &&
    !ArrayBufferIsView(passphrase) &&
    !isAnyArrayBuffer(passphrase)
  ) {
    throw invalidArgValue(`${name}.passphrase`, passphrase);
  }
  if (!ArrayPrototypeIncludes(KEY_CIPHERS, StringPrototypeToLowerCase(cipher))) {
    throw unknownCipher();
  }
  return value;
}

function generatePair(type, options) {
  const spec = keygenSpec(type, options);
  const o = options || {};
  const pubEnc = encodingOf(o.publicKeyEncoding, 'options.publicKeyEncoding', ['spki', 'pkcs1']);
  const privEnc = encodingOf(o.privateKeyEncoding, 'options.privateKeyEncoding', [
    'pkcs1',
    'pkcs8',
    'sec1',
  ]);
  const out = keyOp('generate', spec);
  const publicKey = keyFromOp(out.public);
  const privateKey = keyFromOp(out.private);
  return {
    publicKey: pubEnc === undefined ? publicKey : publicKey.export(pubEnc),
    privateKey: privEnc === undefined ? privateKey : privateKey.export(privEnc),
  };
}

/** `crypto.generateKeyPairSync(type, options)`. */
export function generateKeyPairSync(type, options) {
  return generatePair(type, options);
}

/** `crypto.generateKeyPair(type, options, callback)`. */
export function generateKeyPair(type, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, 'callback');
  let pair;
  let error = null;
  try {
    pair = generatePair(type, options);
  } catch (e) {
    // Node throws argument errors at once and reports the generation's own to the callback.
    const code = e !== null && typeof e === 'object' ? e.code : undefined;
    if (code !== 'ERR_CRYPTO_OPERATION_FAILED' && !RegExpPrototypeTest(/^ERR_OSSL/, code)) {
      throw e;
    }
    error = e;
  }
  setImmediate(() => {
    if (error !== null) callback(error);
    else callback(null, pair.publicKey, pair.privateKey);
  });
}

ObjectDefineProperty(generateKeyPair, SymbolFor('nodejs.util.promisify.custom'), {
  __proto__: null,
  enumerable: false,
  value: (type, options) =>
    new PromiseCtor((resolve, reject) => {
      generateKeyPair(type, options, (err, publicKey, privateKey) => {
        if (err) reject(err);
        else resolve({ publicKey, privateKey });
      });
    }),
});
