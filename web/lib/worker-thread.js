// One training worker (web/lib/train-worker.js) behind one interface for Web Workers and
// Node's worker_threads, with a lifecycle the pool can rely on:
//  - `alive` turns false exactly once (it exited, crashed, failed to start, or was
//    terminated), and then the handler of the job it was serving hears about it, so that no
//    job waits for a worker that is gone;
//  - `serve(handler)` / `serve(null)`: one handler at a time, dropped when the job settles, so
//    an idle worker holds nothing of the last job (its features, its promise);
//  - `terminate()` resolves once the thread has ended.

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

/** A new TrainingWorker, or null where workers cannot be created (no Worker constructor). */
export async function spawnWorker() {
  if (isNode) {
    const name = 'node:worker_threads';
    const { Worker: NodeWorker } = await import(/* @vite-ignore */ name);
    const file = './train-worker.js';
    return new TrainingWorker(nodeThread(new NodeWorker(new URL(file, import.meta.url))));
  }
  if (typeof Worker !== 'function') return null;
  // Written out literally so that bundlers (Vite) find and bundle the worker.
  return new TrainingWorker(webThread(new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' })));
}

// The raw thread: { post, ref, unref, terminate() -> Promise, wire(onMessage, onDeath) }.
function nodeThread(w) {
  return {
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

function webThread(w) {
  let exit = () => {};
  return {
    post: (message, transfer) => w.postMessage(message, transfer),
    ref: () => {},
    unref: () => {},
    terminate: () => {
      w.terminate();  // synchronous in browsers: no 'exit' event follows
      exit();
      return Promise.resolve();
    },
    wire(onMessage, onDeath, onExit) {
      exit = onExit;
      w.onmessage = (event) => onMessage(event.data);
      w.onmessageerror = () => onDeath(new Error('a message from the training worker could not be read'));
      // A worker that cannot start (CSP, no module workers) or threw: unusable from here on.
      w.onerror = (event) => {
        event.preventDefault?.();
        onDeath(new Error(event.message || 'the training worker failed'));
      };
    },
  };
}

export class TrainingWorker {
  #thread;
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
