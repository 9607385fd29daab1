// lib/internal__stream_operators.js: Readable.prototype.map/filter/flatMap/drop/take/
// asIndexedPairs/compose and toArray/forEach/some/every/find/reduce: Node 20's
// lib/internal/streams/operators.js (MIT licence, Copyright Node.js contributors) with its
// concurrency, highWaterMark, signals and argument checks; loaded the first time one is called.
// Not here: the weak abort listener (a listener on options.signal lives as long as the signal).

import {
  ArrayPrototypePush,
  ArrayPrototypeShift,
  FunctionPrototypeCall,
  MathFloor,
  NumberCtor,
  NumberIsNaN,
  PromiseCtor,
  PromisePrototypeThen,
  PromiseReject,
  PromiseResolve,
  ReflectApply,
  SymbolCtor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeNodeError, makeOutOfRange, validateInteger } from '../js/06_errors.js';
import { utilDeprecate } from '../js/48_node_util.js';
import { AbortController, AbortSignal } from './internal__abort.js';
import { kResistStopPropagation } from './internal__event_target.js';
import {
  AbortError,
  errInvalidArgType,
  isNodeStream,
  isWritable,
  streamError,
  validateAbortSignal,
  validateObjectArg,
} from './internal__stream_core.js';
import { addAbortSignalNoValidate, finished } from './internal__stream_eos.js';
import { compose } from './internal__stream_pipeline.js';
import { Readable } from './internal__stream_readable.js';

const kEmpty = SymbolCtor('kEmpty');
const kEof = SymbolCtor('kEof');

function composeWith(stream, options) {
  if (options != null) {
    validateObjectArg(options, 'options');
  }
  if (options?.signal != null) {
    validateAbortSignal(options.signal, 'options.signal');
  }

  if (isNodeStream(stream) && !isWritable(stream)) {
    throw streamError(
      'ERR_INVALID_ARG_VALUE',
      "The argument 'stream' must be writable.",
      TypeErrorCtor,
    );
  }

  const composedStream = compose(this, stream);

  if (options?.signal) {
    // Not validating as we already validated before
    addAbortSignalNoValidate(options.signal, composedStream);
  }

  return composedStream;
}

function map(fn, options) {
  if (typeof fn !== 'function') {
    throw errInvalidArgType('fn', ['Function', 'AsyncFunction'], fn);
  }
  if (options != null) {
    validateObjectArg(options, 'options');
  }
  if (options?.signal != null) {
    validateAbortSignal(options.signal, 'options.signal');
  }

  let concurrency = 1;
  if (options?.concurrency != null) {
    concurrency = MathFloor(options.concurrency);
  }

  let highWaterMark = concurrency - 1;
  if (options?.highWaterMark != null) {
    highWaterMark = MathFloor(options.highWaterMark);
  }

  validateInteger(concurrency, 'options.concurrency', 1);
  validateInteger(highWaterMark, 'options.highWaterMark', 0);

  highWaterMark += concurrency;

  return FunctionPrototypeCall(async function* map() {
    const signal = AbortSignal.any(options?.signal ? [options.signal] : []);
    const stream = this;
    const queue = [];
    const signalOpt = { signal };

    let next;
    let resume;
    let done = false;
    let cnt = 0;

    function onCatch() {
      done = true;
      afterItemProcessed();
    }

    function afterItemProcessed() {
      cnt -= 1;
      maybeResume();
    }

    function maybeResume() {
      if (resume && !done && cnt < concurrency && queue.length < highWaterMark) {
        resume();
        resume = null;
      }
    }

    async function pump() {
      try {
        for await (let val of stream) {
          if (done) {
            return;
          }

          if (signal.aborted) {
            throw new AbortError();
          }

          try {
            val = fn(val, signalOpt);

            if (val === kEmpty) {
              continue;
            }

            val = PromiseResolve(val);
          } catch (err) {
            val = PromiseReject(err);
          }

          cnt += 1;

          PromisePrototypeThen(val, afterItemProcessed, onCatch);

          ArrayPrototypePush(queue, val);
          if (next) {
            next();
            next = null;
          }

          if (!done && (queue.length >= highWaterMark || cnt >= concurrency)) {
            await new PromiseCtor((resolve) => {
              resume = resolve;
            });
          }
        }
        ArrayPrototypePush(queue, kEof);
      } catch (err) {
        const val = PromiseReject(err);
        PromisePrototypeThen(val, afterItemProcessed, onCatch);
        ArrayPrototypePush(queue, val);
      } finally {
        done = true;
        if (next) {
          next();
          next = null;
        }
      }
    }

    pump();

    try {
      while (true) {
        while (queue.length > 0) {
          const val = await queue[0];

          if (val === kEof) {
            return;
          }

          if (signal.aborted) {
            throw new AbortError();
          }

          if (val !== kEmpty) {
            yield val;
          }

          ArrayPrototypeShift(queue);
          maybeResume();
        }

        await new PromiseCtor((resolve) => {
          next = resolve;
        });
      }
    } finally {
      done = true;
      if (resume) {
        resume();
        resume = null;
      }
    }
  }, this);
}

function asIndexedPairs(options = undefined) {
  if (options != null) {
    validateObjectArg(options, 'options');
  }
  if (options?.signal != null) {
    validateAbortSignal(options.signal, 'options.signal');
  }

  return FunctionPrototypeCall(async function* asIndexedPairs() {
    let index = 0;
    for await (const val of this) {
      if (options?.signal?.aborted) {
        throw new AbortError({ cause: options.signal.reason });
      }
      yield [index++, val];
    }
  }, this);
}

async function some(fn, options = undefined) {
  for await (const _unused of FunctionPrototypeCall(filter, this, fn, options)) {
    return true;
  }
  return false;
}

async function every(fn, options = undefined) {
  if (typeof fn !== 'function') {
    throw errInvalidArgType('fn', ['Function', 'AsyncFunction'], fn);
  }
  // https://en.wikipedia.org/wiki/De_Morgan%27s_laws
  return !(await FunctionPrototypeCall(
    some,
    this,
    async (...args) => {
      return !(await fn(...args));
    },
    options,
  ));
}

async function find(fn, options) {
  for await (const result of FunctionPrototypeCall(filter, this, fn, options)) {
    return result;
  }
  return undefined;
}

async function forEach(fn, options) {
  if (typeof fn !== 'function') {
    throw errInvalidArgType('fn', ['Function', 'AsyncFunction'], fn);
  }
  async function forEachFn(value, options) {
    await fn(value, options);
    return kEmpty;
  }

  for await (const _unused of FunctionPrototypeCall(map, this, forEachFn, options));
}

function filter(fn, options) {
  if (typeof fn !== 'function') {
    throw errInvalidArgType('fn', ['Function', 'AsyncFunction'], fn);
  }
  async function filterFn(value, options) {
    if (await fn(value, options)) {
      return value;
    }
    return kEmpty;
  }
  return FunctionPrototypeCall(map, this, filterFn, options);
}

// Specific to provide better error to reduce since the argument is only
// missing if the stream has no items in it - but the code is still appropriate
function reduceAwareErrMissingArgs() {
  return streamError(
    'ERR_MISSING_ARGS',
    'Reduce of an empty stream requires an initial value',
    TypeErrorCtor,
  );
}

async function reduce(reducer, initialValue, options) {
  if (typeof reducer !== 'function') {
    throw errInvalidArgType('reducer', ['Function', 'AsyncFunction'], reducer);
  }
  if (options != null) {
    validateObjectArg(options, 'options');
  }
  if (options?.signal != null) {
    validateAbortSignal(options.signal, 'options.signal');
  }

  let hasInitialValue = arguments.length > 1;
  if (options?.signal?.aborted) {
    const err = new AbortError(undefined, { cause: options.signal.reason });
    this.once('error', () => {}); // The error is already propagated
    await finished(this.destroy(err));
    throw err;
  }
  const ac = new AbortController();
  const signal = ac.signal;
  if (options?.signal) {
    const opts = { once: true, [kResistStopPropagation]: true };
    options.signal.addEventListener('abort', () => ac.abort(), opts);
  }
  let gotAnyItemFromStream = false;
  try {
    for await (const value of this) {
      gotAnyItemFromStream = true;
      if (options?.signal?.aborted) {
        throw new AbortError();
      }
      if (!hasInitialValue) {
        initialValue = value;
        hasInitialValue = true;
      } else {
        initialValue = await reducer(initialValue, value, { signal });
      }
    }
    if (!gotAnyItemFromStream && !hasInitialValue) {
      throw reduceAwareErrMissingArgs();
    }
  } finally {
    ac.abort();
  }
  return initialValue;
}

async function toArray(options) {
  if (options != null) {
    validateObjectArg(options, 'options');
  }
  if (options?.signal != null) {
    validateAbortSignal(options.signal, 'options.signal');
  }

  const result = [];
  for await (const val of this) {
    if (options?.signal?.aborted) {
      throw new AbortError(undefined, { cause: options.signal.reason });
    }
    ArrayPrototypePush(result, val);
  }
  return result;
}

function flatMap(fn, options) {
  const values = FunctionPrototypeCall(map, this, fn, options);
  return FunctionPrototypeCall(async function* flatMap() {
    for await (const val of values) {
      yield* val;
    }
  }, this);
}

function toIntegerOrInfinity(number) {
  // We coerce here to align with the spec
  // https://github.com/tc39/proposal-iterator-helpers/issues/169
  number = NumberCtor(number);
  if (NumberIsNaN(number)) {
    return 0;
  }
  if (number < 0) {
    throw makeOutOfRange('number', '>= 0', number);
  }
  return number;
}

function drop(number, options = undefined) {
  if (options != null) {
    validateObjectArg(options, 'options');
  }
  if (options?.signal != null) {
    validateAbortSignal(options.signal, 'options.signal');
  }

  number = toIntegerOrInfinity(number);
  return FunctionPrototypeCall(async function* drop() {
    if (options?.signal?.aborted) {
      throw new AbortError();
    }
    for await (const val of this) {
      if (options?.signal?.aborted) {
        throw new AbortError();
      }
      if (number-- <= 0) {
        yield val;
      }
    }
  }, this);
}

function take(number, options = undefined) {
  if (options != null) {
    validateObjectArg(options, 'options');
  }
  if (options?.signal != null) {
    validateAbortSignal(options.signal, 'options.signal');
  }

  number = toIntegerOrInfinity(number);
  return FunctionPrototypeCall(async function* take() {
    if (options?.signal?.aborted) {
      throw new AbortError();
    }
    for await (const val of this) {
      if (options?.signal?.aborted) {
        throw new AbortError();
      }
      if (number-- > 0) {
        yield val;
      }

      // Don't get another item from iterator in case we reached the end
      if (number <= 0) {
        return;
      }
    }
  }, this);
}

const streamReturning = {
  __proto__: null,
  asIndexedPairs: utilDeprecate(
    asIndexedPairs,
    'readable.asIndexedPairs will be removed in a future version.',
  ),
  drop,
  filter,
  flatMap,
  map,
  take,
  compose: composeWith,
};
const promiseReturning = { __proto__: null, every, forEach, reduce, toArray, some, find };

function illegalConstructor() {
  return makeNodeError(TypeErrorCtor, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
}

/** The operators as Readable.prototype has them (stream-returning ones wrapped in Readable.from). */
export const operators = { __proto__: null };
for (const name in streamReturning) {
  const op = streamReturning[name];
  operators[name] = function (...args) {
    if (new.target) throw illegalConstructor();
    return Readable.from(ReflectApply(op, this, args));
  };
}
for (const name in promiseReturning) {
  const op = promiseReturning[name];
  operators[name] = function (...args) {
    if (new.target) throw illegalConstructor();
    return ReflectApply(op, this, args);
  };
}
