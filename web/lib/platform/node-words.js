// 'gmmhmm/words' in Node ('#words-wasm' and '#words-workers' under the "node" condition): its
// .wasm files, and the package's training worker (train-worker.js instantiates the module it
// is handed, whichever build it is: both builds share one glue, scripts/align-wasm-imports.mjs).
export { startListenWorker, startTrainingWorker } from './node.js';

/** The .wasm of each variant of the words-only build. */
export const wasmURLs = {
  simd: () => new URL('../../dist/gmmhmm-words-simd.wasm', import.meta.url),
  nosimd: () => new URL('../../dist/gmmhmm-words-nosimd.wasm', import.meta.url),
};
