// lib/dns.js: `lookup` and `lookupService` through the exec's network policy (the sidecar's resolver), and
// `Resolver` with the module's own `resolve*`/`reverse`/`getServers`/`setServers` on a default
// one (lib/internal__dns_resolver.js); `promises` is `require('dns/promises')`.
import { ObjectDefineProperty } from '../js/00_primordials.js';
import { kCustomPromisifyArgs } from '../js/01_helpers.js';
import { loadLazyBuiltin } from '../js/49_lazy.js';
import {
  getDefaultResultOrder,
  lookup,
  lookupService,
  setDefaultResultOrder,
} from './internal__dns_lookup.js';
import { dnsFunctions, dnsValues } from './internal__dns_names.js';
import { bindResolverMethods, defaultResolver, Resolver } from './internal__dns_resolver.js';
import { unsupportedModule } from './internal__unsupported.js';

const dns = unsupportedModule('dns', dnsFunctions, dnsValues);
dns.setDefaultResultOrder = setDefaultResultOrder;
dns.getDefaultResultOrder = getDefaultResultOrder;
dns.lookup = lookup;
dns.lookupService = lookupService;
// util.promisify(dns.lookup) resolves with { address, family }, as Node's.
ObjectDefineProperty(lookup, kCustomPromisifyArgs, {
  __proto__: null,
  value: ['address', 'family'],
});
ObjectDefineProperty(lookupService, kCustomPromisifyArgs, {
  __proto__: null,
  value: ['hostname', 'service'],
});
dns.Resolver = Resolver;
bindResolverMethods(dns, Resolver.prototype, defaultResolver);
dns.promises = loadLazyBuiltin('dns/promises').moduleExports;
export const moduleExports = dns;
