// package: jsonschema
// expect: true false instance.tags[0] type; instance required
const { Validator } = require('jsonschema');
const v = new Validator();
const schema = { type: 'object', properties: { id: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['id'] };
const ok = v.validate({ id: 1, tags: ['a'] }, schema);
const bad = v.validate({ tags: [1] }, schema);
console.log(ok.valid, bad.valid, bad.errors.map((e) => e.property + ' ' + e.name).join('; '));
