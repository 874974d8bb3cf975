// 'gmmhmm/words' in Node ('#words-wasm' and '#words-workers' under the "node" condition): its
// .wasm files and its Worker entry (words-worker.js), both relative to this file.
import { startWorkerThread } from './node.js';

export { startListenWorker } from './node.js';

/** The .wasm of each variant of the words-only build. */
export const wasmURLs = {
  simd: () => new URL('../../dist/gmmhmm-words-simd.wasm', import.meta.url),
  nosimd: () => new URL('../../dist/gmmhmm-words-nosimd.wasm', import.meta.url),
};

/** A training worker of the words-only build (see node.js). */
export function startTrainingWorker() {
  return startWorkerThread(new URL('../words-worker.js', import.meta.url));
}
