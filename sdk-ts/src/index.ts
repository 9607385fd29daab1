/**
 * TypeScript host SDK for agentos-sidecar: spawn the sidecar, run guest programs (JavaScript and
 * WASI commands) in fresh V8 isolates, stream their output, call guest functions with host
 * callbacks.
 *
 * ```ts
 * import { Sidecar } from "@agentos/sdk";
 *
 * await using sc = await Sidecar.spawn();
 * const { stdout } = await sc.run(["node", "-e", "console.log(6 * 7)"]);   // "42\n"
 * const out = await sc.call("async (input, host) => (await host.double(input.n)) + 1", {
 *   input: { n: 20 },
 *   callbacks: { double: async (n) => n * 2 },
 * });                                                                       // { ok: true, value: 41, ... }
 * ```
 */

export { Sidecar } from "./sidecar.js";
export { Exec } from "./exec.js";
export { AgentosError, type ErrorCodeName } from "./errors.js";
export { SIDECAR_BIN_ENV, locateSidecar, platformPackage } from "./locate.js";
export { PROTOCOL_VERSION } from "./protocol.js";
export type * from "./types.js";
