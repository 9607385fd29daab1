/** `sc.httpRequest`: the host reaching a guest's server on a virtual port of its exec. */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { AgentosError, type Exec, type Sidecar } from "@agentos/sdk";

import { HANG_MS, spawnSidecar } from "./helpers.js";

let sc: Sidecar;
before(async () => {
  sc = await spawnSidecar();
});
after(async () => {
  await sc.shutdown();
});

const t = { timeout: HANG_MS };

const ECHO = `const http = require('http');
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => body += d);
    req.on('end', () => {
      res.setHeader('x-seen', req.method + ' ' + req.url);
      res.end('echo:' + body);
      if (req.url === '/bye') server.close();
    });
  });
  server.listen(3000, () => console.log('listening'));`;

/** Starts the echo server and resolves once it listens. */
async function serving(): Promise<Exec> {
  const exec = sc.exec(["node", "-e", ECHO]);
  let seen = "";
  for await (const chunk of exec.stdout) {
    seen += Buffer.from(chunk).toString();
    if (seen.endsWith("listening\n")) {
      return exec;
    }
  }
  throw new Error(`stdout ended before 'listening': ${seen}`);
}

test("the host reaches a guest's http server", t, async () => {
  const exec = await serving();
  const response = await sc.httpRequest(exec.id, {
    port: 3000,
    method: "POST",
    path: "/items?page=2",
    body: "hi",
  });
  assert.equal(response.status, 200);
  assert.equal(Buffer.from(response.body).toString(), "echo:hi");
  assert.deepEqual(
    response.headers.find(([name]) => name === "x-seen"),
    ["x-seen", "POST /items?page=2"],
  );
  await sc.httpRequest(exec.id, { port: 3000, path: "/bye" });
  assert.equal((await exec.wait()).code, 0);
});

test("a port nothing listens on is CONNECTION_REFUSED", t, async () => {
  const exec = await serving();
  await assert.rejects(
    sc.httpRequest(exec.id, { port: 3001 }),
    (e: unknown) => e instanceof AgentosError && e.code === "CONNECTION_REFUSED",
  );
  await sc.httpRequest(exec.id, { port: 3000, path: "/bye" });
  await exec.wait();
});
