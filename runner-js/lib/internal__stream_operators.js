// lib/internal__stream_operators.js: Readable.prototype.map/filter/flatMap/toArray/forEach/
// some/every/find/reduce/take/drop/asIndexedPairs (Node 20's experimental stream operators, over
// async iteration), loaded the first time one is called.

import { ArrayPrototypePush, TypeErrorCtor } from '../js/00_primordials.js';
import { AbortError, errInvalidArgType, streamError } from './internal__stream_core.js';
import { Readable } from './internal__stream_readable.js';

export const operators = { __proto__: null };

operators.toArray = async function toArray(options) {
  const result = [];
  for await (const val of this) {
    if (options?.signal?.aborted) throw new AbortError(undefined, { cause: options.signal.reason });
    ArrayPrototypePush(result, val);
  }
  return result;
};

operators.forEach = async function forEach(fn, options) {
  if (typeof fn !== 'function') throw errInvalidArgType('fn', ['Function', 'AsyncFunction'], fn);
  for await (const val of this) await fn(val, { signal: options?.signal });
};

function operator(name, body) {
  operators[name] = function (fn, options) {
    if (typeof fn !== 'function') throw errInvalidArgType('fn', ['Function', 'AsyncFunction'], fn);
    return Readable.from(body(this, fn, options), { objectMode: true });
  };
}

operator('map', async function* (src, fn, options) {
  for await (const val of src) yield await fn(val, { signal: options?.signal });
});
operator('filter', async function* (src, fn, options) {
  for await (const val of src) if (await fn(val, { signal: options?.signal })) yield val;
});
operator('flatMap', async function* (src, fn, options) {
  for await (const val of src) yield* fn(val, { signal: options?.signal });
});

operators.some = async function some(fn, options) {
  for await (const val of this) if (await fn(val, { signal: options?.signal })) return true;
  return false;
};
operators.every = async function every(fn, options) {
  for await (const val of this) if (!(await fn(val, { signal: options?.signal }))) return false;
  return true;
};
operators.find = async function find(fn, options) {
  for await (const val of this) if (await fn(val, { signal: options?.signal })) return val;
  return undefined;
};
operators.reduce = async function reduce(fn, initial, options) {
  let hasInitial = arguments.length > 1;
  let acc = initial;
  for await (const val of this) {
    if (!hasInitial) {
      acc = val;
      hasInitial = true;
    } else {
      acc = await fn(acc, val, { signal: options?.signal });
    }
  }
  if (!hasInitial) {
    throw streamError(
      'ERR_INVALID_ARGS',
      'Reduce of an empty stream requires an initial value',
      TypeErrorCtor,
    );
  }
  return acc;
};
operators.take = function take(n) {
  const src = this;
  return Readable.from(
    (async function* () {
      if (n <= 0) return;
      let i = 0;
      for await (const val of src) {
        yield val;
        if (++i >= n) return;
      }
    })(),
  );
};
operators.drop = function drop(n) {
  const src = this;
  return Readable.from(
    (async function* () {
      let i = 0;
      for await (const val of src) if (i++ >= n) yield val;
    })(),
  );
};
operators.asIndexedPairs = function asIndexedPairs() {
  const src = this;
  return Readable.from(
    (async function* () {
      let i = 0;
      for await (const val of src) yield [i++, val];
    })(),
  );
};
