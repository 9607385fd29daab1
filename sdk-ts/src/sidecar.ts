/**
 * The {@link Sidecar} handle: spawning the process, the `Hello` handshake, execs, calls, and
 * the end of the process (asked for, or not).
 *
 * The process's stdin carries request frames, its stdout event frames; its stderr is its log.
 * When the process goes away (its stdout ends, or it exits), everything still waiting (replies,
 * execs, calls) is settled with `SIDECAR_DIED`, naming the exit code or signal: nothing hangs.
 *
 * While nothing is awaited the process and its pipes are unref'd, so a Node program that forgot
 * `shutdown()` still exits (and the sidecar, reading end of file, shuts down after it).
 */

import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { resolve as resolvePath } from "node:path";
import { performance } from "node:perf_hooks";

import { runCall } from "./call.js";
import { Connection } from "./connection.js";
import { toBytes, toLimits, toNetPolicy, toStats } from "./convert.js";
import { AgentosError, messageOf } from "./errors.js";
import { Exec } from "./exec.js";
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder } from "./framing.js";
import { fromHttpResponse, toHttpRequest } from "./http.js";
import { locateSidecar } from "./locate.js";
import { decodeEvent, PROTOCOL_VERSION, type pb } from "./protocol.js";
import type {
  CallOptions,
  CallOutcome,
  ExecOptions,
  HelloInfo,
  HttpRequestOptions,
  HttpResponse,
  RunOptions,
  RunResult,
  SidecarExit,
  SpawnOptions,
  Stats,
} from "./types.js";

const HANDSHAKE_TIMEOUT_MS = 10_000;
/** How long the sidecar may take to exit after its stdin closes before it is killed. */
const SHUTDOWN_GRACE_MS = 5_000;
/** After its stdout ends: how long to wait for the exit status, to name it in the error. */
const STATUS_WAIT_MS = 2_000;
/** After it exits: how long to wait for the rest of its stdout (a grandchild may hold it open). */
const STREAM_WAIT_MS = 1_000;

const SDK_VERSION = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

export interface Sidecar {
  /** The sidecar process ended (after every pending exec and call was settled). */
  on(event: "exit", listener: (code: number | null, signal: string | null) => void): this;
  once(event: "exit", listener: (code: number | null, signal: string | null) => void): this;
}

/** A running sidecar; one handle multiplexes any number of concurrent execs and calls. */
export class Sidecar extends EventEmitter {
  /** The binary that was started. */
  readonly bin: string;
  /** The sidecar's process id. */
  readonly pid: number;
  /** The sidecar's answer to the handshake. */
  hello: HelloInfo = { protocolVersion: 0, sidecarVersion: "", capabilities: [], maxFrameBytes: 0 };

  private readonly child: ChildProcess;
  private readonly conn: Connection;
  private readonly decoder = new FrameDecoder(DEFAULT_MAX_FRAME_BYTES);
  private readonly exited: Promise<SidecarExit>;
  private resolveExited!: (exit: SidecarExit) => void;
  /** Why the stream cannot be trusted any more (a broken frame, a spawn failure). */
  private failure: string | undefined;
  private stdoutEnded = false;
  private status: SidecarExit | undefined;
  private finalTimer: NodeJS.Timeout | undefined;
  private finalized = false;
  private stopping: Promise<SidecarExit> | undefined;

  /**
   * Starts the sidecar and completes the handshake.
   *
   * @throws AgentosError `SIDECAR_DIED` (binary not found, could not start, died or no answer in
   *   `handshakeTimeoutMs`), `UNSUPPORTED_VERSION`.
   */
  static async spawn(options: SpawnOptions = {}): Promise<Sidecar> {
    const bin = locateSidecar({ bin: options.bin });
    let child: ChildProcess;
    try {
      child = spawn(bin, options.args ?? [], {
        stdio: ["pipe", "pipe", options.stderr ?? "inherit"],
        env: { ...process.env, ...options.env },
      });
    } catch (error) {
      // Most spawn failures arrive as an `error` event; invalid arguments throw here.
      throw new AgentosError("SIDECAR_DIED", `cannot start ${bin}: ${(error as Error).message}`, { cause: error });
    }
    const sidecar = new Sidecar(child, bin);
    try {
      await sidecar.handshake(options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS);
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
    return sidecar;
  }

  private constructor(child: ChildProcess, bin: string) {
    super();
    this.child = child;
    this.bin = bin;
    this.pid = child.pid ?? 0;
    const stdin = child.stdin;
    const stdout = child.stdout;
    if (stdin === null || stdout === null) {
      throw new Error("invariant: the sidecar's stdin and stdout are pipes");
    }
    this.exited = new Promise((resolve) => {
      this.resolveExited = resolve;
    });
    this.conn = new Connection(stdin, { busy: (busy) => this.keepAlive(busy) });
    // Writing to a sidecar that is gone fails with EPIPE; its stdout and exit report that.
    stdin.on("error", () => {});
    stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    stdout.on("end", () => this.stdoutEnd());
    stdout.on("close", () => this.stdoutEnd());
    stdout.on("error", (error) => {
      this.failure ??= `reading its stdout failed: ${error.message}`;
      this.stdoutEnd();
    });
    child.on("error", (error) => {
      if (child.pid === undefined) {
        this.failure ??= `cannot start ${bin}: ${error.message}`;
        this.status = { code: null, signal: null };
        this.finalize();
      }
    });
    child.on("exit", (code, signal) => this.processExit(code, signal));
  }

  /**
   * Starts a guest program: `argv[0]` is `node`, a path ending in `.wasm`, or a command name
   * (`ls`, `cat`, ...). Returns at once; output streams in as it is written.
   *
   * @throws AgentosError `FRAME_TOO_LARGE` (nothing sent), `BAD_ARGUMENT`, `KILLED` (signal
   *   already aborted), `SHUTTING_DOWN`, `SIDECAR_DIED`. A refusal by the sidecar rejects `wait()`.
   */
  exec(argv: readonly string[], options: ExecOptions = {}): Exec {
    const signal = options.signal;
    if (signal?.aborted) {
      throw new AgentosError("KILLED", "the exec's signal was aborted before it started", { cause: signal.reason });
    }
    const id = this.conn.nextExecId();
    const value = {
      execId: id,
      argv: [...argv],
      env: Object.entries(options.env ?? {}).map(([key, value]) => ({ key, value })),
      cwd: options.cwd ?? "",
      stdin: toBytes(options.stdin),
      stdinOpen: options.stdinOpen ?? true,
      limits: toLimits(options.limits),
      preopens: (options.dirs ?? []).map((dir) => ({
        hostPath: resolvePath(dir.host),
        guestPath: dir.guest,
        readOnly: dir.readOnly ?? false,
      })),
      commandPath: options.commandPath ?? [],
      modulePaths: options.modulePaths ?? [],
      net: toNetPolicy(options.net),
    };
    const exec = new Exec(this.conn, id, options.limits?.maxStdinBytes ?? 0, options.net);
    this.conn.addRoute(id, exec.route());
    let started: Promise<{ case: string }>;
    try {
      started = this.conn.request({ case: "exec", value });
    } catch (error) {
      this.conn.removeRoute(id);
      throw error;
    }
    started.then(
      (answer) => {
        if (answer.case !== "execStarted") {
          this.conn.removeRoute(id);
          exec.rejectExit(new AgentosError("INTERNAL", `expected ExecStarted for exec ${id}, got ${answer.case}`));
        }
      },
      (error: AgentosError) => {
        this.conn.removeRoute(id);
        exec.rejectExit(error);
      },
    );
    if (signal !== undefined) {
      const kill = (): void => void exec.kill("SIGKILL").catch(() => {});
      signal.addEventListener("abort", kill, { once: true });
      const forget = (): void => signal.removeEventListener("abort", kill);
      exec.wait().then(forget, forget);
    }
    return exec;
  }

  /**
   * Runs a guest program to its end with stdin closed after `options.stdin`, collecting its
   * output (UTF-8 strings, or bytes with `encoding: "buffer"`).
   *
   * @throws AgentosError as {@link exec}, and on refusal or the sidecar's death.
   */
  run(argv: readonly string[], options: RunOptions & { encoding: "buffer" }): Promise<RunResult<Buffer>>;
  run(argv: readonly string[], options?: RunOptions & { encoding?: "utf8" }): Promise<RunResult<string>>;
  async run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult<string | Buffer>> {
    const { encoding = "utf8", ...rest } = options;
    const exec = this.exec(argv, { ...rest, stdinOpen: false });
    const status = await exec.wait();
    const { stdout, stderr } = exec.takeOutput();
    if (encoding === "buffer") {
      return { ...status, stdout, stderr };
    }
    return { ...status, stdout: stdout.toString("utf8"), stderr: stderr.toString("utf8") };
  }

  /**
   * Calls the function `source` evaluates to (`async (input, host) => value`) on `input` in a
   * fresh isolate; `host.NAME(arg)` reaches `callbacks.NAME`. Only JSON crosses. A guest error or
   * a limit is not a rejection: it is `{ ok: false, error }`.
   *
   * @throws AgentosError `FRAME_TOO_LARGE` (nothing sent), `SERIALIZATION_ERROR` (input),
   *   `KILLED` (signal already aborted), a refusal, `SIDECAR_DIED`.
   */
  async call<T = unknown>(source: string, options: CallOptions = {}): Promise<CallOutcome<T>> {
    return runCall<T>(this.conn, source, options);
  }

  /** The sidecar's counters: warm pool, snapshot, RSS, module cache. */
  async stats(): Promise<Stats> {
    const answer = await this.conn.request({ case: "stats", value: {} });
    if (answer.case !== "statsReply") {
      throw new AgentosError("INTERNAL", `expected StatsReply, got ${answer.case}`);
    }
    return toStats(answer.value);
  }

  /**
   * One HTTP/1.1 exchange with a server a guest of exec `execId` listens on (a virtual port of
   * the exec: `http.createServer().listen(port)` in the guest, unreachable from the network).
   *
   * @throws AgentosError `UNKNOWN_EXEC`, `CONNECTION_REFUSED` (nothing listens there),
   *   `BAD_GATEWAY` (the server broke the exchange), `TIMEOUT`, `OUTPUT_LIMIT`, `BAD_ARGUMENT`,
   *   `SIDECAR_DIED`.
   */
  async httpRequest(execId: number, options: HttpRequestOptions): Promise<HttpResponse> {
    const answer = await this.conn.request({ case: "httpRequest", value: toHttpRequest(execId, options) });
    if (answer.case !== "httpResponse") {
      throw new AgentosError("INTERNAL", `expected HttpResponse, got ${answer.case}`);
    }
    return fromHttpResponse(answer.value);
  }

  /** Round-trips a `Ping`; resolves with the round trip in milliseconds. */
  async ping(): Promise<number> {
    const start = performance.now();
    const answer = await this.conn.request({ case: "ping", value: {} });
    if (answer.case !== "pong") {
      throw new AgentosError("INTERNAL", `expected Pong, got ${answer.case}`);
    }
    return performance.now() - start;
  }

  /**
   * Closes the sidecar's stdin (it kills running guests, reports their exits and exits) and waits
   * for it to exit, killing it after `graceMs`. Later requests fail with `SHUTTING_DOWN`.
   * Idempotent.
   */
  shutdown(graceMs: number = SHUTDOWN_GRACE_MS): Promise<SidecarExit> {
    if (this.stopping === undefined) {
      this.conn.close();
      this.keepAlive(true);
      this.child.stdin?.end();
      const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
      this.stopping = this.exited.finally(() => clearTimeout(timer));
    }
    return this.stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  private async handshake(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new AgentosError("SIDECAR_DIED", `${this.bin} did not answer the handshake within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    const hello = { protocolVersion: PROTOCOL_VERSION, client: `agentos-sdk-ts/${SDK_VERSION}` };
    let answer;
    try {
      answer = await Promise.race([this.conn.request({ case: "hello", value: hello }), timeout]);
    } finally {
      clearTimeout(timer);
    }
    if (answer.case !== "helloAck") {
      throw new AgentosError("INTERNAL", `expected HelloAck, got ${answer.case}`);
    }
    const ack = answer.value;
    if (ack.protocolVersion !== PROTOCOL_VERSION) {
      throw new AgentosError(
        "UNSUPPORTED_VERSION",
        `the sidecar speaks protocol ${ack.protocolVersion}, this SDK ${PROTOCOL_VERSION}`,
      );
    }
    if (ack.maxFrameBytes > 0) {
      this.conn.maxFrame = ack.maxFrameBytes;
      this.decoder.setMax(ack.maxFrameBytes);
    }
    this.hello = {
      protocolVersion: ack.protocolVersion,
      sidecarVersion: ack.sidecarVersion,
      capabilities: [...ack.capabilities],
      maxFrameBytes: ack.maxFrameBytes,
    };
  }

  private receive(chunk: Buffer): void {
    if (this.failure !== undefined) {
      return;
    }
    let events: pb.Event[];
    try {
      events = this.decoder.push(chunk).map(decodeEvent);
    } catch (error) {
      this.broken(messageOf(error));
      return;
    }
    for (const event of events) {
      this.conn.route(event);
    }
  }

  /** The stream cannot be trusted: stop reading, kill the process; its exit settles the rest. */
  private broken(reason: string): void {
    this.failure ??= `it broke the protocol: ${reason}`;
    this.child.kill("SIGKILL");
  }

  private stdoutEnd(): void {
    if (this.stdoutEnded) {
      return;
    }
    this.stdoutEnded = true;
    try {
      this.decoder.finish();
    } catch (error) {
      this.failure ??= messageOf(error);
    }
    this.finalizeAfter(this.status === undefined ? STATUS_WAIT_MS : 0);
  }

  private processExit(code: number | null, signal: string | null): void {
    this.status = { code, signal };
    this.finalizeAfter(this.stdoutEnded ? 0 : STREAM_WAIT_MS);
  }

  private finalizeAfter(ms: number): void {
    if (ms === 0) {
      this.finalize();
      return;
    }
    if (this.finalTimer === undefined) {
      this.finalTimer = setTimeout(() => this.finalize(), ms);
    }
  }

  /** The process is gone: settle everything still waiting, then emit `exit`. */
  private finalize(): void {
    if (this.finalized) {
      return;
    }
    this.finalized = true;
    clearTimeout(this.finalTimer);
    const status = this.status ?? { code: null, signal: null };
    this.conn.die(new AgentosError("SIDECAR_DIED", this.deathReason(status)));
    this.keepAlive(false);
    this.resolveExited(status);
    this.emit("exit", status.code, status.signal);
  }

  private deathReason(status: SidecarExit): string {
    const how =
      status.signal !== null
        ? `killed by ${status.signal}`
        : status.code !== null
          ? `exit code ${status.code}`
          : "no exit status";
    if (this.failure !== undefined) {
      return `the sidecar (pid ${this.pid}) is gone: ${this.failure} (${how})`;
    }
    if (this.stopping !== undefined) {
      return `the sidecar (pid ${this.pid}) was shut down (${how})`;
    }
    return `the sidecar (pid ${this.pid}) exited unexpectedly (${how})`;
  }

  /** Refs the process and its pipes while something is awaited (or a shutdown is under way). */
  private keepAlive(busy: boolean): void {
    const ref = busy || (this.stopping !== undefined && !this.finalized);
    for (const handle of [this.child, this.child.stdin, this.child.stdout]) {
      const h = handle as unknown as { ref?(): void; unref?(): void } | null;
      if (ref) {
        h?.ref?.();
      } else {
        h?.unref?.();
      }
    }
  }
}
