// package: big.js
// expect: 0.3 3.33333 123456.0 1.267650600228229401496703205376e+30
const Big = require('big.js');
console.log(new Big('0.1').plus('0.2').toString(), new Big(10).div(3).round(5).toString(), new Big('123.456').times('1e3').toFixed(1), new Big(2).pow(100).toString());
