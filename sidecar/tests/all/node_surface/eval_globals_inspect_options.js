// `node -e`/`-p` see the builtin modules as globals (loaded on first read, replaced by an
// assignment, not enumerable); util.inspect.defaultOptions and numericSeparator (also in
// util.format's %d/%i/%s).
const { execFileSync } = require('child_process');
const util = require('util');

const run = (...args) => execFileSync(process.execPath, args).toString().trim();
console.log(run('-p', "[typeof fs, typeof path, typeof util, typeof os, typeof crypto.createHash, typeof crypto.subtle].join(' ')"));
console.log(run('-e', "fs = 1; console.log(fs, Object.keys(globalThis).includes('path'), typeof require, typeof module)"));
console.log(run('-p', 'events.EventEmitter === events'));

console.log(Object.keys(util.inspect.defaultOptions).join(','), Object.isSealed(util.inspect.defaultOptions));
console.log(util.inspect([123456789, -1234.5678, 12345678901234567890n, 1e21, NaN], { numericSeparator: true }));
const saved = util.inspect.defaultOptions.numericSeparator;
util.inspect.defaultOptions = { numericSeparator: true };
console.log(util.format('%d %i %s', 1234567, 7654321.9, 100000), util.inspect({ n: 10000 }));
util.inspect.defaultOptions.numericSeparator = saved;
console.log(util.format('%d', 1234567));
for (const bad of [null, 1, 'x']) {
  try {
    util.inspect.defaultOptions = bad;
  } catch (err) {
    console.log(err.code, String(err));
  }
}
