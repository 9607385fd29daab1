// 89_node_options.js: NODE_OPTIONS. Node reads options from this environment variable before
// its command line (which wins where both set one); they do not appear in process.execArgv.
// The ones the runner honours (engine/src/job/node_options.rs RUNNER_FLAGS and
// RUNNER_VALUE_FLAGS, `--unhandled-rejections`) are taken; any other option Node would accept
// there (`--max-old-space-size=4096`, `--enable-source-maps`...) changes nothing here and is
// left out.

import {
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  StringPrototypeCharAt,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
} from './00_primordials.js';

const FLAGS = [
  '--experimental-require-module',
  '--experimental-import-meta-resolve',
  '--js-float16array',
  '--no-warnings',
  '--expose-gc',
  '--no-deprecation',
  '--throw-deprecation',
  '--pending-deprecation',
  '--trace-deprecation',
  '--trace-warnings',
];

const VALUE_FLAGS = [
  '--env-file',
  '--env-file-if-exists',
  '--title',
  '-r',
  '--require',
  '--import',
];

const REJECTION_MODES = ['strict', 'warn', 'none', 'throw', 'warn-with-error-code'];

// Node's splitting of NODE_OPTIONS: words separated by spaces; double quotes group, and inside
// them a backslash takes the next character as it is.
export function splitNodeOptions(text) {
  const words = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = StringPrototypeCharAt(text, i);
    if (quoted && c === '\\' && i + 1 < text.length) {
      word += StringPrototypeCharAt(text, ++i);
    } else if (c === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (c === ' ' && !quoted) {
      if (inWord) ArrayPrototypePush(words, word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) ArrayPrototypePush(words, word);
  return words;
}

// The runner's options among NODE_OPTIONS' words, as the engine hands execArgv's over
// (`--NAME VALUE` kept as two words, `--expose_gc` spelled `--expose-gc`).
export function runnerOptions(text) {
  if (typeof text !== 'string' || text === '') return [];
  const words = splitNodeOptions(text);
  const taken = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] === '--expose_gc' ? '--expose-gc' : words[i];
    if (ArrayPrototypeIncludes(FLAGS, word)) {
      ArrayPrototypePush(taken, word);
    } else if (ArrayPrototypeIncludes(VALUE_FLAGS, word)) {
      if (i + 1 < words.length) {
        ArrayPrototypePush(taken, word);
        ArrayPrototypePush(taken, words[++i]);
      }
    } else if (valueFlagWithEquals(word) || validRejections(word)) {
      ArrayPrototypePush(taken, word);
    }
  }
  return taken;
}

function valueFlagWithEquals(word) {
  for (let i = 0; i < VALUE_FLAGS.length; i++) {
    if (StringPrototypeStartsWith(word, `${VALUE_FLAGS[i]}=`)) return true;
  }
  return false;
}

function validRejections(word) {
  const prefix = '--unhandled-rejections=';
  if (!StringPrototypeStartsWith(word, prefix)) return false;
  return ArrayPrototypeIncludes(REJECTION_MODES, StringPrototypeSlice(word, prefix.length));
}
