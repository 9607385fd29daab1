// package: csv-parse
// expect: [{"name":"Ada, L.","age":36},{"name":"Alan","age":41}]
const { parse } = require('csv-parse/sync');
const records = parse('name,age\n"Ada, L.",36\nAlan,41\n', { columns: true, cast: true });
console.log(JSON.stringify(records));
