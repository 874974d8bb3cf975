// Worker entry for Recognizer training and parallel fits (a module Web Worker in browsers,
// bundled into web/dist/train-worker.js by scripts/build-js.mjs; a worker_threads worker in
// Node, as it is): loads its own WebAssembly module and serves one request at a time. No
// top-level await, so that bundlers may emit it in any worker format.
//   in:  { type: 'load', id, build } (start-up ahead of the jobs) -> out: { type: 'ready', id }
//   in:  { type: 'job', id, job: { kind, label, data, rows, cols, lengths, groups, optionsJson, pooledVariance },
//          build: { module: WebAssembly.Module, variant } | null }
//   out: { type: 'ready', id } (the module is instantiated: a failure from now on is a crash,
//        not a worker that did not start), { type: 'progress', id, progress } ...,
//        then { type: 'result', id, json } or { type: 'error', id, message, code, loadFailed }
// A share of a parallel fit (web/lib/fit-async.js), held between requests:
//   in:  { type: 'share-open', id, build, share: { setup, data, rows, cols, lengths, groupSizes } }
//        -> { type: 'ready', id }, { type: 'share-opened', id }
//   in:  { type: 'share-compute', id, parameters } -> { type: 'share-statistics', id, statistics }
//   in:  { type: 'share-close', id } -> { type: 'share-closed', id } (its memory is freed)
import { workerPort } from '#platform';
import { load } from './api.js';
import { FIT_SHARE } from './fit-async.js';
import { listenMessage } from './listen-session.js';
import { TRAIN_JOB } from './recognizer.js';

const port = workerPort();
let loading = null;  // one module per worker, however many messages arrive while it loads
let share = null;    // the open share of a parallel fit

const TYPES = new Set(['job', 'load', 'share-open', 'share-compute', 'share-close']);

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
    // The page's own compiled module when it came along (same build, no second compile);
    // otherwise at least the same variant, so that the numbers are the same.
    loading ??= load(build?.module ? { wasmModule: build.module, variant: build.variant } : build?.variant ? { variant: build.variant } : {});
    api = await loading;
  } catch (error) {
    port.post({ type: 'error', id, message: String(error?.message ?? error), code: 'load', loadFailed: true });
    return;
  }
  if (message.type === 'load' || message.type === 'job' || message.type === 'share-open') port.post({ type: 'ready', id });
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
        share = api.GMMHMM[FIT_SHARE](message.share);
        port.post({ type: 'share-opened', id });
        break;
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
