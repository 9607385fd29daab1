// package: acorn
// expect: VariableDeclaration,ClassDeclaration ArrowFunctionExpression 67
const acorn = require('acorn');
const ast = acorn.parse('const f = async (a, ...b) => a ?? b; class C { #p = 1; static { } }', { ecmaVersion: 'latest' });
console.log(ast.body.map((n) => n.type).join(','), ast.body[0].declarations[0].init.type, ast.end);
