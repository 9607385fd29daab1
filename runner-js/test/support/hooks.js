// Module resolution hooks (node:module register): the runner's pseudo-modules to their doubles,
// 'agentos:bridge' -> bridge_double.js, 'agentos:lazy' -> lazy_double.js.
const doubles = {
  'agentos:bridge': new URL('./bridge_double.js', import.meta.url).href,
  'agentos:lazy': new URL('./lazy_double.js', import.meta.url).href,
};

export async function resolve(specifier, context, nextResolve) {
  const double = doubles[specifier];
  if (double !== undefined) return { url: double, shortCircuit: true };
  return nextResolve(specifier, context);
}
