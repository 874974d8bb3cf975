// Chooses and instantiates the WebAssembly build: SIMD where the engine supports it
// (WebAssembly.validate on a tiny SIMD module), the plain build elsewhere.
//
// The .wasm is found next to this file (new URL(..., import.meta.url), which bundlers such as
// Vite understand) unless `wasmURL` says otherwise. This module hands the compiled module to
// the Emscripten glue itself (instantiateWasm): in browsers and Workers through
// fetch + instantiateStreaming, in Node by reading the file, because the glue's own Node path
// needs CommonJS `require`/`__dirname` and Node's fetch cannot read file: URLs.
// `singleFile: true` loads the build with the wasm embedded (no second request: Workers,
// worklets, pages whose CSP forbids fetching it).
import { GmmHmmError, describe } from './errors.js';

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt))
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** True when this engine runs WebAssembly SIMD (128-bit). */
export function simdSupported() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

// Literal paths, so that bundlers see (and copy) every build.
const BUILDS = {
  simd: {
    glue: () => import('../dist/gmmhmm-simd.js'),
    single: () => import('../dist/gmmhmm-simd.single.js'),
    wasm: () => new URL('../dist/gmmhmm-simd.wasm', import.meta.url),
  },
  nosimd: {
    glue: () => import('../dist/gmmhmm-nosimd.js'),
    single: () => import('../dist/gmmhmm-nosimd.single.js'),
    wasm: () => new URL('../dist/gmmhmm-nosimd.wasm', import.meta.url),
  },
};

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

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

function resolveWasmURL(wasmURL, variant) {
  if (wasmURL === undefined) return BUILDS[variant].wasm();
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

async function readNodeFile(url) {
  // Hidden from bundlers: a browser bundle must not try to resolve 'node:fs'.
  const fsName = 'node:fs/promises';
  const urlName = 'node:url';
  const [{ readFile }, { fileURLToPath }] = await Promise.all([
    import(/* @vite-ignore */ fsName), import(/* @vite-ignore */ urlName),
  ]);
  return readFile(fileURLToPath(url));
}

async function compileFrom(url, imports) {
  if (url.protocol === 'file:') {
    if (!isNode) throw new GmmHmmError(`cannot read ${url.href} here: file: URLs are read in Node only`, 'load');
    return WebAssembly.instantiate(await readNodeFile(url), imports);
  }
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new GmmHmmError(`fetching ${url.href} failed: HTTP ${response.status}`, 'load');
  const type = response.headers.get('content-type') ?? '';
  if (typeof WebAssembly.instantiateStreaming === 'function' && type.startsWith('application/wasm')) {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  // A server that does not label .wasm as application/wasm: compile from the bytes.
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
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

/**
 * Instantiates a build. Options:
 *  - variant: 'auto' (default) | 'simd' | 'nosimd'
 *  - wasmURL: where the .wasm of that variant is (URL or string), or { simd, nosimd }
 *  - wasmBinary: the .wasm bytes (no fetch); wasmModule: a compiled WebAssembly.Module (e.g.
 *    posted to a Worker by the page); both must match the variant
 *  - singleFile: true loads the build with the wasm embedded
 * Resolves to { M (the Emscripten module), variant, simd, singleFile, wasmModule (the compiled
 * WebAssembly.Module; null for the single-file build) }.
 */
export async function instantiate(options = {}) {
  const { variant: requested = 'auto', wasmURL, wasmBinary, wasmModule, singleFile = false } = options;
  const variant = chooseVariant(requested);
  const build = BUILDS[variant];
  const moduleOptions = {
    // Errors go to the caller as exceptions; the glue should not print them as well.
    printErr: () => {},
  };
  let factory;
  let failed = new Promise(() => {});
  let compiled = null;  // the WebAssembly.Module (training Workers reuse it instead of compiling)
  if (singleFile) {
    factory = (await build.single()).default;
  } else {
    const url = wasmModule || wasmBinary ? null : resolveWasmURL(wasmURL, variant);
    factory = (await build.glue()).default;
    failed = new Promise((resolve, reject) => {
      moduleOptions.instantiateWasm = (imports, done) => {
        instantiateWith(imports, { wasmModule, wasmBinary, url })
          .then(({ instance, module }) => {
            compiled = module ?? null;
            done(instance, module);
          })
          .catch(reject);
        return {}; // asynchronous: the exports arrive through done()
      };
    });
  }
  try {
    const M = await Promise.race([factory(moduleOptions), failed]);
    return { M, variant, simd: variant === 'simd', singleFile: Boolean(singleFile), wasmModule: compiled };
  } catch (error) {
    if (error instanceof GmmHmmError) throw error;
    throw new GmmHmmError(`loading the ${variant} WebAssembly build failed: ${error?.message ?? error}`, 'load', { cause: error });
  }
}
