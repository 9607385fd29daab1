/**
 * Driving one call: host callbacks run concurrently as their `HostCall`s arrive, each answered
 * with a `HostReply` when it settles, in whatever order; the `CallResult` ends the call.
 *
 * ```text
 *  Call ──►                        ◄── ExecStarted
 *                                  ◄── HostCall{1, "search", arg}   callbacks.search(arg) ─┐
 *                                  ◄── HostCall{2, "fetch", arg}    callbacks.fetch(arg) ──┼─┐
 *  HostReply{2, value} ──►   (settled first, sent first)  ◄────────────────────────────────┘ │
 *  HostReply{1, error} ──►   (a throw: the guest's promise rejects with its message) ◄─────┘
 *                                  ◄── CallResult{ok_json | error, stats}
 * ```
 *
 * A host call the sidecar gives up on (`HostCallsCancelled`, or the call ending first) gets no
 * reply and its callback's `signal` is aborted.
 */

import type { Connection } from "./connection.js";
import { toCallLimits, toCallStats, toLimits, toNetPolicy } from "./convert.js";
import { answerAsk } from "./ask.js";
import { AgentosError, codeName, messageOf } from "./errors.js";
import { pb } from "./protocol.js";
import type { CallOptions, CallOutcome, HostCallback, NetOptions } from "./types.js";

type Reply = { case: "valueJson"; value: string } | { case: "error"; value: string };

/** Runs `source` (evaluating to `async (input, host) => value`) to its outcome. */
export function runCall<T>(conn: Connection, source: string, options: CallOptions): Promise<CallOutcome<T>> {
  const signal = options.signal;
  if (signal?.aborted) {
    return Promise.reject(new AgentosError("KILLED", "the call's signal was aborted before it started", { cause: signal.reason }));
  }
  const callbacks = options.callbacks ?? {};
  const names = Object.keys(callbacks).filter((name) => typeof callbacks[name] === "function");
  const inputJson = inputToJson(options.input);
  const id = conn.nextExecId();
  return new Promise<CallOutcome<T>>((resolve, reject) => {
    const call = new RunningCall<T>(conn, id, callbacks, resolve, reject, options.net);
    conn.addRoute(id, call);
    let started: Promise<unknown>;
    try {
      started = conn.request({
        case: "call",
        value: {
          callId: id,
          source,
          inputJson,
          callbacks: names,
          limits: toLimits(options.limits),
          callLimits: toCallLimits(options.callLimits),
          net: toNetPolicy(options.net),
        },
      });
    } catch (error) {
      conn.removeRoute(id);
      reject(error);
      return;
    }
    started.then(
      (answer) => {
        if ((answer as { case: string }).case !== "execStarted") {
          call.fail(new AgentosError("INTERNAL", `expected ExecStarted for call ${id}`));
        }
      },
      (error: AgentosError) => {
        conn.removeRoute(id);
        call.died(error);
      },
    );
    if (signal !== undefined) {
      const kill = (): void => {
        try {
          conn.sendOnly({ case: "kill", value: { execId: id, signal: 9 } });
        } catch {
          // The sidecar is gone or shutting down: the call ends without the kill.
        }
      };
      signal.addEventListener("abort", kill, { once: true });
      call.onDone = () => signal.removeEventListener("abort", kill);
    }
  });
}

/** JSON text of the call's input. @throws AgentosError `SERIALIZATION_ERROR`. */
function inputToJson(input: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(input ?? null);
  } catch (error) {
    throw new AgentosError("SERIALIZATION_ERROR", `the call's input is not JSON: ${messageOf(error)}`, { cause: error });
  }
  if (json === undefined) {
    throw new AgentosError("SERIALIZATION_ERROR", `the call's input is not JSON (a ${typeof input})`);
  }
  return json;
}

/** The state of one call between its request and its `CallResult`. */
class RunningCall<T> {
  /** Host calls whose callbacks are running, by host call id. */
  private readonly running = new Map<bigint, AbortController>();
  private readonly stdout: Uint8Array[] = [];
  private readonly stderr: Uint8Array[] = [];
  private done = false;
  onDone: (() => void) | undefined;

  constructor(
    private readonly conn: Connection,
    private readonly id: bigint,
    private readonly callbacks: Record<string, HostCallback>,
    private readonly resolve: (outcome: CallOutcome<T>) => void,
    private readonly reject: (error: AgentosError) => void,
    private readonly net?: NetOptions,
  ) {}

  netRequest(request: pb.NetRequest): void {
    answerAsk(this.conn, this.net, request);
  }

  output(stream: pb.Stream, data: Uint8Array): void {
    if (stream === pb.Stream.STDOUT) {
      this.stdout.push(data);
    } else if (stream === pb.Stream.STDERR) {
      this.stderr.push(data);
    }
  }

  hostCall(call: pb.HostCall): void {
    const hostCallId = call.hostCallId;
    const controller = new AbortController();
    this.running.set(hostCallId, controller);
    invoke(this.callbacks, call, controller.signal).then(
      (value) => this.reply(hostCallId, valueReply(value)),
      (error: unknown) => this.reply(hostCallId, { case: "error", value: messageOf(error) }),
    );
  }

  cancelled(hostCallIds: bigint[]): void {
    for (const id of hostCallIds) {
      this.running.get(id)?.abort(new AgentosError("KILLED", `host call ${id} was cancelled by the sidecar`));
      this.running.delete(id);
    }
  }

  result(result: pb.CallResult): void {
    const stats = toCallStats(result.stats);
    const logs = { stdout: Buffer.concat(this.stdout).toString("utf8"), stderr: Buffer.concat(this.stderr).toString("utf8") };
    const outcome = result.outcome;
    if (outcome.case === "okJson") {
      let value: T;
      try {
        value = JSON.parse(outcome.value) as T;
      } catch (error) {
        this.fail(new AgentosError("INTERNAL", `call ${this.id}'s result is not JSON: ${messageOf(error)}`));
        return;
      }
      this.end(() => this.resolve({ ok: true, value, stats, ...logs }));
    } else if (outcome.case === "error") {
      const e = outcome.value;
      const error = { code: codeName(e.code), message: e.message, ...(e.stack === "" ? {} : { stack: e.stack }) };
      this.end(() => this.resolve({ ok: false, error, stats, ...logs }));
    } else {
      this.fail(new AgentosError("INTERNAL", `call ${this.id}'s result has no outcome`));
    }
  }

  died(error: AgentosError): void {
    this.end(() => this.reject(error));
  }

  /** Ends the call with a protocol violation, killing it in the sidecar. */
  fail(error: AgentosError): void {
    this.conn.removeRoute(this.id);
    try {
      this.conn.sendOnly({ case: "kill", value: { execId: this.id, signal: 9 } });
    } catch {
      // Nothing more to stop.
    }
    this.end(() => this.reject(error));
  }

  private end(settle: () => void): void {
    if (this.done) {
      return;
    }
    this.done = true;
    for (const [id, controller] of this.running) {
      controller.abort(new AgentosError("KILLED", `call ${this.id} ended before host call ${id} was answered`));
    }
    this.running.clear();
    this.onDone?.();
    settle();
  }

  private reply(hostCallId: bigint, result: Reply): void {
    // A host call that was cancelled, or outlived its call, gets no reply.
    if (this.done || !this.running.delete(hostCallId)) {
      return;
    }
    try {
      this.send(hostCallId, result);
    } catch (error) {
      if (error instanceof AgentosError && error.code === "FRAME_TOO_LARGE") {
        const size = result.value.length;
        const message = `the host reply of ${size} characters exceeds the sidecar's ${this.conn.maxFrame}-byte frame`;
        this.sendQuietly(hostCallId, { case: "error", value: message });
      }
      // Otherwise the sidecar is gone: the call's route reports that.
    }
  }

  private send(hostCallId: bigint, result: Reply): void {
    this.conn.sendOnly({ case: "hostReply", value: { callId: this.id, hostCallId, result } });
  }

  private sendQuietly(hostCallId: bigint, result: Reply): void {
    try {
      this.send(hostCallId, result);
    } catch {
      // The sidecar is gone: the call's route reports that.
    }
  }
}

/** Runs the callback a host call names; unknown names and non-JSON arguments reject. */
async function invoke(callbacks: Record<string, HostCallback>, call: pb.HostCall, signal: AbortSignal): Promise<unknown> {
  // Own properties only: a guest naming `constructor` or `__proto__` reaches nothing.
  const callback = Object.hasOwn(callbacks, call.name) ? callbacks[call.name] : undefined;
  if (typeof callback !== "function") {
    throw new Error(`no host callback named ${JSON.stringify(call.name)}`);
  }
  let arg: unknown;
  try {
    arg = JSON.parse(call.argJson);
  } catch (error) {
    throw new Error(`the host call's argument is not JSON: ${messageOf(error)}`);
  }
  return await callback(arg, { name: call.name, signal });
}

/** The reply for a callback's value; one that is not JSON becomes an error for the guest. */
function valueReply(value: unknown): Reply {
  try {
    return { case: "valueJson", value: JSON.stringify(value) ?? "null" };
  } catch (error) {
    return { case: "error", value: `the host callback returned a value that is not JSON: ${messageOf(error)}` };
  }
}
