// lib/internal__util_extra.js: the rarely used parts of `util`, loaded on first use:
// styleText, getSystemErrorName/Map, aborted.

import {
  ArrayIsArray,
  ArrayPrototypeJoin,
  MapCtor,
  MapPrototypeSet,
  ObjectKeys,
  PromiseCtor,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  TypeErrorCtor,
} from '../js/00_primordials.js';
import { listPush } from '../js/01_helpers.js';
import { inspect } from '../js/04_inspect.js';
import { makeInvalidArgType, makeNodeError } from '../js/06_errors.js';
import { processObject } from '../js/20_exit.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import { osConstants } from './internal__os_constants.js';

/**
 * util.styleText as Node 20.20 has it: the stream (process.stdout unless given) must be a stream
 * unless `validateStream` is false; a single format is then left out when that stream is not a
 * terminal (the sandbox's never is) and FORCE_COLOR does not ask for colors; an array of formats
 * is styled without that check (Node 20.20 does the same). Nested styles as Node 22: see
 * reopenAfterResets. 'none' (Node 22) styles nothing.
 */
export function styleText(format, text, options) {
  if (typeof text !== 'string') throw makeInvalidArgType('text', 'string', text);
  const validateStream = options?.validateStream ?? true;
  if (typeof validateStream !== 'boolean') {
    throw makeInvalidArgType('options.validateStream', 'boolean', validateStream);
  }
  const stream = validateStream ? checkedStream(options?.stream ?? processObject.stdout) : null;
  const list = ArrayIsArray(format) ? format : [format];
  let left = '';
  let right = '';
  const pairs = [];
  for (let i = 0; i < list.length; i++) {
    if (list[i] === 'none') continue;
    const pair = inspect.colors[list[i]];
    if (pair === undefined) {
      // Node's validateOneOf.
      const names = ArrayPrototypeJoin(ObjectKeys(inspect.colors), "', '");
      throw makeNodeError(
        TypeErrorCtor,
        'ERR_INVALID_ARG_VALUE',
        `The argument 'format' must be one of: '${names}'. Received ${inspect(list[i])}`,
      );
    }
    left += `\u001b[${pair[0]}m`;
    right = `\u001b[${pair[1]}m${right}`;
    listPush(pairs, pair);
  }
  if (!ArrayIsArray(format) && stream !== null && !shouldColorize(stream)) return text;
  for (let i = 0; i < pairs.length; i++) text = reopenAfterResets(text, pairs[i]);
  return `${left}${text}${right}`;
}

function checkedStream(stream) {
  const core = loadLazyBuiltin('internal/stream_core');
  if (
    !core.isNodeStream(stream) &&
    !core.isReadableStream(stream) &&
    !core.isWritableStream(stream)
  ) {
    const expected = 'an instance of ReadableStream, WritableStream, or Stream';
    throw makeInvalidArgType('stream', expected, stream);
  }
  return stream;
}

// Node's shouldColorize: FORCE_COLOR decides when set (0 or false: no), else a terminal does.
function shouldColorize(stream) {
  const force = processObject.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return !!stream?.isTTY;
}

// As Node 22: a nested style's reset of the same kind (not at the very end) gives way to this
// style's opening again, after the reset for bold and dim, which can be on together.
function reopenAfterResets(text, pair) {
  const open = `\u001b[${pair[0]}m`;
  const close = `\u001b[${pair[1]}m`;
  const keepClose = pair[0] === 1 || pair[0] === 2;
  let out = '';
  let from = 0;
  for (;;) {
    const at = StringPrototypeIndexOf(text, close, from);
    if (at === -1 || at + close.length >= text.length) break;
    out += `${StringPrototypeSlice(text, from, at)}${keepClose ? close : ''}${open}`;
    from = at + close.length;
  }
  return from === 0 ? text : `${out}${StringPrototypeSlice(text, from)}`;
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
