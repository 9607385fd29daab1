// lib/internal__fs_stat_watcher.js: `fs.watchFile`, `fs.unwatchFile` and their `StatWatcher`,
// by polling `stat` on a timer as libuv's fs_poll does (Node's default interval, 5007 ms). A
// change of size, times, inode, mode or owner emits `change(curr, prev)`; a file that is
// missing reads as all-zero stats, and a file that stays missing emits once. One watcher per
// resolved path, shared by every listener; it keeps the loop alive while `persistent`.
import {
  FunctionPrototypeCall,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeSet,
  ObjectSetPrototypeOf,
} from '../js/00_primordials.js';
import { validateFunction } from '../js/06_errors.js';
import { nextTick } from '../js/21_ticks.js';
import { clearInterval, setInterval } from '../js/24_timers.js';
import { pathResolve } from '../js/40_path.js';
import { Stats } from '../js/43_fs_stats.js';
import { createEventsModule } from '../js/47_node_events.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';
import { watchPath } from './internal__fs_watcher.js';

const EventEmitter = createEventsModule();
const watchers = new MapCtor(); // resolved path -> StatWatcher
const ZERO = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
const FIELDS = ['dev', 'ino', 'mode', 'uid', 'gid', 'size', 'mtimeMs', 'ctimeMs', 'birthtimeMs'];

export function StatWatcher(bigint) {
  FunctionPrototypeCall(EventEmitter, this);
  this._bigint = !!bigint;
  this._timer = null;
  this._prev = ZERO;
  this._missing = false;
}
ObjectSetPrototypeOf(StatWatcher.prototype, EventEmitter.prototype);
ObjectSetPrototypeOf(StatWatcher, EventEmitter);

function statOf(watcher, path) {
  try {
    return cjsBuiltin('fs').statSync(path, { bigint: watcher._bigint });
  } catch {
    return null;
  }
}

function same(a, b) {
  for (let i = 0; i < FIELDS.length; i++) {
    if (a[FIELDS[i]] !== b[FIELDS[i]]) return false;
  }
  return true;
}

function poll(watcher, path) {
  const curr = statOf(watcher, path);
  if (curr === null) {
    if (watcher._missing) return;
    watcher._missing = true;
    const prev = watcher._prev;
    watcher._prev = ZERO;
    watcher.emit('change', ZERO, prev);
    return;
  }
  watcher._missing = false;
  if (same(curr, watcher._prev)) return;
  const prev = watcher._prev;
  watcher._prev = curr;
  watcher.emit('change', curr, prev);
}

function start(watcher, path, persistent, interval) {
  const first = statOf(watcher, path);
  // A file missing at the start is reported once, at the first poll (libuv's first stat fails).
  if (first !== null) watcher._prev = first;
  watcher._timer = setInterval(() => poll(watcher, path), interval);
  if (!persistent) watcher._timer.unref();
}

StatWatcher.prototype.stop = function () {
  if (this._timer === null) return;
  nextTick(() => this.emit('stop'));
  clearInterval(this._timer);
  this._timer = null;
};

StatWatcher.prototype.ref = function () {
  if (this._timer !== null) this._timer.ref();
  return this;
};

StatWatcher.prototype.unref = function () {
  if (this._timer !== null) this._timer.unref();
  return this;
};

function resolvedPath(filename) {
  return pathResolve(watchPath(filename));
}

/** `fs.watchFile(filename[, options], listener)`. */
export function watchFile(filename, options, listener) {
  const path = resolvedPath(filename);
  if (options === null || typeof options !== 'object') {
    listener = options;
    options = null;
  }
  const settings = { interval: 5007, persistent: true, ...options };
  validateFunction(listener, 'listener');
  let watcher = MapPrototypeGet(watchers, path);
  if (watcher === undefined) {
    watcher = new StatWatcher(settings.bigint);
    start(watcher, path, settings.persistent, settings.interval);
    MapPrototypeSet(watchers, path, watcher);
  } else if (settings.persistent) {
    watcher.ref();
  }
  watcher.addListener('change', listener);
  return watcher;
}

/** `fs.unwatchFile(filename[, listener])`. */
export function unwatchFile(filename, listener) {
  const path = resolvedPath(filename);
  const watcher = MapPrototypeGet(watchers, path);
  if (watcher === undefined) return;
  if (typeof listener === 'function') watcher.removeListener('change', listener);
  else watcher.removeAllListeners('change');
  if (watcher.listenerCount('change') === 0) {
    watcher.stop();
    MapPrototypeDelete(watchers, path);
  }
}
