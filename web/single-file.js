// The builds with the wasm embedded (base64) for pages that cannot fetch a second file, e.g.
// under a Content-Security-Policy whose connect-src does not allow it:
//   import { load } from 'gmmhmm/single-file';
// Its own entry point so that bundles contain the 1.5 MB of each embedded build only when
// asked for, and only the build the engine needs is downloaded (dynamic import per variant).
// 'gmmhmm' is this package (a self-reference): the API is the same, only the wasm differs.
import { GmmHmmError, load as loadPackage, simdSupported } from 'gmmhmm';

export { GmmHmmError, simdSupported };

const EMBEDDED = {
  simd: () => import('./dist/gmmhmm-simd.embedded.js'),
  nosimd: () => import('./dist/gmmhmm-nosimd.embedded.js'),
};

function decodeBase64(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const bytes = atob(text);
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
  return out;
}

/** load() of 'gmmhmm', with the wasm taken from the embedded copy (no fetch). */
export async function load(options = {}) {
  const given = options ?? {};
  // Not an object, or an unknown variant: the package's load() says what is wrong.
  if (typeof given !== 'object' || Array.isArray(given)) return loadPackage(options);
  for (const name of ['wasmURL', 'wasmBinary', 'wasmModule']) {
    if (given[name] !== undefined) {
      throw new GmmHmmError(`load options: ${name} does not apply to 'gmmhmm/single-file', whose wasm is embedded (use 'gmmhmm' for it)`);
    }
  }
  const { variant = 'auto' } = given;
  const chosen = variant === 'auto' ? (simdSupported() ? 'simd' : 'nosimd') : variant;
  if (!Object.hasOwn(EMBEDDED, chosen)) return loadPackage(given);
  let base64;
  try {
    base64 = (await EMBEDDED[chosen]()).default;
  } catch (error) {
    throw new GmmHmmError(`loading the embedded ${chosen} build failed: ${error?.message ?? error}`, 'load', { cause: error });
  }
  const api = await loadPackage({ ...given, singleFile: false, variant: chosen, wasmBinary: decodeBase64(base64) });
  return Object.freeze({ ...api, singleFile: true });
}

export default load;
