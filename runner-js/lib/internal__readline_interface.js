// lib/internal__readline_interface.js: readline.Interface for the sandbox, where input is never
// a terminal: Node 20's line splitting (\n, \r\n and a lone \r, with crlfDelay), `line`,
// `close`, `pause`/`resume` and `history` events, question(), prompt(), async iteration (through
// a Readable, as Node does). `terminal: true` turns the input's keys into 'keypress' events
// (internal__readline_keys.js), but editing keys are not interpreted.

import {
  ArrayPrototypePush,
  ArrayPrototypeUnshift,
  DateNow,
  ErrorCtor,
  FunctionPrototypeCall,
  NumberIsFinite,
  NumberIsNaN,
  ObjectSetPrototypeOf,
  RangeErrorCtor,
  RegExpPrototypeExec,
  StringPrototypeCodePointAt,
  StringPrototypeEndsWith,
  StringPrototypeSlice,
  SymbolAsyncIterator,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { queueMicrotask } from '../js/21_ticks.js';
import { createEventsModule } from '../js/47_node_events.js';
import { emitKeypressEvents, kEscapeCodeTimeout } from './internal__readline_keys.js';
import { newDecoder } from './internal__stream_core.js';
import { Readable } from './internal__stream_readable.js';

const EE = createEventsModule();
const kHistorySize = 30;
const kMaxCrlfDelay = 2000;

export function errUseAfterClose() {
  return makeNodeError(ErrorCtor, 'ERR_USE_AFTER_CLOSE', 'readline was closed');
}

export function Interface(input, output, completer, terminal) {
  if (!(this instanceof Interface)) return new Interface(input, output, completer, terminal);
  FunctionPrototypeCall(EE, this);
  let history;
  let historySize;
  let crlfDelay;
  let prompt = '> ';
  let signal;
  let escapeCodeTimeout = kEscapeCodeTimeout;
  if (input?.input) {
    if (input.escapeCodeTimeout !== undefined) {
      if (!NumberIsFinite(input.escapeCodeTimeout)) {
        // Node's message names the default, not the value given.
        throw makeNodeError(
          TypeErrorCtor,
          'ERR_INVALID_ARG_VALUE',
          `The property 'input.escapeCodeTimeout' is invalid. Received ${kEscapeCodeTimeout}`,
        );
      }
      escapeCodeTimeout = input.escapeCodeTimeout;
    }
    output = input.output;
    completer = input.completer;
    terminal = input.terminal;
    history = input.history;
    historySize = input.historySize;
    signal = input.signal;
    if (input.prompt !== undefined) prompt = input.prompt;
    crlfDelay = input.crlfDelay;
    input = input.input;
  }
  if (completer !== undefined && typeof completer !== 'function') {
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      `The argument 'completer' is invalid. Received ${completer}`,
    );
  }
  if (historySize === undefined) historySize = kHistorySize;
  if (typeof historySize !== 'number' || NumberIsNaN(historySize) || historySize < 0) {
    throw makeNodeError(
      RangeErrorCtor,
      'ERR_INVALID_ARG_VALUE',
      `The argument 'historySize' is invalid. Received ${historySize}`,
    );
  }
  if (terminal === undefined && !(output === null || output === undefined)) {
    terminal = !!output.isTTY;
  }
  this.output = output;
  this.input = input;
  this.history = history ?? [];
  this.historySize = historySize;
  this.crlfDelay = crlfDelay
    ? crlfDelay > 100
      ? crlfDelay < kMaxCrlfDelay
        ? crlfDelay
        : kMaxCrlfDelay
      : 100
    : 100;
  this.completer = completer;
  this.terminal = !!terminal;
  this.escapeCodeTimeout = escapeCodeTimeout;
  this.line = '';
  this.cursor = 0;
  this.closed = false;
  this.paused = false;
  this._prompt = prompt;
  this._questionCallback = null;
  this._oldPrompt = undefined;
  this._lineBuffer = null;
  this._sawReturnAt = 0;
  this._decoder = newDecoder('utf8');
  this._lineStream = undefined;
  const self = this;
  this._ondata = function ondata(data) {
    self._normalWrite(data);
  };
  this._onend = function onend() {
    if (typeof self._lineBuffer === 'string' && self._lineBuffer.length > 0) {
      self.emit('line', self._lineBuffer);
    }
    self.close();
  };
  input.on('error', (err) => this.emit('error', err));
  input.on('data', this._ondata);
  input.on('end', this._onend);
  // A terminal's keys become 'keypress' events on the input (lines still come from its data).
  if (this.terminal) emitKeypressEvents(input, this);
  this.once('close', () => {
    input.removeListener('data', this._ondata);
    input.removeListener('end', this._onend);
  });
  if (signal) {
    const onAborted = () => self.close();
    if (signal.aborted) queueMicrotask(onAborted);
    else {
      signal.addEventListener('abort', onAborted, { __proto__: null, once: true });
      self.once('close', () => signal.removeEventListener('abort', onAborted));
    }
  }
  input.resume();
}
ObjectSetPrototypeOf(Interface.prototype, EE.prototype);
ObjectSetPrototypeOf(Interface, EE);

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
  this._writeToOutput(this._prompt);
};

Interface.prototype.question = function question(query, options, cb) {
  cb = typeof options === 'function' ? options : cb;
  if (options !== null && typeof options === 'object') {
    const signal = options.signal;
    if (signal?.aborted) return;
    if (signal) {
      const onAbort = () => this._questionCancel();
      signal.addEventListener('abort', onAbort, { __proto__: null, once: true });
      const original = cb;
      cb = (answer) => {
        signal.removeEventListener('abort', onAbort);
        original(answer);
      };
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

Interface.prototype._questionCancel = function _questionCancel() {
  if (this._questionCallback) {
    this._questionCallback = null;
    this.setPrompt(this._oldPrompt);
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
  if (this.paused) this.resume();
  if (this.closed) throw errUseAfterClose();
  this._normalWrite(d);
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
  this.closed = true;
  this.emit('close');
};

Interface.prototype.getCursorPos = function getCursorPos() {
  return { rows: 0, cols: this.cursor };
};

Interface.prototype._addHistory = function _addHistory() {
  if (this.line.length === 0) return '';
  if (this.historySize === 0) return this.line;
  ArrayPrototypeUnshift(this.history, this.line);
  if (this.history.length > this.historySize) this.history.length = this.historySize;
  this.emit('history', this.history);
  return this.line;
};

Interface.prototype[SymbolAsyncIterator] = function () {
  if (this._lineStream === undefined) {
    const readable = new Readable({
      objectMode: true,
      read: () => {
        this.resume();
      },
      destroy: (err, cb) => {
        this.off('line', lineListener);
        this.off('close', closeListener);
        this.close();
        cb(err);
      },
    });
    const lineListener = (input) => {
      if (!readable.push(input)) this.pause();
    };
    const closeListener = () => {
      readable.push(null);
    };
    const errorListener = (err) => {
      readable.destroy(err);
    };
    this.on('error', errorListener);
    this.on('line', lineListener);
    this.on('close', closeListener);
    this._lineStream = readable;
  }
  return this._lineStream[SymbolAsyncIterator]();
};

// Cursor helpers of `readline` (escape sequences written to a stream).
const CSI = '\x1b[';

export function cursorTo(stream, x, y, callback) {
  if (callback !== undefined && typeof callback !== 'function') {
    throw makeInvalidArgType('callback', 'function', callback);
  }
  if (typeof y === 'function') {
    callback = y;
    y = undefined;
  }
  if (stream == null || (typeof x !== 'number' && typeof y !== 'number')) {
    if (typeof callback === 'function') queueMicrotask(() => callback(null));
    return true;
  }
  if (typeof x !== 'number')
    throw makeNodeError(
      TypeErrorCtor,
      'ERR_INVALID_CURSOR_POS',
      'Cannot set cursor row without setting its column',
    );
  const data = typeof y !== 'number' ? `${CSI}${x + 1}G` : `${CSI}${y + 1};${x + 1}H`;
  return stream.write(data, callback);
}

export function moveCursor(stream, dx, dy, callback) {
  if (stream == null || !(dx || dy)) {
    if (typeof callback === 'function') queueMicrotask(() => callback(null));
    return true;
  }
  let data = '';
  if (dx < 0) data += `${CSI}${-dx}D`;
  else if (dx > 0) data += `${CSI}${dx}C`;
  if (dy < 0) data += `${CSI}${-dy}A`;
  else if (dy > 0) data += `${CSI}${dy}B`;
  return stream.write(data, callback);
}

export function clearLine(stream, dir, callback) {
  if (stream === null || stream === undefined) {
    if (typeof callback === 'function') queueMicrotask(() => callback(null));
    return true;
  }
  const type = dir < 0 ? `${CSI}1K` : dir > 0 ? `${CSI}0K` : `${CSI}2K`;
  return stream.write(type, callback);
}

export function clearScreenDown(stream, callback) {
  if (stream === null || stream === undefined) {
    if (typeof callback === 'function') queueMicrotask(() => callback(null));
    return true;
  }
  return stream.write(`${CSI}0J`, callback);
}
