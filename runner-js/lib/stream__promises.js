// lib/stream__promises.js: `stream/promises`.

import { finished } from './internal__stream_eos.js';
import { pipelinePromise } from './internal__stream_pipeline.js';

export const streamPromises = { finished, pipeline: pipelinePromise };
export const moduleExports = streamPromises;
