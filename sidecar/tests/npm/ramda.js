// package: ramda
// expect: 90 {"a":[{"k":"a"},{"k":"a"}],"b":[{"k":"b"}]} 6
const R = require('ramda');
const f = R.pipe(R.filter((x) => x % 2), R.map(R.multiply(10)), R.sum);
console.log(f([1, 2, 3, 4, 5]), JSON.stringify(R.groupBy(R.prop('k'), [{ k: 'a' }, { k: 'b' }, { k: 'a' }])), R.curry((a, b, c) => a + b + c)(1)(2)(3));
