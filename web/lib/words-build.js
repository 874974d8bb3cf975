// The words-only build of 'gmmhmm/words': web/dist/gmmhmm-words-{simd,nosimd}.wasm, the same
// core linked with the bindings of the front end and the Recognizer only (cmake/wasm.cmake),
// and of the API the front end and the Recognizer. Imported by its entry point (web/words.js)
// and its Worker (words-worker.js).
import { wasmURLs } from '#words-wasm';
import { loadWith } from './api.js';
import { createRecognizer } from './recognizer.js';

const WORDS_BUILD = {
  name: 'gmmhmm/words',
  wasmURLs,
  embeddedWasm: null,
  parts: { Recognizer: createRecognizer },
  workerFile: 'words-worker.js',
  bindings: ['RecognizerHandle'],
};

/**
 * load() of 'gmmhmm/words': the same options and the same API as the package's load(), with
 * the front end and the Recognizer only (no GMMHMM, no hmmlearn families).
 */
export function load(options = {}) {
  return loadWith(WORDS_BUILD, options);
}
