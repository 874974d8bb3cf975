// Worker entry of 'gmmhmm/words' (Recognizer training and listen() sessions): train-worker.js
// with the words-only build, so that a page of voice commands downloads neither GMMHMM's nor
// the families' code for its Workers. Bundled into web/dist/words-worker.js by
// scripts/build-js.mjs; a worker_threads worker in Node, as it is.
import { load } from './words-build.js';
import { serveWorker } from './worker-serve.js';

serveWorker(load);
