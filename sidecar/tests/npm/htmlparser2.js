// package: htmlparser2
// expect: div,p,b,img /x,/y
const { Parser, parseDocument, DomUtils } = require('htmlparser2');
const tags = [];
const p = new Parser({ onopentag: (name) => tags.push(name) });
p.write('<div><p>Hi <b>there</b></p><img src=x></div>');
p.end();
const doc = parseDocument('<a href="/x">link</a><a href="/y">two</a>');
console.log(tags.join(','), DomUtils.getElementsByTagName('a', doc).map((a) => a.attribs.href).join(','));
