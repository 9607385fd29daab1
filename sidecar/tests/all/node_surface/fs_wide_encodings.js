// fs with the encodings the runner's own codecs lack (utf16le/ucs2, base64url): reading, writing,
// appending and file names, through the buffer builtin's codecs.
const fs = require('fs');
fs.writeFileSync('wide-16.txt', 'héllo ☃', 'utf16le');
console.log(fs.readFileSync('wide-16.txt').toString('hex'));
console.log(fs.readFileSync('wide-16.txt', 'ucs2'), fs.readFileSync('wide-16.txt', { encoding: 'base64url' }));
fs.writeFileSync('wide-b64u.txt', 'aGk_', 'base64url');
console.log(fs.readFileSync('wide-b64u.txt', 'latin1').length, fs.readFileSync('wide-b64u.txt').toString('hex'));
console.log(fs.readdirSync('.', 'ucs2').length > 0, fs.readdirSync('.', 'utf16le').includes(Buffer.from('wide-16.txt').toString('utf16le')));
fs.appendFileSync('wide-16.txt', 'x', { encoding: 'utf-16le' });
console.log(fs.statSync('wide-16.txt').size);
try { fs.readFileSync('wide-16.txt', 'utf32') } catch (e) { console.log(e.code) }
