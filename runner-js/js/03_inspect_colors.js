// 03_inspect_colors.js: util.inspect's colors (`inspect.colors`: SGR code pairs, with Node's
// aliases) and styles (`inspect.styles`: value kind -> color name), and the stylize function
// `colors: true` uses. Both tables are the guest's to change, as Node's: they are read at use.

import { ObjectDefineProperty } from './00_primordials.js';

export const inspectColors = {
  __proto__: null,
  reset: [0, 0],
  bold: [1, 22],
  dim: [2, 22],
  italic: [3, 23],
  underline: [4, 24],
  blink: [5, 25],
  inverse: [7, 27],
  hidden: [8, 28],
  strikethrough: [9, 29],
  doubleunderline: [21, 24],
  black: [30, 39],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  white: [37, 39],
  bgBlack: [40, 49],
  bgRed: [41, 49],
  bgGreen: [42, 49],
  bgYellow: [43, 49],
  bgBlue: [44, 49],
  bgMagenta: [45, 49],
  bgCyan: [46, 49],
  bgWhite: [47, 49],
  framed: [51, 54],
  overlined: [53, 55],
  gray: [90, 39],
  redBright: [91, 39],
  greenBright: [92, 39],
  yellowBright: [93, 39],
  blueBright: [94, 39],
  magentaBright: [95, 39],
  cyanBright: [96, 39],
  whiteBright: [97, 39],
  bgGray: [100, 49],
  bgRedBright: [101, 49],
  bgGreenBright: [102, 49],
  bgYellowBright: [103, 49],
  bgBlueBright: [104, 49],
  bgMagentaBright: [105, 49],
  bgCyanBright: [106, 49],
  bgWhiteBright: [107, 49],
};

// Node's aliases: non-enumerable accessors of the color they name.
const ALIASES = [
  ['gray', 'grey'],
  ['gray', 'blackBright'],
  ['bgGray', 'bgGrey'],
  ['bgGray', 'bgBlackBright'],
  ['dim', 'faint'],
  ['strikethrough', 'crossedout'],
  ['strikethrough', 'strikeThrough'],
  ['strikethrough', 'crossedOut'],
  ['hidden', 'conceal'],
  ['inverse', 'swapColors'],
  ['inverse', 'swapcolors'],
  ['doubleunderline', 'doubleUnderline'],
];
for (let i = 0; i < ALIASES.length; i++) {
  const target = ALIASES[i][0];
  ObjectDefineProperty(inspectColors, ALIASES[i][1], {
    __proto__: null,
    get() {
      return this[target];
    },
    set(value) {
      this[target] = value;
    },
    configurable: true,
    enumerable: false,
  });
}

export const inspectStyles = {
  __proto__: null,
  special: 'cyan',
  number: 'yellow',
  bigint: 'yellow',
  boolean: 'yellow',
  undefined: 'grey',
  null: 'bold',
  string: 'green',
  symbol: 'green',
  date: 'magenta',
  regexp: 'red',
  module: 'underline',
};

// Where the tables are read from (`util.inspect`, whose `colors`/`styles` a guest may replace).
let tables = { colors: inspectColors, styles: inspectStyles };

export function setColorTables(holder) {
  tables = holder;
}

/** `str` in the color `inspect.styles[styleType]` names, if any. */
export function stylizeWithColor(str, styleType) {
  const style = tables.styles[styleType];
  if (style !== undefined) {
    const color = tables.colors[style];
    if (color !== undefined) return `\u001b[${color[0]}m${str}\u001b[${color[1]}m`;
  }
  return str;
}
