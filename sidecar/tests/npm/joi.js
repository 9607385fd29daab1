// package: joi
// expect: true username:string.alphanum,username:string.min,year:number.max
const Joi = require('joi');
const schema = Joi.object({ username: Joi.string().alphanum().min(3).required(), year: Joi.number().integer().min(1900).max(2100), email: Joi.string().email({ tlds: false }) });
const good = schema.validate({ username: 'ada99', year: 1999 });
const bad = schema.validate({ username: 'a!', year: 3000 }, { abortEarly: false });
console.log(good.error === undefined, bad.error.details.map((d) => d.path.join('.') + ':' + d.type).join(','));
