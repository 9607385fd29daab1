// package: dotenv
// expect: {"A":"1","B":"two words","C":"single","MULTI":"x\ny"}
const dotenv = require('dotenv');
const parsed = dotenv.parse('A=1\n# comment\nB="two words"\nC=\'single\'\nMULTI="x\\ny"\n');
console.log(JSON.stringify(parsed));
