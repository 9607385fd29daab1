// package: papaparse
// expect: [{"a":1,"b":"x \"y\""},{"a":2,"b":"z"}] a,b|1,"q,r"
const Papa = require('papaparse');
const r = Papa.parse('a,b\n1,"x ""y"""\n2,z', { header: true, dynamicTyping: true });
console.log(JSON.stringify(r.data), Papa.unparse([{ a: 1, b: 'q,r' }]).replace(/\r\n/g, '|'));
