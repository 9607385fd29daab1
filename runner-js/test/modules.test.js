// The modules of js/ are real ES modules: the entry loads under Node with its whole import graph
// (a missing export or a duplicate name fails here, before the assembler or V8 see it). Loading the
// entry installs the runner's globals, so it runs in a child process.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';

const dir = new URL('../js/', import.meta.url);
const register = new URL('./support/register.js', import.meta.url).href;

// Runs `source` as a module in a child Node; it reports through `report(text)` (the runner replaces
// the `process` global when its entry loads).
function runModule(source) {
  const prelude = 'const stdout = process.stdout; const report = (t) => stdout.write(t);\n';
  const args = ['--import', register, '--input-type=module', '-e', prelude + source];
  return execFileSync(process.execPath, args, { encoding: 'utf8' });
}

test('every module loads as an ES module', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  assert.ok(files.length > 30, `${files.length} modules`);
  const imports = files.map((f) => `await import(${JSON.stringify(new URL(f, dir).href)});`);
  assert.equal(runModule(`${imports.join('\n')}\nreport('loaded');`), 'loaded');
});

test('the entry exports the runner with the methods Rust calls', () => {
  const out = runModule(`
    const { runner } = await import(${JSON.stringify(new URL('90_main.js', dir).href)});
    const methods = Object.keys(runner).filter((k) => typeof runner[k] === 'function');
    report(JSON.stringify([Object.getPrototypeOf(runner), methods]));
  `);
  const [proto, methods] = JSON.parse(out);
  assert.equal(proto, null);
  const rust = ['start', 'startWasm', 'prepareWasm', 'tick', 'stdinData', 'stdinEnd', 'hostReply'];
  for (const method of [...rust, 'unhandledRejection', 'exitCode']) {
    assert.ok(methods.includes(method), method);
  }
});
