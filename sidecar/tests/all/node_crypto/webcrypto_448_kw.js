// Ed448, X448 and AES-KW through Web Crypto and node:crypto, printed line by line so the host's
// Node and a guest can be compared. Fixed keys (RFC 8032 7.4, RFC 7748 6.2, RFC 3394 4.1-4.6)
// make every signature, agreement and wrap deterministic; errors print only their name (the
// host's Node 20 words some messages differently from Node 22's).
'use strict';
const nodeCrypto = require('crypto');
const { subtle } = globalThis.crypto;

const hex = (b) => Buffer.from(b).toString('hex');
const from = (h) => Buffer.from(h, 'hex');
const b64u = (h) => from(h).toString('base64url');
const out = (...parts) => console.log(parts.join(' '));

const ED_SEED = '6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b';
const ED_PUB = '5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180';
const X_ALICE = '9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b';
const X_ALICE_PUB = '9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0';
const X_BOB = '1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d';
const X_BOB_PUB = '3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609';

async function named(what, promise) {
  try {
    const value = await promise;
    out(what, 'ok', value instanceof ArrayBuffer ? hex(value) : typeof value);
  } catch (e) {
    out(what, 'error', e.name, e.code ?? '');
  }
}

async function ed448() {
  const jwk = { kty: 'OKP', crv: 'Ed448', d: b64u(ED_SEED), x: b64u(ED_PUB) };
  const priv = await subtle.importKey('jwk', jwk, 'Ed448', true, ['sign']);
  const pub = await subtle.importKey('raw', from(ED_PUB), { name: 'Ed448' }, true, ['verify']);
  for (const msg of ['', '03', 'deadbeef'.repeat(40)]) {
    const sig = await subtle.sign('Ed448', priv, from(msg));
    out('ed448 sign', msg.length, hex(sig));
    out('ed448 verify', await subtle.verify('Ed448', pub, sig, from(msg)));
    out('ed448 verify other', await subtle.verify('Ed448', pub, sig, from(`${msg}00`)));
  }
  const pkcs8 = await subtle.exportKey('pkcs8', priv);
  const spki = await subtle.exportKey('spki', pub);
  out('ed448 pkcs8', hex(pkcs8));
  out('ed448 spki', hex(spki));
  const back = await subtle.exportKey('jwk', priv);
  out('ed448 jwk', back.kty, back.crv, back.x === jwk.x, back.d === jwk.d, back.key_ops);
  const again = await subtle.importKey('pkcs8', pkcs8, 'Ed448', false, ['sign']);
  out('ed448 pkcs8 signs the same', hex(await subtle.sign('Ed448', again, from('03'))).slice(0, 32));
  const pair = await subtle.generateKey('Ed448', true, ['sign', 'verify']);
  const sig = await subtle.sign('Ed448', pair.privateKey, from('abcd'));
  out('ed448 generated', sig.byteLength, await subtle.verify('Ed448', pair.publicKey, sig, from('abcd')));
  out('ed448 algorithm', JSON.stringify(pair.publicKey.algorithm), pair.privateKey.usages);
  await named('ed448 raw of 32 bytes', subtle.importKey('raw', from(ED_PUB).subarray(0, 32), 'Ed448', true, ['verify']));
  await named('ed448 jwk with X448 crv', subtle.importKey('jwk', { ...jwk, crv: 'X448' }, 'Ed448', true, ['sign']));
  await named('ed448 jwk of another x', subtle.importKey('jwk', { ...jwk, x: b64u(X_ALICE_PUB + '00') }, 'Ed448', true, ['sign']));
  await named('ed448 sign with the public key', subtle.sign('Ed448', pub, from('00')));
  await named('ed448 deriveBits usage', subtle.importKey('raw', from(ED_PUB), 'Ed448', true, ['deriveBits']));
}

async function x448() {
  const alice = await subtle.importKey('jwk', { kty: 'OKP', crv: 'X448', d: b64u(X_ALICE), x: b64u(X_ALICE_PUB) }, 'X448', true, ['deriveBits', 'deriveKey']);
  const bobPub = await subtle.importKey('raw', from(X_BOB_PUB), 'X448', true, []);
  const bits = await subtle.deriveBits({ name: 'X448', public: bobPub }, alice, 448);
  out('x448 bits', hex(bits));
  out('x448 bits 100', hex(await subtle.deriveBits({ name: 'X448', public: bobPub }, alice, 100)));
  const aes = await subtle.deriveKey({ name: 'X448', public: bobPub }, alice, { name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  out('x448 deriveKey', hex(await subtle.exportKey('raw', aes)));
  out('x448 spki', hex(await subtle.exportKey('spki', bobPub)));
  out('x448 pkcs8', hex(await subtle.exportKey('pkcs8', alice)));
  const pair = await subtle.generateKey('X448', true, ['deriveBits']);
  const mine = await subtle.deriveBits({ name: 'X448', public: bobPub }, pair.privateKey, 448);
  out('x448 generated', mine.byteLength);
  await named('x448 bits too long', subtle.deriveBits({ name: 'X448', public: bobPub }, alice, 456));
  const x25519 = await subtle.generateKey('X25519', true, ['deriveBits']);
  await named('x448 with an X25519 peer', subtle.deriveBits({ name: 'X448', public: x25519.publicKey }, alice, 448));
  await named('x448 with a private peer', subtle.deriveBits({ name: 'X448', public: alice }, alice, 448));
}

async function aesKw() {
  const vectors = [
    ['000102030405060708090a0b0c0d0e0f', '00112233445566778899aabbccddeeff'],
    ['000102030405060708090a0b0c0d0e0f1011121314151617', '00112233445566778899aabbccddeeff'],
    ['000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', '00112233445566778899aabbccddeeff'],
    ['000102030405060708090a0b0c0d0e0f1011121314151617', '00112233445566778899aabbccddeeff0001020304050607'],
    ['000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', '00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f'],
  ];
  for (const [kek, data] of vectors) {
    const wrapping = await subtle.importKey('raw', from(kek), 'AES-KW', true, ['wrapKey', 'unwrapKey']);
    const key = await subtle.importKey('raw', from(data), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
    const wrapped = await subtle.wrapKey('raw', key, wrapping, 'AES-KW');
    out('aes-kw', kek.length * 4, data.length * 4, hex(wrapped));
    const back = await subtle.unwrapKey('raw', wrapped, wrapping, 'AES-KW', { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
    out('aes-kw unwrap', hex(await subtle.exportKey('raw', back)) === data);
    const bad = Buffer.from(wrapped);
    bad[5] ^= 0x40;
    await named('aes-kw tampered', subtle.unwrapKey('raw', bad, wrapping, 'AES-KW', { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']));
  }
  const kek = await subtle.importKey('raw', from(vectors[0][0]), 'AES-KW', true, ['wrapKey', 'unwrapKey']);
  out('aes-kw jwk', JSON.stringify(await subtle.exportKey('jwk', kek)));
  out('aes-kw algorithm', JSON.stringify(kek.algorithm), kek.usages);
  const ec = await subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed448', d: b64u(ED_SEED), x: b64u(ED_PUB) }, 'Ed448', true, ['sign']);
  const wrappedJwk = await subtle.wrapKey('jwk', ec, kek, 'AES-KW');
  out('aes-kw wraps a jwk', wrappedJwk.byteLength % 8, hex(wrappedJwk).length > 0);
  const unwrapped = await subtle.unwrapKey('jwk', wrappedJwk, kek, 'AES-KW', 'Ed448', true, ['sign']);
  out('aes-kw unwraps the jwk', hex(await subtle.sign('Ed448', unwrapped, from('03'))).slice(0, 32));
  const odd = await subtle.importKey('raw', from('00112233445566778899aabbccddeeff'), 'AES-KW', true, ['wrapKey', 'unwrapKey']);
  await named('aes-kw unwrap of 12 bytes', subtle.unwrapKey('raw', new Uint8Array(12), odd, 'AES-KW', 'AES-KW', true, ['wrapKey']));
  await named('aes-kw encrypt usage', subtle.importKey('raw', from(vectors[0][0]), 'AES-KW', true, ['encrypt']));
  await named('aes-kw raw of 20 bytes', subtle.importKey('raw', new Uint8Array(20), 'AES-KW', true, ['wrapKey']));
  await named('aes-kw encrypt', subtle.encrypt('AES-KW', kek, new Uint8Array(16)));
  const generated = await subtle.generateKey({ name: 'AES-KW', length: 192 }, true, ['wrapKey']);
  out('aes-kw generated', JSON.stringify(generated.algorithm));
}

function nodeKeys() {
  const fixed = nodeCrypto.createPrivateKey({ key: { kty: 'OKP', crv: 'Ed448', d: b64u(ED_SEED), x: b64u(ED_PUB) }, format: 'jwk' });
  out('node ed448', fixed.asymmetricKeyType, JSON.stringify(fixed.asymmetricKeyDetails));
  out('node ed448 pem', fixed.export({ format: 'pem', type: 'pkcs8' }).trim().split('\n').join('|'));
  const pub = nodeCrypto.createPublicKey(fixed);
  out('node ed448 spki pem', pub.export({ format: 'pem', type: 'spki' }).trim().split('\n').join('|'));
  out('node ed448 sign', hex(nodeCrypto.sign(null, from('03'), fixed)));
  out('node ed448 verify', nodeCrypto.verify(null, from('03'), pub, nodeCrypto.sign(null, from('03'), fixed)));
  try {
    nodeCrypto.sign('sha256', from('03'), fixed);
    out('node ed448 with a digest', 'signed');
  } catch (e) {
    out('node ed448 with a digest', e.code);
  }
  const a = nodeCrypto.createPrivateKey({ key: { kty: 'OKP', crv: 'X448', d: b64u(X_ALICE), x: b64u(X_ALICE_PUB) }, format: 'jwk' });
  const b = nodeCrypto.createPublicKey({ key: { kty: 'OKP', crv: 'X448', x: b64u(X_BOB_PUB) }, format: 'jwk' });
  out('node x448', hex(nodeCrypto.diffieHellman({ privateKey: a, publicKey: b })));
  out('node x448 der', hex(a.export({ format: 'der', type: 'pkcs8' })));
  for (const type of ['ed448', 'x448']) {
    const { publicKey, privateKey } = nodeCrypto.generateKeyPairSync(type);
    out('node generated', type, publicKey.asymmetricKeyType, privateKey.export({ format: 'der', type: 'pkcs8' }).length);
  }
  try {
    nodeCrypto.diffieHellman({ privateKey: a, publicKey: nodeCrypto.createPublicKey(fixed) });
  } catch (e) {
    out('node x448 with an ed448 key', e.code);
  }
}

(async () => {
  await ed448();
  await x448();
  await aesKw();
  nodeKeys();
})();
