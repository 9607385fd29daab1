/**
 * What the tests share: the real sidecar binary (`$AGENTOS_SIDECAR_BIN`, else the workspace's
 * debug build, which `ci/test` builds first) and a few small guests.
 */

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { Sidecar, SIDECAR_BIN_ENV, type SpawnOptions } from "@agentos/sdk";

/** The sidecar binary under test, absolute (these files run from `sdk-ts/build/test/`). */
export const SIDECAR_BIN: string = resolve(
  process.env[SIDECAR_BIN_ENV] || fileURLToPath(new URL("../../../target/debug/agentos-sidecar", import.meta.url)),
);

if (!existsSync(SIDECAR_BIN)) {
  throw new Error(`no sidecar binary at ${SIDECAR_BIN}: run \`cargo build -p agentos-sidecar\` or set ${SIDECAR_BIN_ENV}`);
}

/** Hang bound for one test (generous: timing goals live in the bench, not here). */
export const HANG_MS = 60_000;

/** Starts the sidecar under test, logging warnings only. */
export function spawnSidecar(options: SpawnOptions = {}): Promise<Sidecar> {
  return Sidecar.spawn({ bin: SIDECAR_BIN, ...options, env: { AGENTOS_LOG: "error", ...options.env } });
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Collects an async iterable of bytes into one string. */
export async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
