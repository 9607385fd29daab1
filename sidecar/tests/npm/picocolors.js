// package: picocolors
// expect: "\u001b[31m\u001b[1mx\u001b[22m\u001b[39m" false "y"
const pc = require('picocolors');
const forced = pc.createColors(true);
console.log(JSON.stringify(forced.red(forced.bold('x'))), pc.isColorSupported, JSON.stringify(pc.createColors(false).green('y')));
