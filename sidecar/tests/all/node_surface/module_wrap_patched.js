// Module.wrap / Module.wrapper replaced or written: every module required after that compiles
// from the script the patched wrap gives (Node's behaviour for instrumenting loaders); before
// the patch, and for modules already cached, nothing changes. Module._stat of a dir and a file.
const fs = require('fs');
const path = require('path');
const Module = require('module');

const dir = path.join(__dirname, 'wrap-patched');
fs.mkdirSync(dir, { recursive: true });
for (const name of ['a', 'b', 'c']) {
  fs.writeFileSync(path.join(dir, `${name}.js`), `module.exports = '${name}:' + (global.hits || 0);\n`);
}
console.log(require('./wrap-patched/a.js'), typeof Module.wrap, Module.wrapper.length);

Module.wrapper[0] += 'global.hits = (global.hits || 0) + 1;';
console.log(require('./wrap-patched/b.js'), require('./wrap-patched/a.js'));

const original = Module.wrap;
Module.wrap = (script) => original(`exports.wrapped = true;\n${script}`);
const c = require('./wrap-patched/c.js');
console.log(c, global.hits);
console.log(Module.wrap('x').startsWith('(function (exports, require, module, __filename, __dirname) { '));
console.log(Module._stat(dir), Module._stat(path.join(dir, 'a.js')), Module._stat(path.join(dir, 'nope')) < 0);
