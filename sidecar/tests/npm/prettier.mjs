// package: prettier
// expect: "const x = { a: 1, b: [1, 2, 3] };\nfunction f(a, b) {\n  return a + b;\n}\n"
import * as prettier from 'prettier/standalone';
import * as babel from 'prettier/plugins/babel';
import * as estree from 'prettier/plugins/estree';
const out = await prettier.format('const  x = {a:1,b:[1,2,3]};function f(a,b){return a+b}', { parser: 'babel', plugins: [babel, estree] });
console.log(JSON.stringify(out));
