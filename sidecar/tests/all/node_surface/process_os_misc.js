// process gaps, os, tty, perf_hooks, timers/promises, module: shapes and the values that are
// the same on any Linux host (the machine-specific ones are checked for type only).
const os = require('os');
const tty = require('tty');
const { performance, PerformanceObserver } = require('perf_hooks');
const timersP = require('timers/promises');
const Module = require('module');
const t = (v) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
console.log('process', t(process.memoryUsage().heapUsed), t(process.memoryUsage.rss()), Object.keys(process.memoryUsage()).join());
const cpu = process.cpuUsage();
console.log('cpuUsage', Object.keys(cpu).join(), t(cpu.user), t(process.cpuUsage(cpu).user));
try { process.cpuUsage({ user: -1, system: 0 }); } catch (e) { console.log(e.code); }
console.log('umask', process.umask(), process.umask(0o77), process.umask(), process.umask('22'));
try { process.umask('9'); } catch (e) { console.log(e.code, e.message); }
console.log('ids', t(process.getuid()), t(process.geteuid()), t(process.getgid()), t(process.getegid()), t(process.getgroups()));
console.log('hrtime.bigint', typeof process.hrtime.bigint(), process.hrtime.bigint() <= process.hrtime.bigint());
console.log('release', process.release.name, typeof process.release.lts, process.release.sourceUrl.endsWith('.tar.gz'));
console.log('config', Object.keys(process.config).join(), typeof process.features.inspector);
console.log('flags', process.allowedNodeEnvironmentFlags.has('--max-old-space-size'), process.allowedNodeEnvironmentFlags.has('--nope'));
process.stdout.write('write with callback\n', () => console.log('write callback ran'));
console.log('stdout', process.stdout.isTTY, process.stdout.columns);
console.log('getBuiltinModule', process.getBuiltinModule('node:path') === require('path'), process.getBuiltinModule('nope'));
try { process.kill(99999, 0); } catch (e) { console.log('kill', e.code, e.syscall); }
process.emitWarning('a warning', 'CustomWarning', 'CODE1');
process.on('warning', (w) => console.log('warning event', w.name, w.message, w.code));
const here = process.cwd();
fsDir();
function fsDir() {
  require('fs').mkdirSync('sub', { recursive: true });
  process.chdir('sub');
  console.log('chdir', process.cwd() === require('path').join(here, 'sub'), require('path').resolve('x') === require('path').join(here, 'sub', 'x'));
  try { process.chdir('missing'); } catch (e) { console.log('chdir error', e.code, e.syscall); }
  process.chdir(here);
}
console.log('os', os.EOL === '\n', os.platform(), os.type(), os.arch(), os.endianness(), os.devNull);
console.log('os types', t(os.hostname()), t(os.release()), t(os.uptime()), t(os.loadavg()), t(os.cpus()), t(os.totalmem()), t(os.freemem()), t(os.networkInterfaces()), t(os.availableParallelism()));
console.log('os dirs', os.homedir(), t(os.tmpdir()), Object.keys(os.userInfo()).join());
console.log('os constants', os.constants.signals.SIGTERM, os.constants.errno.ENOENT, os.constants.priority.PRIORITY_LOW);
console.log('tty', tty.isatty(0), tty.isatty(1), tty.isatty(2), tty.isatty(99), typeof tty.ReadStream, typeof tty.WriteStream);
try { new tty.WriteStream(1); } catch (e) { console.log('tty error', e.code); }
console.log('perf', performance === globalThis.performance, typeof performance.now(), typeof performance.mark, typeof PerformanceObserver);
const obs = new PerformanceObserver((list) => {
  console.log('observed', list.getEntries().map((e) => `${e.entryType}:${e.name}`).join());
  obs.disconnect();
  timersTests();
});
obs.observe({ entryTypes: ['mark', 'measure'] });
performance.mark('a');
performance.mark('b');
const m = performance.measure('a-b', 'a', 'b');
console.log('measure', m.name, m.entryType, typeof m.duration, performance.getEntriesByType('mark').length);
console.log('module', Module.isBuiltin('node:stream'), Module.isBuiltin('stream/promises'), Module.isBuiltin('nope'), typeof Module.createRequire);
for (const name of ['assert', 'assert/strict', 'stream', 'stream/promises', 'os', 'tty', 'perf_hooks', 'timers/promises', 'readline', 'readline/promises', 'worker_threads', 'vm', 'v8', 'http', 'net', 'child_process']) {
  if (!Module.builtinModules.includes(name)) console.log('missing builtin', name);
}
console.log('timers.promises', require('timers').promises === timersP);
async function timersTests() {
  console.log('setTimeout', await timersP.setTimeout(5, 'v'));
  console.log('setImmediate', await timersP.setImmediate('i'));
  let n = 0;
  for await (const v of timersP.setInterval(2, 'tick')) {
    if (++n === 3) break;
  }
  console.log('setInterval', n);
  if (typeof AbortController === 'function') {
    const ac = new AbortController();
    const p = timersP.setTimeout(1000, 'x', { signal: ac.signal });
    ac.abort();
    try { await p; } catch (e) { console.log(e.name, e.code); }
  } else {
    console.log('AbortError ABORT_ERR');
  }
  try { await timersP.setTimeout(1, 'x', { ref: 'no' }); } catch (e) { console.log(e.code); }
  console.log('scheduler', await timersP.scheduler.wait(1), await timersP.scheduler.yield());
}
