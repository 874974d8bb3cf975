// Worker entry for Recognizer training (a module Web Worker in browsers, a worker_threads
// worker in Node): loads its own WebAssembly module and runs one job at a time.
//   in:  { type: 'load', id, build } (start-up ahead of the jobs) -> out: { type: 'ready', id }
//   in:  { type: 'job', id, job: { kind, label, data, rows, cols, lengths, groups, optionsJson },
//          build: { module: WebAssembly.Module, variant } | null }
//   out: { type: 'ready', id } (the module is instantiated: a failure from now on is a crash,
//        not an environment without workers), { type: 'progress', id, progress } ...,
//        then { type: 'result', id, json } or { type: 'error', id, message, code, loadFailed }
import { load } from '../index.js';
import { listenMessage } from './listen-session.js';
import { TRAIN_JOB } from './recognizer.js';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

async function channel() {
  if (isNode) {
    const name = 'node:worker_threads';
    const { parentPort } = await import(/* @vite-ignore */ name);
    return { post: (m) => parentPort.postMessage(m), listen: (fn) => parentPort.on('message', fn) };
  }
  return { post: (m, transfer) => self.postMessage(m, transfer), listen: (fn) => { self.onmessage = (event) => fn(event.data); } };
}

const port = await channel();
let loading = null;  // one module per worker, however many messages arrive while it loads

port.listen(async (message) => {
  // listen() in browsers uses this Worker too (web/lib/listen-session.js).
  if (listenMessage(message, load, port.post)) return;
  if (message?.type !== 'job' && message?.type !== 'load') return;
  const { id, job, build } = message;
  let api;
  try {
    // The page's own compiled module when it came along (same build, no second compile).
    loading ??= load(build?.module ? { wasmModule: build.module, variant: build.variant } : {});
    api = await loading;
  } catch (error) {
    port.post({ type: 'error', id, message: String(error?.message ?? error), code: 'load', loadFailed: true });
    return;
  }
  port.post({ type: 'ready', id });
  if (message.type === 'load') return;
  try {
    const json = api.Recognizer[TRAIN_JOB](job, (progress) => {
      port.post({ type: 'progress', id, progress });
      return true;
    });
    port.post({ type: 'result', id, json });
  } catch (error) {
    port.post({ type: 'error', id, message: String(error?.message ?? error), code: error?.code ?? 'internal' });
  }
});
