// 'gmmhmm/single-file': the API of 'gmmhmm', with the wasm embedded in the package's JavaScript.
import type { GmmHmmApi, LoadOptions } from './index.js';

export { GmmHmmError, simdSupported } from './index.js';

/** load() of 'gmmhmm' with the wasm taken from the embedded copy (no fetch; wasmURL, wasmBinary and wasmModule do not apply). */
export function load(options?: Omit<LoadOptions, 'wasmURL' | 'wasmBinary' | 'wasmModule'>): Promise<GmmHmmApi>;
export default load;
