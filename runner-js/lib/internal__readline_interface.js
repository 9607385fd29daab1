// lib/internal__readline_interface.js: readline.Interface (Node 22's). Not a terminal: the
// input's data split into lines (\n, \r\n and a lone \r, with crlfDelay). A terminal
// (`terminal: true`, or an output that is a TTY): the input's keys ('keypress' events,
// internal__readline_keys.js) edit the line (internal__readline_editor.js) in raw mode. Both:
// `line`, `close`, `pause`/`resume` and `history` events, question(), prompt(), async iteration.

import {
  ArrayIsArray,
  ArrayPrototypePush,
  DateNow,
  ErrorCtor,
  FunctionPrototypeBind,
  FunctionPrototypeCall,
  MathMax,
  NumberIsFinite,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  PromiseCtor,
  PromiseReject,
  RegExpPrototypeExec,
  StringPrototypeCodePointAt,
  StringPrototypeEndsWith,
  StringPrototypeSlice,
  SymbolAsyncIterator,
  SymbolFor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import {
  makeInvalidArgType,
  makeInvalidArgValue,
  makeNodeError,
  validateInteger,
} from '../js/06_errors.js';
import { queueMicrotask } from '../js/21_ticks.js';
import { createEventsModule } from '../js/47_node_events.js';
import { abortErrorOf, kFirstEventParam, on } from './internal__events_extra.js';
import { initEditor, installEditor } from './internal__readline_editor.js';
import { isDumbTerminal, ttyWrite, ttyWriteDumb } from './internal__readline_keymap.js';
import { emitKeypressEvents, kEscapeCodeTimeout } from './internal__readline_keys.js';
import { newDecoder, validateAbortSignal } from './internal__stream_core.js';
import { validateNumber } from './internal__web_errors.js';

const EE = createEventsModule();
const kHistorySize = 30;
const kMinCrlfDelay = 100;

export function errUseAfterClose() {
  return makeNodeError(ErrorCtor, 'ERR_USE_AFTER_CLOSE', 'readline was closed');
}

export function Interface(input, output, completer, terminal) {
  if (!(this instanceof Interface)) return new Interface(input, output, completer, terminal);
  FunctionPrototypeCall(EE, this);
  const options = readOptions(input, output, completer, terminal);
  input = options.input;
  output = options.output;
  this.output = output;
  this.input = input;
  this.history = options.history;
  this.historySize = options.historySize;
  this.removeHistoryDuplicates = !!options.removeHistoryDuplicates;
  this.crlfDelay = options.crlfDelay ? MathMax(kMinCrlfDelay, options.crlfDelay) : kMinCrlfDelay;
  this.completer = options.completer;
  this.terminal = !!options.terminal;
  this.escapeCodeTimeout = options.escapeCodeTimeout;
  this.tabSize = options.tabSize;
  this.isCompletionEnabled = true;
  this.line = '';
  this.cursor = 0;
  this.closed = false;
  this.paused = false;
  this._prompt = options.prompt;
  this._questionCallback = null;
  this._oldPrompt = undefined;
  this._lineBuffer = null;
  this._sawReturnAt = 0;
  this._lineStream = undefined;
  const onerror = (err) => this.emit('error', err);
  input.on('error', onerror);
  // The editor's state (history index, undo, kill ring) exists on every interface, as Node's.
  initEditor(this, this.terminal);
  if (this.terminal) listenAsTerminal(this, input, output, onerror);
  else listenToLines(this, input, onerror);
  const signal = options.signal;
  if (signal) {
    const onAborted = () => this.close();
    if (signal.aborted) queueMicrotask(onAborted);
    else {
      signal.addEventListener('abort', onAborted, { __proto__: null, once: true });
      this.once('close', () => signal.removeEventListener('abort', onAborted));
    }
  }
  input.resume();
}
ObjectSetPrototypeOf(Interface.prototype, EE.prototype);
ObjectSetPrototypeOf(Interface, EE);
installEditor(Interface.prototype);
Interface.prototype._ttyWrite = ttyWrite;

// The constructor's arguments, or its options object, validated as Node 22 does.
function readOptions(input, output, completer, terminal) {
  const o = {
    input,
    output,
    completer,
    terminal,
    history: undefined,
    historySize: undefined,
    removeHistoryDuplicates: false,
    crlfDelay: undefined,
    prompt: '> ',
    signal: undefined,
    escapeCodeTimeout: kEscapeCodeTimeout,
    tabSize: 8,
  };
  if (input?.input) {
    if (input.tabSize !== undefined) {
      validateInteger(input.tabSize, 'tabSize', 1, 4294967295);
      o.tabSize = input.tabSize;
    }
    if (input.escapeCodeTimeout !== undefined) {
      if (!NumberIsFinite(input.escapeCodeTimeout)) {
        // Node's message names the default, not the value given.
        throw makeNodeError(
          TypeErrorCtor,
          'ERR_INVALID_ARG_VALUE',
          `The property 'input.escapeCodeTimeout' is invalid. Received ${kEscapeCodeTimeout}`,
        );
      }
      o.escapeCodeTimeout = input.escapeCodeTimeout;
    }
    validateAbortSignal(input.signal, 'options.signal');
    o.output = input.output;
    o.completer = input.completer;
    o.terminal = input.terminal;
    o.history = input.history;
    o.historySize = input.historySize;
    o.removeHistoryDuplicates = input.removeHistoryDuplicates;
    o.signal = input.signal;
    if (input.prompt !== undefined) o.prompt = input.prompt;
    o.crlfDelay = input.crlfDelay;
    o.input = input.input;
  }
  if (o.completer !== undefined && typeof o.completer !== 'function') {
    throw makeInvalidArgValue('completer', o.completer);
  }
  if (o.history === undefined) o.history = [];
  else if (!ArrayIsArray(o.history))
    throw makeInvalidArgType('history', 'an instance of Array', o.history);
  if (o.historySize === undefined) o.historySize = kHistorySize;
  validateNumber(o.historySize, 'historySize', 0);
  if (o.terminal === undefined && !(o.output === null || o.output === undefined)) {
    o.terminal = !!o.output.isTTY;
  }
  return o;
}

// Not a terminal: the input's data, split into lines.
function listenToLines(rl, input, onerror) {
  rl._decoder = newDecoder('utf8');
  const ondata = (data) => rl._normalWrite(data);
  const onend = () => {
    if (typeof rl._lineBuffer === 'string' && rl._lineBuffer.length > 0) {
      rl.emit('line', rl._lineBuffer);
    }
    rl.close();
  };
  input.on('data', ondata);
  input.on('end', onend);
  rl.once('close', () => {
    input.removeListener('data', ondata);
    input.removeListener('error', onerror);
    input.removeListener('end', onend);
  });
}

// A terminal: the input's keys edit the line (internal__readline_editor.js), in raw mode.
function listenAsTerminal(rl, input, output, onerror) {
  if (isDumbTerminal()) rl._ttyWrite = FunctionPrototypeBind(ttyWriteDumb, rl);
  const onkeypress = (s, key) => {
    rl._ttyWrite(s, key);
    if (key?.sequence) {
      // Half of a surrogate pair: redraw once the character is whole.
      const ch = StringPrototypeCodePointAt(key.sequence, 0);
      if (ch >= 0xd800 && ch <= 0xdfff) rl._refreshLine();
    }
  };
  const ontermend = () => {
    if (typeof rl.line === 'string' && rl.line.length > 0) rl.emit('line', rl.line);
    rl.close();
  };
  const onresize = () => rl._refreshLine();
  emitKeypressEvents(input, rl);
  input.on('keypress', onkeypress);
  input.on('end', ontermend);
  rl._setRawMode(true);
  if (output !== null && output !== undefined) output.on('resize', onresize);
  rl.once('close', () => {
    input.removeListener('keypress', onkeypress);
    input.removeListener('error', onerror);
    input.removeListener('end', ontermend);
    if (output !== null && output !== undefined) output.removeListener('resize', onresize);
  });
}

ObjectDefineProperty(Interface.prototype, 'columns', {
  __proto__: null,
  configurable: true,
  enumerable: false,
  get() {
    return this.output?.columns ? this.output.columns : Infinity;
  },
});

Interface.prototype.getPrompt = function getPrompt() {
  return this._prompt;
};

Interface.prototype.setPrompt = function setPrompt(prompt) {
  this._prompt = prompt;
};

Interface.prototype._writeToOutput = function _writeToOutput(text) {
  if (typeof text !== 'string') throw makeInvalidArgType('stringToWrite', 'string', text);
  if (this.output !== null && this.output !== undefined) this.output.write(text);
};

Interface.prototype.prompt = function prompt(preserveCursor) {
  if (this.paused) this.resume();
  if (this.closed) throw errUseAfterClose();
  if (this.terminal && !isDumbTerminal()) {
    if (!preserveCursor) this.cursor = 0;
    this._refreshLine();
  } else {
    this._writeToOutput(this._prompt);
  }
};

Interface.prototype.question = function question(query, options, cb) {
  cb = typeof options === 'function' ? options : cb;
  if (options !== null && typeof options === 'object') {
    const signal = options.signal;
    if (signal?.aborted) return;
    if (signal) {
      // Named: Node's tests find the listener by its name.
      const onAbort = () => this._questionCancel();
      cb = answerOrAbort(signal, onAbort, cb);
    }
  }
  if (this.closed) throw errUseAfterClose();
  if (typeof cb !== 'function') return;
  if (this._questionCallback) {
    this.prompt();
  } else {
    this._oldPrompt = this._prompt;
    this.setPrompt(query);
    this._questionCallback = cb;
    this.prompt();
  }
};

/** `cb` for an answer that stops listening to `signal`; `onAbort` runs if it aborts first. */
export function answerOrAbort(signal, onAbort, cb) {
  signal.addEventListener('abort', onAbort, { __proto__: null, once: true });
  return (answer) => {
    signal.removeEventListener('abort', onAbort);
    cb(answer);
  };
}

// util.promisify(rl.question): a promise of the answer; an aborted signal rejects it.
ObjectDefineProperty(Interface.prototype.question, SymbolFor('nodejs.util.promisify.custom'), {
  __proto__: null,
  configurable: true,
  writable: true,
  value: function question(query, options) {
    if (options === null || typeof options !== 'object') options = { __proto__: null };
    const signal = options.signal;
    if (signal?.aborted) return PromiseReject(abortErrorOf(signal));
    return new PromiseCtor((resolve, reject) => {
      const onAbort = () => reject(abortErrorOf(signal));
      const cb = signal ? answerOrAbort(signal, onAbort, resolve) : resolve;
      this.question(query, options, cb);
    });
  },
});

Interface.prototype._questionCancel = function _questionCancel() {
  if (this._questionCallback) {
    this._questionCallback = null;
    this.setPrompt(this._oldPrompt);
    this.clearLine();
  }
};

Interface.prototype._onLine = function _onLine(line) {
  if (this._questionCallback) {
    const cb = this._questionCallback;
    this._questionCallback = null;
    this.setPrompt(this._oldPrompt);
    cb(line);
  } else {
    this.emit('line', line);
  }
};

const lineEnding = /\r?\n|\r(?!\n)/g;

Interface.prototype._normalWrite = function _normalWrite(b) {
  if (b === undefined) return;
  let string = this._decoder.write(b);
  if (this._sawReturnAt && DateNow() - this._sawReturnAt <= this.crlfDelay) {
    if (StringPrototypeCodePointAt(string) === 10) string = StringPrototypeSlice(string, 1);
    this._sawReturnAt = 0;
  }
  lineEnding.lastIndex = 0;
  let newPartContainsEnding = RegExpPrototypeExec(lineEnding, string);
  if (newPartContainsEnding !== null) {
    if (this._lineBuffer) {
      string = this._lineBuffer + string;
      this._lineBuffer = null;
      lineEnding.lastIndex = 0;
      newPartContainsEnding = RegExpPrototypeExec(lineEnding, string);
    }
    this._sawReturnAt = StringPrototypeEndsWith(string, '\r') ? DateNow() : 0;
    const indexes = [0, newPartContainsEnding.index, lineEnding.lastIndex];
    for (;;) {
      const nextMatch = RegExpPrototypeExec(lineEnding, string);
      if (nextMatch === null) break;
      ArrayPrototypePush(indexes, nextMatch.index, lineEnding.lastIndex);
    }
    const lastIndex = indexes.length - 1;
    this._lineBuffer = StringPrototypeSlice(string, indexes[lastIndex]);
    for (let i = 1; i < lastIndex; i += 2) {
      this._onLine(StringPrototypeSlice(string, indexes[i - 1], indexes[i]));
      if (this.closed) return;
    }
  } else if (string) {
    if (this._lineBuffer) this._lineBuffer += string;
    else this._lineBuffer = string;
  }
};

Interface.prototype.write = function write(d, key) {
  if (this.closed) throw errUseAfterClose();
  if (this.paused) this.resume();
  if (this.terminal) this._ttyWrite(d, key);
  else this._normalWrite(d);
};

Interface.prototype.pause = function pause() {
  if (this.paused) return;
  this.input.pause();
  this.paused = true;
  this.emit('pause');
  return this;
};

Interface.prototype.resume = function resume() {
  if (!this.paused) return;
  this.input.resume();
  this.paused = false;
  this.emit('resume');
  return this;
};

Interface.prototype.close = function close() {
  if (this.closed) return;
  this.pause();
  if (this.terminal) this._setRawMode(false);
  this.closed = true;
  this.emit('close');
};

// The lines as an async iterator (events.on with Node's watermark of 1024 unread lines: past
// it the input is paused until they are read).
Interface.prototype[SymbolAsyncIterator] = function () {
  if (this._lineStream === undefined) {
    this._lineStream = on(this, 'line', {
      __proto__: null,
      close: ['close'],
      highWaterMark: 1024,
      [kFirstEventParam]: true,
    });
  }
  return this._lineStream;
};
