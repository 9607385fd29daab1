/**
 * The connection core: request ids, routing tables, and settling everything when the sidecar
 * goes away.
 *
 * ```text
 *  callers ── encode (FRAME_TOO_LARGE here: nothing written) ──► sidecar stdin
 *                                                                     │
 *  pending[request_id] ◄──┐                                           ▼
 *  routes[exec_id]     ◄──┴── route ◄── decode ◄── FrameDecoder ◄── sidecar stdout
 * ```
 *
 * Replies (`HelloAck`, `ExecStarted`, `Pong`, `StatsReply`, `RequestError`) settle the waiter of
 * their `request_id`; `Output`, `ExecExited` and a call's `HostCall`, `HostCallsCancelled` and
 * `CallResult` go to the route of their exec id (calls share the exec id space). The sidecar
 * answers requests in order, so a `Ping` sent after a request without a positive ack is a
 * barrier: once its `Pong` is in, any `RequestError` for that request has been routed too.
 *
 * Node runs all of this on one thread: no locks, and a route is registered before its request is
 * written, so no event can arrive for an id nobody knows.
 */

import type { Writable } from "node:stream";

import { AgentosError, codeName } from "./errors.js";
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame } from "./framing.js";
import { encodeRequest, type EventKind, type RequestKind, type pb } from "./protocol.js";

/** Where one exec's (or call's) events go. */
export interface Route {
  output(stream: pb.Stream, data: Uint8Array): void;
  /** The exec's last event; the route is already forgotten. */
  exited?(exited: pb.ExecExited): void;
  hostCall?(call: pb.HostCall): void;
  /** A connection attempt of the exec that its policy refused. */
  netDenied?(denied: pb.NetDenied): void;
  /** An `ask:` rule wants the host's verdict (answer with `NetReply`). */
  netRequest?(request: pb.NetRequest): void;
  cancelled?(hostCallIds: bigint[]): void;
  /** The call's last event; the route is already forgotten. */
  result?(result: pb.CallResult): void;
  /** The sidecar went away before the last event; the route is already forgotten. */
  died(error: AgentosError): void;
}

type Settle = (answer: EventKind | AgentosError) => void;

/** What the connection asks of its owner. */
export interface ConnectionHooks {
  /** Called when the connection turns busy (something is awaited) or idle. */
  busy(busy: boolean): void;
}

/** State shared by the sidecar handle, its execs and calls. */
export class Connection {
  /** Largest payload the sidecar accepts (from its `HelloAck`). */
  maxFrame = DEFAULT_MAX_FRAME_BYTES;
  private readonly pending = new Map<bigint, Settle>();
  private readonly routes = new Map<bigint, Route>();
  private nextRequest = 1n;
  private nextExec = 1n;
  private death: AgentosError | undefined;
  private closing = false;
  private wasBusy = false;

  constructor(
    private readonly out: Writable,
    private readonly hooks: ConnectionHooks,
  ) {}

  /** Why no request can be sent any more, if that is so. */
  get ended(): AgentosError | undefined {
    if (this.death !== undefined) {
      return this.death;
    }
    if (this.closing) {
      return new AgentosError("SHUTTING_DOWN", "the sidecar is shutting down");
    }
    return undefined;
  }

  /** Refuses every further request with `SHUTTING_DOWN` (events still arrive). */
  close(): void {
    this.closing = true;
  }

  /** The next exec (or call) id; never reused on this connection. */
  nextExecId(): bigint {
    return this.nextExec++;
  }

  /** Registers where exec `id`'s events go; before its request is written. */
  addRoute(id: bigint, route: Route): void {
    this.routes.set(id, route);
    this.refresh();
  }

  /** Forgets exec `id` (refused, or abandoned). */
  removeRoute(id: bigint): void {
    this.routes.delete(id);
    this.refresh();
  }

  /**
   * Sends `kind` and resolves with the event that answers it; a `RequestError` answer rejects
   * with its code.
   *
   * @throws AgentosError `FRAME_TOO_LARGE` (nothing written), `SHUTTING_DOWN`, `SIDECAR_DIED`.
   */
  request(kind: RequestKind): Promise<EventKind> {
    const id = this.send(kind);
    return new Promise((resolve, reject) => {
      this.pending.set(id, (answer) => {
        if (answer instanceof AgentosError) {
          reject(answer);
        } else if (answer.case === "requestError") {
          reject(refused(answer.value));
        } else {
          resolve(answer);
        }
      });
      this.refresh();
    });
  }

  /**
   * Sends `kind`, which has no positive ack (`StdinWrite`, `StdinClose`, `Kill`), then a `Ping`
   * barrier; rejects with the sidecar's `RequestError` for it, if any.
   */
  async requestWithBarrier(kind: RequestKind): Promise<void> {
    const id = this.send(kind);
    let refusal: AgentosError | undefined;
    this.pending.set(id, (answer) => {
      if (!(answer instanceof AgentosError) && answer.case === "requestError") {
        refusal = refused(answer.value);
      }
    });
    try {
      await this.request({ case: "ping", value: {} });
    } finally {
      this.pending.delete(id);
      this.refresh();
    }
    if (refusal !== undefined) {
      throw refusal;
    }
  }

  /**
   * Sends `kind` without waiting for anything; a `RequestError` for it is ignored.
   *
   * @throws AgentosError as {@link request}.
   */
  sendOnly(kind: RequestKind): void {
    this.send(kind);
  }

  /** Routes one event from the sidecar. */
  route(event: pb.Event): void {
    const kind = event.kind;
    switch (kind.case) {
      case undefined:
        return;
      case "output":
        this.routes.get(kind.value.execId)?.output(kind.value.stream, kind.value.data);
        return;
      case "execExited": {
        const route = this.take(kind.value.execId);
        route?.exited?.(kind.value);
        return;
      }
      case "hostCall":
        this.routes.get(kind.value.callId)?.hostCall?.(kind.value);
        return;
      case "netDenied":
        this.routes.get(kind.value.execId)?.netDenied?.(kind.value);
        return;
      case "netRequest":
        this.routes.get(kind.value.execId)?.netRequest?.(kind.value);
        return;
      case "hostCallsCancelled":
        this.routes.get(kind.value.callId)?.cancelled?.(kind.value.hostCallIds);
        return;
      case "callResult": {
        const route = this.take(kind.value.callId);
        route?.result?.(kind.value);
        return;
      }
      default: {
        const settle = this.pending.get(event.requestId);
        if (settle !== undefined) {
          this.pending.delete(event.requestId);
          this.refresh();
          settle(kind);
        }
      }
    }
  }

  /** Settles every waiter and route with `error`; later requests fail with it at once. */
  die(error: AgentosError): void {
    if (this.death !== undefined) {
      return;
    }
    this.death = error;
    const pending = [...this.pending.values()];
    const routes = [...this.routes.values()];
    this.pending.clear();
    this.routes.clear();
    this.refresh();
    for (const settle of pending) {
      settle(error);
    }
    for (const route of routes) {
      route.died(error);
    }
  }

  private send(kind: RequestKind): bigint {
    const ended = this.ended;
    if (ended !== undefined) {
      throw ended;
    }
    const id = this.nextRequest++;
    const frames = encodeFrame(encodeRequest(id, kind), this.maxFrame);
    if (frames.length === 1) {
      this.out.write(frames[0]);
    } else {
      this.out.cork();
      for (const frame of frames) {
        this.out.write(frame);
      }
      this.out.uncork();
    }
    return id;
  }

  private take(id: bigint): Route | undefined {
    const route = this.routes.get(id);
    if (route !== undefined) {
      this.routes.delete(id);
      this.refresh();
    }
    return route;
  }

  private refresh(): void {
    const busy = this.pending.size > 0 || this.routes.size > 0;
    if (busy !== this.wasBusy) {
      this.wasBusy = busy;
      this.hooks.busy(busy);
    }
  }
}

/** The error for a `RequestError` answer. */
export function refused(error: pb.RequestError): AgentosError {
  const execId = error.execId === 0n ? undefined : Number(error.execId);
  return new AgentosError(codeName(error.code), error.message, { execId });
}
