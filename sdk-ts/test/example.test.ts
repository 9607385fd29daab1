/** The README's code-mode example runs and shows each outcome. */

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { test } from "node:test";

import { SIDECAR_BIN_ENV } from "@agentos/sdk";

import { HANG_MS, SIDECAR_BIN } from "./helpers.js";

test("examples/codemode answers, stops a runaway and refuses an unknown tool", { timeout: HANG_MS }, async () => {
  const example = fileURLToPath(new URL("../examples/codemode.js", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [example], {
    env: { ...process.env, [SIDECAR_BIN_ENV]: SIDECAR_BIN, AGENTOS_LOG: "error" },
  });
  const lines = stdout.trim().split("\n");
  assert.match(lines[0] ?? "", /^answer: ok .*"sources":\["kb-1","kb-2"\].*found 2 documents/);
  assert.match(lines[1] ?? "", /^runaway: CPU_LIMIT: /);
  assert.match(lines[2] ?? "", /^overreach: EVALUATION_ERROR: .*deleteEverything/);
});
