// lib/dns__promises.js: the promise forms of lib/dns.js; its default resolver is dns's (servers
// set through either are the other's).
import { FunctionPrototypeBind } from '../js/00_primordials.js';
import { lookup, promised } from './internal__dns_lookup.js';
import { dnsFunctions, dnsValues } from './internal__dns_names.js';
import {
  defaultResolver,
  PromiseResolver,
  promiseResolverOf,
  QUERY_METHODS,
} from './internal__dns_resolver.js';
import { unsupportedModule } from './internal__unsupported.js';

const promises = unsupportedModule('dns.promises', dnsFunctions, dnsValues);
const resolver = promiseResolverOf(defaultResolver);
promises.lookup = promised(lookup, true);
promises.Resolver = PromiseResolver;
promises.getServers = FunctionPrototypeBind(PromiseResolver.prototype.getServers, resolver);
promises.setServers = FunctionPrototypeBind(PromiseResolver.prototype.setServers, resolver);
for (let i = 0; i < QUERY_METHODS.length; i++) {
  const name = QUERY_METHODS[i];
  promises[name] = FunctionPrototypeBind(PromiseResolver.prototype[name], resolver);
}
export const moduleExports = promises;
