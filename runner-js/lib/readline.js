// lib/readline.js: the `readline` builtin (see internal__readline_interface.js).
import { clearLine, clearScreenDown, cursorTo, moveCursor } from './internal__readline_cursor.js';
import { Interface } from './internal__readline_interface.js';
import { emitKeypressEvents } from './internal__readline_keys.js';
import { readlinePromises } from './readline__promises.js';

function createInterface(input, output, completer, terminal) {
  return new Interface(input, output, completer, terminal);
}

export const moduleExports = {
  Interface,
  clearLine,
  clearScreenDown,
  createInterface,
  cursorTo,
  emitKeypressEvents,
  moveCursor,
  promises: readlinePromises,
};
