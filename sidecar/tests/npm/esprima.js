// package: esprima
// expect: K:let I:answer P:= N:6 P:* N:7 P:; add 2
const esprima = require('esprima');
const tokens = esprima.tokenize('let answer = 6 * 7;');
const ast = esprima.parseScript('function add(a, b) { return a + b; }');
console.log(tokens.map((t) => t.type[0] + ':' + t.value).join(' '), ast.body[0].id.name, ast.body[0].params.length);
