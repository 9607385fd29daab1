// lib/https.js: the client over the sidecar's network (TLS verified by the sidecar against
// webpki roots; see internal__http_client.js), and `Server`: an HTTP server (the same request
// handling as http's, internal__http_server.js) on a TLS server's secure connections.
import {
  ArrayIsArray,
  FunctionPrototypeCall,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
} from '../js/00_primordials.js';
import { makeInvalidArgType } from '../js/06_errors.js';
import { Agent, get, request } from './internal__http_client.js';
import { initHttpServer, Server } from './internal__http_server.js';
import { TlsServer } from './internal__tls_server.js';

const DEFAULTS = { __proto__: null, protocol: 'https:', port: 443 };

function HttpsAgent(options) {
  if (!(this instanceof HttpsAgent)) return new HttpsAgent(options);
  Agent.call(this, { defaultPort: 443, protocol: 'https:', ...options });
}
Object.setPrototypeOf(HttpsAgent.prototype, Agent.prototype);
Object.setPrototypeOf(HttpsAgent, Agent);

function HttpsServer(options, requestListener) {
  if (!(this instanceof HttpsServer)) return new HttpsServer(options, requestListener);
  if (typeof options === 'function') {
    requestListener = options;
    options = {};
  } else if (options === undefined || options === null) {
    options = {};
  } else if (typeof options !== 'object' || ArrayIsArray(options)) {
    throw makeInvalidArgType('options', 'object', options);
  }
  const tlsOptions = { ALPNProtocols: ['http/1.1'], ...options, allowHalfOpen: true };
  FunctionPrototypeCall(TlsServer, this, tlsOptions);
  initHttpServer(this, options, requestListener, 'secureConnection');
}
ObjectSetPrototypeOf(HttpsServer.prototype, TlsServer.prototype);
ObjectSetPrototypeOf(HttpsServer, TlsServer);
ObjectDefineProperty(HttpsServer, 'name', { __proto__: null, value: 'Server' });
for (const name of ['setTimeout', 'close', 'closeAllConnections', 'closeIdleConnections']) {
  HttpsServer.prototype[name] = Server.prototype[name];
}

const https = {};
https.Agent = HttpsAgent;
https.globalAgent = new HttpsAgent();
https.Server = HttpsServer;
https.createServer = function createServer(options, requestListener) {
  return new HttpsServer(options, requestListener);
};
https.request = function request_(input, options, cb) {
  return request(DEFAULTS, input, options, cb);
};
https.get = function get_(input, options, cb) {
  return get(DEFAULTS, input, options, cb);
};
export const moduleExports = https;
