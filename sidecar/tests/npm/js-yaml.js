// package: js-yaml
// expect: {"name":"demo","list":[1,"two"],"nested":{"a":true,"b":null}} "x:\n  - 1\n  - 2\n'y': z\n"
const yaml = require('js-yaml');
const doc = yaml.load('name: demo\nlist:\n  - 1\n  - two\nnested: {a: true, b: null}\n');
console.log(JSON.stringify(doc), JSON.stringify(yaml.dump({ x: [1, 2], y: 'z' })));
