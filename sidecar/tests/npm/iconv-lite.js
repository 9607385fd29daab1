// package: iconv-lite
// expect: 4772fcdf652080 Çé true Ж
const iconv = require('iconv-lite');
const buf = iconv.encode('Grüße €', 'win1252');
console.log(buf.toString('hex'), iconv.decode(Buffer.from([0xc7, 0xe9]), 'iso-8859-1'), iconv.encodingExists('utf-16le'), iconv.decode(iconv.encode('Ж', 'koi8-r'), 'koi8-r'));
