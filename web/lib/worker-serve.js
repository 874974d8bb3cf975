// The worker side of the package's Worker entries (train-worker.js for the whole package,
// words-worker.js for 'gmmhmm/words'): loads its own WebAssembly module and serves one
// request at a time. The messages are described in train-worker.js.
import { workerPort } from '#platform';
import { listenMessage } from './listen-session.js';
import { workerLoadOptions } from './worker-load-options.js';
import { TRAIN_JOB } from './recognizer.js';

/**
 * Serves the messages of the thread that started this worker. `load`: the entry's load() (the
 * whole package, or 'gmmhmm/words'); `openFitShare(api, share)`: opens a share of a parallel
 * fit, `initialiseFit(api, initialisation)`: computes a fit's initialisation (a Float64Array);
 * both absent where the build has no GMMHMM.
 */
export function serveWorker(load, openFitShare = null, initialiseFit = null) {
  const port = workerPort();
  let loading = null;  // one module per worker, however many messages arrive while it loads
  let share = null;    // the open share of a parallel fit

  const TYPES = new Set(['job', 'load', 'share-open', 'share-compute', 'share-close', 'fit-initialise']);

  function closeShare() {
    share?.close();
    share = null;
}

  port.listen(async (message) => {
    // listen() in browsers uses this Worker too (web/lib/listen-session.js).
    if (listenMessage(message, load, port.post)) return;
    if (!TYPES.has(message?.type)) return;
    const { id, job, build } = message;
    let api;
    try {
      loading ??= load(workerLoadOptions(build));
      api = await loading;
    } catch (error) {
      port.post({ type: 'error', id, message: String(error?.message ?? error), code: 'load', loadFailed: true });
      return;
    }
    if (message.type === 'load' || message.type === 'job' || message.type === 'share-open' || message.type === 'fit-initialise') {
      port.post({ type: 'ready', id });
    }
    try {
      switch (message.type) {
        case 'job': {
          const json = api.Recognizer[TRAIN_JOB](job, (progress) => {
            port.post({ type: 'progress', id, progress });
            return true;
          });
          port.post({ type: 'result', id, json });
          break;
        }
        case 'share-open':
          closeShare();
          if (!openFitShare) throw new Error('this build has no model classes: their fitAsync shares run in the whole package\'s worker');
          share = openFitShare(api, message.share);
          port.post({ type: 'share-opened', id });
          break;
        case 'fit-initialise': {
          if (!initialiseFit) throw new Error('this build has no model classes: their fits are initialised in the whole package\'s worker');
          const parameters = initialiseFit(api, message.initialisation);
          port.post({ type: 'fit-initialised', id, parameters }, [parameters.buffer]);
          break;
        }
        case 'share-compute': {
          if (!share) throw new Error('no share is open');
          const statistics = share.compute(message.parameters);
          port.post({ type: 'share-statistics', id, statistics }, [statistics.buffer]);
          break;
        }
        case 'share-close':
          closeShare();
          port.post({ type: 'share-closed', id });
          break;
        default:
          break;
      }
    } catch (error) {
      if (message.type === 'share-open') closeShare();
      port.post({ type: 'error', id, message: String(error?.message ?? error), code: error?.code ?? 'internal' });
    }
  });
}
