// lib/inspector.js: present, not supported (no debugger in the sandbox).
import { unsupportedModule } from './internal__unsupported.js';

export const moduleExports = unsupportedModule(
  'inspector',
  ['open', 'close', 'waitForDebugger', 'Session'],
  {
    url: () => undefined,
    console: {},
  },
);
