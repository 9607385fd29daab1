// 27_performance.js: the `performance` global's object (perf_hooks adds the rest of its API to
// this object when it loads).

import {
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  SymbolToStringTag,
} from './00_primordials.js';
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

/** The User Timing part of the object, defined by perf_hooks when it loads. */
export const USER_TIMING = [
  'mark',
  'measure',
  'getEntries',
  'getEntriesByName',
  'getEntriesByType',
  'clearMarks',
  'clearMeasures',
  'clearResourceTimings',
  'setResourceTimingBufferSize',
  'timerify',
  'eventLoopUtilization',
  'toJSON',
];

/** Until perf_hooks loads, each User Timing method is an accessor that loads it (by `load`), so
 * `performance.mark()` works without `require('perf_hooks')`, as in Node. */
export function deferUserTiming(load) {
  for (let i = 0; i < USER_TIMING.length; i++) {
    const name = USER_TIMING[i];
    ObjectDefineProperty(performanceObject, name, {
      __proto__: null,
      get() {
        load();
        const own = ObjectGetOwnPropertyDescriptor(performanceObject, name);
        return own !== undefined && 'value' in own ? own.value : undefined;
      },
      set(value) {
        ObjectDefineProperty(performanceObject, name, {
          __proto__: null,
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      },
      enumerable: true,
      configurable: true,
    });
  }
}
