// package: bcryptjs
// expect: $2b$04$ 60 true false $2a$04$abcdefghijklmnopqrstuuPp7HPfoAs8I2dCQCQ/fW7zEJv8I8C8e
const bcrypt = require('bcryptjs');
const salt = bcrypt.genSaltSync(4);
const hash = bcrypt.hashSync('hunter2', salt);
console.log(hash.slice(0, 7), hash.length, bcrypt.compareSync('hunter2', hash), bcrypt.compareSync('wrong', hash), bcrypt.hashSync('x', '$2a$04$abcdefghijklmnopqrstuu'));
