// lib/internal__fs_watcher.js: `fs.watch` and `fs.promises.watch` by polling. The sandbox's
// filesystem has no change notifications, so a watcher takes a snapshot of its target (a file's
// stat; a directory's entries and their stats; with `recursive`, the whole tree, at most
// MAX_ENTRIES entries) every POLL_MS (longer for a tree that takes long to read) and reports
// the difference as inotify would: an entry that appeared or went away is `rename`, one whose
// size, times or inode changed is `change`, each with the name relative to the watched
// directory (a watched file reports its own name).
// Changes undone within one interval are not seen. A watcher keeps the loop alive while
// `persistent` (the default) until `close()`.
import {
  ArrayPrototypePush,
  ArrayPrototypeShift,
  DateNow,
  FunctionPrototypeCall,
  MapCtor,
  MapPrototypeGet,
  MapPrototypeGetSize,
  MapPrototypeHas,
  MapPrototypeSet,
  MathMax,
  ObjectSetPrototypeOf,
  PromiseCtor,
  StringPrototypeReplace,
  SymbolAsyncIterator,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeAbortError, makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { nextTick } from '../js/21_ticks.js';
import { clearTimeout, setTimeout } from '../js/24_timers.js';
import { pathBasename, pathResolve } from '../js/40_path.js';
import { createEventsModule } from '../js/47_node_events.js';
import { lazyBuiltinModule } from '../js/49_lazy.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';

const EventEmitter = createEventsModule();
/** How often a watcher looks. */
const POLL_MS = 50;
/** Entries one watcher keeps track of (a recursive watch of a huge tree stops there). */
const MAX_ENTRIES = 8192;

// A directory counts as changed only when it is replaced: its own times change with its
// entries, which inotify reports for the entries, not for the directory in its parent.
function fingerprint(st) {
  if (st.isDirectory()) return `${st.ino}:${st.mode}`;
  return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.mode}`;
}

/** name -> fingerprint for a directory (and, recursive, its subdirectories). */
function snapshotDir(fs, root, recursive) {
  const out = new MapCtor();
  const names = [];
  const pending = [''];
  while (pending.length > 0 && MapPrototypeGetSize(out) < MAX_ENTRIES) {
    const rel = ArrayPrototypeShift(pending);
    let entries;
    try {
      entries = fs.readdirSync(rel === '' ? root : `${root}/${rel}`);
    } catch {
      continue;
    }
    for (let i = 0; i < entries.length && MapPrototypeGetSize(out) < MAX_ENTRIES; i++) {
      const name = rel === '' ? entries[i] : `${rel}/${entries[i]}`;
      let st;
      try {
        st = fs.lstatSync(`${root}/${name}`);
      } catch {
        continue;
      }
      MapPrototypeSet(out, name, fingerprint(st));
      ArrayPrototypePush(names, name);
      if (recursive && st.isDirectory()) ArrayPrototypePush(pending, name);
    }
  }
  return { names, prints: out };
}

function snapshot(watcher) {
  const fs = cjsBuiltin('fs');
  let st;
  try {
    st = fs.statSync(watcher._path);
  } catch {
    return null;
  }
  if (!st.isDirectory()) return fingerprint(st);
  return snapshotDir(fs, watcher._path, watcher._recursive);
}

function encodeName(name, encoding) {
  if (encoding === 'utf8' || encoding === 'utf-8') return name;
  const buffer = lazyBuiltinModule('buffer').Buffer.from(name);
  return encoding === 'buffer' ? buffer : buffer.toString(encoding);
}

function report(watcher, eventType, name) {
  watcher.emit('change', eventType, encodeName(name, watcher._encoding));
}

function poll(watcher) {
  const before = watcher._snapshot;
  const after = snapshot(watcher);
  watcher._snapshot = after;
  if (
    typeof before === 'string' ||
    before === null ||
    typeof after === 'string' ||
    after === null
  ) {
    if (before === after) return;
    const name = pathBasename(watcher._path);
    if (typeof before === 'string' && typeof after === 'string') report(watcher, 'change', name);
    else report(watcher, 'rename', name);
    return;
  }
  const afterNames = after.names;
  for (let i = 0; i < afterNames.length; i++) {
    const name = afterNames[i];
    const old = MapPrototypeGet(before.prints, name);
    if (old === undefined) report(watcher, 'rename', name);
    else if (old !== MapPrototypeGet(after.prints, name)) report(watcher, 'change', name);
  }
  const beforeNames = before.names;
  for (let i = 0; i < beforeNames.length; i++) {
    if (!MapPrototypeHas(after.prints, beforeNames[i])) report(watcher, 'rename', beforeNames[i]);
  }
}

export function FSWatcher() {
  FunctionPrototypeCall(EventEmitter, this);
  this._timer = null;
  this._refed = true;
  this._closed = false;
}

// The next look after at least POLL_MS, and at least four times what the last one took, so a
// watcher of a large tree never keeps the guest's thread more than a fifth of the time.
function schedule(watcher, delay) {
  watcher._timer = setTimeout(() => {
    const began = DateNow();
    poll(watcher);
    if (watcher._closed) return;
    schedule(watcher, MathMax(POLL_MS, (DateNow() - began) * 4));
  }, delay);
  if (!watcher._refed) watcher._timer.unref();
}
ObjectSetPrototypeOf(FSWatcher.prototype, EventEmitter.prototype);
ObjectSetPrototypeOf(FSWatcher, EventEmitter);

FSWatcher.prototype.close = function () {
  if (this._closed) return;
  this._closed = true;
  if (this._timer !== null) clearTimeout(this._timer);
  this._timer = null;
  nextTick(() => this.emit('close'));
};

FSWatcher.prototype.ref = function () {
  this._refed = true;
  if (this._timer !== null) this._timer.ref();
  return this;
};

FSWatcher.prototype.unref = function () {
  this._refed = false;
  if (this._timer !== null) this._timer.unref();
  return this;
};

// The path a watch API was given (a string, a Buffer or a file: URL), as a string.
export function watchPath(filename) {
  if (typeof filename === 'string') return filename;
  const { Buffer } = lazyBuiltinModule('buffer');
  if (Buffer.isBuffer(filename)) return filename.toString();
  if (filename !== null && typeof filename === 'object' && filename.href !== undefined) {
    return lazyBuiltinModule('url').fileURLToPath(filename);
  }
  throw makeInvalidArgType('filename', 'string or an instance of Buffer or URL', filename);
}

function watchOptions(options) {
  if (typeof options === 'string') options = { encoding: options };
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') throw makeInvalidArgType('options', 'object', options);
  const encoding = options.encoding ?? 'utf8';
  if (encoding !== 'buffer' && !lazyBuiltinModule('buffer').Buffer.isEncoding(encoding)) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      `The argument 'encoding' is invalid encoding. Received ${encoding}`,
    );
  }
  return {
    persistent: options.persistent !== false,
    recursive: options.recursive === true,
    encoding,
    signal: options.signal,
  };
}

// As Node: the target must exist when the watch starts (`ENOENT: ..., watch '/path'`).
function missingTarget(path) {
  try {
    cjsBuiltin('fs').statSync(path);
  } catch (err) {
    err.message = StringPrototypeReplace(err.message, ', stat ', ', watch ');
    err.syscall = 'watch';
    throw err;
  }
}

function start(filename, settings) {
  const watcher = new FSWatcher();
  watcher._path = pathResolve(watchPath(filename));
  watcher._recursive = settings.recursive;
  watcher._encoding = settings.encoding;
  watcher._snapshot = snapshot(watcher);
  if (watcher._snapshot === null) missingTarget(watcher._path);
  watcher._refed = settings.persistent;
  schedule(watcher, POLL_MS);
  return watcher;
}

/** `fs.watch(filename[, options][, listener])`. */
export function watch(filename, options, listener) {
  if (typeof options === 'function') {
    listener = options;
    options = undefined;
  }
  const path = watchPath(filename);
  const settings = watchOptions(options);
  const watcher = start(path, settings);
  if (typeof listener === 'function') watcher.on('change', listener);
  const signal = settings.signal;
  if (signal !== undefined) {
    if (signal.aborted) nextTick(() => watcher.close());
    else signal.addEventListener('abort', () => watcher.close(), { once: true });
  }
  return watcher;
}

/** `fs.promises.watch(filename[, options])`: an async iterator of `{ eventType, filename }`. */
export function watchIterator(filename, options) {
  const settings = watchOptions(options);
  const signal = settings.signal;
  const path = watchPath(filename);
  const events = [];
  let waiting = null;
  let watcher = null;
  const wake = () => {
    if (waiting === null) return;
    const resolve = waiting;
    waiting = null;
    resolve();
  };
  const ensure = () => {
    if (watcher !== null) return;
    watcher = start(path, settings);
    watcher.on('change', (eventType, name) => {
      ArrayPrototypePush(events, { eventType, filename: name });
      wake();
    });
    signal?.addEventListener('abort', wake, { once: true });
  };
  const finish = (value) => {
    watcher?.close();
    return { value, done: true };
  };
  return {
    async next() {
      if (signal?.aborted) {
        watcher?.close();
        throw makeAbortError(signal);
      }
      ensure();
      while (events.length === 0 && !watcher._closed && !signal?.aborted) {
        await new PromiseCtor((resolve) => {
          waiting = resolve;
        });
      }
      if (signal?.aborted) {
        watcher.close();
        throw makeAbortError(signal);
      }
      if (events.length === 0) return finish(undefined);
      return { value: ArrayPrototypeShift(events), done: false };
    },
    async return(value) {
      return finish(value);
    },
    [SymbolAsyncIterator]() {
      return this;
    },
  };
}
