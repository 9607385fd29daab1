// lib/internal__readline_editor.js: the line editor of a terminal readline.Interface (Node 22's):
// the 'keypress' events of the input edit `line` at `cursor` and redraw it on the output with
// cursor escape codes. Emacs keys (ctrl-a/e/b/f/h/d/u/k/w/l/n/p/y, meta-b/f/d/y/backspace, the
// arrow, home/end and delete keys), a kill ring with yank and yank-pop, undo (ctrl-_) and redo
// (ctrl-^), history with prefix search (up/down), tab completion through the completer, ctrl-c
// ('SIGINT' or close) and ctrl-d (EOF). Positions count display columns (wide characters two
// columns, tabs to `tabSize`), wrapping at the output's `columns`. `installEditor` puts the
// methods on the Interface prototype under Node's underscore names, so a guest can patch them.

import {
  ArrayPrototypeFilter,
  ArrayPrototypeIndexOf,
  ArrayPrototypeMap,
  ArrayPrototypePop,
  ArrayPrototypePush,
  ArrayPrototypeShift,
  ArrayPrototypeSlice,
  ArrayPrototypeSort,
  ArrayPrototypeSplice,
  ArrayPrototypeUnshift,
  MathCeil,
  MathFloor,
  MathMax,
  RegExpPrototypeExec,
  StringPrototypeCodePointAt,
  StringPrototypeRepeat,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  StringPrototypeTrim,
  SymbolCtor,
} from '../js/00_primordials.js';
import { getStringWidth, stripAnsi } from '../js/03_inspect_layout.js';
import { inspect } from '../js/04_inspect.js';
import { clearScreenDown, cursorTo, moveCursor } from './internal__readline_cursor.js';
import { charLengthAt } from './internal__readline_keys.js';

const kKillRing = SymbolCtor('_killRing');
const kKillRingCursor = SymbolCtor('_killRingCursor');
export const kYanking = SymbolCtor('_yanking');
const kUndoStack = SymbolCtor('_undoStack');
const kRedoStack = SymbolCtor('_redoStack');
export const kPreviousKey = SymbolCtor('_previousKey');
export const kSubstringSearch = SymbolCtor('_substringSearch');
// A pending readline/promises question's reject: ctrl-c and ctrl-d reject it.
export const kQuestionReject = SymbolCtor('_questionReject');
const kMaxLengthOfKillRing = 32;
const kMaxUndoRedoStackSize = 2048;
const SPACE = /\s/;
const WORD = /\w/;

/** The editor's own state on a new Interface (`historyIndex` only on a terminal's, as Node's). */
export function initEditor(rl, terminal) {
  if (terminal) rl.historyIndex = -1;
  rl[kKillRing] = [];
  rl[kKillRingCursor] = 0;
  rl[kYanking] = false;
  rl[kUndoStack] = [];
  rl[kRedoStack] = [];
  rl[kPreviousKey] = null;
  rl[kSubstringSearch] = null;
}

// UTF-16 units of the character left of `i` (a surrogate pair is one character).
export function charLengthLeft(str, i) {
  if (i <= 0) return 0;
  if (
    (i > 1 && StringPrototypeCodePointAt(str, i - 2) >= 0x10000) ||
    StringPrototypeCodePointAt(str, i - 1) >= 0x10000
  ) {
    return 2;
  }
  return 1;
}

function isSpace(ch) {
  return RegExpPrototypeExec(SPACE, ch) !== null;
}

function isWord(ch) {
  return RegExpPrototypeExec(WORD, ch) !== null;
}

// The length of Node's `^\s*(?:[^\w\s]+|\w+)?` matched leftwards from `end`: spaces, then a run
// of word characters or a run of other characters.
function wordLeftLength(str, end) {
  let i = end;
  while (i > 0 && isSpace(str[i - 1])) i--;
  if (i > 0) {
    const word = isWord(str[i - 1]);
    while (i > 0 && !isSpace(str[i - 1]) && isWord(str[i - 1]) === word) i--;
  }
  return end - i;
}

// Node's `^(?:\s+|[^\w\s]+|\w+)\s*` (`wordRight`) or `^(?:\s+|\W+|\w+)\s*` (`deleteWordRight`,
// whose non-word run also takes spaces) from `start`.
function wordRightLength(str, start, nonWordTakesSpace) {
  let i = start;
  const n = str.length;
  if (isSpace(str[i])) {
    while (i < n && isSpace(str[i])) i++;
  } else if (isWord(str[i])) {
    while (i < n && isWord(str[i])) i++;
  } else {
    while (i < n && !isWord(str[i]) && (nonWordTakesSpace || !isSpace(str[i]))) i++;
  }
  while (i < n && isSpace(str[i])) i++;
  return i - start;
}

function commonPrefix(strings) {
  if (strings.length === 0) return '';
  if (strings.length === 1) return strings[0];
  const sorted = ArrayPrototypeSort(ArrayPrototypeSlice(strings));
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  for (let i = 0; i < min.length; i++) {
    if (min[i] !== max[i]) return StringPrototypeSlice(min, 0, i);
  }
  return min;
}

const editor = {
  _setRawMode(mode) {
    const wasInRawMode = this.input.isRaw;
    if (typeof this.input.setRawMode === 'function') this.input.setRawMode(mode);
    return wasInRawMode;
  },

  // The last character's display position of `str` (rows and columns from the prompt's start).
  _getDisplayPos(str) {
    let offset = 0;
    const col = this.columns;
    let rows = 0;
    str = stripAnsi(str);
    for (let i = 0; i < str.length; ) {
      const size = charLengthAt(str, i);
      const char = StringPrototypeSlice(str, i, i + size);
      i += size;
      if (char === '\n') {
        rows += MathCeil(offset / col) || 1;
        offset = 0;
        continue;
      }
      if (char === '\t') {
        offset += this.tabSize - (offset % this.tabSize);
        continue;
      }
      const width = getStringWidth(char, false);
      if (width === 0 || width === 1) {
        offset += width;
      } else {
        if ((offset + 1) % col === 0) offset++;
        offset += 2;
      }
    }
    const cols = offset % col;
    rows += (offset - cols) / col;
    return { cols, rows };
  },

  getCursorPos() {
    return this._getDisplayPos(this._prompt + StringPrototypeSlice(this.line, 0, this.cursor));
  },

  _refreshLine() {
    const line = this._prompt + this.line;
    const dispPos = this._getDisplayPos(line);
    const cursorPos = this.getCursorPos();
    const prevRows = this.prevRows || 0;
    if (prevRows > 0) moveCursor(this.output, 0, -prevRows);
    cursorTo(this.output, 0);
    clearScreenDown(this.output);
    this._writeToOutput(line);
    // Make the terminal allocate the new row.
    if (dispPos.cols === 0) this._writeToOutput(' ');
    cursorTo(this.output, cursorPos.cols);
    const diff = dispPos.rows - cursorPos.rows;
    if (diff > 0) moveCursor(this.output, 0, -diff);
    this.prevRows = cursorPos.rows;
  },

  _insertString(c) {
    pushUndo(this);
    if (!this.isCompletionEnabled) {
      // Mid-paste: no positions computed per character (a long paste stays linear).
      if (this.cursor < this.line.length) {
        this.line =
          StringPrototypeSlice(this.line, 0, this.cursor) +
          c +
          StringPrototypeSlice(this.line, this.cursor);
      } else {
        this.line += c;
      }
      this.cursor += c.length;
      this._writeToOutput(c);
      return;
    }
    if (this.cursor < this.line.length) {
      const beg = StringPrototypeSlice(this.line, 0, this.cursor);
      const end = StringPrototypeSlice(this.line, this.cursor);
      this.line = beg + c + end;
      this.cursor += c.length;
      this._refreshLine();
      return;
    }
    const oldPos = this.getCursorPos();
    this.line += c;
    this.cursor += c.length;
    if (oldPos.rows < this.getCursorPos().rows) this._refreshLine();
    else this._writeToOutput(c);
  },

  // Moves the cursor `dx` units (clamped to the line), redrawing only when it changes rows.
  _moveCursor(dx) {
    if (dx === 0) return;
    const oldPos = this.getCursorPos();
    this.cursor += dx;
    if (this.cursor < 0) this.cursor = 0;
    else if (this.cursor > this.line.length) this.cursor = this.line.length;
    const newPos = this.getCursorPos();
    if (oldPos.rows === newPos.rows) moveCursor(this.output, newPos.cols - oldPos.cols, 0);
    else this._refreshLine();
  },

  _wordLeft() {
    if (this.cursor > 0) this._moveCursor(-wordLeftLength(this.line, this.cursor));
  },

  _wordRight() {
    if (this.cursor < this.line.length) {
      this._moveCursor(wordRightLength(this.line, this.cursor, false));
    }
  },

  _deleteLeft() {
    if (this.cursor > 0 && this.line.length > 0) {
      pushUndo(this);
      const size = charLengthLeft(this.line, this.cursor);
      this.line =
        StringPrototypeSlice(this.line, 0, this.cursor - size) +
        StringPrototypeSlice(this.line, this.cursor);
      this.cursor -= size;
      this._refreshLine();
    }
  },

  _deleteRight() {
    if (this.cursor < this.line.length) {
      pushUndo(this);
      const size = charLengthAt(this.line, this.cursor);
      this.line =
        StringPrototypeSlice(this.line, 0, this.cursor) +
        StringPrototypeSlice(this.line, this.cursor + size);
      this._refreshLine();
    }
  },

  _deleteWordLeft() {
    if (this.cursor > 0) {
      pushUndo(this);
      const leading = StringPrototypeSlice(
        this.line,
        0,
        this.cursor - wordLeftLength(this.line, this.cursor),
      );
      this.line = leading + StringPrototypeSlice(this.line, this.cursor);
      this.cursor = leading.length;
      this._refreshLine();
    }
  },

  _deleteWordRight() {
    if (this.cursor < this.line.length) {
      pushUndo(this);
      const length = wordRightLength(this.line, this.cursor, true);
      this.line =
        StringPrototypeSlice(this.line, 0, this.cursor) +
        StringPrototypeSlice(this.line, this.cursor + length);
      this._refreshLine();
    }
  },

  _deleteLineLeft() {
    pushUndo(this);
    const del = StringPrototypeSlice(this.line, 0, this.cursor);
    this.line = StringPrototypeSlice(this.line, this.cursor);
    this.cursor = 0;
    pushToKillRing(this, del);
    this._refreshLine();
  },

  _deleteLineRight() {
    pushUndo(this);
    const del = StringPrototypeSlice(this.line, this.cursor);
    this.line = StringPrototypeSlice(this.line, 0, this.cursor);
    pushToKillRing(this, del);
    this._refreshLine();
  },

  clearLine() {
    this._moveCursor(+Infinity);
    this._writeToOutput('\r\n');
    this.line = '';
    this.cursor = 0;
    this.prevRows = 0;
  },

  _line() {
    const line = this._addHistory();
    this[kUndoStack] = [];
    this[kRedoStack] = [];
    this.clearLine();
    this._onLine(line);
  },

  _addHistory() {
    if (this.line.length === 0) return '';
    if (this.historySize === 0) return this.line;
    if (StringPrototypeTrim(this.line).length === 0) return this.line;
    const history = this.history;
    if (history.length === 0 || history[0] !== this.line) {
      if (this.removeHistoryDuplicates) {
        const dup = ArrayPrototypeIndexOf(history, this.line);
        if (dup !== -1) ArrayPrototypeSplice(history, dup, 1);
      }
      ArrayPrototypeUnshift(history, this.line);
      if (history.length > this.historySize) ArrayPrototypePop(history);
    }
    this.historyIndex = -1;
    // A 'history' listener may take the entry back out (a password, say).
    const line = history[0];
    this.emit('history', history);
    return line;
  },

  // Newer entries (down): the next one starting with the searched prefix, else the prefix.
  _historyNext() {
    if (this.historyIndex < 0) return;
    pushUndo(this);
    const search = this[kSubstringSearch] || '';
    let index = this.historyIndex - 1;
    while (
      index >= 0 &&
      (!StringPrototypeStartsWith(this.history[index], search) || this.line === this.history[index])
    ) {
      index--;
    }
    this.line = index === -1 ? search : this.history[index];
    this.historyIndex = index;
    this.cursor = this.line.length;
    this._refreshLine();
  },

  _historyPrev() {
    if (this.historyIndex >= this.history.length || this.history.length === 0) return;
    pushUndo(this);
    const search = this[kSubstringSearch] || '';
    let index = this.historyIndex + 1;
    while (
      index < this.history.length &&
      (!StringPrototypeStartsWith(this.history[index], search) || this.line === this.history[index])
    ) {
      index++;
    }
    this.line = index === this.history.length ? search : this.history[index];
    this.historyIndex = index;
    this.cursor = this.line.length;
    this._refreshLine();
  },

  // Asks the completer for the completions of the text before the cursor: a completer of two
  // parameters answers through its callback, any other returns them.
  _tabComplete(lastKeypressWasTab) {
    this.pause();
    const string = StringPrototypeSlice(this.line, 0, this.cursor);
    const done = (err, value) => {
      this.resume();
      if (err) {
        this._writeToOutput(`Tab completion error: ${inspect(err)}`);
        return;
      }
      applyCompletions(this, lastKeypressWasTab, value);
    };
    if (this.completer.length === 2) this.completer(string, done);
    else done(null, this.completer(string));
  },
};

/** Node's editing methods, on `proto` (the Interface prototype). */
export function installEditor(proto) {
  const names = [
    '_setRawMode',
    '_getDisplayPos',
    'getCursorPos',
    '_refreshLine',
    '_insertString',
    '_moveCursor',
    '_wordLeft',
    '_wordRight',
    '_deleteLeft',
    '_deleteRight',
    '_deleteWordLeft',
    '_deleteWordRight',
    '_deleteLineLeft',
    '_deleteLineRight',
    'clearLine',
    '_line',
    '_addHistory',
    '_historyNext',
    '_historyPrev',
    '_tabComplete',
  ];
  for (let i = 0; i < names.length; i++) proto[names[i]] = editor[names[i]];
  proto._getCursorPos = editor.getCursorPos;
}

function pushUndo(rl) {
  if (
    ArrayPrototypePush(rl[kUndoStack], { text: rl.line, cursor: rl.cursor }) > kMaxUndoRedoStackSize
  ) {
    ArrayPrototypeShift(rl[kUndoStack]);
  }
}

// Undo and redo: the line and cursor come back from one stack, the current ones go on the other.
function swapState(rl, from, to) {
  if (rl[from].length === 0) return;
  ArrayPrototypePush(rl[to], { text: rl.line, cursor: rl.cursor });
  const entry = ArrayPrototypePop(rl[from]);
  rl.line = entry.text;
  rl.cursor = entry.cursor;
  rl._refreshLine();
}

export function undo(rl) {
  swapState(rl, kUndoStack, kRedoStack);
}

export function redo(rl) {
  swapState(rl, kRedoStack, kUndoStack);
}

function pushToKillRing(rl, del) {
  const ring = rl[kKillRing];
  if (!del || del === ring[0]) return;
  ArrayPrototypeUnshift(ring, del);
  rl[kKillRingCursor] = 0;
  while (ring.length > kMaxLengthOfKillRing) ArrayPrototypePop(ring);
}

export function yank(rl) {
  if (rl[kKillRing].length > 0) {
    rl[kYanking] = true;
    rl._insertString(rl[kKillRing][rl[kKillRingCursor]]);
  }
}

// Replaces the text just yanked with the next older kill.
export function yankPop(rl) {
  const ring = rl[kKillRing];
  if (!rl[kYanking] || ring.length <= 1) return;
  const lastYank = ring[rl[kKillRingCursor]];
  rl[kKillRingCursor]++;
  if (rl[kKillRingCursor] >= ring.length) rl[kKillRingCursor] = 0;
  const currentYank = ring[rl[kKillRingCursor]];
  const head = StringPrototypeSlice(rl.line, 0, rl.cursor - lastYank.length);
  const tail = StringPrototypeSlice(rl.line, rl.cursor);
  rl.line = head + currentYank + tail;
  rl.cursor = head.length + currentYank.length;
  rl._refreshLine();
}

// A completer's `[completions, completedText]`: a longer common prefix is inserted; a second tab
// lists the completions in columns fitting the output's width.
export function applyCompletions(rl, lastKeypressWasTab, value) {
  const completions = value?.[0];
  const completeOn = value?.[1];
  if (!completions || completions.length === 0) return;
  const prefix = commonPrefix(ArrayPrototypeFilter(completions, (e) => e !== ''));
  if (StringPrototypeStartsWith(prefix, completeOn) && prefix.length > completeOn.length) {
    rl._insertString(StringPrototypeSlice(prefix, completeOn.length));
    return;
  }
  if (!StringPrototypeStartsWith(completeOn, prefix)) {
    rl.line =
      StringPrototypeSlice(rl.line, 0, rl.cursor - completeOn.length) +
      prefix +
      StringPrototypeSlice(rl.line, rl.cursor);
    rl.cursor = rl.cursor - completeOn.length + prefix.length;
    rl._refreshLine();
    return;
  }
  if (!lastKeypressWasTab) return;
  pushUndo(rl);
  rl._writeToOutput(completionList(rl, completions));
  rl._refreshLine();
}

function completionList(rl, completions) {
  const widths = ArrayPrototypeMap(completions, (e) => getStringWidth(e));
  let widest = 0;
  for (let i = 0; i < widths.length; i++) widest = MathMax(widest, widths[i]);
  const width = widest + 2;
  let maxColumns = MathFloor(rl.columns / width) || 1;
  if (maxColumns === Infinity) maxColumns = 1;
  let output = '\r\n';
  let lineIndex = 0;
  let whitespace = 0;
  for (let i = 0; i < completions.length; i++) {
    const completion = completions[i];
    if (completion === '' || lineIndex === maxColumns) {
      output += '\r\n';
      lineIndex = 0;
      whitespace = 0;
    } else {
      output += StringPrototypeRepeat(' ', whitespace);
    }
    if (completion !== '') {
      output += completion;
      whitespace = width - widths[i];
      lineIndex++;
    } else {
      output += '\r\n';
    }
  }
  if (lineIndex !== 0) output += '\r\n\r\n';
  return output;
}
