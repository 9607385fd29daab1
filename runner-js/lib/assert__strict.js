// lib/assert__strict.js: `assert/strict` (assert.strict, as in Node).
import { assertModule } from './assert.js';

export const moduleExports = assertModule.strict;
