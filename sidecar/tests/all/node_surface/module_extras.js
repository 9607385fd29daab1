// module: _load/_resolveFilename through our loader, wrap/wrapper, the source-map no-ops.
const M = require('module');
console.log(typeof M._load, typeof M._resolveFilename, M.wrap('x'), M.wrapper.length, M.findSourceMap('/x'));
console.log(M._load('path') === require('path'), M._resolveFilename('./m.js', module) === __filename);
