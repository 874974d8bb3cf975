// The word recognizer in JS: collect examples, train one left-to-right GMM-HMM per word (in
// parallel Workers / worker_threads where available), classify, reject, save. All the maths
// is in wasm (cpp/src/recognizer through the recognizer section of cpp/bindings/bindings.cpp);
// this file moves data, runs the training jobs and turns results into plain JS objects.
import { GmmHmmError, abortError, callWasm, checkSignal, describe, isPlainObject, qualify, refuseExtraArguments, rejectUnknownOptions, requireNumber, requireOptions } from './errors.js';
import { fileIn } from './files.js';
import { matrixIn, matrixOut, samplesIn } from './heap.js';
import { checkLabel } from './labels.js';
import { RECOGNIZER_DISPOSED, createListener, endpointerOptionNames } from './listener.js';
import { listen as listenInBrowser } from './listen-browser.js';
import { disposeSymbol, finalizer } from './lifetime.js';
import { WORKERS_OPTION, checkWorkers } from './train-pool.js';

// How classify() and classifySync() are called (the rejection's settings are not an argument).
const CLASSIFY_USAGE = 'classify(samples, sampleRate) (the rejection\'s settings are the Recognizer\'s rejection option; a listener has its sensitivity)';

/** Key of the static hook the training worker uses to run a job in its own module. */
export const TRAIN_JOB = Symbol.for('gmmhmm.recognizer.trainJob');

// Marks the internal constructor call of fromJSON (a handle instead of options).
const FROM_HANDLE = Symbol('fromHandle');

// Options handled here rather than by the core.
const JS_OPTIONS = [WORKERS_OPTION.name];
// The option groups the core reads (cpp/src/recognizer/options.cpp), named here so that a
// typo lists every option, this layer's too.
const CORE_OPTIONS = ['features', 'word', 'background', 'rejection'];
const TRAIN_OPTIONS = ['onProgress', 'signal', 'workers'];
const PREPARE_OPTIONS = ['workers'];

// Options objects of the JS layer: a plain object (or nothing) with known keys only.
function checkKeys(options, known, name) {
  const opts = requireOptions(options, name);
  for (const key of Object.keys(opts)) {
    if (!known.includes(key)) throw new GmmHmmError(`${name}: unknown option '${key}' (expected one of ${known.join(', ')})`);
  }
  return opts;
}

/**
 * Runs one training job in module M: { kind: 'word' | 'background', label (null for the
 * background), data (Float64Array, row-major), rows, cols, lengths, groups (background
 * only), optionsJson } -> the model's JSON text. onProgress(stage, iteration, nIter,
 * logLikelihood, frames) returns false to cancel (code 'cancelled').
 */
export function runTrainJob(M, job, onProgress) {
  const { kind, data, rows, cols, lengths, groups, optionsJson, pooledVariance } = job;
  const input = matrixIn(M, data, cols, 'features');
  const callback = (stage, iteration, nIter, logLikelihood, frames) => {
    // Never let an exception cross wasm frames: a throwing callback cancels instead.
    try {
      return onProgress ? onProgress({ stage, iteration, nIter, logLikelihood, frames }) !== false : true;
    } catch {
      return false;
    }
  };
  try {
    if (kind === 'background') {
      return callWasm(M, 'train', () => M.trainBackgroundJob(input.ptr, rows, cols, Array.from(lengths), Array.from(groups), optionsJson, callback));
    }
    return callWasm(M, 'train', () => M.trainWordJob(input.ptr, rows, cols, Array.from(lengths), optionsJson, pooledVariance, callback));
  } finally {
    input.free();
  }
}

// `pool`: the load()'s training pool (train-pool.js), shared with GMMHMM.fitAsync.
export function createRecognizer(M, { pool }) {
  /**
   * A vocabulary of spoken words. See web/index.d.ts for the full contract.
   *
   * classify() result: { label, confidence, rejected, reason, scores: [{ label, logLikelihood,
   * probability, templateDistance }] (best first), likelihoodRatio, fit, templateSpreads,
   * templateMargin, acceptedByTemplates, frames, alignment: { label, states, firstFrame } }.
   */
  class Recognizer {
    #handle;
    #workers;
    #workersStarted = false;
    #usesPool = false;     // counted among the pool's users (until dispose)
    #listeners = new Set();  // listen()'s listeners still running: dispose() stops them
    #streamListeners = new Set();  // WeakRefs to createListener()'s (a dropped one is freed by its finalizer)
    #training = null;      // AbortController of the train() in flight

    /**
     * options: { features, word, background, rejection } (the core's options, see index.d.ts)
     * and `workers`: how many Workers train words in parallel (default: the number of cores,
     * at most 8; 0 or false trains in this thread).
     */
    constructor(options = {}, ...extra) {
      if (options === FROM_HANDLE) {
        const [{ handle, workers }] = extra;
        this.#workers = workers;
        this.#attach(handle);
        return;
      }
      refuseExtraArguments(extra, 'new Recognizer', 'new Recognizer(options)', 1);
      const opts = requireOptions(options, 'Recognizer options');
      rejectUnknownOptions(opts, [...JS_OPTIONS, ...CORE_OPTIONS], 'Recognizer');
      const core = {};
      for (const [key, value] of Object.entries(opts)) if (!JS_OPTIONS.includes(key)) core[key] = value;
      this.#workers = checkWorkers(opts.workers === undefined ? WORKERS_OPTION.default : opts.workers, 'Recognizer options');
      this.#attach(callWasm(M, 'Recognizer', () => M.RecognizerHandle.create(JSON.stringify(core))));
    }

    #attach(handle) {
      this.#handle = handle;
      finalizer?.register(this, handle, this);
    }

    #live() {
      if (!this.#handle) throw new GmmHmmError('this Recognizer was disposed', 'disposed');
      return this.#handle;
    }

    // The first example starts the training workers in the background (idle until train(),
    // never keeping a Node process alive), so that their start-up overlaps with collecting
    // examples instead of delaying the first train(). Not with `workers: 0`.
    #startWorkersEarly() {
      if (this.#workersStarted || !this.#workers) return;
      this.#workersStarted = true;
      this.#usePool();
      pool.prepare(this.#workers).catch(() => {});
    }

    // The words are trained on the examples they had when train() was called: a change while it
    // runs is refused at once (it used to fail the whole training when its models were installed).
    #requireNotTraining(method) {
      if (this.#training) {
        throw new GmmHmmError(`${method}: this Recognizer is training; change its examples after train() settles (or abort it first)`);
      }
    }

    #usePool() {
      if (this.#usesPool) return;
      this.#usesPool = true;
      pool.acquire(this);
    }

    /** Adds a recording of `label`: Float32Array samples in [-1, 1] at `sampleRate` Hz. */
    addExample(label, samples, sampleRate, ...extra) {
      refuseExtraArguments(extra, 'addExample', 'addExample(label, samples, sampleRate)', 3);
      const handle = this.#live();
      this.#requireNotTraining('addExample');
      const input = reading('addExample', () => {
        checkLabel(label);
        requireNumber(sampleRate, 'sampleRate');
        return samplesIn(M, samples);
      });
      try {
        callWasm(M, 'addExample', () => handle.addExample(label, input.ptr, input.length, sampleRate));
      } finally {
        input.free();
      }
      this.#startWorkersEarly();
    }

    /** Adds precomputed features of `label` (T rows × featureWidth; see `featureWidth`). */
    addFeatures(label, features, ...extra) {
      refuseExtraArguments(extra, 'addFeatures', 'addFeatures(label, features)', 2);
      const handle = this.#live();
      this.#requireNotTraining('addFeatures');
      const width = handle.featureWidth();
      const input = reading('addFeatures', () => {
        checkLabel(label);
        return matrixIn(M, features, features instanceof Float32Array || features instanceof Float64Array ? width : undefined, 'features');
      });
      try {
        callWasm(M, 'addFeatures', () => handle.addFeatures(label, input.ptr, input.rows, input.cols));
      } finally {
        input.free();
      }
      this.#startWorkersEarly();
    }

    /**
     * Forgets the examples of `label` (its trained model, if any, stays until train(), which
     * then drops it or retrains it from new examples). Returns how many examples it had: 0 for
     * a label without any (a misspelt one, or a trained word whose examples were not kept).
     */
    removeExamples(label, ...extra) {
      refuseExtraArguments(extra, 'removeExamples', 'removeExamples(label)', 1);
      reading('removeExamples', () => checkLabel(label));
      const handle = this.#live();
      this.#requireNotTraining('removeExamples');
      return callWasm(M, 'removeExamples', () => handle.removeExamples(label));
    }

    /** Labels with examples (in the order first added), then trained labels without examples. */
    get labels() {
      const handle = this.#live();
      return callWasm(M, 'labels', () => handle.labels());
    }

    /** Number of examples of `label` (0 for an unknown label). */
    exampleCount(label, ...extra) {
      refuseExtraArguments(extra, 'exampleCount', 'exampleCount(label)', 1);
      reading('exampleCount', () => checkLabel(label));
      const handle = this.#live();
      return callWasm(M, 'exampleCount', () => handle.exampleCount(label));
    }

    /**
     * The features of every example of `label`, as addExample computed them (the silence
     * trim, MFCC + deltas, normalisation): an array with one T × featureWidth matrix (arrays
     * of Float64Array rows) per example, in the order added. For other methods on the same
     * features (templates, DTW) or inspection. Throws 'invalid-argument' for a label without
     * examples.
     */
    exampleFeatures(label, ...extra) {
      refuseExtraArguments(extra, 'exampleFeatures', 'exampleFeatures(label)', 1);
      reading('exampleFeatures', () => checkLabel(label));
      const handle = this.#live();
      const { data, cols, lengths } = callWasm(M, 'exampleFeatures', () => handle.exampleFeatures(label));
      const out = [];
      let at = 0;
      for (const rows of lengths) {
        out.push(matrixOut(data.slice(at * cols, (at + rows) * cols), rows, cols));
        at += rows;
      }
      return out;
    }

    /** True once train() succeeded or the recognizer was loaded with fromJSON(). */
    get trained() {
      return this.#live().isTrained();
    }

    /** Width of a feature row (13 MFCC × (1 + delta orders) = 39 by default). */
    get featureWidth() {
      return this.#live().featureWidth();
    }

    /** { scale, samples, heldOutAccuracy, heldOutLogLoss } of the probability calibration. */
    get calibration() {
      const handle = this.#live();
      return callWasm(M, 'calibration', () => handle.calibration());
    }

    /**
     * Trains one model per label with examples (replacing any previous models), a background
     * model for rejection, and the probability calibration.
     * onProgress(event): { label, stage: 'word' | 'background', iteration (1-based), nIter,
     * logLikelihood, logLikelihoodPerFrame, frames, fraction (of the label's whole job),
     * done }; the background model reports with label null. A handler that throws stops the
     * training: train() rejects with its error and keeps the previous models.
     * signal: an AbortSignal; aborting rejects with signal.reason (an AbortError
     * DOMException by default) and keeps the previous models. It is listened to only while
     * this call runs.
     * workers: overrides the constructor's option for this call.
     * Also rejects (keeping the previous models) with code 'disposed' when dispose() is
     * called meanwhile, 'cancelled' after terminateWorkers(), 'internal' when a worker dies,
     * and at once when this Recognizer is already training.
     */
    async train(options = undefined, ...extra) {
      refuseExtraArguments(extra, 'train', 'train({ workers, signal, onProgress })', 1);
      const opts = checkKeys(options, TRAIN_OPTIONS, 'train options');
      const { onProgress } = opts;
      if (onProgress !== undefined && typeof onProgress !== 'function') {
        throw new GmmHmmError(`onProgress must be a function, got ${describe(onProgress)}`);
      }
      const signal = checkSignal(opts.signal);
      const workers = opts.workers === undefined ? this.#workers : checkWorkers(opts.workers, 'train');
      const handle = this.#live();
      if (this.#training) {
        throw new GmmHmmError('train: this Recognizer is already training; await that train() (or abort it) first');
      }
      const labels = callWasm(M, 'train', () => handle.labelsWithExamples());
      if (labels.length === 0) {
        throw new GmmHmmError('train: no examples; add examples with addExample(label, samples, sampleRate) first');
      }
      callWasm(M, 'train', () => handle.checkNothingDropped());
      if (signal?.aborted) throw abortError(signal);
      const optionsJson = callWasm(M, 'train', () => handle.optionsJson());
      // The variance prior's reference, from every word's examples (the core computes it).
      const pooledVariance = callWasm(M, 'train', () => handle.pooledVariance());
      const perLabel = labels.map((label) => ({ label, ...callWasm(M, 'train', () => handle.exampleFeatures(label)) }));
      const wordJobs = perLabel.map(({ label, data, rows, cols, lengths }) => ({
        kind: 'word', label, data, rows, cols, lengths, optionsJson, pooledVariance,
      }));
      // The background job is told apart by its kind (its label is null), never by a name
      // that a word could also have.
      const background = backgroundJob(perLabel, optionsJson);

      // One listener on the caller's signal for this call only (a signal reused for many
      // trainings collects nothing); dispose() aborts through the same controller.
      const controller = new AbortController();
      const forward = () => controller.abort(abortError(signal));
      signal?.addEventListener('abort', forward, { once: true });
      this.#training = controller;
      if (workers) this.#usePool();
      try {
        // A handler that throws stops the training, which rejects with what it threw (as
        // fitAsync's onIteration; undefined too), the previous models kept.
        let handlerFailed = false;
        let handlerError;
        const report = onProgress ? progressReporter(onProgress, (error) => {
          handlerFailed = true;
          handlerError = error;
          controller.abort(error);
        }) : null;
        let results;
        try {
          results = await pool.run([...wordJobs, background], {
            signal: controller.signal,
            workers,
            runJob: (job, progress) => runTrainJob(M, job, progress),
            report: (job) => (p) => report?.({ job, ...p }),
          });
          for (const job of wordJobs) report?.({ job, stage: 'word', done: true });
          report?.({ job: background, stage: 'background', done: true });
          if (controller.signal.aborted) throw controller.signal.reason;
        } catch (error) {
          throw handlerFailed ? handlerError : error;
        }
        // The models as the core's install() reads them: { "label": model, ... }, written as
        // text (the models already are), so no label ever becomes a key of a JS object.
        const words = `{${wordJobs.map((job) => `${JSON.stringify(job.label)}:${results.get(job)}`).join(',')}}`;
        // The recognizer may have been disposed while the jobs ran.
        const live = this.#live();
        callWasm(M, 'train', () => live.install(words, results.get(background)));
      } finally {
        signal?.removeEventListener('abort', forward);
        this.#training = null;
      }
    }

    /**
     * Classifies a recording. Resolves to { label, confidence, rejected, reason, scores,
     * likelihoodRatio, fit, templateSpreads, templateMargin, acceptedByTemplates, frames,
     * alignment }. `reason` says why a sound was rejected:
     * 'silence', 'too-short', 'too-long' (nothing was scored: label null, scores []),
     * 'not-speech' (a steady noise or hum), 'out-of-vocabulary', 'poor-fit' or 'low-confidence' (label is
     * the closest word); null when accepted.
     */
    async classify(samples, sampleRate, ...extra) {
      refuseExtraArguments(extra, 'classify', CLASSIFY_USAGE, 2);
      return this.classifySync(samples, sampleRate);
    }

    /** classify() without the Promise (for latency-critical code on the main thread). */
    classifySync(samples, sampleRate, ...extra) {
      refuseExtraArguments(extra, 'classifySync', CLASSIFY_USAGE, 2);
      const handle = this.#live();
      const input = reading('classify', () => {
        requireNumber(sampleRate, 'sampleRate');
        return samplesIn(M, samples);
      });
      try {
        return shapeResult(callWasm(M, 'classify', () => handle.classify(input.ptr, input.length, sampleRate)));
      } finally {
        input.free();
      }
    }

    /**
     * A Listener for a stream of audio: push(samples) / end(), events speechstart,
     * speechend, result, error (web/lib/listener.js). It classifies with this recognizer as
     * it is at each word (a later train() is used from then on); before training it only
     * cuts words (speechend, nextUtterance()).
     */
    createListener(options, ...extra) {
      refuseExtraArguments(extra, 'createListener', 'createListener({ sampleRate, ... })', 1);
      this.#live();
      const listener = createListener(M, {
        // Disposed: classify() then reports 'disposed' and the listener stops.
        trained: () => !this.#handle || this.#handle.isTrained(),
        requireRateServed: (sampleRate) => this.#live().requireRateServed(sampleRate),
        classify: (ptr, length, sampleRate, sensitivity) => {
          const handle = this.#live();
          return shapeResult(callWasm(M, 'classify', () => handle.classifyWithSensitivity(ptr, length, sampleRate, sensitivity)));
        },
      }, options);
      for (const ref of this.#streamListeners) if (!ref.deref() || ref.deref().state !== 'listening') this.#streamListeners.delete(ref);
      this.#streamListeners.add(new WeakRef(listener));
      return listener;
    }

    /**
     * Browsers: listens to `source` (a MediaStream, an AudioNode, or nothing: the
     * microphone; listen(options) is listen(undefined, options)) with an AudioWorklet and a
     * Worker; resolves to a listener with the events
     * of createListener() and stop() (web/lib/listen-browser.js). The Worker classifies with
     * this recognizer as trained now (listen again after a train()).
     */
    async listen(source = undefined, options = undefined, ...extra) {
      refuseExtraArguments(extra, 'listen', 'listen(source, options)', 2);
      // listen(options): the microphone, with options (a plain object is never a source).
      // (A Proxy whose getPrototypeOf trap throws is no options: listen() names it as a source.)
      let optionsFirst = false;
      try {
        optionsFirst = options === undefined && isPlainObject(source);
      } catch { /* not options */ }
      if (optionsFirst) [source, options] = [undefined, source];
      const handle = this.#live();
      const model = handle.isTrained() ? callWasm(M, 'listen', () => handle.toJson()) : null;
      const listener = await listenInBrowser({
        source, options, model, build: pool.build, startWorker: pool.startListenWorker,
        endpointerNames: endpointerOptionNames(M), onStop: (stopped) => this.#listeners.delete(stopped),
      });
      if (!this.#handle) {
        listener.stop();
        throw new GmmHmmError('listen: the Recognizer was disposed while listening started', 'disposed');
      }
      this.#listeners.add(listener);
      return listener;
    }

    /** Classifies precomputed features (T rows × featureWidth). */
    classifyFeatures(features, ...extra) {
      refuseExtraArguments(extra, 'classifyFeatures', 'classifyFeatures(features)', 1);
      const handle = this.#live();
      const width = handle.featureWidth();
      const input = reading('classifyFeatures', () =>
        matrixIn(M, features, features instanceof Float32Array || features instanceof Float64Array ? width : undefined, 'features'));
      try {
        return shapeResult(callWasm(M, 'classify', () => handle.classifyFeatures(input.ptr, input.rows, input.cols)));
      } finally {
        input.free();
      }
    }

    /** The trained recognizer as a plain JSON object ({ format: 'gmmhmm-recognizer', ... }). */
    toJSON() {
      const handle = this.#live();
      return JSON.parse(callWasm(M, 'toJSON', () => handle.toJson()));
    }

    /**
     * A trained Recognizer from toJSON()'s object (or its JSON text). Validates everything.
     * options: { workers, maxBytes } (default 64 MiB; larger files are refused before copying).
     */
    static fromJSON(json, options = {}, ...extra) {
      refuseExtraArguments(extra, 'fromJSON', 'Recognizer.fromJSON(json, options)', 2);
      const opts = requireOptions(options, 'fromJSON options');
      const workers = opts.workers === undefined ? WORKERS_OPTION.default : checkWorkers(opts.workers, 'fromJSON options');
      const file = fileIn(M, json, { what: 'recognizer JSON', context: 'fromJSON', options: opts, extra: ['workers'] });
      let handle;
      try {
        handle = callWasm(M, 'fromJSON', () => M.RecognizerHandle.fromJson(file.ptr, file.length, file.maxBytes));
      } finally {
        file.free();
      }
      return new Recognizer(FROM_HANDLE, { handle, workers });
    }

    /**
     * Frees the wasm memory now (idempotent). A train() in flight rejects with code
     * 'disposed'; the last Recognizer of this load() that used workers ends them.
     */
    dispose() {
      const handle = this.#handle;
      if (!handle) return;
      // Disposed before anything else runs: a listener's 'end' handler that calls dispose()
      // again finds nothing left to do.
      this.#handle = null;
      const usedPool = this.#usesPool;
      this.#usesPool = false;
      finalizer?.unregister(this);
      this.#training?.abort(new GmmHmmError('train: the Recognizer was disposed while training', 'disposed'));
      // As createListener()'s listeners: an 'error' event (code 'disposed'), then 'end' (stopped),
      // and the microphone, worklet and Worker released.
      const listeners = [...this.#listeners, ...[...this.#streamListeners].map((ref) => ref.deref())];
      this.#listeners.clear();
      this.#streamListeners.clear();
      for (const listener of listeners) listener?.[RECOGNIZER_DISPOSED]();
      handle.delete();
      if (usedPool) pool.release(this);
    }

    [disposeSymbol]() {
      this.dispose();
    }

    /**
     * Starts the training Workers now (e.g. while the user records examples), so that the
     * first train() does not wait for their start-up. options: { workers: 'auto' | n }.
     * Resolves to the number of workers ready (0 where workers cannot run: train() then
     * trains in this thread).
     */
    static async prepareWorkers(options = undefined, ...extra) {
      refuseExtraArguments(extra, 'Recognizer.prepareWorkers', 'prepareWorkers({ workers })', 1);
      const opts = checkKeys(options, PREPARE_OPTIONS, 'prepareWorkers options');
      return pool.prepare(opts.workers === undefined ? WORKERS_OPTION.default : checkWorkers(opts.workers, 'prepareWorkers'), { keep: true });
    }

    /** Used by the training worker (web/lib/train-worker.js); not public API. */
    static [TRAIN_JOB](job, onProgress) {
      return runTrainJob(M, job, onProgress);
    }
  }

  /**
   * Ends the training workers of this load() now (a train() using them rejects with code
   * 'cancelled'); later trainings start new ones. Resolves when their threads have ended.
   */
  const terminateWorkers = () => pool.terminate();

  return { Recognizer, terminateWorkers };
}

// The background model's job: every label's features, stacked label after label, with the
// number of examples of each label (the core picks evenly spaced examples of each).
function backgroundJob(perLabel, optionsJson) {
  let rows = 0;
  for (const p of perLabel) rows += p.rows;
  const cols = perLabel[0].cols;
  const data = new Float64Array(rows * cols);
  const lengths = [];
  const groups = [];
  let at = 0;
  for (const p of perLabel) {
    data.set(p.data, at);
    at += p.data.length;
    lengths.push(...p.lengths);
    groups.push(p.lengths.length);
  }
  return { kind: 'background', label: null, data, rows, cols, lengths, groups, optionsJson };
}

// Turns the jobs' raw progress into the public events: the word model's own iterations drive
// `iteration`/`nIter`/logLikelihood; held-out ("fold") models only advance `fraction`.
function progressReporter(onProgress, fail) {
  const state = new Map();  // per job
  let failed = false;
  return (raw) => {
    if (failed) return;
    const { label } = raw.job;
    let s = state.get(raw.job);
    if (!s) state.set(raw.job, (s = { foldIterations: 0 }));
    let event;
    if (raw.done) {
      // Without an iteration (nIter 0: initialised only) there is no log-likelihood: null.
      event = { label, stage: raw.stage, iteration: s.iteration ?? 0, nIter: s.nIter ?? 0, logLikelihood: s.logLikelihood ?? null,
        logLikelihoodPerFrame: s.perFrame ?? null, frames: s.frames ?? raw.job.rows, fraction: 1, done: true };
    } else if (raw.stage === 'fold') {
      s.foldIterations++;
      return; // folds run first and briefly; their curves are not the word's
    } else {
      Object.assign(s, { iteration: raw.iteration, nIter: raw.nIter, logLikelihood: raw.logLikelihood, frames: raw.frames,
        perFrame: raw.logLikelihood / raw.frames });
      event = { label, stage: raw.stage, iteration: raw.iteration, nIter: raw.nIter, logLikelihood: raw.logLikelihood,
        logLikelihoodPerFrame: raw.logLikelihood / raw.frames, frames: raw.frames,
        fraction: Math.min(1, raw.iteration / raw.nIter), done: false };
    }
    try {
      onProgress(event);
    } catch (error) {
      failed = true;
      fail(error);
    }
  };
}

// What a method reads of its arguments (checks, copies into the heap): its errors named
// "<method>: ..." as the engine's are.
function reading(method, fn) {
  try {
    return fn();
  } catch (error) {
    throw qualify(error, method);
  }
}

function shapeResult(r) {
  const states = r.alignment;
  return {
    label: r.label,
    confidence: r.confidence,
    rejected: r.rejected,
    reason: r.reason,
    scores: r.scores,
    likelihoodRatio: r.likelihoodRatio,
    fit: r.fit,
    templateSpreads: r.templateSpreads,
    templateMargin: r.templateMargin,
    acceptedByTemplates: r.acceptedByTemplates,
    frames: r.frames,
    // Viterbi state per scored frame (10 ms) of the best word; frames start at firstFrame of
    // the untrimmed recording (the silence trim may have cut leading frames).
    alignment: r.label === null ? null : { label: r.label, states, firstFrame: r.firstFrame },
  };
}
