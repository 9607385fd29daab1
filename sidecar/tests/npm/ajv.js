// package: ajv
// expect: true false /n minimum; /s maxLength
const Ajv = require('ajv');
const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile({ type: 'object', properties: { n: { type: 'integer', minimum: 1 }, s: { type: 'string', maxLength: 3 } }, required: ['n'] });
const good = validate({ n: 2, s: 'abc' });
const bad = validate({ n: 0, s: 'abcd' });
console.log(good, bad, validate.errors.map((e) => `${e.instancePath} ${e.keyword}`).join('; '));
