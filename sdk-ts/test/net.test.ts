/** The guest's network through the SDK: policy, secrets, denials and stats, against a loopback server. */

import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";

import { AgentosError, type Sidecar } from "@agentos/sdk";

import { HANG_MS, spawnSidecar } from "./helpers.js";

let sc: Sidecar;
let server: Server;
let port = 0;
const seen: IncomingHttpHeaders[] = [];

before(async () => {
  sc = await spawnSidecar();
  server = createServer((req, res) => {
    seen.push(req.headers);
    res.end(`hello from ${req.url}`);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  await sc.shutdown();
  await new Promise((done) => server.close(done));
});

const t = { timeout: HANG_MS };

function fetching(path: string): string[] {
  const code = `fetch('http://127.0.0.1:${port}${path}').then((r) => r.text())
    .then(console.log, (e) => console.log('ERR', e.cause && e.cause.code))`;
  return ["node", "-e", code];
}

test("an allowed fetch reaches the server and is counted", t, async () => {
  const r = await sc.run(fetching("/a"), { net: { allow: [`127.0.0.1:${port}`] } });
  assert.equal(r.stdout, "hello from /a\n");
  assert.equal(r.net?.requests, 1);
  assert.equal(r.net?.denied, 0);
  assert.ok((r.net?.bytesIn ?? 0) > 0);
  assert.equal(r.netDenied, undefined);
});

test("without a network policy a fetch is denied and counted", t, async () => {
  const r = await sc.run(fetching("/b"));
  assert.equal(r.stdout, "ERR ECONNREFUSED\n");
  assert.equal(r.net?.denied, 1);
  assert.equal(r.netDenied?.length, 1);
});

test("an exec that never touches the network reports no network", t, async () => {
  const r = await sc.run(["node", "-e", "1"]);
  assert.equal(r.net, undefined);
  assert.equal(r.netDenied, undefined);
});

test("a denied attempt is reported with its reason", t, async () => {
  const r = await sc.run(fetching("/c"), { net: { allow: ["example.com"] } });
  assert.equal(r.stdout, "ERR ECONNREFUSED\n");
  assert.equal(r.net?.denied, 1);
  assert.equal(r.netDenied?.length, 1);
  const denial = r.netDenied?.[0];
  assert.equal(denial?.ip, "127.0.0.1");
  assert.equal(denial?.port, port);
  assert.match(denial?.reason ?? "", /loopback/);
});

test("a secret header reaches the server but not the guest", t, async () => {
  const code = `const r = await fetch('http://127.0.0.1:${port}/s', { headers: { 'x-mine': '1' } });
    console.log(await r.text(), JSON.stringify([...r.headers.keys()].filter((k) => k === 'authorization')))`;
  const before = seen.length;
  const r = await sc.run(["node", "--input-type=module", "-e", code], {
    net: {
      allow: [`127.0.0.1:${port}`],
      secrets: [{ pattern: `127.0.0.1:${port}`, headers: { authorization: "Bearer s3cret" } }],
    },
  });
  assert.equal(r.stdout, "hello from /s []\n", r.stderr);
  assert.equal(seen.length, before + 1);
  assert.equal(seen[before]?.authorization, "Bearer s3cret");
  assert.equal(seen[before]?.["x-mine"], "1");
});

test("a bad rule refuses the exec with BAD_ARGUMENT", t, async () => {
  await assert.rejects(
    sc.run(fetching("/d"), { net: { allow: ["allow:::nonsense:::"] } }),
    (e: unknown) => e instanceof AgentosError && e.code === "BAD_ARGUMENT",
  );
});

test("a negative net limit is refused before anything is sent", t, async () => {
  assert.throws(
    () => sc.exec(fetching("/e"), { net: { limits: { maxConnections: -1 } } }),
    (e: unknown) => e instanceof AgentosError && e.code === "BAD_ARGUMENT",
  );
});

test("a call's guest uses the network under its own policy", t, async () => {
  const out = await sc.call(`async () => (await fetch('http://127.0.0.1:${port}/call')).text()`, {
    net: { allow: [`127.0.0.1:${port}`] },
  });
  assert.equal(out.ok && out.value, "hello from /call");
});

test("onAsk allows an ask: rule's attempt and sees what it is asked", t, async () => {
  const asked: unknown[] = [];
  const r = await sc.run(fetching("/ask"), {
    net: {
      allow: [`ask:127.0.0.1:${port}`],
      onAsk: async (ask) => {
        asked.push([ask.scheme, ask.ip, ask.port, ask.rule, ask.method, ask.url]);
        return true;
      },
    },
  });
  assert.equal(r.stdout, "hello from /ask\n", r.stderr);
  assert.deepEqual(asked, [["http", "127.0.0.1", port, `ask:127.0.0.1:${port}`, "GET", `http://127.0.0.1:${port}/ask`]]);
});

test("onAsk refusing with a message denies the attempt with it", t, async () => {
  const code = `fetch('http://127.0.0.1:${port}/no').then(() => console.log('reached'),
    (e) => console.log(e.cause.code, e.cause.message.includes('policy says no')))`;
  const r = await sc.run(["node", "-e", code], {
    net: { allow: [`ask:127.0.0.1:${port}`], onAsk: () => "policy says no" },
  });
  assert.equal(r.stdout, "ECONNREFUSED true\n", r.stderr);
  assert.equal(r.net?.denied, 1);
});

test("without onAsk every ask is refused at once", t, async () => {
  const r = await sc.run(fetching("/none"), { net: { allow: [`ask:127.0.0.1:${port}`] } });
  assert.equal(r.stdout, "ERR ECONNREFUSED\n");
});

test("an onAsk that throws refuses, and a call's guest is asked too", t, async () => {
  const out = await sc.call(
    `async () => fetch('http://127.0.0.1:${port}/c').then(() => 'reached', (e) => e.cause.message)`,
    {
      net: {
        allow: [`ask:127.0.0.1:${port}`],
        onAsk: () => {
          throw new Error("handler exploded");
        },
      },
    },
  );
  assert.ok(out.ok && String(out.value).includes("handler exploded"), JSON.stringify(out));
});
