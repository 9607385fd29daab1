// 29_net.js: the exec's network operations as the runner sees them. A lazy builtin (fetch,
// http, dns, net) starts an operation with a `net*` native, which returns its id, and tracks it
// here with a handler; `runner.netEvent(kind, id, value)` (called by Rust for every event of the
// exec's network) hands each event to that handler. `done` is the last event of an operation.
import { MapCtor, MapPrototypeDelete, MapPrototypeGet, MapPrototypeSet } from './00_primordials.js';

const handlers = new MapCtor(); // op id -> (kind, value) => void

/** Sends the events of operation `id` to `handler(kind, value)` until its `done`. */
export function netTrack(id, handler) {
  MapPrototypeSet(handlers, id, handler);
}

/** One event of the exec's network (`runner.netEvent`). */
export function netDispatch(kind, id, value) {
  const handler = MapPrototypeGet(handlers, id);
  if (kind === 'done') MapPrototypeDelete(handlers, id);
  if (handler !== undefined) handler(kind, value);
}
