#!/usr/bin/env node
// Lays out this platform's sidecar package (npm/<platform>-<arch>/) as it would be published:
// bin/agentos-sidecar and commands/*.wasm (the sidecar finds its bundled commands at
// <bin>/../commands), taken from the workspace's target/ directory. The packages are never
// published from here; staging lets `Sidecar.spawn()` find the binary with no option or env.
//
//   node scripts/stage-binary.mjs [--debug] [--link]
//
// --debug: target/debug instead of target/release. --link: symlinks instead of copies.

import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { debug: { type: "boolean" }, link: { type: "boolean" } } });
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const target = resolve(root, "../target");
const platform = `${process.platform}-${process.arch}`;
const pkg = join(root, "npm", platform);
if (!existsSync(join(pkg, "package.json"))) {
  console.error(`stage-binary: no sidecar package for ${platform} (npm/${platform}/package.json)`);
  process.exit(1);
}
const bin = join(target, values.debug ? "debug" : "release", "agentos-sidecar");
const commands = join(target, "commands");
for (const [what, path] of [["sidecar binary", bin], ["command set", commands]]) {
  if (!existsSync(path)) {
    console.error(`stage-binary: no ${what} at ${path} (cargo build${values.debug ? "" : " --release"} -p agentos-sidecar; bash ci/build-commands)`);
    process.exit(1);
  }
}

function place(from, to) {
  rmSync(to, { force: true });
  if (values.link) {
    symlinkSync(from, to);
  } else {
    copyFileSync(from, to);
  }
}

rmSync(join(pkg, "bin"), { recursive: true, force: true });
rmSync(join(pkg, "commands"), { recursive: true, force: true });
mkdirSync(join(pkg, "bin"));
mkdirSync(join(pkg, "commands"));
place(bin, join(pkg, "bin", "agentos-sidecar"));
if (!values.link) {
  chmodSync(join(pkg, "bin", "agentos-sidecar"), 0o755);
}
const wasm = readdirSync(commands).filter((name) => name.endsWith(".wasm"));
for (const name of wasm) {
  place(join(commands, name), join(pkg, "commands", name));
}
console.log(`staged ${bin} and ${wasm.length} commands in npm/${platform}/ (${values.link ? "symlinks" : "copies"})`);
