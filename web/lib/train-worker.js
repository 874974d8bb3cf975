// Worker entry for Recognizer training (a module Web Worker in browsers, a worker_threads
// worker in Node): loads its own WebAssembly module and runs one job at a time.
//   in:  { type: 'job', id, job: { kind, data, rows, cols, lengths, groups, optionsJson },
//          build: { module: WebAssembly.Module, variant } | null }
//   out: { type: 'progress', id, progress } ..., then { type: 'result', id, json }
//        or { type: 'error', id, message, code, loadFailed }
//   in:  { type: 'load', id, build } (start-up ahead of the jobs) -> out: { type: 'ready', id }
import { load } from '../index.js';
import { TRAIN_JOB } from './recognizer.js';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

async function channel() {
  if (isNode) {
    const name = 'node:worker_threads';
    const { parentPort } = await import(/* @vite-ignore */ name);
    return { post: (m) => parentPort.postMessage(m), listen: (fn) => parentPort.on('message', fn) };
  }
  return { post: (m) => self.postMessage(m), listen: (fn) => { self.onmessage = (event) => fn(event.data); } };
}

const port = await channel();
let api = null;

port.listen(async (message) => {
  if (message?.type !== 'job' && message?.type !== 'load') return;
  const { id, job, build } = message;
  try {
    // The page's own compiled module when it came along (same build, no second compile).
    api ??= await load(build?.module ? { wasmModule: build.module, variant: build.variant } : {});
  } catch (error) {
    port.post({ type: 'error', id, message: String(error?.message ?? error), code: 'load', loadFailed: true });
    return;
  }
  if (message.type === 'load') {
    port.post({ type: 'ready', id });
    return;
  }
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
