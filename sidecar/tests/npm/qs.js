// package: qs
// expect: {"a":{"b":{"c":"d"}},"e":["1","2"],"f":" g"} a[b][0]=1&a[b][1]=2&c=d%20e
const qs = require('qs');
console.log(JSON.stringify(qs.parse('a[b][c]=d&e[]=1&e[]=2&f=%20g')), qs.stringify({ a: { b: [1, 2] }, c: 'd e' }, { encodeValuesOnly: true }));
