/** Calls against the real sidecar: values, callbacks, errors, limits, concurrency, abort. */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { AgentosError, type Sidecar } from "@agentos/sdk";

import { HANG_MS, spawnSidecar } from "./helpers.js";

let sc: Sidecar;
before(async () => {
  sc = await spawnSidecar();
});
after(async () => {
  await sc.shutdown();
});

const t = { timeout: HANG_MS };

test("a call resolves with the function's value and stats", t, async () => {
  const out = await sc.call("async (input) => ({ sum: input.a + input.b })", { input: { a: 2, b: 40 } });
  assert.ok(out.ok);
  assert.deepEqual(out.value, { sum: 42 });
  assert.ok(out.stats.wallMs > 0 && out.stats.heapUsedBytes > 0, JSON.stringify(out.stats));
});

test("a host callback's value settles the guest's promise", t, async () => {
  const out = await sc.call("async (input, host) => (await host.double(input.n)) + 1", {
    input: { n: 20 },
    callbacks: { double: async (n: number) => n * 2 },
  });
  assert.deepEqual(out.ok && out.value, 41);
});

test("callbacks run concurrently", t, async () => {
  // Each callback waits until all three have started: run one at a time, they would never finish.
  let started = 0;
  let allStarted!: () => void;
  const barrier = new Promise<void>((resolve) => (allStarted = resolve));
  const wait = async (i: number): Promise<number> => {
    if (++started === 3) {
      allStarted();
    }
    await barrier;
    return i * 10;
  };
  const out = await sc.call("async (input, host) => Promise.all([1, 2, 3].map((i) => host.wait(i)))", {
    callbacks: { wait },
    limits: { timeoutMs: 10_000 },
  });
  assert.deepEqual(out.ok && out.value, [10, 20, 30]);
});

test("a thousand host calls in flight at once are each answered", t, async () => {
  const out = await sc.call(
    "async (input, host) => (await Promise.all(Array.from({ length: 1000 }, (_, i) => host.inc(i)))).reduce((a, b) => a + b, 0)",
    { callbacks: { inc: async (i: number) => i + 1 }, callLimits: { maxHostCalls: 1000 } },
  );
  assert.deepEqual(out.ok && out.value, (1000 * 1001) / 2);
});

test("a thrown callback rejects the guest's promise with its message", t, async () => {
  const out = await sc.call(
    "async (input, host) => { try { await host.search('q'); return 'resolved'; } catch (e) { return e.message; } }",
    {
      callbacks: {
        search: () => {
          throw new Error("index offline");
        },
      },
    },
  );
  assert.deepEqual(out.ok && out.value, "index offline");
});

test("a callback value that is not JSON rejects the guest's promise", t, async () => {
  const out = await sc.call("async (input, host) => host.big().then(() => 'resolved', (e) => e.message)", {
    callbacks: { big: () => 1n },
  });
  assert.match(String(out.ok && out.value), /not JSON/);
});

test("the guest reaches only the callbacks named", t, async () => {
  const out = await sc.call("async (input, host) => Object.keys(host).sort()", {
    callbacks: { b: () => 1, a: () => 2 },
  });
  assert.deepEqual(out.ok && out.value, ["a", "b"]);
});

test("a guest that throws ends with EVALUATION_ERROR and its stack", t, async () => {
  const out = await sc.call("async () => { throw new TypeError('bad input') }");
  assert.equal(out.ok, false);
  assert.ok(!out.ok);
  assert.equal(out.error.code, "EVALUATION_ERROR");
  assert.match(out.error.message, /bad input/);
  assert.match(out.error.stack ?? "", /TypeError/);
});

test("a call past its timeout ends with TIMEOUT", t, async () => {
  const out = await sc.call("async () => { for (;;) {} }", { limits: { timeoutMs: 200 } });
  assert.equal(!out.ok && out.error.code, "TIMEOUT");
});

test("a call past maxHostCalls ends with HOST_CALL_LIMIT", t, async () => {
  const out = await sc.call("async (input, host) => { for (let i = 0; i < 5; i++) await host.f(i); }", {
    callbacks: { f: () => null },
    callLimits: { maxHostCalls: 2 },
  });
  assert.equal(!out.ok && out.error.code, "HOST_CALL_LIMIT");
});

test("console output of a call is returned with its outcome", t, async () => {
  const out = await sc.call("async () => { console.log('thinking'); console.error('careful'); return 1 }");
  assert.deepEqual([out.stdout, out.stderr], ["thinking\n", "careful\n"]);
});

test("concurrent calls each get their own value", t, async () => {
  const calls = Array.from({ length: 16 }, (_, i) =>
    sc.call("async (input, host) => host.echo(input)", { input: { i }, callbacks: { echo: async (x: unknown) => x } }),
  );
  const outs = await Promise.all(calls);
  outs.forEach((out, i) => assert.deepEqual(out.ok && out.value, { i }));
});

test("aborting the signal kills the call and aborts its pending callbacks", t, async () => {
  const controller = new AbortController();
  let callbackSignal: AbortSignal | undefined;
  const out = await sc.call("async (input, host) => host.hang()", {
    signal: controller.signal,
    callbacks: {
      hang: (_arg: unknown, { signal }) => {
        callbackSignal = signal;
        controller.abort();
        return new Promise(() => {});
      },
    },
  });
  assert.equal(!out.ok && out.error.code, "KILLED");
  assert.equal(callbackSignal?.aborted, true);
});

test("a call that ends with a host call unanswered aborts that callback's signal", t, async () => {
  let callbackSignal: AbortSignal | undefined;
  const out = await sc.call("async (input, host) => { host.slow(); return 'done without it'; }", {
    callbacks: {
      slow: (_arg: unknown, { signal }) => {
        callbackSignal = signal;
        return new Promise((resolve) => setTimeout(resolve, 60_000).unref());
      },
    },
  });
  assert.deepEqual(out.ok && out.value, "done without it");
  assert.equal(callbackSignal?.aborted, true);
});

test("input that is not JSON is refused before sending", t, async () => {
  await assert.rejects(
    sc.call("async (x) => x", { input: { n: 1n } }),
    (e: unknown) => e instanceof AgentosError && e.code === "SERIALIZATION_ERROR",
  );
});
