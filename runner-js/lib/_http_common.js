// lib/_http_common.js: Node's legacy module of HTTP helpers (the token and header-value checks,
// CRLF, the method list); the parser (HTTPParser) is not exposed.
import { RegExpPrototypeExec } from '../js/00_primordials.js';
import { METHODS } from './internal__net_values.js';

const tokenRegExp = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
const headerCharRegex = /[^\t\x20-\x7e\x80-\xff]/;

export const moduleExports = {
  _checkIsHttpToken: function checkIsHttpToken(val) {
    return RegExpPrototypeExec(tokenRegExp, val) !== null;
  },
  _checkInvalidHeaderChar: function checkInvalidHeaderChar(val) {
    return RegExpPrototypeExec(headerCharRegex, val) !== null;
  },
  chunkExpression: /(?:^|\W)chunked(?:$|\W)/i,
  continueExpression: /(?:^|\W)100-continue(?:$|\W)/i,
  CRLF: '\r\n',
  methods: METHODS,
};
