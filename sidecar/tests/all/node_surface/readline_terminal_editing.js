// readline in terminal mode: keys edit the line (emacs keys, word motion and deletion, kill ring
// with yank and yank-pop, undo/redo, history with prefix search), the line is redrawn on the
// output with cursor escape codes (prompt, wide characters, wrapping at `columns`), tab
// completion lists candidates, ctrl-c/ctrl-d end it, raw mode is set and reset, and the async
// iterator pauses the input past its watermark.
const readline = require('readline');
const { PassThrough, Readable } = require('stream');

function terminal(options = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  output.columns = options.columns;
  let drawn = '';
  output.on('data', (d) => { drawn += d; });
  const rl = readline.createInterface({ input, output, terminal: true, ...options });
  const lines = [];
  rl.on('line', (l) => lines.push(l));
  const take = () => { const d = drawn; drawn = ''; return JSON.stringify(d); };
  return { input, output, rl, lines, take };
}

const key = (name, mods = {}) => [undefined, { name, ...mods }];

{
  const t = terminal({ prompt: '$ ' });
  t.rl.prompt();
  t.rl.write('hello world foo');
  console.log('typed', t.rl.line, t.rl.cursor, t.take());
  t.rl.write(...key('a', { ctrl: true }));
  t.rl.write(...key('f', { meta: true }));
  t.rl.write(...key('f', { meta: true }));
  console.log('meta-f twice', t.rl.cursor, JSON.stringify(t.rl.getCursorPos()), t.take());
  t.rl.write(...key('w', { ctrl: true }));
  console.log('ctrl-w', JSON.stringify(t.rl.line), t.rl.cursor, t.take());
  t.rl.write(...key('k', { ctrl: true }));
  t.rl.write(...key('e', { ctrl: true }));
  t.rl.write(...key('y', { ctrl: true }));
  console.log('kill, end, yank', JSON.stringify(t.rl.line), t.rl.cursor);
  t.rl.write(...key('a', { ctrl: true }));
  t.rl.write(...key('d', { meta: true }));
  console.log('meta-d', JSON.stringify(t.rl.line));
  t.rl.write(undefined, { sequence: '\x1f' });
  t.rl.write(undefined, { sequence: '\x1f' });
  console.log('undo twice', JSON.stringify(t.rl.line), t.rl.cursor);
  t.rl.write(undefined, { sequence: '\x1e' });
  console.log('redo', JSON.stringify(t.rl.line), t.rl.cursor);
  t.take();
  t.rl.write(...key('left'));
  t.rl.write(...key('backspace'));
  t.rl.write(...key('delete'));
  console.log('left, backspace, delete', JSON.stringify(t.rl.line), t.rl.cursor, t.take());
  t.rl.write(...key('return'));
  console.log('lines', JSON.stringify(t.lines), JSON.stringify(t.rl.history));
  t.rl.close();
}

{
  // History: up/down, prefix search, duplicates removed.
  const t = terminal({ history: ['npm test', 'ls -la', 'npm run build'], removeHistoryDuplicates: true });
  t.rl.write('npm');
  t.rl.write(...key('up'));
  console.log('up with prefix', JSON.stringify(t.rl.line), t.rl.historyIndex);
  t.rl.write(...key('up'));
  console.log('up again', JSON.stringify(t.rl.line), t.rl.historyIndex);
  t.rl.write(...key('up'));
  console.log('past the last match', JSON.stringify(t.rl.line), t.rl.historyIndex);
  t.rl.write(...key('down'));
  t.rl.write(...key('down'));
  console.log('down twice', JSON.stringify(t.rl.line), t.rl.historyIndex);
  t.rl.write(...key('e', { ctrl: true }));
  t.rl.write(' x\n');
  t.rl.write('npm test\n');
  console.log('history', JSON.stringify(t.rl.history), JSON.stringify(t.lines));
  t.rl.close();
}

{
  // Wide characters and wrapping at the output's columns.
  const t = terminal({ prompt: '> ', columns: 10 });
  t.rl.write('日本語abcdef');
  console.log('wide', JSON.stringify(t.rl.getCursorPos()), t.take());
  t.rl.write(...key('home'));
  console.log('home', JSON.stringify(t.rl.getCursorPos()), t.take());
  t.rl.write(...key('l', { ctrl: true }));
  console.log('ctrl-l', t.take());
  t.rl.close();
}

{
  // Tab completion: a common prefix is inserted, a second tab lists the candidates.
  const t = terminal({
    columns: 30,
    completer: (line) => [['process.stdout', 'process.stdin', 'process.stderr'].filter((c) => c.startsWith(line)), line],
  });
  t.input.write('pro\t');
  console.log('first tab', JSON.stringify(t.rl.line), t.take());
  t.input.write('\t');
  console.log('second tab', JSON.stringify(t.rl.line), t.take());
  const failing = terminal({ completer: (line, cb) => cb(new Error('no luck')) });
  failing.input.write('x\t');
  // The error's first line (its stack names the runtime's own frames).
  console.log('completer error', JSON.parse(failing.take()).split('\n')[0]);
  t.rl.close();
  failing.rl.close();
}

{
  // Raw mode, SIGINT, ctrl-d on an empty line, and the 'end' of the input.
  const input = new PassThrough();
  const calls = [];
  input.isRaw = false;
  input.setRawMode = (mode) => { calls.push(mode); input.isRaw = mode; };
  const rl = readline.createInterface({ input, output: null, terminal: true });
  rl.on('SIGINT', () => calls.push('SIGINT'));
  rl.on('close', () => calls.push('close'));
  input.write('\x03');
  input.write('ab\x04');
  input.write('\x01\x0b\x04');
  console.log('raw mode and keys', JSON.stringify(calls), rl.closed);
  const t = terminal();
  t.input.end('last line without newline');
  setImmediate(() => console.log('end', JSON.stringify(t.lines), t.rl.closed));
}

{
  // The async iterator pauses its input past 1024 unread lines.
  const readable = new Readable({ read() {} });
  readable.push('line\n'.repeat(1500));
  readable.push(null);
  const rl = readline.createInterface({ input: readable });
  const it = rl[Symbol.asyncIterator]();
  const watermark = it[Symbol.for('nodejs.watermarkData')];
  (async () => {
    let count = 0;
    let pausedSeen = false;
    for await (const line of it) {
      if (count === 0) pausedSeen = readable.isPaused();
      count += line === 'line' ? 1 : 0;
    }
    console.log('iterator', count, watermark.high, watermark.low, pausedSeen);
  })();
}
