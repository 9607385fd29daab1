/**
 * One running guest program: its output streams, its stdin, kill, and its exit.
 *
 * `Sidecar.exec` registers the exec's route and writes its `Exec` request at once; the handle is
 * usable immediately (requests are answered in order, so stdin written now arrives after the
 * exec exists). A refusal (`QUEUE_FULL`, `BAD_ARGUMENT`, ...) or a dead sidecar rejects `wait()`
 * and ends both streams.
 */

import { setTimeout as sleep } from "node:timers/promises";
import { Readable } from "node:stream";

import { ByteChannel } from "./channel.js";
import type { Connection, Route } from "./connection.js";
import { answerAsk } from "./ask.js";
import { toBytes, toExitStatus, toNetDenial } from "./convert.js";
import { AgentosError } from "./errors.js";
import { pb } from "./protocol.js";
import type { ExitStatus, NetDenial, NetOptions } from "./types.js";

/** Largest stdin chunk per `StdinWrite` (a pipe buffer's worth; smaller when the limit is). */
const STDIN_CHUNK = 64 * 1024;
/** Room for the rest of a `StdinWrite` request besides its data. */
const STDIN_FRAME_OVERHEAD = 64;
/** Backoff while the guest's stdin is full (`STDIN_LIMIT`): first and longest wait, ms. */
const STDIN_RETRY_FIRST_MS = 1;
const STDIN_RETRY_MAX_MS = 16;

/** A running guest program. Dropping the handle does not kill the guest. */
export class Exec {
  /** The exec id on the wire. */
  readonly id: number;
  /** Standard output, chunk by chunk as the guest wrote it; ends when the exec ends. Read once. */
  readonly stdout: AsyncIterable<Uint8Array>;
  /** Standard error, as {@link stdout}. */
  readonly stderr: AsyncIterable<Uint8Array>;

  private readonly out = new ByteChannel();
  private readonly err = new ByteChannel();
  private readonly exit: Promise<ExitStatus>;
  private settled = false;
  private readonly denials: NetDenial[] = [];
  private readonly stdinChunk: number;

  /** Made by `Sidecar.exec`; not for direct use. */
  constructor(
    private readonly conn: Connection,
    private readonly wireId: bigint,
    maxStdinBytes: number,
    private readonly net?: NetOptions,
  ) {
    this.id = Number(wireId);
    this.stdout = this.out;
    this.stderr = this.err;
    const limit = maxStdinBytes > 0 ? maxStdinBytes : Infinity;
    this.stdinChunk = Math.max(1, Math.min(STDIN_CHUNK, limit, conn.maxFrame - STDIN_FRAME_OVERHEAD));
    let resolve!: (status: ExitStatus) => void;
    let reject!: (error: AgentosError) => void;
    this.exit = new Promise<ExitStatus>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A caller that never waits must not see an unhandled rejection.
    this.exit.catch(() => {});
    this.resolveExit = (status) => this.finish(() => resolve(status));
    this.rejectExit = (error) => this.finish(() => reject(error));
  }

  /** @internal Settles the exit with a status. */
  readonly resolveExit: (status: ExitStatus) => void;
  /** @internal Settles the exit with an error. */
  readonly rejectExit: (error: AgentosError) => void;

  /** @internal Where the connection delivers this exec's events. */
  route(): Route {
    return {
      output: (stream, data) => {
        if (stream === pb.Stream.STDOUT) {
          this.out.push(data);
        } else if (stream === pb.Stream.STDERR) {
          this.err.push(data);
        }
      },
      exited: (exited) => this.resolveExit(toExitStatus(exited, this.denials)),
      netDenied: (denied) => {
        this.denials.push(toNetDenial(denied));
      },
      netRequest: (request) => answerAsk(this.conn, this.net, request),
      died: (error) => this.rejectExit(error),
    };
  }

  /** Standard output as a Node `Readable` of bytes (reads {@link stdout}). */
  stdoutStream(): Readable {
    return Readable.from(this.out, { objectMode: false });
  }

  /** Standard error as a Node `Readable` of bytes (reads {@link stderr}). */
  stderrStream(): Readable {
    return Readable.from(this.err, { objectMode: false });
  }

  /**
   * Appends `data` (strings as UTF-8) to the guest's stdin; resolves once the sidecar has taken
   * all of it. Sent in chunks; while the guest has `maxStdinBytes` unread, the sidecar refuses a
   * chunk with `STDIN_LIMIT` and it is retried (backpressure), so this can wait as long as the
   * guest does not read.
   *
   * @throws AgentosError `UNKNOWN_EXEC` once the guest has exited, `SIDECAR_DIED`, ...
   */
  async writeStdin(data: string | Uint8Array): Promise<void> {
    const bytes = toBytes(data);
    for (let at = 0; at < bytes.length; at += this.stdinChunk) {
      await this.writeChunk(bytes.subarray(at, at + this.stdinChunk));
    }
  }

  /** Ends the guest's stdin (it reads end of file after what was written). */
  async closeStdin(): Promise<void> {
    await this.conn.requestWithBarrier({ case: "stdinClose", value: { execId: this.wireId } });
  }

  /**
   * Delivers `signal` (a name such as `"SIGTERM"`, or a number); every signal ends the guest,
   * which exits with 128 + N. Resolves `false` when the exec had already ended.
   */
  async kill(signal: string | number = "SIGKILL"): Promise<boolean> {
    if (this.settled) {
      return false;
    }
    const value =
      typeof signal === "number"
        ? { execId: this.wireId, signal }
        : { execId: this.wireId, signalName: signal };
    try {
      await this.conn.requestWithBarrier({ case: "kill", value });
      return true;
    } catch (error) {
      if (error instanceof AgentosError && error.code === "UNKNOWN_EXEC") {
        return false;
      }
      throw error;
    }
  }

  /** How the exec ended; may be awaited any number of times. @throws AgentosError on refusal or death. */
  wait(): Promise<ExitStatus> {
    return this.exit;
  }

  /** @internal All output not read as a stream, once the exec has ended (for `run`). */
  takeOutput(): { stdout: Buffer; stderr: Buffer } {
    return { stdout: this.out.takeAll(), stderr: this.err.takeAll() };
  }

  private async writeChunk(data: Uint8Array): Promise<void> {
    let backoff = STDIN_RETRY_FIRST_MS;
    for (;;) {
      try {
        await this.conn.requestWithBarrier({ case: "stdinWrite", value: { execId: this.wireId, data } });
        return;
      } catch (error) {
        if (!(error instanceof AgentosError) || error.code !== "STDIN_LIMIT" || this.settled) {
          throw error;
        }
      }
      await sleep(backoff);
      backoff = Math.min(backoff * 2, STDIN_RETRY_MAX_MS);
    }
  }

  private finish(settle: () => void): void {
    if (this.settled) {
      return;
    }
    this.settled = true;
    this.out.close();
    this.err.close();
    settle();
  }
}
