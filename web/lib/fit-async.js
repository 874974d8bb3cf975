// fitAsync (GMMHMM's and the families'): Baum-Welch that leaves the event loop free between
// iterations and runs the E-step -- nearly all of the work -- on every core. The core's fit
// session (FitSessionHandle, or a family's ChainFitSessionHandle) does the M-steps here, and
// the initialisation too, but for GMMHMM's mixture initialisation (k-means or segmental,
// seconds on large data), which one Worker computes from its own copy of the frames while the
// others open their shares (the same bits as here: the same code on the same frames). The
// sequences are cut into shares of whole groups (its groupSizes()), one
// per Worker (web/lib/train-worker.js), which keeps its frames and answers every iteration's
// parameters with its groups' statistics. The statistics are summed here in group order, so
// the result is the one fit() gives, bit for bit, with any number of Workers. Only parameters
// and statistics cross per iteration (tens of kB).
//
// Without Workers (workers: 0 or false, one core, or an environment that cannot start them)
// the E-steps run here, one iteration per turn of the event loop.
import { GmmHmmError, abortError, checkSignal, describe, rejectUnknownOptions, requireOptions } from './errors.js';
import { matrixIn } from './heap.js';
import { WORKERS_OPTION, checkWorkers, workerCount } from './train-pool.js';

/** Key of the static hook that opens a share in a Worker's own module (not public API). */
export const FIT_SHARE = Symbol.for('gmmhmm.gmmhmm.fitShare');
/** Key of the static hook that runs a fit's initialisation in a Worker (not public API). */
export const FIT_INITIALISE = Symbol.for('gmmhmm.gmmhmm.fitInitialise');

const yieldToEventLoop = () => new Promise((resolve) => setTimeout(resolve, 0));

// A fit's initialisation in a Worker (the session's initialisationJob() on all of the fit's
// frames): the initialised parameters, for adoptInitialisation(). `run`: GMMHMM's
// M.runFitInitialisation, or a family's (M.runGaussianInitialisation...).
export function runInitialisation(M, { job, data, rows, cols, lengths }, callWasm, run = M.runFitInitialisation) {
  const input = matrixIn(M, data, cols, 'initialisation');
  try {
    return callWasm(M, 'fitAsync', () => run(job, input.ptr, rows, cols, lengths));
  } finally {
    input.free();
  }
}

/**
 * A share of a parallel fit in module M (the Worker side), its E-steps by ShareClass (GMMHMM's
 * M.ShareHandle, a family's M.CategoricalShareHandle...): { setup, data, rows, cols, lengths,
 * groupSizes } -> { compute(parameters) -> Float64Array, close() }. close() frees its memory.
 */
export function openShare(M, ShareClass, { setup, data, rows, cols, lengths, groupSizes }, callWasm) {
  const input = matrixIn(M, data, cols, 'share');
  let handle;
  try {
    handle = callWasm(M, 'fitAsync', () => ShareClass.create(setup, input.ptr, rows, cols, lengths, groupSizes));
  } catch (error) {
    input.free();
    throw error;
  }
  return {
    compute: (parameters) => callWasm(M, 'fitAsync', () => handle.compute(parameters)),
    close() {
      if (!handle) return;
      handle.delete();
      handle = null;
      input.free();
    },
  };
}

// Cuts groups (frames per group, in order) into at most `count` runs of consecutive groups
// with about equal frames. Returns [firstGroup, endGroup) pairs, none empty.
export function planShares(groupFrames, count) {
  const total = groupFrames.reduce((a, b) => a + b, 0);
  const shares = [];
  let first = 0;
  let done = 0;
  for (let g = 0; g < groupFrames.length; g++) {
    done += groupFrames[g];
    const left = groupFrames.length - g - 1;
    const sharesLeft = count - shares.length - 1;
    // Close the share at its fair end, or when every later share needs one of the groups left.
    if (sharesLeft > 0 && (done >= (total * (shares.length + 1)) / count || left === sharesLeft)) {
      shares.push([first, g + 1]);
      first = g + 1;
    }
  }
  if (first < groupFrames.length) shares.push([first, groupFrames.length]);
  return shares;
}

// One leased Worker holding one share of a fit of class `name`: request(message) -> its
// reply, one at a time; watch(onFailure) between requests: hears of the Worker's death.
function lane(worker, pool, name) {
  let nextId = 1;
  const stopped = (error) => new GmmHmmError(`${name}.fitAsync: a fit worker stopped unexpectedly (${error.message}); the model is unchanged`,
    'internal', { cause: error });
  return {
    worker,
    request(message, transfer = []) {
      return new Promise((resolve, reject) => {
        const id = `fit-${nextId++}`;
        worker.serve({
          message(m) {
            if (m?.id !== id || m.type === 'ready') return;
            worker.serve(null);
            if (m.type === 'error') {
              // The Worker's own callWasm named the method ('fitAsync: ...'): name the class too.
              const text = `${name}.fitAsync: ${m.message.replace(/^fitAsync: /, '')}`;
              reject(new GmmHmmError(text, m.code === 'load' ? 'internal' : m.code ?? 'internal'));
            }
            else resolve(m);
          },
          failure: (error) => reject(stopped(error)),
        });
        pool.post(worker, { ...message, id }, transfer);
      });
    },
    watch(onFailure) {
      worker.serve({ message() {}, failure: (error) => onFailure(stopped(error)) });
    },
  };
}

/**
 * The fitAsync() side of one model object (GMMHMM's, a family's): the fit in flight and
 * whether the model counts among the pool's users. `owner`: the model (the pool's key).
 */
export class AsyncFits {
  #pool;
  #owner;
  #fitting = null;     // the fitAsync() in flight: { controller, end(completed) }
  #usesPool = false;   // counted among the pool's users (until end())

  constructor(pool, owner) {
    this.#pool = pool;
    this.#owner = owner;
  }

  get busy() { return this.#fitting !== null; }
  set fitting(state) { this.#fitting = state; }

  usePool() {
    if (this.#usesPool) return;
    this.#usesPool = true;
    this.#pool.acquire(this.#owner);
  }

  // A method that changes the model cannot run while fitAsync() does; `what`: 'GMMHMM.fit'.
  requireIdle(what) {
    if (this.#fitting) throw new GmmHmmError(`${what}: the model is being fitted (fitAsync); await it or abort it first`);
  }

  // dispose(): the fit's session refers to the model, so it ends first (its fitAsync rejects
  // with code 'disposed'); the pool lets the model go.
  end() {
    if (this.#fitting) {
      this.#fitting.controller.abort(new GmmHmmError('fitAsync: the model was disposed while fitting', 'disposed'));
      this.#fitting.end(false);
    }
    if (this.#usesPool) {
      this.#usesPool = false;
      this.#pool.release(this.#owner);
    }
  }
}

/**
 * A model class's fitAsync(), from its options to the model trained or left as it was.
 * { M, pool, name ('GMMHMM': messages, and the class whose [FIT_SHARE] opens the Workers'
 * shares), options (fitAsync's, a snapshot), local (the option names handled here, not
 * training settings), training (the training controls' names, as declared), fits (the model's AsyncFits), model: { live() -> its handle (throws once
 * disposed), pack(training) -> the training options as the binding reads them, dataIn() ->
 * { input, lengths } (X copied into the heap: freed here), openSession(handle, input, lengths,
 * packed, initialiseElsewhere) -> the session (initialiseElsewhere: Workers were asked for, so
 * a costly initialisation may wait for one: runFit) }, callWasm }. Resolves when the model
 * holds the result.
 */
export async function fitAsyncRun({ M, pool, name, options, local, training: trainingOptions, fits, model, callWasm }) {
  const handle = model.live();
  // Every name the call takes in the message, its own (workers, signal...) with the training ones.
  rejectUnknownOptions(options, [...trainingOptions, ...local], `${name}.fitAsync`);
  const { onIteration } = options;
  if (onIteration !== undefined && typeof onIteration !== 'function') {
    throw new GmmHmmError(`fitAsync: onIteration must be a function, got ${describe(onIteration)}`);
  }
  const signal = checkSignal(options.signal);
  const workers = checkWorkers(options.workers === undefined ? WORKERS_OPTION.default : options.workers, 'fitAsync');
  if (fits.busy) throw new GmmHmmError('fitAsync: this model is already being fitted; await that fitAsync() (or abort it) first');
  if (signal?.aborted) throw abortError(signal, 'fitAsync');
  const training = {};
  for (const [key, value] of Object.entries(options)) if (!local.has(key)) training[key] = value;
  const packed = model.pack(training);
  const { input, lengths } = model.dataIn();
  let session;
  try {
    // With Workers, the costly initialisation (GMMHMM's k-means) runs in one of them too, so
    // that the page is not blocked for it (runFit).
    const initialiseElsewhere = workers !== 0 && workers !== false;
    session = callWasm(M, `${name}.fitAsync`, () => model.openSession(handle, input, lengths, packed, initialiseElsewhere));
  } catch (error) {
    input.free();
    throw error;
  }
  // One listener on the caller's signal for this call only; dispose() and
  // terminateWorkers() abort through the same controller.
  const controller = new AbortController();
  const forward = () => controller.abort(abortError(signal, 'fitAsync'));
  signal?.addEventListener('abort', forward, { once: true });
  let ended = false;
  const end = (completed) => {
    if (ended) return;
    ended = true;
    if (!completed) session.abandon();
    session.delete();
    input.free();
  };
  fits.fitting = { controller, end };
  if (workers) fits.usePool();
  let callbackError = null;
  const onIterationSafe = (iteration, logLikelihood, nIter) => {
    if (!onIteration) return true;
    try {
      return onIteration({ iteration, logLikelihood, nIter }) !== false;
    } catch (error) {
      callbackError = error;
      controller.abort(error);
      return false;
    }
  };
  try {
    await runFit({ M, name, session, input, lengths, pool, workers, controller, onIteration: onIterationSafe, callWasm });
    if (controller.signal.aborted) throw controller.signal.reason;
    callWasm(M, `${name}.fitAsync`, () => session.finish());
    end(true);
  } catch (error) {
    throw callbackError ?? (controller.signal.aborted ? controller.signal.reason : error);
  } finally {
    end(false);
    signal?.removeEventListener('abort', forward);
    fits.fitting = null;
  }
}

/**
 * prepareWorkers(options) of the model classes: starts the Workers of fitAsync() (shared with
 * the Recognizer's training) ahead of it. options: { workers: 'auto' | n }. Resolves to the
 * number of Workers ready (0 where they cannot run).
 */
export function prepareWorkers(pool, options) {
  const opts = requireOptions(options, 'prepareWorkers options');
  for (const key of Object.keys(opts)) {
    if (key !== WORKERS_OPTION.name) throw new GmmHmmError(`prepareWorkers options: unknown option '${key}' (expected workers)`);
  }
  return pool.prepare(opts.workers === undefined ? WORKERS_OPTION.default : checkWorkers(opts.workers, 'prepareWorkers'), { keep: true });
}

/**
 * Runs a fit session to its end. options: { M, name (the model class: its Workers' shares are
 * opened by api[name][FIT_SHARE]), session, input (X in the heap: { ptr, rows, cols }),
 * lengths (frames per sequence, or undefined: one sequence), pool, workers ('auto' | n |
 * false, checked), controller (an AbortController: aborting it rejects with its reason;
 * terminateWorkers() aborts it too), onIteration(iteration, logLikelihood, planned) -> false
 * stops after it, callWasm }. Leaves the session done (the caller calls finish() or abandon()).
 */
export async function runFit({ M, name = 'GMMHMM', session, input, lengths, pool, workers, controller, onIteration, callWasm }) {
  const { signal } = controller;
  const call = (fn) => callWasm(M, 'fitAsync', fn);
  // After every iteration; the session is not touched once the fit was aborted (dispose()
  // deletes it).
  const report = (it) => {
    if (it.completed && onIteration(it.index, it.logLikelihood, it.planned) === false && !signal.aborted) {
      call(() => session.cancel());
    }
  };
  const finished = () => {
    if (signal.aborted) throw signal.reason;
    return call(() => session.done());
  };
  const groupSizes = call(() => session.groupSizes());
  const seqLengths = lengths ? Array.from(lengths) : [input.rows];
  const groupFrames = [];
  for (let g = 0, q = 0; g < groupSizes.length; g++) {
    let frames = 0;
    for (let i = 0; i < groupSizes[g]; i++) frames += seqLengths[q++];
    groupFrames.push(frames);
  }
  const wanted = await workerCount(workers, groupSizes.length);
  if (signal.aborted) throw signal.reason;

  let lease = null;
  if (wanted > 0) {
    // terminateWorkers() or an abort ends the leased Workers (freeing their shares).
    const stop = (reason) => controller.abort(reason);
    lease = await pool.lease(wanted, stop, `${name}.fitAsync`);
  }
  try {
    if (signal.aborted) throw signal.reason;
    // An initialisation left to a Worker (GMMHMM's: a Float64Array; a family's: its model file).
    const job = session.initialisationJob ? call(() => session.initialisationJob()) : null;
    if (!lease || lease.workers.length === 0) {
      if (job?.length) call(() => session.initialiseHere());
      while (!finished()) {
        report(call(() => session.step()));
        await yieldToEventLoop();
      }
      return;
    }
    const onAbort = () => {
      for (const w of lease.workers) w.terminate(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await runWithWorkers({ M, name, session, job, input, seqLengths, groupSizes, groupFrames, pool, lease, signal, report, finished, call });
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  } finally {
    if (lease) pool.giveBack(lease);
  }
}

async function runWithWorkers({ M, name, session, job, input, seqLengths, groupSizes, groupFrames, pool, lease, signal, report, finished, call }) {
  const shares = planShares(groupFrames, lease.workers.length);
  const lanes = shares.map((_, i) => lane(lease.workers[i], pool, name));
  const guard = (promise) => promise.catch((error) => {
    throw signal.aborted ? signal.reason : error;
  });
  const setup = call(() => session.shareSetup());
  // Sequence and row ranges of each share; its frames are copied out of the heap and handed
  // over to the Worker (transferred, not copied again).
  const firstSequence = [0];
  for (const size of groupSizes) firstSequence.push(firstSequence.at(-1) + size);
  const firstRow = [0];
  for (const len of seqLengths) firstRow.push(firstRow.at(-1) + len);
  const opened = [];
  // The first Worker initialises (from a copy of all the frames), then opens its share; the
  // others open theirs meanwhile. Its wasm cannot be interrupted: when another Worker fails
  // meanwhile, it is ended at once rather than heard of when its k-means is done.
  let initialising = Boolean(job?.length);
  let lost = null;
  const stopInitialising = (error) => {
    if (!initialising) return;
    lost ??= error;
    lanes[0].worker.terminate(error);
  };
  const initialise = async () => {
    try {
      const data = M.HEAPF64.slice(input.ptr / 8, input.ptr / 8 + input.rows * input.cols);
      const message = { type: 'fit-initialise', initialisation: { model: name, job, data, rows: input.rows, cols: input.cols, lengths: seqLengths } };
      const reply = await guard(lanes[0].request(message, [data.buffer]));
      if (signal.aborted) throw signal.reason;
      call(() => session.adoptInitialisation(reply.parameters));
    } finally {
      initialising = false;
    }
  };
  try {
    // Every open is waited for, failed or not, so that `opened` lists every share to close.
    const results = await Promise.allSettled(shares.map(async ([g0, g1], i) => {
      if (i === 0 && initialising) await initialise();
      const q0 = firstSequence[g0], q1 = firstSequence[g1];
      const r0 = firstRow[q0], r1 = firstRow[q1];
      const data = M.HEAPF64.slice(input.ptr / 8 + r0 * input.cols, input.ptr / 8 + r1 * input.cols);
      const message = {
        type: 'share-open',
        share: { model: name, setup, data, rows: r1 - r0, cols: input.cols, lengths: seqLengths.slice(q0, q1), groupSizes: groupSizes.slice(g0, g1) },
      };
      try {
        await guard(lanes[i].request(message, [data.buffer]));
      } catch (error) {
        if (i > 0) stopInitialising(error);
        throw error;
      }
      opened.push(lanes[i]);
      if (i > 0 && initialising) lanes[i].watch(stopInitialising);
    }));
    if (lost) throw lost;
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    while (!finished()) {
      const parameters = call(() => session.parameters());
      const replies = await Promise.all(lanes.map((l) => guard(l.request({ type: 'share-compute', parameters }))));
      if (signal.aborted) throw signal.reason;
      let size = 0;
      for (const r of replies) size += r.statistics.length;
      const all = new Float64Array(size);
      let at = 0;
      for (const r of replies) {
        all.set(r.statistics, at);
        at += r.statistics.length;
      }
      report(call(() => session.stepWith(all)));
    }
  } finally {
    // Live Workers free their shares before they go back to the pool (dead ones freed
    // everything with their thread).
    await Promise.all(opened.filter((l) => l.worker.alive).map((l) => l.request({ type: 'share-close' }).catch(() => {
      l.worker.terminate();
    })));
  }
}
