// lib/https.js: present, not supported until networking lands.
import { unsupportedModule } from './internal__unsupported.js';

export const moduleExports = unsupportedModule(
  'https',
  ['createServer', 'request', 'get', 'Agent', 'Server'],
  { globalAgent: {} },
);
