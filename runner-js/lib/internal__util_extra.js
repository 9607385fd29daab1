// lib/internal__util_extra.js: the rarely used parts of `util`, loaded on first use:
// styleText, getSystemErrorName/Map, aborted.

import {
  ArrayIsArray,
  ArrayPrototypeJoin,
  MapCtor,
  MapPrototypeSet,
  ObjectKeys,
  PromiseCtor,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { inspect } from '../js/04_inspect.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { osConstants } from './internal__os_constants.js';

const COLORS = {
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

/**
 * util.styleText as Node 20.20 has it: a single format is validated against the stream, which
 * in the sandbox is never a terminal, so the text comes back unstyled; an array of formats is
 * styled without that check (Node 20.20 does the same).
 */
export function styleText(format, text, options) {
  if (typeof text !== 'string') throw makeInvalidArgType('text', 'string', text);
  const list = ArrayIsArray(format) ? format : [format];
  let left = '';
  let right = '';
  for (let i = 0; i < list.length; i++) {
    const pair = COLORS[list[i]];
    if (pair === undefined) {
      // Node's validateOneOf.
      const names = ArrayPrototypeJoin(ObjectKeys(COLORS), "', '");
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_VALUE',
        `The argument 'format' must be one of: '${names}'. Received ${inspect(list[i])}`,
      );
    }
    left += `\u001b[${pair[0]}m`;
    right = `\u001b[${pair[1]}m${right}`;
  }
  if (!ArrayIsArray(format) && options?.validateStream !== false) return text;
  return `${left}${text}${right}`;
}

export function systemErrorName(err) {
  const errno = osConstants.errno;
  const keys = ObjectKeys(errno);
  for (let i = 0; i < keys.length; i++) if (-errno[keys[i]] === err) return keys[i];
  return `Unknown system error ${err}`;
}

export function systemErrorMap() {
  const map = new MapCtor();
  const errno = osConstants.errno;
  const keys = ObjectKeys(errno);
  for (let i = 0; i < keys.length; i++) MapPrototypeSet(map, -errno[keys[i]], [keys[i], keys[i]]);
  return map;
}

export function aborted(signal, resource) {
  if (signal === null || typeof signal !== 'object' || !('aborted' in signal)) {
    throw makeInvalidArgType('signal', 'an instance of AbortSignal', signal);
  }
  if (resource === null || (typeof resource !== 'object' && typeof resource !== 'function')) {
    throw makeInvalidArgType('resource', 'object', resource);
  }
  return new PromiseCtor((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { __proto__: null, once: true });
  });
}
