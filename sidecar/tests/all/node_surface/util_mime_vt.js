// util.MIMEType / util.MIMEParams (WHATWG parsing, serializing, setters and their syntax
// errors) and util.stripVTControlCharacters over CSI colours and OSC 8 hyperlinks.
const util = require('util');
const { MIMEType, MIMEParams } = util;

for (const text of [
  'text/html; charset=utf-8',
  'TEXT/JavaScript;Charset="UTF-8";q=0.9',
  'application/json;a="b\\"c";;empty=;x=y',
  '  image/svg+xml ; foo = bar ',
]) {
  const mime = new MIMEType(text);
  console.log(JSON.stringify([mime.type, mime.subtype, mime.essence, String(mime), [...mime.params]]));
}
const m = new MIMEType('text/plain');
m.type = 'Application';
m.subtype = 'X-Custom';
m.params.set('Key', 'va lue');
m.params.set('k2', 'v2');
m.params.delete('k2');
console.log(String(m), JSON.stringify(m), m.params.get('Key'), m.params.has('nope'), m.params instanceof MIMEParams);
for (const bad of ['', 'noslash', 'a/b/c ', 'text/ht ml', '/x']) {
  try {
    new MIMEType(bad);
    console.log('accepted', JSON.stringify(bad));
  } catch (err) {
    console.log(err.code, err.message);
  }
}
for (const attempt of [() => { m.type = ''; }, () => m.params.set('bad name', 'x'), () => m.params.set('n', '\u0100')]) {
  try {
    attempt();
  } catch (err) {
    console.log(err.code, err.message);
  }
}
console.log(JSON.stringify(util.stripVTControlCharacters('\u001B]8;;https://x.test\u0007link\u001B]8;;\u0007 \u001b[1;31mbold red\u001b[0m \u009b32mgreen')));
for (const [format, text] of [['invalid', 'x'], ['red', 5], [['bold', 'nope'], 'x']]) {
  try {
    util.styleText(format, text);
  } catch (err) {
    console.log(err.code, err.message);
  }
}
console.log(JSON.stringify(util.styleText(['bold', 'red'], 'x')), util.styleText('red', 'plain when not a terminal'));
