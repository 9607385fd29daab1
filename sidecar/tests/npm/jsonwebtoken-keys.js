// package: jsonwebtoken
// expect: RS256 ada invalid signature PS384 ada invalid signature ES256 ada invalid signature ES384 ada invalid signature
const crypto = require('crypto');
const jwt = require('jsonwebtoken');
const out = [];
const cases = [
  ['RS256', 'rsa', { modulusLength: 2048 }],
  ['PS384', 'rsa', { modulusLength: 2048 }],
  ['ES256', 'ec', { namedCurve: 'P-256' }],
  ['ES384', 'ec', { namedCurve: 'P-384' }],
];
for (const [alg, type, opts] of cases) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync(type, {
    ...opts,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const token = jwt.sign({ sub: 'ada' }, privateKey, { algorithm: alg, noTimestamp: true });
  const claims = jwt.verify(token, publicKey, { algorithms: [alg] });
  let bad = 'accepted';
  try {
    jwt.verify(`${token.slice(0, -6)}AAAAAA`, publicKey, { algorithms: [alg] });
  } catch (e) {
    bad = e.message;
  }
  out.push(alg, claims.sub, bad);
}
console.log(out.join(' '));
