// 46_fs.js: the `fs` builtin: the sync API, and the callback and promise forms built on it.

// ---- callback and promise forms ----

import {
  ArrayBufferIsView,
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypePop,
  ArrayPrototypeUnshift,
  BigIntCtor,
  DateNow,
  DatePrototypeGetTime,
  MathRound,
  NumberIsFinite,
  NumberMAX_SAFE_INTEGER,
  ObjectDefineProperty,
  ObjectKeys,
  PromiseCtor,
  ReflectApply,
  StringPrototypeEndsWith,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
} from './00_primordials.js';
import { isDate, kCustomPromisifyArgs } from './01_helpers.js';
import { makeInvalidArgType, validateFunction, validateInteger } from './06_errors.js';
import { emitWarning } from './23_warnings.js';
import { queueRequest } from './24_timers.js';
import { wasiFdFilestatSetTimes } from './30_wasi.js';
import { wasiPathFilestatSetTimes } from './32_wasi_fs.js';
import { nodeSet } from './40_path.js';
import { fsPathArg } from './41_fs_core.js';
import { Dirent, fsConstants, Stats } from './43_fs_stats.js';
import {
  fsAccessSync,
  fsAppendFileSync,
  fsChangeMeta,
  fsChmod,
  fsCloseSync,
  fsCopyFileSync,
  fsExistsSync,
  fsFstatSync,
  fsLstatSync,
  fsOpenSync,
  fsReadFileSync,
  fsReadSync,
  fsStatSync,
  fsTruncateSync,
  fsWriteFileSync,
  fsWriteSync,
} from './44_fs_files.js';
import {
  fsLinkSync,
  fsMkdirSync,
  fsMkdtempSync,
  fsReaddirSync,
  fsReadlinkSync,
  fsRealpathSync,
  fsRenameSync,
  fsRmdirSync,
  fsRmSync,
  fsSymlinkSync,
  fsUnlinkSync,
} from './45_fs_dirs.js';
import { loadLazyBuiltin } from './49_lazy.js';

// Runs a completion callback as Node does: later, with `this` undefined.
function fsCallback(cb, ...args) {
  ReflectApply(cb, undefined, args);
}

// One callback-form operation until its callback runs, as `process._getActiveRequests()` lists
// it (Node's request type; the operation itself is already done, its callback queued).
class FSReqCallback {}

function fsComplete(cb, ...args) {
  ArrayPrototypeUnshift(args, cb);
  queueRequest(new FSReqCallback(), fsCallback, args);
}

// A callback form of `sync`: `cb(err)` when `resultless`, else `cb(null, result)`, plus
// `extra(args)` as a third argument when given (fs.read/write/writev pass the buffer back).
// Arguments Node checks before the callback (so `ftruncate(fd, '')` names `len`, not `cb`).
const fsChecksBeforeCallback = {
  __proto__: null,
  truncate: fsCheckLenArg,
  ftruncate: fsCheckLenArg,
  read: fsCheckFdArg,
};

function fsCheckFdArg(args) {
  validateInteger(args[0], 'fd', 0, 2147483647);
}

function fsCheckLenArg(args) {
  if (args.length > 1 && typeof args[1] !== 'function') {
    validateInteger(args[1], 'len', -NumberMAX_SAFE_INTEGER, NumberMAX_SAFE_INTEGER);
  }
}

function fsMakeCallback(name, sync, resultless, extra = undefined) {
  const precheck = fsChecksBeforeCallback[name];
  const fn = function (...args) {
    let cb = args.length > 0 ? args[args.length - 1] : undefined;
    if (typeof cb !== 'function') {
      if (precheck !== undefined) precheck(args);
      throw makeInvalidArgType('cb', 'function', cb);
    }
    ArrayPrototypePop(args);
    let err = null;
    let result;
    try {
      result = ReflectApply(sync, undefined, args);
    } catch (e) {
      if (isArgumentError(e)) throw e;
      err = e;
    }
    if (resultless || err !== null) fsComplete(cb, err);
    else if (extra === undefined) fsComplete(cb, null, result);
    else fsComplete(cb, null, result, extra(args));
    cb = undefined;
  };
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: name });
  return fn;
}

// `util.promisify(fn)` resolves with `{ names[0], names[1] }`, as Node's does for fs.read & co.
function promisifiesTo(fn, names) {
  ObjectDefineProperty(fn, kCustomPromisifyArgs, { __proto__: null, value: names });
}

// The buffer (or string) fs.read/write was given: the second argument, or `options.buffer`.
function fsIoTarget(args) {
  const second = args[1];
  return typeof second === 'object' && second !== null && !ArrayBufferIsView(second)
    ? second.buffer
    : second;
}

/** `fs.writevSync`: each buffer in turn, at `position` onwards when it is a number. */
export function fsWritevSync(fd, buffers, position) {
  if (!ArrayIsArray(buffers)) throw makeInvalidArgType('buffers', 'ArrayBufferView[]', buffers);
  let written = 0;
  for (let i = 0; i < buffers.length; i++) {
    if (!ArrayBufferIsView(buffers[i])) {
      throw makeInvalidArgType('buffers', 'ArrayBufferView[]', buffers);
    }
    const at = typeof position === 'number' ? position + written : null;
    written += fsWriteSync(fd, buffers[i], 0, buffers[i].byteLength, at);
  }
  return written;
}

/** `readv`: fills `buffers` in turn from `fd` (at `position` on, when a number) until a short
 * read; the bytes read. */
export function fsReadvSync(fd, buffers, position) {
  if (!ArrayIsArray(buffers)) throw makeInvalidArgType('buffers', 'ArrayBufferView[]', buffers);
  let read = 0;
  for (let i = 0; i < buffers.length; i++) {
    if (!ArrayBufferIsView(buffers[i])) {
      throw makeInvalidArgType('buffers', 'ArrayBufferView[]', buffers);
    }
  }
  for (let i = 0; i < buffers.length; i++) {
    const want = buffers[i].byteLength;
    const at = typeof position === 'number' ? position + read : null;
    const n = fsReadSync(fd, buffers[i], 0, want, at);
    read += n;
    if (n < want) break;
  }
  return read;
}

function fsFtruncateSync(fd, len = 0) {
  if (typeof fd !== 'number') throw makeInvalidArgType('fd', 'number', fd);
  return fsTruncateSync(fd, len < 0 ? 0 : len);
}

let truncateFdWarned = false;

/** `truncate` given an fd is `ftruncate`, deprecated (DEP0081), as in Node. */
function fsTruncateAnySync(path, len) {
  if (typeof path === 'number' && !truncateFdWarned) {
    truncateFdWarned = true;
    emitWarning(
      'Using fs.truncate with a file descriptor is deprecated. Please use fs.ftruncate with ' +
        'a file descriptor instead.',
      'DeprecationWarning',
      'DEP0081',
    );
  }
  return fsTruncateSync(path, len);
}

/**
 * True for a bad-argument error (`ERR_INVALID_ARG_TYPE`, `ERR_OUT_OF_RANGE`, ..., a bad symlink
 * type): Node's callback API throws those at once; only the operation's own failures (`ENOENT`,
 * other `ERR_FS_*`) reach the callback.
 */
function isArgumentError(e) {
  const code = e?.code;
  return (
    typeof code === 'string' &&
    StringPrototypeStartsWith(code, 'ERR_') &&
    (!StringPrototypeStartsWith(code, 'ERR_FS_') || code === 'ERR_FS_INVALID_SYMLINK_TYPE')
  );
}

function fsMakePromise(name, sync) {
  const fn = function (...args) {
    return new PromiseCtor((resolve, reject) => {
      try {
        resolve(ReflectApply(sync, undefined, args));
      } catch (e) {
        reject(e);
      }
    });
  };
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: name });
  return fn;
}

export function createFsModule() {
  const sync = {
    __proto__: null,
    readFileSync: fsReadFileSync,
    writeFileSync: fsWriteFileSync,
    appendFileSync: fsAppendFileSync,
    existsSync: fsExistsSync,
    readdirSync: fsReaddirSync,
    statSync: fsStatSync,
    lstatSync: fsLstatSync,
    mkdirSync: fsMkdirSync,
    unlinkSync: fsUnlinkSync,
    rmdirSync: fsRmdirSync,
    rmSync: fsRmSync,
    renameSync: fsRenameSync,
    copyFileSync: fsCopyFileSync,
    readlinkSync: fsReadlinkSync,
    symlinkSync: fsSymlinkSync,
    linkSync: fsLinkSync,
    realpathSync: fsRealpathSync,
    accessSync: fsAccessSync,
    openSync: fsOpenSync,
    closeSync: fsCloseSync,
    readSync: fsReadSync,
    writeSync: fsWriteSync,
    fstatSync: fsFstatSync,
    mkdtempSync: fsMkdtempSync,
    truncateSync: fsTruncateAnySync,
    ftruncateSync: fsFtruncateSync,
  };
  const fs = {};
  const promises = {};
  const names = ObjectKeys(sync);
  const resultless = [
    'writeFileSync',
    'appendFileSync',
    'unlinkSync',
    'rmdirSync',
    'rmSync',
    'renameSync',
    'copyFileSync',
    'symlinkSync',
    'linkSync',
    'accessSync',
    'closeSync',
    'truncateSync',
    'ftruncateSync',
  ];
  for (let i = 0; i < names.length; i++) {
    const syncName = names[i];
    const impl = sync[syncName];
    const wrapper = function (...args) {
      return ReflectApply(impl, undefined, args);
    };
    ObjectDefineProperty(wrapper, 'name', { __proto__: null, value: syncName });
    nodeSet(fs, syncName, wrapper);
    const base = StringPrototypeSlice(syncName, 0, syncName.length - 4);
    if (base === 'exists') continue;
    nodeSet(fs, base, fsMakeCallback(base, impl, ArrayPrototypeIncludes(resultless, syncName)));
    nodeSet(promises, base, fsMakePromise(base, impl));
  }
  nodeSet(fs, 'writevSync', function writevSync(fd, buffers, position) {
    return fsWritevSync(fd, buffers, position);
  });
  nodeSet(
    fs,
    'writev',
    fsMakeCallback('writev', fsWritevSync, false, (args) => args[1]),
  );
  nodeSet(fs, 'readvSync', function readvSync(fd, buffers, position) {
    return fsReadvSync(fd, buffers, position);
  });
  nodeSet(
    fs,
    'readv',
    fsMakeCallback('readv', fsReadvSync, false, (args) => args[1]),
  );
  nodeSet(fs, 'read', fsMakeCallback('read', fsReadSync, false, fsIoTarget));
  nodeSet(fs, 'write', fsMakeCallback('write', fsWriteSync, false, fsIoTarget));
  promisifiesTo(fs.read, ['bytesRead', 'buffer']);
  promisifiesTo(fs.write, ['bytesWritten', 'buffer']);
  promisifiesTo(fs.readv, ['bytesRead', 'buffers']);
  // Node names writev's second result `buffer` (its readv's `buffers`).
  promisifiesTo(fs.writev, ['bytesWritten', 'buffer']);
  // Node's promises API takes FileHandles, not fds: keep only the path-based functions.
  delete promises.open;
  delete promises.close;
  delete promises.read;
  delete promises.write;
  delete promises.fstat;
  delete promises.ftruncate;
  fs.exists = function exists(path, cb) {
    validateFunction(cb, 'cb');
    fsComplete(cb, fsExistsSync(path));
  };
  nodeSet(fs.realpathSync, 'native', fs.realpathSync);
  nodeSet(fs.realpath, 'native', fs.realpath);
  fs.constants = fsConstants();
  nodeSet(fs, 'F_OK', 0);
  nodeSet(fs, 'R_OK', 4);
  nodeSet(fs, 'W_OK', 2);
  nodeSet(fs, 'X_OK', 1);
  nodeSet(fs, 'Stats', Stats);
  nodeSet(fs, 'Dirent', Dirent);
  nodeSet(promises, 'constants', fs.constants);
  nodeSet(fs, 'promises', promises);
  fsAddLazyParts(fs, promises);
  return fs;
}

// The parts of fs in lib/ (streams, FileHandle, cp, opendir, bigint stats, watchers), loaded on
// first use.
function fsExtra() {
  return loadLazyBuiltin('internal/fs_extra');
}

function fsGlob() {
  return loadLazyBuiltin('internal/glob');
}

function fsStreams() {
  return loadLazyBuiltin('internal/fs_streams');
}

function fsDefineLazyClass(target, name, load) {
  ObjectDefineProperty(target, name, {
    __proto__: null,
    enumerable: true,
    configurable: true,
    get() {
      return load()[name];
    },
    set(value) {
      ObjectDefineProperty(target, name, {
        __proto__: null,
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    },
  });
}

function fsAddSync(fs, promises, syncName, impl, resultless) {
  const wrapper = function (...args) {
    return ReflectApply(impl, undefined, args);
  };
  ObjectDefineProperty(wrapper, 'name', { __proto__: null, value: syncName });
  nodeSet(fs, syncName, wrapper);
  const base = StringPrototypeSlice(syncName, 0, syncName.length - 4);
  nodeSet(fs, base, fsMakeCallback(base, impl, resultless));
  nodeSet(promises, base, fsMakePromise(base, impl));
}

// statfs: WASI has no call for it, so the sandbox reports one fixed, modest filesystem (1 GiB
// free in 4 KiB blocks): enough for ordinary work, and tests that need gigabytes skip.
const FS_STATFS = [
  ['type', 0],
  ['bsize', 4096],
  ['blocks', 262144],
  ['bfree', 262144],
  ['bavail', 262144],
  ['files', 65536],
  ['ffree', 65536],
];

class StatFs {}

function fsStatfsSync(path, options = undefined) {
  fsPathArg(path);
  fsStatSync(path);
  const big = options?.bigint === true;
  const out = new StatFs();
  for (let i = 0; i < FS_STATFS.length; i++) {
    out[FS_STATFS[i][0]] = big ? BigIntCtor(FS_STATFS[i][1]) : FS_STATFS[i][1];
  }
  return out;
}

// ---- utimes, futimes, lutimes: real, through WASI's filestat_set_times ----

/** Node's toUnixTimestamp: seconds from a number, a numeric string or a Date. */
function fsTimeArg(time, name) {
  // biome-ignore lint/suspicious/noDoubleEquals: Node's own test of a numeric string
  if (typeof time === 'string' && +time == time) return +time;
  if (typeof time === 'number' && NumberIsFinite(time)) return time < 0 ? DateNow() / 1000 : time;
  if (isDate(time)) return DatePrototypeGetTime(time) / 1000;
  throw makeInvalidArgType(name, 'number or an instance of Date', time);
}

/** Seconds as WASI nanoseconds (millisecond precision, as a Date carries). */
function fsNanos(seconds) {
  return BigIntCtor(MathRound(seconds * 1000)) * 1000000n;
}

// WASI fstflags: set atime (1) and mtime (4) to the given values.
const FS_SET_BOTH = 5;

export function fsSetTimes(target, atime, mtime, syscall, follow) {
  const at = fsNanos(fsTimeArg(atime, 'atime'));
  const mt = fsNanos(fsTimeArg(mtime, 'mtime'));
  fsChangeMeta(
    target,
    syscall,
    follow,
    (fd) => wasiFdFilestatSetTimes(fd, at, mt, FS_SET_BOTH),
    (dir, lookup, rest) => wasiPathFilestatSetTimes(dir, lookup, rest, at, mt, FS_SET_BOTH),
  );
}

// chown/fsync families: the arguments are validated as Node validates them and the file must
// exist; the change itself is not made (the sandbox has no owners; writes are not cached).
function fsMetadataNoop(syscall) {
  const byFd = syscall[0] === 'f';
  return function (path, a, b) {
    if (byFd) validateInteger(path, 'fd', 0, 2147483647);
    if (StringPrototypeEndsWith(syscall, 'chown')) {
      validateInteger(a, 'uid', -1, 4294967295);
      validateInteger(b, 'gid', -1, 4294967295);
    }
    if (byFd) {
      fsFstatSync(path);
      return;
    }
    fsPathArg(path);
    if (syscall === 'lchown' || syscall === 'lutime' || syscall === 'lchmod') fsLstatSync(path);
    else fsStatSync(path);
  };
}

function fsAddLazyParts(fs, promises) {
  nodeSet(fs, 'createReadStream', function createReadStream(path, options) {
    return fsStreams().createReadStream(path, options);
  });
  nodeSet(fs, 'createWriteStream', function createWriteStream(path, options) {
    return fsStreams().createWriteStream(path, options);
  });
  fsDefineLazyClass(fs, 'ReadStream', fsStreams);
  fsDefineLazyClass(fs, 'WriteStream', fsStreams);
  fsDefineLazyClass(fs, 'Dir', fsExtra);
  nodeSet(fs, 'globSync', function globSync(pattern, options) {
    return fsGlob().globSync(pattern, options);
  });
  nodeSet(fs, 'glob', function glob(pattern, options, callback) {
    return fsGlob().glob(pattern, options, callback);
  });
  nodeSet(promises, 'glob', function glob(pattern, options) {
    return fsGlob().globIterator(pattern, options);
  });
  fsAddSync(
    fs,
    promises,
    'cpSync',
    function cpSync(src, dest, options) {
      fsExtra().cpSync(src, dest, options);
    },
    true,
  );
  fsAddSync(
    fs,
    promises,
    'opendirSync',
    function opendirSync(path, options) {
      return fsExtra().opendirSync(path, options);
    },
    false,
  );
  fsAddSync(fs, promises, 'statfsSync', fsStatfsSync, false);
  fsAddSync(fs, promises, 'utimesSync', (p, a, m) => fsSetTimes(p, a, m, 'utime', true), true);
  fsAddSync(fs, promises, 'lutimesSync', (p, a, m) => fsSetTimes(p, a, m, 'lutime', false), true);
  fsAddSync(fs, promises, 'futimesSync', (fd, a, m) => fsSetTimes(fd, a, m, 'futime'), true);
  nodeSet(fs, '_toUnixTimestamp', function _toUnixTimestamp(time, name = 'time') {
    return fsTimeArg(time, name);
  });
  fsAddSync(fs, promises, 'chmodSync', (p, m) => fsChmod(p, m, 'chmod', true), true);
  fsAddSync(fs, promises, 'lchmodSync', (p, m) => fsChmod(p, m, 'lchmod', false), true);
  fsAddSync(fs, promises, 'fchmodSync', (fd, m) => fsChmod(fd, m, 'fchmod'), true);
  const metadata = [
    ['chownSync', 'chown'],
    ['lchownSync', 'lchown'],
    ['fchownSync', 'fchown'],
    ['fsyncSync', 'fsync'],
    ['fdatasyncSync', 'fdatasync'],
  ];
  for (let i = 0; i < metadata.length; i++) {
    fsAddSync(fs, promises, metadata[i][0], fsMetadataNoop(metadata[i][1]), true);
  }
  delete promises.fchmod;
  delete promises.fchown;
  delete promises.futimes;
  delete promises.fsync;
  delete promises.fdatasync;
  nodeSet(promises, 'open', function open(path, flags, mode) {
    return loadLazyBuiltin('internal/fs_filehandle').openFileHandle(path, flags, mode);
  });
  nodeSet(fs, 'watch', function watch(filename, options, listener) {
    return loadLazyBuiltin('internal/fs_watcher').watch(filename, options, listener);
  });
  nodeSet(fs, 'watchFile', function watchFile(filename, options, listener) {
    return loadLazyBuiltin('internal/fs_stat_watcher').watchFile(filename, options, listener);
  });
  nodeSet(fs, 'unwatchFile', function unwatchFile(filename, listener) {
    return loadLazyBuiltin('internal/fs_stat_watcher').unwatchFile(filename, listener);
  });
  nodeSet(promises, 'watch', function watch(filename, options) {
    return loadLazyBuiltin('internal/fs_watcher').watchIterator(filename, options);
  });
}
