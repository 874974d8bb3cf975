// class GMMHMM: hmmlearn's GMMHMM in JavaScript. All the maths runs in wasm
// (cpp/src/model through the `model` section of cpp/bindings/bindings.cpp); this file turns
// JS data into heap matrices, results into typed arrays and nested arrays, and every failure
// into a GmmHmmError.
import { GmmHmmError, callWasm, describe, qualify, rejectUnknownOptions, requireOptions, refuseExtraArguments } from './errors.js';
import { fileIn } from './files.js';
import { AsyncFits, FIT_INITIALISE, FIT_SHARE, fitAsyncRun, openShare, prepareWorkers, runInitialisation } from './fit-async.js';
import { elementsOf, matrixIn, matrixOut, numbersIn, requireSampledRows, typedArrayKind } from './heap.js';
import { disposeSymbol, finalizer } from './lifetime.js';
import { WORKERS_OPTION } from './train-pool.js';
import { defineHmmlearnNames, defineTrainingProperties, refuseReadOnlyAssignments, requireSetValue, trainingNames } from './training-properties.js';
import { requireParameterShape } from './parameter-shapes.js';

// The first argument of the private construction from a wasm handle (fromJSON, clone): a user's
// second argument is refused, never taken for a handle.
const FROM_HANDLE = Symbol('from a wasm handle');

// fit() options that are training settings (passed to wasm); the others are handled here.
const FIT_LOCAL = new Set(['lengths', 'onIteration', 'signal', 'nFeatures']);
// The options of the methods that read data (fit's are checked in wasm, with the training
// settings): unknown names are refused, naming these.
const DATA_OPTIONS = ['lengths', 'nFeatures'];
const DECODE_OPTIONS = [...DATA_OPTIONS, 'algorithm'];
const SAMPLE_OPTIONS = ['seed', 'currstate'];
// fitAsync() takes these too.
const FIT_ASYNC_LOCAL = new Set([...FIT_LOCAL, WORKERS_OPTION.name]);

/** Key of the benchmarks' switch of the engine's speed levers (bench/em.bench.js; not public API). */
export const TUNING = Symbol.for('gmmhmm.tuning');

// fit(X, lengths) or fit(X, { lengths, ... }): the options object (read once, a plain snapshot).
// These input helpers are shared with the other model classes (categorical.js).
export function fitOptions(lengthsOrOptions, method) {
  return lengthsOrOptions && typeof lengthsOrOptions === 'object' && !Array.isArray(lengthsOrOptions) &&
    !ArrayBuffer.isView(lengthsOrOptions) ? requireOptions(lengthsOrOptions, `${method} options`) : { lengths: lengthsOrOptions };
}

// fit()'s onIteration and signal (shared with the other model classes, chain-model.js): checks
// them and returns the progress function the binding calls after every iteration (undefined
// when neither is given; false cancels) and, once the fit returns, the error a callback threw.
// A user callback never throws through wasm frames: the error is kept, the fit cancelled, and
// the caller rethrows it.
export function fitCallbacks(options) {
  const { onIteration, signal } = options;
  if (onIteration !== undefined && typeof onIteration !== 'function') {
    throw new GmmHmmError(`fit: onIteration must be a function, got ${describe(onIteration)}`);
  }
  if (signal !== undefined && readingInputs('fit', () => typeof signal?.aborted !== 'boolean')) {
    throw new GmmHmmError(`fit: signal must be an AbortSignal, got ${describe(signal)}`);
  }
  if (signal?.aborted) throw new GmmHmmError('fit: cancelled (the AbortSignal was already aborted)', 'cancelled');
  const callbacks = { progress: undefined, error: null };
  if (onIteration || signal) {
    callbacks.progress = (iteration, logLikelihood, nIter) => {
      try {
        if (signal?.aborted) return false;
        const goOn = onIteration ? onIteration({ iteration, logLikelihood, nIter }) !== false : true;
        // An abort from within onIteration (a button's handler run by it, say) stops here too,
        // not one iteration later.
        return goOn && !signal?.aborted;
      } catch (error) {
        callbacks.error = error;
        return false;
      }
    };
  }
  return callbacks;
}

// True when X is a list of sequences: [[row, row...], [row...]] (each sequence an array of
// rows, a row an array or a typed array).
export function isSequenceList(X) {
  if (!Array.isArray(X) || X.length === 0 || !Array.isArray(X[0])) return false;
  // The first sequence may be empty (joinSequences names it): the first non-empty one tells.
  const sequence = X[0].length > 0 ? X[0] : X.find((q) => Array.isArray(q) && q.length > 0);
  const first = sequence?.[0];
  return Array.isArray(first) || (ArrayBuffer.isView(first) && !(first instanceof DataView));
}

// Concatenates a list of sequences into rows + lengths (every element read once). The rows'
// shape is checked here, so that a message names the row in its sequence (X[1][0], not its
// place among all rows); their values are checked where they are read.
export function joinSequences(list) {
  const rows = [];
  const lengths = [];
  let width;
  elementsOf(list, 'X').forEach((sequence, i) => {
    if (!Array.isArray(sequence)) {
      throw new GmmHmmError(`X[${i}] must be a sequence (an array of rows), got ${describe(sequence)}`);
    }
    const sequenceRows = elementsOf(sequence, `X[${i}]`);
    if (sequenceRows.length === 0) throw new GmmHmmError(`X[${i}] is an empty sequence: every sequence needs at least one frame`);
    sequenceRows.forEach((row, t) => {
      if (!Array.isArray(row) && !(ArrayBuffer.isView(row) && !(row instanceof DataView))) {
        throw new GmmHmmError(`X[${i}][${t}] must be a row (an array of numbers), got ${describe(row)}`);
      }
      width ??= { length: row.length, at: `X[${i}][${t}]` };
      if (row.length !== width.length) {
        throw new GmmHmmError(`X[${i}][${t}] has ${row.length} values, expected ${width.length} like ${width.at}`);
      }
      rows.push(row);
    });
    lengths.push(sequenceRows.length);
  });
  return { rows, lengths };
}

// lengths as the binding takes them: undefined or a Float64Array (read once, numbers only).
export function lengthsArray(M, lengths, method) {
  if (lengths === undefined || lengths === null) return undefined;
  if (!Array.isArray(lengths) && !ArrayBuffer.isView(lengths)) {
    throw new GmmHmmError(`${method}: lengths must be an array of positive integers, got ${describe(lengths)}`);
  }
  return numbersIn(M, lengths, 'lengths');
}


// Whatever user code throws while its inputs are read (a getter, a Proxy trap) becomes a
// GmmHmmError naming the method; nothing has been allocated at that point.
export function readingInputs(method, fn) {
  try {
    return fn();
  } catch (error) {
    if (error instanceof GmmHmmError) throw error;
    throw new GmmHmmError(`${method}: the input could not be read: ${error?.message ?? error}`, 'invalid-argument', { cause: error });
  }
}

// Nested arrays of `shape` from a flat typed array.
export function nest(data, shape) {
  if (shape.length === 1) return Array.from(data);
  const stride = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Array(shape[0]);
  for (let i = 0; i < shape[0]; i++) out[i] = nest(data.subarray(i * stride, (i + 1) * stride), shape.slice(1));
  return out;
}

// Flattens nested arrays / typed arrays of numbers into { values: Float64Array, shape: the
// lengths at each depth }, every element read once (holes, BigInts and objects with a valueOf
// are errors naming where they are).
export function flattenNumbers(value, name) {
  const out = [];
  // Nested arrays must be rectangular (as the priors' packArray): a ragged row would otherwise
  // shift every later value into the wrong row whenever the total count happens to match.
  const shape = [];
  let leafDepth = -1;  // the depth of the numbers, once one is seen
  const rectangular = (path, depth, length) => {
    if (leafDepth !== -1 && depth >= leafDepth) throw new GmmHmmError(`${name}: ${path} is an array where the other rows hold numbers (nested arrays must be rectangular)`);
    if (shape.length === depth) shape.push(length);
    if (length !== shape[depth]) throw new GmmHmmError(`${name}: ${path} has length ${length}, expected ${shape[depth]} as the rows before it (nested arrays must be rectangular)`);
  };
  const number = (v, path, depth) => {
    if (leafDepth === -1) leafDepth = depth;
    if (depth !== leafDepth) throw new GmmHmmError(`${name}: ${path} is a number where the other rows hold arrays (nested arrays must be rectangular)`);
    out.push(v);
  };
  const walk = (v, path, depth) => {
    if (depth > 8) throw new GmmHmmError(`${name}: nested deeper than any parameter shape`);
    if (typeof v === 'number') { number(v, path, depth); return; }
    const kind = typedArrayKind(v);
    if (kind && !kind.startsWith('Big')) {
      const values = new Float64Array(v);  // through the engine's slots: no iterator, no getter
      rectangular(path, depth, values.length);
      for (let i = 0; i < values.length; i++) number(values[i], `${path}[${i}]`, depth + 1);
      return;
    }
    if (Array.isArray(v)) {
      const items = elementsOf(v, path);
      rectangular(path, depth, items.length);
      for (let i = 0; i < items.length; i++) walk(items[i], `${path}[${i}]`, depth + 1);
      return;
    }
    throw new GmmHmmError(`${name}: ${path} must be a number or an array, got ${describe(v)}`);
  };
  readingInputs(name, () => walk(value, name, 0));
  return { values: Float64Array.from(out), shape };
}

// An option given as an array (a prior per state or entry, as hmmlearn takes them) as the
// binding reads it: [shape, values], two Float64Arrays (cpp/bindings/bindings.cpp,
// readPrior). Nested arrays must be rectangular; the engine checks that the shape broadcasts
// to the parameter's and names the option. `value` comes from an options snapshot.
function packArray(value, name) {
  const shape = [];
  const values = [];
  let leafDepth = -1;  // the depth of the numbers, once one is seen
  const walk = (v, path, depth) => {
    if (typeof v === 'number') {
      if (leafDepth === -1) leafDepth = depth;
      if (depth !== leafDepth || depth !== shape.length) throw new GmmHmmError(`${path} is a number where the array needs an array (nested arrays must be rectangular)`);
      values.push(v);
      return;
    }
    const kind = typedArrayKind(v);
    const items = kind && !kind.startsWith('Big') ? Float64Array.from(v) : Array.isArray(v) ? v : null;
    if (!items) throw new GmmHmmError(`${path} must be a number or an array, got ${describe(v)}`);
    if (depth > 8) throw new GmmHmmError(`${path}: nested deeper than any parameter shape`);
    if (leafDepth !== -1 && depth >= leafDepth) throw new GmmHmmError(`${path} is an array where the array needs a number (nested arrays must be rectangular)`);
    if (shape.length === depth) shape.push(items.length);
    if (items.length !== shape[depth]) throw new GmmHmmError(`${path} has length ${items.length}, expected ${shape[depth]} (nested arrays must be rectangular)`);
    items.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
  };
  walk(value, name, 0);
  return [Float64Array.from(shape), Float64Array.from(values)];
}

// The options as the binding reads them: prior arrays packed (packArray), the rest as given.
// `priorOptions`: the options that may be arrays, as the core declares them (priorOptions(),
// through the binding's optionDeclarations()): only these are packed, so that a misspelt name
// or an array given for another option is worded by the core's own checks. `context` starts
// the messages of the errors found here, as callWasm's do.
export function wasmOptions(options, priorOptions, context) {
  const out = Object.create(null);
  for (const [key, value] of Object.entries(options)) {
    const packs = priorOptions.has(key) && (Array.isArray(value) || ArrayBuffer.isView(value));
    try {
      out[key] = packs ? packArray(value, key) : value;
    } catch (error) {
      throw error instanceof GmmHmmError ? new GmmHmmError(`${context}: ${error.message}`, error.code) : error;
    }
  }
  return out;
}

// `pool`: the load()'s Workers (train-pool.js), for fitAsync.
export function createGMMHMM(M, { pool }) {
  const declarations = M.optionDeclarations();
  const priorOptions = new Set(declarations.priors);
  const trainingOptions = trainingNames(declarations, 'model', declarations.priors);
  class GMMHMM {
    #handle;
    #fits = new AsyncFits(pool, this);  // fitAsync()'s state (fit-async.js)

    /**
     * options: { nStates, nMix, nFeatures, covarianceType ('diag'|'full'|'spherical'|'tied'),
     * topology ('ergodic'|'left-right'|'custom'), maxJump, endInLastState, nIter, tol,
     * minCovar, varianceFloorFraction, seed, params, initParams, init ('auto'|'kmeans'|
     * 'segmental'), nInit, mixtureSplitting, splitIterations, startprobPrior, transmatPrior,
     * weightsPrior, meansPrior, meansWeight, covarsPrior, covarsWeight } (each prior a number
     * or, as in hmmlearn, an array broadcastable to its parameter's shape: docs/hmmlearn.md)
     */
    constructor(options = {}, ...extra) {
      let handle;
      if (options === FROM_HANDLE) {
        [handle] = extra;
      } else {
        refuseExtraArguments(extra, 'new GMMHMM', 'new GMMHMM(options)', 1);
        const packed = wasmOptions(requireOptions(options, 'GMMHMM options'), priorOptions, 'GMMHMM');
        handle = callWasm(M, 'GMMHMM', () => M.GmmHmmHandle.create(packed));
      }
      this.#handle = handle;
      finalizer?.register(this, this.#handle, this);
    }

    /**
     * A model from toJSON() output, its JSON text, or an hmmlearn-style dump. options:
     * { maxBytes } (default 64 MiB): larger files are refused before they are copied.
     */
    static fromJSON(json, options = undefined, ...extra) {
      refuseExtraArguments(extra, 'GMMHMM.fromJSON', 'fromJSON(json, { maxBytes })', 2);
      const file = fileIn(M, json, { what: 'model JSON', context: 'GMMHMM.fromJSON', options });
      try {
        return new GMMHMM(FROM_HANDLE, callWasm(M, 'GMMHMM.fromJSON', () => M.GmmHmmHandle.fromJson(file.ptr, file.length, file.maxBytes)));
      } finally {
        file.free();
      }
    }

    #live(method) {
      if (!this.#handle) throw new GmmHmmError(`GMMHMM.${method}: the model was disposed`, 'disposed');
      return this.#handle;
    }

    // A method that changes the model cannot run while fitAsync() does.
    #idle(method) {
      this.#fits.requireIdle(`GMMHMM.${method}`);
    }

    // Runs fn(handle, ptr, rows, cols, lengths, options) with X copied into the heap; options
    // (a snapshot) may only have the names in `knownOptions`.
    #withData(method, X, second, fn, knownOptions = DATA_OPTIONS) {
      const handle = this.#live(method);
      const { input, lengths, options } = this.#dataIn(method, X, second, knownOptions);
      try {
        return callWasm(M, `GMMHMM.${method}`, () => fn(handle, input.ptr, input.rows, input.cols, lengths, options));
      } finally {
        input.free();
      }
    }

    // X in the heap: { input: { ptr, rows, cols, free() }, lengths, options } (the caller frees
    // it). knownOptions: the option names allowed (null: any, for fit, whose wasm checks them).
    #dataIn(method, X, second, knownOptions = null) {
      try {
        return this.#readData(method, X, second, knownOptions);
      } catch (error) {
        throw qualify(error, `GMMHMM.${method}`);
      }
    }

    #readData(method, X, second, knownOptions) {
      const known = this.nFeatures || undefined;
      const { data, lengths, nFeatures, options } = readingInputs(method, () => {
        let lengthsGiven;
        let width;
        let opts = Object.create(null);
        if (second && typeof second === 'object' && !Array.isArray(second) && !ArrayBuffer.isView(second)) {
          opts = requireOptions(second, `${method} options`);
          if (knownOptions) rejectUnknownOptions(opts, knownOptions, method);
          ({ lengths: lengthsGiven, nFeatures: width } = opts);
        } else {
          lengthsGiven = second;
        }
        if (!isSequenceList(X)) return { data: X, lengths: lengthsArray(M, lengthsGiven, method), nFeatures: width, options: opts };
        if (lengthsGiven !== undefined) throw new GmmHmmError(`${method}: give either a list of sequences or X with lengths, not both`);
        const joined = joinSequences(X);
        return { data: joined.rows, lengths: lengthsArray(M, joined.lengths, method), nFeatures: width, options: opts };
      });
      const input = matrixIn(M, data, nFeatures ?? (ArrayBuffer.isView(data) ? known : (known && Array.isArray(data) && data.length === 0 ? known : undefined)), 'X');
      if (known && input.rows > 0 && input.cols !== known) {
        input.free();
        throw new GmmHmmError(`${method}: X has rows of ${input.cols} features but the model has nFeatures = ${known}`);
      }
      return { input, lengths: lengths ?? undefined, options };
    }

    /**
     * Baum-Welch. fit(X, lengths) or fit(X, { lengths, nIter, tol, params, initParams,
     * minCovar, ..., onIteration, signal }) or fit([seq1, seq2, ...]). onIteration receives
     * { iteration, logLikelihood, nIter } after every iteration; returning false (or aborting
     * `signal`) stops training, keeping the last complete iteration. Returns this.
     */
    fit(X, lengthsOrOptions = undefined, ...extra) {
      refuseExtraArguments(extra, 'GMMHMM.fit', "fit(X, lengths) or fit(X, { lengths, ...options })", 2);
      this.#idle('fit');
      const options = fitOptions(lengthsOrOptions, 'fit');
      rejectUnknownOptions(options, [...trainingOptions, ...FIT_LOCAL], 'GMMHMM.fit');
      const callbacks = fitCallbacks(options);
      const training = {};
      for (const [key, value] of Object.entries(options)) if (!FIT_LOCAL.has(key)) training[key] = value;
      const packed = wasmOptions(training, priorOptions, 'GMMHMM.fit');
      this.#withData('fit', X, options, (h, ptr, rows, cols, lengths) => h.fit(ptr, rows, cols, lengths, packed, callbacks.progress), null);
      if (callbacks.error) throw callbacks.error;
      return this;
    }

    /**
     * fit() without blocking: resolves to this once trained. The same options as fit(), and
     * workers ('auto': one Worker per core, at most 8 (default); n; 0 or false: in this
     * thread): the E-steps run in that many Workers (worker_threads in Node), each on a share
     * of the sequences (whole sequences: fewer sequences than Workers use fewer Workers), with
     * the same result as fit(), bit for bit. Between iterations the event loop runs, so that
     * `signal` can be aborted by a timer or a button: aborting rejects with signal.reason (an
     * AbortError by default) and leaves the model as it was; onIteration returning false stops
     * after that iteration, keeping it (as fit() does). Also rejects, leaving the model
     * unchanged, with code 'disposed' when dispose() is called meanwhile, 'cancelled' after
     * terminateWorkers(), 'internal' when a Worker dies, at once while another fitAsync() of
     * this model runs, and with what onIteration throws. Methods that change the model throw
     * while it runs; the others see the parameters from before it.
     */
    async fitAsync(X, lengthsOrOptions = undefined, ...extra) {
      refuseExtraArguments(extra, 'GMMHMM.fitAsync', "fitAsync(X, lengths) or fitAsync(X, { lengths, ...options })", 2);
      const options = fitOptions(lengthsOrOptions, 'fitAsync');
      await fitAsyncRun({
        M, pool, name: 'GMMHMM', options, local: FIT_ASYNC_LOCAL, training: trainingOptions, fits: this.#fits, callWasm,
        model: {
          live: () => this.#live('fitAsync'),
          pack: (training) => wasmOptions(training, priorOptions, 'GMMHMM.fitAsync'),
          dataIn: () => this.#dataIn('fitAsync', X, options),
          openSession: (handle, input, lengths, packed, initialiseElsewhere) =>
            M.FitSessionHandle.create(handle, input.ptr, input.rows, input.cols, lengths, packed, initialiseElsewhere),
        },
      });
      return this;
    }

    /**
     * Starts the Workers of fitAsync() (and of the Recognizer's training) now, so that the
     * first fitAsync() does not wait for their start-up. options: { workers: 'auto' | n }.
     * Resolves to the number of Workers ready (0 where they cannot run).
     */
    static async prepareWorkers(options = undefined, ...extra) {
      refuseExtraArguments(extra, 'GMMHMM.prepareWorkers', 'prepareWorkers({ workers })', 1);
      return prepareWorkers(pool, options);
    }

    /** Used by the fit Workers (web/lib/train-worker.js); not public API. */
    static [FIT_SHARE](share) {
      return openShare(M, M.ShareHandle, share, callWasm);
    }

    /** Used by the fit Workers: a fit's mixture initialisation (fit-async.js); not public API. */
    static [FIT_INITIALISE](initialisation) {
      return runInitialisation(M, initialisation, callWasm);
    }

    /** Total log-likelihood of X (-Infinity when no path of the model explains a sequence). */
    score(X, lengths = undefined, ...extra) {
      refuseExtraArguments(extra, 'GMMHMM.score', "score(X, lengths)", 2);
      return this.#withData('score', X, lengths, (h, p, r, c, l) => h.score(p, r, c, l));
    }

    /** Log-likelihood of every sequence: Float64Array. */
    scorePerSequence(X, lengths = undefined, ...extra) {
      refuseExtraArguments(extra, 'GMMHMM.scorePerSequence', "scorePerSequence(X, lengths)", 2);
      return this.#withData('scorePerSequence', X, lengths, (h, p, r, c, l) => h.scorePerSequence(p, r, c, l));
    }

    /** { logLikelihood, posteriors } with posteriors T rows (Float64Array) of nStates. */
    scoreSamples(X, lengths = undefined, ...extra) {
      refuseExtraArguments(extra, 'GMMHMM.scoreSamples', "scoreSamples(X, lengths)", 2);
      const result = this.#withData('scoreSamples', X, lengths, (h, p, r, c, l) => h.scoreSamples(p, r, c, l));
      const { data, rows, cols } = result.posteriors;
      return { logLikelihood: result.logLikelihood, posteriors: matrixOut(data, rows, cols) };
    }

    /**
     * decode(X, lengths) or decode(X, { lengths, nFeatures, algorithm }): { logLikelihood,
     * states: Int32Array }. algorithm 'viterbi' (default): the most probable path and its
     * log-probability. 'map' (hmmlearn's): the most probable state of every frame on its own,
     * and, as hmmlearn returns, the sum over frames of that state's posterior.
     */
    decode(X, lengthsOrOptions = undefined, ...extra) {
      refuseExtraArguments(extra, 'GMMHMM.decode', "decode(X, lengths) or decode(X, { lengths, algorithm }) (hmmlearn's decode(X, lengths, algorithm))", 2);
      // The algorithm's name is checked in wasm (with the names it knows).
      return this.#withData('decode', X, lengthsOrOptions,
        (h, p, r, c, l, { algorithm = 'viterbi' }) => h.decode(p, r, c, l, algorithm), DECODE_OPTIONS);
    }

    /** Most likely state of every frame (Viterbi path): Int32Array. */
    predict(X, lengths = undefined, ...extra) {
      refuseExtraArguments(extra, 'GMMHMM.predict', "predict(X, lengths)", 2);
      return this.#withData('predict', X, lengths, (h, p, r, c, l) => h.decode(p, r, c, l, 'viterbi')).states;
    }

    /** State posteriors: T rows (Float64Array) of nStates. */
    predictProba(X, lengths = undefined, ...extra) {
      refuseExtraArguments(extra, 'GMMHMM.predictProba', "predictProba(X, lengths)", 2);
      const result = this.#withData('predictProba', X, lengths, (h, p, r, c, l) => h.scoreSamples(p, r, c, l));
      return matrixOut(result.posteriors.data, result.posteriors.rows, result.posteriors.cols);
    }

    /** log p(x_t | state) for every frame and state: T rows (Float64Array) of nStates. */
    emissionLogLikelihoods(X, lengths = undefined, ...extra) {
      refuseExtraArguments(extra, 'GMMHMM.emissionLogLikelihoods', "emissionLogLikelihoods(X, lengths)", 2);
      const m = this.#withData('emissionLogLikelihoods', X, lengths, (h, p, r, c, l) => h.emissionLogLikelihoods(p, r, c, l));
      return matrixOut(m.data, m.rows, m.cols);
    }

    /**
     * n frames from the model: { X: n rows (Float64Array), states: Int32Array }. options:
     * { seed (default 0), currstate (the first frame's state; default: drawn from startprob) }.
     */
    sample(n, options = undefined, ...extra) {
      refuseExtraArguments(extra, 'GMMHMM.sample', "sample(n, { seed, currstate })", 2);
      const handle = this.#live('sample');
      const opts = requireOptions(options, 'sample options');
      rejectUnknownOptions(opts, SAMPLE_OPTIONS, 'sample');
      const { seed = 0, currstate } = opts;
      if (typeof n !== 'number') throw new GmmHmmError(`sample: n must be a positive integer, got ${describe(n)}`);
      if (typeof seed !== 'number') throw new GmmHmmError(`sample: seed must be an integer in [0, 2^53 - 1] (exact in a JS number), got ${describe(seed)}`);
      requireSampledRows(n, 'GMMHMM.sample');
      const result = callWasm(M, 'GMMHMM.sample', () => handle.sample(n, seed, currstate));
      return { X: matrixOut(result.X.data, result.X.rows, result.X.cols), states: result.states };
    }

    aic(X, lengths = undefined, ...extra) {

      refuseExtraArguments(extra, 'GMMHMM.aic', "aic(X, lengths)", 2);
      return this.#withData('aic', X, lengths, (h, p, r, c, l) => h.aic(p, r, c, l));
    }

    bic(X, lengths = undefined, ...extra) {

      refuseExtraArguments(extra, 'GMMHMM.bic', "bic(X, lengths)", 2);
      return this.#withData('bic', X, lengths, (h, p, r, c, l) => h.bic(p, r, c, l));
    }

    /**
     * hmmlearn's get_stationary_distribution(): π with π = π·transmat, Σπ = 1 (number[] of
     * nStates). Unique for an irreducible chain; for a reducible one (left-right...) the
     * long-run average distribution of the chain started from startprob (docs/hmmlearn.md).
     */
    stationaryDistribution(...extra) {
      refuseExtraArguments(extra, 'GMMHMM.stationaryDistribution', 'stationaryDistribution()', 0);
      const handle = this.#live('stationaryDistribution');
      return Array.from(callWasm(M, 'GMMHMM.stationaryDistribution', () => handle.stationaryDistribution()));
    }

    /** Free parameters (structural zeros excluded; N·(M−1) mixture weights). */
    get nFreeParameters() {
      return this.#live('nFreeParameters').nFreeParameters();
    }

    /** { history: number[], iterations, converged, cancelled } of the last fit(). */
    get monitor() {
      const m = this.#live('monitor').monitor();
      return { history: Array.from(m.history), iterations: m.iterations, converged: m.converged, cancelled: m.cancelled };
    }

    #getParam(name) {
      const handle = this.#live(name);
      const p = callWasm(M, `GMMHMM.${name}`, () => handle.getParam(name));
      return nest(p.data, p.shape);
    }

    #setParam(name, value) {
      const handle = this.#live(name);
      this.#idle(name);
      let flat;
      try {
        const { values, shape } = flattenNumbers(value, name);
        requireParameterShape('GMMHMM', name, shape, handle.info(false));
        flat = values;
      } catch (error) {
        throw qualify(error, `GMMHMM.${name}`);
      }
      callWasm(M, `GMMHMM.${name}`, () => handle.setParam(name, flat));
    }

    // model.nIter = 100 and every other training control (training-properties.js).
    #setting(name) {
      this.#live(name);
      return this.config[name];
    }

    #setTraining(name, value) {
      const handle = this.#live(name);
      this.#idle(name);
      requireSetValue('GMMHMM', name, value);
      const packed = wasmOptions({ [name]: value }, priorOptions, `GMMHMM.${name}`);
      callWasm(M, `GMMHMM.${name}`, () => handle.setTraining(packed));
    }

    static {
      defineTrainingProperties(GMMHMM, 'GMMHMM', trainingOptions,
        (model, name) => model.#setting(name), (model, name, value) => model.#setTraining(name, value));
      defineHmmlearnNames(GMMHMM, 'GMMHMM', {
        options: [...trainingOptions, 'nStates', 'nMix', 'nFeatures', 'covarianceType'],
        parameters: ['startprob', 'transmat', 'weights', 'means', 'covars'],
      });
      refuseReadOnlyAssignments(GMMHMM, 'GMMHMM', ['nStates', 'nMix', 'nFeatures', 'covarianceType', 'topology', 'maxJump', 'endInLastState']);
    }

    // Parameters in hmmlearn's shapes as nested arrays; assignable (validated in wasm:
    // shapes, finiteness, sums to 1 within 1e-6, positive definiteness).
    /** Initial state probabilities: nStates. */
    get startprob() { return this.#getParam('startprob'); }
    set startprob(value) { this.#setParam('startprob', value); }
    /** Transition probabilities: nStates × nStates (zeros are structural). */
    get transmat() { return this.#getParam('transmat'); }
    set transmat(value) { this.#setParam('transmat', value); }
    /** Mixture weights: nStates × nMix. */
    get weights() { return this.#getParam('weights'); }
    set weights(value) { this.#setParam('weights', value); }
    /** Component means: nStates × nMix × nFeatures. */
    get means() { return this.#getParam('means'); }
    set means(value) { this.#setParam('means', value); }
    /** Covariances: diag N×M×D, full N×M×D×D, spherical N×M, tied N×D×D. */
    get covars() { return this.#getParam('covars'); }
    set covars(value) { this.#setParam('covars', value); }

    // `what`: the property read (named if the model was disposed).
    #info(what, withPriors = false) {
      const handle = this.#live(what);
      return handle.info(withPriors);
    }

    get nStates() { return this.#info('nStates').nStates; }
    get nMix() { return this.#info('nMix').nMix; }
    get nFeatures() { return this.#info('nFeatures').nFeatures; }
    get covarianceType() { return this.#info('covarianceType').covarianceType; }
    get topology() { return this.#info('topology').topology; }
    get maxJump() { return this.#info('maxJump').maxJump; }
    get endInLastState() { return this.#info('endInLastState').endInLastState; }
    /** True once every parameter has a value (after fit, fromJSON or setting them all). */
    get fitted() { return this.#info('fitted').fitted; }
    /** The model's settings (sizes, topology, training controls, priors: numbers or nested arrays). */
    get config() {
      const info = this.#info('config', true);
      for (const [key, value] of Object.entries(info)) if (value && typeof value === 'object') info[key] = nest(value.data, value.shape);
      return info;
    }

    /** A copy of the model (independent wasm object). */
    clone(...extra) {
      refuseExtraArguments(extra, 'GMMHMM.clone', 'clone()', 0);
      const handle = this.#live('clone');
      return new GMMHMM(FROM_HANDLE, callWasm(M, 'GMMHMM.clone', () => handle.clone()));
    }

    /** The model file: { format: 'gmmhmm-model', version: 1, ... } (JSON-serialisable). */
    toJSON() {
      const handle = this.#live('toJSON');
      return JSON.parse(callWasm(M, 'GMMHMM.toJSON', () => handle.toJson()));
    }

    /** Frees the wasm memory of this model. Further use throws; calling twice is harmless. */
    dispose() {
      if (!this.#handle) return;
      this.#fits.end();  // the fit in flight first: its session refers to the model
      finalizer?.unregister(this);
      this.#handle.delete();
      this.#handle = null;
    }

    [disposeSymbol]() {
      this.dispose();
    }

    get disposed() {
      return !this.#handle;
    }
  }

  // The class, and the benchmarks' switch (Symbol-keyed, not public API).
  return { GMMHMM, [TUNING]: (options) => callWasm(M, 'tuning', () => M.setTuning(options)) };
}
