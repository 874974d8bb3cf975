// The whole package's build: web/dist/gmmhmm-{simd,nosimd}.wasm and every part of the API.
// Imported by the entry point (web/index.js) and its Worker (train-worker.js).
import * as platform from '#platform';
import { loadWith } from './api.js';
import { createCategoricalHMM } from './categorical.js';
import { createMultinomialHMM, createPoissonHMM } from './counts.js';
import { createGaussianHMM } from './gaussian.js';
import { createGMMHMM } from './gmmhmm.js';
import { createRecognizer } from './recognizer.js';

const FULL_BUILD = {
  name: 'gmmhmm',
  wasmURLs: platform.wasmURLs,
  embeddedWasm: platform.embeddedWasm,
  parts: {
    GMMHMM: createGMMHMM,
    CategoricalHMM: createCategoricalHMM,
    PoissonHMM: createPoissonHMM,
    MultinomialHMM: createMultinomialHMM,
    GaussianHMM: createGaussianHMM,
    Recognizer: createRecognizer,
  },
  workerFile: 'train-worker.js',
  bindings: ['GmmHmmHandle', 'CategoricalHmmHandle', 'PoissonHmmHandle', 'MultinomialHmmHandle', 'GaussianHmmHandle', 'RecognizerHandle'],
};

/**
 * Loads the WebAssembly module and returns the API bound to it.
 * options: { variant: 'auto' | 'simd' | 'nosimd', wasmURL, wasmBinary, wasmModule, singleFile }
 * (see loader.js).
 */
export function load(options = {}) {
  return loadWith(FULL_BUILD, options);
}
