// lib/net.js: present, not supported until networking lands; isIP/isIPv4/isIPv6 and the
// autoSelectFamily defaults are real.
import {
  getDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout,
  isIP,
  isIPv4,
  isIPv6,
  setDefaultAutoSelectFamily,
  setDefaultAutoSelectFamilyAttemptTimeout,
} from './internal__net_values.js';
import { unsupportedModule } from './internal__unsupported.js';

export const moduleExports = unsupportedModule(
  'net',
  [
    'connect',
    'createConnection',
    'createServer',
    'Server',
    'Socket',
    'Stream',
    'BlockList',
    'SocketAddress',
  ],
  {
    isIP,
    isIPv4,
    isIPv6,
    getDefaultAutoSelectFamily,
    setDefaultAutoSelectFamily,
    getDefaultAutoSelectFamilyAttemptTimeout,
    setDefaultAutoSelectFamilyAttemptTimeout,
  },
);
