/** Finding the sidecar binary, without spawning it. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { AgentosError, locateSidecar, platformPackage } from "@agentos/sdk";

const PACKAGE_JSON = "/pkgs/@agentos/sidecar-linux-x64/package.json";
const linux = { platform: "linux", arch: "x64" };
const installed = { ...linux, resolvePackage: () => PACKAGE_JSON, exists: () => true };

test("the bin option wins over the environment and the package", () => {
  const got = locateSidecar({ ...installed, bin: "/x/sidecar", env: { AGENTOS_SIDECAR_BIN: "/env/sidecar" } });
  assert.equal(got, "/x/sidecar");
});

test("AGENTOS_SIDECAR_BIN wins over the platform package", () => {
  const got = locateSidecar({ ...installed, env: { AGENTOS_SIDECAR_BIN: "/env/sidecar" } });
  assert.equal(got, "/env/sidecar");
});

test("the platform package's bin/agentos-sidecar is used last", () => {
  const got = locateSidecar({ ...installed, env: {} });
  assert.equal(got, "/pkgs/@agentos/sidecar-linux-x64/bin/agentos-sidecar");
});

test("each platform maps to its own package, and unsupported ones to none", () => {
  assert.equal(platformPackage("linux", "arm64"), "@agentos/sidecar-linux-arm64");
  assert.equal(platformPackage("win32", "x64"), undefined);
});

test("not found names every place searched", () => {
  assert.throws(
    () => locateSidecar({ ...linux, env: { AGENTOS_SIDECAR_BIN: "" }, resolvePackage: () => undefined }),
    (e: unknown) =>
      e instanceof AgentosError &&
      e.code === "SIDECAR_DIED" &&
      e.message.includes("AGENTOS_SIDECAR_BIN") &&
      e.message.includes("@agentos/sidecar-linux-x64 (not installed)"),
  );
});

test("an installed package without its binary is reported as missing", () => {
  assert.throws(
    () => locateSidecar({ ...installed, env: {}, exists: () => false }),
    /sidecar-linux-x64\/bin\/agentos-sidecar \(missing\)/,
  );
});

test(
  "npm ci installs this platform's package where the search finds it",
  { skip: process.platform !== "linux" || process.arch !== "x64" ? "only linux-x64 is laid out here" : false },
  () => {
    // Real module resolution; only the binary's existence is assumed (it is staged, not committed).
    const got = locateSidecar({ env: {}, exists: () => true });
    assert.match(got, /@agentos\/sidecar-linux-x64\/bin\/agentos-sidecar$|npm\/linux-x64\/bin\/agentos-sidecar$/);
  },
);
