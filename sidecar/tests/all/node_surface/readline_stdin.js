// readline over process.stdin (fed from readline_stdin.stdin): lines, a question, the end.
const readline = require('readline');
const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: false });
let n = 0;
rl.question('first? ', (a) => {
  console.log(`[answer ${a}]`);
  rl.on('line', (line) => console.log(`line ${++n}: ${JSON.stringify(line)}`));
});
rl.on('close', () => console.log(`closed after ${n} lines`));
