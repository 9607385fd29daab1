'use strict';
// The global console writes through process.stdout/stderr.write once a program replaced it
// (log capture, test/common/hijackstdio); util.log goes the same way.
const util = require('util');
const out = process.stdout.write;
const err = process.stderr.write;
const got = [];
process.stdout.write = function (chunk) {
  got.push(['out', String(chunk)]);
  return true;
};
process.stderr.write = function (chunk) {
  got.push(['err', String(chunk)]);
  return true;
};
console.log('log %d', 1);
console.info('info');
console.error('error', { a: 1 });
console.warn('warn');
console.group('group');
console.log('inside');
console.groupEnd();
util.log('via util.log');
process.stdout.write = out;
process.stderr.write = err;
for (const [stream, text] of got) {
  const line = text.replace(/^\d{1,2} [A-Z][a-z]{2} \d\d:\d\d:\d\d - /, '<time> - ');
  console.log(stream, JSON.stringify(line));
}
console.log('restored');
