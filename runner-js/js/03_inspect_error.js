// 03_inspect_error.js: how util.inspect prints an Error: the stack (or `[Name: message]`), the
// name and constructor fixed up like Node's improveStack, the frames shared with the cause removed,
// and the own properties after it.

import {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypeIndexOf,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeSplice,
  ErrorPrototypeToString,
  MathMin,
  RegExpPrototypeExec,
  StringCtor,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeRepeat,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
} from './00_primordials.js';
import { getStack, isError, splitLines } from './01_helpers.js';
import { getPrefix } from './02_inspect_base.js';

function identicalSequenceRange(a, b) {
  for (let i = 0; i < a.length - 3; i++) {
    const pos = ArrayPrototypeIndexOf(b, a[i]);
    if (pos !== -1) {
      const rest = b.length - pos;
      if (rest > 3) {
        let len = 1;
        const maxLen = MathMin(a.length - i, rest);
        while (maxLen > len && a[i + len] === b[pos + len]) len++;
        if (len > 3) return { __proto__: null, len, offset: i };
      }
    }
  }
  return { __proto__: null, len: 0, offset: 0 };
}

// Replaces frames shared with `err.cause`'s stack by `... N lines matching cause stack trace ...`.
function removeCauseFrames(err, frames) {
  let cause;
  try {
    cause = err.cause;
  } catch {
    return frames;
  }
  if (cause == null || !isError(cause)) return frames;
  const causeStack = getStack(cause);
  if (causeStack === undefined) return frames;
  const causeStackStart = StringPrototypeIndexOf(causeStack, '\n    at');
  if (causeStackStart === -1) return frames;
  const causeFrames = splitLines(StringPrototypeSlice(causeStack, causeStackStart + 1));
  const { len, offset } = identicalSequenceRange(frames, causeFrames);
  if (len > 0) {
    const skipped = len - 2;
    ArrayPrototypeSplice(
      frames,
      offset + 1,
      skipped,
      `    ... ${skipped} lines matching cause stack trace ...`,
    );
  }
  return frames;
}

// A frame of the runtime itself (`node:...`, `agentos:...`): Node greys its core frames.
const CORE_FRAME = /^ {4}at (?:[^/\\(]+ \(|)(?:node|agentos):.+:\d+:\d+\)?$/;
const NODE_MODULE = /[/\\]node_modules[/\\](.+?)(?=[/\\])/g;

// With colors, as Node's: core frames grey, the package names in node_modules paths underlined.
function colorFrames(ctx, frames) {
  const out = [];
  for (let i = 0; i < frames.length; i++) {
    const line = frames[i];
    if (RegExpPrototypeExec(CORE_FRAME, line) !== null) {
      ArrayPrototypePush(out, ctx.stylize(line, 'undefined'));
      continue;
    }
    let colored = '';
    let last = 0;
    NODE_MODULE.lastIndex = 0;
    for (;;) {
      const match = RegExpPrototypeExec(NODE_MODULE, line);
      if (match === null) break;
      // '/node_modules/'.length === 14
      colored += StringPrototypeSlice(line, last, match.index + 14);
      colored += ctx.stylize(match[1], 'module');
      last = match.index + match[0].length;
    }
    ArrayPrototypePush(out, last === 0 ? line : `${colored}${StringPrototypeSlice(line, last)}`);
  }
  return out;
}

export function formatError(err, constructor, tag, ctx, keys) {
  let name = 'Error';
  let message;
  let stack;
  try {
    name = err.name != null ? err.name : 'Error';
    message = err.message;
    stack = err.stack;
  } catch {}
  if (typeof stack !== 'string') {
    stack = stack ? StringCtor(stack) : ErrorPrototypeToString(err); // String(), as Node does
  }
  if (!ctx.showHidden && keys.length !== 0) {
    const names = ['name', 'message', 'stack'];
    for (let i = 0; i < 3; i++) {
      const index = ArrayPrototypeIndexOf(keys, names[i]);
      if (index !== -1) {
        const v = err[names[i]];
        if (typeof v !== 'string' || StringPrototypeIncludes(stack, v))
          ArrayPrototypeSplice(keys, index, 1);
      }
    }
  }
  if ('cause' in err && (keys.length === 0 || !ArrayPrototypeIncludes(keys, 'cause'))) {
    ArrayPrototypePush(keys, 'cause');
  }
  if (ArrayIsArray(err.errors) && (keys.length === 0 || !ArrayPrototypeIncludes(keys, 'errors'))) {
    ArrayPrototypePush(keys, 'errors');
  }
  // improveStack: make the stack header mention the class when the name was changed.
  if (typeof name === 'string') {
    const len = name.length;
    if (
      constructor === null ||
      (StringPrototypeEndsWith(name, 'Error') &&
        StringPrototypeStartsWith(stack, name) &&
        (stack.length === len || stack[len] === ':' || stack[len] === '\n'))
    ) {
      const prefix = StringPrototypeSlice(getPrefix(constructor, tag, 'Error'), 0, -1);
      if (name !== prefix) {
        if (StringPrototypeIncludes(prefix, name)) {
          stack =
            len === 0 ? `${prefix}: ${stack}` : `${prefix}${StringPrototypeSlice(stack, len)}`;
        } else {
          stack = `${prefix} [${name}]${StringPrototypeSlice(stack, len)}`;
        }
      }
    }
  }
  let pos =
    (typeof message === 'string' && message !== '' && StringPrototypeIndexOf(stack, message)) || -1;
  if (pos !== -1) pos += message.length;
  const stackStart = StringPrototypeIndexOf(stack, '\n    at', pos);
  if (stackStart === -1) {
    stack = `[${stack}]`;
  } else {
    let frames = removeCauseFrames(err, splitLines(StringPrototypeSlice(stack, stackStart + 1)));
    if (ctx.colors) frames = colorFrames(ctx, frames);
    stack = `${StringPrototypeSlice(stack, 0, stackStart)}\n${ArrayPrototypeJoin(frames, '\n')}`;
  }
  if (ctx.indentationLvl !== 0) {
    const lines = splitLines(stack);
    stack = ArrayPrototypeJoin(lines, `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`);
  }
  return stack;
}
