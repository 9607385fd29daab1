// util.types over a corpus of values, and the other util functions of this part.
const util = require('util');
const types = util.types;
function* gen() {}
async function af() {}
const values = {
  object: {}, array: [], fn() {}, arrow: () => {}, asyncFn: af, genFn: gen, genObj: gen(),
  asyncGenFn: async function* () {}, promise: Promise.resolve(), thenable: { then() {} },
  date: new Date(), regexp: /x/, map: new Map(), set: new Set(), weakMap: new WeakMap(),
  weakSet: new WeakSet(), mapIter: new Map().keys(), setIter: new Set().values(),
  arrayBuffer: new ArrayBuffer(1), sab: new SharedArrayBuffer(1), dataView: new DataView(new ArrayBuffer(1)),
  u8: new Uint8Array(1), u8c: new Uint8ClampedArray(1), i16: new Int16Array(1), f32: new Float32Array(1),
  f64: new Float64Array(1), bi64: new BigInt64Array(1), bu64: new BigUint64Array(1), u32: new Uint32Array(1),
  error: new Error(), typeError: new TypeError(), fakeError: Object.create(Error.prototype),
  args: (function () { return arguments; })(), proxy: new Proxy({}, {}), proxyFn: new Proxy(() => {}, {}),
  boxedNumber: new Number(1), boxedString: new String(''), boxedBool: new Boolean(false),
  boxedSymbol: Object(Symbol()), boxedBigint: Object(1n), spoofedTag: { [Symbol.toStringTag]: 'Date' },
  nul: null, undef: undefined, num: 1, str: 's', sym: Symbol(), big: 1n,
};
const names = Object.keys(types).sort();
console.log(names.join(' '));
for (const [k, v] of Object.entries(values)) {
  console.log(k.padEnd(12), names.filter((n) => { try { return types[n](v); } catch { return 'throws'; } }).join(','));
}
// promisify with the custom symbol, callbackify, deprecate, inherits
const custom = function () {};
custom[util.promisify.custom] = () => 'custom!';
console.log(util.promisify(custom)(), util.promisify.custom === Symbol.for('nodejs.util.promisify.custom'));
const cbStyle = (a, cb) => setImmediate(() => cb(a < 0 ? new Error('neg') : null, a * 2));
const p = util.promisify(cbStyle);
p(2).then((v) => console.log('promisified', v));
p(-1).catch((e) => console.log('promisified error', e.message));
util.callbackify(async (x) => x + 1)(1, (err, v) => console.log('callbackified', err, v));
util.callbackify(async () => { throw null; })((err) => console.log('falsy rejection', err.code, err.message, err.reason));
function A() {}
function B() {}
util.inherits(A, B);
console.log(new A() instanceof B, A.super_ === B);
console.log(util.stripVTControlCharacters('\u001b[31mred\u001b[39m plain'));
console.log(JSON.stringify(util.styleText('red', 'x')), JSON.stringify(util.styleText(['bold', 'red'], 'x')));
console.log(util.getSystemErrorName(-2), util.getSystemErrorName(-13));
console.log(util.inspect.custom === Symbol.for('nodejs.util.inspect.custom'));
console.log(util.isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), util.isDeepStrictEqual([1], ['1']));
try { util.promisify(5); } catch (e) { console.log(e.code, e.message); }
// util.parseArgs
const { parseArgs } = util;
const cases = [
  { args: ['-f', '--bar', 'b'], options: { foo: { type: 'boolean', short: 'f' }, bar: { type: 'string' } } },
  { args: ['--foo=1', '--foo', '2', 'pos'], options: { foo: { type: 'string', multiple: true } }, allowPositionals: true },
  { args: ['-abc'], options: { a: { type: 'boolean', short: 'a' }, b: { type: 'boolean', short: 'b' }, c: { type: 'string', short: 'c' } } },
  { args: ['--no-color'], options: { color: { type: 'boolean' } }, allowNegative: true },
  { args: ['--x', '--', '--y'], options: { x: { type: 'boolean' } }, allowPositionals: true, tokens: true },
  { args: ['--unknown'], options: {} },
  { args: ['pos'], options: {} },
  { args: ['--s'], options: { s: { type: 'string' } } },
  { args: [], options: { d: { type: 'string', default: 'dflt' } } },
  { args: [], options: { e: { type: 'nope' } } },
];
for (const c of cases) {
  try {
    console.log(JSON.stringify(parseArgs(c)));
  } catch (e) {
    console.log(e.code, e.message);
  }
}
