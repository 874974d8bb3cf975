// class CategoricalHMM: hmmlearn's CategoricalHMM (integer symbols) in JavaScript, with
// GMMHMM's conventions (web/lib/gmmhmm.js). All the maths runs in wasm (cpp/src/families
// through the `categorical` section of cpp/bindings/bindings.cpp); this file turns symbols
// into heap arrays, results into typed arrays and nested arrays, and every failure into a
// GmmHmmError. Whether the symbols are integers in range is checked once, in wasm.
import { GmmHmmError, callWasm, describe, requireOptions } from './errors.js';
import { fileIn } from './files.js';
import { elementsOf, matrixIn, matrixOut, typedArrayKind } from './heap.js';
import { disposeSymbol, finalizer } from './lifetime.js';
import { fitOptions, flattenNumbers, lengthsArray, nest, readingInputs, rejectUnknownOptions } from './gmmhmm.js';

// fit() options handled here; the others are training controls, read (and refused when
// unknown) in wasm.
const FIT_LOCAL = new Set(['lengths', 'onIteration', 'signal']);
const DATA_OPTIONS = ['lengths'];
const DECODE_OPTIONS = ['lengths', 'algorithm'];
const SAMPLE_OPTIONS = ['seed', 'currstate'];

const isRow = (v) => Array.isArray(v) || ArrayBuffer.isView(v);

// The symbols of X as a Float64Array: X holds T symbols (number[] or a typed array) or T rows
// of one symbol ((T, 1), hmmlearn's shape). Every element is read once.
function symbolsIn(X, method) {
  const kind = typedArrayKind(X);
  if (kind) {
    if (kind.startsWith('Big')) throw new GmmHmmError(`${method}: X is a ${kind}: give the symbols as numbers (number[], Int32Array, Float64Array...)`);
    return new Float64Array(X);  // through the engine's slots: no iterator, no getter
  }
  if (!Array.isArray(X)) {
    throw new GmmHmmError(`${method}: X must be the symbols (an array or typed array of integers, shape (T) or (T, 1)), got ${describe(X)}`);
  }
  const items = elementsOf(X, 'X');
  const rows = items.length > 0 && isRow(items[0]);
  const out = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) {
    let value = items[i];
    if (isRow(value) !== rows) {
      throw new GmmHmmError(`${method}: X[${i}] is ${describe(value)} where X[0] is ${rows ? 'a row' : 'a symbol'} (shape (T) or (T, 1), not both)`);
    }
    if (rows) {
      const rowKind = typedArrayKind(value);
      if (rowKind?.startsWith('Big')) throw new GmmHmmError(`${method}: X[${i}] is a ${rowKind}: give the symbols as numbers`);
      const row = rowKind ? Array.from(new Float64Array(value)) : elementsOf(value, `X[${i}]`);
      if (row.length !== 1) throw new GmmHmmError(`${method}: X[${i}] has ${row.length} values: a row of X holds one symbol (shape (T, 1))`);
      [value] = row;
    }
    if (typeof value !== 'number') throw new GmmHmmError(`${method}: X[${i}] must be a number (a symbol), got ${describe(value)}`);
    out[i] = value;
  }
  return out;
}

export function createCategoricalHMM(M) {
  class CategoricalHMM {
    #handle;

    /**
     * options: { nStates, nFeatures (the number of symbols; default: the largest symbol of the
     * first fit + 1), nIter, tol, seed, params, initParams (letters s t e), startprobPrior,
     * transmatPrior, emissionprobPrior }
     */
    constructor(options = {}, handle = undefined) {
      if (handle === undefined) {
        const opts = requireOptions(options, 'CategoricalHMM options');
        handle = callWasm(M, 'CategoricalHMM', () => M.CategoricalHmmHandle.create(opts));
      }
      this.#handle = handle;
      finalizer?.register(this, this.#handle, this);
    }

    /**
     * A model from toJSON() output, its JSON text, or a dump of hmmlearn's attributes
     * ({ startprob_, transmat_, emissionprob_, n_features }). options: { maxBytes }.
     */
    static fromJSON(json, options = undefined) {
      const file = fileIn(M, json, { what: 'model JSON', context: 'CategoricalHMM.fromJSON', options });
      try {
        return new CategoricalHMM(undefined, callWasm(M, 'CategoricalHMM.fromJSON',
          () => M.CategoricalHmmHandle.fromJson(file.ptr, file.length, file.maxBytes)));
      } finally {
        file.free();
      }
    }

    #live(method) {
      if (!this.#handle) throw new GmmHmmError(`CategoricalHMM.${method}: the model was disposed`, 'disposed');
      return this.#handle;
    }

    // Runs fn(handle, ptr, rows, 1, lengths, options) with the symbols copied into the heap;
    // options (a snapshot) may only have the names in `knownOptions` (null: any).
    #withData(method, X, second, fn, knownOptions = DATA_OPTIONS) {
      const handle = this.#live(method);
      const { symbols, lengths, options } = readingInputs(method, () => {
        let opts = Object.create(null);
        let lengthsGiven = second;
        if (second && typeof second === 'object' && !Array.isArray(second) && !ArrayBuffer.isView(second)) {
          opts = second;
          if (knownOptions) rejectUnknownOptions(opts, knownOptions, method);
          lengthsGiven = opts.lengths;
        }
        return { symbols: symbolsIn(X, method), lengths: lengthsArray(M, lengthsGiven, method), options: opts };
      });
      const input = matrixIn(M, symbols, 1, 'X');
      try {
        return callWasm(M, `CategoricalHMM.${method}`, () => fn(handle, input.ptr, input.rows, input.cols, lengths ?? undefined, options));
      } finally {
        input.free();
      }
    }

    // The options object of a method that takes (X, lengths) or (X, { ...options }), read once.
    static #options(second, method) {
      return second && typeof second === 'object' && !Array.isArray(second) && !ArrayBuffer.isView(second)
        ? fitOptions(second, method) : second;
    }

    /**
     * Baum-Welch. fit(X, lengths) or fit(X, { lengths, nIter, tol, params, initParams, seed,
     * startprobPrior, transmatPrior, emissionprobPrior, onIteration, signal }). X: integer
     * symbols, shape (T) or (T, 1), several sequences concatenated and described by lengths.
     * onIteration({ iteration, logLikelihood, nIter }) returning false (or aborting `signal`)
     * stops, keeping the last complete iteration. Returns this.
     */
    fit(X, lengthsOrOptions = undefined) {
      const options = fitOptions(lengthsOrOptions, 'fit');
      const { onIteration, signal } = options;
      if (onIteration !== undefined && typeof onIteration !== 'function') {
        throw new GmmHmmError(`fit: onIteration must be a function, got ${describe(onIteration)}`);
      }
      if (signal !== undefined && readingInputs('fit', () => typeof signal?.aborted !== 'boolean')) {
        throw new GmmHmmError(`fit: signal must be an AbortSignal, got ${describe(signal)}`);
      }
      if (signal?.aborted) throw new GmmHmmError('fit: cancelled (the AbortSignal was already aborted)', 'cancelled');
      const training = {};
      for (const [key, value] of Object.entries(options)) if (!FIT_LOCAL.has(key)) training[key] = value;
      let callbackError = null;
      // A user callback never throws through wasm frames: the error is kept, the fit cancelled.
      const progress = (onIteration || signal) ? (iteration, logLikelihood, nIter) => {
        try {
          if (signal?.aborted) return false;
          return onIteration ? onIteration({ iteration, logLikelihood, nIter }) !== false : true;
        } catch (error) {
          callbackError = error;
          return false;
        }
      } : undefined;
      this.#withData('fit', X, options, (h, ptr, rows, cols, lengths) => h.fit(ptr, rows, cols, lengths, training, progress), null);
      if (callbackError) throw callbackError;
      return this;
    }

    /** Total log-likelihood of X (-Infinity when no path of the model explains a sequence). */
    score(X, lengths = undefined) {
      return this.#withData('score', X, CategoricalHMM.#options(lengths, 'score'), (h, p, r, c, l) => h.score(p, r, c, l));
    }

    /** Log-likelihood of every sequence: Float64Array. */
    scorePerSequence(X, lengths = undefined) {
      return this.#withData('scorePerSequence', X, CategoricalHMM.#options(lengths, 'scorePerSequence'),
        (h, p, r, c, l) => h.scorePerSequence(p, r, c, l));
    }

    /** { logLikelihood, posteriors } with posteriors T rows (Float64Array) of nStates. */
    scoreSamples(X, lengths = undefined) {
      const result = this.#withData('scoreSamples', X, CategoricalHMM.#options(lengths, 'scoreSamples'),
        (h, p, r, c, l) => h.scoreSamples(p, r, c, l));
      const { data, rows, cols } = result.posteriors;
      return { logLikelihood: result.logLikelihood, posteriors: matrixOut(data, rows, cols) };
    }

    /**
     * decode(X, lengths) or decode(X, { lengths, algorithm }): { logLikelihood, states:
     * Int32Array }; algorithm 'viterbi' (default) or 'map', as GMMHMM's.
     */
    decode(X, lengthsOrOptions = undefined) {
      return this.#withData('decode', X, CategoricalHMM.#options(lengthsOrOptions, 'decode'),
        (h, p, r, c, l, { algorithm = 'viterbi' }) => h.decode(p, r, c, l, algorithm), DECODE_OPTIONS);
    }

    /** Most likely state of every frame (Viterbi path): Int32Array. */
    predict(X, lengths = undefined) {
      return this.#withData('predict', X, CategoricalHMM.#options(lengths, 'predict'), (h, p, r, c, l) => h.decode(p, r, c, l, 'viterbi')).states;
    }

    /** State posteriors: T rows (Float64Array) of nStates. */
    predictProba(X, lengths = undefined) {
      return this.scoreSamples(X, lengths).posteriors;
    }

    /**
     * n frames from the model: { X: Int32Array of n symbols, states: Int32Array }. options:
     * { seed (default 0), currstate (the first frame's state; default: drawn from startprob) }.
     */
    sample(n, options = undefined) {
      const handle = this.#live('sample');
      const opts = requireOptions(options, 'sample options');
      rejectUnknownOptions(opts, SAMPLE_OPTIONS, 'sample');
      const { seed = 0, currstate } = opts;
      if (typeof n !== 'number') throw new GmmHmmError(`sample: n must be a positive integer, got ${describe(n)}`);
      if (typeof seed !== 'number') throw new GmmHmmError(`sample: seed must be an integer in [0, 2^53 - 1] (exact in a JS number), got ${describe(seed)}`);
      return callWasm(M, 'CategoricalHMM.sample', () => handle.sample(n, seed, currstate));
    }

    aic(X, lengths = undefined) {
      return this.#withData('aic', X, CategoricalHMM.#options(lengths, 'aic'), (h, p, r, c, l) => h.aic(p, r, c, l));
    }

    bic(X, lengths = undefined) {
      return this.#withData('bic', X, CategoricalHMM.#options(lengths, 'bic'), (h, p, r, c, l) => h.bic(p, r, c, l));
    }

    /** π with π = π·transmat, Σπ = 1 (number[]): as GMMHMM's (docs/hmmlearn.md). */
    stationaryDistribution() {
      const handle = this.#live('stationaryDistribution');
      return Array.from(callWasm(M, 'CategoricalHMM.stationaryDistribution', () => handle.stationaryDistribution()));
    }

    /** Free parameters (structural zeros of the chain excluded; N·(nFeatures − 1) emissions). */
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
      const p = callWasm(M, `CategoricalHMM.${name}`, () => handle.getParam(name));
      return nest(p.data, p.shape);
    }

    #setParam(name, value) {
      const handle = this.#live(name);
      const flat = flattenNumbers(value, name);
      callWasm(M, `CategoricalHMM.${name}`, () => handle.setParam(name, flat));
    }

    // Parameters in hmmlearn's shapes as nested arrays; assignable (nested arrays or typed
    // arrays, validated in wasm: shapes, finiteness, rows summing to 1 within 1e-6).
    /** Initial state probabilities: nStates. */
    get startprob() { return this.#getParam('startprob'); }
    set startprob(value) { this.#setParam('startprob', value); }
    /** Transition probabilities: nStates × nStates (zeros are structural). */
    get transmat() { return this.#getParam('transmat'); }
    set transmat(value) { this.#setParam('transmat', value); }
    /** Emission probabilities: nStates × nFeatures (setting it fixes nFeatures if unknown). */
    get emissionprob() { return this.#getParam('emissionprob'); }
    set emissionprob(value) { this.#setParam('emissionprob', value); }

    #info() {
      return this.#live('info').info();
    }

    get nStates() { return this.#info().nStates; }
    /** The number of symbols (0 until known). */
    get nFeatures() { return this.#info().nFeatures; }
    /** True once every parameter has a value (after fit, fromJSON or setting them all). */
    get fitted() { return this.#info().fitted; }
    /** The model's settings: sizes and training controls. */
    get config() { return this.#info(); }

    /** A copy of the model (independent wasm object). */
    clone() {
      const handle = this.#live('clone');
      return new CategoricalHMM(undefined, callWasm(M, 'CategoricalHMM.clone', () => handle.clone()));
    }

    /** The model file: { format: 'gmmhmm-categorical-hmm', version: 1, ... } (JSON-serialisable). */
    toJSON() {
      const handle = this.#live('toJSON');
      return JSON.parse(callWasm(M, 'CategoricalHMM.toJSON', () => handle.toJson()));
    }

    /** Frees the wasm memory of this model. Further use throws; calling twice is harmless. */
    dispose() {
      if (!this.#handle) return;
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
  return CategoricalHMM;
}
