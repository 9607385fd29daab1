// lib/https.js: the client over the sidecar's network (TLS verified by the sidecar against
// webpki roots; see internal__http_client.js); servers are not supported yet.
import { Agent, get, request } from './internal__http_client.js';
import { unsupportedModule } from './internal__unsupported.js';

const DEFAULTS = { __proto__: null, protocol: 'https:', port: 443 };

function HttpsAgent(options) {
  if (!(this instanceof HttpsAgent)) return new HttpsAgent(options);
  Agent.call(this, { defaultPort: 443, protocol: 'https:', ...options });
}
Object.setPrototypeOf(HttpsAgent.prototype, Agent.prototype);
Object.setPrototypeOf(HttpsAgent, Agent);

const https = unsupportedModule('https', ['createServer', 'Server'], {});
https.Agent = HttpsAgent;
https.globalAgent = new HttpsAgent();
https.request = function request_(input, options, cb) {
  return request(DEFAULTS, input, options, cb);
};
https.get = function get_(input, options, cb) {
  return get(DEFAULTS, input, options, cb);
};
export const moduleExports = https;
