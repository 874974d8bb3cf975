// PLACEHOLDER so that web/index.js can import it before the real file lands: the GMMHMM part
// of the API is written separately and replaces this file. Returns undefined: load() then
// has no GMMHMM.
export function createGMMHMM(M) {
  return undefined;
}
