// Values for the differential inspect/format tests: [name, make] pairs (a fresh value per case).
// Awkward on purpose: cycles, getters, symbols, sparse arrays, -0, long strings, unicode.

class Plain {
  constructor() {
    this.x = 1;
  }
}
class Derived extends Plain {}
class Tagged {
  get [Symbol.toStringTag]() {
    return 'TagName';
  }
}
// biome-ignore lint/complexity/noStaticOnlyClass: a class with only a static member is the case
class WithStatic {
  static s = 1;
}
class MyError extends Error {}

function named() {}
function withProps() {}
withProps.prop = 1;

function errorWith(make) {
  const err = make();
  err.stack = `${err.name}: ${err.message}\n    at fixed (file.js:1:1)`;
  return err;
}

function cycle() {
  const o = { name: 'o' };
  o.self = o;
  o.list = [o, { back: o }];
  return o;
}

function sparse() {
  // biome-ignore lint/suspicious/noSparseArray: a sparse array is the case
  const a = [1, , 3];
  a[10] = 'ten';
  return a;
}

function nullProto(props) {
  return Object.assign(Object.create(null), props);
}

export const values = [
  ['zero', () => 0],
  ['negative zero', () => -0],
  ['integers', () => [1, -1, 42, 2 ** 53, -(2 ** 31)]],
  ['floats', () => [1.5, -0.1, 1e21, 1e-7, 123456.789, Number.MAX_VALUE, Number.MIN_VALUE]],
  ['non-finite', () => [NaN, Infinity, -Infinity]],
  ['bigints', () => [0n, -1n, 123456789012345678901234567890n]],
  ['booleans', () => [true, false]],
  ['null and undefined', () => [null, undefined]],
  ['empty string', () => ''],
  ['string', () => 'hello'],
  ['quotes', () => ["it's", 'a"b', 'a\'b"c', 'a`b\'c"d']],
  ['control chars', () => '\n\t\r\b\f\v\u0000\u001f\u007f\u0085'],
  ['unicode', () => 'caf\u00e9 \u{1f600} \u4e2d \u0645 e\u0301'],
  ['lone surrogates', () => ['\ud800', 'a\udc00b', '\udbff\udfff']],
  ['long string', () => 'x'.repeat(20000)],
  ['multiline string in object', () => ({ s: 'line one\nline two\nline three' })],
  ['long strings in array', () => ['a'.repeat(30), 'b'.repeat(30), 'c'.repeat(30)]],
  ['symbols', () => [Symbol(), Symbol('desc'), Symbol.iterator, Symbol.for('registered')]],
  ['symbol keys', () => ({ [Symbol('k')]: 1, [Symbol.for('f')]: 'v', plain: 2 })],
  ['named function', () => named],
  ['arrow function', () => () => {}],
  ['async function', () => async function af() {}],
  ['generator function', () => function* gen() {}],
  ['async generator function', () => async function* ag() {}],
  ['class', () => Plain],
  ['derived class', () => Derived],
  ['anonymous class', () => class {}],
  ['class with static', () => WithStatic],
  ['bound function', () => named.bind(null)],
  ['function with props', () => withProps],
  ['empty object', () => ({})],
  ['flat object', () => ({ a: 1, b: 'two', c: null, d: undefined })],
  ['deep object', () => ({ a: { b: { c: { d: { e: { f: 1 } } } } } })],
  ['keys needing quotes', () => ({ 'a-b': 1, 1: 2, valid_id: 3, '': 4, 'sp ace': 5, "q'": 6 })],
  ['numeric keys', () => ({ 2: 'b', 1: 'a', 10: 'c', '-1': 'd', 1.5: 'e' })],
  ['null prototype', () => nullProto({ a: 1 })],
  ['empty null prototype', () => Object.create(null)],
  ['cycle', cycle],
  [
    'array cycle',
    () => {
      const a = [1];
      a.push(a);
      return a;
    },
  ],
  [
    'getters',
    () => ({
      get g() {
        return 1;
      },
      set s(v) {},
      get gs() {
        return 2;
      },
      set gs(v) {},
    }),
  ],
  [
    'throwing getter',
    () => ({
      get boom() {
        throw new Error('no');
      },
    }),
  ],
  ['non-enumerable', () => Object.defineProperty({ shown: 1 }, 'hidden', { value: 2 })],
  ['frozen', () => Object.freeze({ a: 1 })],
  ['class instance', () => new Plain()],
  ['derived instance', () => new Derived()],
  ['tagged instance', () => new Tagged()],
  ['own toStringTag', () => ({ [Symbol.toStringTag]: 'Custom', a: 1 })],
  ['constructor property overwritten', () => ({ constructor: 'not a function' })],
  ['object with null-prototype parent', () => Object.create(nullProto({ inherited: 1 }))],
  ['empty array', () => []],
  ['small array', () => [1, 2, 3]],
  ['sparse array', sparse],
  ['holes only', () => new Array(5)],
  ['array with props', () => Object.assign([1, 2], { extra: true, '-1': 'neg' })],
  ['long array', () => Array.from({ length: 150 }, (_, i) => i)],
  ['groupable numbers', () => Array.from({ length: 30 }, (_, i) => i * 37)],
  [
    'groupable strings',
    () => Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i).repeat((i % 5) + 1)),
  ],
  ['mixed array', () => [1, 'a', null, undefined, -0, [2, [3, [4, [5]]]], { k: 'v' }]],
  ['nested arrays', () => [[[[[[1]]]]]]],
  [
    'array of objects',
    () => [
      { a: 1, b: 2 },
      { a: 3, b: 4 },
      { a: 5, b: 6 },
    ],
  ],
  [
    'typed arrays',
    () => [new Uint8Array([1, 2, 3]), new Float64Array([1.5, -0]), new Int16Array(0)],
  ],
  ['bigint typed array', () => new BigInt64Array([1n, -2n])],
  ['long typed array', () => new Uint8Array(150)],
  ['typed array with props', () => Object.assign(new Uint8Array(2), { x: 1 })],
  ['array buffer', () => new Uint8Array([1, 2, 255]).buffer],
  ['long array buffer', () => new ArrayBuffer(60)],
  ['data view', () => new DataView(new ArrayBuffer(4), 1, 2)],
  [
    'map',
    () =>
      new Map([
        [1, 'one'],
        ['two', { n: 2 }],
        [{ k: 1 }, [1]],
      ]),
  ],
  ['empty map', () => new Map()],
  ['set', () => new Set([1, 'a', { b: 2 }, [3]])],
  ['empty set', () => new Set()],
  ['nested collections', () => new Map([['s', new Set([new Map([[1, 2]])])]])],
  ['map with props', () => Object.assign(new Map([[1, 2]]), { extra: 1 })],
  ['weak collections', () => [new WeakMap(), new WeakSet()]],
  ['date', () => new Date(0)],
  ['invalid date', () => new Date(NaN)],
  ['date with props', () => Object.assign(new Date(86400000), { x: 1 })],
  ['regexp', () => [/a+b/gi, /[/]\//, /(?:)/]],
  ['regexp with props', () => Object.assign(/x/, { y: 1 })],
  ['error', () => errorWith(() => new Error('boom'))],
  ['type error', () => errorWith(() => new TypeError('bad type'))],
  [
    'error with props',
    () => errorWith(() => Object.assign(new Error('e'), { code: 'E_CODE', n: 1 })),
  ],
  [
    'error with cause',
    () => errorWith(() => new Error('outer', { cause: errorWith(() => new Error('inner')) })),
  ],
  ['error subclass', () => errorWith(() => new MyError('mine'))],
  ['error renamed', () => errorWith(() => Object.assign(new Error('m'), { name: 'Renamed' }))],
  ['error without stack', () => Object.assign(new Error('nostack'), { stack: undefined })],
  [
    'error with a non-string stack',
    () => Object.assign(new Error('odd'), { stack: { frames: [1, 2] } }),
  ],
  ['error with empty message', () => errorWith(() => new RangeError(''))],
  [
    'boxed primitives',
    () => [
      new Number(1),
      new Number(-0),
      new String('ab'),
      new Boolean(false),
      Object(Symbol('s')),
      Object(1n),
    ],
  ],
  ['boxed string with props', () => Object.assign(new String('ab'), { x: 1 })],
  [
    'arguments',
    function () {
      return arguments;
    },
  ],
  ['generator object', () => (function* g() {})()],
  ['custom inspect', () => ({ [Symbol.for('nodejs.util.inspect.custom')]: () => 'CUSTOM' })],
  [
    'custom inspect returning object',
    () => ({ [Symbol.for('nodejs.util.inspect.custom')]: () => ({ replaced: true }) }),
  ],
  [
    'custom inspect using depth',
    () => ({
      [Symbol.for('nodejs.util.inspect.custom')]: (depth, options) =>
        `depth=${depth} compact=${options.compact}`,
    }),
  ],
  ['inspect method (ignored)', () => ({ inspect: () => 'no' })],
  ['math', () => Math],
  ['json', () => JSON],
  ['promise resolved', () => Promise.resolve(1)],
  ['promise pending', () => new Promise(() => {})],
  ['proxy', () => new Proxy({ target: 1 }, {})],
  ['many keys', () => Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`key${i}`, i]))],
  [
    'wide object',
    () => ({ alpha: 'aaaaaaaaaa', beta: 'bbbbbbbbbb', gamma: 'cccccccccc', delta: 'dddddddddd' }),
  ],
  ['object in array in object', () => ({ a: [{ b: [{ c: [{ d: 1 }] }] }] })],
];

export const inspectOptions = [
  undefined,
  { depth: 0 },
  { depth: 1 },
  { depth: Infinity },
  { depth: null },
  { compact: false },
  { compact: 1 },
  { compact: 5 },
  { breakLength: 20 },
  { breakLength: Infinity },
  { sorted: true },
  { showHidden: true },
  { maxArrayLength: 2 },
  { maxArrayLength: 0 },
  { maxStringLength: 5 },
  { getters: true },
  { numericSeparator: true },
  { colors: false },
  { customInspect: false },
  { compact: false, breakLength: 40, sorted: true },
];
