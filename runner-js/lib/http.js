// lib/http.js: the client over the sidecar's network (request, get, Agent, ClientRequest,
// IncomingMessage; see internal__http_client.js) and servers on the exec's virtual ports
// (createServer, Server, ServerResponse; see internal__http_server.js). METHODS and STATUS_CODES
// are real.
import { Agent, ClientRequest, get, IncomingMessage, request } from './internal__http_client.js';
import {
  OutgoingMessage,
  ServerResponse,
  validateHeaderName,
  validateHeaderValue,
} from './internal__http_outgoing.js';
import { createServer, Server } from './internal__http_server.js';
import { METHODS, STATUS_CODES } from './internal__net_values.js';
import { unsupportedModule } from './internal__unsupported.js';

const DEFAULTS = { __proto__: null, protocol: 'http:', port: 80 };
const globalAgent = new Agent({ defaultPort: 80, protocol: 'http:' });

const http = unsupportedModule('http', ['setMaxIdleHTTPParsers'], {
  METHODS,
  STATUS_CODES,
  maxHeaderSize: 16384,
});
http.Agent = Agent;
http.createServer = createServer;
http.Server = Server;
http.ServerResponse = ServerResponse;
http.OutgoingMessage = OutgoingMessage;
http.validateHeaderName = validateHeaderName;
http.validateHeaderValue = validateHeaderValue;
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
