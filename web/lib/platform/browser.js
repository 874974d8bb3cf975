// What differs between browsers and Node, the browsers' side ('#platform' in package.json
// "imports", every condition but "node"; starting workers is in browser-workers.js). It is
// bundled by scripts/build-js.mjs into web/dist/, so each new URL('./…', import.meta.url) here
// is relative to web/dist/, where the .wasm files are. The patterns are written out literally
// because bundlers look for exactly them: Vite, webpack and Parcel rewrite them and emit the
// files; esbuild and Rollup leave them alone, so that the files must sit next to the bundle
// (README, "Bundlers"). Adding a file fetched by URL: docs/design.md.

export const name = 'browser';

/** The .wasm of each build. */
export const wasmURLs = {
  simd: () => new URL('./gmmhmm-simd.wasm', import.meta.url),
  nosimd: () => new URL('./gmmhmm-nosimd.wasm', import.meta.url),
};

/** Browsers get the embedded builds from their own entry point, 'gmmhmm/single-file'. */
export const embeddedWasm = null;

/** Only Node's main thread can block while a compile is in flight (platform/node.js). */
export const holdEventLoopUntil = (promise) => promise;

/** Browsers cannot read file: URLs. */
export const readFileURL = null;

/**
 * Records the Content-Security-Policy violations of the page (or worker) from now on: they
 * say which directive blocked which URL, which a failed fetch, Worker or compile does not.
 */
export function watchLoadFailures() {
  const target = typeof document === 'object' ? document : globalThis;
  const seen = [];
  const record = (event) => seen.push({ directive: event.effectiveDirective || event.violatedDirective, blocked: event.blockedURI });
  target.addEventListener?.('securitypolicyviolation', record);
  return {
    /** The violations so far (waits a moment: they arrive as separate events). */
    async violations() {
      await new Promise((resolve) => setTimeout(resolve, 0));
      return seen;
    },
    stop: () => target.removeEventListener?.('securitypolicyviolation', record),
  };
}

export function coreCount() {
  const n = globalThis.navigator?.hardwareConcurrency;
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/** Inside a training worker: the channel to the page. */
export function workerPort() {
  return {
    post: (m, transfer) => globalThis.postMessage(m, transfer),
    listen: (fn) => { globalThis.onmessage = (event) => fn(event.data); },
  };
}
