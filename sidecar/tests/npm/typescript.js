// package: typescript
// expect: 5 "    E[E[\"A\"] = 1] = \"A\";     E[E[\"B\"] = 2] = \"B\";"
const ts = require('typescript');
const out = ts.transpileModule('enum E { A = 1, B } export const f = (x: number): E => x as E; interface I { a: string }', { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } });
console.log(ts.version.split('.')[0], JSON.stringify(out.outputText.split('\n').filter((l) => l.includes('E[')).join(' ')));
