// Runs the Recognizer's training jobs (one per word, plus the background model), and lends
// workers to parallel fits (GMMHMM.fitAsync, web/lib/fit-async.js), on several cores: Web Workers in browsers, worker_threads in Node, each with its own WebAssembly
// module (web/lib/train-worker.js, which instantiates the caller's compiled module rather
// than fetching and compiling the .wasm again). Where there are no workers (workers: 0, one
// core, no Worker constructor) the jobs run in this thread, one after the other, yielding to
// the event loop between jobs so that progress can be painted and an abort noticed. A worker
// that exists but does not start (its script not found, a Content-Security-Policy, its wasm
// not loading) fails train() with a GmmHmmError 'load' that says why: never a quiet switch to
// one thread.
//
// One pool per load() (createTrainingPool): its workers are kept between train() calls, idle
// ones unref()'d in Node so that they never keep a process alive. Recognizers and models that
// use the workers are counted (acquire/release): when the last one is disposed, the workers
// are terminated; terminate() (the API's terminateWorkers()) ends them at any time.
import { coreCount } from '#platform';
import { GmmHmmError, describe } from './errors.js';
import { spawnWorker, startListenWorker } from './worker-thread.js';

/** The `workers` option, declared once (Recognizer options, train(), prepareWorkers(), fromJSON()). */
export const WORKERS_OPTION = {
  name: 'workers',
  default: 'auto',
  /** 'auto' uses one worker per core, at most this many */
  autoMax: 8,
  max: 256,
  help: "'auto' (one per core, at most 8), false, or an integer in [0, 256] (0 and false train in this thread)",
};

/** Returns `value` when it is a valid `workers` option; otherwise throws naming `where`. */
export function checkWorkers(value, where) {
  if (value === 'auto' || value === false || (Number.isInteger(value) && value >= 0 && value <= WORKERS_OPTION.max)) return value;
  throw new GmmHmmError(`${where}: workers must be ${WORKERS_OPTION.help}, got ${describe(value)}`);
}

/** How many workers `requested` ('auto' | n | false, already checked) means for `jobs` jobs. */
export async function workerCount(requested, jobs) {
  if (requested === false || requested === 0) return 0;
  const wanted = requested === 'auto' ? Math.min(WORKERS_OPTION.autoMax, await coreCount()) : requested;
  const n = Math.min(wanted, jobs);
  // One core: a worker would only add its start-up time.
  return requested === 'auto' && n < 2 ? 0 : n;
}

const yieldToEventLoop = () => new Promise((resolve) => setTimeout(resolve, 0));

// Users collected without release() still leave: the safety net that lets the last one's
// departure end the workers.
const collectedUsers = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((release) => release())
  : null;

let nextId = 1;

// A worker failure before it had instantiated the module: it did not start (train() fails with
// code 'load', saying why). After that: the worker crashed (train() fails, naming the job).
const unavailable = (error) => Object.assign(error, { workerUnavailable: true });
const crashed = (error) => Object.assign(error, { workerCrashed: true });

function notStarted(file, error, method = 'train') {
  // new URL('./train-worker.js', import.meta.url) in a bundle without import.meta (esbuild's iife).
  const noBase = error instanceof TypeError && /URL/.test(error.message)
    ? " (its address is relative to this script's, unknown in a non-module bundle such as esbuild's iife: bundle as ES modules)" : '';
  return new GmmHmmError(`${method}: the training worker (${file}) did not start: ${error?.message ?? error}${noBase}. ` +
    'Bundlers: see the README, "Bundlers"; workers: 0 trains in this thread instead', 'load', { cause: error });
}

/**
 * The training pool of one load(). `build`: { module: WebAssembly.Module | null, variant } of
 * the caller's wasm, posted to new workers (module null: they load that variant themselves);
 * `buildName`: whose Worker entry to start (worker-thread.js), `workerFile` its script (for
 * messages before a worker exists; one that exists says its own: w.file).
 */
export function createTrainingPool(build, { buildName, workerFile }) {
  const idle = [];           // ready workers, last used last
  const live = new Set();    // every worker not yet dead (idle, busy, starting)
  const runs = new Set();    // stop(reason) of each worker run in flight
  let preparing = Promise.resolve();  // prepare() calls run one after the other
  let cannotRun = false;     // no Worker constructor here: train in this thread
  let users = 0;
  let generation = 0;        // bumped by terminate(): workers started before it are not kept

  function forget(w) {
    live.delete(w);
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
  }

  // A new worker, or null where there are none; the Worker constructor refusing (a
  // SecurityError, a bad URL) is a 'load' error.
  async function spawn() {
    let w;
    try {
      w = await spawnWorker(buildName);
    } catch (error) {
      throw notStarted(workerFile, error);
    }
    if (!w) return null;
    w.onDeath = forget;
    live.add(w);
    return w;
  }

  // Puts a worker that finished its work back; with no user left it is ended instead
  // (workers that prepare() started for users to come are kept: keep = true).
  function park(w, { keep = false, since = generation } = {}) {
    w.serve(null);
    if (!w.alive) return;
    if (since !== generation || (!keep && users === 0)) {
      w.terminate();
      return;
    }
    w.unref();
    idle.push(w);
  }

  function post(w, message, transfer = []) {
    try {
      w.post({ ...message, build }, transfer);
    } catch {
      // An environment that cannot clone a WebAssembly.Module: the worker loads its own (of
      // the same variant).
      w.post({ ...message, build: build ? { module: null, variant: build.variant } : null }, transfer);
    }
  }

  // Runs `job` on `w`; resolves to the model JSON text. Rejects with the job's GmmHmmError,
  // or with an Error marked workerUnavailable / workerCrashed when the worker itself failed.
  function runOnWorker(w, job, onProgress) {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      w.serve({
        message(m) {
          if (m?.id !== id) return;
          if (m.type === 'ready') w.loaded = true;
          else if (m.type === 'progress') onProgress(m.progress);
          else if (m.type === 'result') {
            w.serve(null);
            resolve(m.json);
          } else if (m.type === 'error') {
            w.serve(null);
            reject(m.loadFailed ? unavailable(new Error(`its WebAssembly did not load (${m.message})`)) : new GmmHmmError(m.message, m.code ?? 'internal'));
          }
        },
        failure: (error) => reject(w.loaded ? crashed(error) : unavailable(error)),
      });
      w.ref();
      // The job's frames are handed over, not copied (tens of MB for a large vocabulary): a
      // job posted to a worker never runs anywhere else, and its data are its own copy.
      const { data } = job;
      const own = data?.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      post(w, { type: 'job', id, job }, own ? [data.buffer] : []);
    });
  }

  // Why the last worker did not start (its script's HTTP status, the CSP directive, the
  // module's error), for fitAsync's message.
  let startFailure = null;

  // A new worker that has instantiated the module; null where there are no workers, false
  // when one did not start (train() will say why).
  async function startReady() {
    let w;
    try {
      w = await spawn();
    } catch (error) {
      // spawn() says "<method>: the training worker … did not start: <cause>" already: keep the cause.
      startFailure = error instanceof GmmHmmError && error.code === 'load' && error.cause ? error.cause : error;
      return false;
    }
    if (!w) return null;
    return new Promise((resolve) => {
      const id = nextId++;
      const fail = (error) => {
        startFailure = error;
        w.terminate();
        resolve(false);
      };
      w.serve({
        message(m) {
          if (m?.id !== id) return;
          if (m.type === 'ready') {
            w.loaded = true;
            w.serve(null);
            resolve(w);
          } else fail(new Error(m.type === 'error' ? `its WebAssembly did not load (${m.message})` : `it answered '${m.type}' to 'load'`));
        },
        failure: fail,
      });
      w.ref();
      post(w, { type: 'load', id });
    });
  }

  async function runInThread(queue, results, { signal, runJob, report }) {
    while (queue.length > 0) {
      if (signal.aborted) throw signal.reason;
      const job = queue.shift();
      const progress = report(job);
      try {
        results.set(job, runJob(job, (p) => {
          progress(p);
          return !signal.aborted;
        }));
      } catch (error) {
        // The job stopped because the progress callback saw the signal: an abort, not a failure.
        if (signal.aborted) throw signal.reason;
        throw error;
      }
      await yieldToEventLoop();
    }
  }

  return {
    /** What new workers instantiate ({ module, variant }; also posted to listen() Workers). */
    build,

    /** A listen() session's Worker: this build's Worker entry (or the page's copy at `url`). */
    startListenWorker: (url) => startListenWorker(buildName, url),

    /**
     * `owner` (a Recognizer or a GMMHMM) starts using the workers: counted until
     * release(owner), or until it is garbage-collected without one.
     */
    acquire(owner) {
      users++;
      collectedUsers?.register(owner, () => this.release(), owner);
    },

    /** `owner` is done with them; the last user's departure ends every worker. */
    release(owner = undefined) {
      if (owner !== undefined) collectedUsers?.unregister(owner);
      users = Math.max(0, users - 1);
      if (users === 0) for (const w of [...idle]) w.terminate();
    },

    /**
     * Starts workers ahead of train() (`workers` checked by the caller): as many as train()
     * would use. Resolves to the number now idle and ready (0 where there are no workers or
     * they do not start: train() then says why).
     * keep: true (prepareWorkers()) keeps them with no user yet; false (a Recognizer's first
     * example) ends them if their Recognizer was disposed while they started.
     */
    prepare(workers, { keep = false } = {}) {
      const started = generation;
      const done = preparing.then(async () => {
        const wanted = cannotRun ? 0 : await workerCount(workers, WORKERS_OPTION.autoMax);
        const ready = await Promise.all(Array.from({ length: Math.max(0, wanted - idle.length) }, () => startReady()));
        for (const w of ready) if (w) park(w, { keep, since: started });
        if (started !== generation) return 0;  // terminate() came first
        if (wanted > 0 && ready.length > 0 && ready.every((w) => w === null) && idle.length === 0) cannotRun = true;
        return Math.min(idle.length, wanted);
      });
      preparing = done.catch(() => {});
      return done;
    },

    /**
     * Runs every job; resolves to a Map job -> model JSON text. options: { signal (aborting
     * rejects with signal.reason), workers ('auto' | n | false, checked), runJob(job,
     * progress) (synchronous, in this thread), report(job) -> progress function }.
     */
    async run(jobs, { signal, workers, runJob, report }) {
      const results = new Map();
      // Largest jobs first: they bound the total time.
      const queue = [...jobs].sort((a, b) => b.data.length - a.data.length);
      const count = cannotRun ? 0 : await workerCount(workers, queue.length);
      if (count > 0) await preparing;  // workers still starting are waited for, not doubled
      if (count === 0 || cannotRun) {
        await runInThread(queue, results, { signal, runJob, report });
        return results;
      }

      const busy = new Set();
      let stopped = null;  // why the lanes stop taking jobs (an abort or the first failure)
      const stop = (reason) => {
        stopped ??= reason;
        // Cancelling a computation in a worker means ending the worker.
        for (const w of busy) w.terminate(reason);
        busy.clear();
      };
      const onAbort = () => stop(signal.reason);
      if (signal.aborted) throw signal.reason;
      signal.addEventListener('abort', onAbort, { once: true });
      runs.add(stop);
      const since = generation;

      const lane = async () => {
        let w;
        try {
          w = idle.pop() ?? await spawn();
        } catch (error) {
          stop(error);
          return;
        }
        if (!w) {
          cannotRun = true;
          return;
        }
        if (stopped) {
          park(w, { since });
          return;
        }
        busy.add(w);
        while (queue.length > 0 && !stopped) {
          const job = queue.shift();
          try {
            results.set(job, await runOnWorker(w, job, report(job)));
          } catch (error) {
            busy.delete(w);
            if (stopped) return;
            if (error?.workerUnavailable) {
              stop(notStarted(w.file, error));
              return;
            }
            if (error?.workerCrashed) {
              // Ends the other workers too: the training has failed, nobody waits for them.
              stop(new GmmHmmError(`train: the training worker of ${job.label === null ? 'the background model' : `"${job.label}"`} ` +
                `stopped unexpectedly (${error.message}); the previous models are kept`, 'internal', { cause: error }));
              return;
            }
            stopped = error;  // the job's own error; the worker is fine
            park(w, { since });
            return;
          }
        }
        busy.delete(w);
        park(w, { since });
      };

      try {
        await Promise.all(Array.from({ length: count }, () => lane()));
        if (signal.aborted) throw signal.reason;
        if (stopped) throw stopped;
        // Workers that could not run leave their jobs to this thread.
        await runInThread(queue, results, { signal, runJob, report });
        return results;
      } finally {
        signal.removeEventListener('abort', onAbort);
        runs.delete(stop);
      }
    },

    /**
     * Up to `count` ready workers for one caller alone (the shares of a parallel fit), idle
     * ones first, new ones started as needed; fewer (none where workers cannot run) when they
     * cannot start. terminate() calls stop(reason) while they are out, the reason naming
     * `method` (the caller's, as its messages name it): the caller must then give up. Give
     * them back with giveBack(lease).
     */
    async lease(count, stop, method = 'fitAsync') {
      const terminated = () => new GmmHmmError(`${method}: the training workers were terminated (terminateWorkers())`, 'cancelled');
      const lease = { workers: [], stop: () => stop(terminated()), since: generation };
      if (cannotRun || count <= 0) return lease;
      await preparing;
      while (lease.workers.length < count && idle.length > 0) lease.workers.push(idle.pop());
      const fresh = await Promise.all(Array.from({ length: count - lease.workers.length }, () => startReady()));
      if (fresh.length > 0 && fresh.every((w) => w === null) && lease.workers.length === 0) cannotRun = true;
      for (const w of fresh) if (w) lease.workers.push(w);
      // Workers that exist but do not start: an error that says so, as for train(), not a
      // quiet fit in one thread. (Some started: the fit runs on those.) Ended while starting
      // by terminate(): the fit is cancelled, as one whose Workers it ends later.
      if (lease.workers.length === 0 && fresh.some((w) => w === false)) {
        if (lease.since !== generation) throw terminated();
        throw notStarted(workerFile, startFailure ?? new Error('it did not load its WebAssembly module'), method);
      }
      for (const w of lease.workers) w.ref();
      runs.add(lease.stop);
      if (lease.since !== generation) lease.stop();
      return lease;
    },

    /** Posts `message` to a leased worker, with this pool's build. */
    post,

    /** Takes leased workers back: the live ones wait for the next job (or end, see park()). */
    giveBack(lease) {
      runs.delete(lease.stop);
      for (const w of lease.workers) if (w.alive) park(w, { since: lease.since });
      lease.workers = [];
    },

    /**
     * Ends every worker now (train() calls using them reject with code 'cancelled'); later
     * trainings start new ones. Resolves when their threads have ended.
     */
    terminate() {
      generation++;
      const reason = new GmmHmmError('train: the training workers were terminated (terminateWorkers())', 'cancelled');
      for (const stop of [...runs]) stop(reason);
      return Promise.all([...live].map((w) => w.terminate(reason))).then(() => {});
    },

    /** Workers alive now (idle, busy or starting). */
    get size() {
      return live.size;
    },
  };
}
