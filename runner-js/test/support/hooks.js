// Module resolution hooks (node:module register): 'agentos:bridge' -> bridge_double.js.
const double = new URL('./bridge_double.js', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'agentos:bridge') return { url: double, shortCircuit: true };
  return nextResolve(specifier, context);
}
