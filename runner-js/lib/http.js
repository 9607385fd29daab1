// lib/http.js: the client over the sidecar's network (request, get, Agent, ClientRequest,
// IncomingMessage; see internal__http_client.js); servers are not supported yet. METHODS and
// STATUS_CODES are real.
import { Agent, ClientRequest, get, IncomingMessage, request } from './internal__http_client.js';
import { METHODS, STATUS_CODES } from './internal__net_values.js';
import { unsupportedModule } from './internal__unsupported.js';

const DEFAULTS = { __proto__: null, protocol: 'http:', port: 80 };
const globalAgent = new Agent({ defaultPort: 80, protocol: 'http:' });

const http = unsupportedModule(
  'http',
  [
    'createServer',
    'Server',
    'OutgoingMessage',
    'ServerResponse',
    'validateHeaderName',
    'validateHeaderValue',
    'setMaxIdleHTTPParsers',
  ],
  { METHODS, STATUS_CODES, maxHeaderSize: 16384 },
);
http.Agent = Agent;
http.globalAgent = globalAgent;
http.ClientRequest = ClientRequest;
http.IncomingMessage = IncomingMessage;
http.request = function request_(input, options, cb) {
  return request(DEFAULTS, input, options, cb);
};
http.get = function get_(input, options, cb) {
  return get(DEFAULTS, input, options, cb);
};
export const moduleExports = http;
