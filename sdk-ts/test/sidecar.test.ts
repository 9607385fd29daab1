/** The sidecar process: handshake, stats, frame limits, shutdown, death, hostile peers. */

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";

import { AgentosError, Sidecar } from "@agentos/sdk";

import { HANG_MS, SIDECAR_BIN, spawnSidecar } from "./helpers.js";

const t = { timeout: HANG_MS };

function isCode(code: string, message?: RegExp) {
  return (e: unknown) => e instanceof AgentosError && e.code === code && (message === undefined || message.test(e.message));
}

test("the handshake reports the protocol version and frame limit", t, async () => {
  await using sc = await spawnSidecar();
  assert.equal(sc.hello.protocolVersion, 1);
  assert.equal(sc.hello.maxFrameBytes, 16 * 1024 * 1024);
  assert.ok(sc.hello.capabilities.includes("call"), sc.hello.capabilities.join());
});

test("stats report the snapshot mode and count execs in the warm pool", t, async () => {
  await using sc = await spawnSidecar({ env: { AGENTOS_WASM_SNAPSHOT_RUNNER: "block" } });
  await sc.run(["true"]);
  const stats = await sc.stats();
  assert.equal(stats.snapshotMode, "block");
  assert.equal(stats.poolHits + stats.poolMisses, 1, JSON.stringify(stats));
});

test("ping resolves with the round trip in milliseconds", t, async () => {
  await using sc = await spawnSidecar();
  const ms = await sc.ping();
  assert.ok(ms > 0 && ms < HANG_MS, String(ms));
});

test("a frame larger than the maximum is refused before sending", t, async () => {
  await using sc = await spawnSidecar({ env: { AGENTOS_MAX_FRAME_BYTES: "65536" } });
  assert.equal(sc.hello.maxFrameBytes, 65536);
  const big = "x".repeat(70_000);
  assert.throws(() => sc.exec(["cat"], { stdin: big }), isCode("FRAME_TOO_LARGE"));
  await assert.rejects(sc.call(`async () => "${big}"`), isCode("FRAME_TOO_LARGE"));
  // Had either been sent, the sidecar would have exited (a length over its maximum).
  assert.ok((await sc.ping()) >= 0);
  assert.equal((await sc.run(["echo", "still", "here"])).stdout, "still here\n");
});

test("shutdown kills running guests, exits 0 and emits exit", t, async () => {
  const sc = await spawnSidecar();
  const exec = sc.exec(["sleep", "60"]);
  const exited = once(sc, "exit");
  assert.deepEqual(await sc.shutdown(), { code: 0, signal: null });
  assert.deepEqual(await exited, [0, null]);
  assert.equal((await exec.wait()).signal, "SIGKILL");
});

test("requests after shutdown fail with SHUTTING_DOWN", t, async () => {
  const sc = await spawnSidecar();
  const stopping = sc.shutdown();
  assert.throws(() => sc.exec(["true"]), isCode("SHUTTING_DOWN"));
  await stopping;
  await assert.rejects(sc.ping(), isCode("SIDECAR_DIED"));
});

test("await using shuts the sidecar down", t, async () => {
  let pid = 0;
  {
    await using sc = await spawnSidecar();
    pid = sc.pid;
  }
  assert.throws(() => process.kill(pid, 0), /ESRCH/);
});

test("a sidecar that dies settles every pending exec, call and request with SIDECAR_DIED", t, async () => {
  const sc = await spawnSidecar();
  const exec = sc.exec(["sleep", "60"]);
  let entered!: () => void;
  const inCallback = new Promise<void>((resolve) => (entered = resolve));
  const call = sc.call("async (input, host) => host.wait()", {
    callbacks: {
      wait: () => {
        entered();
        return new Promise(() => {});
      },
    },
  });
  await inCallback;
  const stdin = exec.writeStdin("x".repeat(10));
  const exited = once(sc, "exit");
  process.kill(sc.pid, "SIGKILL");
  const died = isCode("SIDECAR_DIED", /killed by SIGKILL/);
  await assert.rejects(exec.wait(), died);
  await assert.rejects(call, died);
  await assert.rejects(stdin.then(() => sc.stats()), died);
  assert.deepEqual(await exited, [null, "SIGKILL"]);
  assert.throws(() => sc.exec(["true"]), died);
});

test("a binary that does not exist fails to spawn with SIDECAR_DIED", t, async () => {
  await assert.rejects(Sidecar.spawn({ bin: "/nonexistent/agentos-sidecar" }), isCode("SIDECAR_DIED", /cannot start/));
});

test("a sidecar that exits during the handshake fails with its exit code", t, async () => {
  await assert.rejects(Sidecar.spawn({ bin: "/bin/sh", args: ["-c", "exit 3"] }), isCode("SIDECAR_DIED", /exit code 3/));
});

test("a sidecar that never answers the handshake times out", t, async () => {
  await assert.rejects(
    Sidecar.spawn({ bin: "/bin/sleep", args: ["30"], handshakeTimeoutMs: 200 }),
    isCode("SIDECAR_DIED", /within 200 ms/),
  );
});

test("a peer that sends an oversized frame length is killed, not trusted", t, async () => {
  // The length 0xffffffff is over any maximum: the stream cannot be resynchronised.
  await assert.rejects(
    Sidecar.spawn({ bin: "/bin/sh", args: ["-c", "printf '\\377\\377\\377\\377'; sleep 30"] }),
    isCode("SIDECAR_DIED", /broke the protocol.*over the .*limit/),
  );
});

test("a peer that sends bytes that are not an Event is killed, not trusted", t, async () => {
  // A well-framed 3-byte payload whose field 1 claims a 100-byte length-delimited value.
  await assert.rejects(
    Sidecar.spawn({ bin: "/bin/sh", args: ["-c", "printf '\\000\\000\\000\\003\\012\\144\\001'; sleep 30"] }),
    isCode("SIDECAR_DIED", /broke the protocol/),
  );
});

test("a program that forgets shutdown still exits, and its sidecar with it", t, async () => {
  const script = `
    import { Sidecar } from "@agentos/sdk";
    const sc = await Sidecar.spawn({ bin: ${JSON.stringify(SIDECAR_BIN)}, env: { AGENTOS_LOG: "error" } });
    const r = await sc.run(["echo", "hi"]);
    console.log(sc.pid, r.stdout.trim());`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    cwd: new URL("..", import.meta.url),
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, "exit")) as [number];
  assert.equal(code, 0);
  const [pid, said] = out.trim().split(" ");
  assert.equal(said, "hi");
  // The sidecar read end of file on its stdin and shut down.
  for (let i = 0; i < 100 && isAlive(Number(pid)); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(isAlive(Number(pid)), false);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("a binary path the OS cannot take fails to spawn with SIDECAR_DIED", t, async () => {
  await assert.rejects(Sidecar.spawn({ bin: "/bin/true\0x" }), isCode("SIDECAR_DIED", /cannot start/));
});
