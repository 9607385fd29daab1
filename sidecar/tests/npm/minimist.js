// package: minimist
// expect: {"_":["foo","bar","--baz"],"x":3,"y":4,"n":5,"a":true,"b":true,"c":true,"beep":"boop"}
const parse = require('minimist');
console.log(JSON.stringify(parse(['-x', '3', '-y', '4', '-n5', '-abc', '--beep=boop', 'foo', 'bar', '--', '--baz'])));
