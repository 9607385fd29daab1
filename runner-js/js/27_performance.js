// 27_performance.js: the `performance` global's object (perf_hooks adds the rest of its API to
// this object when it loads).

import { ObjectDefineProperty, SymbolToStringTag } from './00_primordials.js';
import { msSinceStart } from './20_exit.js';

function performanceNow() {
  return msSinceStart();
}

export const performanceObject = {};
ObjectDefineProperty(performanceObject, 'now', {
  __proto__: null,
  value: function now() {
    return performanceNow();
  },
  writable: true,
  enumerable: true,
  configurable: true,
});
ObjectDefineProperty(performanceObject, 'timeOrigin', {
  __proto__: null,
  value: 0,
  writable: false,
  enumerable: true,
  configurable: true,
});
ObjectDefineProperty(performanceObject, SymbolToStringTag, {
  __proto__: null,
  value: 'Performance',
  configurable: true,
});
