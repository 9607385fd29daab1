/** The options and results of the public API. */

import type { ErrorCodeName } from "./errors.js";

/**
 * Per-exec (or per-call) resource limits; an unset or zero field takes the sidecar's default.
 * Defaults and maxima: the README's "Limits" table.
 */
export interface Limits {
  /** V8 heap limit, MiB (`MEMORY_LIMIT`). */
  heapMb?: number;
  /** Wall time from the guest's start, ms (`TIMEOUT`). */
  timeoutMs?: number;
  /** CPU time of the guest's own thread, ms (`CPU_LIMIT`). */
  cpuMs?: number;
  /** Stdout + stderr bytes; past it output is truncated and the guest stopped (`OUTPUT_LIMIT`). */
  maxOutputBytes?: number;
  /** Stdin written but not yet read by the guest, bytes; `writeStdin` waits while it is full. */
  maxStdinBytes?: number;
}

/** A host directory the guest sees at a guest path. Nothing outside the mounts is reachable. */
export interface Dir {
  /** Host directory (made absolute against this process's working directory). */
  host: string;
  /** Where the guest sees it, e.g. `"/"` or `"/data"`. */
  guest: string;
  /** Writes, creations, renames and deletions through it fail with EROFS. */
  readOnly?: boolean;
}

/**
 * Network limits of one exec or call; unset or zero takes the sidecar's default
 * (`net/README.md`). Past one, the guest's operation fails with `ERR_NET_LIMIT` or `ETIMEDOUT`.
 */
export interface NetLimits {
  /** Connections open at once / opened in total. */
  maxConnections?: number;
  maxConnectionsTotal?: number;
  /** Bytes received / sent on the wire. */
  maxBytesIn?: number;
  maxBytesOut?: number;
  /** One HTTP request from start to the end of its body, ms. */
  requestTimeoutMs?: number;
  /** One connect (resolve, TCP, TLS), ms. */
  connectTimeoutMs?: number;
  /** The exec's network as a whole, ms. */
  execTimeoutMs?: number;
  maxRedirects?: number;
  /** Virtual ports listened on at once (guest servers). */
  maxListeners?: number;
}

/** Headers the sidecar adds to HTTP requests to hosts matching `pattern`; the guest never sees them. */
export interface NetSecret {
  /** A host pattern in the rule syntax, e.g. `"https://api.example.com"`. */
  pattern: string;
  headers: Record<string, string>;
}

/**
 * The guest's network policy. Deny by default: without `net` (or with no `allow` rule that
 * matches) every connection is refused with `ECONNREFUSED` naming the reason.
 */
export interface NetOptions {
  /**
   * Rules `[allow:|deny:|ask:][SCHEME://]HOST[:PORTS]`, e.g. `"example.com"`,
   * `"https://*.github.com:443"`, `"deny:*:25"`, `"localhost:3000"`. Deny wins over allow;
   * loopback, private and metadata addresses only when a rule names them. A rule that does not
   * parse refuses the exec with `BAD_ARGUMENT`.
   */
  allow?: string[];
  /** Attempts no rule matches ask the host instead of being denied. */
  askUnmatched?: boolean;
  secrets?: NetSecret[];
  limits?: NetLimits;
  /**
   * The verdict on an attempt an `ask:` rule (or `askUnmatched`) sends to the host: `true`
   * connects; `false`, a message, or a throw refuses (the guest's error shows the message).
   * Without it, every ask is refused at once. Asked per HTTP request (each redirect hop) and per
   * socket connection; the guest's attempt waits, up to its own time limit.
   */
  onAsk?: (ask: NetAsk) => boolean | string | Promise<boolean | string>;
}

/** One attempt an `ask:` rule sent to the host (`NetRequest`). */
export interface NetAsk {
  id: number;
  /** `http`, `https`, `tcp`, `tls` or `dns`. */
  scheme: string;
  /** The host the guest named, and the address the connection would go to. */
  host: string;
  ip: string;
  port: number;
  /** The rule that asks (`"ask:api.example.com"`), or `""` for `askUnmatched`. */
  rule: string;
  /** For HTTP: the method and the URL of this hop; otherwise `""`. */
  method: string;
  url: string;
}

/** What one exec's network did (`ExitStatus.net`). */
export interface NetStats {
  connectionsTotal: number;
  bytesIn: number;
  bytesOut: number;
  /** Connection attempts refused by the policy or the host. */
  denied: number;
  /** HTTP requests sent (each redirect hop counts). */
  requests: number;
  /** Operations that ended on a network limit. */
  limitErrors: number;
}

/** A connection attempt the policy refused (the guest got `ECONNREFUSED` naming `reason`). */
export interface NetDenial {
  /** `http`, `https`, `tcp`, `tls` or `dns`. */
  scheme: string;
  host: string;
  ip: string;
  port: number;
  reason: string;
}

/** What to run besides argv. */
export interface ExecOptions {
  /** Exactly the environment the guest sees (nothing is inherited), in order. */
  env?: Record<string, string>;
  /** The guest's working directory (a guest path). */
  cwd?: string;
  /** Host directories to mount; none by default. */
  dirs?: Dir[];
  /** Bytes on the guest's stdin from the start (strings as UTF-8); must fit in one frame. */
  stdin?: string | Uint8Array;
  /**
   * Keep stdin open after `stdin` until `closeStdin()` (default `true` for `exec`, like a pipe;
   * `run` always closes it).
   */
  stdinOpen?: boolean;
  limits?: Limits;
  /** Host directories searched for `NAME.wasm` before the sidecar's own command path. */
  commandPath?: string[];
  /** Guest directories searched by `require` for bare specifiers after `node_modules`. */
  modulePaths?: string[];
  /** The guest's network; none at all when unset. */
  net?: NetOptions;
  /** Aborting kills the guest (`SIGKILL`). */
  signal?: AbortSignal;
}

/** `run`'s options: an exec's, minus stdin streaming, plus how to return output. */
export interface RunOptions extends Omit<ExecOptions, "stdinOpen"> {
  /** `"utf8"` (default) decodes output to strings; `"buffer"` keeps the bytes. */
  encoding?: "utf8" | "buffer";
}

/** The typed error the sidecar attached to an exec it ended (a limit, a bad command, a fault). */
export interface ExecFailure {
  code: ErrorCodeName;
  message: string;
}

/** How an exec ended. */
export interface ExitStatus {
  /** Exit code; 128 + N when ended by signal N. */
  code: number;
  /** The signal that ended the guest, e.g. `"SIGKILL"`, or `null`. */
  signal: string | null;
  /** Set when the sidecar, not the guest, ended the exec (e.g. `TIMEOUT`). */
  error?: ExecFailure;
  /** What the guest's network did; set when the exec had a network policy or used the network. */
  net?: NetStats;
  /** Attempts the policy refused (at most 100 are reported; `net.denied` counts all); set when any. */
  netDenied?: NetDenial[];
}

/** What `run` returns: the exit status and all output. */
export interface RunResult<Out = string> extends ExitStatus {
  stdout: Out;
  stderr: Out;
}

/** Limits that only calls have; zero or unset means the sidecar's default. */
export interface CallLimits {
  /** Host calls per call (`HOST_CALL_LIMIT`; default 1 000). */
  maxHostCalls?: number;
  /** Bytes of one host call's JSON argument or reply (`HOST_PAYLOAD_LIMIT`; default 1 MiB). */
  maxHostPayloadBytes?: number;
  /** Bytes of the result's JSON (`RESULT_LIMIT`; default 4 MiB). */
  maxResultBytes?: number;
}

/** What a host callback gets besides the guest's argument. */
export interface HostCallContext {
  /** The callback's name. */
  name: string;
  /** Aborted when the sidecar gives up on this host call or the call ends without it. */
  signal: AbortSignal;
}

/**
 * A host callback: the guest's JSON argument in, a JSON value out (`undefined` becomes `null`).
 * A throw or rejection rejects the guest's promise with an `Error` carrying the message.
 */
export type HostCallback = (arg: any, context: HostCallContext) => unknown;

export interface CallOptions {
  /** The function's first argument (JSON; default `null`). */
  input?: unknown;
  /** The only callbacks the guest may use, as `host.NAME(arg)`; they run concurrently. */
  callbacks?: Record<string, HostCallback>;
  limits?: Limits;
  callLimits?: CallLimits;
  /** The guest's network; none at all when unset. */
  net?: NetOptions;
  /** Aborting kills the call: it ends with `{ ok: false, error: { code: "KILLED" } }`. */
  signal?: AbortSignal;
}

/** Cost of one call, as the sidecar measured it. */
export interface CallStats {
  wallMs: number;
  cpuMs: number;
  heapUsedBytes: number;
}

/** Why a call did not produce a value: the guest threw, a limit, a kill. */
export interface CallFailure {
  code: ErrorCodeName;
  message: string;
  /** The guest's stack, for errors the guest threw. */
  stack?: string;
}

/** A call's outcome; `stdout`/`stderr` hold what the guest logged. */
export type CallOutcome<T = unknown> =
  | { ok: true; value: T; stats: CallStats; stdout: string; stderr: string }
  | { ok: false; error: CallFailure; stats: CallStats; stdout: string; stderr: string };

/** The sidecar's counters (`StatsReply`). */
export interface Stats {
  /** Execs that found a parked warm isolate / prepared one on the spot. */
  poolHits: number;
  poolMisses: number;
  /** Warm isolates parked right now. */
  poolParked: number;
  /** `AGENTOS_WASM_SNAPSHOT_RUNNER` in effect: `auto`, `block` or `off`. */
  snapshotMode: string;
  /** `disabled`, `pending`, `ready` or `failed`. */
  snapshotState: string;
  snapshotDigest: string;
  rssBytes: number;
  /** Execs accepted and not yet exited. */
  execsLive: number;
  moduleCacheEntries: number;
  moduleCacheEvictions: number;
  moduleCompileHits: number;
  /** Execs whose wasm module came from compiled code in the disk cache. */
  moduleCodeFromDisk: number;
}

/** `sc.httpRequest(execId, options)`: one exchange with a server a guest of the exec listens on. */
export interface HttpRequestOptions {
  /** The exec's virtual port (`server.listen(port)` in the guest). */
  port: number;
  /** `GET` by default. */
  method?: string;
  /** Origin form, e.g. `/items?page=2`; `/` by default. */
  path?: string;
  headers?: Record<string, string> | Array<[string, string]>;
  body?: string | Uint8Array;
  /** The whole exchange; 30 000 by default. */
  timeoutMs?: number;
  /** Largest response body taken (at most half the frame limit, the default). */
  maxBodyBytes?: number;
}

/** The guest server's response, whole. */
export interface HttpResponse {
  status: number;
  /** In order, values as UTF-8 text. */
  headers: Array<[string, string]>;
  body: Uint8Array;
}

/** The sidecar's answer to the handshake. */
export interface HelloInfo {
  protocolVersion: number;
  sidecarVersion: string;
  capabilities: string[];
  maxFrameBytes: number;
}

/** How the sidecar process ended. */
export interface SidecarExit {
  code: number | null;
  signal: string | null;
}

export interface SpawnOptions {
  /** The sidecar binary; default `$AGENTOS_SIDECAR_BIN`, then this platform's package. */
  bin?: string;
  /** Added to this process's environment for the sidecar (not its guests), e.g. `AGENTOS_LOG`. */
  env?: Record<string, string>;
  /** Command-line arguments for the sidecar. */
  args?: string[];
  /** How long to wait for the `HelloAck` (default 10 000 ms). */
  handshakeTimeoutMs?: number;
  /** Where the sidecar's log (its stderr) goes (default `"inherit"`). */
  stderr?: "inherit" | "ignore";
}
