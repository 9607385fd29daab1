// crypto.generatePrime(Sync) and checkPrime(Sync) against the host's Node: what must hold of a
// random prime, fixed answers for fixed candidates, and Node's errors.
const crypto = require('crypto');

const show = (label, f) => {
  try {
    const v = f();
    console.log(label, typeof v === 'bigint' ? `${v}n` : JSON.stringify(v));
  } catch (e) {
    console.log(label, 'throws', e.name, e.code, e.message);
  }
};
const isPrime = (n) => {
  if (n < 2n) return false;
  for (let d = 2n; d * d <= n; d++) if (n % d === 0n) return false;
  return true;
};

show('3 bits', () => crypto.generatePrimeSync(3, { bigint: true }));
for (const bits of [8, 16, 24, 40]) {
  const p = crypto.generatePrimeSync(bits, { bigint: true });
  show(`${bits} bits`, () => [p.toString(2).length, isPrime(p)]);
  const s = crypto.generatePrimeSync(bits, { bigint: true, safe: true });
  show(`${bits} bits safe`, () => [s.toString(2).length, isPrime(s), isPrime((s - 1n) / 2n)]);
}
const buf = crypto.generatePrimeSync(32);
show('ArrayBuffer', () => [buf instanceof ArrayBuffer, buf.byteLength]);
show('add/rem', () => Number(crypto.generatePrimeSync(32, { add: 12n, rem: 11n, bigint: true }) % 12n));
show('add/rem bytes', () => Number(crypto.generatePrimeSync(32, { add: Buffer.from([12]), rem: Buffer.from([11]), bigint: true }) % 12n));
show('add only', () => Number(crypto.generatePrimeSync(64, { add: 5n, bigint: true }) % 5n));
show('add only safe', () => Number(crypto.generatePrimeSync(64, { add: 5n, safe: true, bigint: true }) % 5n));
show('forced', () => crypto.generatePrimeSync(4, { add: 15n, rem: 13n, bigint: true }));
show('add too big', () => crypto.generatePrimeSync(64, { add: 2n ** 64n }));
show('rem too big', () => crypto.generatePrimeSync(64, { add: 7n, rem: 7n }));
show('negative add', () => crypto.generatePrimeSync(20, { add: -1n }));
show('add string', () => crypto.generatePrimeSync(20, { add: '5' }));
show('size 0', () => crypto.generatePrimeSync(0));
show('size string', () => crypto.generatePrimeSync('8'));
show('safe string', () => crypto.generatePrimeSync(8, { safe: 'yes' }));
show('no callback', () => crypto.generatePrime(8, {}));
show('async bad add throws now', () => crypto.generatePrime(3, { add: 8n, rem: 7n }, () => console.log('called')));

for (const n of [0n, 1n, 2n, 3n, 4n, 97n, 561n, 2n ** 61n - 1n, 2n ** 64n + 1n, 2n ** 127n - 1n]) {
  show(`check ${n}`, () => crypto.checkPrimeSync(n));
}
show('check bytes', () => [crypto.checkPrimeSync(Buffer.from([0x02])), crypto.checkPrimeSync(new Uint8Array([0x01, 0x01])), crypto.checkPrimeSync(new Uint8Array([0x01, 0x07]).buffer)]);
show('check negative', () => crypto.checkPrimeSync(-3n));
show('check number', () => crypto.checkPrimeSync(7));
show('check checks', () => crypto.checkPrimeSync(7n, { checks: 'x' }));
show('check checks range', () => crypto.checkPrimeSync(7n, { checks: -1 }));

// One job at a time: two jobs in flight at once finish in either order (Node's thread pool).
crypto.generatePrime(20, { bigint: true }, (err, p) => {
  show('async', () => [err, p.toString(2).length, isPrime(p)]);
  crypto.checkPrime(p, (err2, ok) => {
    show('async check', () => [err2, ok]);
    crypto.generatePrime(16, (err3, b) => show('async buffer', () => [err3, b instanceof ArrayBuffer]));
  });
});
