// lib/internal__readline_keys.js: `readline.emitKeypressEvents(stream)`: the stream's input,
// decoded as UTF-8, becomes 'keypress' events (`str`, `{ sequence, name, ctrl, meta, shift }`,
// plus `code` for an escape sequence) with Node's key names. A terminal's escape sequences
// (ESC [ ..., ESC O ..., with xterm modifiers) may arrive split across chunks: the decoder keeps
// the unfinished sequence; a lone ESC becomes the escape key after `escapeCodeTimeout` ms.

import {
  ObjectPrototypeHasOwnProperty,
  RegExpPrototypeExec,
  StringFromCharCode,
  StringPrototypeCharCodeAt,
  StringPrototypeCodePointAt,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  SymbolCtor,
} from '../js/00_primordials.js';
import { clearTimeout, setTimeout } from '../js/24_timers.js';
import { newDecoder } from './internal__stream_core.js';

const ESC = '\x1b';
const kDecoder = SymbolCtor('keypressDecoder');
export const kEscapeCodeTimeout = 500;

// Escape-sequence codes (after ESC) -> key name, with the modifiers the code itself implies.
const NAMED = { __proto__: null };
function named(names, key, extra) {
  for (let i = 0; i < names.length; i++) NAMED[names[i]] = { name: key, extra };
}
named(['OP', '[P', '[11~', '[[A'], 'f1');
named(['OQ', '[Q', '[12~', '[[B'], 'f2');
named(['OR', '[R', '[13~', '[[C'], 'f3');
named(['OS', '[S', '[14~', '[[D'], 'f4');
named(['[15~', '[[E'], 'f5');
const FKEYS = ['[17~', '[18~', '[19~', '[20~', '[21~', '[23~', '[24~'];
for (let i = 0; i < FKEYS.length; i++) named([FKEYS[i]], `f${i + 6}`);
named(['[A', 'OA'], 'up');
named(['[B', 'OB'], 'down');
named(['[C', 'OC'], 'right');
named(['[D', 'OD'], 'left');
named(['[E', 'OE'], 'clear');
named(['[F', 'OF', '[4~', '[8~'], 'end');
named(['[H', 'OH', '[1~', '[7~'], 'home');
named(['[2~'], 'insert');
named(['[3~'], 'delete');
named(['[5~', '[[5~'], 'pageup');
named(['[6~', '[[6~'], 'pagedown');
// rxvt: lower case letters and `$` are shifted keys, `O` + lower case and `^` control keys.
const RXVT = [
  ['a', 'up'],
  ['b', 'down'],
  ['c', 'right'],
  ['d', 'left'],
  ['e', 'clear'],
];
for (let i = 0; i < RXVT.length; i++) {
  named([`[${RXVT[i][0]}`], RXVT[i][1], 'shift');
  named([`O${RXVT[i][0]}`], RXVT[i][1], 'ctrl');
}
const RXVT_NUM = [
  ['2', 'insert'],
  ['3', 'delete'],
  ['5', 'pageup'],
  ['6', 'pagedown'],
  ['7', 'home'],
  ['8', 'end'],
];
for (let i = 0; i < RXVT_NUM.length; i++) {
  named([`[${RXVT_NUM[i][0]}$`], RXVT_NUM[i][1], 'shift');
  named([`[${RXVT_NUM[i][0]}^`], RXVT_NUM[i][1], 'ctrl');
}
named(['[Z'], 'tab', 'shift');

const DIGIT = /^[0-9]$/;
const ALNUM = /^[0-9A-Za-z]$/;
const UPPER = /^[A-Z]$/;
const TILDE_FORM = /^(\d\d?)(;(\d))?([~^$])$/;
const LETTER_FORM = /^((\d;)?(\d))?([A-Za-z])$/;

function isDigit(ch) {
  return ch !== '' && RegExpPrototypeExec(DIGIT, ch) !== null;
}

/**
 * One stream's key decoder: `push(ch)` takes one character ('' = the escape timeout) and calls
 * `emit(str, key)` for each complete key.
 */
class KeyDecoder {
  constructor(emit) {
    this.emit = emit;
    this.seq = '';
  }

  push(ch) {
    const seq = this.seq + ch;
    if (ch !== '' && !complete(seq)) {
      this.seq = seq;
      return;
    }
    this.seq = '';
    emitKey(this.emit, seq);
  }
}

// Whether `seq` (ESC-led or a single character) is a whole key: the escape forms are read as
// Node reads them (optional second ESC; `O` + optional modifier digit + letter; `[` + optional
// `[` + up to two digits + optional `;digit` + one final character).
function complete(seq) {
  if (seq[0] !== ESC) return true;
  let i = 1;
  if (seq[i] === ESC) i++;
  if (i >= seq.length) return false;
  const kind = seq[i];
  if (kind !== 'O' && kind !== '[') return true;
  i++;
  if (kind === 'O') {
    if (i >= seq.length) return false;
    if (isDigit(seq[i])) i++;
    return i < seq.length;
  }
  if (seq[i] === '[') i++;
  if (i >= seq.length) return false;
  if (isDigit(seq[i])) {
    i++;
    if (i >= seq.length) return false;
    if (isDigit(seq[i])) i++;
    if (i >= seq.length) return false;
  }
  if (seq[i] === ';') {
    i++;
    if (i >= seq.length) return false;
    if (isDigit(seq[i])) i++;
    return i < seq.length;
  }
  return true;
}

function newKey() {
  return { sequence: null, name: undefined, ctrl: false, meta: false, shift: false };
}

function emitKey(emit, seq) {
  const key = newKey();
  let rest = seq;
  let escaped = false;
  if (rest[0] === ESC && rest.length > 1) {
    escaped = true;
    rest = StringPrototypeSlice(rest, rest[1] === ESC && rest.length > 2 ? 2 : 1);
  } else if (rest === ESC) {
    escaped = true;
    rest = '';
  }
  if (escaped && (rest[0] === 'O' || rest[0] === '[')) escapeSequence(key, rest);
  else singleKey(key, rest, escaped);
  key.sequence = seq;
  if (seq.length !== 0 && (key.name !== undefined || escaped)) {
    emit(escaped ? undefined : seq, key);
  } else if (charLengthAt(seq, 0) === seq.length) {
    emit(seq, key);
  }
}

/** UTF-16 units of the character at `i` (a surrogate pair is one; 1 past the end). */
export function charLengthAt(str, i) {
  if (str.length <= i) return 1;
  return StringPrototypeCodePointAt(str, i) >= 0x10000 ? 2 : 1;
}

// `body`: the sequence after its ESC (`[1;5H`, `OA`, `[24~`...).
function escapeSequence(key, body) {
  let code = body[0];
  let modifier = 0;
  let cmd;
  if (code === 'O') {
    cmd = StringPrototypeSlice(body, 1);
    if (isDigit(cmd[0])) {
      modifier = +cmd[0] - 1;
      cmd = StringPrototypeSlice(cmd, 1);
    }
    code += cmd;
  } else {
    cmd = StringPrototypeSlice(body, 1);
    if (cmd[0] === '[') {
      code += '[';
      cmd = StringPrototypeSlice(cmd, 1);
    }
    const tilde = RegExpPrototypeExec(TILDE_FORM, cmd);
    const letter = tilde === null ? RegExpPrototypeExec(LETTER_FORM, cmd) : null;
    if (tilde !== null) {
      code += tilde[1] + tilde[4];
      modifier = (tilde[3] || 1) - 1;
    } else if (letter !== null) {
      code += letter[4];
      modifier = (letter[3] || 1) - 1;
    } else {
      code += cmd;
    }
  }
  key.ctrl = !!(modifier & 4);
  key.meta = !!(modifier & 10);
  key.shift = !!(modifier & 1);
  key.code = code;
  const entry = ObjectPrototypeHasOwnProperty(NAMED, code) ? NAMED[code] : undefined;
  if (entry === undefined) {
    key.name = 'undefined';
    return;
  }
  key.name = entry.name;
  if (entry.extra === 'shift') key.shift = true;
  else if (entry.extra === 'ctrl') key.ctrl = true;
}

function singleKey(key, ch, escaped) {
  if (ch === '\r' || ch === '\n' || ch === '\t') {
    key.name = ch === '\r' ? 'return' : ch === '\n' ? 'enter' : 'tab';
    key.meta = escaped;
  } else if (ch === '\b' || ch === '\x7f') {
    key.name = 'backspace';
    key.meta = escaped;
  } else if (ch === ESC) {
    key.name = 'escape';
    key.meta = escaped;
  } else if (ch === ' ') {
    key.name = 'space';
    key.meta = escaped;
  } else if (!escaped && ch !== '' && ch <= '\x1a') {
    key.name = StringFromCharCode(StringPrototypeCharCodeAt(ch, 0) + 96);
    key.ctrl = true;
  } else if (RegExpPrototypeExec(ALNUM, ch) !== null) {
    key.name = StringPrototypeToLowerCase(ch);
    key.shift = RegExpPrototypeExec(UPPER, ch) !== null;
    key.meta = escaped;
  } else if (escaped) {
    key.name = ch.length ? undefined : 'escape';
    key.meta = true;
  }
}

/** readline.emitKeypressEvents(stream[, iface]): once per stream; `iface` gives the timeout. */
export function emitKeypressEvents(stream, iface = {}) {
  if (stream[kDecoder] !== undefined) return;
  const utf8 = newDecoder('utf8');
  let timer;
  const decoder = new KeyDecoder((str, key) => stream.emit('keypress', str, key));
  stream[kDecoder] = decoder;
  const onTimeout = () => decoder.push('');
  function onData(input) {
    if (stream.listenerCount('keypress') === 0) {
      // Nobody listens: stop decoding until someone does.
      stream.removeListener('data', onData);
      stream.on('newListener', onNewListener);
      return;
    }
    const string = typeof input === 'string' ? input : utf8.write(input);
    if (!string) return;
    clearTimeout(timer);
    // A chunk of several characters is a paste: no completion (nor redraw) until its last one.
    iface.isCompletionEnabled = false;
    for (let i = 0; i < string.length; ) {
      const width = charLengthAt(string, i);
      const ch = StringPrototypeSlice(string, i, i + width);
      i += width;
      if (i === string.length) iface.isCompletionEnabled = true;
      decoder.push(ch);
      if (i === string.length && ch === ESC) {
        timer = setTimeout(onTimeout, iface.escapeCodeTimeout ?? kEscapeCodeTimeout);
      }
    }
  }
  function onNewListener(event) {
    if (event !== 'keypress') return;
    stream.on('data', onData);
    stream.removeListener('newListener', onNewListener);
  }
  if (stream.listenerCount('keypress') > 0) stream.on('data', onData);
  else stream.on('newListener', onNewListener);
}
