/**
 * The transport's framing, the only part of the protocol not generated: a 4-byte big-endian
 * payload length, then the payload (one protobuf message).
 *
 * ```text
 *  +----------------+---------------------------+
 *  | len: u32 BE    | payload: len bytes        |   len <= max frame bytes
 *  +----------------+---------------------------+
 * ```
 *
 * The length is checked against the maximum before anything is buffered for the payload, in
 * both directions: an outgoing frame over the maximum is refused before it is written, and an
 * incoming length over it is an error (the stream cannot be resynchronised after it).
 */

import { AgentosError } from "./errors.js";

/** Bytes of the length prefix. */
export const HEADER_LEN = 4;
/** The sidecar's default frame limit (`AGENTOS_MAX_FRAME_BYTES`), until its `HelloAck` says. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Payloads at least this large are written after their header instead of copied into one buffer. */
const COPY_LIMIT = 64 * 1024;

/**
 * The frame for `payload` as one or two buffers to write in order.
 *
 * @throws AgentosError `FRAME_TOO_LARGE` when `payload` exceeds `max` (nothing is produced).
 */
export function encodeFrame(payload: Uint8Array, max: number): Uint8Array[] {
  if (payload.length > max) {
    throw new AgentosError(
      "FRAME_TOO_LARGE",
      `a request of ${payload.length} bytes exceeds the sidecar's ${max}-byte frame limit; nothing was sent`,
    );
  }
  if (payload.length >= COPY_LIMIT) {
    const header = Buffer.allocUnsafe(HEADER_LEN);
    header.writeUInt32BE(payload.length, 0);
    return [header, payload];
  }
  const frame = Buffer.allocUnsafe(HEADER_LEN + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.set(payload, HEADER_LEN);
  return [frame];
}

/** Why the incoming byte stream cannot be read as frames. */
export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FrameError";
  }
}

/**
 * Splits a byte stream, fed in arbitrary chunks, into frame payloads.
 *
 * Payloads are views into the fed chunks (no copy when a chunk holds whole frames); a frame that
 * spans chunks is assembled once, when its last byte arrives.
 */
export class FrameDecoder {
  /** Bytes received but not yet returned as payloads, in order. */
  private parts: Uint8Array[] = [];
  private size = 0;
  /** Bytes `parts` must hold before another payload can be complete. */
  private need = HEADER_LEN;

  constructor(private max: number) {}

  /** Changes the largest accepted payload (from `HelloAck.max_frame_bytes`). */
  setMax(max: number): void {
    this.max = max;
  }

  /**
   * Adds `chunk` and returns every payload now complete, in order.
   *
   * @throws FrameError when a length exceeds the maximum.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size < this.need) {
      return [];
    }
    const buf = this.parts.length === 1 ? chunk : Buffer.concat(this.parts, this.size);
    const frames: Uint8Array[] = [];
    let at = 0;
    this.need = HEADER_LEN;
    while (buf.length - at >= HEADER_LEN) {
      const len = readLength(buf, at);
      if (len > this.max) {
        throw new FrameError(`the sidecar sent a ${len}-byte frame, over the ${this.max}-byte limit`);
      }
      if (buf.length - at - HEADER_LEN < len) {
        this.need = HEADER_LEN + len;
        break;
      }
      frames.push(buf.subarray(at + HEADER_LEN, at + HEADER_LEN + len));
      at += HEADER_LEN + len;
    }
    this.parts = at === buf.length ? [] : [buf.subarray(at)];
    this.size = buf.length - at;
    return frames;
  }

  /**
   * Checks the stream ended on a frame boundary.
   *
   * @throws FrameError when it ended inside a frame.
   */
  finish(): void {
    if (this.size > 0) {
      throw new FrameError(`the sidecar's stream ended inside a frame (${this.size} bytes left over)`);
    }
  }
}

function readLength(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) >>> 0) + (buf[at + 1]! << 16) + (buf[at + 2]! << 8) + buf[at + 3]!;
}
