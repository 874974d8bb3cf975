// loadWith(build, options): instantiates one WebAssembly module of a build (its own heap) and
// returns the API bound to it. The builds (which .wasm, which parts of the API) are
// full-build.js (the whole package: web/index.js, train-worker.js) and words-build.js (the
// front end and the Recognizer: 'gmmhmm/words', web/words.js, words-worker.js); the entry points
// import them, so that a bundle holds only the parts of its build.
import { GmmHmmError, requireOptions } from './errors.js';
import { LABEL_RULE, MAX_LABEL_LENGTH, checkLabel } from './labels.js';
import { instantiate, simdSupported } from './loader.js';
import { createFeatures } from './features.js';
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
 * Loads the WebAssembly module of `build` and returns the API bound to it.
 * build: { name, wasmURLs: { simd, nosimd } (functions returning URLs), embeddedWasm (or null),
 *   parts: { Name: create(M, { pool }) } (each returns its class), bindings: the embind names
 *   the parts need (checked, so that a module of the other build is refused), workerFile: its
 *   Worker entry's script (the entry point registers how to start it: worker-thread.js) }.
 * options: { variant: 'auto' | 'simd' | 'nosimd', wasmURL, wasmBinary, wasmModule, singleFile }
 * (see loader.js).
 */
export async function loadWith(build, options = {}) {
  const { M, variant, simd, singleFile, wasmModule } = await instantiate(requireOptions(options, 'load options'), build);
  // A wasmURL, wasmBinary or wasmModule of the other build: its glue is the same, so it runs,
  // but without what this entry's parts call.
  const missing = build.bindings.filter((name) => M[name] === undefined);
  if (missing.length > 0) {
    throw new GmmHmmError(`the WebAssembly module given to ${build.name} is another build (it has no ${missing.join(', ')}): ` +
      `pass the .wasm of ${build.name} (${Object.values(build.wasmURLs).map((url) => url().pathname.split('/').pop()).join(' or ')})`, 'load');
  }
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
  const pool = createTrainingPool({ module: wasmModule ?? null, variant }, { buildName: build.name, workerFile: build.workerFile });
  for (const [name, create] of Object.entries(build.parts)) addPart(api, name, create(M, { pool }));
  return Object.freeze(api);
}
