// One training worker (web/lib/train-worker.js) behind one interface for Web Workers and
// Node's worker_threads, with a lifecycle the pool can rely on:
//  - `alive` turns false exactly once (it exited, crashed, failed to start, or was
//    terminated), and then the handler of the job it was serving hears about it, so that no
//    job waits for a worker that is gone;
//  - `serve(handler)` / `serve(null)`: one handler at a time, dropped when the job settles, so
//    an idle worker holds nothing of the last job (its features, its promise);
//  - `terminate()` resolves once the thread has ended.

// How to start a build's worker threads ('#training-workers' startTrainingWorker: a Web Worker
// or a worker_threads Worker behind { file, post, ref, unref, terminate() -> Promise,
// wire(onMessage, onDeath, onExit) }; startListenWorker), registered by the build's entry point
// (web/index.js, web/words.js) rather than imported here: a worker's own bundle must not
// contain the code that starts it (bundlers such as Vite refuse a worker that starts itself).
// Kept per build (its name, full-build.js / words-build.js): in Node one process may import
// both entries, and each build's module must go to its own Worker entry.
const starters = new Map();
export function useTrainingWorkers(buildName, start, listen = () => null) {
  starters.set(buildName, { start, listen });
}

/** A Worker for a listen() session of the build (its Worker entry), or null where there is none. */
export function startListenWorker(buildName, url) {
  return starters.get(buildName)?.listen(url) ?? null;
}

/** A new TrainingWorker of the build, or null where workers cannot be created (no Worker constructor). */
export async function spawnWorker(buildName) {
  const thread = await starters.get(buildName)?.start();
  return thread ? new TrainingWorker(thread) : null;
}

export class TrainingWorker {
  #thread;
  /** The worker's script, for error messages. */
  file;
  #handler = null;
  #exited;
  /** False once the worker is gone (never true again). */
  alive = true;
  /** True once it has instantiated the module (it answered 'ready'): a failure after this is a crash. */
  loaded = false;
  /** Called once when the worker dies (the pool forgets it). */
  onDeath = null;

  constructor(thread) {
    this.#thread = thread;
    this.file = thread.file ?? 'train-worker.js';
    let exited;
    this.#exited = new Promise((resolve) => { exited = resolve; });
    thread.wire((message) => this.#handler?.message(message), (error) => this.#die(error), exited);
  }

  /** handler: { message(data), failure(error) } for the job now posted; null when idle. */
  serve(handler) {
    this.#handler = handler;
    if (handler && !this.alive) this.#fail(handler, new Error('the training worker has stopped'));
  }

  /** transfer: ArrayBuffers handed over with the message (no copy). */
  post(message, transfer = []) {
    this.#thread.post(message, transfer);
  }

  /** While a job runs the worker keeps a Node process alive; idle, it never does. */
  ref() { this.#thread.ref(); }
  unref() { this.#thread.unref(); }

  /** Stops the thread (the job it serves fails with `reason`); resolves when it has ended. */
  terminate(reason = new Error('the training worker was terminated')) {
    this.#die(reason);
    return this.#exited;
  }

  #die(error) {
    if (!this.alive) return;
    this.alive = false;
    const handler = this.#handler;
    this.#handler = null;
    this.onDeath?.(this);
    if (handler) this.#fail(handler, error);
    // A worker that died by itself is still terminated, so that its thread surely ends.
    this.#thread.terminate();
  }

  #fail(handler, error) {
    handler.failure(error instanceof Error ? error : new Error(String(error)));
  }
}
