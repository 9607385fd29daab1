// package: classnames
// expect: a b d e f
const classNames = require('classnames');
console.log(classNames('a', { b: true, c: false }, ['d', ['e']], null, 0, 'f'));
