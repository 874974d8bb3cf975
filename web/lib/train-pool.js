// Runs the Recognizer's training jobs (one per word, plus the background model) on several
// cores: Web Workers in browsers, worker_threads in Node, each with its own WebAssembly
// module (web/lib/train-worker.js). Where workers are unavailable (no Worker constructor, a
// CSP that forbids them, a worker that fails to start) the jobs run in this thread, one after
// the other, yielding to the event loop between jobs so that progress can be painted and an
// AbortSignal noticed.
//
// Workers are kept for the next train() call; in Node they are unref()'d while idle so that
// they never keep a process alive. A new worker instantiates the caller's compiled module
// (posted with the job) rather than fetching and compiling the .wasm again.
import { GmmHmmError } from './errors.js';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';
const MAX_WORKERS = 8;

// Idle workers per build (a worker keeps the module it instantiated first, so a worker of one
// load() must not train for another load() of a different build).
// `preparing`: per build, the prepareWorkers() still starting workers, which train() waits for
// rather than starting more.
const pool = { idle: new Map(), preparing: new Map(), broken: false };
const DEFAULT_BUILD = Symbol('default build');
const buildKey = (build) => build?.module ?? DEFAULT_BUILD;
function idleWorkers(build) {
  const key = buildKey(build);
  let list = pool.idle.get(key);
  if (!list) pool.idle.set(key, (list = []));
  return list;
}

async function coreCount() {
  if (typeof navigator === 'object' && Number.isInteger(navigator.hardwareConcurrency)) return navigator.hardwareConcurrency;
  if (isNode) {
    const osName = 'node:os';
    const os = await import(/* @vite-ignore */ osName);
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  return 1;
}

// A worker behind one small interface: post(msg), listen(onMessage, onError), ref/unref, terminate.
async function spawnWorker() {
  if (isNode) {
    const name = 'node:worker_threads';
    const { Worker: NodeWorker } = await import(/* @vite-ignore */ name);
    const file = './train-worker.js';
    const w = new NodeWorker(new URL(file, import.meta.url));
    return {
      post: (message) => w.postMessage(message),
      listen(onMessage, onError) {
        w.removeAllListeners('message');
        w.removeAllListeners('error');
        w.removeAllListeners('exit');
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', (code) => onError(new Error(`the training worker exited (code ${code})`)));
      },
      ref: () => w.ref(),
      unref: () => w.unref(),
      terminate: () => w.terminate(),
    };
  }
  if (typeof Worker !== 'function') return null;
  // Written out literally so that bundlers (Vite) find and bundle the worker.
  const w = new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' });
  return {
    post: (message) => w.postMessage(message),
    listen(onMessage, onError) {
      w.onmessage = (event) => onMessage(event.data);
      w.onerror = (event) => {
        event.preventDefault?.();
        onError(new Error(event.message || 'the training worker failed to start'));
      };
    },
    ref: () => {},
    unref: () => {},
    terminate: () => w.terminate(),
  };
}

async function workerCount(requested, jobs) {
  if (requested === false || requested === 0 || pool.broken) return 0;
  const wanted = requested === 'auto' ? Math.min(MAX_WORKERS, await coreCount()) : requested;
  const n = Math.min(wanted, jobs);
  // One core: a worker would only add its start-up time.
  return requested === 'auto' && n < 2 ? 0 : n;
}

let nextId = 1;

// Runs `job` on worker `w`; resolves to the model JSON text. Rejects with a GmmHmmError
// from the job, or with { workerFailed: true } when the worker itself broke.
function runOnWorker(w, job, onProgress, signal, build) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    if (signal) {
      const onAbort = () => reject(Object.assign(new Error('aborted'), { aborted: true }));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
    }
    w.listen((message) => {
      if (message?.id !== id) return;
      if (message.type === 'progress') onProgress(message.progress);
      else if (message.type === 'result') resolve(message.json);
      else if (message.type === 'error') {
        if (message.loadFailed) reject(Object.assign(new Error(message.message), { workerFailed: true }));
        else reject(new GmmHmmError(message.message, message.code ?? 'internal'));
      }
    }, (error) => reject(Object.assign(error instanceof Error ? error : new Error(String(error)), { workerFailed: true })));
    w.ref();
    postWithBuild(w, { type: 'job', id, job }, build);
  });
}

// Posts `message` with the caller's build: the compiled module goes along (a worker
// instantiates it on its first message; cloning a WebAssembly.Module shares the compiled code).
function postWithBuild(w, message, build) {
  try {
    w.post({ ...message, build });
  } catch {
    // An environment that cannot clone a WebAssembly.Module: the worker loads its own.
    w.post({ ...message, build: null });
  }
}

const yieldToEventLoop = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Runs every job; resolves to a Map job.key -> model JSON text.
 * options: { signal, workers ('auto' | n | false), runInThread(job, progress) (synchronous),
 *            onProgress({ key, stage, iteration, nIter, logLikelihood, frames } | { key, done }),
 *            abortError(signal), build: { module, variant } of the caller's wasm or null }
 */
export async function runTraining(jobs, { signal, workers, runInThread, onProgress, abortError, build = null }) {
  const results = new Map();
  const report = (key) => (p) => onProgress?.({ key, ...p });
  const queue = [...jobs];
  // Largest jobs first: they bound the total time.
  queue.sort((a, b) => b.data.length - a.data.length);

  const inThread = async () => {
    while (queue.length > 0) {
      if (signal?.aborted) throw abortError(signal);
      const job = queue.shift();
      const progress = report(job.key);
      try {
        results.set(job.key, runInThread(job, (p) => {
          progress(p);
          return !signal?.aborted;
        }));
      } catch (error) {
        // The job stopped because the progress callback saw the signal: an abort, not a failure.
        if (signal?.aborted) throw abortError(signal);
        throw error;
      }
      await yieldToEventLoop();
    }
  };

  const count = await workerCount(workers, queue.length);
  if (count > 0) await pool.preparing.get(buildKey(build));
  if (count === 0) {
    await inThread();
    return results;
  }

  const busy = new Set();
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    // Cancelling a computation in a worker means stopping the worker.
    for (const w of busy) w.terminate();
    busy.clear();
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const lane = async () => {
    const idle = idleWorkers(build);
    let w = idle.pop() ?? null;
    try {
      if (!w) w = await spawnWorker();
    } catch {
      w = null;
    }
    if (!w) {
      pool.broken = true;
      return;
    }
    busy.add(w);
    try {
      while (queue.length > 0 && !aborted) {
        const job = queue.shift();
        try {
          results.set(job.key, await runOnWorker(w, job, report(job.key), signal, build));
        } catch (error) {
          if (aborted) return;
          if (error?.workerFailed) {
            // This environment cannot run the worker: give the job back and stop using workers.
            pool.broken = true;
            queue.unshift(job);
            w.terminate();
            w = null;
            return;
          }
          throw error;
        }
      }
    } finally {
      if (w && busy.has(w)) {
        busy.delete(w);
        w.unref();
        idle.push(w);
      }
    }
  };

  try {
    const lanes = Array.from({ length: count }, () => lane());
    const settled = await Promise.allSettled(lanes);
    if (aborted || signal?.aborted) throw abortError(signal);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    // Workers that could not run leave their jobs here.
    await inThread();
    return results;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

// Starts a worker and waits until it has instantiated the module. Resolves to the worker, or
// null when workers cannot run here.
function startReadyWorker(build) {
  return spawnWorker().then((w) => {
    if (!w) return null;
    return new Promise((resolve) => {
      const id = nextId++;
      w.listen((message) => {
        if (message?.id !== id) return;
        if (message.type === 'ready') resolve(w);
        else {
          w.terminate();
          resolve(null);
        }
      }, () => {
        w.terminate();
        resolve(null);
      });
      w.ref();
      postWithBuild(w, { type: 'load', id }, build);
    });
  }, () => null);
}

/**
 * Starts the training workers ahead of train() (their start-up is otherwise part of the first
 * training): as many as train() would use for `workers` ('auto' | n). Resolves to the number
 * of workers now idle and ready for this build (0 where workers cannot run).
 */
export async function prepareWorkers({ workers = 'auto', build = null } = {}) {
  const key = buildKey(build);
  const earlier = pool.preparing.get(key);
  const done = (async () => {
    await earlier;  // one preparation at a time per build: none starts workers twice
    const idle = idleWorkers(build);
    const wanted = await workerCount(workers, MAX_WORKERS);
    const started = await Promise.all(Array.from({ length: Math.max(0, wanted - idle.length) }, () => startReadyWorker(build)));
    for (const w of started) {
      if (!w) continue;
      w.unref();
      idle.push(w);
    }
    if (wanted > 0 && idle.length === 0) pool.broken = true;
    return Math.min(idle.length, wanted);
  })();
  const settled = done.catch(() => {});
  pool.preparing.set(key, settled);
  settled.then(() => {
    if (pool.preparing.get(key) === settled) pool.preparing.delete(key);
  });
  return done;
}

/** Stops the pooled training workers (they are restarted on demand). */
export function terminateTrainingWorkers() {
  for (const list of pool.idle.values()) for (const w of list.splice(0)) w.terminate();
  pool.idle.clear();
}
