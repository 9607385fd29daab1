// 25_stdin.js: process.stdin, a minimal Readable fed by runner.stdinData / runner.stdinEnd.

// A stdin chunk: a Uint8Array with Buffer-like toString(encoding, start, end).

import {
  ArrayPrototypePush,
  ArrayPrototypeShift,
  ArrayPrototypeSplice,
  MathMax,
  MathMin,
  ObjectSetPrototypeOf,
  PromiseCtor,
  PromiseResolve,
  StringFromCharCode,
  StringPrototypeToLowerCase,
  SymbolAsyncIterator,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSlice,
  TypedArrayPrototypeSubarray,
  TypeErrorCtor,
  Uint8ArrayCtor,
} from './00_primordials.js';
import { listPush, newList, toStringSafe } from './01_helpers.js';
import { hexByte } from './02_inspect_base.js';
import { makeNodeError } from './06_errors.js';
import { newStreamDecoder, TextDecoderPrototypeDecode, utf8Decode } from './07_encoding.js';
import {
  EventEmitter,
  EventEmitterPrototypeEmit,
  EventEmitterPrototypeListenerCount,
  setEmitterHook,
} from './08_events.js';
import { processObject, setStdinRef } from './20_exit.js';
import { internalNextTick, runGuest } from './21_ticks.js';
import { wasiFdRead } from './30_wasi.js';

export class StdinChunk extends Uint8ArrayCtor {
  toString(encoding = 'utf8', start = 0, end = undefined) {
    const len = TypedArrayPrototypeGetLength(this);
    start = MathMax(0, MathMin(len, start | 0));
    end = end === undefined ? len : MathMax(start, MathMin(len, end | 0));
    return bytesToString(TypedArrayPrototypeSubarray(this, start, end), encoding);
  }

  toJSON() {
    const data = [];
    const len = TypedArrayPrototypeGetLength(this);
    for (let i = 0; i < len; i++) ArrayPrototypePush(data, this[i]);
    return { type: 'Buffer', data };
  }
}

export function normalizeEncoding(encoding) {
  const e = StringPrototypeToLowerCase(`${encoding}`);
  if (e === 'utf8' || e === 'utf-8') return 'utf8';
  if (e === 'hex' || e === 'latin1' || e === 'binary' || e === 'ascii' || e === 'base64') return e;
  return undefined;
}

const base64Chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function bytesToString(bytes, encoding) {
  const enc = encoding === undefined || encoding === null ? 'utf8' : normalizeEncoding(encoding);
  if (enc === 'utf8') return utf8Decode(bytes);
  if (enc === undefined) {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_UNKNOWN_ENCODING',
      `Unknown encoding: ${toStringSafe(encoding)}`,
    );
  }
  const len = TypedArrayPrototypeGetLength(bytes);
  let out = '';
  if (enc === 'hex') {
    for (let i = 0; i < len; i++) out += hexByte(bytes[i]);
  } else if (enc === 'base64') {
    for (let i = 0; i < len; i += 3) {
      const n =
        (bytes[i] << 16) |
        ((i + 1 < len ? bytes[i + 1] : 0) << 8) |
        (i + 2 < len ? bytes[i + 2] : 0);
      out += base64Chars[(n >> 18) & 63] + base64Chars[(n >> 12) & 63];
      out += i + 1 < len ? base64Chars[(n >> 6) & 63] : '=';
      out += i + 2 < len ? base64Chars[n & 63] : '=';
    }
  } else {
    const mask = enc === 'ascii' ? 0x7f : 0xff;
    for (let i = 0; i < len; i++) out += StringFromCharCode(bytes[i] & mask);
  }
  return out;
}

const stdinChunks = newList();
let stdinEnded = false; // no more data will arrive
let stdinEndEmitted = false;
let stdinDestroyed = false;
let stdinFlowing = null; // null: no consumer yet; true: flowing; false: paused
let stdinExplicitResume = false;
let stdinUnrefed = false;
let stdinEncoding; // undefined: chunks are StdinChunk
let stdinDecoder;
let stdinFlowScheduled = false;
let stdinReadableScheduled = false;
let stdinIterActive = false;
let stdinIterWaiter; // { resolve, reject } of a pending next()

function updateStdinRef() {
  const dataListeners = EventEmitterPrototypeListenerCount(stdin, 'data');
  const readableListeners = EventEmitterPrototypeListenerCount(stdin, 'readable');
  const wanted =
    !stdinEnded &&
    !stdinDestroyed &&
    !stdinUnrefed &&
    ((stdinFlowing === true && (dataListeners > 0 || stdinExplicitResume)) ||
      readableListeners > 0 ||
      stdinIterActive);
  setStdinRef(wanted);
}

// Converts a raw chunk to what consumers get (string when an encoding is set); '' is skipped.
function decodeChunk(chunk) {
  if (stdinEncoding === undefined) return chunk;
  if (stdinEncoding === 'utf8') {
    return TextDecoderPrototypeDecode(stdinDecoder, chunk, { __proto__: null, stream: true });
  }
  return bytesToString(chunk, stdinEncoding);
}

function flushDecoder() {
  if (stdinEncoding !== 'utf8') return '';
  return TextDecoderPrototypeDecode(stdinDecoder, undefined, undefined);
}

function stdinEmit(event, arg) {
  runGuest(
    EventEmitterPrototypeEmit,
    undefined,
    arg === undefined ? [stdin, event] : [stdin, event, arg],
  );
}

function scheduleFlow() {
  if (stdinFlowScheduled) return;
  stdinFlowScheduled = true;
  internalNextTick(stdinFlow, undefined);
}

function stdinFlow() {
  stdinFlowScheduled = false;
  while (stdinFlowing === true && !stdinDestroyed && stdinChunks.length > 0) {
    const data = decodeChunk(ArrayPrototypeShift(stdinChunks));
    if (typeof data !== 'string' || data !== '') stdinEmit('data', data);
  }
  if (stdinFlowing === true) maybeEmitEnd();
  updateStdinRef();
}

function maybeEmitEnd() {
  if (!stdinEnded || stdinEndEmitted || stdinDestroyed || stdinChunks.length > 0) return;
  const tail = flushDecoder();
  if (tail !== '' && stdinFlowing === true) stdinEmit('data', tail);
  stdinEndEmitted = true;
  stdinEmit('end', undefined);
  internalNextTick(emitClose, undefined);
}

function emitClose() {
  stdinEmit('close', undefined);
}

function scheduleReadable() {
  if (stdinReadableScheduled) return;
  stdinReadableScheduled = true;
  internalNextTick(emitReadable, undefined);
}

function emitReadable() {
  stdinReadableScheduled = false;
  if (stdinDestroyed || stdinEndEmitted) return;
  stdinEmit('readable', undefined);
  if (stdinChunks.length === 0) maybeEmitEnd();
}

function settleWaiter(value, done) {
  const waiter = stdinIterWaiter;
  stdinIterWaiter = undefined;
  waiter.resolve({ value, done });
}

function feedIterator() {
  while (stdinIterWaiter !== undefined && stdinChunks.length > 0) {
    const data = decodeChunk(ArrayPrototypeShift(stdinChunks));
    if (typeof data === 'string' && data === '') continue;
    settleWaiter(data, false);
  }
  if (stdinIterWaiter !== undefined && stdinEnded && stdinChunks.length === 0) {
    const tail = flushDecoder();
    if (tail !== '') {
      settleWaiter(tail, false);
      return;
    }
    stdinIterActive = false;
    if (!stdinEndEmitted) {
      stdinEndEmitted = true;
      stdinEmit('end', undefined);
      internalNextTick(emitClose, undefined);
    }
    settleWaiter(undefined, true);
  }
}

// Decide what to do with buffered chunks given the current consumers.
function stdinDispatch() {
  if (stdinDestroyed) return;
  if (stdinIterActive) feedIterator();
  else if (EventEmitterPrototypeListenerCount(stdin, 'readable') > 0) scheduleReadable();
  else if (stdinFlowing === true) scheduleFlow();
  updateStdinRef();
}

export function onStdinData(bytes) {
  if (stdinEnded || stdinDestroyed) return;
  ObjectSetPrototypeOf(bytes, StdinChunk.prototype);
  listPush(stdinChunks, bytes);
  if (stdin !== undefined) stdinDispatch();
}

export function onStdinEnd() {
  if (stdinEnded) return;
  stdinEnded = true;
  if (stdin !== undefined) stdinDispatch();
}

// A synchronous read of stdin (`fs.readFileSync(0)`, `fs.readSync(0, ...)`): up to `max` bytes,
// first of what was delivered but not consumed, then from the exec's input, blocking as Node's
// read of a pipe does; an empty array at the end (which process.stdin then reports too). Returns
// a negative errno when the read fails.
export function stdinReadSync(max) {
  if (stdinChunks.length > 0) {
    const first = stdinChunks[0];
    if (TypedArrayPrototypeGetLength(first) <= max) return ArrayPrototypeShift(stdinChunks);
    stdinChunks[0] = TypedArrayPrototypeSubarray(first, max);
    return TypedArrayPrototypeSubarray(first, 0, max);
  }
  if (stdinEnded || stdinDestroyed) return new Uint8ArrayCtor(0);
  const data = wasiFdRead(0, max);
  if (typeof data === 'object' && data !== null && TypedArrayPrototypeGetLength(data) === 0) {
    onStdinEnd();
  }
  return data;
}

function stdinListenersChanged(event) {
  if (
    event === 'data' &&
    EventEmitterPrototypeListenerCount(stdin, 'data') > 0 &&
    stdinFlowing !== false
  ) {
    stdinFlowing = true;
    scheduleFlow();
  } else if (event === 'readable' && EventEmitterPrototypeListenerCount(stdin, 'readable') > 0) {
    stdinFlowing = false;
    if (stdinChunks.length > 0 || stdinEnded) scheduleReadable();
  }
  updateStdinRef();
}

function readAll(n) {
  if (stdinChunks.length === 0) return null;
  let total = 0;
  for (let i = 0; i < stdinChunks.length; i++)
    total += TypedArrayPrototypeGetLength(stdinChunks[i]);
  if (n !== undefined && n > total && !stdinEnded) return null;
  const out = new StdinChunk(total);
  let off = 0;
  while (stdinChunks.length > 0) {
    const c = ArrayPrototypeShift(stdinChunks);
    TypedArrayPrototypeSet(out, c, off);
    off += TypedArrayPrototypeGetLength(c);
  }
  if (n !== undefined && n > 0 && n < total) {
    const rest = TypedArrayPrototypeSlice(out, n);
    ObjectSetPrototypeOf(rest, StdinChunk.prototype);
    ArrayPrototypeSplice(stdinChunks, 0, 0, rest);
    return decodeChunk(TypedArrayPrototypeSubarray(out, 0, n));
  }
  return decodeChunk(out);
}

class Socket extends EventEmitter {
  get fd() {
    return 0;
  }

  get readable() {
    return !stdinEndEmitted && !stdinDestroyed;
  }

  get readableEnded() {
    return stdinEndEmitted;
  }

  get destroyed() {
    return stdinDestroyed;
  }

  get readableFlowing() {
    return stdinFlowing;
  }

  get readableEncoding() {
    return stdinEncoding === undefined ? null : stdinEncoding;
  }

  setEncoding(encoding = 'utf8') {
    const enc = normalizeEncoding(encoding);
    if (enc === undefined) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_UNKNOWN_ENCODING',
        `Unknown encoding: ${toStringSafe(encoding)}`,
      );
    }
    stdinEncoding = enc;
    if (enc === 'utf8') stdinDecoder = newStreamDecoder();
    return this;
  }

  pause() {
    if (stdinFlowing !== false) stdinFlowing = false;
    stdinExplicitResume = false;
    updateStdinRef();
    return this;
  }

  resume() {
    stdinFlowing = true;
    stdinExplicitResume = true;
    scheduleFlow();
    updateStdinRef();
    return this;
  }

  isPaused() {
    return stdinFlowing === false;
  }

  read(n) {
    const data = readAll(n === undefined ? undefined : +n);
    if (data === null && stdinEnded) maybeEmitEnd();
    return data;
  }

  ref() {
    stdinUnrefed = false;
    updateStdinRef();
    return this;
  }

  unref() {
    stdinUnrefed = true;
    updateStdinRef();
    return this;
  }

  destroy() {
    if (!stdinDestroyed) {
      stdinDestroyed = true;
      ArrayPrototypeSplice(stdinChunks, 0, stdinChunks.length);
      updateStdinRef();
      internalNextTick(emitClose, undefined);
    }
    return this;
  }

  pipe(dest, options = undefined) {
    const endDest =
      !(options != null && options.end === false) &&
      dest !== processObject.stdout &&
      dest !== processObject.stderr;
    this.on('data', (chunk) => dest.write(chunk));
    if (endDest) this.on('end', () => dest.end());
    return dest;
  }

  [SymbolAsyncIterator]() {
    stdinIterActive = !stdinEndEmitted && !stdinDestroyed;
    stdinFlowing = false;
    updateStdinRef();
    const iterator = {
      next() {
        if (stdinIterWaiter !== undefined) {
          return PromiseResolve({ value: undefined, done: true });
        }
        if (!stdinIterActive) return PromiseResolve({ value: undefined, done: true });
        const p = new PromiseCtor((resolve, reject) => {
          stdinIterWaiter = { __proto__: null, resolve, reject };
        });
        feedIterator();
        updateStdinRef();
        return p;
      },
      return() {
        stdinIterActive = false;
        stdin.destroy();
        return PromiseResolve({ value: undefined, done: true });
      },
      [SymbolAsyncIterator]() {
        return this;
      },
    };
    return iterator;
  }
}

// process.stdin, made once at factory time.
export const stdin = new Socket();
setEmitterHook(stdin, stdinListenersChanged);
