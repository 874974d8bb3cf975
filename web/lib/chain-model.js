// The model class every hmmlearn family shares (CategoricalHMM, PoissonHMM,
// MultinomialHMM, GaussianHMM): one JavaScript class per family over its wasm handle
// (ChainHmmHandle<Traits>, cpp/bindings/bindings.cpp), with GMMHMM's conventions
// (web/lib/gmmhmm.js). All the maths and every check of the frames' values run in wasm; this
// file turns inputs into heap arrays, results into typed arrays and nested arrays, and every
// failure into a GmmHmmError. A family (categorical.js, counts.js) gives:
//   name        'PoissonHMM' (messages, the class's name)
//   handle      its embind class (M.PoissonHmmHandle)
//   framesIn    (M, X, method, nFeatures()) -> { ptr, rows, cols, free() }: X read once into the heap
//               (nFeatures(): the model's, for a flat typed array of frames)
//   framesOut   the sampled frames as the binding returns them -> what sample() returns
//   sampledRows true when framesOut gives one array per row (sample() then caps n: heap.js)
//   emission    the family's parameter ('emissionprob', 'lambdas'), or its parameters (['means', 'covars'])
//   sizes       extra sizes of config shown as getters (['nTrials'])
//   sequenceLists  true: X may also be a list of sequences of rows ([[row, row], [row]]), as
//               GMMHMM's (not for symbols: a list of symbol arrays reads as hmmlearn's (T, 1))
import { GmmHmmError, callWasm, describe, qualify, rejectUnknownOptions, requireOptions, refuseExtraArguments } from './errors.js';
import { fileIn } from './files.js';
import { AsyncFits, FIT_INITIALISE, FIT_SHARE, fitAsyncRun, openShare, prepareWorkers, runInitialisation } from './fit-async.js';
import { matrixOut, requireSampledRows } from './heap.js';
import { requireParameterShape } from './parameter-shapes.js';
import { disposeSymbol, finalizer } from './lifetime.js';
import { defineHmmlearnNames, defineTrainingProperties, refuseReadOnlyAssignments, requireSetValue, trainingNames } from './training-properties.js';
import { fitCallbacks, fitOptions, flattenNumbers, isSequenceList, joinSequences, lengthsArray, nest, readingInputs, wasmOptions } from './gmmhmm.js';

// The first argument of the private construction from a wasm handle (fromJSON, clone): a user's
// second argument is refused, never taken for a handle.
const FROM_HANDLE = Symbol('from a wasm handle');

// fit() options handled here; the others are training controls, read in wasm. An unknown
// name is refused here first, listing these and the declared controls (fit, fitAsyncRun).
const FIT_LOCAL = new Set(['lengths', 'onIteration', 'signal']);
const FIT_ASYNC_LOCAL = new Set([...FIT_LOCAL, 'workers']);
const DATA_OPTIONS = ['lengths'];
const DECODE_OPTIONS = ['lengths', 'algorithm'];
const SAMPLE_OPTIONS = ['seed', 'currstate'];

const isOptionsObject = (v) => v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);

// The options that may be arrays (priors per state or entry), as the families' declarations
// mark them; an array given for another option is refused by the core's own checks.
function arrayOptions(M) {
  const names = new Set();
  for (const section of Object.values(M.optionDeclarations())) {
    if (Array.isArray(section)) for (const d of section) if (d?.array) names.add(d.name);
  }
  return names;
}

// A prior as info() gives it (a number, or { data, shape }) as the user gave it: a number or nested arrays.
const priorOut = (v) => (v && typeof v === 'object' && v.shape ? nest(v.data, v.shape) : v);

// `pool`: the load()'s Workers (train-pool.js), for fitAsync.
export function createChainModelClass(M, family, { pool }) {
  const { name, handle: Handle, framesIn, framesOut, sampledRows = false, emission } = family;
  const priors = arrayOptions(M);
  // The families whose frames are rows of nFeatures values (those that take lists of
  // sequences) read a flat typed array with { nFeatures } too, as GMMHMM does.
  const width = family.sequenceLists ? ['nFeatures'] : [];
  const dataOptions = [...DATA_OPTIONS, ...width];
  const decodeOptions = [...DECODE_OPTIONS, ...width];
  const fitLocal = new Set([...FIT_LOCAL, ...width]);
  const fitAsyncLocal = new Set([...FIT_ASYNC_LOCAL, ...width]);
  // The family's training controls, as the core declares them (its section: 'CategoricalHMM' -> 'categorical').
  const trainingOptions = trainingNames(M.optionDeclarations(), name.slice(0, -'HMM'.length).toLowerCase());
  // The fit session and the Workers' shares of this family (cpp/bindings: 'CategoricalHMM' ->
  // ChainFitSessionHandle.createCategorical, ChainShareHandle.createCategorical).
  const create = `create${name.slice(0, -'HMM'.length)}`;
  const openSession = (...args) => M.ChainFitSessionHandle[create](...args);
  // A Worker's part of fitAsync's initialisation (M.runCategoricalInitialisation...).
  const runFamilyInitialisation = (...args) => M[`run${name.slice(0, -'HMM'.length)}Initialisation`](...args);
  const ShareClass = { create: (...args) => M.ChainShareHandle[create](...args) };

  class ChainModel {
    #handle;
    #fits = new AsyncFits(pool, this);  // fitAsync()'s state (fit-async.js)

    constructor(options = {}, ...extra) {
      let handle;
      if (options === FROM_HANDLE) {
        [handle] = extra;
      } else {
        refuseExtraArguments(extra, `new ${name}`, `new ${name}(options)`, 1);
        const opts = wasmOptions(requireOptions(options, `${name} options`), priors, name);
        handle = callWasm(M, name, () => Handle.create(opts));
      }
      this.#handle = handle;
      finalizer?.register(this, this.#handle, this);
    }

    /** A model from toJSON() output, its JSON text, or a dump of hmmlearn's attributes. options: { maxBytes }. */
    static fromJSON(json, options = undefined, ...extra) {
      refuseExtraArguments(extra, `${name}.fromJSON`, 'fromJSON(json, { maxBytes })', 2);
      const file = fileIn(M, json, { what: 'model JSON', context: `${name}.fromJSON`, options });
      try {
        return new ChainModel(FROM_HANDLE, callWasm(M, `${name}.fromJSON`, () => Handle.fromJson(file.ptr, file.length, file.maxBytes)));
      } finally {
        file.free();
      }
    }

    #live(method) {
      if (!this.#handle) throw new GmmHmmError(`${name}.${method}: the model was disposed`, 'disposed');
      return this.#handle;
    }

    // A method that changes the model cannot run while fitAsync() does.
    #idle(method) {
      this.#fits.requireIdle(`${name}.${method}`);
    }

    // Runs fn(handle, ptr, rows, cols, lengths, options) with the frames copied into the heap;
    // options (a snapshot) may only have the names in `knownOptions` (null: any).
    #withData(method, X, second, fn, knownOptions = dataOptions) {
      const handle = this.#live(method);
      const { input, lengths, options } = this.#dataIn(method, X, second, knownOptions);
      try {
        return callWasm(M, `${name}.${method}`, () => fn(handle, input.ptr, input.rows, input.cols, lengths ?? undefined, options));
      } finally {
        input.free();
      }
    }

    // X in the heap: { input: { ptr, rows, cols, free() }, lengths, options } (the caller frees it).
    #dataIn(method, X, second, knownOptions) {
      try {
        return this.#readData(method, X, second, knownOptions);
      } catch (error) {
        throw qualify(error, `${name}.${method}`);
      }
    }

    #readData(method, X, second, knownOptions) {
      const handle = this.#live(method);
      const { frames, lengths, options } = readingInputs(method, () => {
        let opts = Object.create(null);
        let lengthsGiven = second;
        if (isOptionsObject(second)) {
          opts = second;
          if (knownOptions) rejectUnknownOptions(opts, knownOptions, method);
          lengthsGiven = opts.lengths;
          if (opts.nFeatures !== undefined && !(Number.isInteger(opts.nFeatures) && opts.nFeatures > 0)) {
            throw new GmmHmmError(`${method}: nFeatures must be a positive integer, got ${describe(opts.nFeatures)}`);
          }
        }
        if (!family.sequenceLists || !isSequenceList(X)) return { frames: X, lengths: lengthsArray(M, lengthsGiven, method), options: opts };
        if (lengthsGiven !== undefined && lengthsGiven !== null) {
          throw new GmmHmmError(`${method}: give either a list of sequences or X with lengths, not both`);
        }
        const joined = joinSequences(X);
        return { frames: joined.rows, lengths: lengthsArray(M, joined.lengths, method), options: opts };
      });
      // Last: nothing else can fail once the frames are in the heap. A flat typed array's row
      // width: the nFeatures given with it, else the model's.
      const rowWidth = () => options.nFeatures ?? handle.info(false).nFeatures;
      return { input: framesIn(M, frames, method, rowWidth), lengths, options };
    }

    // The options object of a method that takes (X, lengths) or (X, { ...options }), read once.
    static #options(second, method) {
      return isOptionsObject(second) ? fitOptions(second, method) : second;
    }

    /**
     * Baum-Welch. fit(X, lengths) or fit(X, { lengths, nIter, tol, params, initParams, seed,
     * the priors, onIteration, signal }). onIteration({ iteration, logLikelihood, nIter })
     * returning false (or aborting `signal`) stops, keeping the last complete iteration.
     */
    fit(X, lengthsOrOptions = undefined, ...extra) {
      refuseExtraArguments(extra, `${name}.fit`, "fit(X, lengths) or fit(X, { lengths, ...options })", 2);
      this.#idle('fit');
      const options = fitOptions(lengthsOrOptions, 'fit');
      rejectUnknownOptions(options, [...trainingOptions, ...fitLocal], `${name}.fit`);
      const callbacks = fitCallbacks(options);
      const given = {};
      for (const [key, value] of Object.entries(options)) if (!fitLocal.has(key)) given[key] = value;
      const training = wasmOptions(given, priors, `${name}.fit`);
      this.#withData('fit', X, options, (h, ptr, rows, cols, lengths) => h.fit(ptr, rows, cols, lengths, training, callbacks.progress), null);
      if (callbacks.error) throw callbacks.error;
      return this;
    }

    /**
     * fit() without blocking, as GMMHMM.fitAsync: the same options as fit(), and workers
     * ('auto' (default): one Worker per core, at most 8; n; 0 or false: in this thread). The
     * E-steps run in the Workers, each on a share of the sequences, with the result of fit(),
     * bit for bit; between iterations the event loop runs. Aborting `signal` rejects with its
     * reason and leaves the model as it was; onIteration returning false stops after that
     * iteration, keeping it. Methods that change the model throw while it runs.
     */
    async fitAsync(X, lengthsOrOptions = undefined, ...extra) {
      refuseExtraArguments(extra, `${name}.fitAsync`, "fitAsync(X, lengths) or fitAsync(X, { lengths, ...options })", 2);
      const options = fitOptions(lengthsOrOptions, 'fitAsync');
      await fitAsyncRun({
        M, pool, name, options, local: fitAsyncLocal, training: trainingOptions, fits: this.#fits, callWasm,
        model: {
          live: () => this.#live('fitAsync'),
          pack: (training) => wasmOptions(training, priors, `${name}.fitAsync`),
          dataIn: () => this.#dataIn('fitAsync', X, options, null),
          openSession: (handle, input, lengths, packed, initialiseElsewhere) =>
            openSession(handle, input.ptr, input.rows, input.cols, lengths ?? undefined, packed, initialiseElsewhere),
        },
      });
      return this;
    }

    /** Starts fitAsync()'s Workers ahead of it, as GMMHMM.prepareWorkers (the same pool). */
    static async prepareWorkers(options = undefined, ...extra) {
      refuseExtraArguments(extra, `${name}.prepareWorkers`, 'prepareWorkers({ workers })', 1);
      return prepareWorkers(pool, options);
    }

    /** Used by the fit Workers (web/lib/train-worker.js); not public API. */
    static [FIT_SHARE](share) {
      return openShare(M, ShareClass, share, callWasm);
    }

    /** Used by the fit Workers: the initialisation of a fit (GaussianHMM's k-means...); not public API. */
    static [FIT_INITIALISE](initialisation) {
      return runInitialisation(M, initialisation, callWasm, runFamilyInitialisation);
    }

    /** Total log-likelihood of X (-Infinity when no path of the model explains a sequence). */
    score(X, lengths = undefined, ...extra) {
      refuseExtraArguments(extra, `${name}.score`, "score(X, lengths)", 2);
      return this.#withData('score', X, ChainModel.#options(lengths, 'score'), (h, p, r, c, l) => h.score(p, r, c, l));
    }

    /** Log-likelihood of every sequence: Float64Array. */
    scorePerSequence(X, lengths = undefined, ...extra) {
      refuseExtraArguments(extra, `${name}.scorePerSequence`, "scorePerSequence(X, lengths)", 2);
      return this.#withData('scorePerSequence', X, ChainModel.#options(lengths, 'scorePerSequence'),
        (h, p, r, c, l) => h.scorePerSequence(p, r, c, l));
    }

    /** { logLikelihood, posteriors } with posteriors T rows (Float64Array) of nStates. */
    scoreSamples(X, lengths = undefined, ...extra) {
      refuseExtraArguments(extra, `${name}.scoreSamples`, "scoreSamples(X, lengths)", 2);
      const result = this.#withData('scoreSamples', X, ChainModel.#options(lengths, 'scoreSamples'),
        (h, p, r, c, l) => h.scoreSamples(p, r, c, l));
      const { data, rows, cols } = result.posteriors;
      return { logLikelihood: result.logLikelihood, posteriors: matrixOut(data, rows, cols) };
    }

    /** decode(X, lengths) or decode(X, { lengths, algorithm: 'viterbi' | 'map' }): { logLikelihood, states }. */
    decode(X, lengthsOrOptions = undefined, ...extra) {
      refuseExtraArguments(extra, `${name}.decode`, "decode(X, lengths) or decode(X, { lengths, algorithm }) (hmmlearn's decode(X, lengths, algorithm))", 2);
      return this.#withData('decode', X, ChainModel.#options(lengthsOrOptions, 'decode'),
        (h, p, r, c, l, { algorithm = 'viterbi' }) => h.decode(p, r, c, l, algorithm), decodeOptions);
    }

    /** Most likely state of every frame (Viterbi path): Int32Array. */
    predict(X, lengths = undefined, ...extra) {
      refuseExtraArguments(extra, `${name}.predict`, "predict(X, lengths)", 2);
      return this.#withData('predict', X, ChainModel.#options(lengths, 'predict'), (h, p, r, c, l) => h.decode(p, r, c, l, 'viterbi')).states;
    }

    /** State posteriors: T rows (Float64Array) of nStates. */
    predictProba(X, lengths = undefined, ...extra) {
      refuseExtraArguments(extra, `${name}.predictProba`, "predictProba(X, lengths)", 2);
      return this.scoreSamples(X, lengths).posteriors;
    }

    /** n frames from the model: { X, states: Int32Array }. options: { seed (default 0), currstate }. */
    sample(n, options = undefined, ...extra) {
      refuseExtraArguments(extra, `${name}.sample`, "sample(n, { seed, currstate })", 2);
      const handle = this.#live('sample');
      const opts = requireOptions(options, 'sample options');
      rejectUnknownOptions(opts, SAMPLE_OPTIONS, 'sample');
      const { seed = 0, currstate } = opts;
      if (typeof n !== 'number') throw new GmmHmmError(`sample: n must be a positive integer, got ${describe(n)}`);
      if (typeof seed !== 'number') throw new GmmHmmError(`sample: seed must be an integer in [0, 2^53 - 1] (exact in a JS number), got ${describe(seed)}`);
      if (sampledRows) requireSampledRows(n, `${name}.sample`);
      const result = callWasm(M, `${name}.sample`, () => handle.sample(n, seed, currstate));
      return { X: framesOut(result.X), states: result.states };
    }

    aic(X, lengths = undefined, ...extra) {

      refuseExtraArguments(extra, `${name}.aic`, "aic(X, lengths)", 2);
      return this.#withData('aic', X, ChainModel.#options(lengths, 'aic'), (h, p, r, c, l) => h.aic(p, r, c, l));
    }

    bic(X, lengths = undefined, ...extra) {

      refuseExtraArguments(extra, `${name}.bic`, "bic(X, lengths)", 2);
      return this.#withData('bic', X, ChainModel.#options(lengths, 'bic'), (h, p, r, c, l) => h.bic(p, r, c, l));
    }

    /** π with π = π·transmat, Σπ = 1 (number[]): as GMMHMM's (docs/hmmlearn.md). */
    stationaryDistribution(...extra) {
      refuseExtraArguments(extra, `${name}.stationaryDistribution`, 'stationaryDistribution()', 0);
      const handle = this.#live('stationaryDistribution');
      return Array.from(callWasm(M, `${name}.stationaryDistribution`, () => handle.stationaryDistribution()));
    }

    /** Free parameters (structural zeros of the chain excluded, plus the emissions'). */
    get nFreeParameters() {
      return this.#live('nFreeParameters').nFreeParameters();
    }

    /** { history: number[], iterations, converged, cancelled } of the last fit(). */
    get monitor() {
      const m = this.#live('monitor').monitor();
      return { history: Array.from(m.history), iterations: m.iterations, converged: m.converged, cancelled: m.cancelled };
    }

    // Parameters in hmmlearn's shapes as nested arrays; assignable (nested arrays or typed
    // arrays, validated in wasm: shapes, finiteness, rows summing to 1 within 1e-6, rates > 0).
    #getParam(param) {
      const handle = this.#live(param);
      const p = callWasm(M, `${name}.${param}`, () => handle.getParam(param));
      return nest(p.data, p.shape);
    }

    #setParam(param, value) {
      const handle = this.#live(param);
      this.#idle(param);
      let flat;
      try {
        const { values, shape } = flattenNumbers(value, param);
        requireParameterShape(name, param, shape, handle.info(false));
        flat = values;
      } catch (error) {
        throw qualify(error, `${name}.${param}`);
      }
      callWasm(M, `${name}.${param}`, () => handle.setParam(param, flat));
    }

    // model.nIter = 100 and the family's other training controls (training-properties.js).
    #setting(option) {
      this.#live(option);
      return this.config[option];
    }

    #setTraining(option, value) {
      const handle = this.#live(option);
      this.#idle(option);
      requireSetValue(name, option, value);
      const packed = wasmOptions({ [option]: value }, priors, `${name}.${option}`);
      callWasm(M, `${name}.${option}`, () => handle.setTraining(packed));
    }

    /** Initial state probabilities: nStates. */
    get startprob() { return this.#getParam('startprob'); }
    set startprob(value) { this.#setParam('startprob', value); }
    /** Transition probabilities: nStates × nStates (zeros are structural). */
    get transmat() { return this.#getParam('transmat'); }
    set transmat(value) { this.#setParam('transmat', value); }

    // The sizes and controls; the priors only `withPriors` (an array can be as large as the parameters).
    // `what`: the property read (named if the model was disposed).
    #info(what, withPriors = false) {
      return this.#live(what).info(withPriors);
    }

    get nStates() { return this.#info('nStates').nStates; }
    /** Values per frame: the number of symbols, of counts (0 until known). */
    get nFeatures() { return this.#info('nFeatures').nFeatures; }
    /** True once every parameter has a value (after fit, fromJSON or setting them all). */
    get fitted() { return this.#info('fitted').fitted; }
    /** The model's settings: sizes and training controls (each prior a number or nested arrays, as given). */
    get config() {
      const info = this.#info('config', true);
      for (const key of Object.keys(info)) if (priors.has(key)) info[key] = priorOut(info[key]);
      return info;
    }

    /** A copy of the model (independent wasm object). */
    clone(...extra) {
      refuseExtraArguments(extra, `${name}.clone`, 'clone()', 0);
      const handle = this.#live('clone');
      return new ChainModel(FROM_HANDLE, callWasm(M, `${name}.clone`, () => handle.clone()));
    }

    /** The model file (JSON-serialisable). */
    toJSON() {
      const handle = this.#live('toJSON');
      return JSON.parse(callWasm(M, `${name}.toJSON`, () => handle.toJson()));
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

    // The family's parameters and extra sizes, accessors like the others (defined here, where
    // the private methods are in reach).
    static {
      for (const param of [].concat(emission)) {
        Object.defineProperty(ChainModel.prototype, param, {
          get() { return this.#getParam(param); },
          set(value) { this.#setParam(param, value); },
          configurable: true,
        });
      }
      for (const size of family.sizes ?? []) {
        Object.defineProperty(ChainModel.prototype, size, { get() { return this.#info(size)[size]; }, configurable: true });
      }
      defineTrainingProperties(ChainModel, name, trainingOptions,
        (model, option) => model.#setting(option), (model, option, value) => model.#setTraining(option, value));
      defineHmmlearnNames(ChainModel, name, {
        options: [...trainingOptions, 'nStates', 'nFeatures', ...(family.sizes ?? [])],
        parameters: ['startprob', 'transmat', ...[].concat(emission)],
      });
      refuseReadOnlyAssignments(ChainModel, name, ['nStates', 'nFeatures', ...(family.sizes ?? [])]);
      Object.defineProperty(ChainModel, 'name', { value: name });
    }
  }
  return ChainModel;
}
