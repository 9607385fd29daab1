// lib/_http_incoming.js: Node's legacy module for IncomingMessage.
import { IncomingMessage } from './internal__http_client.js';

export const moduleExports = { IncomingMessage };
