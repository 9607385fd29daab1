// lib/child_process.js: present, not supported until the shell work lands (no processes).
import { unsupportedModule } from './internal__unsupported.js';

export const moduleExports = unsupportedModule('child_process', [
  'spawn',
  'spawnSync',
  'exec',
  'execSync',
  'execFile',
  'execFileSync',
  'fork',
  'ChildProcess',
]);
