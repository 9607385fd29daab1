// Classic Diffie-Hellman (createDiffieHellman, getDiffieHellman, DiffieHellman(Group)) against
// the host's Node: fixed keys give fixed results; generated ones are checked by what must hold.
const crypto = require('crypto');

const show = (label, f) => {
  try {
    const v = f();
    console.log(label, typeof v === 'string' ? v : JSON.stringify(v));
  } catch (e) {
    console.log(label, 'throws', e.name, e.code, e.message);
  }
};
const hex = (b) => Buffer.from(b).toString('hex');

for (const name of ['modp1', 'modp2', 'modp5', 'modp14', 'modp15', 'modp16', 'modp17', 'modp18']) {
  const g = crypto.getDiffieHellman(name);
  show(`group ${name}`, () => [g.verifyError, g.getPrime().length, g.getGenerator('hex'), crypto.createHash('sha256').update(g.getPrime()).digest('hex').slice(0, 16)]);
}
const modp2 = crypto.getDiffieHellman('modp2').getPrime();

// Fixed private keys: public keys and secrets are the same everywhere.
const a = crypto.createDiffieHellman(modp2);
a.setPrivateKey(Buffer.from('0102030405060708', 'hex'));
const b = crypto.createDiffieHellman(modp2.toString('hex'), 'hex', 2);
b.setPrivateKey(Buffer.from('00ff00ff00ff00ff11', 'hex'));
show('a public', () => a.generateKeys('hex'));
show('b public', () => b.generateKeys('base64'));
show('a secret', () => a.computeSecret(b.getPublicKey()).toString('hex'));
show('b secret', () => b.computeSecret(a.getPublicKey('hex'), 'hex', 'hex'));
show('b private (leading zero dropped)', () => b.getPrivateKey('hex'));
show('secret of a short peer is padded', () => a.computeSecret(Buffer.from([2])).length);
show('generator 5', () => crypto.createDiffieHellman(modp2, 5).setPrivateKey(Buffer.from([9])).generateKeys('hex'));
show('generator bytes', () => crypto.createDiffieHellman(modp2, Buffer.from([3])).getGenerator('hex'));
show('generator string', () => crypto.createDiffieHellman(modp2, '05', 'hex').getGenerator('hex'));
show('generator 0 is 2', () => crypto.createDiffieHellman('abcdef', 'hex', 0).getGenerator('hex'));

// Two parties on a named group and on a generated prime.
const alice = crypto.createDiffieHellmanGroup('modp5');
const bob = crypto.getDiffieHellman('modp5');
alice.generateKeys();
bob.generateKeys();
show('group agreement', () => alice.computeSecret(bob.getPublicKey()).equals(bob.computeSecret(alice.getPublicKey())));
show('group private length', () => alice.getPrivateKey().length <= 25);
const made = crypto.createDiffieHellman(512);
const p = BigInt(`0x${made.getPrime('hex')}`);
show('generated prime', () => [made.verifyError, made.getPrime().length, Number(p % 24n), made.getGenerator('hex')]);
const twin = crypto.createDiffieHellman(made.getPrime(), made.getGenerator());
show('generated prime checks clean', () => twin.verifyError);
made.generateKeys();
twin.generateKeys();
show('generated agreement', () => made.computeSecret(twin.getPublicKey()).equals(twin.computeSecret(made.getPublicKey())));
show('generator 5 prime', () => Number(BigInt(`0x${crypto.createDiffieHellman(512, 5).getPrime('hex')}`) % 60n));

// verifyError (OpenSSL's DH_check) and errors.
show('small composite', () => crypto.createDiffieHellman('abcdef', 'hex').verifyError);
show('even', () => crypto.createDiffieHellman(Buffer.from([0xab, 0xcd, 0xee])).verifyError);
show('g = p', () => crypto.createDiffieHellman(modp2, modp2).verifyError);
const notPrime = Buffer.from(modp2);
notPrime[notPrime.length - 1] ^= 2;
show('not prime', () => crypto.createDiffieHellman(notPrime).verifyError);
show('mersenne 521 (not safe)', () => crypto.createDiffieHellman(Buffer.from('01' + 'ff'.repeat(65), 'hex')).verifyError);
for (const bits of [-1, 0, 1, 511]) show(`bits ${bits}`, () => crypto.createDiffieHellman(bits));
for (const g of [-1, 1]) show(`generator ${g}`, () => crypto.createDiffieHellman('abcdef', g));
for (const g of [Buffer.from([]), Buffer.from([0]), Buffer.from([1])]) show(`generator ${hex(g)}`, () => crypto.createDiffieHellman('abcdef', g));
show('fractional size', () => crypto.createDiffieHellman(13.37));
show('fractional generator', () => crypto.createDiffieHellman('abcdef', 13.37));
show('object', () => crypto.createDiffieHellman({}));
show('unknown group', () => crypto.getDiffieHellman('modp3'));
show('no public key yet', () => crypto.createDiffieHellman(modp2).getPublicKey());
show('no private key yet', () => crypto.createDiffieHellman(modp2).getPrivateKey());
show('small prime keys', () => crypto.createDiffieHellman('abcdef', 'hex').generateKeys());
for (const peer of [Buffer.from([0]), Buffer.from([1]), modp2, Buffer.alloc(0)]) show(`peer ${hex(peer).slice(0, 8)}`, () => a.computeSecret(peer));
show('setters', () => [typeof crypto.DiffieHellman.prototype.setPublicKey, crypto.getDiffieHellman('modp1').setPrivateKey]);
show('without new', () => [crypto.DiffieHellman(modp2) instanceof crypto.DiffieHellman, crypto.DiffieHellmanGroup('modp1') instanceof crypto.DiffieHellmanGroup]);
show('verifyError is read-only', () => {
  const d = crypto.createDiffieHellman(modp2);
  d.verifyError = 7;
  return [d.verifyError, Object.keys(d)];
});
