// package: mathjs
// expect: 5 [[2, 4], [6, 8]] 2 * x + 3 1.9685039370078743 inch
const { create, all } = require('mathjs');
const math = create(all);
console.log(math.evaluate('sqrt(3^2 + 4^2)'), math.format(math.multiply(math.matrix([[1, 2], [3, 4]]), 2)), math.derivative('x^2 + 3x', 'x').toString(), math.evaluate('5 cm to inch').toString());
