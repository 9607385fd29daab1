// lib/tls.js: present, not supported until networking lands.
import { unsupportedModule } from './internal__unsupported.js';

export const moduleExports = unsupportedModule(
  'tls',
  [
    'connect',
    'createServer',
    'createSecureContext',
    'createSecurePair',
    'checkServerIdentity',
    'getCiphers',
    'Server',
    'TLSSocket',
    'SecureContext',
  ],
  {
    DEFAULT_MIN_VERSION: 'TLSv1.2',
    DEFAULT_MAX_VERSION: 'TLSv1.3',
    DEFAULT_ECDH_CURVE: 'auto',
    rootCertificates: [],
  },
);
