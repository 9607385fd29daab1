// lib/net.js: present, not supported until networking lands; isIP/isIPv4/isIPv6 are real.
import { isIP, isIPv4, isIPv6 } from './internal__net_values.js';
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
    'getDefaultAutoSelectFamily',
    'setDefaultAutoSelectFamily',
  ],
  { isIP, isIPv4, isIPv6 },
);
