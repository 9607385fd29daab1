// child_process: spawn, exec, execFile and the sync forms, errors and kill, against the host.
const cp = require('child_process');
const r = cp.spawnSync('echo', ['hello', 'sync']);
console.log('sync', r.status, JSON.stringify(String(r.stdout)));
console.log('execSync', JSON.stringify(cp.execSync('echo a | tr a b').toString()));
try { cp.execSync('exit 3', { stdio: 'pipe' }); } catch (e) { console.log('fail', e.status); }
const bad = cp.spawnSync('nosuchcmd');
console.log('enoent', bad.error && bad.error.code);
const child = cp.spawn('sort', ['-r']);
let out = '';
child.stdout.on('data', (d) => (out += d));
child.on('close', (code) => {
  console.log('spawn close', code, JSON.stringify(out));
  cp.exec('echo $((6*7)); echo err >&2; exit 2', (err, stdout, stderr) => {
    console.log('exec', err && err.code, JSON.stringify(stdout), JSON.stringify(stderr));
    cp.execFile(process.execPath, ['-e', 'console.log(process.argv.length)'], (e, so) => {
      console.log('execFile node', e, JSON.stringify(so));
      const k = cp.spawn('sleep', ['10']);
      k.on('exit', (code, sig) => console.log('killed', code, sig));
      setTimeout(() => k.kill(), 50);
      cp.spawn('nosuch').on('error', (e) => console.log('error event', e.code, e.message));
    });
  });
});
child.stdin.write('b\na\nc\n');
child.stdin.end();
