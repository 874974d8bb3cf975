// Types of 'gmmhmm/words': the package's API without GMMHMM and the hmmlearn families.
import type { GmmHmmApi, LoadOptions } from './index.js';

export type * from './index.js';
export { GmmHmmError, LABEL_RULE, MAX_LABEL_LENGTH, checkLabel, simdSupported } from './index.js';

/** What load() of 'gmmhmm/words' returns: the front end and the Recognizer. */
export type GmmHmmWordsApi = Omit<GmmHmmApi, 'GMMHMM' | 'CategoricalHMM' | 'PoissonHMM' | 'MultinomialHMM' | 'GaussianHMM'>;

/** load() options of 'gmmhmm/words' (it has no build with the wasm embedded). */
export type WordsLoadOptions = Omit<LoadOptions, 'singleFile'> & { singleFile?: false };

/** Loads the words-only WebAssembly module (its own heap) and returns the API bound to it. */
export function load(options?: WordsLoadOptions): Promise<GmmHmmWordsApi>;
export default load;
