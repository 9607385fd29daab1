// util.inspect with `colors: true` (and formatWithOptions, styleText, the colors/styles tables):
// every kind of value styled as Node styles it, and line breaking that ignores the escape codes.
const util = require('util');
const show = (v, o) => console.log(JSON.stringify(util.inspect(v, { colors: true, ...o })));

class Foo {
  constructor() {
    this.n = 1;
  }
}
const v = {
  a: true, b: null, c: undefined, d: 'str', e: 5n, f: Symbol('s'), g: new Date(0), h: /re/g,
  i: [1, 2], j: new Map([[1, { x: 2 }]]), k: new Set(['a']), l: () => {}, m: new Foo(),
  o: Object.create(null), p: new Uint8Array(2), r: new WeakMap(), s: { deep: { deeper: { deepest: 1 } } },
  t: -0, u: NaN, w: [, 1], x: Buffer.from('ab'), z: class A {},
};
v.circ = v;
show(v);
show({ alpha: 'aaaaaaaaaa', beta: 'bbbbbbbbbbbb', gamma: 123456, delta: true, eps: null, zeta: undefined });
show(Array.from({ length: 30 }, (_, i) => i * 1000));
show(['aaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbb', 'ccccccccccccccc', 'dddddddddddd', 'eeeeeeeeeeeeeeee', 'ff']);
show(new Number(3));
show(Object.assign(new String('ab'), { x: 1 }));
show({ [Symbol('k')]: 1, 'a-b': 2, get g() { return 1; }, get n() { return null; }, set s(x) {} }, { getters: true });
show({ get g() { return 1; } });
show(new Uint16Array([1000, 2000]), { numericSeparator: true });
show(new ArrayBuffer(3));
show(new SharedArrayBuffer(2));
show(new WeakSet());
show(Promise.resolve(3));
show(new Promise(() => {}));
show(new Map([['key1', { nested: [1, 2, { deep: 'x' }] }], ['key2', 'v']]));
show(class Bar extends Map {});
show(function named() {});
show([undefined, , null, 3n, -0]);
show(new Set([[1, 2], 'x']), { depth: 0 });
show('multi\nline string that is quite long and keeps going for a while to force breaking');
show([new Date(NaN), /x/y, Symbol.iterator]);
show(new Proxy({ a: 1 }, {}), { showProxy: true });
show(Object.assign(() => {}, { x: 1 }));
console.log(JSON.stringify(util.formatWithOptions({ colors: true }, true, undefined, Symbol(), 1, 5n, null, 'foobar')));
console.log(JSON.stringify(util.formatWithOptions({ colors: true }, '%s and %o', 'str', [1])));
console.log(util.inspect.colors.grey, util.inspect.colors.bgBlackBright, Object.keys(util.inspect.styles).join());
console.log(JSON.stringify(util.styleText('grey', 'hi', { validateStream: false })));
const e = new Error('x');
e.stack = 'Error: x\n    at f (/app/node_modules/pkg/index.js:1:2)\n    at g (node:fs:3:4)\n    at h (/app/main.js:1:1)';
show(e);
util.inspect.styles.number = 'red';
show(1);
util.inspect.colors.red = [91, 39];
show(1);
