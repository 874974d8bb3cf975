import type { GmmHmmApi } from './index.js';

/** The API loaded with the default options (top-level await). */
declare const gmmhmm: GmmHmmApi;
export default gmmhmm;
