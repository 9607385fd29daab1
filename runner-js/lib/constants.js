// lib/constants.js: Node's deprecated `constants` module, the union of os.constants' groups,
// fs.constants and crypto.constants (packages such as graceful-fs still read it).

import { ObjectAssign, ObjectFreeze } from '../js/00_primordials.js';
import { cjsBuiltin } from '../js/51_cjs_builtins.js';
import { osConstants } from './internal__os_constants.js';

export const moduleExports = ObjectFreeze(
  ObjectAssign(
    {},
    osConstants.dlopen,
    osConstants.errno,
    osConstants.priority,
    osConstants.signals,
    cjsBuiltin('fs').constants,
    cjsBuiltin('crypto').constants,
  ),
);
