// console.table over arrays, objects, Maps, Sets and their iterators (not advanced), with a
// column filter; process.env's exotic behaviour (strings only, symbols refused); argument checks
// of process.emitWarning, util.deprecate and os.EOL's read-only property.
const os = require('os');
const util = require('util');

console.table([1, 'two', { a: 1 }]);
console.table([{ a: 1, b: 'Y' }, { a: 'Z', b: 2, c: [1, 2, 3, 4] }]);
console.table({ x: { a: 1 }, y: { b: 2 } }, ['a']);
const map = new Map([[1, 'one'], ['k', { v: true }]]);
console.table(map);
const it = map.entries();
console.table(it);
console.log('iterator not advanced:', it.next().value);
console.table(new Set(['s', 2]).values());
console.table('plain');
try {
  console.table([], false);
} catch (err) {
  console.log(err.code, err.message);
}

process.env.NUM = 42;
console.log(typeof process.env.NUM, process.env.NUM);
const sym = Symbol('s');
console.log(process.env[sym], sym in process.env, delete process.env[sym]);
for (const attempt of [() => { process.env[sym] = 1; }, () => { process.env.X = sym; }]) {
  try {
    attempt();
  } catch (err) {
    console.log(err.name, err.message);
  }
}
try {
  Object.defineProperty(process.env, 'G', { get() { return 1; } });
} catch (err) {
  console.log(err.code, err.message);
}
console.log(Object.prototype.toString.call(process.env), typeof process.env.hasOwnProperty);

for (const args of [[1], ['', 1], ['', '', 1], [undefined]]) {
  try {
    process.emitWarning(...args);
  } catch (err) {
    console.log(err.code, err.message);
  }
}
try {
  util.deprecate(() => {}, 'm', 1);
} catch (err) {
  console.log(err.code, err.message);
}
try {
  'use strict';
  os.EOL = 'x';
} catch (err) {
  console.log(err.name);
}
console.log(JSON.stringify(os.EOL), Object.getOwnPropertyDescriptor(os, 'EOL').writable);
