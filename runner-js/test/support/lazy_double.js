// A JS double of the 'agentos:lazy' pseudo-module for unit tests under the host's Node: the
// runner's internals as an empty object and no lazy builtins (tests import lib/ files directly).
export const LAZY_BUILTINS = Object.freeze([]);

export function internals() {
  return Object.freeze({ __proto__: null });
}
