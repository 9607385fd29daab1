// 41_fs_core.js: the guest filesystem for JS guests: the exec's preopened mounts, through the
// same native `wasi_*` functions as WASI commands. Errors, mounts, path location, the filetype
// cache, and the primitive operations the `fs` builtin (42-46) and the loader (50, 51) use.
//
// Guest paths are resolved against the exec's cwd and normalised textually (path.posix), then
// mapped to the preopen whose mount path is the longest whole-component prefix; the native side
// confines the rest beneath it (symlinks included). Directories that only exist as ancestors of
// mount points (`/` when `/app` is mounted) are synthesised read-only.

import {
  ArrayPrototypeIncludes,
  ArrayPrototypeSort,
  bridgeUtf8Decode,
  bridgeUtf8Encode,
  ErrorCaptureStackTrace,
  ErrorCtor,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeSet,
  MathMin,
  NumberCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSubarray,
  TypeErrorCtor,
} from './00_primordials.js';
import { concatBytes, isTypedArray, listPush, newList } from './01_helpers.js';
import { inspect } from './04_inspect.js';
import { makeInvalidArgType, makeNodeError } from './06_errors.js';
import {
  wasiFdClose,
  wasiFdFilestatGet,
  wasiFdPrestatDirName,
  wasiFdRead,
  wasiFdReaddir,
  wasiFdWrite,
} from './30_wasi.js';
import { wasiPathFilestatGet, wasiPathOpen } from './32_wasi_fs.js';
import { nodeSet, pathNormalize, pathResolve } from './40_path.js';

const FsDecodeURIComponent = decodeURIComponent;

export const FS_RIGHTS_READ = (1n << 1n) | (1n << 2n) | (1n << 5n) | (1n << 21n); // READ SEEK TELL FILESTAT_GET
export const FS_RIGHTS_WRITE = (1n << 6n) | (1n << 2n) | (1n << 5n) | (1n << 21n) | (1n << 22n);
export const FS_RIGHTS_DIR = 0x1fffffffn & ~((1n << 1n) | (1n << 6n)); // everything but FD_READ/FD_WRITE
const FS_RIGHTS_ALL = 0x1fffffffn;
const FS_READ_CHUNK = 64 * 1024;
const FS_WRITE_CHUNK = 1024 * 1024;

// WASI errno -> [Node code, libuv errno, libuv message].
const fsErrnoTable = { __proto__: null };
{
  const rows = [
    [2, 'EACCES', -13, 'permission denied'],
    [6, 'EAGAIN', -11, 'resource temporarily unavailable'],
    [8, 'EBADF', -9, 'bad file descriptor'],
    [10, 'EBUSY', -16, 'resource busy or locked'],
    [20, 'EEXIST', -17, 'file already exists'],
    [21, 'EFAULT', -14, 'bad address in system call argument'],
    [22, 'EFBIG', -27, 'file too large'],
    [25, 'EILSEQ', -84, 'illegal byte sequence'],
    [28, 'EINVAL', -22, 'invalid argument'],
    [29, 'EIO', -5, 'i/o error'],
    [31, 'EISDIR', -21, 'illegal operation on a directory'],
    [32, 'ELOOP', -40, 'too many symbolic links encountered'],
    [33, 'EMFILE', -24, 'too many open files'],
    [34, 'EMLINK', -31, 'too many links'],
    [37, 'ENAMETOOLONG', -36, 'name too long'],
    [44, 'ENOENT', -2, 'no such file or directory'],
    [48, 'ENOMEM', -12, 'not enough memory'],
    [51, 'ENOSPC', -28, 'no space left on device'],
    [52, 'ENOSYS', -38, 'function not implemented'],
    [54, 'ENOTDIR', -20, 'not a directory'],
    [55, 'ENOTEMPTY', -39, 'directory not empty'],
    [58, 'ENOTSUP', -95, 'operation not supported on socket'],
    [63, 'EPERM', -1, 'operation not permitted'],
    [69, 'EROFS', -30, 'read-only file system'],
    [70, 'ESPIPE', -29, 'invalid seek'],
    [75, 'EXDEV', -18, 'cross-device link not permitted'],
    [76, 'EACCES', -13, 'permission denied (outside the sandbox)'],
  ];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    fsErrnoTable[r[0]] = { __proto__: null, code: r[1], errno: r[2], text: r[3] };
  }
}

export const FS_ENOENT = 44;
export const FS_ENOTDIR = 54;
export const FS_EISDIR = 31;
export const FS_EEXIST = 20;
export const FS_EBADF = 8;
export const FS_EROFS = 69;
export const FS_EACCES = 2;

/** `{ code, errno, text }` of WASI errno `errno` (Node's code and negative errno), or undefined. */
export function fsErrnoInfo(errno) {
  return fsErrnoTable[errno];
}

export function fsIsErr(r) {
  return typeof r === 'number' && r < 0;
}

// Reading or writing through an fd opened without that access: the sandbox says NOTCAPABLE (the
// fd lacks the right), Linux says EBADF.
const FD_IO_SYSCALLS = { __proto__: null, read: true, write: true };

// A Node-style system error (`ENOENT: no such file or directory, open 'x'`).
function fsMakeError(errno, syscall, path, dest) {
  if (errno === 76 && path === undefined && FD_IO_SYSCALLS[syscall] === true) errno = FS_EBADF;
  const row = fsErrnoTable[errno];
  const code = row === undefined ? 'EIO' : row.code;
  let message = `${code}: ${row === undefined ? `errno ${errno}` : row.text}, ${syscall}`;
  if (path !== undefined) message += ` '${path}'`;
  if (dest !== undefined) message += ` -> '${dest}'`;
  const err = new ErrorCtor(message);
  ErrorCaptureStackTrace(err, fsFail);
  nodeSet(err, 'errno', row === undefined ? -5 : row.errno);
  nodeSet(err, 'code', code);
  nodeSet(err, 'syscall', syscall);
  if (path !== undefined) nodeSet(err, 'path', path);
  if (dest !== undefined) nodeSet(err, 'dest', dest);
  return err;
}

export function fsFail(errno, syscall, path, dest) {
  throw fsMakeError(errno, syscall, path, dest);
}

// ---- mounts ----

// The process's umask (`process.umask` sets it): what fs clears from the mode it creates with.
let fsUmaskValue = 0o22;

export function fsUmask() {
  return fsUmaskValue;
}

export function fsSetUmask(mask) {
  fsUmaskValue = mask & 0o777;
}

let fsMounts; // list of { fd, path } (normalised guest mount paths), made on first use
let fsStatCache; // Map guest path -> filetype (3 dir, 4 file, ...) or -errno; cleared on writes

function fsInitMounts() {
  fsMounts = newList();
  fsStatCache = new MapCtor();
  for (let fd = 3; fd < 1024; fd++) {
    const name = wasiFdPrestatDirName(fd);
    if (typeof name === 'number' || name === undefined || name === null) break;
    let path = bridgeUtf8Decode(name, false);
    path =
      StringPrototypeCharCodeAt(path, 0) === 47 ? pathNormalize(path) : pathNormalize(`/${path}`);
    if (path.length > 1 && StringPrototypeCharCodeAt(path, path.length - 1) === 47) {
      path = StringPrototypeSlice(path, 0, path.length - 1);
    }
    listPush(fsMounts, { __proto__: null, fd, path });
  }
}

// Writes through fs so far: caches derived from the filesystem elsewhere (cjs.js's package and
// resolution caches) compare it to drop themselves after a write.
let fsWrites = 0;

export function fsWriteCount() {
  return fsWrites;
}

export function fsInvalidate() {
  if (fsStatCache !== undefined) fsStatCache = new MapCtor();
  fsProbed = undefined;
  fsWrites++;
}

// Result of fsLocate: the preopen fd and the path beneath it (read through the two functions below
// outside this file's core).
let fsLocFd = -1;
let fsLocRest = '';

// Maps a normalised absolute guest path to (fsLocFd, fsLocRest); false when no mount holds it.
export function fsLocatedFd() {
  return fsLocFd;
}

export function fsLocatedRest() {
  return fsLocRest;
}

export function fsLocate(abs) {
  if (fsMounts === undefined) fsInitMounts();
  let best = -1;
  let bestLen = -1;
  for (let i = 0; i < fsMounts.length; i++) {
    const m = fsMounts[i].path;
    let len;
    if (m === '/') len = 0;
    else if (
      abs === m ||
      (StringPrototypeStartsWith(abs, m) && StringPrototypeCharCodeAt(abs, m.length) === 47)
    ) {
      len = m.length;
    } else continue;
    // Later preopens of the same path win (the host's last word), as with nested mounts.
    if (len >= bestLen) {
      best = i;
      bestLen = len;
    }
  }
  if (best === -1) return false;
  fsLocFd = fsMounts[best].fd;
  let rest = StringPrototypeSlice(abs, bestLen + 1);
  if (bestLen === 0) rest = StringPrototypeSlice(abs, 1);
  fsLocRest = rest === '' ? '.' : rest;
  return true;
}

// Names of mount points directly beneath `abs` when `abs` is an ancestor of a mount (not itself
// inside one); undefined otherwise.
export function fsSyntheticChildren(abs) {
  if (fsMounts === undefined) fsInitMounts();
  let out;
  const prefix = abs === '/' ? '/' : `${abs}/`;
  for (let i = 0; i < fsMounts.length; i++) {
    const m = fsMounts[i].path;
    if (m.length > prefix.length && StringPrototypeStartsWith(m, prefix)) {
      let end = StringPrototypeIndexOf(m, '/', prefix.length);
      if (end === -1) end = m.length;
      const name = StringPrototypeSlice(m, prefix.length, end);
      if (out === undefined) out = newList();
      if (!ArrayPrototypeIncludes(out, name)) listPush(out, name);
    }
  }
  return out;
}

// The guest path argument as a string (string, Uint8Array/Buffer, or a `file:` URL-like object).
export function fsPathArg(path, name = 'path') {
  if (typeof path === 'string') {
    // fall through
  } else if (isTypedArray(path) && TypedArrayPrototypeGetSymbolToStringTag(path) === 'Uint8Array') {
    path = bridgeUtf8Decode(path, false);
  } else if (
    path !== null &&
    typeof path === 'object' &&
    typeof path.href === 'string' &&
    path.protocol === 'file:'
  ) {
    path = FsDecodeURIComponent(`${path.pathname}`);
  } else {
    throw makeInvalidArgType(name, 'string or an instance of Buffer or URL', path);
  }
  if (StringPrototypeIncludes(path, '\u0000')) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      `The argument '${name}' must be a string, Uint8Array, or URL without null bytes. Received ${inspect(path)}`,
    );
  }
  return path;
}

// Absolute normalised guest path for a user path (keeps a trailing slash, which means "directory").
export function fsAbs(path) {
  const abs = pathResolve(path);
  if (abs !== '/' && path.length > 1 && StringPrototypeCharCodeAt(path, path.length - 1) === 47) {
    return `${abs}/`;
  }
  return abs;
}

export function fsStripSlash(abs) {
  return abs.length > 1 && StringPrototypeCharCodeAt(abs, abs.length - 1) === 47
    ? StringPrototypeSlice(abs, 0, abs.length - 1)
    : abs;
}

// Locates `abs` or returns -ENOENT (-ENOTCAPABLE never: outside every mount is just absent).
export function fsLocateOrErr(abs) {
  return fsLocate(fsStripSlash(abs)) ? 0 : -FS_ENOENT;
}

export function fsRestBytes(abs) {
  let rest = fsLocRest;
  if (abs.length > 1 && StringPrototypeCharCodeAt(abs, abs.length - 1) === 47 && rest !== '.')
    rest += '/';
  return bridgeUtf8Encode(rest);
}

// ---- primitive operations (return results or -errno; never throw for I/O) ----

// Filestat array of `abs`, or -errno. Synthetic ancestors of mounts answer as directories.
export function fsStatRaw(abs, follow) {
  if (!fsLocate(fsStripSlash(abs))) {
    return fsSyntheticChildren(fsStripSlash(abs)) !== undefined ? 'synthetic' : -FS_ENOENT;
  }
  return wasiPathFilestatGet(fsLocFd, follow ? 1 : 0, fsRestBytes(abs));
}

// Cached filetype of `abs` following symlinks: 3 directory, 4 regular file, other >= 0, or -errno.
export function fsFiletype(abs) {
  if (fsStatCache === undefined) fsInitMounts();
  const cached = MapPrototypeGet(fsStatCache, abs);
  if (cached !== undefined) return cached;
  const st = fsStatRaw(abs, true);
  let ft;
  if (st === 'synthetic') ft = 3;
  else if (fsIsErr(st)) ft = st;
  else if (typeof st === 'number') ft = -29;
  else ft = st[2];
  MapPrototypeSet(fsStatCache, abs, ft);
  return ft;
}

// Opens `abs` (follows symlinks); returns the fd or -errno.
export function fsOpenRaw(abs, oflags, rights, fdflags) {
  if (!fsLocate(fsStripSlash(abs))) {
    return fsSyntheticChildren(fsStripSlash(abs)) !== undefined ? -FS_EISDIR : -FS_ENOENT;
  }
  const r = wasiPathOpen(fsLocFd, 1, fsRestBytes(abs), oflags, rights, rights, fdflags);
  if (typeof r !== 'number') return -29;
  return r;
}

// Whole contents of an open fd as a Uint8Array, or -errno (`st`: its filestat, when known).
export function fsReadFd(fd, st = undefined) {
  if (st === undefined) st = wasiFdFilestatGet(fd);
  if (fsIsErr(st)) return st;
  if (typeof st !== 'object' || st === null) return -29;
  if (st[2] === 3) return -FS_EISDIR;
  const size = NumberCtor(st[4]);
  if (size > 0x7fffffff) return -22;
  const chunks = newList();
  let total = 0;
  for (;;) {
    const want = size > 0 ? size - total : FS_READ_CHUNK;
    if (size > 0 && want <= 0) break;
    const chunk = wasiFdRead(fd, MathMin(want, 16 * 1024 * 1024));
    if (fsIsErr(chunk)) return chunk;
    if (typeof chunk !== 'object' || chunk === null) return -29;
    const n = TypedArrayPrototypeGetLength(chunk);
    if (n === 0) break;
    listPush(chunks, chunk);
    total += n;
  }
  return chunks.length === 1 ? chunks[0] : concatBytes(chunks);
}

// Contents read while probing (fsProbeFile), taken by the loader: abs -> Uint8Array.
let fsProbed;

// Like fsFiletype, but finds out by opening: a regular file is read at once (its bytes kept for
// fsTakeProbed), so resolving and loading a module costs one open, one fstat, one read. Opens never
// block (the sandbox opens with O_NONBLOCK; the fd keeps it, so a FIFO read returns at once).
export function fsProbeFile(abs) {
  if (fsStatCache === undefined) fsInitMounts();
  const cached = MapPrototypeGet(fsStatCache, abs);
  if (cached !== undefined) return cached;
  if (!fsLocate(fsStripSlash(abs))) return fsFiletype(abs);
  const fd = wasiPathOpen(fsLocFd, 1, fsRestBytes(abs), 0, FS_RIGHTS_READ, FS_RIGHTS_READ, 4);
  if (typeof fd !== 'number' || (fd < 0 && fd !== -FS_ENOENT && fd !== -FS_ENOTDIR))
    return fsFiletype(abs);
  let ft = fd;
  if (fd >= 0) {
    const st = wasiFdFilestatGet(fd);
    if (fsIsErr(st) || typeof st !== 'object' || st === null) {
      wasiFdClose(fd);
      return fsFiletype(abs);
    }
    ft = st[2];
    if (ft === 4) {
      const data = fsReadFd(fd, st);
      if (!fsIsErr(data)) {
        if (fsProbed === undefined) fsProbed = new MapCtor();
        MapPrototypeSet(fsProbed, abs, data);
      }
    }
    wasiFdClose(fd);
  }
  MapPrototypeSet(fsStatCache, abs, ft);
  return ft;
}

// Bytes of `abs` read by fsProbeFile (once), else undefined.
export function fsTakeProbed(abs) {
  if (fsProbed === undefined) return undefined;
  const data = MapPrototypeGet(fsProbed, abs);
  if (data !== undefined) MapPrototypeDelete(fsProbed, abs);
  return data;
}

// Contents of the file at `abs` (Uint8Array) or -errno; `fsReadStage` tells which call failed.
let fsReadStage = 'open';
export function fsReadFileRaw(abs) {
  fsReadStage = 'open';
  const fd = fsOpenRaw(abs, 0, FS_RIGHTS_READ, 0);
  if (fsIsErr(fd)) return fd;
  const data = fsReadFd(fd);
  wasiFdClose(fd);
  if (fsIsErr(data)) fsReadStage = 'read';
  return data;
}

// Which call of the last fsReadFileRaw failed: 'open' or 'read'.
export function fsReadFailedAt() {
  return fsReadStage;
}

// Writes all of `bytes` to `fd`; 0 or -errno.
export function fsWriteAll(fd, bytes) {
  const len = TypedArrayPrototypeGetLength(bytes);
  let at = 0;
  if (len === 0) return 0;
  while (at < len) {
    const piece =
      at === 0 && len <= FS_WRITE_CHUNK
        ? bytes
        : TypedArrayPrototypeSubarray(bytes, at, MathMin(len, at + FS_WRITE_CHUNK));
    const n = wasiFdWrite(fd, piece);
    if (fsIsErr(n)) return n;
    if (typeof n !== 'number' || n <= 0) return -29;
    at += n;
  }
  return 0;
}

// Directory entries of `abs`: list of [name, filetype] without `.`/`..`, or -errno.
export function fsReaddirRaw(abs) {
  if (!fsLocate(fsStripSlash(abs))) {
    const names = fsSyntheticChildren(fsStripSlash(abs));
    if (names === undefined) return -FS_ENOENT;
    const out = newList();
    for (let i = 0; i < names.length; i++) listPush(out, [names[i], 3]);
    return out;
  }
  const fd = wasiPathOpen(fsLocFd, 1, fsRestBytes(abs), 2, FS_RIGHTS_DIR, FS_RIGHTS_ALL, 0);
  if (fsIsErr(fd)) return fd;
  if (typeof fd !== 'number') return -29;
  const out = newList();
  let cookie = 0n;
  for (;;) {
    const entries = wasiFdReaddir(fd, cookie, 1 << 20);
    if (fsIsErr(entries)) {
      wasiFdClose(fd);
      return entries;
    }
    const n = entries.length;
    if (n === 0) break;
    for (let i = 0; i < n; i++) {
      const e = entries[i];
      cookie = e[0];
      const name = bridgeUtf8Decode(e[3], false);
      if (name === '.' || name === '..') continue;
      listPush(out, [name, e[2]]);
    }
  }
  wasiFdClose(fd);
  ArrayPrototypeSort(out, fsCompareEntries);
  // Mount points beneath this directory shadow what is there (the guest sees the mount).
  return out;
}

function fsCompareEntries(a, b) {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

// A result of the primitives, or the Node-style error for its -errno (thrown).
export function fsCheck(r, syscall, path, dest) {
  if (fsIsErr(r)) fsFail(-r, syscall, path, dest);
  return r;
}
