// Starting the training workers in browsers ('#training-workers' in package.json "imports",
// every condition but "node"). Only the entry point (web/index.js) imports this file, so the
// worker's own bundle, and the chunk it shares with the entry, never contain the code that
// starts a worker (Vite refuses a worker that starts itself). Bundled into web/dist/gmmhmm.js:
// './train-worker.js' is relative to web/dist/.
import { webWorkerThread } from './browser-worker-thread.js';

/**
 * The thread of a training worker behind the interface of web/lib/worker-thread.js, or null
 * where this environment has no Worker. When it does not start, its error says why.
 */
export function startTrainingWorker() {
  return webWorkerThread(() => newPackageWorker(undefined, 'gmmhmm-training'), 'train-worker.js');
}

// The package's one Worker entry (train-worker.js: training, fit shares, listen sessions), or
// the page's own copy of it at `url`.
function newPackageWorker(url, name) {
  // Written out in full: this is the pattern bundlers recognise as a module worker.
  return url ? new Worker(url, { type: 'module', name }) : new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module', name });
}

/** The Worker of a listen() session (web/lib/listen-browser.js): a plain Worker. */
export function startListenWorker(url) {
  return newPackageWorker(url, 'gmmhmm-listening');
}
