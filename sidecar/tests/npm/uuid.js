// package: uuid
// expect: true 4 074171de-bc84-5ea4-b636-1135477620e1 00000000-0000-0000-0000-000000000000
const { v4, v5, validate, version, NIL } = require('uuid');
const id = v4();
console.log(validate(id), version(id), v5('hello', v5.URL), NIL);
