// lib/perf_hooks.js: `perf_hooks`: the global `performance` object gains Node's User Timing API
// (mark, measure, getEntries*, clear*, timerify, eventLoopUtilization, toJSON) when this loads;
// PerformanceObserver delivers mark/measure entries (asynchronously, as Node does);
// monitorEventLoopDelay/createHistogram return empty histograms.

import {
  ArrayPrototypeFilter,
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSort,
  ArrayPrototypeSplice,
  MapCtor,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ReflectApply,
  ReflectConstruct,
  SymbolToStringTag,
  SyntaxErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { internalNextTick } from '../js/21_ticks.js';
import { performanceObject, USER_TIMING } from '../js/27_performance.js';

const entries = [];
const observers = [];

class PerformanceEntry {
  constructor(name, entryType, startTime, duration, detail) {
    this.name = name;
    this.entryType = entryType;
    this.startTime = startTime;
    this.duration = duration;
    this.detail = detail ?? null;
  }

  toJSON() {
    return {
      name: this.name,
      entryType: this.entryType,
      startTime: this.startTime,
      duration: this.duration,
      detail: this.detail,
    };
  }
}

class PerformanceMark extends PerformanceEntry {
  constructor(name, options = undefined) {
    if (typeof name !== 'string') name = `${name}`;
    const start = options?.startTime ?? performanceObject.now();
    super(name, 'mark', start, 0, options?.detail);
  }
}

class PerformanceMeasure extends PerformanceEntry {}

function record(entry) {
  ArrayPrototypePush(entries, entry);
  for (let i = 0; i < observers.length; i++) observers[i]._enqueue(entry);
}

function mark(name, options = undefined) {
  const entry = new PerformanceMark(name, options);
  record(entry);
  return entry;
}

function markTime(nameOrTime, fallback) {
  if (nameOrTime === undefined) return fallback;
  if (typeof nameOrTime === 'number') return nameOrTime;
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i].entryType === 'mark' && entries[i].name === nameOrTime) {
      return entries[i].startTime;
    }
  }
  throw makeNodeError(
    SyntaxErrorCtor,
    'ERR_INVALID_PERFORMANCE_MARK',
    `The "${nameOrTime}" performance mark has not been set`,
  );
}

function measure(name, startOrOptions = undefined, endMark = undefined) {
  let start;
  let end;
  let detail;
  if (startOrOptions !== null && typeof startOrOptions === 'object') {
    start = markTime(startOrOptions.start, 0);
    end =
      startOrOptions.end !== undefined
        ? markTime(startOrOptions.end, 0)
        : startOrOptions.duration !== undefined
          ? start + startOrOptions.duration
          : performanceObject.now();
    detail = startOrOptions.detail;
  } else {
    start = markTime(startOrOptions, 0);
    end = markTime(endMark, performanceObject.now());
  }
  const entry = new PerformanceMeasure(`${name}`, 'measure', start, end - start, detail);
  record(entry);
  return entry;
}

function getEntries() {
  return ArrayPrototypeSlice(entries);
}

function getEntriesByName(name, type = undefined) {
  return ArrayPrototypeFilter(
    entries,
    (e) => e.name === name && (type === undefined || e.entryType === type),
  );
}

function getEntriesByType(type) {
  return ArrayPrototypeFilter(entries, (e) => e.entryType === type);
}

function clearType(type, name) {
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i].entryType === type && (name === undefined || entries[i].name === name)) {
      ArrayPrototypeSplice(entries, i, 1);
    }
  }
}

function timerify(fn) {
  if (typeof fn !== 'function') throw makeInvalidArgType('fn', 'function', fn);
  function timerified(...args) {
    const start = performanceObject.now();
    const result = new.target ? ReflectConstruct(fn, args, fn) : ReflectApply(fn, this, args);
    record(new PerformanceEntry(fn.name, 'function', start, performanceObject.now() - start));
    return result;
  }
  ObjectDefineProperty(timerified, 'name', { __proto__: null, value: `timerified ${fn.name}` });
  return timerified;
}

function eventLoopUtilization() {
  return { idle: 0, active: 0, utilization: 0 };
}

const methods = {
  mark,
  measure,
  getEntries,
  getEntriesByName,
  getEntriesByType,
  clearMarks: (name) => clearType('mark', name),
  clearMeasures: (name) => clearType('measure', name),
  clearResourceTimings: () => clearType('resource', undefined),
  setResourceTimingBufferSize: () => {},
  timerify,
  eventLoopUtilization,
  toJSON() {
    return {
      nodeTiming: {},
      timeOrigin: performanceObject.timeOrigin,
      eventLoopUtilization: eventLoopUtilization(),
    };
  },
};
{
  const names = USER_TIMING;
  for (let i = 0; i < names.length; i++) {
    // Replaces the loading accessors of 27_performance.js; a value the guest set stays.
    const own = ObjectGetOwnPropertyDescriptor(performanceObject, names[i]);
    if (own === undefined || !('value' in own)) {
      ObjectDefineProperty(performanceObject, names[i], {
        __proto__: null,
        value: methods[names[i]],
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  }
}

class PerformanceObserverEntryList {
  #list;

  constructor(list) {
    this.#list = list;
  }

  getEntries() {
    return ArrayPrototypeSlice(this.#list);
  }

  getEntriesByType(type) {
    return ArrayPrototypeFilter(this.#list, (e) => e.entryType === type);
  }

  getEntriesByName(name, type = undefined) {
    return ArrayPrototypeFilter(
      this.#list,
      (e) => e.name === name && (type === undefined || e.entryType === type),
    );
  }
}

class PerformanceObserver {
  #callback;
  #types = [];
  #queue = [];
  #scheduled = false;

  constructor(callback) {
    if (typeof callback !== 'function') throw makeInvalidArgType('callback', 'function', callback);
    this.#callback = callback;
  }

  observe(options = {}) {
    const types = options.entryTypes ?? (options.type !== undefined ? [options.type] : []);
    this.#types = ArrayPrototypeSlice(types);
    if (ArrayPrototypeIndexOf(observers, this) === -1) ArrayPrototypePush(observers, this);
    if (options.buffered) {
      for (let i = 0; i < entries.length; i++) this._enqueue(entries[i]);
    }
  }

  disconnect() {
    const i = ArrayPrototypeIndexOf(observers, this);
    if (i !== -1) ArrayPrototypeSplice(observers, i, 1);
    this.#queue = [];
  }

  takeRecords() {
    const list = this.#queue;
    this.#queue = [];
    // Node delivers a batch in start-time order (stable).
    ArrayPrototypeSort(list, (a, b) => a.startTime - b.startTime);
    return list;
  }

  _enqueue(entry) {
    if (ArrayPrototypeIndexOf(this.#types, entry.entryType) === -1) return;
    ArrayPrototypePush(this.#queue, entry);
    if (!this.#scheduled) {
      this.#scheduled = true;
      internalNextTick(() => {
        this.#scheduled = false;
        const list = this.takeRecords();
        if (list.length > 0)
          ReflectApply(this.#callback, this, [new PerformanceObserverEntryList(list), this]);
      });
    }
  }

  static get supportedEntryTypes() {
    return ['function', 'mark', 'measure'];
  }
}
ObjectDefineProperty(PerformanceObserver.prototype, SymbolToStringTag, {
  __proto__: null,
  value: 'PerformanceObserver',
  configurable: true,
});

function createHistogram() {
  return {
    min: 9223372036854776000,
    max: 0,
    mean: NaN,
    stddev: NaN,
    count: 0,
    exceeds: 0,
    percentiles: new MapCtor(),
    percentile: () => NaN,
    reset() {},
    record() {},
    recordDelta() {},
    enable() {
      return true;
    },
    disable() {
      return true;
    },
  };
}

export const moduleExports = {
  performance: performanceObject,
  PerformanceEntry,
  PerformanceMark,
  PerformanceMeasure,
  PerformanceObserver,
  PerformanceObserverEntryList,
  PerformanceResourceTiming: class PerformanceResourceTiming extends PerformanceEntry {},
  monitorEventLoopDelay: createHistogram,
  createHistogram,
  constants: {
    NODE_PERFORMANCE_GC_MAJOR: 4,
    NODE_PERFORMANCE_GC_MINOR: 1,
    NODE_PERFORMANCE_GC_INCREMENTAL: 8,
    NODE_PERFORMANCE_GC_WEAKCB: 16,
    NODE_PERFORMANCE_GC_FLAGS_NO: 0,
    NODE_PERFORMANCE_GC_FLAGS_CONSTRUCT_RETAINED: 2,
    NODE_PERFORMANCE_GC_FLAGS_FORCED: 4,
    NODE_PERFORMANCE_GC_FLAGS_SYNCHRONOUS_PHANTOM_PROCESSING: 8,
    NODE_PERFORMANCE_GC_FLAGS_ALL_AVAILABLE_GARBAGE: 16,
    NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY: 32,
    NODE_PERFORMANCE_GC_FLAGS_SCHEDULE_IDLE: 64,
  },
};
