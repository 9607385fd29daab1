// lib/internal__crypto_deferred.js: the parts of `crypto` that load on first use. Ciphers,
// asymmetric keys, signatures and certificates are their own builtins, loaded when a guest first
// calls into them (most guests only hash): a function forwards under its own name (and its
// `util.promisify.custom`), a class is a getter that becomes a plain value once read.
import { ObjectDefineProperty, ReflectApply, SymbolFor } from '../js/00_primordials.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';

const DEFERRED_FUNCTIONS = [
  ['internal/crypto_cipher', ['createCipheriv', 'createDecipheriv', 'getCiphers', 'getCipherInfo']],
  [
    'internal/crypto_pkey',
    ['createPrivateKey', 'createPublicKey', 'generateKeyPair', 'generateKeyPairSync'],
  ],
  ['internal/crypto_ecdh', ['createECDH']],
  ['internal/crypto_dh', ['createDiffieHellman', 'createDiffieHellmanGroup', 'getDiffieHellman']],
  ['internal/crypto_prime', ['generatePrime', 'generatePrimeSync', 'checkPrime', 'checkPrimeSync']],
  [
    'internal/crypto_sign',
    [
      'createSign',
      'createVerify',
      'sign',
      'verify',
      'publicEncrypt',
      'privateDecrypt',
      'privateEncrypt',
      'publicDecrypt',
      'diffieHellman',
    ],
  ],
];

const DEFERRED_CLASSES = [
  ['internal/crypto_cipher', ['Cipheriv', 'Decipheriv']],
  ['internal/crypto_sign', ['Sign', 'Verify']],
  ['internal/crypto_ecdh', ['ECDH']],
  ['internal/crypto_dh', ['DiffieHellman', 'DiffieHellmanGroup']],
  ['internal/crypto_x509', ['X509Certificate']],
];

const PROMISIFY_CUSTOM = SymbolFor('nodejs.util.promisify.custom');

function forwarder(builtin, name) {
  const fn = function (...args) {
    return ReflectApply(loadLazyBuiltin(builtin)[name], this, args);
  };
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: name, configurable: true });
  // `util.promisify(crypto.generateKeyPair)` finds the real one's custom form.
  ObjectDefineProperty(fn, PROMISIFY_CUSTOM, {
    __proto__: null,
    configurable: true,
    get: () => loadLazyBuiltin(builtin)[name][PROMISIFY_CUSTOM],
  });
  return fn;
}

function setValue(mod, name, value) {
  ObjectDefineProperty(mod, name, {
    __proto__: null,
    value,
    configurable: true,
    enumerable: true,
    writable: true,
  });
}

function deferredClass(mod, builtin, name) {
  ObjectDefineProperty(mod, name, {
    __proto__: null,
    configurable: true,
    enumerable: true,
    get() {
      const value = loadLazyBuiltin(builtin)[name];
      setValue(mod, name, value);
      return value;
    },
    set(value) {
      setValue(mod, name, value);
    },
  });
}

/** Adds the deferred functions and classes to the `crypto` module object `mod`. */
export function addDeferred(mod) {
  for (let i = 0; i < DEFERRED_FUNCTIONS.length; i++) {
    const builtin = DEFERRED_FUNCTIONS[i][0];
    const names = DEFERRED_FUNCTIONS[i][1];
    for (let j = 0; j < names.length; j++) mod[names[j]] = forwarder(builtin, names[j]);
  }
  for (let i = 0; i < DEFERRED_CLASSES.length; i++) {
    const builtin = DEFERRED_CLASSES[i][0];
    const names = DEFERRED_CLASSES[i][1];
    for (let j = 0; j < names.length; j++) deferredClass(mod, builtin, names[j]);
  }
}
