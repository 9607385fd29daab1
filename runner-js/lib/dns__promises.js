// lib/dns__promises.js: present, not supported until networking lands.
import { dnsFunctions, dnsValues } from './internal__dns_names.js';
import { unsupportedModule } from './internal__unsupported.js';

export const moduleExports = unsupportedModule('dns.promises', dnsFunctions, dnsValues);
