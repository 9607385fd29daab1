// package: ms
// expect: 172800000 5400000 1m 2 hours
const ms = require('ms');
console.log(ms('2 days'), ms('1.5h'), ms(60000), ms(2 * 60 * 60 * 1000, { long: true }));
