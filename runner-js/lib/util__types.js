// lib/util__types.js: `util/types`, the same object as `require('util').types`.

import { cjsBuiltin } from '../js/51_cjs_builtins.js';

export const moduleExports = cjsBuiltin('util').types;
