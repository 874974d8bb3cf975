// The .wasm files of 'gmmhmm/words' in browsers ('#words-wasm', every condition but "node"),
// bundled into web/dist/ like browser.js: the patterns are written out for bundlers.

/** The .wasm of each variant of the words-only build. */
export const wasmURLs = {
  simd: () => new URL('./gmmhmm-words-simd.wasm', import.meta.url),
  nosimd: () => new URL('./gmmhmm-words-nosimd.wasm', import.meta.url),
};
