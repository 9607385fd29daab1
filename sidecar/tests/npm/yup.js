// package: yup
// expect: true ValidationError 2 42
const yup = require('yup');
const schema = yup.object({ email: yup.string().email().required(), age: yup.number().min(18) });
(async () => {
  const valid = await schema.isValid({ email: 'a@b.co', age: 20 });
  const err = await schema.validate({ email: 'nope', age: 3 }, { abortEarly: false }).catch((e) => e);
  console.log(valid, err.name, err.errors.length, schema.cast({ email: 'x@y.z', age: '42' }).age);
})();
