// assert.CallTracker (Node's lib/internal/assert/calltracker.js, MIT, Copyright Node.js
// contributors): functions wrapped to count their calls, reported or verified later.
import {
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ErrorCtor,
  ObjectFreeze,
  ProxyCtor,
  ReflectApply,
  SetCtor,
  SetIteratorPrototypeNext,
  SetPrototypeAdd,
  SetPrototypeValues,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeHas,
  WeakMapPrototypeSet,
} from '../js/00_primordials.js';
import { inspect } from '../js/04_inspect.js';
import { makeNodeError, validateInteger } from '../js/06_errors.js';
import { isProcessExiting } from '../js/20_exit.js';
import { AssertionError } from './internal__assert_error.js';

const noop = () => {};
ObjectFreeze(noop);

class CallTrackerContext {
  #expected;
  #calls = [];
  #name;
  #stackTrace;

  constructor(expected, stackTrace, name) {
    this.#expected = expected;
    this.#stackTrace = stackTrace;
    this.#name = name;
  }

  track(thisArg, args) {
    const call = ObjectFreeze({ thisArg, arguments: ObjectFreeze(ArrayPrototypeSlice(args)) });
    ArrayPrototypePush(this.#calls, call);
  }

  reset() {
    this.#calls = [];
  }

  getCalls() {
    return ObjectFreeze(ArrayPrototypeSlice(this.#calls));
  }

  report() {
    const actual = this.#calls.length;
    if (actual === this.#expected) return undefined;
    return {
      message: `Expected the ${this.#name} function to be executed ${this.#expected} time(s) but was executed ${actual} time(s).`,
      actual,
      expected: this.#expected,
      operator: this.#name,
      stack: this.#stackTrace,
    };
  }
}

function eachContext(set, fn) {
  const it = SetPrototypeValues(set);
  for (let step = SetIteratorPrototypeNext(it); !step.done; step = SetIteratorPrototypeNext(it)) {
    fn(step.value);
  }
}

export class CallTracker {
  #contexts = new SetCtor();
  #tracked = new WeakMapCtor();

  #contextOf(tracked) {
    if (
      (typeof tracked !== 'function' && (typeof tracked !== 'object' || tracked === null)) ||
      !WeakMapPrototypeHas(this.#tracked, tracked)
    ) {
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_VALUE',
        `The argument 'tracked' is not a tracked function. Received ${inspect(tracked)}`,
      );
    }
    return WeakMapPrototypeGet(this.#tracked, tracked);
  }

  reset(tracked) {
    if (tracked === undefined) {
      eachContext(this.#contexts, (context) => context.reset());
      return;
    }
    this.#contextOf(tracked).reset();
  }

  getCalls(tracked) {
    return this.#contextOf(tracked).getCalls();
  }

  calls(fn, expected = 1) {
    if (typeof fn === 'number') {
      expected = fn;
      fn = noop;
    } else if (fn === undefined) {
      fn = noop;
    }
    validateInteger(expected, 'expected', 1, 4294967295);
    if (isProcessExiting()) {
      throw makeNodeError(
        ErrorCtor,
        'ERR_UNAVAILABLE_DURING_EXIT',
        'Cannot call function in process exit handler',
      );
    }
    const context = new CallTrackerContext(expected, new ErrorCtor(), fn.name || 'calls');
    const tracked = new ProxyCtor(fn, {
      __proto__: null,
      apply(target, thisArg, args) {
        context.track(thisArg, args);
        return ReflectApply(target, thisArg, args);
      },
    });
    SetPrototypeAdd(this.#contexts, context);
    WeakMapPrototypeSet(this.#tracked, tracked, context);
    return tracked;
  }

  report() {
    const errors = [];
    eachContext(this.#contexts, (context) => {
      const report = context.report();
      if (report !== undefined) ArrayPrototypePush(errors, report);
    });
    return errors;
  }

  verify() {
    const errors = this.report();
    if (errors.length === 0) return;
    const message =
      errors.length === 1
        ? errors[0].message
        : 'Functions were not called the expected number of times';
    throw new AssertionError({ message, details: errors });
  }
}
