/** Execs against the real sidecar: output, stdin, kill, limits, concurrency, abort. */

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { AgentosError, type Sidecar } from "@agentos/sdk";

import { HANG_MS, sleep, spawnSidecar, text } from "./helpers.js";

let sc: Sidecar;
before(async () => {
  sc = await spawnSidecar();
});
after(async () => {
  await sc.shutdown();
});

const t = { timeout: HANG_MS };

function isCode(code: string) {
  return (e: unknown) => e instanceof AgentosError && e.code === code;
}

test("run collects stdout and stderr of a JavaScript guest", t, async () => {
  const r = await sc.run(["node", "-e", "console.log('out'); console.error('err'); process.exitCode = 3"]);
  assert.deepEqual(r, { code: 3, signal: null, stdout: "out\n", stderr: "err\n" });
});

test("run of a wasm command reports its exit code", t, async () => {
  const r = await sc.run(["false"]);
  assert.equal(r.code, 1);
  assert.equal(r.error, undefined);
});

test("run with encoding buffer keeps the bytes", t, async () => {
  const r = await sc.run(["node", "-e", "process.stdout.write(new Uint8Array([0, 255, 10]))"], { encoding: "buffer" });
  assert.deepEqual([...r.stdout], [0, 255, 10]);
});

test("an unknown command exits 127 with COMMAND_NOT_FOUND", t, async () => {
  const r = await sc.run(["no-such-command"]);
  assert.equal(r.code, 127);
  assert.equal(r.error?.code, "COMMAND_NOT_FOUND");
});

test("output streams in order, and before the guest exits", t, async () => {
  const guest = `
    for (let i = 0; i < 2000; i++) process.stdout.write(i + '\\n');
    process.stdin.on('data', () => {});
    process.stdin.on('end', () => console.log('done'));`;
  const exec = sc.exec(["node", "-e", guest]);
  let seen = "";
  let closed = false;
  for await (const chunk of exec.stdout) {
    seen += Buffer.from(chunk).toString();
    // The guest waits for end of stdin, so everything before "done" arrived while it ran.
    if (!closed && seen.endsWith("1999\n")) {
      closed = true;
      await exec.closeStdin();
    }
  }
  const expected = Array.from({ length: 2000 }, (_, i) => `${i}\n`).join("") + "done\n";
  assert.equal(seen, expected);
  assert.equal((await exec.wait()).code, 0);
});

test("stdoutStream is a Node Readable of the guest's bytes", t, async () => {
  const exec = sc.exec(["echo", "via", "readable"], { stdinOpen: false });
  const chunks: Buffer[] = [];
  for await (const chunk of exec.stdoutStream()) {
    chunks.push(chunk as Buffer);
  }
  assert.equal(Buffer.concat(chunks).toString(), "via readable\n");
});

test("the guest sees exactly the given env and cwd", t, async () => {
  const dir = mkdtempSync(join(tmpdir(), "agentos-sdk-ts-"));
  try {
    const r = await sc.run(["node", "-e", "console.log(JSON.stringify([process.env, process.cwd()]))"], {
      env: { A: "1", B: "two" },
      cwd: "/work",
      dirs: [{ host: dir, guest: "/work" }],
    });
    assert.deepEqual(JSON.parse(r.stdout), [{ A: "1", B: "two" }, "/work"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a read-only dir can be read but not written", t, async () => {
  const dir = mkdtempSync(join(tmpdir(), "agentos-sdk-ts-"));
  try {
    writeFileSync(join(dir, "in.txt"), "from the host");
    const r = await sc.run(
      ["node", "-e", "const fs = require('fs'); console.log(fs.readFileSync('/data/in.txt', 'utf8')); fs.writeFileSync('/data/out.txt', 'x')"],
      { dirs: [{ host: dir, guest: "/data", readOnly: true }] },
    );
    assert.equal(r.stdout, "from the host\n");
    assert.notEqual(r.code, 0);
    assert.throws(() => readFileSync(join(dir, "out.txt")), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("run passes its stdin bytes and closes stdin after them", t, async () => {
  const r = await sc.run(["cat"], { stdin: "piped in\n" });
  assert.equal(r.stdout, "piped in\n");
});

test("writeStdin waits out STDIN_LIMIT until the guest reads", t, async () => {
  // The guest reads nothing for 300 ms, so with 1 KiB allowed unread, all but the first chunk of
  // the 64 KiB written are refused with STDIN_LIMIT at first and must be retried.
  const guest = `
    let n = 0, sum = 0;
    setTimeout(() => {
      process.stdin.on('data', (d) => { for (const b of d) { n++; sum = (sum * 31 + b) % 1000000007; } });
      process.stdin.on('end', () => console.log(n, sum));
    }, 300);`;
  const exec = sc.exec(["node", "-e", guest], { limits: { maxStdinBytes: 1024 } });
  const data = Buffer.alloc(64 * 1024);
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    data[i] = (i * 7) % 251;
    sum = (sum * 31 + data[i]!) % 1000000007;
  }
  await exec.writeStdin(data);
  await exec.closeStdin();
  assert.equal(await text(exec.stdout), `${data.length} ${sum}\n`);
  assert.equal((await exec.wait()).code, 0);
});

test("writeStdin larger than a frame is sent in chunks", t, async () => {
  const exec = sc.exec(["wc", "-c"]);
  await exec.writeStdin(Buffer.alloc(20 * 1024 * 1024, 0x61));
  await exec.closeStdin();
  assert.equal((await text(exec.stdout)).trim(), String(20 * 1024 * 1024));
});

test("writeStdin after the guest exited fails with UNKNOWN_EXEC", t, async () => {
  const exec = sc.exec(["true"]);
  await exec.wait();
  await assert.rejects(exec.writeStdin("late"), isCode("UNKNOWN_EXEC"));
});

test("kill ends a busy guest with 128 + the signal", t, async () => {
  const exec = sc.exec(["node", "-e", "for (;;) {}"]);
  assert.equal(await exec.kill("SIGTERM"), true);
  const status = await exec.wait();
  assert.equal(status.code, 143);
  assert.equal(status.signal, "SIGTERM");
});

test("kill defaults to SIGKILL", t, async () => {
  const exec = sc.exec(["sleep", "60"]);
  await exec.kill();
  assert.deepEqual(await exec.wait(), { code: 137, signal: "SIGKILL" });
});

test("kill after the exec ended resolves false", t, async () => {
  const exec = sc.exec(["true"]);
  await exec.wait();
  assert.equal(await exec.kill(), false);
});

test("a guest past timeoutMs ends with TIMEOUT", t, async () => {
  const r = await sc.run(["node", "-e", "for (;;) {}"], { limits: { timeoutMs: 200 } });
  assert.equal(r.code, 137);
  assert.equal(r.error?.code, "TIMEOUT");
});

test("a guest past maxOutputBytes is truncated and ends with OUTPUT_LIMIT", t, async () => {
  const r = await sc.run(["node", "-e", "for (;;) process.stdout.write('x'.repeat(1000))"], {
    limits: { maxOutputBytes: 10_000 },
    encoding: "buffer",
  });
  assert.equal(r.error?.code, "OUTPUT_LIMIT");
  assert.ok(r.stdout.length <= 10_000, `${r.stdout.length} bytes of stdout`);
});

test("a guest past heapMb ends with MEMORY_LIMIT", t, async () => {
  const r = await sc.run(["node", "-e", "const a = []; for (;;) a.push(new Array(1e5).fill(1))"], {
    limits: { heapMb: 32 },
  });
  assert.equal(r.error?.code, "MEMORY_LIMIT");
});

test("a limit that is not a whole number is refused before sending", t, async () => {
  assert.throws(() => sc.exec(["true"], { limits: { timeoutMs: -1 } }), isCode("BAD_ARGUMENT"));
  assert.throws(() => sc.exec(["true"], { limits: { heapMb: 1.5 } }), isCode("BAD_ARGUMENT"));
});

test("a limit over the sidecar's maximum is refused by the sidecar", t, async () => {
  const exec = sc.exec(["true"], { limits: { heapMb: 1_000_000 } });
  await assert.rejects(exec.wait(), isCode("BAD_ARGUMENT"));
  assert.equal(await text(exec.stdout), "");
});

test("concurrent execs each get their own output", t, async () => {
  const runs = Array.from({ length: 24 }, (_, i) =>
    i % 2 === 0 ? sc.run(["node", "-e", `console.log(${i})`]) : sc.run(["echo", String(i)]),
  );
  const results = await Promise.all(runs);
  results.forEach((r, i) => assert.deepEqual([r.code, r.stdout], [0, `${i}\n`]));
});

test("aborting the signal kills the exec", t, async () => {
  const controller = new AbortController();
  const exec = sc.exec(["node", "-e", "setInterval(() => {}, 1000)"], { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  assert.deepEqual(await exec.wait(), { code: 137, signal: "SIGKILL" });
});

test("an already aborted signal starts nothing", t, async () => {
  const before = await sc.stats();
  assert.throws(() => sc.exec(["true"], { signal: AbortSignal.abort() }), isCode("KILLED"));
  await assert.rejects(sc.run(["true"], { signal: AbortSignal.abort() }), isCode("KILLED"));
  const now = await sc.stats();
  assert.equal(now.poolHits + now.poolMisses, before.poolHits + before.poolMisses);
});

test("output not read before the exec ends is still there", t, async () => {
  const exec = sc.exec(["echo", "kept"], { stdinOpen: false });
  await exec.wait();
  await sleep(10);
  assert.equal(await text(exec.stdout), "kept\n");
});
