// lib/sys.js: `sys`, the deprecated alias of `util` (DEP0025), as Node.

import { emitWarning } from '../js/23_warnings.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';

emitWarning('sys is deprecated. Use util instead.', 'DeprecationWarning', 'DEP0025');

export const moduleExports = cjsBuiltin('util');
