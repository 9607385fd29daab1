// lib/dgram.js: present, not supported until networking lands.
import { unsupportedModule } from './internal__unsupported.js';

export const moduleExports = unsupportedModule('dgram', ['createSocket', 'Socket']);
