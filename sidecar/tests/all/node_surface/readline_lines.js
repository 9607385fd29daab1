// readline over a stream input: line splitting (\n, \r\n, lone \r, split chunks, a final line
// without a newline), events, question(), async iteration, readline/promises.
const readline = require('readline');
const { PassThrough } = require('stream');
const events = [];
const input = new PassThrough();
const rl = readline.createInterface({ input, crlfDelay: Infinity });
rl.on('line', (l) => events.push(`line ${JSON.stringify(l)}`));
rl.on('pause', () => events.push('pause'));
rl.on('resume', () => events.push('resume'));
rl.on('close', () => {
  events.push('close');
  console.log(events.join('\n'));
  part2();
});
input.write('one\ntw');
input.write('o\r\nthree\rfour\n\n');
input.write('caf\u00e9 ');
input.end('last');

function part2() {
  const input2 = new PassThrough();
  const out = new PassThrough();
  let shown = '';
  out.on('data', (d) => (shown += d));
  const rl2 = readline.createInterface({ input: input2, output: out, terminal: false });
  rl2.question('name? ', (answer) => {
    console.log('answer', JSON.stringify(answer), 'prompt shown', JSON.stringify(shown));
    rl2.close();
    part3();
  });
  input2.write('Ada\n');
}

async function part3() {
  const input3 = new PassThrough();
  const rl3 = readline.createInterface({ input: input3 });
  setImmediate(() => input3.end('a\nb\nc\n'));
  const lines = [];
  for await (const line of rl3) lines.push(line);
  console.log('iterated', lines.join(','));
  const rlp = require('readline/promises');
  const input4 = new PassThrough();
  const rl4 = rlp.createInterface({ input: input4 });
  setImmediate(() => input4.write('42\n'));
  console.log('promises answer', await rl4.question('n? '));
  rl4.close();
  try {
    rl4.question('again?');
  } catch (e) {
    console.log('after close', e.code);
  }
  await rl4.question('x').catch((e) => console.log('rejected after close', e.code));
  console.log(typeof readline.cursorTo, typeof readline.Interface, typeof rlp.Readline, readline.promises === rlp);
}
