// PLACEHOLDER so that web/index.js can import it before the real file lands: the Recognizer part
// of the API is written separately and replaces this file. Returns undefined: load() then
// has no Recognizer.
export function createRecognizer(M) {
  return undefined;
}
