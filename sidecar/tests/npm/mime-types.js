// package: mime-types
// expect: application/json text/html; charset=utf-8 svg false
const mime = require('mime-types');
console.log(mime.lookup('a/b/file.json'), mime.contentType('html'), mime.extension('image/svg+xml'), mime.lookup('x.unknownext'));
