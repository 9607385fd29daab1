/**
 * Encoding requests and decoding events with the types generated from `proto/agentos.proto`
 * (`src/gen/`, made by `npm run gen`; never edited by hand).
 */

import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { EventSchema, RequestSchema, type Event, type Request } from "./gen/agentos_pb.js";

export * as pb from "./gen/agentos_pb.js";

/** The protocol version this SDK speaks (`agentos_proto::PROTOCOL_VERSION`). */
export const PROTOCOL_VERSION = 1;

/** One request's `kind`, as the generated `Request` type spells it. */
export type RequestKind = MessageInitShape<typeof RequestSchema>["kind"];
/** One event's `kind` (never the empty case: such events are dropped when routed). */
export type EventKind = Exclude<Event["kind"], { case: undefined }>;

/** The payload of request `kind` under `requestId`. */
export function encodeRequest(requestId: bigint, kind: RequestKind): Uint8Array {
  const request: Request = create(RequestSchema, { requestId, kind });
  return toBinary(RequestSchema, request);
}

/** The event in `payload`; throws on bytes that are not an `Event`. */
export function decodeEvent(payload: Uint8Array): Event {
  return fromBinary(EventSchema, payload);
}
