// assert's AssertionError messages (Node's format and diff) and deep equality over a corpus.
const assert = require('assert');
const strict = require('assert/strict');
const show = (fn) => {
  try {
    fn();
    console.log('ok');
  } catch (e) {
    console.log(`${e.name} ${e.code} ${e.operator} generated=${e.generatedMessage}`);
    console.log(JSON.stringify(e.message));
  }
};
show(() => assert.strictEqual(1, 2));
show(() => assert.strictEqual('a\nb', 'a\nc'));
show(() => assert.strictEqual('hello world, a long line', 'hello world, a lung line'));
show(() => assert.strictEqual({ a: 1 }, { a: 1 }));
show(() => assert.deepStrictEqual({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] }));
show(() => assert.deepStrictEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]));
show(() => assert.deepStrictEqual(new Map([[1, 'a']]), new Map([[1, 'b']])));
show(() => assert.deepStrictEqual(new Set([1, 2]), new Set([1, 3])));
show(() => assert.deepStrictEqual([1], ['1']));
show(() => assert.deepEqual([1], ['1']));
show(() => assert.deepEqual({ a: 1 }, { a: 2 }));
show(() => assert.notDeepStrictEqual({ a: 1 }, { a: 1 }));
show(() => assert.notStrictEqual(1, 1));
show(() => assert.equal(1, 2));
show(() => assert.notEqual(1, '1'));
show(() => assert.ok(0, 'custom message'));
show(() => assert.ok());
show(() => assert.fail());
show(() => assert.fail('boom'));
show(() => assert.throws(() => {}));
show(() => assert.throws(() => {}, TypeError));
show(() => assert.throws(() => { throw new Error('x'); }, { message: 'y' }));
show(() => assert.throws(() => { throw new TypeError('x'); }, RangeError));
show(() => assert.throws(() => { throw new Error('abc'); }, /abd/));
show(() => assert.throws(() => { throw new Error('abc'); }, /abc/));
show(() => assert.doesNotThrow(() => { throw new Error('inner'); }));
show(() => assert.doesNotThrow(() => { throw new Error('inner'); }, 'why'));
show(() => assert.match('abc', /x/));
show(() => assert.doesNotMatch('abc', /b/));
show(() => assert.match(123, /x/));
show(() => assert.ifError(null));
show(() => assert.ifError(new Error('if error')));
show(() => strict.equal(1, '1'));
show(() => strict.deepEqual({ a: [1] }, { a: [1] }));
console.log(strict === assert.strict, typeof strict.strict);
// Deep equality: Node's answer for each pair, strict and loose.
const pairs = [
  [0, -0], [NaN, NaN], [1, '1'], [[1, 2], [1, 2]], [[1, , 3], [1, undefined, 3]],
  [{ a: undefined }, {}], [new Date(0), new Date(0)], [new Date(0), new Date(1)],
  [/a/g, /a/g], [/a/g, /a/i], [new Error('a'), new Error('a')], [new Error('a'), new TypeError('a')],
  [new Map([[{}, 1]]), new Map([[{}, 1]])], [new Set([{}]), new Set([{}])],
  [new Uint8Array([1, 2]), new Uint8Array([1, 2])], [new Uint8Array([1]), new Int8Array([1])],
  [new Float64Array([0]), new Float64Array([-0])], [Object.create(null), {}],
  [new Number(1), new Number(1)], [new String('a'), 'a'], [Symbol.for('x'), Symbol.for('x')],
  [{ [Symbol.for('s')]: 1 }, { [Symbol.for('s')]: 2 }], [[1, 2], { 0: 1, 1: 2, length: 2 }],
  [new ArrayBuffer(2), new ArrayBuffer(2)], [function f() {}, function f() {}],
  [(() => { const a = { x: 1 }; a.self = a; return a; })(), (() => { const b = { x: 1 }; b.self = b; return b; })()],
];
const util = require('util');
for (const [a, b] of pairs) {
  let strictOk = true;
  let looseOk = true;
  try { assert.deepStrictEqual(a, b); } catch { strictOk = false; }
  try { assert.deepEqual(a, b); } catch { looseOk = false; }
  const show = (v) => (v instanceof Error ? `[${v.name}: ${v.message}]` : util.inspect(v));
  console.log(show(a), show(b), strictOk, looseOk, util.isDeepStrictEqual(a, b));
}
(async () => {
  for (const p of [
    () => assert.rejects(Promise.resolve(1)),
    () => assert.rejects(Promise.reject(new Error('r')), /r/),
    () => assert.rejects(async () => { throw new TypeError('t'); }, RangeError),
    () => assert.doesNotReject(Promise.reject(new Error('dnr'))),
    () => assert.rejects(5),
  ]) {
    try {
      await p();
      console.log('resolved');
    } catch (e) {
      console.log(`${e.name} ${e.code}: ${JSON.stringify(e.message)}`);
    }
  }
})();
