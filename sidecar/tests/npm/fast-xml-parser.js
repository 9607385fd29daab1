// package: fast-xml-parser
// expect: {"a":{"b":[2,3],"@_x":"1"}} false <r><s>t</s></r>
const { XMLParser, XMLBuilder, XMLValidator } = require('fast-xml-parser');
const obj = new XMLParser({ ignoreAttributes: false }).parse('<a x="1"><b>2</b><b>3</b></a>');
console.log(JSON.stringify(obj), XMLValidator.validate('<a><b></a>') === true, new XMLBuilder().build({ r: { s: 't' } }));
