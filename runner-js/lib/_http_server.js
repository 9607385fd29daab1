// lib/_http_server.js: Node's legacy module for Server, ServerResponse and STATUS_CODES.
import { ServerResponse } from './internal__http_outgoing.js';
import { kConnectionsCheckingInterval, Server } from './internal__http_server.js';
import { STATUS_CODES } from './internal__net_values.js';

export const moduleExports = { STATUS_CODES, Server, ServerResponse, kConnectionsCheckingInterval };
