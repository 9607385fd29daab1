// lib/dns__promises.js: the promise forms of lib/dns.js; its default resolver is dns's (servers
// set through either are the other's).
import {
  getDefaultResultOrder,
  lookup,
  lookupServicePromise,
  promised,
  setDefaultResultOrder,
} from './internal__dns_lookup.js';
import { dnsFunctions, dnsValues } from './internal__dns_names.js';
import {
  bindResolverMethods,
  defaultResolver,
  PromiseResolver,
  promiseResolverOf,
} from './internal__dns_resolver.js';
import { unsupportedModule } from './internal__unsupported.js';

const promises = unsupportedModule('dns.promises', dnsFunctions, dnsValues);
const resolver = promiseResolverOf(defaultResolver);
promises.setDefaultResultOrder = setDefaultResultOrder;
promises.getDefaultResultOrder = getDefaultResultOrder;
promises.lookup = promised(lookup, true);
promises.lookupService = lookupServicePromise;
promises.Resolver = PromiseResolver;
bindResolverMethods(promises, PromiseResolver.prototype, resolver);
export const moduleExports = promises;
