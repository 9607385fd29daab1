// readline.emitKeypressEvents: keys, control keys, escape sequences (xterm, rxvt, with
// modifiers), sequences split across writes, UTF-8 split across chunks, and a lone ESC that
// becomes the escape key after the timeout.
const readline = require('readline');
const { PassThrough } = require('stream');

const input = new PassThrough();
readline.emitKeypressEvents(input, { escapeCodeTimeout: 20 });
const seen = [];
input.on('keypress', (s, k) => seen.push(JSON.stringify([s, k])));

const writes = [
  'aZ9 .', '\x01\x1a\x7f\b\t\r\n', '\x1b[A\x1b[B\x1b[C\x1b[D\x1bOH\x1b[4~', '\x1b[1;5C\x1b[1;2D\x1b[5;3~',
  '\x1b[24~\x1bOP\x1b[[A\x1b[Z\x1b[a\x1bOc\x1b[3^\x1b[7$', '\x1bx\x1bX\x1b\x1b[A\x1b ', '\x1b[', '1;5', 'H',
  Buffer.from([0xe2, 0x98]), Buffer.from([0x83]), '😀', '\x1b[99~\x1b[;H',
];
for (const w of writes) input.write(w);
input.write('\x1b');
setTimeout(() => {
  for (const line of seen) console.log(line);
}, 100);
