// lib/internal__crypto_prime.js: `crypto.generatePrime(Sync)` and `crypto.checkPrime(Sync)`, over
// agentos-keys (keys/src/prime.rs, through `keyOp`). A prime is searched for in slices of
// PRIME_SLICE_MS: the sync form loops over them (a kill or timeout takes effect between two),
// the callback form runs one per event-loop turn. Node's checks of the options come first.
import {
  ArrayBufferIsView,
  BigIntCtor,
  StringPrototypePadStart,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeSlice,
} from '../js/00_primordials.js';
import { isAnyArrayBuffer } from '../js/01_helpers.js';
import { makeInvalidArgType, makeOutOfRange, validateFunction } from '../js/06_errors.js';
import { setImmediate } from '../js/24_timers.js';
import { keyOp, opBytes } from './internal__crypto_pkey.js';
import {
  bytesOf,
  bytesString,
  stringBytes,
  validateBoolean,
  validateInt32,
  validateObject,
} from './internal__crypto_util.js';

const PRIME_SLICE_MS = 20;
const BYTES_OR_BIGINT = 'bigint or an instance of ArrayBuffer, TypedArray, Buffer, or DataView';
const NO_OPTIONS = {};

/** Node's unsignedBigIntToBuffer: a non-negative bigint as big-endian bytes. */
function bigintBytes(value, name) {
  if (value < 0n) throw makeOutOfRange(name, '>= 0', value);
  const hex = value.toString(16);
  return stringBytes(StringPrototypePadStart(hex, hex.length + (hex.length % 2), '0'), 'hex');
}

/** `value` (bytes or a bigint) as bytes; undefined stays undefined. */
function numberBytes(value, name) {
  if (value === undefined) return undefined;
  if (typeof value === 'bigint') return bigintBytes(value, name);
  if (!isAnyArrayBuffer(value) && !ArrayBufferIsView(value)) {
    throw makeInvalidArgType(name, BYTES_OR_BIGINT, value);
  }
  return bytesOf(value);
}

/** Node's createRandomPrimeJob: the checked options, and how the result is handed back. */
function primeJob(size, options) {
  validateInt32(size, 'size', 1);
  validateObject(options, 'options');
  const { safe = false, bigint = false } = options;
  validateBoolean(safe, 'options.safe');
  validateBoolean(bigint, 'options.bigint');
  const add = numberBytes(options.add, 'options.add');
  const rem = numberBytes(options.rem, 'options.rem');
  return {
    spec: { bits: size, safe, budgetMs: PRIME_SLICE_MS },
    add,
    // OpenSSL ignores `rem` without `add`.
    rem: add === undefined ? undefined : rem,
    result: (bytes) =>
      bigint
        ? BigIntCtor(`0x${bytesString(bytes, 'hex') || '0'}`)
        : TypedArrayPrototypeGetBuffer(TypedArrayPrototypeSlice(bytes)),
  };
}

/** One slice of the search: the prime's bytes, or undefined when the slice ran out. */
function step(job) {
  const found = keyOp('primeGenerate', job.spec, job.add, job.rem).prime;
  return found === null ? undefined : opBytes(found);
}

/** `crypto.generatePrimeSync(size[, options])`. */
export function generatePrimeSync(size, options = NO_OPTIONS) {
  const job = primeJob(size, options);
  for (;;) {
    const found = step(job);
    if (found !== undefined) return job.result(found);
  }
}

/** `crypto.generatePrime(size[, options], callback)`. */
export function generatePrime(size, options, callback) {
  validateInt32(size, 'size', 1);
  if (typeof options === 'function') {
    callback = options;
    options = NO_OPTIONS;
  }
  validateFunction(callback, 'callback');
  const job = primeJob(size, options);
  // Bad options throw here, as Node's job constructor throws them.
  keyOp('primeGenerate', { bits: size, safe: job.spec.safe, check: true }, job.add, job.rem);
  const next = () => {
    let found;
    try {
      found = step(job);
    } catch (error) {
      callback(error);
      return;
    }
    if (found === undefined) setImmediate(next);
    else callback(undefined, job.result(found));
  };
  setImmediate(next);
}

/** The candidate's bytes (a bigint or any bytes, else Node's ERR_INVALID_ARG_TYPE). */
function checkJob(candidate) {
  if (
    typeof candidate !== 'bigint' &&
    !isAnyArrayBuffer(candidate) &&
    !ArrayBufferIsView(candidate)
  ) {
    throw makeInvalidArgType('candidate', BYTES_OR_BIGINT, candidate);
  }
  return numberBytes(candidate, 'candidate');
}

function validateChecks(options) {
  validateObject(options, 'options');
  const { checks = 0 } = options;
  validateInt32(checks, 'options.checks', 0);
}

/** `crypto.checkPrimeSync(candidate[, options])`. */
export function checkPrimeSync(candidate, options = NO_OPTIONS) {
  const bytes = checkJob(candidate);
  validateChecks(options);
  return keyOp('primeCheck', {}, bytes).prime;
}

/** `crypto.checkPrime(candidate[, options], callback)`: the test is bounded (keys/src/prime.rs,
 * MAX_PRIME_BITS), so it runs now and the callback gets the answer on a later turn. */
export function checkPrime(candidate, options = NO_OPTIONS, callback = undefined) {
  const bytes = checkJob(candidate);
  if (typeof options === 'function') {
    callback = options;
    options = NO_OPTIONS;
  }
  validateFunction(callback, 'callback');
  validateChecks(options);
  const prime = keyOp('primeCheck', {}, bytes).prime;
  setImmediate(() => callback(undefined, prime));
}
