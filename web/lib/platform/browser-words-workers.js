// Starting the Workers of 'gmmhmm/words' in browsers ('#words-workers', every condition but
// "node"): browser-workers.js with the words-only Worker entry (words-worker.js), imported by
// the entry point (web/words.js) only. Bundled into web/dist/gmmhmm-words.js: './words-worker.js'
// is relative to web/dist/.
import { webWorkerThread } from './browser-worker-thread.js';

/** A training worker of the words-only build (see browser-workers.js). */
export function startTrainingWorker() {
  return webWorkerThread(() => newWordsWorker(undefined, 'gmmhmm-training'), 'words-worker.js');
}

// The words-only Worker entry (training, listen sessions), or the page's own copy at `url`.
function newWordsWorker(url, name) {
  // Written out in full: this is the pattern bundlers recognise as a module worker.
  return url ? new Worker(url, { type: 'module', name }) : new Worker(new URL('./words-worker.js', import.meta.url), { type: 'module', name });
}

/** The Worker of a listen() session (web/lib/listen-browser.js): a plain Worker. */
export function startListenWorker(url) {
  return newWordsWorker(url, 'gmmhmm-listening');
}
