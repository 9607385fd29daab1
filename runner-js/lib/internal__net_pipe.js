// lib/internal__net_pipe.js: Unix domain sockets for `net` (`server.listen(path)`,
// `net.connect(path)`, `{ path }` options, abstract `\0names`). A listener is a name in the exec's
// port registry (natives `netListenPath`/`netConnectPath`), keyed by the absolute guest path, so
// only guests of the exec reach it. As on Linux, listening makes a socket file at the path (so a
// taken path is EADDRINUSE, and `fs.stat` says `isSocket()`), and closing the server removes it,
// as libuv does; an abstract name has no file.
import { bridge } from 'agentos:bridge';
import {
  bridgeUtf8Encode,
  ErrorCtor,
  NumberCtor,
  StringPrototypeCharCodeAt,
} from '../js/00_primordials.js';
import { wasiPathMakeSocket, wasiPathUnlinkFile } from '../js/32_wasi_fs.js';
import {
  FS_EEXIST,
  FS_ENOENT,
  fsAbs,
  fsErrnoInfo,
  fsInvalidate,
  fsIsErr,
  fsLocate,
  fsLocatedFd,
  fsLocatedRest,
  fsStatRaw,
  fsSyntheticChildren,
} from '../js/41_fs_core.js';

const netListenPath = bridge.netListenPath;
const netConnectPath = bridge.netConnectPath;
const netReleasePath = bridge.netReleasePath;
const SUN_PATH_MAX = 107;
const WASI_SOCKET_STREAM = 6;

/** libuv's messages for the codes a pipe's listen can fail with. */
const UV_MESSAGES = {
  __proto__: null,
  EADDRINUSE: [-98, 'address already in use'],
  EACCES: [-13, 'permission denied'],
  EINVAL: [-22, 'invalid argument'],
  ENOENT: [-2, 'no such file or directory'],
  ENOTDIR: [-20, 'not a directory'],
  EROFS: [-30, 'read-only file system'],
  ECONNREFUSED: [-111, 'connection refused'],
};

/** True for what Node takes as a pipe's name rather than a port: a string not a number >= 0. */
export function isPipeName(value) {
  return typeof value === 'string' && !(NumberCtor(value) >= 0);
}

function isAbstract(path) {
  return path.length > 0 && StringPrototypeCharCodeAt(path, 0) === 0;
}

/**
 * Past Linux's `sun_path` (107 bytes and its NUL) as written. libuv would cut the path there and
 * bind the shorter name; here it is EINVAL.
 */
function tooLong(path) {
  return path.length > SUN_PATH_MAX || bridgeUtf8Encode(path).length > SUN_PATH_MAX;
}

/** The registry's name of the socket at `path`: its absolute guest path, or the abstract name. */
export function pipeKey(path) {
  return isAbstract(path) ? path : fsAbs(path);
}

/**
 * Node's error for a pipe: `listen EADDRINUSE: address already in use /p`, `connect ENOENT /p`;
 * a code libuv does not have (a limit) keeps the sidecar's `message`.
 */
function pipeError(syscall, code, path, message) {
  const row = UV_MESSAGES[code];
  let text = `${syscall} ${code} ${path}`;
  if (row === undefined && message !== undefined) text = message;
  else if (syscall === 'listen')
    text = `listen ${code}: ${row === undefined ? code : row[1]} ${path}`;
  const err = new ErrorCtor(text);
  err.errno = row === undefined ? undefined : row[0];
  err.code = code;
  err.syscall = syscall;
  err.address = path;
  return err;
}

/** The socket file at `abs`: 0, or the WASI errno of the failure. */
function makeSocketFile(abs) {
  fsInvalidate();
  if (!fsLocate(abs)) return fsSyntheticChildren(abs) !== undefined ? FS_EEXIST : FS_ENOENT;
  const r = wasiPathMakeSocket(fsLocatedFd(), bridgeUtf8Encode(fsLocatedRest()));
  return fsIsErr(r) ? -r : 0;
}

/** True when a socket file is at `abs` (not following a final symlink). */
function isSocketFile(abs) {
  const st = fsStatRaw(abs, false);
  return !fsIsErr(st) && typeof st === 'object' && st[2] === WASI_SOCKET_STREAM;
}

/**
 * Frees a closing listener's socket at once, as libuv's close does: the name (a new server may
 * listen there now; this one ends) and its socket file, if a socket file is still there (the
 * guest may have removed it, or put something else in its place).
 */
export function releasePipe(pipe) {
  if (pipe.key !== undefined) netReleasePath(pipe.key);
  if (pipe.file === undefined || !isSocketFile(pipe.file)) return;
  fsInvalidate();
  if (fsLocate(pipe.file)) wasiPathUnlinkFile(fsLocatedFd(), bridgeUtf8Encode(fsLocatedRest()));
}

/**
 * Listens on the Unix socket `path`: `{ id, key, file }` (`key` its name, `file` the socket file
 * to remove on close, undefined for an abstract name), or the Node error to emit.
 */
export function listenPipe(path) {
  if (tooLong(path)) return pipeError('listen', 'EINVAL', path);
  const key = pipeKey(path);
  let file;
  if (!isAbstract(path)) {
    const errno = makeSocketFile(key);
    if (errno === FS_EEXIST) return pipeError('listen', 'EADDRINUSE', path);
    if (errno !== 0) {
      const info = fsErrnoInfo(errno);
      return pipeError('listen', info === undefined ? 'EIO' : info.code, path);
    }
    file = key;
  }
  const started = netListenPath(key);
  if (typeof started !== 'object' || started === null || started.code !== undefined) {
    releasePipe({ key: undefined, file });
    return pipeError('listen', started.code, path, started.message);
  }
  return { id: started[0], key, file };
}

/**
 * Connects to the Unix socket `path`: the socket operation's id, or the Node error, as Linux
 * answers: no file is ENOENT (also when the guest removed a listener's file), a file with no
 * listener (a stale socket, or not a socket) ECONNREFUSED, an abstract name with none too.
 */
export function connectPipe(path) {
  if (tooLong(path)) return pipeError('connect', 'EINVAL', path);
  const key = pipeKey(path);
  if (!isAbstract(path)) {
    const st = fsStatRaw(key, true);
    if (fsIsErr(st)) return pipeError('connect', 'ENOENT', path);
    if (typeof st !== 'object' || st[2] !== WASI_SOCKET_STREAM) {
      return pipeError('connect', 'ECONNREFUSED', path);
    }
  }
  const id = netConnectPath(key);
  if (typeof id === 'number') return id;
  const code = id.code === 'ENOENT' ? 'ECONNREFUSED' : id.code;
  return pipeError('connect', code, path, id.message);
}
