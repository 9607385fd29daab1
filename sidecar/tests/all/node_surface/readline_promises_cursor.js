// readline/promises' Readline: queued cursor sequences written on commit; its arguments validated as Node's.
const { Readline } = require('readline/promises');
const { PassThrough } = require('stream');
const out = [];
const s = new PassThrough();
s.on('data', (d) => out.push(String(d)));
const r = new Readline(s);
r.cursorTo(1).cursorTo(2, 3).moveCursor(-1, 2).clearLine(-1).clearScreenDown().commit().then(() => console.log(JSON.stringify(out)));
for (const bad of [() => r.cursorTo('a'), () => r.moveCursor(1.5, 0), () => new Readline({})]) {
  try { bad(); } catch (e) { console.log(e.code, e.message); }
}
