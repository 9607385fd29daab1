// Asymmetric keys, differential against the host's Node: import and export in every format,
// details, JWK, deterministic signatures (RSA PKCS#1 v1.5, Ed25519), verification of the
// randomized ones (PSS, ECDSA) made here, RSA encryption round trips, key agreement, and the
// errors of bad input. Keys are fixtures in ./keys (made by Node 20, openssl for the cert).
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const read = (name) => fs.readFileSync(path.join(__dirname, 'keys', name), 'utf8');
const msg = Buffer.from('the quick brown fox');
const show = (label, f) => {
  try {
    const v = f();
    console.log(label, typeof v === 'string' ? v : JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? `${x}n` : x)));
  } catch (e) {
    console.log(label, 'throws', e.name, e.code, e.message);
  }
};
const hex = (b) => Buffer.from(b).toString('hex');

const names = ['rsa', 'rsa_pss', 'p256', 'p384', 'k256', 'ed25519', 'x25519'];
const keys = {};
for (const n of names) {
  const priv = crypto.createPrivateKey(read(`${n}.pem`));
  const pub = crypto.createPublicKey(read(`${n}.pub.pem`));
  keys[n] = { priv, pub };
  show(`${n} type`, () => [priv.type, priv.asymmetricKeyType, pub.type, pub.asymmetricKeyType]);
  show(`${n} details`, () => [priv.asymmetricKeyDetails, pub.asymmetricKeyDetails]);
  show(`${n} public of private`, () => crypto.createPublicKey(priv).equals(pub));
  show(`${n} public of private pem`, () => crypto.createPublicKey(read(`${n}.pem`)).equals(pub));
  show(`${n} spki pem`, () => pub.export({ type: 'spki', format: 'pem' }));
  show(`${n} spki der`, () => hex(pub.export({ type: 'spki', format: 'der' })));
  show(`${n} pkcs8 pem`, () => priv.export({ type: 'pkcs8', format: 'pem' }));
  show(`${n} pkcs8 der`, () => hex(priv.export({ type: 'pkcs8', format: 'der' })));
  show(`${n} pkcs1`, () => priv.export({ type: 'pkcs1', format: 'pem' }));
  show(`${n} pkcs1 public`, () => pub.export({ type: 'pkcs1', format: 'pem' }));
  show(`${n} sec1`, () => priv.export({ type: 'sec1', format: 'pem' }));
  show(`${n} jwk`, () => priv.export({ format: 'jwk' }));
  show(`${n} jwk public`, () => pub.export({ format: 'jwk' }));
  show(`${n} jwk round trip`, () => {
    const jwk = priv.export({ format: 'jwk' });
    return crypto.createPrivateKey({ key: jwk, format: 'jwk' }).equals(priv);
  });
  show(`${n} der round trip`, () => {
    const der = priv.export({ type: 'pkcs8', format: 'der' });
    return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).equals(priv);
  });
  show(`${n} encrypted round trip`, () => {
    const pem = priv.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' });
    const back = crypto.createPrivateKey({ key: pem, passphrase: 'pw' }).equals(priv);
    return [pem.split('\n')[0], back];
  });
}

// Deterministic signatures: the same bytes as Node's.
show('rsa sign sha256', () => hex(crypto.sign('sha256', msg, keys.rsa.priv)));
show('rsa sign sha1 Sign', () => crypto.createSign('RSA-SHA1').update(msg).sign(read('rsa.pem'), 'base64'));
show('rsa sign sha512', () => hex(crypto.sign('sha512', msg, keys.rsa.priv)));
show('ed25519 sign', () => hex(crypto.sign(null, msg, keys.ed25519.priv)));
show('ed25519 with digest', () => crypto.sign('sha256', msg, keys.ed25519.priv));
show('x25519 sign', () => crypto.sign(null, msg, keys.x25519.priv));

// Randomized signatures: each verifies, and not over other data.
const cases = [
  ['rsa pss', 'sha256', { padding: crypto.constants.RSA_PKCS1_PSS_PADDING }, 'rsa'],
  ['rsa pss digest salt', 'sha384', { padding: 6, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST }, 'rsa'],
  ['rsa-pss key', 'sha256', {}, 'rsa_pss'],
  ['p256', 'sha256', {}, 'p256'],
  ['p256 p1363', 'sha256', { dsaEncoding: 'ieee-p1363' }, 'p256'],
  ['p384 sha1', 'sha1', {}, 'p384'],
  ['k256', 'sha256', {}, 'k256'],
];
for (const [label, alg, opts, name] of cases) {
  show(`${label} verify`, () => {
    const sig = crypto.sign(alg, msg, { key: keys[name].priv, ...opts });
    const ok = crypto.verify(alg, msg, { key: keys[name].pub, ...opts }, sig);
    const bad = crypto.verify(alg, Buffer.from('other'), { key: keys[name].pub, ...opts }, sig);
    const v = crypto.createVerify(alg);
    v.write(msg);
    v.end();
    return [ok, bad, v.verify({ key: keys[name].pub, ...opts }, sig), opts.dsaEncoding ? sig.length : 0];
  });
}
show('rsa-pss key refuses pkcs1 padding', () => crypto.sign('sha256', msg, { key: keys.rsa_pss.priv, padding: 1 }));

// RSA encryption.
show('oaep round trip', () => crypto.privateDecrypt(keys.rsa.priv, crypto.publicEncrypt(keys.rsa.pub, msg)).toString());
show('oaep sha256 round trip', () => {
  const opts = { oaepHash: 'sha256', oaepLabel: Buffer.from('label') };
  const c = crypto.publicEncrypt({ key: keys.rsa.pub, ...opts }, msg);
  return crypto.privateDecrypt({ key: keys.rsa.priv, ...opts }, c).toString();
});
show('oaep wrong hash', () => {
  const c = crypto.publicEncrypt({ key: keys.rsa.pub, oaepHash: 'sha256' }, msg);
  return crypto.privateDecrypt({ key: keys.rsa.priv, oaepHash: 'sha512' }, c);
});
show('pkcs1 private decrypt refused', () => crypto.privateDecrypt({ key: keys.rsa.priv, padding: 1 }, Buffer.alloc(256)));
show('private encrypt', () => hex(crypto.privateEncrypt(keys.rsa.priv, msg)));
show('public decrypt', () => crypto.publicDecrypt(keys.rsa.pub, crypto.privateEncrypt(keys.rsa.priv, msg)).toString());
show('too long', () => crypto.publicEncrypt(keys.rsa.pub, Buffer.alloc(300)));
show('ec encrypt', () => crypto.publicEncrypt(keys.p256.pub, msg));

// Key agreement.
show('x25519 dh', () => {
  const b = crypto.createPrivateKey(read('x25519b.pem'));
  const ab = crypto.diffieHellman({ privateKey: keys.x25519.priv, publicKey: crypto.createPublicKey(b) });
  const ba = crypto.diffieHellman({ privateKey: b, publicKey: keys.x25519.pub });
  return [hex(ab), ab.equals(ba)];
});
show('mixed dh', () => crypto.diffieHellman({ privateKey: keys.x25519.priv, publicKey: keys.p256.pub }));

// Encrypted keys, certificates, bad input.
show('pkcs8 encrypted', () => crypto.createPrivateKey({ key: read('rsa_enc.pem'), passphrase: 'hunter2' }).asymmetricKeyDetails);
show('legacy encrypted', () => crypto.createPrivateKey({ key: read('rsa_legacy.pem'), passphrase: 'hunter2' }).asymmetricKeyDetails);
show('wrong passphrase', () => crypto.createPrivateKey({ key: read('rsa_enc.pem'), passphrase: 'nope' }));
show('legacy wrong passphrase', () => crypto.createPrivateKey({ key: read('rsa_legacy.pem'), passphrase: 'nope' }));
show('legacy public pkcs1', () => crypto.createPublicKey(read('rsa_legacy.pub.pem')).asymmetricKeyDetails);
show('certificate key', () => crypto.createPublicKey(read('cert.pem')).asymmetricKeyDetails);
show('public as private', () => crypto.createPrivateKey(read('rsa.pub.pem')));
show('garbage pem', () => crypto.createPrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'));
show('not a key', () => crypto.createPublicKey('hello'));
show('der without type', () => crypto.createPrivateKey({ key: Buffer.alloc(4), format: 'der' }));
show('bad jwk', () => crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }, format: 'jwk' }));
show('bad format', () => crypto.createPublicKey({ key: 'x', format: 'xml' }));
show('secret as public', () => crypto.createPublicKey(crypto.createSecretKey(Buffer.alloc(8))));
show('bad digest', () => crypto.createSign('sha3000'));
show('unknown export cipher', () => keys.rsa.priv.export({ type: 'pkcs8', format: 'pem', cipher: 'rot13', passphrase: 'x' }));
show('pkcs1 of ec', () => keys.p256.priv.export({ type: 'pkcs1', format: 'pem' }));
show('keygen bad curve', () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-999' }));
show('keygen bad type', () => crypto.generateKeyPairSync('rsa3', {}));
show('keygen no options', () => crypto.generateKeyPairSync('rsa'));
show('keygen encoded', () => {
  const k = crypto.generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'sec1', format: 'pem' },
  });
  return [Buffer.isBuffer(k.publicKey), k.publicKey.length, k.privateKey.split('\n')[0]];
});
show('constants', () => [crypto.constants.RSA_PKCS1_PSS_PADDING, crypto.constants.RSA_PSS_SALTLEN_AUTO]);
show('jwk export with passphrase', () => keys.rsa.priv.export({ format: 'jwk', passphrase: 'x' }));
show('spki as a private key', () => crypto.createPrivateKey({ key: Buffer.alloc(4), format: 'der', type: 'spki' }));
show('unknown input type', () => crypto.createPublicKey({ key: Buffer.alloc(4), format: 'der', type: 'x509' }));
show('openssl parts', () => {
  try {
    crypto.createPrivateKey({ key: Buffer.alloc(3), format: 'der', type: 'pkcs1' });
  } catch (e) {
    return [e.code, e.library, e.reason];
  }
});
show('KeyObject.from a string', () => crypto.KeyObject.from('key'));
show('KeyObject.from a KeyObject', () => crypto.KeyObject.from(keys.rsa.pub));
crypto.subtle
  .generateKey({ name: 'HMAC', hash: 'SHA-256', length: 128 }, true, ['sign'])
  .then((k) => show('KeyObject.from an HMAC CryptoKey', () => [crypto.KeyObject.from(k).type, crypto.KeyObject.from(k).symmetricKeySize]))
  .then(() => crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']))
  .then((pair) => show('KeyObject.from an Ed25519 pair', () => [crypto.KeyObject.from(pair.privateKey).type, crypto.KeyObject.from(pair.publicKey).asymmetricKeyType]));
for (const padding of [2, 3, 4, 5, 7]) {
  show(`sign padding ${padding}`, () => crypto.createSign('sha256').update('x').sign({ key: keys.rsa.priv, padding }).length);
  show(`verify padding ${padding}`, () => crypto.createVerify('sha256').update('x').verify({ key: keys.rsa.pub, padding }, Buffer.alloc(256)));
}
show('one-shot verify padding 3', () => crypto.verify('sha256', Buffer.from('x'), { key: keys.rsa.pub, padding: 3 }, Buffer.alloc(256)));
show('padding null', () => crypto.createVerify('sha256').verify({ key: keys.rsa.pub, padding: null }, ''));
show('saltLength 1.5', () => crypto.createSign('sha256').sign({ key: keys.rsa.priv, saltLength: 1.5 }));
show('sign without a key', () => crypto.createSign('sha256').update('x').sign(null));
show('one-shot signature string', () => crypto.verify(null, Buffer.from('x'), keys.ed25519.pub, 'sig'));
const encryptedDer = keys.rsa.priv.export({ type: 'pkcs8', format: 'der', cipher: 'aes-128-cbc', passphrase: 's' });
show('encrypted der without passphrase', () => crypto.createPrivateKey({ key: encryptedDer, format: 'der', type: 'pkcs8' }));
show('sign with encrypted der', () => crypto.sign('sha256', Buffer.from('x'), { key: encryptedDer, format: 'der', type: 'pkcs8' }));
// A wrong passphrase decrypts to random bytes (the salt and IV are random): now and then their
// padding is valid and OpenSSL's ASN.1 parse fails instead (host Node 20, 3000 tries: 2993
// ERR_OSSL_BAD_DECRYPT, 5 ERR_OSSL_ASN1_HEADER_TOO_LONG, 2 ERR_OSSL_ASN1_WRONG_TAG). The line
// shows that it fails to decrypt, not which way.
const decryptFails = (label, f) => {
  try {
    f();
    console.log(label, 'does not throw');
  } catch (e) {
    const code = `${e.code}`;
    const either = code === 'ERR_OSSL_BAD_DECRYPT' || code.startsWith('ERR_OSSL_ASN1_');
    console.log(label, 'throws', e.name, either ? 'a decryption failure' : code);
  }
};
decryptFails('encrypted der wrong passphrase', () => crypto.createPrivateKey({ key: encryptedDer, format: 'der', type: 'pkcs8', passphrase: 'x' }));
show('encrypted der', () => crypto.createPrivateKey({ key: encryptedDer, format: 'der', type: 'pkcs8', passphrase: 's' }).equals(keys.rsa.priv));
