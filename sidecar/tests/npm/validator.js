// package: validator
// expect: true false true true &lt;a &amp; b&gt; false
const validator = require('validator');
console.log(validator.isEmail('a@b.io'), validator.isEmail('nope'), validator.isURL('https://x.org/p?q=1'), validator.isUUID('9b2e1d90-4b0b-4f3e-8b1a-2a3b4c5d6e7f', 4), validator.escape('<a & b>'), validator.isIP('10.0.0.256'));
