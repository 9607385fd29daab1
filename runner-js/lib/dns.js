// lib/dns.js: present, not supported until networking lands.
import { dnsFunctions, dnsValues } from './internal__dns_names.js';
import { unsupportedModule } from './internal__unsupported.js';

const dns = unsupportedModule('dns', dnsFunctions, dnsValues);
dns.promises = unsupportedModule('dns.promises', dnsFunctions, dnsValues);
export const moduleExports = dns;
