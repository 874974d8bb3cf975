// A package Worker in browsers behind the interface of web/lib/worker-thread.js, shared by the
// entry points' worker starters (browser-workers.js: train-worker.js; browser-words-workers.js:
// words-worker.js), which each write out their own new Worker(new URL(…)) for bundlers.
import { watchLoadFailures } from './browser.js';

/**
 * The thread of a package Worker (newWorker() starts it; `file`: its script's name in web/dist/,
 * for messages) behind the interface of web/lib/worker-thread.js ({ file,
 * post, ref, unref, terminate() -> Promise, wire(onMessage, onDeath, onExit) }), or null where
 * this environment has no Worker. When it does not start, its error says why.
 */
export function webWorkerThread(newWorker, file) {
  if (typeof Worker !== 'function') return null;
  const csp = watchLoadFailures();
  let w;
  try {
    w = newWorker();
  } catch (error) {
    csp.stop();
    throw error;
  }
  let exit = () => {};
  let heardFrom = false;
  return {
    file,
    post: (message, transfer) => w.postMessage(message, transfer),
    ref: () => {},
    unref: () => {},
    terminate: () => {
      csp.stop();
      w.terminate();  // synchronous in browsers: no 'exit' event follows
      exit();
      return Promise.resolve();
    },
    wire(onMessage, onDeath, onExit) {
      exit = onExit;
      w.onmessage = (event) => {
        if (!heardFrom) csp.stop();
        heardFrom = true;
        onMessage(event.data);
      };
      w.onmessageerror = () => onDeath(new Error('a message from the training worker could not be read'));
      w.onerror = (event) => {
        event.preventDefault?.();
        // An ErrorEvent with a message: the worker ran and threw. A bare Event: its script
        // never ran (not found, not JavaScript, or blocked).
        if (event.message) onDeath(new Error(event.message));
        else whyWorkerDidNotStart(csp, file).then((reason) => onDeath(new Error(reason)));
      };
    },
  };
}

async function whyWorkerDidNotStart(csp, file) {
  const violations = await csp.violations();
  csp.stop();
  const blocked = violations.find((v) => /^(worker-src|child-src|script-src|default-src)/.test(v.directive ?? ''));
  if (blocked) {
    return `the page's Content-Security-Policy directive ${blocked.directive} blocked ${blocked.blocked || 'its script'} (allow it, e.g. worker-src 'self')`;
  }
  // Where the package expects the worker. Not written as new URL('…', import.meta.url): bundlers
  // would take it for a second reference (webpack warns about any other form of that call).
  const here = import.meta.url;
  const url = new URL(`./${file}`, here);
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    try {
      const response = await fetch(url);
      const type = response.headers.get('content-type') ?? 'no content type';
      if (!response.ok) return `its script ${url.href} answers HTTP ${response.status}`;
      if (!/javascript|ecmascript/i.test(type)) return `its script ${url.href} is served as ${type}, not JavaScript`;
    } catch {
      // The probe itself was refused: say what is known.
    }
  }
  return `its script could not be loaded as a module (${url.href} unless a bundler renamed it)`;
}
