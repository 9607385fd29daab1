// 29_net.js: the exec's network operations as the runner sees them. A lazy builtin (fetch,
// http, dns, net) starts an operation with a `net*` native, which returns its id, and tracks it
// here with a handler; `runner.netEvent(kind, id, value)` (called by Rust for every event of the
// exec's network) hands each event to that handler. `done` is the last event of an operation.
// A socket or server also names itself as the operation's owner: Node's handle, as
// `process._getActiveHandles()` and `getActiveResourcesInfo()` list it.
import {
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeForEach,
  MapPrototypeGet,
  MapPrototypeSet,
} from './00_primordials.js';
import { listPush, newList } from './01_helpers.js';

const handlers = new MapCtor(); // op id -> (kind, value) => void
const owners = new MapCtor(); // op id -> { owner, resource } (sockets and servers)

/**
 * Sends the events of operation `id` to `handler(kind, value)` until its `done`; `owner` (a
 * socket or server whose `_refed` says whether it keeps the loop alive) is the operation's
 * handle, of Node's type `resource` ('TCPSocketWrap', 'TCPServerWrap').
 */
export function netTrack(id, handler, owner = undefined, resource = undefined) {
  MapPrototypeSet(handlers, id, handler);
  if (owner !== undefined) MapPrototypeSet(owners, id, { __proto__: null, owner, resource });
}

/** The referenced, undestroyed handles of the exec's network: `{ owner, resource }` each. */
export function netActiveHandles() {
  const live = newList();
  MapPrototypeForEach(owners, (handle) => {
    const owner = handle.owner;
    if (owner._refed !== false && owner.destroyed !== true && owner._closing !== true) {
      listPush(live, handle);
    }
  });
  return live;
}

/** One event of the exec's network (`runner.netEvent`). */
export function netDispatch(kind, id, value) {
  const handler = MapPrototypeGet(handlers, id);
  if (kind === 'done') {
    MapPrototypeDelete(handlers, id);
    MapPrototypeDelete(owners, id);
  }
  if (handler !== undefined) handler(kind, value);
}
