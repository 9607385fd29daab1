/** Network asks: the host's verdict on a `NetRequest` an `ask:` rule sent, from `net.onAsk`. */

import type { Connection } from "./connection.js";
import { messageOf } from "./errors.js";
import type { pb } from "./protocol.js";
import type { NetAsk, NetOptions } from "./types.js";

function toNetAsk(request: pb.NetRequest): NetAsk {
  return {
    id: Number(request.netRequestId),
    scheme: request.scheme,
    host: request.host,
    ip: request.ip,
    port: request.port,
    rule: request.rule,
    method: request.method,
    url: request.url,
  };
}

/**
 * Answers `request` with `net.onAsk`'s verdict (`true` allows; `false` or a message refuses; a
 * throw refuses with its message); without `onAsk`, refuses at once. A reply the sidecar no
 * longer wants (the exec ended) is dropped.
 */
export function answerAsk(conn: Connection, net: NetOptions | undefined, request: pb.NetRequest): void {
  const reply = (allow: boolean, message: string): void => {
    try {
      conn.sendOnly({
        case: "netReply",
        value: { execId: request.execId, netRequestId: request.netRequestId, allow, message },
      });
    } catch {
      // The sidecar is gone or shutting down: the guest's attempt ends with the exec.
    }
  };
  const onAsk = net?.onAsk;
  if (onAsk === undefined) {
    reply(false, "the host answers no asks (no net.onAsk)");
    return;
  }
  Promise.resolve()
    .then(() => onAsk(toNetAsk(request)))
    .then(
      (verdict) => reply(verdict === true, typeof verdict === "string" ? verdict : ""),
      (error: unknown) => reply(false, messageOf(error)),
    );
}
