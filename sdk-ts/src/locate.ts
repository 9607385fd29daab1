/**
 * Finding the `agentos-sidecar` binary: the `bin` option, then `$AGENTOS_SIDECAR_BIN`, then this
 * platform's package (`@agentos/sidecar-<platform>-<arch>`, an optional dependency installed only
 * on its platform, as esbuild ships its binaries), which holds `bin/agentos-sidecar` and the
 * bundled WASI commands in `commands/` (where the sidecar looks: `<bin>/../commands`).
 */

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import { AgentosError } from "./errors.js";

/** Environment variable naming the sidecar binary. */
export const SIDECAR_BIN_ENV = "AGENTOS_SIDECAR_BIN";

/** The platforms a sidecar package exists for (`process.platform-process.arch`). */
export const PLATFORMS = ["linux-x64", "linux-arm64"] as const;

/** The package holding the sidecar for `platform`/`arch`, if there is one. */
export function platformPackage(platform: string = process.platform, arch: string = process.arch): string | undefined {
  const key = `${platform}-${arch}`;
  return (PLATFORMS as readonly string[]).includes(key) ? `@agentos/sidecar-${key}` : undefined;
}

/** Where `name`'s `package.json` is, or `undefined` if the package is not installed. */
export type ResolvePackage = (name: string) => string | undefined;

const require = createRequire(import.meta.url);

function resolveInstalled(name: string): string | undefined {
  try {
    return require.resolve(`${name}/package.json`);
  } catch {
    return undefined;
  }
}

/** The inputs of the search; each defaults to the real one. */
export interface LocateInputs {
  bin?: string | undefined;
  env?: Record<string, string | undefined>;
  platform?: string;
  arch?: string;
  resolvePackage?: ResolvePackage;
  exists?: (path: string) => boolean;
}

/**
 * The sidecar binary to run. An explicit `bin` or `$AGENTOS_SIDECAR_BIN` is returned as given
 * (spawning reports a missing file with its path).
 *
 * @throws AgentosError `SIDECAR_DIED` (no sidecar can run) naming every place searched.
 */
export function locateSidecar(inputs: LocateInputs = {}): string {
  if (inputs.bin !== undefined && inputs.bin !== "") {
    return inputs.bin;
  }
  const fromEnv = (inputs.env ?? process.env)[SIDECAR_BIN_ENV];
  if (fromEnv !== undefined && fromEnv !== "") {
    return fromEnv;
  }
  const platform = inputs.platform ?? process.platform;
  const arch = inputs.arch ?? process.arch;
  const name = platformPackage(platform, arch);
  const searched = ["the bin option (unset)", `$${SIDECAR_BIN_ENV} (unset)`];
  if (name === undefined) {
    searched.push(`a sidecar package (none exists for ${platform}-${arch})`);
  } else {
    const manifest = (inputs.resolvePackage ?? resolveInstalled)(name);
    if (manifest === undefined) {
      searched.push(`${name} (not installed)`);
    } else {
      const bin = join(dirname(manifest), "bin", "agentos-sidecar");
      if ((inputs.exists ?? existsSync)(bin)) {
        return bin;
      }
      searched.push(`${bin} (missing)`);
    }
  }
  throw new AgentosError(
    "SIDECAR_DIED",
    `agentos-sidecar binary not found (searched: ${searched.join(", ")}); ` +
      `build it with \`cargo build -p agentos-sidecar\` and set ${SIDECAR_BIN_ENV}, or pass { bin }`,
  );
}
