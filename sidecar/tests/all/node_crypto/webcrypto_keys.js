// Web Crypto's asymmetric algorithms (ECDSA, Ed25519, RSASSA-PKCS1-v1_5, RSA-PSS, RSA-OAEP,
// ECDH, X25519) over fixed keys, run by the host's Node and by a guest; the outputs are compared
// line by line. Randomized outputs (ECDSA and PSS signatures, OAEP ciphertexts, new keys) are
// checked by round trip and shape only.
'use strict';
const { subtle } = globalThis.crypto;
const EC1 = {"kty":"EC","x":"AJh8splWNSBU45ii2SzxXaWzDLoMbWhGbsuiEKtRSv4","y":"2nDhZ6aE7ttedr4glOfIWe39Msu5IWUmzAGoLsjFSe4","crv":"P-256","d":"wPuYJZZavds0G1QxKKOd9bY2D9SXEldU0HDutkxfsk0"};
const EC2 = {"kty":"EC","x":"Yu_mvp23vrjwnKf1G800tlYDjHImYbIdCJTzKH72NUM","y":"SJ9T38his00KGUU8msHXZLh-gb7sNDPlnGWZxOjalbk","crv":"P-256","d":"dZuvn6m3fvckZE7yut8qHXYQeqOCLLTa23CS1lcFAXg"};
const ED = {"crv":"Ed25519","d":"a69GpFHNJW00PaP-v3dMGq5RyyrYml1MIO7OEaykJM4","x":"ugBifndXFzYeVpDa5oA06TbPB3gKlk-S4j9QLJXsGk0","kty":"OKP"};
const X1 = {"crv":"X25519","d":"ELwMYfnpTTBqxPD8KH2ACZOUjryvJ15QcWCGKIMF8WI","x":"ftNVSifuEJ6Y-f0iaEcF03NUMsgULTadWOwkuuK14Hs","kty":"OKP"};
const X2 = {"crv":"X25519","d":"oBDL3beKKKNVzaJLAlVh-yd2iGmz9_hf9B15utnBvHg","x":"eNVArTInI-ppiCvCS5F9hWvcr6RaFC8d3aVBri9cZXY","kty":"OKP"};
const RSA = 'MIICeQIBADANBgkqhkiG9w0BAQEFAASCAmMwggJfAgEAAoGBANLv5abLD5q1U6poHf+YJak+Gz8ShwmIB4dr+pIkycF99mzA089tizaLK9TUJTWaNjBdZdCC21iHTkTDjF4gme5PQI5U3lvF+HTTEq6GmTN5oIu4i+uxX2lsKVEcR6hzBgPtiYJ6dRKYXHcBZaDMtIBOv15n6Z+pyoUBWPatAajDAgMBAAECgYEAxhkeaCJUKUsZo/PcGGpfFC6LkBRqVX029Otni1CZWepeP4xoX2nVUAgrxdjmiQymz40nTUdXkDCiRNoRPWUIqZ2Kf+zCnDLay3tN6J878HPVJNcxyFBo6JrQnStbD4G2gWRflSsZbSeH27pgIHQl7VFGBCWeFN57QMPOOFK1yoECQQDurUy4Vc3/DLgraFigB/eDiicp+Yodqm5d5cLWWOjWNhhRBeORvqtru1AyIazymjV+vdUHB/SHKP1kVZHWtxhxAkEA4j8uajpanGIV+Pd3iWl9HUdSFoWbDNbEXqJbGLpP45iWiEMpNGsq5JoVco/1CDY0J9q3Mw2Dr4QicfF1TeOOcwJBAIpavwxkAOOGFgRjmmw58gq4PPeiBaQotY2MsKLcKyxxcysUhNRpeKkcjeJhjwWaysPLev92ZxMqeah9yepzfKECQQCral9KUMgSMCahqS1CSVBn/H9vXO7qvVWutaf7hj29HQEAYJI5ivDGnw+c6wElpZvCjm27GoQpWR2X4u+TgdONAkEAi6SzoPlL4jxl6YYRPvxCKg5Bj6sBqJEnlTs1sg6AHGZ1nVg3xqyi0lGrtlnIJhhiursCMrhhS8jniUj4NGLwhQ==';

const hex = (b) => Buffer.from(b).toString('hex');
const data = new TextEncoder().encode('the message');
const lines = [];
const log = (...a) => lines.push(a.join(' '));
const show = (v) => (v instanceof ArrayBuffer ? hex(v) : JSON.stringify(v));
async function settle(label, promise) {
  try {
    log(label, 'ok', show(await promise));
  } catch (e) {
    log(label, 'threw', e.name, e.message);
  }
}
const pub = (jwk) => {
  const { d, ...rest } = jwk;
  return rest;
};
const rsaParams = (name, hash) => ({ name, hash });

(async () => {
  const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' };
  const ecPriv = await subtle.importKey('jwk', EC1, ecdsa, true, ['sign']);
  const ecPub = await subtle.importKey('jwk', pub(EC1), ecdsa, true, ['verify']);
  log('ec', ecPriv.type, ecPub.type, JSON.stringify(ecPriv.algorithm), ecPriv.usages, ecPub.usages);
  for (const format of ['spki', 'raw', 'jwk']) await settle(`ec public ${format}`, subtle.exportKey(format, ecPub));
  await settle('ec private jwk', subtle.exportKey('jwk', ecPriv));
  const pkcs8 = await subtle.exportKey('pkcs8', ecPriv);
  const again = await subtle.importKey('pkcs8', pkcs8, ecdsa, true, ['sign']);
  await settle('ec pkcs8 round trip', subtle.exportKey('jwk', again));
  const raw = await subtle.exportKey('raw', ecPub);
  await settle('ec raw import', subtle.importKey('raw', raw, ecdsa, true, ['verify']).then((k) => subtle.exportKey('jwk', k)));
  for (const hash of ['SHA-256', 'SHA-384']) {
    const sig = await subtle.sign({ name: 'ECDSA', hash }, ecPriv, data);
    log('ecdsa', hash, sig.byteLength, await subtle.verify({ name: 'ECDSA', hash }, ecPub, sig, data));
    const bad = new Uint8Array(sig);
    bad[5] ^= 1;
    log('ecdsa tampered', hash, await subtle.verify({ name: 'ECDSA', hash }, ecPub, bad, data));
  }

  const edPriv = await subtle.importKey('jwk', ED, 'Ed25519', true, ['sign']);
  const edPub = await subtle.importKey('jwk', pub(ED), { name: 'Ed25519' }, true, ['verify']);
  await settle('ed25519 sign', subtle.sign('Ed25519', edPriv, data));
  const edSig = await subtle.sign('Ed25519', edPriv, data);
  log('ed25519 verify', await subtle.verify('Ed25519', edPub, edSig, data), await subtle.verify('Ed25519', edPub, edSig, data.subarray(1)));
  for (const format of ['spki', 'raw', 'jwk']) await settle(`ed25519 public ${format}`, subtle.exportKey(format, edPub));
  await settle('ed25519 pkcs8', subtle.exportKey('pkcs8', edPriv));

  const der = Buffer.from(RSA, 'base64');
  for (const [name, hash] of [['RSASSA-PKCS1-v1_5', 'SHA-256'], ['RSA-PSS', 'SHA-384'], ['RSA-OAEP', 'SHA-1'], ['RSA-OAEP', 'SHA-256']]) {
    const usages = name === 'RSA-OAEP' ? ['decrypt'] : ['sign'];
    const priv = await subtle.importKey('pkcs8', der, rsaParams(name, hash), true, usages);
    log(name, hash, JSON.stringify(priv.algorithm), priv.usages);
    const jwk = await subtle.exportKey('jwk', priv);
    log(name, 'jwk', jwk.alg, jwk.kty, jwk.key_ops, jwk.ext, jwk.n.length, jwk.d.length);
    const pubUsages = name === 'RSA-OAEP' ? ['encrypt'] : ['verify'];
    const pubKey = await subtle.importKey('jwk', pub({ ...jwk, key_ops: pubUsages }), rsaParams(name, hash), true, pubUsages);
    await settle(`${name} spki`, subtle.exportKey('spki', pubKey));
    if (name === 'RSASSA-PKCS1-v1_5') {
      await settle('pkcs1 sign', subtle.sign(name, priv, data));
      const sig = await subtle.sign(name, priv, data);
      log('pkcs1 verify', await subtle.verify(name, pubKey, sig, data), await subtle.verify(name, pubKey, sig.slice(1), data));
    } else if (name === 'RSA-PSS') {
      for (const saltLength of [0, 32]) {
        const sig = await subtle.sign({ name, saltLength }, priv, data);
        log('pss', saltLength, sig.byteLength, await subtle.verify({ name, saltLength }, pubKey, sig, data));
      }
    } else {
      const label = new Uint8Array([1, 2, 3]);
      const sealed = await subtle.encrypt({ name, label }, pubKey, data);
      log('oaep', hash, sealed.byteLength, Buffer.from(await subtle.decrypt({ name, label }, priv, sealed)).toString());
      await settle('oaep wrong label', subtle.decrypt({ name }, priv, sealed));
    }
  }

  const ecdh = { name: 'ECDH', namedCurve: 'P-256' };
  const a = await subtle.importKey('jwk', EC1, ecdh, true, ['deriveBits', 'deriveKey']);
  const b = await subtle.importKey('jwk', pub(EC2), ecdh, true, []);
  await settle('ecdh bits', subtle.deriveBits({ name: 'ECDH', public: b }, a, 256));
  await settle('ecdh 100 bits', subtle.deriveBits({ name: 'ECDH', public: b }, a, 100));
  await settle('ecdh null', subtle.deriveBits({ name: 'ECDH', public: b }, a, null));
  await settle('ecdh too long', subtle.deriveBits({ name: 'ECDH', public: b }, a, 512));
  const aes = await subtle.deriveKey({ name: 'ECDH', public: b }, a, { name: 'AES-GCM', length: 128 }, true, ['encrypt']);
  await settle('ecdh aes key', subtle.exportKey('raw', aes));
  const x1 = await subtle.importKey('jwk', X1, 'X25519', true, ['deriveBits']);
  const x2 = await subtle.importKey('jwk', pub(X2), 'X25519', true, []);
  await settle('x25519 bits', subtle.deriveBits({ name: 'X25519', public: x2 }, x1, 256));
  await settle('x25519 raw', subtle.exportKey('raw', x2));
  // Node 20 says "must be of the same type", Node 22 (whose tests we pass) names the algorithm.
  await subtle.deriveBits({ name: 'ECDH', public: x2 }, a, 256).catch((e) =>
    log('ecdh with x25519 threw', e.name),
  );

  for (const [label, alg, usages] of [
    ['generate ecdsa', { name: 'ECDSA', namedCurve: 'P-384' }, ['sign', 'verify']],
    ['generate ed25519', { name: 'Ed25519' }, ['sign', 'verify']],
    ['generate x25519', { name: 'X25519' }, ['deriveBits']],
    ['generate rsa-pss', { name: 'RSA-PSS', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, ['sign', 'verify']],
    ['bad usage', { name: 'ECDSA', namedCurve: 'P-256' }, ['encrypt']],
    ['public usages only', { name: 'ECDSA', namedCurve: 'P-256' }, ['verify']],
    ['bad curve', { name: 'ECDSA', namedCurve: 'P-255' }, ['sign']],
    ['no usages', { name: 'RSA-OAEP', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-1' }, []],
  ]) {
    await subtle.generateKey(alg, false, usages).then(
      (k) => log(label, k.publicKey.type, k.privateKey.type, JSON.stringify(k.publicKey.algorithm), k.publicKey.usages, k.privateKey.usages, k.publicKey.extractable, k.privateKey.extractable),
      (e) => log(label, 'threw', e.name, e.message),
    );
  }
  await settle('pkcs8 of a public key', subtle.exportKey('pkcs8', ecPub));
  await settle('raw of a private key', subtle.exportKey('raw', ecPriv));
  await settle('garbage spki', subtle.importKey('spki', new Uint8Array(5), ecdsa, true, ['verify']));
  await settle('curve mismatch', subtle.importKey('spki', await subtle.exportKey('spki', ecPub), { name: 'ECDSA', namedCurve: 'P-384' }, true, ['verify']));
  await settle('sign with a public key', subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, ecPub, data));
  await settle('ed25519 key as ecdsa', subtle.importKey('jwk', ED, ecdsa, true, ['sign']));
  await settle('private usage on public', subtle.importKey('jwk', pub(EC1), ecdsa, true, ['sign']));
  console.log(lines.join('\n'));
})();
