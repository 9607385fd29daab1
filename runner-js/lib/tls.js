// lib/tls.js: `connect` over the sidecar's network (TLS done and verified by the sidecar; see
// internal__net_socket.js); servers and secure contexts are not supported yet.
import { Socket, tlsConnect } from './internal__net_socket.js';
import { unsupportedModule } from './internal__unsupported.js';

const tls = unsupportedModule(
  'tls',
  [
    'createServer',
    'createSecureContext',
    'createSecurePair',
    'checkServerIdentity',
    'getCiphers',
    'Server',
    'SecureContext',
  ],
  {
    DEFAULT_MIN_VERSION: 'TLSv1.2',
    DEFAULT_MAX_VERSION: 'TLSv1.3',
    DEFAULT_ECDH_CURVE: 'auto',
    rootCertificates: [],
  },
);
tls.connect = tlsConnect;
tls.TLSSocket = Socket;
export const moduleExports = tls;
