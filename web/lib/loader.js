// Chooses and instantiates the WebAssembly build: SIMD where the engine supports it
// (WebAssembly.validate on a tiny SIMD module), the plain build elsewhere.
//
// Both builds share one Emscripten glue (web/dist/gmmhmm-glue.js, built without Node code so
// that bundlers find nothing to resolve in it). This module hands the glue the compiled
// module itself (instantiateWasm): fetched from the .wasm next to the package's script
// ('#platform' says where, and reads file: URLs in Node) unless `wasmURL`, `wasmBinary` or
// `wasmModule` say otherwise. Every way a load can fail ends in a GmmHmmError with code
// 'load' that names the file or the Content-Security-Policy directive.
import createGmmHmmModule from '../dist/gmmhmm-glue.js';
import * as platform from '#platform';
import { GmmHmmError, describe } from './errors.js';

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt))
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** True when this engine runs WebAssembly SIMD (128-bit). */
export function simdSupported() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** 'simd' | 'nosimd' for the requested variant ('auto' picks by feature detection). */
export function chooseVariant(variant = 'auto') {
  if (variant === 'auto') return simdSupported() ? 'simd' : 'nosimd';
  if (variant === 'simd' || variant === 'nosimd') {
    if (variant === 'simd' && !simdSupported()) {
      throw new GmmHmmError("variant 'simd' was requested but this engine does not support WebAssembly SIMD", 'load');
    }
    return variant;
  }
  throw new GmmHmmError(`variant must be 'auto', 'simd' or 'nosimd', got ${describe(variant)}`);
}

function resolveWasmURL(wasmURL, variant, build) {
  if (wasmURL === undefined) {
    try {
      return build.wasmURLs[variant]();
    } catch (error) {
      // new URL('./x.wasm', import.meta.url) in a bundle whose format has no import.meta
      // (esbuild's default for browsers, iife): there is no address to start from.
      throw new GmmHmmError(`load: the .wasm's address is relative to this script's, which is unknown here (${error?.message ?? error}; ` +
        "import.meta.url is missing in a non-module bundle, e.g. esbuild's default format iife): bundle as ES modules " +
        '(esbuild --format=esm; README, Bundlers): its training Workers and listen()\'s worklet are found the same way', 'load', { cause: error });
    }
  }
  if (typeof wasmURL === 'string' || wasmURL instanceof URL) return new URL(wasmURL, baseURL());
  if (typeof wasmURL === 'object' && wasmURL !== null && variant in wasmURL) return new URL(wasmURL[variant], baseURL());
  throw new GmmHmmError(`wasmURL must be a URL, a string, or { simd, nosimd } URLs, got ${describe(wasmURL)}`);
}

function baseURL() {
  // Relative wasmURLs are relative to the page (like fetch), or to this file where there is
  // no page (Node, worklets).
  const location = globalThis.location?.href;
  return location ?? import.meta.url;
}

// What the first bytes of a file that should have been WebAssembly look like.
function describeStart(bytes) {
  const head = bytes.subarray(0, 16);
  const text = String.fromCharCode(...head);
  return /^[\x20-\x7e\t\r\n]+$/.test(text) ? `"${text.trim()}…"` : Array.from(head.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

// Why a server answered something else than the .wasm: where the package can tell, how to fix it.
function serveHint(url) {
  if (url.pathname.includes('/.vite/deps/')) {
    return "Vite's dev server pre-bundled the package away from its files: add optimizeDeps: { exclude: ['gmmhmm'] } to vite.config (README, Bundlers)";
  }
  return 'the .wasm files must be served next to the package\'s script (bundlers that leave new URL(…, import.meta.url) alone, such as esbuild and Rollup, need them copied: README, Bundlers), or pass load({ wasmURL })';
}

function checkWasmBytes(bytes, where, type) {
  const view = new Uint8Array(bytes.buffer ?? bytes, bytes.byteOffset ?? 0, bytes.byteLength);
  if (WASM_MAGIC.every((b, i) => view[i] === b)) return;
  const served = type ? `served as ${type}, ` : '';
  throw new GmmHmmError(`${where.href} is not a WebAssembly module (${served}it starts with ${describeStart(view)}): ${serveHint(where)}`, 'load');
}

async function fetchWasm(url, imports) {
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (error) {
    throw new GmmHmmError(`fetching ${url.href} failed: ${error?.message ?? error}`, 'load', { cause: error });
  }
  if (!response.ok) throw new GmmHmmError(`fetching ${url.href} failed: HTTP ${response.status} (${serveHint(url)})`, 'load');
  const type = response.headers.get('content-type') ?? '';
  if (typeof WebAssembly.instantiateStreaming === 'function' && type.startsWith('application/wasm')) {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  // A server that does not label .wasm as application/wasm: compile from the bytes.
  const bytes = new Uint8Array(await response.arrayBuffer());
  checkWasmBytes(bytes, url, type || 'no content type');
  return WebAssembly.instantiate(bytes, imports);
}

async function compileFrom(url, imports) {
  if (url.protocol !== 'file:') return fetchWasm(url, imports);
  if (!platform.readFileURL) throw new GmmHmmError(`cannot read ${url.href} here: file: URLs are read in Node only`, 'load');
  let bytes;
  try {
    bytes = await platform.readFileURL(url);
  } catch (error) {
    throw new GmmHmmError(`reading ${url.href} failed: ${error?.message ?? error}`, 'load', { cause: error });
  }
  checkWasmBytes(bytes, url);
  return WebAssembly.instantiate(bytes, imports);
}

async function instantiateWith(imports, { wasmModule, wasmBinary, url }) {
  if (wasmModule !== undefined) {
    if (!(wasmModule instanceof WebAssembly.Module)) {
      throw new GmmHmmError(`wasmModule must be a WebAssembly.Module, got ${describe(wasmModule)}`);
    }
    return { instance: await WebAssembly.instantiate(wasmModule, imports), module: wasmModule };
  }
  if (wasmBinary !== undefined) {
    if (!(wasmBinary instanceof ArrayBuffer || ArrayBuffer.isView(wasmBinary))) {
      throw new GmmHmmError(`wasmBinary must be an ArrayBuffer or Uint8Array, got ${describe(wasmBinary)}`);
    }
    return WebAssembly.instantiate(wasmBinary, imports);
  }
  return compileFrom(url, imports);
}

// A failure of the compile itself (not of the fetch), with what the environment says about it.
function explainFailure(error, variant, violations, source) {
  const blocked = violations.find((v) => v.directive && v.blocked !== 'wasm-eval');
  if (error instanceof GmmHmmError) {
    // A refused fetch says only "Failed to fetch": the violation says which directive refused it.
    if (blocked && error.code === 'load') error.message += ` (the page's Content-Security-Policy directive ${blocked.directive} blocked ${blocked.blocked})`;
    return error;
  }
  const message = String(error?.message ?? error);
  if (violations.some((v) => v.blocked === 'wasm-eval') || /Content.Security.Policy|wasm-unsafe-eval|unsafe-eval/i.test(message)) {
    return new GmmHmmError(`loading the ${variant} WebAssembly build failed: the page's Content-Security-Policy does not allow WebAssembly; add 'wasm-unsafe-eval' to its script-src directive (${message})`, 'load', { cause: error });
  }
  return new GmmHmmError(`loading the ${variant} WebAssembly build${source ? ` from ${source}` : ''} failed: ${message}`, 'load', { cause: error });
}

const LOAD_OPTIONS = ['variant', 'wasmURL', 'wasmBinary', 'wasmModule', 'singleFile'];

/**
 * Instantiates a build (full-build.js or words-build.js: its .wasm files). Options:
 *  - variant: 'auto' (default) | 'simd' | 'nosimd'
 *  - wasmURL: where the .wasm of that variant is (URL or string), or { simd, nosimd }
 *  - wasmBinary: the .wasm bytes (no fetch); wasmModule: a compiled WebAssembly.Module (e.g.
 *    posted to a Worker by the page); both must match the variant
 *  - singleFile: true takes the wasm from the package's embedded (base64) copy (Node; in
 *    browsers that copy is the entry point 'gmmhmm/single-file')
 * Resolves to { M (the Emscripten module), variant, simd, singleFile, wasmModule (the compiled
 * WebAssembly.Module, for the training Workers) }.
 */
export async function instantiate(options, build) {
  // A misspelt option (wasmUrl) would otherwise be ignored without a word.
  for (const key of Object.keys(options)) {
    if (!LOAD_OPTIONS.includes(key)) throw new GmmHmmError(`load options: unknown option '${key}' (expected one of ${LOAD_OPTIONS.join(', ')})`);
  }
  const { variant: requested = 'auto', wasmURL, wasmModule, singleFile = false } = options;
  let { wasmBinary } = options;
  const variant = chooseVariant(requested);
  if (singleFile) {
    if (build.name !== 'gmmhmm') {
      throw new GmmHmmError(`singleFile: true: ${build.name} has no build with the wasm embedded; the whole package has ('gmmhmm/single-file')`);
    }
    if (!build.embeddedWasm) {
      throw new GmmHmmError("singleFile: true: in browsers the build with the wasm embedded is its own entry point (so that bundles carry its 1.5 MB only when asked): import { load } from 'gmmhmm/single-file'");
    }
    wasmBinary = await build.embeddedWasm[variant]();
  }
  const url = wasmModule || wasmBinary ? null : resolveWasmURL(wasmURL, variant, build);
  let compiled = null;  // the WebAssembly.Module (training Workers reuse it instead of compiling)
  const csp = platform.watchLoadFailures();
  let failed;
  const failure = new Promise((resolve, reject) => { failed = reject; });
  const moduleOptions = {
    // Errors go to the caller as exceptions; the glue should not print them as well.
    printErr: () => {},
    instantiateWasm(imports, done) {
      platform.holdEventLoopUntil(instantiateWith(imports, { wasmModule, wasmBinary, url }))
        .then(({ instance, module }) => {
          compiled = module ?? null;
          done(instance, module);
        })
        .catch(failed);
      return {}; // asynchronous: the exports arrive through done()
    },
  };
  try {
    const M = await Promise.race([createGmmHmmModule(moduleOptions), failure]);
    return { M, variant, simd: variant === 'simd', singleFile: Boolean(singleFile), wasmModule: compiled };
  } catch (error) {
    throw explainFailure(error, variant, await csp.violations(), url?.href);
  } finally {
    csp.stop();
  }
}
