/**
 * Code mode: instead of calling tools one at a time, the model writes a short program that calls
 * them, and the host runs it in a fresh isolate with the tools as host callbacks. Only JSON
 * crosses; the program reaches nothing but the tools it is given, under limits.
 *
 *   npm run build && npm run example
 *
 * (The sidecar: $AGENTOS_SIDECAR_BIN, or this platform's package; see the README.)
 */

import { Sidecar, type HostCallback } from "@agentos/sdk";

/** A toy document store standing in for real tools (search, fetch, a database, ...). */
const DOCS = [
  { id: "kb-1", title: "Resetting a password", body: "Open Settings > Security and choose Reset." },
  { id: "kb-2", title: "Password rules", body: "At least 12 characters, one digit." },
  { id: "kb-3", title: "Billing cycles", body: "Invoices are issued on the 1st." },
];

/** The tools, as host callbacks: JSON argument in, JSON value out; a throw rejects in the guest. */
const tools: Record<string, HostCallback> = {
  searchDocs: async ({ query }: { query: string }) => {
    const words = query.toLowerCase().split(/\W+/).filter((w) => w.length > 2);
    return DOCS.filter((d) => words.some((w) => d.title.toLowerCase().includes(w))).map(({ id, title }) => ({ id, title }));
  },
  readDoc: async ({ id }: { id: string }) => {
    const doc = DOCS.find((d) => d.id === id);
    if (doc === undefined) {
      throw new Error(`no document ${id}`);
    }
    return doc;
  },
};

/** What a model might write for "how do I reset my password?": several tool calls, in parallel. */
const MODEL_CODE = `async (input, host) => {
  const hits = await host.searchDocs({ query: input.question });
  console.log("found", hits.length, "documents");
  const docs = await Promise.all(hits.map((hit) => host.readDoc({ id: hit.id })));
  return { answer: docs.map((d) => d.body).join(" "), sources: docs.map((d) => d.id) };
}`;

/** What a model might also write: a loop that never ends. The limits stop it. */
const RUNAWAY_CODE = `async (input, host) => { for (;;) {} }`;

/** And one that calls a tool it was not given. */
const OVERREACH_CODE = `async (input, host) => host.deleteEverything()`;

const limits = { timeoutMs: 2_000, cpuMs: 300, heapMb: 64 };

await using sc = await Sidecar.spawn();

for (const [label, code] of [
  ["answer", MODEL_CODE],
  ["runaway", RUNAWAY_CODE],
  ["overreach", OVERREACH_CODE],
] as const) {
  const out = await sc.call(code, {
    input: { question: "How do I reset my password?" },
    callbacks: tools,
    limits,
    callLimits: { maxHostCalls: 20 },
  });
  if (out.ok) {
    console.log(`${label}: ok`, JSON.stringify(out.value), `(${out.stats.wallMs.toFixed(1)} ms; guest logged: ${JSON.stringify(out.stdout)})`);
  } else {
    console.log(`${label}: ${out.error.code}: ${out.error.message.split("\n")[0]}`);
  }
}
