// lib/dns__promises.js: the promise forms of lib/dns.js.
import { lookup, promised, resolveFamily } from './internal__dns_lookup.js';
import { dnsFunctions, dnsValues } from './internal__dns_names.js';
import { unsupportedModule } from './internal__unsupported.js';

const promises = unsupportedModule('dns.promises', dnsFunctions, dnsValues);
promises.lookup = promised(lookup, true);
promises.resolve4 = promised(resolveFamily(4), false);
promises.resolve6 = promised(resolveFamily(6), false);
export const moduleExports = promises;
