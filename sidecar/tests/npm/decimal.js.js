// package: decimal.js
// expect: 0.3 1.4142135623730950488 0.000000100 3.5
const Decimal = require('decimal.js');
console.log(new Decimal(0.1).plus(0.2).toString(), new Decimal(2).sqrt().toSignificantDigits(20).toString(), new Decimal('1e-7').toFixed(9), Decimal.max(1, '3.5', 2).toString());
