// lib/http2.js: present, not supported until networking lands.
import { SymbolCtor } from '../js/00_primordials.js';
import { unsupportedModule } from './internal__unsupported.js';

export const moduleExports = unsupportedModule(
  'http2',
  [
    'connect',
    'createServer',
    'createSecureServer',
    'getDefaultSettings',
    'getPackedSettings',
    'getUnpackedSettings',
    'Http2ServerRequest',
    'Http2ServerResponse',
  ],
  { constants: {}, sensitiveHeaders: SymbolCtor('nodejs.http2.sensitiveHeaders') },
);
