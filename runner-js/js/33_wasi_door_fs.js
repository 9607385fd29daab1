// 33_wasi_door_fs.js: the door's file ops (33_wasi_door.js has the frames' contract). `chmod`,
// which preview1 lacks, through the sandbox's chmod as the commands' `agentos_v3.path_chmod`
// (WASI.md): the nine `rwx` bits (setuid, setgid, sticky: EPERM), EROFS on a read-only mount.
//   {"op": "chmod", "path": "/abs", "mode": N, "follow": B}   a guest path (a final symlink
//                                                              followed unless "follow" is false)
//   {"op": "chmod", "fd": N, "mode": N}                       an open file or directory
// Answer: {} or {"errno": NAME, "message": ".."}.

import { bridgeUtf8Encode, StringPrototypeIncludes } from './00_primordials.js';
import { wasiFdChmod, wasiPathChmod } from './32_wasi_fs.js';
import {
  DOOR_NOTHING,
  doorAnswer,
  doorErrno,
  doorError,
  doorNumber,
} from './33_wasi_door_frames.js';
import { pathNormalize } from './40_path.js';
import { fsLocate, fsLocatedFd, fsLocatedRest } from './41_fs_core.js';

const DOOR_MAX_MODE = 0o7777;
const DOOR_MAX_FD = 0x7fffffff;

function doorChmod(header) {
  const mode = doorNumber(header.mode, -1);
  if (mode < 0 || mode > DOOR_MAX_MODE) return doorError('EINVAL', 'a mode is 0 to 0o7777');
  let r;
  if (header.fd !== undefined) {
    const fd = doorNumber(header.fd, -1);
    if (fd < 0 || fd > DOOR_MAX_FD) return doorError('EBADF', 'not an fd');
    r = wasiFdChmod(fd, mode);
  } else {
    const path = header.path;
    if (typeof path !== 'string' || path[0] !== '/' || StringPrototypeIncludes(path, '\0')) {
      return doorError('EINVAL', 'a path is absolute, without NUL');
    }
    if (!fsLocate(pathNormalize(path))) return doorError('ENOENT', '');
    const follow = header.follow === false ? 0 : 1;
    r = wasiPathChmod(fsLocatedFd(), follow, bridgeUtf8Encode(fsLocatedRest()), mode);
  }
  return r === 0 ? doorAnswer({}, DOOR_NOTHING) : doorErrno(r);
}

export const DOOR_FS_OPS = {
  __proto__: null,
  chmod: doorChmod,
};
