// lib/http.js: present, not supported until networking lands; METHODS and STATUS_CODES are real.
import { METHODS, STATUS_CODES } from './internal__net_values.js';
import { unsupportedModule } from './internal__unsupported.js';

export const moduleExports = unsupportedModule(
  'http',
  [
    'createServer',
    'request',
    'get',
    'Agent',
    'Server',
    'ClientRequest',
    'IncomingMessage',
    'OutgoingMessage',
    'ServerResponse',
    'validateHeaderName',
    'validateHeaderValue',
    'setMaxIdleHTTPParsers',
  ],
  { METHODS, STATUS_CODES, maxHeaderSize: 16384, globalAgent: {} },
);
