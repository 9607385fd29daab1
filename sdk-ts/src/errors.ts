/**
 * The SDK's one error type, {@link AgentosError}, whose `code` is a name from the protocol's
 * `ErrorCode` enum (generated from `proto/agentos.proto`).
 *
 * Host-side failures that the protocol has no code of its own for are mapped onto the nearest
 * one: no sidecar binary, a spawn failure or a handshake that never completes are
 * `SIDECAR_DIED` (there is no usable sidecar process); an event that makes no sense for the
 * request is `INTERNAL`; a request after `shutdown()` is `SHUTTING_DOWN`; an `AbortSignal` that
 * was already aborted is `KILLED`.
 */

import { ErrorCode } from "./gen/agentos_pb.js";

/** The name of a protocol error code, e.g. `"TIMEOUT"`; never `ERROR_CODE_UNSPECIFIED`. */
export type ErrorCodeName = Exclude<keyof typeof ErrorCode, "ERROR_CODE_UNSPECIFIED">;

/** The name of wire code `code`; an unknown number (a newer sidecar) is `INTERNAL`. */
export function codeName(code: number): ErrorCodeName {
  const name = ErrorCode[code] as keyof typeof ErrorCode | undefined;
  if (name === undefined || name === "ERROR_CODE_UNSPECIFIED") {
    return "INTERNAL";
  }
  return name;
}

/** The message of a thrown value: an `Error`'s `message`, anything else as a string. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Extra detail carried by an {@link AgentosError}. */
export interface AgentosErrorOptions {
  /** The exec or call the failed request named, when there is one. */
  execId?: number;
  /** The underlying error (a spawn failure, the abort reason, ...). */
  cause?: unknown;
}

/** Every error the SDK throws or rejects with. */
export class AgentosError extends Error {
  /** Stable code from the protocol's `ErrorCode`, e.g. `"SIDECAR_DIED"`. */
  readonly code: ErrorCodeName;
  /** The exec or call the failed request named, when there is one. */
  readonly execId: number | undefined;

  constructor(code: ErrorCodeName, message: string, options: AgentosErrorOptions = {}) {
    super(`${code}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AgentosError";
    this.code = code;
    this.execId = options.execId;
  }
}
