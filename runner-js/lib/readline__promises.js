// lib/readline__promises.js: `readline/promises`: an Interface whose question() returns a
// promise (with AbortSignal support), and the Readline class of cursor operations.
import {
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  FunctionPrototypeCall,
  NumberMAX_SAFE_INTEGER,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  PromiseCtor,
  StringPrototypeSlice,
} from '../js/00_primordials.js';
import { inspect } from '../js/04_inspect.js';
import { makeInvalidArgType, validateInteger } from '../js/06_errors.js';
import { abortErrorOf } from './internal__events_extra.js';
import {
  clearLineCode,
  cursorToCode,
  kClearScreenDown,
  moveCursorCode,
} from './internal__readline_cursor.js';
import { applyCompletions, kQuestionReject } from './internal__readline_editor.js';
import { answerOrAbort, errUseAfterClose, Interface } from './internal__readline_interface.js';

function PromisesInterface(input, output, completer, terminal) {
  if (!(this instanceof PromisesInterface)) {
    return new PromisesInterface(input, output, completer, terminal);
  }
  FunctionPrototypeCall(Interface, this, input, output, completer, terminal);
}
ObjectSetPrototypeOf(PromisesInterface.prototype, Interface.prototype);
ObjectSetPrototypeOf(PromisesInterface, Interface);
ObjectDefineProperty(PromisesInterface, 'name', { __proto__: null, value: 'Interface' });

PromisesInterface.prototype.question = function question(query, options = undefined) {
  return new PromiseCtor((resolve, reject) => {
    let cb = resolve;
    const signal = options?.signal;
    if (signal) {
      if (signal.aborted) {
        reject(abortErrorOf(signal));
        return;
      }
      const onAbort = () => {
        this._questionCancel();
        reject(abortErrorOf(signal));
      };
      cb = answerOrAbort(signal, onAbort, resolve);
    }
    if (this.closed) {
      reject(errUseAfterClose());
      return;
    }
    this[kQuestionReject] = reject;
    FunctionPrototypeCall(Interface.prototype.question, this, query, cb);
  });
};

// The completer of a promises Interface returns its completions or a promise of them.
PromisesInterface.prototype._tabComplete = async function _tabComplete(lastKeypressWasTab) {
  this.pause();
  const string = StringPrototypeSlice(this.line, 0, this.cursor);
  let value;
  try {
    value = await this.completer(string);
  } catch (err) {
    this._writeToOutput(`Tab completion error: ${inspect(err)}`);
    return;
  } finally {
    this.resume();
  }
  applyCompletions(this, lastKeypressWasTab, value);
};

class Readline {
  #stream;
  #todo = [];

  constructor(stream) {
    // Node's isWritableNodeStream: something with `write` and `on`.
    if (typeof stream?.write !== 'function' || typeof stream?.on !== 'function') {
      throw makeInvalidArgType('stream', 'an instance of Writable', stream);
    }
    this.#stream = stream;
  }

  clearLine(dir) {
    ArrayPrototypePush(this.#todo, clearLineCode(dir));
    return this;
  }

  clearScreenDown() {
    ArrayPrototypePush(this.#todo, kClearScreenDown);
    return this;
  }

  cursorTo(x, y = undefined) {
    validateInteger(x, 'x', -NumberMAX_SAFE_INTEGER, NumberMAX_SAFE_INTEGER);
    if (y != null) validateInteger(y, 'y', -NumberMAX_SAFE_INTEGER, NumberMAX_SAFE_INTEGER);
    ArrayPrototypePush(this.#todo, cursorToCode(x, y));
    return this;
  }

  moveCursor(dx, dy) {
    validateInteger(dx, 'dx', -NumberMAX_SAFE_INTEGER, NumberMAX_SAFE_INTEGER);
    validateInteger(dy, 'dy', -NumberMAX_SAFE_INTEGER, NumberMAX_SAFE_INTEGER);
    const s = moveCursorCode(dx, dy);
    if (s) ArrayPrototypePush(this.#todo, s);
    return this;
  }

  commit() {
    const data = ArrayPrototypeJoin(this.#todo, '');
    this.#todo = [];
    return new PromiseCtor((resolve) => this.#stream.write(data, resolve));
  }

  rollback() {
    this.#todo = [];
    return this;
  }
}

function createInterface(input, output, completer, terminal) {
  return new PromisesInterface(input, output, completer, terminal);
}

export const readlinePromises = {
  Interface: PromisesInterface,
  Readline,
  createInterface,
};
export const moduleExports = readlinePromises;
