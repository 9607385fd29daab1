// package: xml2js
// expect: {"root":{"$":{"a":"1"},"item":["x","y"]}} <r id="7"><v>w</v></r>
const xml2js = require('xml2js');
xml2js.parseString('<root a="1"><item>x</item><item>y</item></root>', (err, result) => {
  if (err) throw err;
  const xml = new xml2js.Builder({ headless: true, renderOpts: { pretty: false } }).buildObject({ r: { $: { id: 7 }, v: 'w' } });
  console.log(JSON.stringify(result), xml);
});
