// lib/dns.js: `lookup`, `resolve4`, `resolve6` (and `promises`) through the exec's network
// policy; the record types beyond addresses need a DNS client and are not supported yet.
import { lookup, promised, resolveFamily } from './internal__dns_lookup.js';
import { dnsFunctions, dnsValues } from './internal__dns_names.js';
import { unsupportedModule } from './internal__unsupported.js';

const resolve4 = resolveFamily(4);
const resolve6 = resolveFamily(6);
const dns = unsupportedModule('dns', dnsFunctions, dnsValues);
dns.lookup = lookup;
dns.resolve4 = resolve4;
dns.resolve6 = resolve6;
const promises = unsupportedModule('dns.promises', dnsFunctions, dnsValues);
promises.lookup = promised(lookup, true);
promises.resolve4 = promised(resolve4, false);
promises.resolve6 = promised(resolve6, false);
dns.promises = promises;
export const moduleExports = dns;
