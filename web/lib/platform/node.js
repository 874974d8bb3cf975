// What differs between Node and browsers, Node's side: '#platform' and '#training-workers'
// (package.json "imports") resolve here under the "node" condition, and to
// web/lib/platform/browser.js and browser-workers.js elsewhere. Node runs the package's
// sources as they are, so the paths below are relative to this file.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker, parentPort } from 'node:worker_threads';

export const name = 'node';

/** The .wasm of each build. */
export const wasmURLs = {
  simd: () => new URL('../../dist/gmmhmm-simd.wasm', import.meta.url),
  nosimd: () => new URL('../../dist/gmmhmm-nosimd.wasm', import.meta.url),
};

/** The builds with the wasm embedded (base64 modules), for load({ singleFile: true }). */
export const embeddedWasm = {
  simd: async () => decodeBase64((await import('../../dist/gmmhmm-simd.embedded.js')).default),
  nosimd: async () => decodeBase64((await import('../../dist/gmmhmm-nosimd.embedded.js')).default),
};

function decodeBase64(text) {
  const bytes = Buffer.from(text, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The bytes of a file: URL (fetch cannot read them in Node). */
export function readFileURL(url) {
  return readFile(fileURLToPath(url));
}

/**
 * Keeps Node's event loop busy until `promise` settles: a referenced timer that never fires.
 * A WebAssembly compile in flight holds nothing in the loop; when nothing else does, Node's
 * main thread leaves the loop and blocks until every background task of V8 has finished
 * (NodePlatform::DrainTasks). A background task that needs the main thread meanwhile (a
 * concurrent compile asking it for a garbage collection) then never finishes, and the process
 * hangs at 0 % CPU for good (nodejs/node#47452 and V8 issue 13902 describe the deadlock).
 * Inside the loop the main thread answers such requests. Browsers have no such wait.
 */
export function holdEventLoopUntil(promise) {
  const timer = setInterval(() => {}, 2 ** 30);
  return promise.finally(() => clearInterval(timer));
}

/** Browsers record Content-Security-Policy violations here; Node has none. */
export function watchLoadFailures() {
  return { violations: async () => [], stop: () => {} };
}

export function coreCount() {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * The thread of a training worker (web/lib/train-worker.js) behind the interface of
 * web/lib/worker-thread.js: { file, post, ref, unref, terminate() -> Promise, wire(onMessage,
 * onDeath, onExit) }.
 */
export function startTrainingWorker() {
  return startWorkerThread(new URL('../train-worker.js', import.meta.url));
}

/** A worker_threads Worker of the script at `url` behind the same interface. */
export function startWorkerThread(url) {
  const w = new Worker(url);
  return {
    file: fileURLToPath(url),
    post: (message, transfer) => w.postMessage(message, transfer),
    ref: () => w.ref(),
    unref: () => w.unref(),
    terminate: () => w.terminate().then(() => {}, () => {}),
    wire(onMessage, onDeath, onExit) {
      w.on('message', onMessage);
      // An uncaught exception in the worker ('error', then 'exit'), a message that cannot be
      // deserialised, or the thread ending for any reason.
      w.on('error', (error) => onDeath(error));
      w.on('messageerror', (error) => onDeath(error));
      w.on('exit', (code) => {
        onDeath(new Error(`the training worker exited (code ${code})`));
        onExit();
      });
    },
  };
}

/** Inside a training worker: the channel to the thread that started it. */
export function workerPort() {
  return { post: (m, transfer) => parentPort.postMessage(m, transfer), listen: (fn) => parentPort.on('message', fn) };
}

/** listen() is for browsers (an AudioWorklet); in Node createListener() takes the samples. */
export function startListenWorker() {
  return null;
}
