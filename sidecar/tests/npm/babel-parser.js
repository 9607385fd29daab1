// package: @babel/parser
// expect: VariableDeclaration,TSTypeAliasDeclaration JSXElement
const { parse } = require('@babel/parser');
const ast = parse('const el = <App x={1} />; type T = { a: number };', { sourceType: 'module', plugins: ['jsx', 'typescript'] });
console.log(ast.program.body.map((n) => n.type).join(','), ast.program.body[0].declarations[0].init.type);
