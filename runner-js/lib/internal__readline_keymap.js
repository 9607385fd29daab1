// lib/internal__readline_keymap.js: which key does what in a terminal readline.Interface
// (Node 22's `_ttyWrite`): control, meta and plain keys mapped to the editor's actions
// (internal__readline_editor.js), typed text inserted, and the TERM=dumb variant.

import {
  DateNow,
  RegExpPrototypeExec,
  StringPrototypeCodePointAt,
  StringPrototypeSlice,
} from '../js/00_primordials.js';
import { processObject } from '../js/20_exit.js';
import { clearScreenDown, cursorTo } from './internal__readline_cursor.js';
import {
  charLengthLeft,
  kPreviousKey,
  kQuestionReject,
  kSubstringSearch,
  kYanking,
  redo,
  undo,
  yank,
  yankPop,
} from './internal__readline_editor.js';
import { charLengthAt } from './internal__readline_keys.js';
import { AbortError } from './internal__stream_core.js';

const lineEnding = /\r?\n|\r(?!\n)/g;
const noKey = { __proto__: null };

/** `Interface.prototype._ttyWrite(s, key)`: one key (or typed text) applied to the line. */
export function ttyWrite(s, key) {
  const previousKey = this[kPreviousKey];
  key = key || noKey;
  this[kPreviousKey] = key;
  if (!key.meta || key.name !== 'y') this[kYanking] = false;
  trackSubstringSearch(this, key);
  if (typeof key.sequence === 'string') {
    const code = StringPrototypeCodePointAt(key.sequence, 0);
    if (code === 0x1f) return undo(this);
    if (code === 0x1e) return redo(this);
  }
  if (key.name === 'escape') return;
  if (key.ctrl && key.shift) ctrlShiftKey(this, key);
  else if (key.ctrl) ctrlKey(this, key);
  else if (key.meta) metaKey(this, key);
  else plainKey(this, s, key, previousKey);
}

// Up/down without modifiers search the history for the text before the cursor; any other key
// ends the search.
function trackSubstringSearch(rl, key) {
  if ((key.name === 'up' || key.name === 'down') && !key.ctrl && !key.meta && !key.shift) {
    if (rl[kSubstringSearch] === null) {
      rl[kSubstringSearch] = StringPrototypeSlice(rl.line, 0, rl.cursor);
    }
  } else if (rl[kSubstringSearch] !== null) {
    rl[kSubstringSearch] = null;
    if (rl.history.length === rl.historyIndex) rl.historyIndex = -1;
  }
}

function ctrlShiftKey(rl, key) {
  if (key.name === 'backspace') rl._deleteLineLeft();
  else if (key.name === 'delete') rl._deleteLineRight();
}

function ctrlKey(rl, key) {
  switch (key.name) {
    case 'c':
      if (rl.listenerCount('SIGINT') > 0) rl.emit('SIGINT');
      else {
        rl.close();
        rl[kQuestionReject]?.(new AbortError('Aborted with Ctrl+C'));
      }
      break;
    case 'h':
      rl._deleteLeft();
      break;
    case 'd':
      if (rl.cursor === 0 && rl.line.length === 0) {
        rl.close();
        rl[kQuestionReject]?.(new AbortError('Aborted with Ctrl+D'));
      } else if (rl.cursor < rl.line.length) {
        rl._deleteRight();
      }
      break;
    case 'u':
      rl._deleteLineLeft();
      break;
    case 'k':
      rl._deleteLineRight();
      break;
    case 'a':
      rl._moveCursor(-Infinity);
      break;
    case 'e':
      rl._moveCursor(+Infinity);
      break;
    case 'b':
      rl._moveCursor(-charLengthLeft(rl.line, rl.cursor));
      break;
    case 'f':
      rl._moveCursor(+charLengthAt(rl.line, rl.cursor));
      break;
    case 'l':
      cursorTo(rl.output, 0, 0);
      clearScreenDown(rl.output);
      rl._refreshLine();
      break;
    case 'n':
      rl._historyNext();
      break;
    case 'p':
      rl._historyPrev();
      break;
    case 'y':
      yank(rl);
      break;
    case 'z':
      // No job control in the sandbox: a 'SIGTSTP' listener decides; without one the key is
      // ignored (natively the process would stop).
      if (rl.listenerCount('SIGTSTP') > 0) rl.emit('SIGTSTP');
      break;
    case 'w':
    case 'backspace':
      rl._deleteWordLeft();
      break;
    case 'delete':
      rl._deleteWordRight();
      break;
    case 'left':
      rl._wordLeft();
      break;
    case 'right':
      rl._wordRight();
      break;
  }
}

function metaKey(rl, key) {
  switch (key.name) {
    case 'b':
      rl._wordLeft();
      break;
    case 'f':
      rl._wordRight();
      break;
    case 'd':
    case 'delete':
      rl._deleteWordRight();
      break;
    case 'backspace':
      rl._deleteWordLeft();
      break;
    case 'y':
      yankPop(rl);
      break;
  }
}

function plainKey(rl, s, key, previousKey) {
  // A \r counts only if a \n follows it at once.
  if (rl._sawReturnAt && key.name !== 'enter') rl._sawReturnAt = 0;
  switch (key.name) {
    case 'return':
      rl._sawReturnAt = DateNow();
      rl._line();
      return;
    case 'enter':
      if (rl._sawReturnAt === 0 || DateNow() - rl._sawReturnAt > rl.crlfDelay) rl._line();
      rl._sawReturnAt = 0;
      return;
    case 'backspace':
      return rl._deleteLeft();
    case 'delete':
      return rl._deleteRight();
    case 'left':
      return rl._moveCursor(-charLengthLeft(rl.line, rl.cursor));
    case 'right':
      return rl._moveCursor(+charLengthAt(rl.line, rl.cursor));
    case 'home':
      return rl._moveCursor(-Infinity);
    case 'end':
      return rl._moveCursor(+Infinity);
    case 'up':
      return rl._historyPrev();
    case 'down':
      return rl._historyNext();
    case 'tab':
      if (typeof rl.completer === 'function' && rl.isCompletionEnabled) {
        rl._tabComplete(previousKey?.name === 'tab');
        return;
      }
  }
  insertText(rl, s);
}

// Typed (or pasted) text: each line ending in it ends a line.
function insertText(rl, s) {
  if (typeof s !== 'string' || !s) return;
  lineEnding.lastIndex = 0;
  let lastIndex = 0;
  for (;;) {
    const match = RegExpPrototypeExec(lineEnding, s);
    if (match === null) break;
    rl._insertString(StringPrototypeSlice(s, lastIndex, match.index));
    lastIndex = lineEnding.lastIndex;
    rl._line();
    // A 'line' listener may have used the expression.
    lineEnding.lastIndex = lastIndex;
  }
  rl._insertString(StringPrototypeSlice(s, lastIndex));
}

/** `_ttyWrite` under TERM=dumb: no editing, no escape codes; ctrl-c and ctrl-d still end. */
export function ttyWriteDumb(s, key) {
  key = key || noKey;
  if (key.name === 'escape') return;
  if (this._sawReturnAt && key.name !== 'enter') this._sawReturnAt = 0;
  if (key.ctrl && (key.name === 'c' || key.name === 'd')) {
    if (key.name === 'c' && this.listenerCount('SIGINT') > 0) this.emit('SIGINT');
    else this.close();
    return;
  }
  if (key.name === 'return') {
    this._sawReturnAt = DateNow();
    this._line();
  } else if (key.name === 'enter') {
    if (this._sawReturnAt === 0 || DateNow() - this._sawReturnAt > this.crlfDelay) this._line();
    this._sawReturnAt = 0;
  } else if (typeof s === 'string' && s) {
    this.line += s;
    this.cursor += s.length;
    this._writeToOutput(s);
  }
}

/** Whether the guest's terminal is dumb (no cursor movement). */
export function isDumbTerminal() {
  return processObject.env.TERM === 'dumb';
}
