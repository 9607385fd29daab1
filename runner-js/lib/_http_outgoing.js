// lib/_http_outgoing.js: Node's legacy module for OutgoingMessage and the header checks.
import {
  OutgoingMessage,
  validateHeaderName,
  validateHeaderValue,
} from './internal__http_outgoing.js';

export const moduleExports = { OutgoingMessage, validateHeaderName, validateHeaderValue };
