// node_fs.js: the guest filesystem for JS guests (the exec's preopened mounts, through the same
// native `wasi_*` functions as WASI commands) and the `fs` builtin (sync API, plus callback and
// promise forms built on it).
//
// Guest paths are resolved against the exec's cwd and normalised textually (path.posix), then
// mapped to the preopen whose mount path is the longest whole-component prefix; the native side
// confines the rest beneath it (symlinks included). Directories that only exist as ancestors of
// mount points (`/` when `/app` is mounted) are synthesised read-only.

const FsDecodeURIComponent = decodeURIComponent;
const FsDateCtor = Date;
const FsBigIntAsUintN = BigInt.asUintN;

const FS_RIGHTS_READ = (1n << 1n) | (1n << 2n) | (1n << 5n) | (1n << 21n); // READ SEEK TELL FILESTAT_GET
const FS_RIGHTS_WRITE = (1n << 6n) | (1n << 2n) | (1n << 5n) | (1n << 21n) | (1n << 22n);
const FS_RIGHTS_DIR = 0x1fffffffn & ~((1n << 1n) | (1n << 6n)); // everything but FD_READ/FD_WRITE
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

const FS_ENOENT = 44;
const FS_ENOTDIR = 54;
const FS_EISDIR = 31;
const FS_EEXIST = 20;
const FS_EBADF = 8;
const FS_EROFS = 69;

function fsIsErr(r) {
  return typeof r === 'number' && r < 0;
}

// A Node-style system error (`ENOENT: no such file or directory, open 'x'`).
function fsMakeError(errno, syscall, path, dest) {
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

function fsFail(errno, syscall, path, dest) {
  throw fsMakeError(errno, syscall, path, dest);
}

// ---- mounts ----

let fsMounts; // list of { fd, path } (normalised guest mount paths), made on first use
let fsStatCache; // Map guest path -> filetype (3 dir, 4 file, ...) or -errno; cleared on writes

function fsInitMounts() {
  fsMounts = newList();
  fsStatCache = new MapCtor();
  for (let fd = 3; fd < 1024; fd++) {
    const name = wasiFdPrestatDirName(fd);
    if (typeof name === 'number' || name === undefined || name === null) break;
    let path = bridgeUtf8Decode(name, false);
    path = StringPrototypeCharCodeAt(path, 0) === 47 ? pathNormalize(path) : pathNormalize(`/${path}`);
    if (path.length > 1 && StringPrototypeCharCodeAt(path, path.length - 1) === 47) {
      path = StringPrototypeSlice(path, 0, path.length - 1);
    }
    listPush(fsMounts, { __proto__: null, fd, path });
  }
}

// Writes through fs so far: caches derived from the filesystem elsewhere (cjs.js's package and
// resolution caches) compare it to drop themselves after a write.
let fsWrites = 0;

function fsWriteCount() {
  return fsWrites;
}

function fsInvalidate() {
  if (fsStatCache !== undefined) fsStatCache = new MapCtor();
  fsProbed = undefined;
  fsWrites++;
}

// Result of fsLocate: the preopen fd and the path beneath it (read through the two functions below
// outside this file's core).
let fsLocFd = -1;
let fsLocRest = '';

// Maps a normalised absolute guest path to (fsLocFd, fsLocRest); false when no mount holds it.
function fsLocatedFd() {
  return fsLocFd;
}

function fsLocatedRest() {
  return fsLocRest;
}

function fsLocate(abs) {
  if (fsMounts === undefined) fsInitMounts();
  let best = -1;
  let bestLen = -1;
  for (let i = 0; i < fsMounts.length; i++) {
    const m = fsMounts[i].path;
    let len;
    if (m === '/') len = 0;
    else if (abs === m || (StringPrototypeStartsWith(abs, m) && StringPrototypeCharCodeAt(abs, m.length) === 47)) {
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
function fsSyntheticChildren(abs) {
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
function fsPathArg(path, name = 'path') {
  if (typeof path === 'string') {
    // fall through
  } else if (isTypedArray(path) && TypedArrayPrototypeGetSymbolToStringTag(path) === 'Uint8Array') {
    path = bridgeUtf8Decode(path, false);
  } else if (path !== null && typeof path === 'object' && typeof path.href === 'string' &&
             path.protocol === 'file:') {
    path = FsDecodeURIComponent(`${path.pathname}`);
  } else {
    throw makeInvalidArgType(name, 'string or an instance of Buffer or URL', path);
  }
  if (StringPrototypeIncludes(path, '\u0000')) {
    throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_VALUE',
      `The argument '${name}' must be a string, Uint8Array, or URL without null bytes. Received ${inspect(path)}`);
  }
  return path;
}

// Absolute normalised guest path for a user path (keeps a trailing slash, which means "directory").
function fsAbs(path) {
  const abs = pathResolve(path);
  if (abs !== '/' && path.length > 1 && StringPrototypeCharCodeAt(path, path.length - 1) === 47) {
    return `${abs}/`;
  }
  return abs;
}

function fsStripSlash(abs) {
  return abs.length > 1 && StringPrototypeCharCodeAt(abs, abs.length - 1) === 47 ?
    StringPrototypeSlice(abs, 0, abs.length - 1) : abs;
}

// Locates `abs` or returns -ENOENT (-ENOTCAPABLE never: outside every mount is just absent).
function fsLocateOrErr(abs) {
  return fsLocate(fsStripSlash(abs)) ? 0 : -FS_ENOENT;
}

function fsRestBytes(abs) {
  let rest = fsLocRest;
  if (abs.length > 1 && StringPrototypeCharCodeAt(abs, abs.length - 1) === 47 && rest !== '.') rest += '/';
  return bridgeUtf8Encode(rest);
}

// ---- primitive operations (return results or -errno; never throw for I/O) ----

// Filestat array of `abs`, or -errno. Synthetic ancestors of mounts answer as directories.
function fsStatRaw(abs, follow) {
  if (!fsLocate(fsStripSlash(abs))) {
    return fsSyntheticChildren(fsStripSlash(abs)) !== undefined ? 'synthetic' : -FS_ENOENT;
  }
  return wasiPathFilestatGet(fsLocFd, follow ? 1 : 0, fsRestBytes(abs));
}

// Cached filetype of `abs` following symlinks: 3 directory, 4 regular file, other >= 0, or -errno.
function fsFiletype(abs) {
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
function fsOpenRaw(abs, oflags, rights, fdflags) {
  if (!fsLocate(fsStripSlash(abs))) {
    return fsSyntheticChildren(fsStripSlash(abs)) !== undefined ? -FS_EISDIR : -FS_ENOENT;
  }
  const r = wasiPathOpen(fsLocFd, 1, fsRestBytes(abs), oflags, rights, rights, fdflags);
  if (typeof r !== 'number') return -29;
  return r;
}

// Whole contents of an open fd as a Uint8Array, or -errno (`st`: its filestat, when known).
function fsReadFd(fd, st = undefined) {
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
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8ArrayCtor(total);
  let at = 0;
  for (let i = 0; i < chunks.length; i++) {
    TypedArrayPrototypeSet(out, chunks[i], at);
    at += TypedArrayPrototypeGetLength(chunks[i]);
  }
  return out;
}

// Contents read while probing (fsProbeFile), taken by the loader: abs -> Uint8Array.
let fsProbed;

// Like fsFiletype, but finds out by opening: a regular file is read at once (its bytes kept for
// fsTakeProbed), so resolving and loading a module costs one open, one fstat, one read. Opens never
// block (the sandbox opens with O_NONBLOCK; the fd keeps it, so a FIFO read returns at once).
function fsProbeFile(abs) {
  if (fsStatCache === undefined) fsInitMounts();
  const cached = MapPrototypeGet(fsStatCache, abs);
  if (cached !== undefined) return cached;
  if (!fsLocate(fsStripSlash(abs))) return fsFiletype(abs);
  const fd = wasiPathOpen(fsLocFd, 1, fsRestBytes(abs), 0, FS_RIGHTS_READ, FS_RIGHTS_READ, 4);
  if (typeof fd !== 'number' || (fd < 0 && fd !== -FS_ENOENT && fd !== -FS_ENOTDIR)) return fsFiletype(abs);
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
function fsTakeProbed(abs) {
  if (fsProbed === undefined) return undefined;
  const data = MapPrototypeGet(fsProbed, abs);
  if (data !== undefined) MapPrototypeDelete(fsProbed, abs);
  return data;
}

// Contents of the file at `abs` (Uint8Array) or -errno; `fsReadStage` tells which call failed.
let fsReadStage = 'open';
function fsReadFileRaw(abs) {
  fsReadStage = 'open';
  const fd = fsOpenRaw(abs, 0, FS_RIGHTS_READ, 0);
  if (fsIsErr(fd)) return fd;
  const data = fsReadFd(fd);
  wasiFdClose(fd);
  if (fsIsErr(data)) fsReadStage = 'read';
  return data;
}

// Which call of the last fsReadFileRaw failed: 'open' or 'read'.
function fsReadFailedAt() {
  return fsReadStage;
}

// Writes all of `bytes` to `fd`; 0 or -errno.
function fsWriteAll(fd, bytes) {
  const len = TypedArrayPrototypeGetLength(bytes);
  let at = 0;
  if (len === 0) return 0;
  while (at < len) {
    const piece = at === 0 && len <= FS_WRITE_CHUNK ? bytes :
      TypedArrayPrototypeSubarray(bytes, at, MathMin(len, at + FS_WRITE_CHUNK));
    const n = wasiFdWrite(fd, piece);
    if (fsIsErr(n)) return n;
    if (typeof n !== 'number' || n <= 0) return -29;
    at += n;
  }
  return 0;
}

// Directory entries of `abs`: list of [name, filetype] without `.`/`..`, or -errno.
function fsReaddirRaw(abs) {
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

// ---- options ----

function fsEncodingOf(options, fallback) {
  if (options === undefined || options === null) return fallback;
  if (typeof options === 'string') return options;
  if (typeof options === 'object') {
    const e = options.encoding;
    return e === undefined ? fallback : e;
  }
  if (typeof options === 'function') return fallback;
  throw makeInvalidArgType('options', 'one of type string or an instance of Object', options);
}

function fsFlagOf(options, fallback) {
  if (options !== null && typeof options === 'object' && options.flag !== undefined) return `${options.flag}`;
  return fallback;
}

function fsCheckEncoding(encoding) {
  if (encoding === null || encoding === undefined || encoding === 'buffer') return;
  if (normalizeEncoding(encoding) === undefined) {
    throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_VALUE',
      `The argument 'encoding' is invalid encoding. Received ${inspect(encoding)}`);
  }
}

// Bytes -> string (encoding) or a Buffer-like Uint8Array.
function fsBytesOut(bytes, encoding) {
  if (encoding === null || encoding === undefined || encoding === 'buffer') {
    ObjectSetPrototypeOf(bytes, StdinChunk.prototype);
    return bytes;
  }
  return bytesToString(bytes, encoding);
}

function fsLatin1Bytes(str, mask) {
  const out = new Uint8ArrayCtor(str.length);
  for (let i = 0; i < str.length; i++) out[i] = StringPrototypeCharCodeAt(str, i) & mask;
  return out;
}

function fsHexBytes(str) {
  const n = str.length >> 1;
  const out = new Uint8ArrayCtor(n);
  let i = 0;
  for (; i < n; i++) {
    const v = NumberParseInt(StringPrototypeSlice(str, 2 * i, 2 * i + 2), 16);
    if (NumberIsNaN(v)) break;
    out[i] = v;
  }
  return i === n ? out : TypedArrayPrototypeSlice(out, 0, i);
}

function fsBase64Bytes(str) {
  const out = new Uint8ArrayCtor((str.length * 3) >> 2);
  let bits = 0;
  let acc = 0;
  let n = 0;
  for (let i = 0; i < str.length; i++) {
    const c = StringPrototypeCharCodeAt(str, i);
    let v;
    if (c >= 65 && c <= 90) v = c - 65;
    else if (c >= 97 && c <= 122) v = c - 71;
    else if (c >= 48 && c <= 57) v = c + 4;
    else if (c === 43 || c === 45) v = 62;
    else if (c === 47 || c === 95) v = 63;
    else if (c === 61) break;
    else continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return TypedArrayPrototypeSlice(out, 0, n);
}

// Data argument of writeFile/appendFile/writeSync -> Uint8Array.
function fsBytesIn(data, encoding, name = 'data') {
  if (typeof data === 'string') {
    const enc = encoding === undefined || encoding === null ? 'utf8' : normalizeEncoding(encoding);
    if (enc === 'utf8' || enc === undefined) return bridgeUtf8Encode(data);
    if (enc === 'latin1' || enc === 'binary') return fsLatin1Bytes(data, 0xff);
    if (enc === 'ascii') return fsLatin1Bytes(data, 0xff);
    if (enc === 'hex') return fsHexBytes(data);
    return fsBase64Bytes(data);
  }
  if (ArrayBufferIsView(data)) {
    if (isTypedArray(data)) {
      return new Uint8ArrayCtor(TypedArrayPrototypeGetBuffer(data), TypedArrayPrototypeGetByteOffset(data),
        TypedArrayPrototypeGetByteLength(data));
    }
    return toUint8View(data);
  }
  throw makeInvalidArgType(name,
    'string or an instance of Buffer, TypedArray, or DataView', data);
}

// ---- Stats / Dirent ----

const FS_S_IFMT = 0o170000;
const FS_S_IFREG = 0o100000;
const FS_S_IFDIR = 0o040000;
const FS_S_IFCHR = 0o020000;
const FS_S_IFBLK = 0o060000;
const FS_S_IFIFO = 0o010000;
const FS_S_IFLNK = 0o120000;
const FS_S_IFSOCK = 0o140000;

function fsModeOf(filetype) {
  switch (filetype) {
    case 1: return FS_S_IFBLK | 0o644;
    case 2: return FS_S_IFCHR | 0o666;
    case 3: return FS_S_IFDIR | 0o755;
    case 4: return FS_S_IFREG | 0o644;
    case 5:
    case 6: return FS_S_IFSOCK | 0o755;
    case 7: return FS_S_IFLNK | 0o777;
    default: return 0;
  }
}

function fsNsToMs(ns) {
  return NumberCtor(ns / 1000000n) + NumberCtor(ns % 1000000n) / 1e6;
}

function Stats(dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks, atimeMs, mtimeMs, ctimeMs,
  birthtimeMs) {
  nodeSet(this, 'dev', dev);
  nodeSet(this, 'mode', mode);
  nodeSet(this, 'nlink', nlink);
  nodeSet(this, 'uid', uid);
  nodeSet(this, 'gid', gid);
  nodeSet(this, 'rdev', rdev);
  nodeSet(this, 'blksize', blksize);
  nodeSet(this, 'ino', ino);
  nodeSet(this, 'size', size);
  nodeSet(this, 'blocks', blocks);
  nodeSet(this, 'atimeMs', atimeMs);
  nodeSet(this, 'mtimeMs', mtimeMs);
  nodeSet(this, 'ctimeMs', ctimeMs);
  nodeSet(this, 'birthtimeMs', birthtimeMs);
  nodeSet(this, 'atime', new FsDateCtor(atimeMs));
  nodeSet(this, 'mtime', new FsDateCtor(mtimeMs));
  nodeSet(this, 'ctime', new FsDateCtor(ctimeMs));
  nodeSet(this, 'birthtime', new FsDateCtor(birthtimeMs));
}

function fsStatsMode(self) {
  return typeof self === 'object' && self !== null ? self.mode & FS_S_IFMT : 0;
}

Stats.prototype.isFile = function isFile() {
  return fsStatsMode(this) === FS_S_IFREG;
};
Stats.prototype.isDirectory = function isDirectory() {
  return fsStatsMode(this) === FS_S_IFDIR;
};
Stats.prototype.isSymbolicLink = function isSymbolicLink() {
  return fsStatsMode(this) === FS_S_IFLNK;
};
Stats.prototype.isBlockDevice = function isBlockDevice() {
  return fsStatsMode(this) === FS_S_IFBLK;
};
Stats.prototype.isCharacterDevice = function isCharacterDevice() {
  return fsStatsMode(this) === FS_S_IFCHR;
};
Stats.prototype.isFIFO = function isFIFO() {
  return fsStatsMode(this) === FS_S_IFIFO;
};
Stats.prototype.isSocket = function isSocket() {
  return fsStatsMode(this) === FS_S_IFSOCK;
};

function fsMakeStats(st) {
  if (st === 'synthetic') {
    return new Stats(0, FS_S_IFDIR | 0o555, 1, 0, 0, 0, 4096, 0, 4096, 8, 0, 0, 0, 0);
  }
  const size = NumberCtor(st[4]);
  const ctimeMs = fsNsToMs(st[7]);
  return new Stats(NumberCtor(st[0]), fsModeOf(st[2]), NumberCtor(st[3]), 0, 0, 0, 4096,
    NumberCtor(st[1]), size, MathCeil(size / 512), fsNsToMs(st[5]), fsNsToMs(st[6]), ctimeMs, ctimeMs);
}

class Dirent {
  constructor(name, type, path) {
    nodeSet(this, 'name', name);
    nodeSet(this, 'parentPath', path);
    nodeSet(this, 'path', path);
    ObjectDefineProperty(this, fsDirentType, { __proto__: null, value: type, enumerable: false });
  }

  isFile() {
    return this[fsDirentType] === 4;
  }

  isDirectory() {
    return this[fsDirentType] === 3;
  }

  isSymbolicLink() {
    return this[fsDirentType] === 7;
  }

  isBlockDevice() {
    return this[fsDirentType] === 1;
  }

  isCharacterDevice() {
    return this[fsDirentType] === 2;
  }

  isFIFO() {
    return false;
  }

  isSocket() {
    return this[fsDirentType] === 5 || this[fsDirentType] === 6;
  }
}
const fsDirentType = SymbolCtor('type');

// ---- the sync API ----

function fsCheck(r, syscall, path, dest) {
  if (fsIsErr(r)) fsFail(-r, syscall, path, dest);
  return r;
}

function fsReadFileSync(path, options) {
  const encoding = fsEncodingOf(options, undefined);
  fsCheckEncoding(encoding);
  if (typeof path === 'number') {
    const data = fsCheck(fsReadFd(fsUserFd(path)), 'read');
    return fsBytesOut(data, encoding);
  }
  path = fsPathArg(path);
  const data = fsReadFileRaw(fsAbs(path));
  if (fsIsErr(data)) {
    if (fsReadFailedAt() === 'open') fsFail(-data, 'open', path);
    fsFail(-data, 'read');
  }
  return fsBytesOut(data, encoding);
}

// oflags/fdflags for a Node flag string.
function fsParseFlags(flags) {
  if (typeof flags === 'number') {
    let oflags = 0;
    let fdflags = 0;
    if (flags & 0o100) oflags |= 1;
    if (flags & 0o200) oflags |= 4;
    if (flags & 0o1000) oflags |= 8;
    if (flags & 0o200000) oflags |= 2;
    if (flags & 0o2000) fdflags |= 1;
    const acc = flags & 3;
    return { __proto__: null, oflags, fdflags, read: acc !== 1, write: acc !== 0 };
  }
  switch (`${flags}`) {
    case 'r': case 'rs': case 'sr': return { __proto__: null, oflags: 0, fdflags: 0, read: true, write: false };
    case 'r+': case 'rs+': case 'sr+': return { __proto__: null, oflags: 0, fdflags: 0, read: true, write: true };
    case 'w': return { __proto__: null, oflags: 1 | 8, fdflags: 0, read: false, write: true };
    case 'wx': case 'xw': return { __proto__: null, oflags: 1 | 4 | 8, fdflags: 0, read: false, write: true };
    case 'w+': return { __proto__: null, oflags: 1 | 8, fdflags: 0, read: true, write: true };
    case 'wx+': case 'xw+': return { __proto__: null, oflags: 1 | 4 | 8, fdflags: 0, read: true, write: true };
    case 'a': case 'as': case 'sa': return { __proto__: null, oflags: 1, fdflags: 1, read: false, write: true };
    case 'ax': case 'xa': return { __proto__: null, oflags: 1 | 4, fdflags: 1, read: false, write: true };
    case 'a+': case 'as+': case 'sa+': return { __proto__: null, oflags: 1, fdflags: 1, read: true, write: true };
    case 'ax+': case 'xa+': return { __proto__: null, oflags: 1 | 4, fdflags: 1, read: true, write: true };
    default:
      throw makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_VALUE',
        `The argument 'flags' is invalid. Received ${inspect(flags)}`);
  }
}

function fsRightsOf(f) {
  let rights = FS_RIGHTS_READ;
  if (f.write) rights |= FS_RIGHTS_WRITE;
  if (!f.read) rights &= ~(1n << 1n);
  return rights;
}

function fsWriteFileImpl(path, data, options, defaultFlag) {
  const encoding = fsEncodingOf(options, 'utf8');
  const bytes = fsBytesIn(data, encoding);
  if (typeof path === 'number') {
    fsCheck(fsWriteAll(fsUserFd(path), bytes), 'write');
    return;
  }
  path = fsPathArg(path);
  const f = fsParseFlags(fsFlagOf(options, defaultFlag));
  const abs = fsAbs(path);
  fsInvalidate();
  const fd = fsCheck(fsOpenRaw(abs, f.oflags, fsRightsOf(f), f.fdflags), 'open', path);
  const r = fsWriteAll(fd, bytes);
  wasiFdClose(fd);
  fsCheck(r, 'write', path);
}

function fsWriteFileSync(path, data, options) {
  fsWriteFileImpl(path, data, options, 'w');
}

function fsAppendFileSync(path, data, options) {
  fsWriteFileImpl(path, data, options, 'a');
}

function fsExistsSync(path) {
  try {
    path = fsPathArg(path);
  } catch {
    return false;
  }
  const st = fsStatRaw(fsAbs(path), true);
  return !fsIsErr(st);
}

function fsStatImpl(path, options, follow, syscall) {
  path = fsPathArg(path);
  const st = fsStatRaw(fsAbs(path), follow);
  if (fsIsErr(st)) {
    if (options !== null && typeof options === 'object' && options.throwIfNoEntry === false &&
        (st === -FS_ENOENT || st === -FS_ENOTDIR)) {
      return undefined;
    }
    fsFail(-st, syscall, path);
  }
  return fsMakeStats(st);
}

function fsStatSync(path, options) {
  return fsStatImpl(path, options, true, 'stat');
}

function fsLstatSync(path, options) {
  return fsStatImpl(path, options, false, 'lstat');
}

function fsReaddirSync(path, options) {
  path = fsPathArg(path);
  const encoding = fsEncodingOf(options, 'utf8');
  const withFileTypes = options !== null && typeof options === 'object' && !!options.withFileTypes;
  const abs = fsAbs(path);
  if (options !== null && typeof options === 'object' && options.recursive) {
    return fsReaddirRecursive(path, abs, withFileTypes);
  }
  const list = fsCheck(fsReaddirRaw(abs), 'scandir', path);
  const out = [];
  for (let i = 0; i < list.length; i++) {
    const name = list[i][0];
    if (withFileTypes) ArrayPrototypePush(out, new Dirent(name, list[i][1], path));
    else ArrayPrototypePush(out, encoding === 'buffer' ? fsBytesOut(bridgeUtf8Encode(name)) : name);
  }
  return out;
}

function fsReaddirRecursive(path, abs, withFileTypes) {
  const out = [];
  const queue = newList();
  listPush(queue, ['', abs]);
  for (let q = 0; q < queue.length; q++) {
    const rel = queue[q][0];
    const list = fsCheck(fsReaddirRaw(queue[q][1]), 'scandir', rel === '' ? path : pathJoinList([path, rel]));
    for (let i = 0; i < list.length; i++) {
      const name = list[i][0];
      const relName = rel === '' ? name : `${rel}/${name}`;
      if (withFileTypes) {
        ArrayPrototypePush(out, new Dirent(name, list[i][1], rel === '' ? path : pathJoinList([path, rel])));
      } else {
        ArrayPrototypePush(out, relName);
      }
      if (list[i][1] === 3) listPush(queue, [relName, `${fsStripSlash(abs)}/${relName}`]);
    }
  }
  return out;
}

function fsMkdirSync(path, options) {
  path = fsPathArg(path);
  const recursive = options !== null && typeof options === 'object' && !!options.recursive;
  const abs = fsStripSlash(fsAbs(path));
  fsInvalidate();
  if (!recursive) {
    if (!fsLocate(abs)) fsFail(fsSyntheticChildren(abs) !== undefined ? FS_EEXIST : FS_ENOENT, 'mkdir', path);
    fsCheck(wasiPathCreateDirectory(fsLocatedFd(), bridgeUtf8Encode(fsLocatedRest())), 'mkdir', path);
    return undefined;
  }
  // Find the deepest existing ancestor, then create downwards.
  const missing = newList();
  let cur = abs;
  for (;;) {
    const st = fsStatRaw(cur, true);
    if (!fsIsErr(st)) {
      if (st !== 'synthetic' && st[2] !== 3) fsFail(cur === abs ? FS_EEXIST : FS_ENOTDIR, 'mkdir', path);
      break;
    }
    if (st !== -FS_ENOENT) fsFail(-st, 'mkdir', path);
    listPush(missing, cur);
    if (cur === '/') break;
    cur = pathDirname(cur);
  }
  let first;
  for (let i = missing.length - 1; i >= 0; i--) {
    const dir = missing[i];
    if (!fsLocate(dir)) fsFail(FS_ENOENT, 'mkdir', path);
    const r = wasiPathCreateDirectory(fsLocatedFd(), bridgeUtf8Encode(fsLocatedRest()));
    if (fsIsErr(r) && r !== -FS_EEXIST) fsFail(-r, 'mkdir', path);
    if (first === undefined) first = dir;
  }
  if (first !== undefined && !pathIsAbsolute(path)) return pathRelative(pathCwd(), first);
  return first;
}

function fsUnlinkSync(path) {
  path = fsPathArg(path);
  const abs = fsAbs(path);
  fsInvalidate();
  fsCheck(fsLocateOrErr(abs), 'unlink', path);
  fsCheck(wasiPathUnlinkFile(fsLocatedFd(), fsRestBytes(abs)), 'unlink', path);
}

function fsRmdirSync(path, options) {
  path = fsPathArg(path);
  if (options !== null && typeof options === 'object' && options.recursive) {
    fsRmSync(path, { __proto__: null, recursive: true });
    return;
  }
  const abs = fsAbs(path);
  fsInvalidate();
  fsCheck(fsLocateOrErr(abs), 'rmdir', path);
  fsCheck(wasiPathRemoveDirectory(fsLocatedFd(), fsRestBytes(abs)), 'rmdir', path);
}

function fsRmTree(abs, path) {
  const st = fsStatRaw(abs, false);
  if (fsIsErr(st)) return st;
  if (st === 'synthetic') return -FS_EROFS;
  fsLocate(abs);
  if (st[2] !== 3) return wasiPathUnlinkFile(fsLocatedFd(), bridgeUtf8Encode(fsLocatedRest()));
  const list = fsReaddirRaw(abs);
  if (fsIsErr(list)) return list;
  for (let i = 0; i < list.length; i++) {
    const r = fsRmTree(`${abs === '/' ? '' : abs}/${list[i][0]}`, path);
    if (fsIsErr(r)) return r;
  }
  fsLocate(abs);
  return wasiPathRemoveDirectory(fsLocatedFd(), bridgeUtf8Encode(fsLocatedRest()));
}

function fsRmSync(path, options) {
  path = fsPathArg(path);
  const recursive = options !== null && typeof options === 'object' && !!options.recursive;
  const force = options !== null && typeof options === 'object' && !!options.force;
  const abs = fsStripSlash(fsAbs(path));
  fsInvalidate();
  const st = fsStatRaw(abs, false);
  if (fsIsErr(st)) {
    if (force && st === -FS_ENOENT) return;
    fsFail(-st, 'lstat', path);
  }
  if (st !== 'synthetic' && st[2] === 3 && !recursive) {
    const err = makeNodeError(ErrorCtor, 'ERR_FS_EISDIR',
      `Path is a directory: rm returned EISDIR (is a directory) ${path}`);
    nodeSet(err, 'errno', 21);
    nodeSet(err, 'syscall', 'rm');
    nodeSet(err, 'path', path);
    throw err;
  }
  const r = fsRmTree(abs, path);
  if (fsIsErr(r) && !(force && r === -FS_ENOENT)) fsFail(-r, 'rm', path);
}

function fsRenameSync(oldPath, newPath) {
  oldPath = fsPathArg(oldPath, 'oldPath');
  newPath = fsPathArg(newPath, 'newPath');
  const a = fsAbs(oldPath);
  const b = fsAbs(newPath);
  fsInvalidate();
  fsCheck(fsLocateOrErr(a), 'rename', oldPath, newPath);
  const fdA = fsLocatedFd();
  const restA = fsRestBytes(a);
  fsCheck(fsLocateOrErr(b), 'rename', oldPath, newPath);
  fsCheck(wasiPathRename(fdA, restA, fsLocatedFd(), fsRestBytes(b)), 'rename', oldPath, newPath);
}

function fsCopyFileSync(src, dest, mode) {
  src = fsPathArg(src, 'src');
  dest = fsPathArg(dest, 'dest');
  const data = fsCheck(fsReadFileRaw(fsAbs(src)), 'copyfile', src, dest);
  fsInvalidate();
  const excl = typeof mode === 'number' && (mode & 1) !== 0;
  const fd = fsCheck(fsOpenRaw(fsAbs(dest), excl ? 1 | 4 | 8 : 1 | 8, FS_RIGHTS_WRITE, 0), 'copyfile', src, dest);
  const r = fsWriteAll(fd, data);
  wasiFdClose(fd);
  fsCheck(r, 'copyfile', src, dest);
}

function fsReadlinkSync(path, options) {
  path = fsPathArg(path);
  const abs = fsAbs(path);
  fsCheck(fsLocateOrErr(abs), 'readlink', path);
  const r = fsCheck(wasiPathReadlink(fsLocatedFd(), fsRestBytes(abs)), 'readlink', path);
  const encoding = fsEncodingOf(options, 'utf8');
  return encoding === 'buffer' ? fsBytesOut(r) : bridgeUtf8Decode(r, false);
}

function fsSymlinkSync(target, path) {
  target = fsPathArg(target, 'target');
  path = fsPathArg(path);
  const abs = fsAbs(path);
  fsInvalidate();
  fsCheck(fsLocateOrErr(abs), 'symlink', target, path);
  fsCheck(wasiPathSymlink(bridgeUtf8Encode(target), fsLocatedFd(), fsRestBytes(abs)), 'symlink', target, path);
}

// Canonical guest path: symlinks resolved component by component (in guest path space; the
// native side refuses links that leave a mount anyway). -errno on failure.
function fsRealpathRaw(abs) {
  let links = 0;
  let pending = StringPrototypeSlice(fsStripSlash(abs), 1);
  let resolved = '/';
  while (pending.length > 0) {
    let slash = StringPrototypeIndexOf(pending, '/');
    if (slash === -1) slash = pending.length;
    const part = StringPrototypeSlice(pending, 0, slash);
    pending = StringPrototypeSlice(pending, slash + 1);
    if (part === '' || part === '.') continue;
    if (part === '..') {
      resolved = pathDirname(resolved);
      continue;
    }
    const next = resolved === '/' ? `/${part}` : `${resolved}/${part}`;
    const st = fsStatRaw(next, false);
    if (fsIsErr(st)) return st;
    if (st !== 'synthetic' && st[2] === 7) {
      if (++links > 40) return -32;
      fsLocate(next);
      const target = wasiPathReadlink(fsLocatedFd(), bridgeUtf8Encode(fsLocatedRest()));
      if (fsIsErr(target)) return target;
      const text = bridgeUtf8Decode(target, false);
      if (StringPrototypeCharCodeAt(text, 0) === 47) resolved = '/';
      pending = pending.length > 0 ? `${text}/${pending}` : text;
      continue;
    }
    resolved = next;
  }
  return resolved;
}

function fsRealpathSync(path, options) {
  path = fsPathArg(path);
  const r = fsCheck(fsRealpathRaw(fsAbs(path)), 'realpath', path);
  const encoding = fsEncodingOf(options, 'utf8');
  return encoding === 'buffer' ? fsBytesOut(bridgeUtf8Encode(r)) : r;
}

function fsAccessSync(path, mode) {
  path = fsPathArg(path);
  const abs = fsAbs(path);
  const st = fsCheck(fsStatRaw(abs, true), 'access', path);
  if (typeof mode === 'number' && (mode & 2) !== 0) {
    if (st === 'synthetic') fsFail(FS_EROFS, 'access', path);
  }
}

// fds the guest opened through fs.openSync (only these may be used or closed by number).
const fsUserFds = new SetCtor();
const FsSetPrototypeDelete = uncurryThis(Set.prototype.delete);

function fsUserFd(fd, syscall = 'read') {
  if (typeof fd !== 'number' || !NumberIsInteger(fd) || fd < 0 || fd > 0x7fffffff) {
    throw makeOutOfRange('fd', '>= 0 && <= 2147483647', fd);
  }
  if (!SetPrototypeHas(fsUserFds, fd)) fsFail(FS_EBADF, syscall);
  return fd;
}

function fsOpenSync(path, flags = 'r', mode) {
  path = fsPathArg(path);
  const f = fsParseFlags(flags === null ? 'r' : flags);
  const abs = fsAbs(path);
  if (f.oflags !== 0) fsInvalidate();
  let fd = fsOpenRaw(abs, f.oflags, fsRightsOf(f), f.fdflags);
  if (fd === -FS_EISDIR && !f.write) fd = fsOpenRaw(abs, 2, FS_RIGHTS_DIR, 0);
  fsCheck(fd, 'open', path);
  SetPrototypeAdd(fsUserFds, fd);
  return fd;
}

function fsCloseSync(fd) {
  fsUserFd(fd, 'close');
  FsSetPrototypeDelete(fsUserFds, fd);
  fsCheck(wasiFdClose(fd), 'close');
}

function fsBufferArgs(buffer, offsetOrOptions, length, position) {
  if (!ArrayBufferIsView(buffer)) {
    throw makeInvalidArgType('buffer', 'an instance of Buffer, TypedArray, or DataView', buffer);
  }
  const view = toUint8View(buffer);
  let offset = offsetOrOptions;
  if (offset !== null && typeof offset === 'object') {
    length = offset.length;
    position = offset.position;
    offset = offset.offset;
  }
  const total = TypedArrayPrototypeGetLength(view);
  offset = offset === undefined || offset === null ? 0 : offset;
  if (typeof offset !== 'number' || offset < 0 || offset > total) throw makeOutOfRange('offset', `>= 0 && <= ${total}`, offset);
  if (length === undefined || length === null) length = total - offset;
  if (typeof length !== 'number' || length < 0 || offset + length > total) {
    throw makeOutOfRange('length', `>= 0 && <= ${total - offset}`, length);
  }
  return { __proto__: null, view, offset, length, position };
}

function fsReadSync(fd, buffer, offsetOrOptions, length, position) {
  fsUserFd(fd);
  const a = fsBufferArgs(buffer, offsetOrOptions, length, position);
  if (a.length === 0) return 0;
  const pos = a.position;
  const data = typeof pos === 'bigint' || (typeof pos === 'number' && pos >= 0) ?
    wasiFdPread(fd, a.length, FsBigIntAsUintN(64, BigIntCtor(pos))) : wasiFdRead(fd, a.length);
  fsCheck(data, 'read');
  const n = TypedArrayPrototypeGetLength(data);
  TypedArrayPrototypeSet(a.view, data, a.offset);
  return n;
}

function fsWriteSync(fd, buffer, offsetOrOptions, length, position) {
  let bytes;
  if (typeof buffer === 'string') {
    bytes = fsBytesIn(buffer, typeof length === 'string' ? length : 'utf8', 'buffer');
    position = offsetOrOptions;
  } else {
    const a = fsBufferArgs(buffer, offsetOrOptions, length, position);
    bytes = TypedArrayPrototypeSubarray(a.view, a.offset, a.offset + a.length);
    position = a.position;
  }
  if (fd === 1 || fd === 2) {
    bridgeWrite(fd, bytes);
    return TypedArrayPrototypeGetLength(bytes);
  }
  fsUserFd(fd, 'write');
  if (typeof position === 'bigint' || (typeof position === 'number' && position >= 0)) {
    return fsCheck(wasiFdPwrite(fd, bytes, FsBigIntAsUintN(64, BigIntCtor(position))), 'write');
  }
  return fsCheck(wasiFdWrite(fd, bytes), 'write');
}

function fsFstatSync(fd) {
  fsUserFd(fd, 'fstat');
  return fsMakeStats(fsCheck(wasiFdFilestatGet(fd), 'fstat'));
}

function fsMkdtempSync(prefix) {
  prefix = fsPathArg(prefix, 'prefix');
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  for (let tries = 0; tries < 100; tries++) {
    const rnd = wasiRandomGet(6);
    let name = prefix;
    for (let i = 0; i < 6; i++) name += chars[(fsIsErr(rnd) ? (tries * 7 + i * 13) : rnd[i]) % 62];
    const abs = fsAbs(name);
    fsInvalidate();
    if (!fsLocate(abs)) fsFail(FS_ENOENT, 'mkdtemp', `${prefix}XXXXXX`);
    const r = wasiPathCreateDirectory(fsLocatedFd(), bridgeUtf8Encode(fsLocatedRest()));
    if (r === -FS_EEXIST) continue;
    fsCheck(r, 'mkdtemp', `${prefix}XXXXXX`);
    return name;
  }
  fsFail(FS_EEXIST, 'mkdtemp', `${prefix}XXXXXX`);
}

function fsTruncateSync(path, len = 0) {
  if (typeof path === 'number') {
    fsCheck(wasiFdFilestatSetSize(fsUserFd(path), BigIntCtor(len)), 'ftruncate');
    return;
  }
  path = fsPathArg(path);
  fsInvalidate();
  const fd = fsCheck(fsOpenRaw(fsAbs(path), 0, FS_RIGHTS_WRITE, 0), 'open', path);
  const r = wasiFdFilestatSetSize(fd, BigIntCtor(len));
  wasiFdClose(fd);
  fsCheck(r, 'ftruncate', path);
}

// ---- callback and promise forms ----

function fsMakeCallback(name, sync, resultless) {
  const fn = function (...args) {
    let cb = args.length > 0 ? args[args.length - 1] : undefined;
    if (typeof cb !== 'function') throw makeInvalidArgType('cb', 'function', cb);
    ArrayPrototypePop(args);
    let err = null;
    let result;
    try {
      result = ReflectApply(sync, undefined, args);
    } catch (e) {
      err = e;
    }
    if (resultless || err !== null) setImmediate(cb, err);
    else setImmediate(cb, null, result);
    cb = undefined;
  };
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: name });
  return fn;
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

function createFsModule() {
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
    realpathSync: fsRealpathSync,
    accessSync: fsAccessSync,
    openSync: fsOpenSync,
    closeSync: fsCloseSync,
    readSync: fsReadSync,
    writeSync: fsWriteSync,
    fstatSync: fsFstatSync,
    mkdtempSync: fsMkdtempSync,
    truncateSync: fsTruncateSync,
  };
  const fs = {};
  const promises = {};
  const names = ObjectKeys(sync);
  const resultless = ['writeFileSync', 'appendFileSync', 'unlinkSync', 'rmdirSync', 'rmSync', 'renameSync',
    'copyFileSync', 'symlinkSync', 'accessSync', 'closeSync', 'truncateSync'];
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
  // Node's promises API takes FileHandles, not fds: keep only the path-based functions.
  delete promises.open;
  delete promises.close;
  delete promises.read;
  delete promises.write;
  delete promises.fstat;
  fs.exists = function exists(path, cb) {
    validateFunction(cb, 'cb');
    setImmediate(cb, fsExistsSync(path));
  };
  nodeSet(fs.realpathSync, 'native', fs.realpathSync);
  nodeSet(fs.realpath, 'native', fs.realpath);
  fs.constants = {
    F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1,
    O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_CREAT: 0o100, O_EXCL: 0o200, O_NOCTTY: 0o400,
    O_TRUNC: 0o1000, O_APPEND: 0o2000, O_DIRECTORY: 0o200000, O_NOFOLLOW: 0o400000,
    O_SYNC: 0o4010000, O_DSYNC: 0o10000,
    S_IFMT: FS_S_IFMT, S_IFREG: FS_S_IFREG, S_IFDIR: FS_S_IFDIR, S_IFCHR: FS_S_IFCHR, S_IFBLK: FS_S_IFBLK,
    S_IFIFO: FS_S_IFIFO, S_IFLNK: FS_S_IFLNK, S_IFSOCK: FS_S_IFSOCK,
    COPYFILE_EXCL: 1, COPYFILE_FICLONE: 2, COPYFILE_FICLONE_FORCE: 4,
  };
  nodeSet(fs, 'F_OK', 0);
  nodeSet(fs, 'R_OK', 4);
  nodeSet(fs, 'W_OK', 2);
  nodeSet(fs, 'X_OK', 1);
  nodeSet(fs, 'Stats', Stats);
  nodeSet(fs, 'Dirent', Dirent);
  nodeSet(promises, 'constants', fs.constants);
  nodeSet(fs, 'promises', promises);
  return fs;
}
