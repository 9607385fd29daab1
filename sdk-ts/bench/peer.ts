/**
 * The peer benchmark: one host callback through our sidecar's `call`, and `run` of `node -e ''`
 * and wasm `true`, against the same work in-process in this Node: isolated-vm with a fresh
 * isolate per call (what code-mode executors do) and `node:vm` with a fresh context (no security
 * boundary: the floor). Same process, same run, interleaved: rounds of `--block` runs of every
 * scenario, order rotated, so a noisy machine hits them all alike (a block rather than a single
 * run, so that one scenario's background work, such as a disposed isolate's GC on V8's worker
 * threads, lands in another's timing only at the start of a block).
 *
 * Before each sidecar run the warm pool is refilled, untimed: `Stats.pool_parked` back to the
 * pool size, as `bench/` (Rust) does. isolated-vm's timing ends when the result is in the host;
 * `isolate.dispose()` follows untimed (its own row adds it back).
 *
 *   npm run bench [-- --runs 300 --warmup 30 --block 10 --bin PATH --json FILE]
 *
 * The sidecar is `--bin`, else `$AGENTOS_SIDECAR_BIN`, else the workspace's release build.
 * isolated-vm comes from `bench/deps` (installed by `npm run bench`; a native addon).
 */

import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import vm from "node:vm";

import { Sidecar, SIDECAR_BIN_ENV } from "@agentos/sdk";

/** The guest function every call scenario runs: one host callback, then a bit of work. */
const SOURCE = "async (input, host) => (await host.double(input.n)) + 1";
const INPUT = { n: 20 };
const EXPECTED = 41;
const double = async (n: number): Promise<number> => n * 2;

/** Longest a run waits for the pool to refill before going ahead anyway. */
const SETTLE_LIMIT_MS = 200;

/** The part of isolated-vm's API used here (the package is loaded at run time, if installed). */
interface IsolatedVm {
  Isolate: new (options?: { memoryLimit?: number }) => {
    createContext(): Promise<{ global: { set(key: string, value: unknown): Promise<void> }; eval(code: string, options: object): Promise<unknown> }>;
    dispose(): void;
  };
  Reference: new (value: unknown) => unknown;
}

interface Scenario {
  name: string;
  note: string;
  /** One timed run; returns the ms it took. */
  run: () => Promise<number>;
  /** Untimed work before each run (refilling the pool). */
  before?: () => Promise<void>;
  samples: number[];
}

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "300" },
    warmup: { type: "string", default: "30" },
    block: { type: "string", default: "10" },
    bin: { type: "string" },
    json: { type: "string" },
  },
});
const runs = Number(args.runs);
const warmup = Number(args.warmup);
const block = Math.max(1, Number(args.block));
const bin =
  args.bin ?? process.env[SIDECAR_BIN_ENV] ?? fileURLToPath(new URL("../../../target/release/agentos-sidecar", import.meta.url));
const poolSize = Number(process.env.AGENTOS_V8_WARM_ISOLATES ?? 2);

function loadIsolatedVm(): IsolatedVm | string {
  const require = createRequire(new URL("../../bench/deps/package.json", import.meta.url));
  try {
    return require("isolated-vm") as IsolatedVm;
  } catch (error) {
    return `isolated-vm could not be loaded from bench/deps (${(error as Error).message.split("\n")[0]}); run \`npm ci --prefix bench/deps\``;
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

function check(ok: boolean, what: string): void {
  if (!ok) {
    throw new Error(`wrong result: ${what}`);
  }
}

async function settle(sc: Sidecar): Promise<void> {
  const start = performance.now();
  while ((await sc.stats()).poolParked < poolSize && performance.now() - start < SETTLE_LIMIT_MS) {
    await new Promise((r) => setTimeout(r, 1));
  }
}

function sidecarScenarios(sc: Sidecar): Scenario[] {
  const before = () => settle(sc);
  return [
    {
      name: "agentos call (1 host callback)",
      note: "sc.call: fresh isolate from the warm pool, JSON in/out",
      before,
      samples: [],
      run: () =>
        timed(async () => {
          const out = await sc.call<number>(SOURCE, { input: INPUT, callbacks: { double } });
          check(out.ok && out.value === EXPECTED, JSON.stringify(out));
        }),
    },
    {
      name: "agentos run node -e ''",
      note: "sc.run: fresh isolate, the Node-shaped runner",
      before,
      samples: [],
      run: () =>
        timed(async () => {
          const r = await sc.run(["node", "-e", ""]);
          check(r.code === 0, JSON.stringify(r));
        }),
    },
    {
      name: "agentos run true (wasm)",
      note: "sc.run: fresh isolate, WASI true.wasm",
      before,
      samples: [],
      run: () =>
        timed(async () => {
          const r = await sc.run(["true"]);
          check(r.code === 0, JSON.stringify(r));
        }),
    },
  ];
}

function isolatedVmScenarios(ivm: IsolatedVm): Scenario[] {
  /** The guest as code-mode executors wrap it: host functions as References, JSON out. */
  const wrapped = `(async () => {
    const host = { double: (n) => __double.apply(undefined, [n], { arguments: { copy: true }, result: { promise: true, copy: true } }) };
    const f = ${SOURCE};
    return JSON.stringify(await f(${JSON.stringify(INPUT)}, host));
  })()`;
  const callOnce = async (): Promise<{ ms: number; dispose: () => void }> => {
    const start = performance.now();
    const isolate = new ivm.Isolate({ memoryLimit: 128 });
    const context = await isolate.createContext();
    await context.global.set("__double", new ivm.Reference(double));
    const json = await context.eval(wrapped, { promise: true, copy: true, timeout: 5_000 });
    check(JSON.parse(json as string) === EXPECTED, String(json));
    return { ms: performance.now() - start, dispose: () => isolate.dispose() };
  };
  return [
    {
      name: "isolated-vm, fresh isolate",
      note: "new Isolate + context + Reference callback + eval; dispose untimed",
      samples: [],
      run: async () => {
        const { ms, dispose } = await callOnce();
        dispose();
        return ms;
      },
    },
    {
      name: "isolated-vm, fresh isolate + dispose",
      note: "the same, dispose() timed (it blocks the host's event loop)",
      samples: [],
      run: async () => {
        const start = performance.now();
        const { dispose } = await callOnce();
        dispose();
        return performance.now() - start;
      },
    },
  ];
}

function nodeVmScenario(): Scenario {
  return {
    name: "node:vm, fresh context",
    note: "vm.createContext + runInContext; NOT a security boundary",
    samples: [],
    run: () =>
      timed(async () => {
        const context = vm.createContext({});
        const f = vm.runInContext(`(${SOURCE})`, context) as (input: unknown, host: object) => Promise<unknown>;
        const input = vm.runInContext(`JSON.parse(${JSON.stringify(JSON.stringify(INPUT))})`, context);
        const value = JSON.parse(JSON.stringify(await f(input, { double })));
        check(value === EXPECTED, String(value));
      }),
  };
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

interface Row {
  name: string;
  p50: number;
  p95: number;
  p99: number;
  min: number;
  runs: number;
  note: string;
}

function summarize(s: Scenario): Row {
  const sorted = [...s.samples].sort((a, b) => a - b);
  return {
    name: s.name,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    min: sorted[0] ?? NaN,
    runs: sorted.length,
    note: s.note,
  };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

async function main(): Promise<void> {
  const ivm = loadIsolatedVm();
  const sc = await Sidecar.spawn({ bin, env: { AGENTOS_WASM_SNAPSHOT_RUNNER: "block", AGENTOS_LOG: "error" } });
  const scenarios = [...sidecarScenarios(sc), ...(typeof ivm === "string" ? [] : isolatedVmScenarios(ivm)), nodeVmScenario()];
  process.stderr.write(
    `sidecar ${bin} (${sc.hello.sidecarVersion}), pool ${poolSize}; ${warmup} warm-up + ${runs} runs per scenario, interleaved in blocks of ${block}\n`,
  );
  if (typeof ivm === "string") {
    process.stderr.write(`skipping isolated-vm: ${ivm}\n`);
  }
  const total = warmup + runs;
  for (let done = 0, round = 0; done < total; done += block, round++) {
    const n = Math.min(block, total - done);
    for (let k = 0; k < scenarios.length; k++) {
      const s = scenarios[(round + k) % scenarios.length]!;
      for (let i = 0; i < n; i++) {
        await s.before?.();
        const ms = await s.run();
        if (done + i >= warmup) {
          s.samples.push(ms);
        }
      }
    }
    if (Math.floor((done + n) / 100) > Math.floor(done / 100)) {
      process.stderr.write(`  ${done + n}/${total} runs per scenario\n`);
    }
  }
  const stats = await sc.stats();
  await sc.shutdown();

  const rows = scenarios.map(summarize);
  const byName = new Map(rows.map((r) => [r.name, r]));
  const call = byName.get("agentos call (1 host callback)")!;
  const ivmRow = byName.get("isolated-vm, fresh isolate");
  const vmRow = byName.get("node:vm, fresh context")!;
  const ratio = (a: Row, b: Row | undefined) => (b === undefined ? "-" : `${(a.p50 / b.p50).toFixed(2)}`);
  const f = (ms: number) => ms.toFixed(3);
  console.log(
    table(
      ["scenario", "p50 ms", "p95 ms", "p99 ms", "min ms", "runs", "p50 / isolated-vm", "p50 / node:vm", "what"],
      rows.map((r) => [r.name, f(r.p50), f(r.p95), f(r.p99), f(r.min), String(r.runs), ratio(r, ivmRow), ratio(r, vmRow), r.note]),
    ),
  );
  const goals = [
    ["call p50 <= 1/3 isolated-vm p50", ivmRow === undefined ? "-" : `${f(call.p50)} vs ${f(ivmRow.p50 / 3)} ms`, ivmRow === undefined ? "not measured" : call.p50 <= ivmRow.p50 / 3 ? "met" : "NOT met"],
    ["call p50 <= 1.5 x node:vm p50", `${f(call.p50)} vs ${f(vmRow.p50 * 1.5)} ms`, call.p50 <= vmRow.p50 * 1.5 ? "met" : "NOT met"],
  ];
  console.log();
  console.log(table(["goal", "this run", "verdict"], goals));
  console.log();
  console.log(
    `pool hits ${stats.poolHits}, misses ${stats.poolMisses}; node ${process.version}; ${cpus()[0]?.model ?? "?"} x ${cpus().length}`,
  );
  if (args.json !== undefined) {
    writeFileSync(args.json, JSON.stringify({ rows, goals, node: process.version, poolHits: stats.poolHits, poolMisses: stats.poolMisses }, null, 2));
  }
}

await main();
