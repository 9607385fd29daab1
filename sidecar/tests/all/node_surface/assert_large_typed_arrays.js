// assert's deep comparison of large typed arrays compares their bytes and lists only their
// non-index keys (a 32 MiB Uint8Array has 33 million index keys: listing them in JavaScript was
// past the heap limit). The same output as the host's Node.
const assert = require('assert');
const util = require('util');

const size = 32 << 20;
const a = new Uint8Array(size).fill(7);
const b = new Uint8Array(size).fill(7);
assert.deepStrictEqual(a, b);
console.log('equal bytes: equal');
b[size - 1] = 8;
assert.notDeepStrictEqual(a, b);
console.log('one byte off: not equal');
b[size - 1] = 7;
b.extra = 1;
assert.ok(!util.isDeepStrictEqual(a, b));
console.log('an extra key: not equal');
const big = Buffer.alloc(size);
big.tag = 'x';
console.log(util.inspect(big, { showHidden: true, maxArrayLength: 2 }));
const f = new Float64Array(1 << 22);
assert.deepEqual(f, new Float64Array(1 << 22));
console.log('float arrays, loose: equal');
