// 45_fs_dirs.js: the sync API on directories and names: readdir, mkdir, mkdtemp, rmdir, rm,
// unlink, rename, symlink, readlink, realpath.

import {
  ArrayPrototypePush,
  bridgeUtf8Decode,
  bridgeUtf8Encode,
  ErrorCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeEndsWith,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
} from './00_primordials.js';
import { listPush, newList } from './01_helpers.js';
import { makeNodeError } from './06_errors.js';
import { emitWarning } from './23_warnings.js';
import { wasiRandomGet } from './30_wasi.js';
import {
  wasiPathChmod,
  wasiPathCreateDirectory,
  wasiPathLink,
  wasiPathReadlink,
  wasiPathRemoveDirectory,
  wasiPathRename,
  wasiPathSymlink,
  wasiPathUnlinkFile,
} from './32_wasi_fs.js';
import {
  nodeSet,
  pathCwd,
  pathDirname,
  pathIsAbsolute,
  pathJoinList,
  pathRelative,
} from './40_path.js';
import {
  FS_EEXIST,
  FS_ENOENT,
  FS_ENOTDIR,
  FS_EROFS,
  fsAbs,
  fsCheck,
  fsFail,
  fsInvalidate,
  fsIsErr,
  fsLocate,
  fsLocatedFd,
  fsLocatedRest,
  fsLocateOrErr,
  fsPathArg,
  fsReaddirRaw,
  fsRestBytes,
  fsStatRaw,
  fsStripSlash,
  fsSyntheticChildren,
  fsUmask,
} from './41_fs_core.js';
import { fsBytesOut, fsEncodingOf } from './42_fs_bytes.js';
import { Dirent } from './43_fs_stats.js';
import { fsModeArg } from './44_fs_files.js';

/** A file name in `encoding`: as it is for UTF-8, else its UTF-8 bytes as a Buffer or decoded
 * in that encoding (as Node hands back names). */
function fsNameOut(name, encoding) {
  return encoding === 'utf8' ? name : fsBytesOut(bridgeUtf8Encode(name), encoding);
}

export function fsReaddirSync(path, options) {
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
    else ArrayPrototypePush(out, fsNameOut(name, encoding));
  }
  return out;
}

function fsReaddirRecursive(path, abs, withFileTypes) {
  const out = [];
  const queue = newList();
  listPush(queue, ['', abs]);
  for (let q = 0; q < queue.length; q++) {
    const rel = queue[q][0];
    const list = fsCheck(
      fsReaddirRaw(queue[q][1]),
      'scandir',
      rel === '' ? path : pathJoinList([path, rel]),
    );
    for (let i = 0; i < list.length; i++) {
      const name = list[i][0];
      const relName = rel === '' ? name : `${rel}/${name}`;
      if (withFileTypes) {
        ArrayPrototypePush(
          out,
          new Dirent(name, list[i][1], rel === '' ? path : pathJoinList([path, rel])),
        );
      } else {
        ArrayPrototypePush(out, relName);
      }
      if (list[i][1] === 3) listPush(queue, [relName, `${fsStripSlash(abs)}/${relName}`]);
    }
  }
  return out;
}

// The bits a directory made with `options` (a mode, or `{ mode }`) gets, or undefined where
// the host's own creation gives them already (0o755: 0o777 less the usual umask).
function fsDirBits(options) {
  let mode = options !== null && typeof options === 'object' ? options.mode : options;
  if (mode === undefined || mode === null) mode = 0o777;
  const bits = fsModeArg(mode) & 0o777 & ~fsUmask();
  return bits === 0o755 ? undefined : bits;
}

// Makes the directory `fsLocate` found; -errno or 0.
function fsMkdirLocated(bits) {
  const rest = bridgeUtf8Encode(fsLocatedRest());
  const r = wasiPathCreateDirectory(fsLocatedFd(), rest);
  if (fsIsErr(r) || bits === undefined) return r;
  return wasiPathChmod(fsLocatedFd(), 0, rest, bits);
}

export function fsMkdirSync(path, options) {
  path = fsPathArg(path);
  const recursive = options !== null && typeof options === 'object' && !!options.recursive;
  const bits = fsDirBits(options);
  const abs = fsStripSlash(fsAbs(path));
  fsInvalidate();
  if (!recursive) {
    if (!fsLocate(abs))
      fsFail(fsSyntheticChildren(abs) !== undefined ? FS_EEXIST : FS_ENOENT, 'mkdir', path);
    fsCheck(fsMkdirLocated(bits), 'mkdir', path);
    return undefined;
  }
  // Find the deepest existing ancestor, then create downwards.
  const missing = newList();
  let cur = abs;
  for (;;) {
    const st = fsStatRaw(cur, true);
    if (!fsIsErr(st)) {
      if (st !== 'synthetic' && st[2] !== 3)
        fsFail(cur === abs ? FS_EEXIST : FS_ENOTDIR, 'mkdir', path);
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
    const r = fsMkdirLocated(bits);
    if (fsIsErr(r) && r !== -FS_EEXIST) fsFail(-r, 'mkdir', path);
    if (first === undefined) first = dir;
  }
  if (first !== undefined && !pathIsAbsolute(path)) return pathRelative(pathCwd(), first);
  return first;
}

export function fsUnlinkSync(path) {
  path = fsPathArg(path);
  const abs = fsAbs(path);
  fsInvalidate();
  fsCheck(fsLocateOrErr(abs), 'unlink', path);
  fsCheck(wasiPathUnlinkFile(fsLocatedFd(), fsRestBytes(abs)), 'unlink', path);
}

let recursiveRmdirWarned = false;

/** `rmdir(path, { recursive: true })`: deprecated (DEP0147); a directory goes as with `rm -r`,
 * a missing path is `lstat`'s ENOENT, anything else is left to `rmdir` (ENOTDIR), as Node. */
function fsRmdirRecursive(path) {
  if (!recursiveRmdirWarned) {
    recursiveRmdirWarned = true;
    emitWarning(
      'In future versions of Node.js, fs.rmdir(path, { recursive: true }) will be removed. ' +
        'Use fs.rm(path, { recursive: true }) instead',
      'DeprecationWarning',
      'DEP0147',
    );
  }
  const st = fsCheck(fsStatRaw(fsAbs(path), false), 'lstat', path);
  if (st !== 'synthetic' && st[2] !== 3) return false;
  fsRmSync(path, { __proto__: null, recursive: true });
  return true;
}

export function fsRmdirSync(path, options) {
  path = fsPathArg(path);
  if (options !== null && typeof options === 'object' && options.recursive) {
    if (fsRmdirRecursive(path)) return;
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

export function fsRmSync(path, options) {
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
    const err = makeNodeError(
      ErrorCtor,
      'ERR_FS_EISDIR',
      `Path is a directory: rm returned EISDIR (is a directory) ${path}`,
    );
    nodeSet(err, 'errno', 21);
    nodeSet(err, 'syscall', 'rm');
    nodeSet(err, 'path', path);
    throw err;
  }
  const r = fsRmTree(abs, path);
  if (fsIsErr(r) && !(force && r === -FS_ENOENT)) fsFail(-r, 'rm', path);
}

export function fsRenameSync(oldPath, newPath) {
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

export function fsReadlinkSync(path, options) {
  const encoding = fsEncodingOf(options, 'utf8');
  path = fsPathArg(path);
  const abs = fsAbs(path);
  fsCheck(fsLocateOrErr(abs), 'readlink', path);
  const r = fsCheck(wasiPathReadlink(fsLocatedFd(), fsRestBytes(abs)), 'readlink', path);
  return fsBytesOut(r, encoding);
}

export function fsSymlinkSync(target, path, type) {
  target = fsPathArg(target, 'target');
  path = fsPathArg(path);
  // Node's stringToSymlinkType: only a string is looked at.
  if (typeof type === 'string' && type !== 'dir' && type !== 'file' && type !== 'junction') {
    throw makeNodeError(
      ErrorCtor,
      'ERR_FS_INVALID_SYMLINK_TYPE',
      `Symlink type must be one of "dir", "file", or "junction". Received "${type}"`,
    );
  }
  const abs = fsAbs(path);
  fsInvalidate();
  fsCheck(fsLocateOrErr(abs), 'symlink', target, path);
  fsCheck(
    wasiPathSymlink(bridgeUtf8Encode(target), fsLocatedFd(), fsRestBytes(abs)),
    'symlink',
    target,
    path,
  );
}

/** `fs.linkSync`: a hard link, both paths inside mounts (WASI's path_link). */
export function fsLinkSync(existingPath, newPath) {
  existingPath = fsPathArg(existingPath, 'existingPath');
  newPath = fsPathArg(newPath, 'newPath');
  const from = fsAbs(existingPath);
  fsCheck(fsLocateOrErr(from), 'link', existingPath, newPath);
  const fromFd = fsLocatedFd();
  const fromRest = fsRestBytes(from);
  const to = fsAbs(newPath);
  fsCheck(fsLocateOrErr(to), 'link', existingPath, newPath);
  fsInvalidate();
  fsCheck(
    wasiPathLink(fromFd, 0, fromRest, fsLocatedFd(), fsRestBytes(to)),
    'link',
    existingPath,
    newPath,
  );
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

export function fsRealpathSync(path, options) {
  const encoding = fsEncodingOf(options, 'utf8');
  path = fsPathArg(path);
  const r = fsCheck(fsRealpathRaw(fsAbs(path)), 'realpath', path);
  return fsNameOut(r, encoding);
}

let nonPortableTemplateWarned = false;

export function fsMkdtempSync(prefix, options) {
  const encoding = fsEncodingOf(options, 'utf8');
  prefix = fsPathArg(prefix, 'prefix');
  // Templates ending in X are handled differently across platforms (Node warns once).
  if (
    !nonPortableTemplateWarned &&
    typeof prefix === 'string' &&
    StringPrototypeEndsWith(prefix, 'X')
  ) {
    nonPortableTemplateWarned = true;
    emitWarning(
      'mkdtemp() templates ending with X are not portable. For details see: ' +
        'https://nodejs.org/api/fs.html',
    );
  }
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  for (let tries = 0; tries < 100; tries++) {
    const rnd = wasiRandomGet(6);
    let name = prefix;
    for (let i = 0; i < 6; i++) name += chars[(fsIsErr(rnd) ? tries * 7 + i * 13 : rnd[i]) % 62];
    const abs = fsAbs(name);
    fsInvalidate();
    if (!fsLocate(abs)) fsFail(FS_ENOENT, 'mkdtemp', `${prefix}XXXXXX`);
    const r = wasiPathCreateDirectory(fsLocatedFd(), bridgeUtf8Encode(fsLocatedRest()));
    if (r === -FS_EEXIST) continue;
    fsCheck(r, 'mkdtemp', `${prefix}XXXXXX`);
    return fsNameOut(name, encoding);
  }
  fsFail(FS_EEXIST, 'mkdtemp', `${prefix}XXXXXX`);
}
