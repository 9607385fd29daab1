// 29_children.js: where the engine's child-process events (runner.childEvent) find the
// ChildProcess they belong to (lib/child_process.js registers one handler per child).

import { MapCtor, MapPrototypeDelete, MapPrototypeGet, MapPrototypeSet } from './00_primordials.js';

const handlers = new MapCtor();

export function onChildEvent(id, handler) {
  MapPrototypeSet(handlers, id, handler);
}

// kind 1: stdout bytes, 2: stderr bytes, 3: exit (data: code, signal: the signal or 0).
export function childEvent(id, kind, data, signal) {
  const handler = MapPrototypeGet(handlers, id);
  if (kind === 3) MapPrototypeDelete(handlers, id);
  if (handler !== undefined) handler(kind, data, signal);
}
