// lib/_http_client.js: Node's legacy module for ClientRequest.
import { ClientRequest } from './internal__http_client.js';

export const moduleExports = { ClientRequest };
