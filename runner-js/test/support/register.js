// Preloaded by `npm test` (node --import): resolves the runner's 'agentos:bridge' pseudo-module to
// the JS double in bridge_double.js, so the modules of js/ load under the host's Node as they are.
import { register } from 'node:module';

register('./hooks.js', import.meta.url);
