// load(): instantiates one WebAssembly module (its own heap) and returns the API bound to it.
// web/index.js is the entry point around it; the training worker (web/lib/train-worker.js)
// imports this file directly, so that its bundle does not contain the code starting workers.
import { GmmHmmError, requireOptions } from './errors.js';
import { LABEL_RULE, MAX_LABEL_LENGTH, checkLabel } from './labels.js';
import { instantiate, simdSupported } from './loader.js';
import { createFeatures } from './features.js';
import { createCategoricalHMM } from './categorical.js';
import { createMultinomialHMM, createPoissonHMM } from './counts.js';
import { createGaussianHMM } from './gaussian.js';
import { createGMMHMM } from './gmmhmm.js';
import { createRecognizer } from './recognizer.js';
import { createTrainingPool } from './train-pool.js';

export { GmmHmmError, simdSupported, checkLabel, MAX_LABEL_LENGTH, LABEL_RULE };

/**
 * Key of the option declarations of the C++ core (cpp/include/gmmhmm/options.hpp), by section:
 * { mfcc: [{ name, default, lowest?, highest?, lowestOpen?, highestOpen? }], fbank, endpointer,
 * features, word, background, rejection, priors: [name] }. For the tests that check every
 * declared option reaches JSON, config and index.d.ts; not public API.
 */
export const OPTION_DECLARATIONS = Symbol.for('gmmhmm.optionDeclarations');

// A part's create…(M) returns its class (added under `name`) or an object of exports.
function addPart(api, name, part) {
  if (typeof part === 'function') api[name] = part;
  else if (part && typeof part === 'object') Object.assign(api, part);
}

/**
 * Loads the WebAssembly module and returns the API bound to it.
 * options: { variant: 'auto' | 'simd' | 'nosimd', wasmURL, wasmBinary, wasmModule, singleFile }
 * (see loader.js).
 */
export async function load(options = {}) {
  const { M, variant, simd, singleFile, wasmModule } = await instantiate(requireOptions(options, 'load options'));
  const api = {
    GmmHmmError,
    /** 'simd' or 'nosimd': the build in use. */
    variant,
    simd,
    singleFile,
    /** Bytes of the wasm heap allocated by malloc now (memory-leak checks). */
    heapBytesInUse: () => M.heapBytesInUse(),
    /** Size of the wasm memory in bytes (grows on demand up to 2 GB, never shrinks). */
    memoryBytes: () => M.HEAPU8.buffer.byteLength,
    /** JS values the wasm side holds (embind handles): constant when nothing leaks. */
    valueHandles: () => M.count_emval_handles(),
    ...createFeatures(M),
    [OPTION_DECLARATIONS]: () => M.optionDeclarations(),
  };
  // One pool of Workers per load(), for the Recognizer's training jobs and GMMHMM.fitAsync.
  // They instantiate this module's compiled code (wasmModule) instead of fetching and
  // compiling their own; the single-file build has none to hand over: they load the variant.
  const pool = createTrainingPool({ module: wasmModule ?? null, variant });
  addPart(api, 'GMMHMM', createGMMHMM(M, { pool }));
  addPart(api, 'CategoricalHMM', createCategoricalHMM(M));
  addPart(api, 'PoissonHMM', createPoissonHMM(M));
  addPart(api, 'MultinomialHMM', createMultinomialHMM(M));
  addPart(api, 'GaussianHMM', createGaussianHMM(M));
  addPart(api, 'Recognizer', createRecognizer(M, { pool }));
  return Object.freeze(api);
}
