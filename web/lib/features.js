// The speech front end in JS: typed arrays in, arrays of Float64Array rows out, GmmHmmError
// on bad input, dispose() for the streaming objects. The numbers are all computed in wasm
// (cpp/src/features through cpp/bindings/bindings.cpp).
import { GmmHmmError, callWasm, describe, refuseExtraArguments, requireNumber, requireOptions } from './errors.js';
import { matrixIn, matrixOut, samplesIn } from './heap.js';
import { disposeSymbol, finalizer } from './lifetime.js';

// The range (1 kHz - 1 MHz) and what each part of the front end needs from the rate are the
// core's rules (frame_extraction.cpp); here only that it is a number and not something that
// would become one ('16000', 16000n, an object with a valueOf).
function checkSampleRate(sampleRate, where) {
  return requireNumber(sampleRate, `${where}: sampleRate`);
}

// Removes `nFeatures` (a JS-side hint for flat inputs) from options passed on to wasm.
function splitMatrixOptions(options, name) {
  const { nFeatures, ...rest } = requireOptions(options, name);
  return { nFeatures, rest };
}

export function createFeatures(M) {
  const rowsOf = (result) => matrixOut(result.data, result.rows, result.cols);

  function frontEnd(kind, samples, sampleRate, options) {
    checkSampleRate(sampleRate, kind);
    const opts = requireOptions(options, `${kind} options`);
    const input = samplesIn(M, samples);
    try {
      return rowsOf(callWasm(M, kind, () => M[kind](input.ptr, input.length, sampleRate, opts)));
    } finally {
      input.free();
    }
  }

  /** MFCCs (Kaldi compute-mfcc-feats): T rows x numCeps. Fewer samples than one frame: []. */
  function mfcc(samples, sampleRate, options = {}, ...extra) {
    refuseExtraArguments(extra, 'mfcc', 'mfcc(samples, sampleRate, options)', 3);
    return frontEnd('mfcc', samples, sampleRate, options);
  }

  /** Log mel filter-bank energies (Kaldi compute-fbank-feats): T rows x numMelBins (+1 with useEnergy). */
  function fbank(samples, sampleRate, options = {}, ...extra) {
    refuseExtraArguments(extra, 'fbank', 'fbank(samples, sampleRate, options)', 3);
    return frontEnd('fbank', samples, sampleRate, options);
  }

  function matrixOp(name, features, options) {
    const { nFeatures, rest } = splitMatrixOptions(options, `${name} options`);
    const input = matrixIn(M, features, nFeatures, 'features');
    try {
      return rowsOf(callWasm(M, name, () => M[name](input.ptr, input.rows, input.cols, rest)));
    } finally {
      input.free();
    }
  }

  /** [x, Δx, Δ²x, ...] like Kaldi add-deltas: T rows x D·(order+1). Options: order (2), window (2). */
  function addDeltas(features, options = {}, ...extra) {
    refuseExtraArguments(extra, 'addDeltas', 'addDeltas(features, { order, window })', 2);
    return matrixOp('addDeltas', features, options);
  }

  /** Per-utterance mean (and with variance: true, variance) normalisation of each column. */
  function cmvn(features, options = {}, ...extra) {
    refuseExtraArguments(extra, 'cmvn', 'cmvn(features, { variance })', 2);
    return matrixOp('cmvn', features, options);
  }

  /** Every word in a whole recording: [{ startSample, endSample, decidedSample }] (Endpointer push + finish). */
  function findSpeechSegments(samples, sampleRate, options = {}, ...extra) {
    refuseExtraArguments(extra, 'findSpeechSegments', 'findSpeechSegments(samples, sampleRate, options)', 3);
    checkSampleRate(sampleRate, 'findSpeechSegments');
    const opts = requireOptions(options, 'Endpointer options');
    const input = samplesIn(M, samples);
    try {
      return callWasm(M, 'findSpeechSegments', () => M.findSpeechSegments(input.ptr, input.length, sampleRate, opts));
    } finally {
      input.free();
    }
  }

  /** The options of an MFCC preset ('kaldi' or 'speech'), Kaldi names in camelCase. */
  function mfccPreset(name = 'kaldi', ...extra) {
    refuseExtraArguments(extra, 'mfccPreset', "mfccPreset('kaldi' | 'speech')", 1);
    if (typeof name !== 'string') throw new GmmHmmError(`preset must be 'kaldi' or 'speech', got ${typeof name}`);
    return callWasm(M, 'mfccPreset', () => M.mfccPreset(name));
  }

  // Shared by FeatureStream and Endpointer: owns one embind handle.
  class WasmObject {
    #handle;
    #name;

    constructor(name, handle) {
      this.#name = name;
      this.#handle = handle;
      finalizer?.register(this, handle, this);
    }

    /** The live handle, or a GmmHmmError('disposed'). */
    handle(method) {
      if (!this.#handle) throw new GmmHmmError(`${this.#name}.${method}: the ${this.#name} was disposed`, 'disposed');
      return this.#handle;
    }

    call(method, fn) {
      const handle = this.handle(method);
      return callWasm(M, `${this.#name}.${method}`, () => fn(handle));
    }

    /** Frees the wasm memory now. Safe to call twice; the object is unusable afterwards. */
    dispose() {
      if (!this.#handle) return;
      finalizer?.unregister(this);
      this.#handle.delete();
      this.#handle = null;
    }

    get disposed() {
      return this.#handle === null;
    }

    [disposeSymbol]() {
      this.dispose();
    }
  }

  function pushSamples(object, samples, fn) {
    const handle = object.handle('push');
    const input = samplesIn(M, samples);
    try {
      return callWasm(M, `${object.constructor.name}.push`, () => fn(handle, input));
    } finally {
      input.free();
    }
  }

  /**
   * Streaming MFCC/fbank: push blocks of any size, pull the frames they complete. The frames
   * equal mfcc()/fbank() of everything pushed, exactly.
   *   new FeatureStream(sampleRate, { features: 'mfcc' | 'fbank', ...options of mfcc/fbank })
   */
  class FeatureStream extends WasmObject {
    constructor(sampleRate, options = {}, ...extra) {
      refuseExtraArguments(extra, 'new FeatureStream', 'new FeatureStream(sampleRate, options)', 2);
      checkSampleRate(sampleRate, 'FeatureStream');
      const opts = requireOptions(options, 'FeatureStream options');
      super('FeatureStream', callWasm(M, 'FeatureStream', () => M.FeatureStreamBinding.create(sampleRate, opts)));
      this.sampleRate = sampleRate;
      /** 'mfcc' or 'fbank' */
      this.features = opts.features ?? 'mfcc';
    }

    /** Appends samples (Float32Array, Web Audio scale); returns the number of frames ready. */
    push(samples, ...extra) {
      refuseExtraArguments(extra, 'FeatureStream.push', 'push(samples) (the sample rate is the constructor\'s)', 1);
      pushSamples(this, samples, (handle, input) => handle.push(input.ptr, input.length));
      return this.framesReady;
    }

    /** Removes and returns up to maxFrames ready frames (all by default), oldest first. */
    pull(maxFrames = Infinity, ...extra) {
      refuseExtraArguments(extra, 'FeatureStream.pull', 'pull(maxFrames)', 1);
      if (typeof maxFrames !== 'number' || Number.isNaN(maxFrames) || maxFrames < 0) {
        throw new GmmHmmError(`FeatureStream.pull: maxFrames must be a number >= 0, got ${describe(maxFrames)}`);
      }
      const result = this.call('pull', (h) => h.pull(maxFrames));
      return matrixOut(result.data, result.rows, result.cols);
    }

    /** End of input (with snipEdges: false the last frames become ready only now). */
    finish(...extra) {
      refuseExtraArguments(extra, 'FeatureStream.finish', 'finish()', 0);
      this.call('finish', (h) => h.finish());
    }

    /** Back to an empty stream with the same configuration. */
    reset(...extra) {
      refuseExtraArguments(extra, 'FeatureStream.reset', 'reset()', 0);
      this.call('reset', (h) => h.reset());
    }

    get framesReady() { return this.call('framesReady', (h) => h.framesReady()); }
    /** Values per frame. */
    get dim() { return this.call('dim', (h) => h.dim()); }
    get samplesPushed() { return this.call('samplesPushed', (h) => h.samplesPushed()); }
    /** Frames computed so far (pulled or ready). */
    get framesComputed() { return this.call('framesComputed', (h) => h.framesComputed()); }
    get finished() { return this.call('finished', (h) => h.finished()); }
    /** Samples per frame and between frame starts at this sample rate. */
    get frameLengthSamples() { return this.call('windowSize', (h) => h.windowSize()); }
    get frameShiftSamples() { return this.call('windowShift', (h) => h.windowShift()); }
  }

  /**
   * Finds where words start and end in a stream (energy against an adaptive noise floor).
   *   new Endpointer(sampleRate, options?)
   * push(samples) and finish() return the words that ended: [{ startSample, endSample }],
   * sample indices from the first sample pushed, end exclusive.
   */
  class Endpointer extends WasmObject {
    constructor(sampleRate, options = {}, ...extra) {
      refuseExtraArguments(extra, 'new Endpointer', 'new Endpointer(sampleRate, options)', 2);
      checkSampleRate(sampleRate, 'Endpointer');
      const opts = requireOptions(options, 'Endpointer options');
      super('Endpointer', callWasm(M, 'Endpointer', () => M.EndpointerBinding.create(sampleRate, opts)));
      this.sampleRate = sampleRate;
    }

    push(samples, ...extra) {
      refuseExtraArguments(extra, 'Endpointer.push', 'push(samples) (the sample rate is the constructor\'s)', 1);
      return pushSamples(this, samples, (handle, input) => handle.push(input.ptr, input.length));
    }

    /** End of the stream: closes an open word if it is long enough. */
    finish(...extra) {
      refuseExtraArguments(extra, 'Endpointer.finish', 'finish()', 0);
      return this.call('finish', (h) => h.finish());
    }

    reset(...extra) {
      refuseExtraArguments(extra, 'Endpointer.reset', 'reset()', 0);
      this.call('reset', (h) => h.reset());
    }

    /** True while a word is being heard (once loud for minWord: a click never is). */
    get inSpeech() { return this.call('inSpeech', (h) => h.inSpeech()); }
    /** First sample of the word being heard (meaningful while inSpeech). */
    get currentStart() { return this.call('currentStart', (h) => h.currentStart()); }
    /** The adaptive noise floor, dB full scale. */
    get noiseFloorDb() { return this.call('noiseFloorDb', (h) => h.noiseFloorDb()); }
    get samplesPushed() { return this.call('samplesPushed', (h) => h.samplesPushed()); }
    /** Samples per energy hop. */
    get hopSize() { return this.call('hopSize', (h) => h.hopSize()); }
  }

  return { mfcc, fbank, addDeltas, cmvn, findSpeechSegments, mfccPreset, FeatureStream, Endpointer };
}
