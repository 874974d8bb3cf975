// Types of the package `gmmhmm` (hand-written; checked by tests/types with tsc --noEmit:
// strict, TypeScript's default libs, and a list of mistakes that must be reported).

declare global {
  interface SymbolConstructor {
    /**
     * The method `using` calls. Declared here so that these types compile with TypeScript's
     * default libs; lib.esnext.disposable and @types/node declare the same property.
     */
    readonly dispose: unique symbol;
  }
}

/** A feature matrix as returned by the package: T rows (frames) of D values, one buffer. */
export type Rows = Float64Array[];

/** A row of numbers: a plain array or a typed array (BigInt arrays aside; integers are converted). */
export type NumberRow = ReadonlyArray<number> | Float32Array | Float64Array | Int8Array | Uint8Array |
  Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array;

/**
 * A matrix given to the package: number[][] or typed-array rows (rows are frames), or a
 * flat row-major Float32Array/Float64Array together with `nFeatures` (the row width).
 */
export type MatrixInput = ReadonlyArray<NumberRow> | Float32Array | Float64Array;

/** Audio samples in Web Audio scale [-1, 1] (Float64Array and number[] are converted). */
export type Samples = Float32Array | Float64Array | ReadonlyArray<number>;

export type ErrorCode =
  | 'invalid-argument'
  | 'not-fitted'
  | 'model-format'
  | 'cancelled'
  | 'out-of-memory'
  | 'disposed'
  | 'load'
  | 'internal';

/** Every failure of the package. `message` names the argument and the problem. */
export class GmmHmmError extends Error {
  constructor(message: string, code?: ErrorCode, options?: { cause?: unknown });
  readonly name: 'GmmHmmError';
  code: ErrorCode;
}

export type WindowType = 'povey' | 'hamming' | 'hanning' | 'rectangular' | 'blackman';

/** How samples are cut into frames (Kaldi's names in camelCase, Kaldi's defaults but dither 0). */
export interface FrameOptions {
  /** ms, default 25 */
  frameLength?: number;
  /** ms, default 10 */
  frameShift?: number;
  windowType?: WindowType;
  /** default 0.97 */
  preemphasisCoefficient?: number;
  removeDcOffset?: boolean;
  roundToPowerOfTwo?: boolean;
  /** true (default): only whole frames; false: reflect the signal at the edges */
  snipEdges?: boolean;
  /** std-dev of Gaussian noise added per frame (Kaldi 1.0; here 0 = deterministic) */
  dither?: number;
  /** seed of the dither noise, integer in [0, 2^32) */
  seed?: number;
  blackmanCoeff?: number;
  /** samples are multiplied by this first (default 32768: Kaldi's 16-bit scale) */
  inputScale?: number;
}

export interface MelOptions {
  /** default 23 */
  numMelBins?: number;
  /** Hz, default 20 */
  lowFreq?: number;
  /** Hz; <= 0 means Nyquist + highFreq (default 0) */
  highFreq?: number;
  /** not Kaldi: band energies per sample, independent of the sample rate (speech preset) */
  normalizeEnergy?: boolean;
}

export interface EnergyOptions {
  /** energy before pre-emphasis and window (default true) */
  rawEnergy?: boolean;
  /** floor on the energy, linear (default 0 = none) */
  energyFloor?: number;
  /** energy / C0 last, as HTK orders it */
  htkCompat?: boolean;
}

export interface MfccOptions extends FrameOptions, MelOptions, EnergyOptions {
  /** 'kaldi' (default) or 'speech' (sample-rate-independent recogniser front end); the other options override it */
  preset?: 'kaldi' | 'speech';
  /** default 13 */
  numCeps?: number;
  /** default 22; 0 = none */
  cepstralLifter?: number;
  /** replace C0 by log energy (default true) */
  useEnergy?: boolean;
}

export interface FbankOptions extends FrameOptions, MelOptions, EnergyOptions {
  /** add log energy as a column (first; last with htkCompat), default false */
  useEnergy?: boolean;
  /** log mel energies (default true) */
  useLogFbank?: boolean;
  /** power spectrum (default true) or magnitude */
  usePower?: boolean;
}

/** The full option set of an MFCC preset. */
export type MfccPresetOptions = Required<Omit<MfccOptions, 'preset'>>;

export interface DeltaOptions {
  /** 2 (default): [x, Δx, Δ²x] */
  order?: number;
  /** regression half-window, default 2 */
  window?: number;
  /** row width of a flat Float32Array/Float64Array input */
  nFeatures?: number;
}

export interface CmvnOptions {
  /** also divide by each column's standard deviation (default false) */
  variance?: boolean;
  /** row width of a flat Float32Array/Float64Array input */
  nFeatures?: number;
}

export type FeatureStreamOptions =
  | ({ features?: 'mfcc' } & MfccOptions)
  | ({ features: 'fbank' } & FbankOptions);

export interface EndpointerOptions {
  /** ms per energy hop, default 10 */
  frameShift?: number;
  /** one-pole high-pass before the energy, Hz (default 120; 0 = off) */
  highPassHz?: number;
  /** dB above the noise floor that start a word (default 8) */
  startMarginDb?: number;
  /** a word continues while above floor + this (default 4) */
  endMarginDb?: number;
  /** absolute level (dBFS) a word must exceed (default -60) */
  minSpeechDb?: number;
  /** consecutive loud hops that start a word (default 3) */
  startFrames?: number;
  /** ms kept before the onset (default 60) */
  preRoll?: number;
  /** ms kept after the last loud hop (default 60, <= hangover) */
  postRoll?: number;
  /** ms of quiet that end a word (default 250) */
  hangover?: number;
  /** ms; shorter bursts are ignored (default 100) */
  minWord?: number;
  /** ms; longer words are cut (default 2000) */
  maxWord?: number;
  /** time constant of the noise floor's upward drift, s (default 1.5) */
  floorRiseSeconds?: number;
}

/** A word found by the Endpointer: sample indices from the first sample pushed, [start, end). */
export interface SpeechSegment {
  startSample: number;
  endSample: number;
  /** samples heard when the Endpointer decided the word had ended (endSample plus its wait) */
  decidedSample: number;
}

// FeatureStream and Endpointer are classes of the object load() returns (each load has its own
// wasm heap), so they are declared as interfaces plus constructor types.

/** Streaming MFCC/fbank: the frames equal mfcc()/fbank() of everything pushed, exactly. */
export interface FeatureStream {
  readonly sampleRate: number;
  readonly features: 'mfcc' | 'fbank';
  /** Appends samples; returns the number of frames ready. */
  push(samples: Samples): number;
  /** Removes and returns up to maxFrames ready frames (all by default), oldest first. */
  pull(maxFrames?: number): Rows;
  /** End of input (with snipEdges: false the last frames become ready only now). */
  finish(): void;
  /** Back to an empty stream, same configuration. */
  reset(): void;
  readonly framesReady: number;
  /** values per frame */
  readonly dim: number;
  readonly samplesPushed: number;
  readonly framesComputed: number;
  readonly finished: boolean;
  readonly frameLengthSamples: number;
  readonly frameShiftSamples: number;
  readonly disposed: boolean;
  /** Frees the wasm memory now; the object is unusable afterwards (GmmHmmError 'disposed'). */
  dispose(): void;
  [Symbol.dispose](): void;
}

export interface FeatureStreamConstructor {
  new (sampleRate: number, options?: FeatureStreamOptions): FeatureStream;
  readonly prototype: FeatureStream;
}

/** Finds where words start and end in a stream of audio. */
export interface Endpointer {
  readonly sampleRate: number;
  /** Feeds samples; returns the words that ended within them. */
  push(samples: Samples): SpeechSegment[];
  /** End of the stream: closes an open word if it is long enough. */
  finish(): SpeechSegment[];
  reset(): void;
  /** true while a word is being heard: once it has been loud for minWord (a click, shorter, never shows as speech; what shows is always reported when it ends) */
  readonly inSpeech: boolean;
  /** first sample of the word being heard (while inSpeech) */
  readonly currentStart: number;
  /** adaptive noise floor, dB full scale */
  readonly noiseFloorDb: number;
  readonly samplesPushed: number;
  /** samples per energy hop */
  readonly hopSize: number;
  readonly disposed: boolean;
  dispose(): void;
  [Symbol.dispose](): void;
}

export interface EndpointerConstructor {
  new (sampleRate: number, options?: EndpointerOptions): Endpointer;
  readonly prototype: Endpointer;
}

export interface LoadOptions {
  /** 'auto' (default): SIMD if WebAssembly.validate says the engine has it */
  variant?: 'auto' | 'simd' | 'nosimd';
  /** where the .wasm of the chosen variant is (default: next to the package's JS) */
  wasmURL?: string | URL | { simd?: string | URL; nosimd?: string | URL };
  /** the .wasm bytes of the chosen variant (no fetch) */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** a compiled module of the chosen variant (e.g. posted to a Worker) */
  wasmModule?: WebAssembly.Module;
  /**
   * take the wasm from the package's embedded (base64) copy instead of fetching the .wasm.
   * Node only: in browsers that copy is its own entry point, 'gmmhmm/single-file'.
   */
  singleFile?: boolean;
}

// ---- Recognizer (web/lib/recognizer.js) ----

/**
 * The recognizer front end (defaults: the 'speech' MFCC preset, Δ + ΔΔ, CMN, and a trim that
 * does not care how a word was cut: edge padding, a floor relative to the loudest frame,
 * steady noise cut at the ends, a trim on frame power). Recognizer files written before the
 * last four existed load with them off and compute the features they were trained on.
 */
export interface RecognizerFeatureOptions {
  frameLength?: number; frameShift?: number; windowType?: WindowType; preemphasisCoefficient?: number;
  removeDcOffset?: boolean; roundToPowerOfTwo?: boolean; snipEdges?: boolean; inputScale?: number;
  /** noise and its seed, as mfcc()'s (default 0: none); written in recognizer files only when set */
  dither?: number; seed?: number;
  /** as mfcc()'s; written in recognizer files only when set */
  blackmanCoeff?: number;
  /** no effect here (useEnergy is false); accepted as mfcc() takes them, written in files only when set */
  rawEnergy?: boolean; htkCompat?: boolean;
  numMelBins?: number; lowFreq?: number; highFreq?: number; normalizeEnergy?: boolean; numCeps?: number;
  cepstralLifter?: number; useEnergy?: false; energyFloor?: number;
  /** Δ orders appended (2: Δ and ΔΔ) */ deltaOrder?: number; deltaWindow?: number;
  normalizeMean?: boolean; normalizeVariance?: boolean;
  /** digital silence (one frame length) at both ends first, so a tight cut frames like a padded one (true) */
  edgePadding?: boolean;
  /** every band energy is raised by a floor this far (dB) below the loudest frame's; 0: none (40) */
  floorDb?: number;
  /** steady background noise at either end is found and cut (true) */
  noiseEdges?: boolean;
  /** what the trim measures: the frame's mean band energy ('power'), or C0, the mean of its logs ('c0') */
  trimOn?: 'power' | 'c0';
  /** frames this far (dB) below the loudest are trimmed from both ends; <= 0: no trim (30) */ trimDb?: number;
  /** trimmed frames kept next to the loud ones (0) */
  trimMarginFrames?: number;
  /** where steady noise was cut at the ends (noiseEdges), the possible shift of each kept frame's log band energies by that noise, times this, squared, is a variance added to the Gaussians' variances in the likelihood-ratio test (likelihoodRatio); 0: none, max 10; no effect with normalizeVariance (0.25; files from before it: 0) */
  noiseUncertainty?: number;
}

/** How each word's model is sized and trained. */
export interface RecognizerWordOptions {
  /** states = median example length (frames) / framesPerState, within [minStates, maxStates] */
  framesPerState?: number; minStates?: number; maxStates?: number;
  /** components per state grow by splitting up to maxMix, while each has minFramesPerComponent frames */
  maxMix?: number; minFramesPerComponent?: number;
  nIter?: number; splitIterations?: number; tol?: number; maxJump?: number; endInLastState?: boolean;
  varianceFloorFraction?: number;
  /** Default 1: the floor rises with little data, max(varianceFloorFraction, varianceFloorScale / sqrt(frames per component)), ≤ 0.5; 0: a fixed floor */
  varianceFloorScale?: number;
  minCovar?: number;
  /** pseudo-frames of the variance prior (0 = none): variances are pulled towards variancePriorScale × the variance of every word's frames pooled */
  variancePriorWeight?: number;
  /** the prior's variance as a fraction of the pooled variance */
  variancePriorScale?: number;
  /** default 1.5 (0 = HMM scores only): words are ranked by per-frame log-likelihood − templateWeight × the DTW distance to their nearest example, when every word has templates */
  templateWeight?: number;
  /** default 10: a word with at most this many examples keeps them as templates (saved in the model file); with more, none */
  maxTemplates?: number;
  /** default 2: a word that keeps templates (maxTemplates or fewer examples) may skip up to this many states (its maxJump is the larger of the two); 1 = as maxJump */
  fewExampleMaxJump?: number;
  transmatPrior?: number;
  /** held-out folds for the probability calibration (0: none) */ calibrationFolds?: number;
  maxHeldOutPerWord?: number;
  /** a word with more examples grows its model on this many (evenly spaced), then refines it on all */
  maxGrowExamples?: number;
  seed?: number;
}

export interface RecognizerBackgroundOptions {
  nMix?: number; nIter?: number; maxFramesPerWord?: number; varianceFloorFraction?: number; varianceFloorScale?: number;
  seed?: number;
}

export interface RecognizerRejectionOptions {
  /** minimum per-frame log-likelihood ratio, best word vs the background model (default 0) */
  threshold?: number;
  /** weight (default 1, 0 = none) of the model-size correction added to that ratio: p_word / (2 N_word) − p_background / (2 N_background) nats per frame (p parameters, N training frames) */
  sizeCorrection?: number;
  /** minimum calibrated probability of the best word ('low-confidence' below it, as for minTemplateMargin) */
  minConfidence?: number;
  /** how far (nats per frame) below its worst held-out example the best word may score */
  fitMargin?: number;
  /** 'poor-fit' below each word's calibrated floor: the mean per-frame log-likelihood of its held-out examples minus this many pooled standard deviations */
  fitFloorSpreads?: number;
  /** steadier sounds (robust std of the level over frames, dB; default 1.3) are 'not-speech' */
  minSpreadDb?: number;
  /** steadier spectral shapes (robust RMS change of C1..C12 over frames; default 3.5) are 'not-speech' (audio only) */
  minShapeSpread?: number;
  /** quieter peaks (dBFS) are 'silence' */
  minLevelDb?: number;
  /** longer than this × the longest training example: 'too-long' */
  maxDurationRatio?: number;
  /** default 1.4 (0 = no acceptance by templates; files saved before it: 0), in [0, 100]. Few examples (word templates in the ranking): a best word refused as 'out-of-vocabulary' (the likelihood-ratio test or fitMargin; not the poor-fit floor) is accepted when its nearest template is within templateSpreads × the word's spread of examples (mean distance from each of its templates to the nearest other one) and every other word's nearest template is at least templateMargin × as far */
  templateSpreads?: number;
  /** default 1.15, in [1, 100]: how much farther the second-nearest word's templates must be for that acceptance (see templateSpreads) */
  templateMargin?: number;
  /** default 1.075 (0 = no test; files saved before it: 0), in [0, 100]. With templates in the ranking, a best word whose nearest template is not this many times nearer than every other word's is 'low-confidence' */
  minTemplateMargin?: number;
  /** default 5 (0 = never; files saved before it: 0), in [0, 1000]. A best word with at least this many templates is decided by one score instead of the ratio test, fitMargin and the two template tests: accepted when likelihoodRatio + templateScoreMarginWeight × ln(templateMargin) − templateScoreSpreadsWeight × ln(templateSpreads) ≥ templateScoreThreshold (the poor-fit floor still applies; without finite template evidence — one word, a recording identical to a template — the tests decide) */
  templateScoreMinExamples?: number;
  /** default 70, in [0, 1e4]: weight of ln(templateMargin) in that score */
  templateScoreMarginWeight?: number;
  /** default 20, in [0, 1e4]: weight of −ln(templateSpreads) in that score */
  templateScoreSpreadsWeight?: number;
  /** default 3, in [−1e6, 1e6]: the score's threshold (moves with a listener's sensitivity, like the ratio test's; a negative sensitivity also needs the ratio test and fitMargin) */
  templateScoreThreshold?: number;
}

export interface RecognizerOptions {
  features?: RecognizerFeatureOptions;
  word?: RecognizerWordOptions;
  background?: RecognizerBackgroundOptions;
  rejection?: RecognizerRejectionOptions;
  /** Workers training words in parallel: 'auto' (cores, at most 8), a number, or 0/false (this thread) */
  workers?: number | false | 'auto';
}

export interface TrainingProgressEvent {
  /** the word; null for the background model */
  label: string | null;
  stage: 'word' | 'background';
  /** EM iteration of the word's model, 1-based, of nIter planned */
  iteration: number;
  nIter: number;
  /** null in the done event of a model that ran no iteration (nIter 0) */
  logLikelihood: number | null;
  logLikelihoodPerFrame: number | null;
  frames: number;
  /** progress of this label's whole job, 0..1 */
  fraction: number;
  /** the label's model is trained */
  done: boolean;
}

export interface TrainOptions {
  /** a handler that throws stops the training: train() rejects with its error, the previous models kept */
  onProgress?: (event: TrainingProgressEvent) => void;
  /** aborting rejects train() with signal.reason (an AbortError) and keeps the previous models; listened to only while train() runs */
  signal?: AbortSignal;
  workers?: number | false | 'auto';
}

export interface WordScore {
  label: string;
  /** log P(X | word), total over the scored frames (-Infinity: too short for this word) */
  logLikelihood: number;
  /** calibrated posterior over the vocabulary */
  probability: number;
  /** DTW distance per frame to the word's nearest example (its template), when the words were ranked with templates (word.templateWeight); null otherwise */
  templateDistance: number | null;
}

export type RejectionReason = 'silence' | 'too-short' | 'too-long' | 'not-speech' | 'out-of-vocabulary' | 'poor-fit' | 'low-confidence';

/**
 * What classify() and listen()'s `result` give: `if (!c.rejected)` narrows it to an accepted
 * word (`label` a string, `reason` null).
 */
export type Classification = AcceptedClassification | RejectedClassification;

export interface AcceptedClassification extends ClassificationScores {
  /** the word recognised */
  label: string;
  rejected: false;
  reason: null;
}

export interface RejectedClassification extends ClassificationScores {
  /** best word; null when nothing could be scored (silence, too short, too long) */
  label: string | null;
  rejected: true;
  /** why it was rejected */
  reason: RejectionReason;
}

/** The fields of every Classification. */
export interface ClassificationScores {
  /** probability of the best word (0 when nothing was scored) */
  confidence: number;
  /** every word, best first ([] when nothing was scored) */
  scores: WordScore[];
  /** per frame, best word vs background model, with the model-size correction (the value compared with rejection.threshold); where noise was cut at the ends, both scored with its uncertainty (features.noiseUncertainty), so not always derivable from scores[0].logLikelihood */
  likelihoodRatio: number;
  /** per frame, best word's log-likelihood minus its worst held-out example's */
  fit: number;
  /** the best word's nearest template distance in units of its spread of examples (compared with rejection.templateSpreads); null without templates in the ranking or with fewer than 2 templates of the word */
  templateSpreads: number | null;
  /** the second-nearest word's template distance ÷ the best word's (compared with rejection.templateMargin and minTemplateMargin; Infinity when no other word was scored); null without templates in the ranking */
  templateMargin: number | null;
  /** accepted although the likelihood-ratio test or fitMargin refused it: by the template test (rejection.templateSpreads) */
  acceptedByTemplates: boolean;
  /** feature frames scored (after the silence trim) */
  frames: number;
  /** Viterbi state of every scored frame (10 ms) for `label`, starting at frame firstFrame of the recording */
  alignment: { label: string; states: Int32Array; firstFrame: number } | null;
}

/**
 * How the confidences are computed: softmax(scale × per-frame scores), the scale fitted on
 * held-out examples (`samples` of them). With one example per word there is none: samples 0,
 * scale 1 (docs/accuracy.md, "How honest the confidence is").
 */
export interface CalibrationInfo {
  scale: number;
  samples: number;
  heldOutAccuracy: number;
  heldOutLogLoss: number;
}

/** One word of a RecognizerJSON. */
export interface RecognizerWordJSON {
  label: string;
  sizeCorrection: number;
  model: GMMHMMJSON;
  nExamples: number;
  medianFrames: number;
  minFrames: number;
  maxFrames: number;
  /** log-likelihood per EM iteration */
  history: number[];
  /** [example index, log-likelihood, frames] of each held-out example */
  heldOut: Array<[number, number, number]>;
  /** per-frame log-likelihood below which the word is 'poor-fit' (files from before it: absent) */
  fitFloor?: number;
  /** the word's spread of examples: mean DTW distance from each template to the nearest other one (rejection.templateSpreads; fewer than 2 templates or files from before it: absent) */
  templateSpread?: number;
  /** the examples' features as templates (word.maxTemplates or fewer examples): frames of each, a scale per feature, base64 of 16-bit little-endian integers */
  templates?: { frames: number[]; scale: number[]; data: string };
}

/** What Recognizer.toJSON() returns and fromJSON() reads. */
export interface RecognizerJSON {
  format: 'gmmhmm-recognizer';
  version: 1;
  options: {
    features: Required<RecognizerFeatureOptions>;
    word: Required<RecognizerWordOptions>;
    background: Required<RecognizerBackgroundOptions>;
    rejection: Required<RecognizerRejectionOptions>;
  };
  labels: string[];
  words: RecognizerWordJSON[];
  background: GMMHMMJSON;
  calibration: CalibrationInfo & { method: string };
}

export interface Recognizer {
  /** `label` follows the label rule (see checkLabel); otherwise a GmmHmmError names the problem */
  addExample(label: string, samples: Samples, sampleRate: number): void;
  addFeatures(label: string, features: MatrixInput): void;
  /**
   * Forgets the examples of `label`; its trained model, if any, is dropped (or retrained from
   * new examples) by the next train(). Returns how many examples it had: 0 for a label without
   * any (a misspelt one, or a trained word whose examples were not kept).
   */
  removeExamples(label: string): number;
  readonly labels: string[];
  exampleCount(label: string): number;
  /** The features of each example of `label` as addExample computed them (T × featureWidth each). */
  exampleFeatures(label: string): Float64Array[][];
  readonly trained: boolean;
  readonly featureWidth: number;
  readonly calibration: CalibrationInfo;
  /**
   * Trains every word with examples. A recognizer from fromJSON() has its words' models but
   * not their examples: train() refuses (naming them) to drop such words, or to retrain one
   * from fewer examples than its model had, until their examples are added again or they are
   * given up with removeExamples(label). Rejects with: signal.reason when aborted; code 'disposed'
   * when dispose() is called meanwhile; 'cancelled' after terminateWorkers(); 'internal' when
   * a training worker dies; 'invalid-argument' when this Recognizer is already training.
   * The previous models are kept whenever it rejects.
   */
  train(options?: TrainOptions): Promise<void>;
  classify(samples: Samples, sampleRate: number): Promise<Classification>;
  classifySync(samples: Samples, sampleRate: number): Classification;
  classifyFeatures(features: MatrixInput): Classification;
  /**
   * A listener for a stream of audio you push (Node, files, any source): words out as events.
   * It classifies with this recognizer as it is at each word; before training it only cuts
   * words (speechend, nextUtterance()). See docs/listening.md.
   */
  createListener(options: ListenerOptions): StreamListener;
  /**
   * Browsers: listens to a MediaStream, an AudioNode of the page's graph, or (no source) the
   * microphone, which it opens; capture in an AudioWorklet, endpointing and classification in
   * a Worker, with this recognizer as trained now (listen again after train()).
   */
  listen(source?: MediaStream | AudioNode, options?: ListenOptions): Promise<AudioListener>;
  /** The microphone, with options: listen(undefined, options). */
  listen(options: ListenOptions): Promise<AudioListener>;
  toJSON(): RecognizerJSON;
  /** Frees the wasm memory; a train() in flight rejects ('disposed'); the last Recognizer of a load() that used workers ends them. */
  dispose(): void;
  [Symbol.dispose](): void;
}

// ---- Listening (web/lib/listener.js, web/lib/listen-browser.js; docs/listening.md) ----

/** createListener()'s options: the Endpointer's, and the listener's own. */
export interface ListenerOptions extends EndpointerOptions {
  /** Hz of the samples pushed (required) */
  sampleRate: number;
  /**
   * nats per frame by which a word may fall short of the rejection tests (rejection.threshold,
   * fitMargin and the poor-fit floor) and still be accepted: 0 (default) as trained, up to 20
   * accepts more, down to -20 refuses more (the template tests of few-example words compare
   * distances and do not move with it; below 0 the acceptance by templates is off; the one
   * template score of words with rejection.templateScoreMinExamples examples moves with it, and
   * below 0 the ratio test and fitMargin must pass as well)
   */
  sensitivity?: number;
  /** keep listening after a result (default true); false: the listener ends after its first result */
  continuous?: boolean;
  /**
   * each result carries the word's log-mel spectrogram (result.spectrogram), computed in the
   * listener (in listen()'s Worker) where the word already lies, so that a page can draw it
   * without running the front end again (default false); a sampleRate too low for its 40 bands
   * (below about 3 kHz) is refused
   */
  spectrogram?: boolean;
  /**
   * speechend and result carry the word's samples (default true); false: their `samples` is an
   * empty Float32Array (endSample - startSample is still the word's length), so that listen()
   * sends no audio to the page when it only needs the results. nextUtterance() always carries them.
   */
  samples?: boolean;
  /** ms of quiet that end a word: a listener's default is 120 (the Endpointer's own is 250); see docs/listening.md */
  hangover?: number;
}

/** listen()'s options: createListener()'s without sampleRate (the AudioContext's), and where the parts are. */
export interface ListenOptions extends Omit<ListenerOptions, 'sampleRate'> {
  /** the AudioContext for a MediaStream source (default: a new one, closed by stop()) */
  audioContext?: BaseAudioContext;
  /** where capture-worklet.js is (default: next to the package's code) */
  workletURL?: string | URL;
  /** where the entry's Worker script is (train-worker.js; words-worker.js for 'gmmhmm/words'), loaded as a module Worker (default: next to the package's code) */
  workerURL?: string | URL;
}

/** A word cut from the stream. Times in seconds and sample indices count from the first sample. */
export interface Utterance {
  /** the word's audio; empty in speechend and result with the option samples: false */
  samples: Float32Array;
  sampleRate: number;
  startSample: number;
  /** one past the last sample */
  endSample: number;
  startTime: number;
  endTime: number;
  /** seconds of audio after the word the Endpointer needed to decide it had ended (its hangover) */
  decisionDelay: number;
}

/**
 * A word's log mel filter-bank energies (fbank(), nats): 40 bands from 20 Hz to 7.6 kHz (or
 * just under the Nyquist frequency), 25 ms frames every 10 ms, the recogniser's feature grid
 * (frame t is feature frame t: Classification.alignment lines up with it).
 */
export interface Spectrogram {
  /** frames x bins, frame after frame (lowest band first); transferred, not copied, from listen()'s Worker */
  data: Float32Array;
  frames: number;
  bins: number;
  /** seconds between frames (0.01) */
  frameShift: number;
}

/** A `result` event's detail: the classification of the word and the word. */
export type ListenResult = Classification & Utterance & {
  /** with the option spectrogram: true */
  spectrogram?: Spectrogram;
};

export interface ListenerEvent<T> extends Event {
  readonly detail: T;
}

export interface ListenerErrorEvent extends ListenerEvent<{ error: GmmHmmError }> {
  readonly error: GmmHmmError;
}

export interface ListenerEventMap {
  speechstart: ListenerEvent<{ startSample: number; startTime: number }>;
  speechend: ListenerEvent<Utterance>;
  result: ListenerEvent<ListenResult>;
  error: ListenerErrorEvent;
  /**
   * Once, last: the listener ended (end(), its source ended or was lost, the first result with
   * continuous: false) and every event of its audio has been dispatched. state 'stopped': it
   * could not go on (the recognizer was disposed, the Worker failed). Never after stop().
   */
  end: ListenerEvent<{ state: 'ended' | 'stopped' }>;
}

/** The events and controls listen() and createListener() share. */
export interface Listener extends EventTarget {
  readonly sampleRate: number;
  /** 'ended': end() was called, the source ended, or the first result with continuous: false */
  readonly state: 'listening' | 'ended' | 'stopped';
  addEventListener<K extends keyof ListenerEventMap>(type: K, listener: (event: ListenerEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ListenerEventMap>(type: K, listener: (event: ListenerEventMap[K]) => void,
    options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
  /**
   * The next word cut from the stream, not classified (enrolment: the same cut as
   * recognition). Calls queue. Rejects with code 'cancelled' when the listener ends or stops first.
   */
  nextUtterance(options?: { signal?: AbortSignal }): Promise<Utterance>;
  /** End of the stream: the word being heard is delivered, then the 'end' event (in the browser: once the Worker has handled the last audio); the listener frees everything. */
  end(): void;
  /** Stops at once (no further events, no 'end') and frees everything (browser: the worklet node, the Worker, the tracks and AudioContext listen() opened). Idempotent. */
  stop(): void;
}

/** listen()'s listener. */
export interface AudioListener extends Listener {
  /** the AudioContext's time of the stream's first sample once audio flows (null before): startTime/endTime + this = when a word was heard */
  readonly contextTimeAtStart: number | null;
}

/** createListener()'s listener: you push the audio. */
export interface StreamListener extends Listener {
  /**
   * Appends samples (any length; events of the words it completes are dispatched before it
   * returns). Throws GmmHmmError: 'invalid-argument' for anything but a float array or an
   * array of numbers, or for NaN/infinite samples (the block is dropped, the listener carries
   * on); 'disposed' after end()/stop().
   */
  push(samples: Samples): void;
  /** samples pushed so far */
  readonly samplesPushed: number;
}

export interface RecognizerConstructor {
  new (options?: RecognizerOptions): Recognizer;
  /**
   * maxBytes (default 64 MiB): a larger file is refused (code 'model-format') before it is
   * copied into the WebAssembly heap.
   */
  fromJSON(json: RecognizerJSON | string, options?: { workers?: number | false | 'auto'; maxBytes?: number }): Recognizer;
  /**
   * Starts the training Workers ahead of the first train() (e.g. while the user records; the
   * first addExample/addFeatures of a recognizer with workers also starts them).
   * Resolves to the number of workers ready; 0 where workers cannot run.
   */
  prepareWorkers(options?: { workers?: number | false | 'auto' }): Promise<number>;
}

// ---- GMMHMM (web/lib/gmmhmm.js) ----

export type CovarianceType = 'diag' | 'full' | 'spherical' | 'tied';

/** Model settings; hmmlearn's names in camelCase. Sizes and structure are fixed at construction. */
export interface GMMHMMOptions extends GMMHMMTrainingOptions {
  nStates?: number;
  nMix?: number;
  /** needed only to set parameters or to pass flat typed arrays before the first fit */
  nFeatures?: number;
  covarianceType?: CovarianceType;
  /** 'left-right' is Bakis: state i may go to i..i+maxJump; 'custom' uses the matrices you set */
  topology?: 'ergodic' | 'left-right' | 'custom';
  maxJump?: number;
  /** paths must end in the last state (HTK-style exit); shorter sequences score -Infinity */
  endInLastState?: boolean;
}

/**
 * Training controls, accepted by the constructor, by fit() and fitAsync() (which keep them for
 * later fits, as hmmlearn's attributes: `config` shows them) and as properties (model.nIter = 50).
 */
export interface GMMHMMTrainingOptions {
  nIter?: number;
  tol?: number;
  /**
   * Absolute floor on every variance after each M-step (default 1e-3; HTK's way, unlike
   * hmmlearn's min_covar, which GaussianHMM follows). Features whose spread within a state is
   * below about 0.03 (variance 1e-3) need a lower value, or scaled data: else their states merge.
   */
  minCovar?: number;
  /** HTK-style variance floor: fraction of the global variance of each feature (default 0) */
  varianceFloorFraction?: number;
  seed?: number;
  /** letters s t w m c: what EM updates */
  params?: string;
  /** letters s t w m c: what initialisation sets (others keep the values you set) */
  initParams?: string;
  init?: 'auto' | 'kmeans' | 'segmental';
  /**
   * k-means runs per clustering of the initialisation, the lowest inertia kept (sklearn's
   * n_init; integer in [1, 1000], default 10): several runs make fits independent of the
   * order of the sequences.
   */
  nInit?: number;
  /**
   * Arithmetic of the training E-step's products for diag/spherical models: 'float64' (default,
   * exact) or 'float32' (about 1.2-1.4x faster; log-likelihoods within about 1e-6 relative of
   * float64, often far closer, see docs/performance.md). Full/tied models always use float64.
   */
  precision?: 'float64' | 'float32';
  /** HTK HHEd MU: grow from 1 component per state by splitting the heaviest */
  mixtureSplitting?: boolean;
  splitIterations?: number;
  /** Dirichlet concentration of startprob (1 = none); per state: nStates */
  startprobPrior?: PriorValue;
  /** Dirichlet concentration of every allowed transition (1 = none); per entry: nStates × nStates */
  transmatPrior?: PriorValue;
  /** Dirichlet concentration of the mixture weights (1 = none); per entry: nStates × nMix */
  weightsPrior?: PriorValue;
  /** prior mean (default 0); per entry: nStates × nMix × nFeatures */
  meansPrior?: PriorValue;
  /** pseudo-frames of the mean prior (0 = none); per entry: nStates × nMix */
  meansWeight?: PriorValue;
  /**
   * pseudo scatter added to the variances (full/tied: to their diagonal; default 0); per entry:
   * diag, full nStates × nMix × nFeatures, spherical nStates × nMix, tied nStates × nFeatures
   */
  covarsPrior?: PriorValue;
  /**
   * pseudo-frames added to the variances' denominators (default 0); per entry: diag
   * nStates × nMix × nFeatures, spherical and full nStates × nMix, tied nStates
   */
  covarsWeight?: PriorValue;
}

/**
 * A prior: one number for every entry, or (as hmmlearn takes them) an array broadcastable to
 * the shape given with each prior (numpy's rule: shapes aligned on the right, a dimension of 1
 * stretches). Nested arrays must be rectangular; a typed array is one dimension.
 */
export type PriorValue = number | NestedNumbers;

/**
 * The training controls as properties of a model (hmmlearn's `model.n_iter = 100`): each reads
 * as `config` gives it and is checked when set, as fit() takes it (a GmmHmmError naming it, the
 * model unchanged; refused while a fitAsync() runs), then kept for later fits and in model files.
 * hmmlearn's spellings (n_iter, startprob_, n_components...) throw a GmmHmmError naming these.
 */
export type TrainingSettings<Training> = { -readonly [K in keyof Training]-?: Exclude<Training[K], undefined> };
export type NestedNumbers = ReadonlyArray<number | NestedNumbers> | Float64Array | Float32Array;

export interface IterationInfo {
  /** the iteration just completed, counted from 0 */
  iteration: number;
  /** of the data under the parameters before this iteration's M-step (monitor.history[iteration]) */
  logLikelihood: number;
  /** iterations planned (nIter, plus splitting phases) */
  nIter: number;
}

export interface FitOptions extends GMMHMMTrainingOptions {
  lengths?: ArrayLike<number>;
  /** row width of a flat typed-array X */
  nFeatures?: number;
  /** after every EM iteration; return false to stop */
  onIteration?: (info: IterationInfo) => boolean | void;
  signal?: AbortSignal;
}

export interface FitAsyncOptions extends FitOptions {
  /**
   * Workers (worker_threads in Node) computing the E-step, each on a share of the sequences:
   * 'auto' (default: one per core, at most 8), a count, or 0/false (in this thread). The
   * result is fit()'s, bit for bit.
   */
  workers?: number | false | 'auto';
  /** aborting rejects fitAsync() with signal.reason (an AbortError) and leaves the model as it was */
  signal?: AbortSignal;
}

/** Frames: number[][], typed-array rows, or a flat Float32Array/Float64Array (row width nFeatures). */
export type SequenceInput = MatrixInput;
/** Either X (with lengths) or a list of sequences. */
export type DataInput = SequenceInput | Array<number[][] | Float64Array[] | Float32Array[]>;
export type LengthsOrOptions = ArrayLike<number> | { lengths?: ArrayLike<number>; nFeatures?: number } | undefined;

export interface DecodeOptions {
  lengths?: ArrayLike<number>;
  /** row width of a flat typed-array X */
  nFeatures?: number;
  algorithm?: 'viterbi' | 'map';
}

export interface SampleOptions {
  /** default 0: the same frames at every call with the same model (give each call its own seed for different sequences) */
  seed?: number;
  /** the first frame's state (hmmlearn's currstate); default: drawn from startprob */
  currstate?: number;
}

export interface Monitor {
  /**
   * The training data's log-likelihood before each iteration's M-step. When `tol` stopped the
   * fit, one entry more than `iterations`: the E-step that found the gain below `tol`, whose
   * parameters are kept (its M-step is not applied).
   */
  history: number[];
  /** iterations whose M-step was applied */
  iterations: number;
  /** true only when `tol` stopped the fit */
  converged: boolean;
  /** stopped by onIteration returning false or by the AbortSignal (after that iteration) */
  cancelled: boolean;
}

/** What GMMHMM.toJSON() returns: the settings and the parameters that have a value (all once fitted; before that, those set). */
export interface GMMHMMJSON {
  format: 'gmmhmm-model';
  version: 1;
  nStates: number;
  nMix: number;
  nFeatures: number;
  covarianceType: CovarianceType;
  topology?: 'ergodic' | 'left-right' | 'custom';
  maxJump?: number;
  endInLastState?: boolean;
  fitted?: boolean;
  startprob?: number[];
  transmat?: number[][];
  weights?: number[][];
  means?: number[][][];
  covars?: number[] | number[][] | number[][][] | number[][][][];
  /** the training controls and priors (tol -Infinity as the string '-Infinity'; priors as given) */
  training?: GMMHMMFileTraining;
  monitor?: { history: number[]; iterations: number; converged: boolean };
}

/** GMMHMMJSON.training: the training controls as a model file holds them. */
export type GMMHMMFileTraining = Omit<GMMHMMTrainingOptions, 'tol'> & { tol?: number | '-Infinity' };

/** GMMHMM.config: the model's sizes, structure and training controls. */
export interface GMMHMMConfig {
  nStates: number;
  nMix: number;
  nFeatures: number;
  covarianceType: CovarianceType;
  topology: 'ergodic' | 'left-right' | 'custom';
  maxJump: number;
  endInLastState: boolean;
  fitted: boolean;
  nIter: number;
  tol: number;
  minCovar: number;
  varianceFloorFraction: number;
  seed: number;
  params: string;
  initParams: string;
  init: 'auto' | 'kmeans' | 'segmental';
  nInit: number;
  precision: 'float64' | 'float32';
  mixtureSplitting: boolean;
  splitIterations: number;
  /** each as given: a number or nested arrays */
  startprobPrior: PriorValue;
  transmatPrior: PriorValue;
  weightsPrior: PriorValue;
  meansPrior: PriorValue;
  meansWeight: PriorValue;
  covarsPrior: PriorValue;
  covarsWeight: PriorValue;
}

export interface GMMHMM extends TrainingSettings<GMMHMMTrainingOptions> {
  fit(X: DataInput, lengthsOrOptions?: ArrayLike<number> | FitOptions): this;
  /**
   * fit() without blocking, its E-steps and its k-means or segmental initialisation in
   * Workers (with workers: 0, all of it on this thread). Rejects (the model unchanged) with:
   * signal.reason when aborted; code 'disposed' (dispose() meanwhile), 'cancelled'
   * (terminateWorkers()), 'internal' (a Worker died); what onIteration throws. Methods that
   * change the model throw while it runs.
   */
  fitAsync(X: DataInput, lengthsOrOptions?: ArrayLike<number> | FitAsyncOptions): Promise<this>;
  score(X: DataInput, lengths?: LengthsOrOptions): number;
  scorePerSequence(X: DataInput, lengths?: LengthsOrOptions): Float64Array;
  scoreSamples(X: DataInput, lengths?: LengthsOrOptions): { logLikelihood: number; posteriors: Rows };
  /**
   * 'viterbi' (default): the most probable state path and its log-probability. 'map':
   * hmmlearn's, the most probable state of every frame on its own (argmax of the posteriors;
   * the path may use transitions the model forbids), and as logLikelihood what hmmlearn
   * returns: the sum over frames of that state's posterior (a sum of probabilities).
   */
  decode(X: DataInput, lengthsOrOptions?: ArrayLike<number> | DecodeOptions): { logLikelihood: number; states: Int32Array };
  predict(X: DataInput, lengths?: LengthsOrOptions): Int32Array;
  predictProba(X: DataInput, lengths?: LengthsOrOptions): Rows;
  emissionLogLikelihoods(X: DataInput, lengths?: LengthsOrOptions): Rows;
  /** n frames, 1 to 10,000,000 per call (each row is an array: more would exhaust the JavaScript heap) */
  sample(n: number, options?: SampleOptions): { X: Rows; states: Int32Array };
  /**
   * hmmlearn's get_stationary_distribution(): π = π·transmat, Σπ = 1. Unique for an
   * irreducible chain; for a reducible one (a left-right model...) the long-run average
   * distribution of the chain started from startprob.
   */
  stationaryDistribution(): number[];
  aic(X: DataInput, lengths?: LengthsOrOptions): number;
  bic(X: DataInput, lengths?: LengthsOrOptions): number;
  readonly nFreeParameters: number;
  readonly monitor: Monitor;
  readonly nStates: number;
  readonly nMix: number;
  readonly nFeatures: number;
  readonly covarianceType: CovarianceType;
  readonly topology: 'ergodic' | 'left-right' | 'custom';
  readonly maxJump: number;
  readonly endInLastState: boolean;
  readonly fitted: boolean;
  readonly disposed: boolean;
  readonly config: GMMHMMConfig;
  /** hmmlearn shapes: N; N×N; N×M; N×M×D; diag N×M×D, full N×M×D×D, spherical N×M, tied N×D×D */
  startprob: number[];
  transmat: number[][];
  weights: number[][];
  means: number[][][];
  covars: number[] | number[][] | number[][][] | number[][][][];
  clone(): GMMHMM;
  toJSON(): GMMHMMJSON;
  dispose(): void;
  [Symbol.dispose](): void;
}

export interface GMMHMMConstructor {
  new (options?: GMMHMMOptions): GMMHMM;
  /**
   * toJSON() output, its text, or an hmmlearn dump (startprob_, transmat_, ... names accepted).
   * maxBytes (default 64 MiB): a larger file is refused (code 'model-format') before it is
   * copied into the WebAssembly heap.
   */
  fromJSON(json: GMMHMMJSON | Record<string, unknown> | string, options?: { maxBytes?: number }): GMMHMM;
  /**
   * Starts the Workers of fitAsync() (shared with the Recognizer's training) ahead of it.
   * Resolves to the number ready; 0 where workers cannot run.
   */
  prepareWorkers(options?: { workers?: number | false | 'auto' }): Promise<number>;
}

// ---- CategoricalHMM (web/lib/categorical.js) ----

/** Integer symbols: T symbols (number[] or a typed array) or T rows of one symbol ((T, 1), hmmlearn's shape). */
export type SymbolInput = ReadonlyArray<number> | ReadonlyArray<ArrayLike<number>> | Int8Array | Uint8Array |
  Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** CategoricalHMM's training controls (constructor, fit()): the chain's (letters s t e) and the emissions' prior. */
export interface CategoricalHMMTrainingOptions extends ChainTrainingOptions {
  /** Dirichlet concentration of emissionprob (default 1: none): a number, or arrays broadcasting to [nStates, nFeatures] */
  emissionprobPrior?: PriorValue;
}

export interface CategoricalHMMOptions extends CategoricalHMMTrainingOptions {
  /** hidden states (hmmlearn's n_components; default 1) */
  nStates?: number;
  /** number of symbols (default: the largest symbol of the first fit + 1) */
  nFeatures?: number;
}

/** CategoricalHMM.config: the sizes and the training controls. */
export interface CategoricalHMMConfig {
  nStates: number;
  nFeatures: number;
  fitted: boolean;
  nIter: number;
  tol: number;
  seed: number;
  params: string;
  initParams: string;
  startprobPrior: PriorValue;
  transmatPrior: PriorValue;
  emissionprobPrior: PriorValue;
}

/** What CategoricalHMM.toJSON() returns. */
export interface CategoricalHMMJSON {
  format: 'gmmhmm-categorical-hmm';
  version: 1;
  nStates: number;
  nFeatures: number;
  fitted?: boolean;
  startprob?: number[];
  transmat?: number[][];
  emissionprob?: number[][];
  training?: Omit<CategoricalHMMTrainingOptions, 'tol'> & { tol?: number | '-Infinity' };
  monitor?: { history: number[]; iterations: number; converged: boolean };
}

export type SymbolLengthsOrOptions = ArrayLike<number> | { lengths?: ArrayLike<number> } | undefined;

/** fit() options of the hmmlearn families: their training controls plus these. */
/**
 * The data methods' options of a family: lengths, and for the families whose frames are rows
 * (PoissonHMM, MultinomialHMM, GaussianHMM: Width = RowWidth) the row width of a flat typed array.
 */
export type ChainLengthsOrOptions<Width = {}> = ArrayLike<number> | ({ lengths?: ArrayLike<number> } & Width) | undefined;
export interface RowWidth {
  /** row width of a flat typed-array X (default: the model's nFeatures) */
  nFeatures?: number;
}

export type ChainFitOptions<Training> = Training & {
  lengths?: ArrayLike<number>;
  /** after every EM iteration; return false to stop */
  onIteration?: (info: IterationInfo) => boolean | void;
  signal?: AbortSignal;
};

/** fitAsync()'s: fit()'s and the Workers (as GMMHMM.fitAsync's). */
export type ChainFitAsyncOptions<Training> = ChainFitOptions<Training> & {
  /** 'auto' (default: one per core, at most 8), a count, or 0/false (in this thread); the result is fit()'s, bit for bit */
  workers?: number | false | 'auto';
};

/**
 * What every hmmlearn family (CategoricalHMM, PoissonHMM, MultinomialHMM, GaussianHMM) has: one class in
 * web/lib/chain-model.js. X: the family's frames; Sampled: the X of sample().
 */
export interface ChainHMM<X, Sampled, Training, Config, Json, Width = {}> {
  fit(X: X, lengthsOrOptions?: ArrayLike<number> | (ChainFitOptions<Training> & Width)): this;
  /**
   * fit() without blocking, as GMMHMM.fitAsync: E-steps in Workers, each on a share of the
   * sequences; aborting `signal` rejects and leaves the model as it was. The initialisation
   * runs on this thread (GaussianHMM's k-means: about 0.4 s for 100,000 frames of 39
   * features with nInit 10; give nInit: 1, or set the means and leave 'm' out of initParams).
   */
  fitAsync(X: X, lengthsOrOptions?: ArrayLike<number> | (ChainFitAsyncOptions<Training> & Width)): Promise<this>;
  score(X: X, lengths?: ChainLengthsOrOptions<Width>): number;
  scorePerSequence(X: X, lengths?: ChainLengthsOrOptions<Width>): Float64Array;
  scoreSamples(X: X, lengths?: ChainLengthsOrOptions<Width>): { logLikelihood: number; posteriors: Rows };
  /** as GMMHMM.decode: 'viterbi' (default) or hmmlearn's 'map' */
  decode(X: X, lengthsOrOptions?: ArrayLike<number> | ({ lengths?: ArrayLike<number>; algorithm?: 'viterbi' | 'map' } & Width)): { logLikelihood: number; states: Int32Array };
  predict(X: X, lengths?: ChainLengthsOrOptions<Width>): Int32Array;
  predictProba(X: X, lengths?: ChainLengthsOrOptions<Width>): Rows;
  /** n frames: up to 1e8 symbols (CategoricalHMM), 10,000,000 rows per call for the other families */
  sample(n: number, options?: SampleOptions): { X: Sampled; states: Int32Array };
  stationaryDistribution(): number[];
  aic(X: X, lengths?: ChainLengthsOrOptions<Width>): number;
  bic(X: X, lengths?: ChainLengthsOrOptions<Width>): number;
  readonly nFreeParameters: number;
  readonly monitor: Monitor;
  readonly nStates: number;
  /** values per frame (symbols, counts); 0 until known */
  readonly nFeatures: number;
  readonly fitted: boolean;
  readonly disposed: boolean;
  readonly config: Config;
  /** hmmlearn shapes: N; N×N */
  startprob: number[];
  transmat: number[][];
  clone(): this;
  toJSON(): Json;
  dispose(): void;
  [Symbol.dispose](): void;
}

/** The training controls every family shares (ChainOptions in C++); hmmlearn's in camelCase. */
export interface ChainTrainingOptions {
  /** maximum number of EM iterations (default 10) */
  nIter?: number;
  /** EM stops when an iteration gains less (default 1e-2); <= 0 or -Infinity runs every iteration */
  tol?: number;
  /** seed of the initialisation (default 0) */
  seed?: number;
  /** letters s (startprob), t (transmat) and the family's: what EM updates (default: all) */
  params?: string;
  /** the same letters: what initialisation sets (default: all); parameters never set are initialised anyway */
  initParams?: string;
  /** Dirichlet concentration of startprob (default 1: none): a number, or one per state ([nStates]) */
  startprobPrior?: PriorValue;
  /** Dirichlet concentration of transmat (default 1: none): a number, or arrays broadcasting to [nStates, nStates] (numpy's rule) */
  transmatPrior?: PriorValue;
}

/** hmmlearn's CategoricalHMM: states emitting integer symbols 0 .. nFeatures - 1. */
export interface CategoricalHMM extends ChainHMM<SymbolInput, Int32Array, CategoricalHMMTrainingOptions, CategoricalHMMConfig, CategoricalHMMJSON>,
  TrainingSettings<CategoricalHMMTrainingOptions> {
  /** N×nFeatures, rows summing to 1 */
  emissionprob: number[][];
}

/** Kept for code written against CategoricalHMM's first release. */
export type CategoricalFitOptions = ChainFitOptions<CategoricalHMMTrainingOptions>;

export interface CategoricalHMMConstructor {
  new (options?: CategoricalHMMOptions): CategoricalHMM;
  /** toJSON() output, its text, or an hmmlearn dump ({ startprob_, transmat_, emissionprob_, n_features }). */
  fromJSON(json: CategoricalHMMJSON | Record<string, unknown> | string, options?: { maxBytes?: number }): CategoricalHMM;
  /** Starts fitAsync()'s Workers ahead of it (the pool GMMHMM.prepareWorkers starts); resolves to how many are ready. */
  prepareWorkers(options?: { workers?: number | false | 'auto' }): Promise<number>;
}

// ---- PoissonHMM and MultinomialHMM (web/lib/counts.js) ----

/**
 * Frames of counts (integers >= 0): T rows (number[][] or typed-array rows, integer typed
 * arrays included), or one flat typed array of T × nFeatures once the model's nFeatures is known;
 * or a list of sequences of such rows (the lengths then come from the list: give no lengths).
 */
export type CountInput = ReadonlyArray<ArrayLike<number>> | ReadonlyArray<ReadonlyArray<ArrayLike<number>>> |
  Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** PoissonHMM's training controls (letters s t l). */
export interface PoissonHMMTrainingOptions extends ChainTrainingOptions {
  /** alpha of the rates' Gamma prior (hmmlearn's lambdas_prior; default 0: none): a number, or arrays broadcasting to [nStates, nFeatures] */
  lambdasPrior?: PriorValue;
  /** beta of the rates' Gamma prior (hmmlearn's lambdas_weight; default 0: none): a number, or arrays broadcasting to [nStates, nFeatures] */
  lambdasWeight?: PriorValue;
}

export interface PoissonHMMOptions extends PoissonHMMTrainingOptions {
  /** hidden states (hmmlearn's n_components; default 1) */
  nStates?: number;
  /** counts per frame (default: the row width of the first fit) */
  nFeatures?: number;
}

export interface PoissonHMMConfig {
  nStates: number;
  nFeatures: number;
  fitted: boolean;
  nIter: number;
  tol: number;
  seed: number;
  params: string;
  initParams: string;
  startprobPrior: PriorValue;
  transmatPrior: PriorValue;
  lambdasPrior: PriorValue;
  lambdasWeight: PriorValue;
}

/** What PoissonHMM.toJSON() returns. */
export interface PoissonHMMJSON {
  format: 'gmmhmm-poisson-hmm';
  version: 1;
  nStates: number;
  nFeatures: number;
  fitted?: boolean;
  startprob?: number[];
  transmat?: number[][];
  lambdas?: number[][];
  training?: Omit<PoissonHMMTrainingOptions, 'tol'> & { tol?: number | '-Infinity' };
  monitor?: { history: number[]; iterations: number; converged: boolean };
}

/** hmmlearn's PoissonHMM: states emitting nFeatures independent Poisson counts. */
export interface PoissonHMM extends ChainHMM<CountInput, Rows, PoissonHMMTrainingOptions, PoissonHMMConfig, PoissonHMMJSON, RowWidth>,
  TrainingSettings<PoissonHMMTrainingOptions> {
  /** rates, N×nFeatures (finite, > 0) */
  lambdas: number[][];
}

export interface PoissonHMMConstructor {
  new (options?: PoissonHMMOptions): PoissonHMM;
  /** toJSON() output, its text, or an hmmlearn dump ({ startprob_, transmat_, lambdas_, n_features }). */
  fromJSON(json: PoissonHMMJSON | Record<string, unknown> | string, options?: { maxBytes?: number }): PoissonHMM;
  /** Starts fitAsync()'s Workers ahead of it (the pool GMMHMM.prepareWorkers starts); resolves to how many are ready. */
  prepareWorkers(options?: { workers?: number | false | 'auto' }): Promise<number>;
}

/** MultinomialHMM's training controls (letters s t e; hmmlearn's MultinomialHMM has no emission prior). */
export type MultinomialHMMTrainingOptions = ChainTrainingOptions;

export interface MultinomialHMMOptions extends MultinomialHMMTrainingOptions {
  /** hidden states (hmmlearn's n_components; default 1) */
  nStates?: number;
  /** outcomes counted per frame (default: the row width of the first fit) */
  nFeatures?: number;
  /** draws per frame: every frame's counts add up to it (default 0: any total; sample() then refuses) */
  nTrials?: number;
}

export interface MultinomialHMMConfig {
  nStates: number;
  nFeatures: number;
  nTrials: number;
  fitted: boolean;
  nIter: number;
  tol: number;
  seed: number;
  params: string;
  initParams: string;
  startprobPrior: PriorValue;
  transmatPrior: PriorValue;
}

/** What MultinomialHMM.toJSON() returns. */
export interface MultinomialHMMJSON {
  format: 'gmmhmm-multinomial-hmm';
  version: 1;
  nStates: number;
  nFeatures: number;
  nTrials: number;
  fitted?: boolean;
  startprob?: number[];
  transmat?: number[][];
  emissionprob?: number[][];
  training?: Omit<MultinomialHMMTrainingOptions, 'tol'> & { tol?: number | '-Infinity' };
  monitor?: { history: number[]; iterations: number; converged: boolean };
}

/** hmmlearn 0.3's MultinomialHMM: a frame counts the outcomes of nTrials draws. */
export interface MultinomialHMM extends ChainHMM<CountInput, Rows, MultinomialHMMTrainingOptions, MultinomialHMMConfig, MultinomialHMMJSON, RowWidth>,
  TrainingSettings<MultinomialHMMTrainingOptions> {
  /** N×nFeatures, rows summing to 1 */
  emissionprob: number[][];
  readonly nTrials: number;
}

export interface MultinomialHMMConstructor {
  new (options?: MultinomialHMMOptions): MultinomialHMM;
  /** toJSON() output, its text, or an hmmlearn dump ({ startprob_, transmat_, emissionprob_, n_features, n_trials }). */
  fromJSON(json: MultinomialHMMJSON | Record<string, unknown> | string, options?: { maxBytes?: number }): MultinomialHMM;
  /** Starts fitAsync()'s Workers ahead of it (the pool GMMHMM.prepareWorkers starts); resolves to how many are ready. */
  prepareWorkers(options?: { workers?: number | false | 'auto' }): Promise<number>;
}

// ---- GaussianHMM (web/lib/gaussian.js) ----

/** GaussianHMM's training controls (letters s t m c), hmmlearn's GaussianHMM priors. */
export interface GaussianHMMTrainingOptions extends ChainTrainingOptions {
  /** added to the data's covariance at initialisation (default 1e-3), as hmmlearn's min_covar: not a floor on the fitted variances */
  minCovar?: number;
  /** mean of the means' normal prior (default 0): a number, or arrays broadcasting to [nStates, nFeatures] */
  meansPrior?: PriorValue;
  /** weight of the means' prior, in frames (default 0: none): a number, or one per state ([nStates]) */
  meansWeight?: PriorValue;
  /** scatter added to the covariances; full and tied: to every entry, as hmmlearn (default 1e-2): a number, or arrays broadcasting to the covariances' shape (spherical [nStates], diag [nStates, nFeatures], full [nStates, nFeatures, nFeatures], tied [nFeatures, nFeatures]) */
  covarsPrior?: PriorValue;
  /** hmmlearn's covars_weight: max(w - 1, 0) frames (full, tied: max(w - nFeatures, 0)) added to the denominator (default 1): a number, or arrays broadcasting to spherical and full [nStates], diag [nStates, nFeatures]; tied: a number */
  covarsWeight?: PriorValue;
  /** k-means runs initialising the means, the lowest inertia kept (default 10) */
  nInit?: number;
}

export interface GaussianHMMOptions extends GaussianHMMTrainingOptions {
  /** hidden states (hmmlearn's n_components; default 1) */
  nStates?: number;
  /** values per frame (default: the row width of the first fit) */
  nFeatures?: number;
  /** default 'diag'; 'tied' is hmmlearn's: ONE matrix shared by every state */
  covarianceType?: CovarianceType;
}

export interface GaussianHMMConfig {
  nStates: number;
  nFeatures: number;
  covarianceType: CovarianceType;
  fitted: boolean;
  nIter: number;
  tol: number;
  seed: number;
  params: string;
  initParams: string;
  startprobPrior: PriorValue;
  transmatPrior: PriorValue;
  minCovar: number;
  meansPrior: PriorValue;
  meansWeight: PriorValue;
  covarsPrior: PriorValue;
  covarsWeight: PriorValue;
  nInit: number;
}

/** What GaussianHMM.toJSON() returns (covars in the type's own shape, hmmlearn's _covars_). */
export interface GaussianHMMJSON {
  format: 'gmmhmm-gaussian-hmm';
  version: 1;
  nStates: number;
  nFeatures: number;
  covarianceType: CovarianceType;
  fitted?: boolean;
  startprob?: number[];
  transmat?: number[][];
  means?: number[][];
  /** spherical: N; diag: N×D; full: N×D×D; tied: D×D */
  covars?: number[] | number[][] | number[][][];
  training?: Omit<GaussianHMMTrainingOptions, 'tol'> & { tol?: number | '-Infinity' };
  monitor?: { history: number[]; iterations: number; converged: boolean };
}

/** hmmlearn's GaussianHMM: one Gaussian per state. */
export interface GaussianHMM extends ChainHMM<DataInput, Rows, GaussianHMMTrainingOptions, GaussianHMMConfig, GaussianHMMJSON, RowWidth>,
  TrainingSettings<GaussianHMMTrainingOptions> {
  /** N×nFeatures */
  means: number[][];
  /**
   * Reads as a D×D matrix per state whatever the type (hmmlearn's covars_ property); takes that
   * or the type's own shape (spherical N, diag N×D, full N×D×D, tied D×D).
   */
  get covars(): number[][][];
  set covars(value: number[] | ReadonlyArray<ArrayLike<number>> | ReadonlyArray<ReadonlyArray<ArrayLike<number>>> | Float64Array);
  readonly covarianceType: CovarianceType;
}

export interface GaussianHMMConstructor {
  new (options?: GaussianHMMOptions): GaussianHMM;
  /** toJSON() output, its text, or an hmmlearn dump ({ startprob_, transmat_, means_, covars_ or _covars_, covariance_type }). */
  fromJSON(json: GaussianHMMJSON | Record<string, unknown> | string, options?: { maxBytes?: number }): GaussianHMM;
  /** Starts fitAsync()'s Workers ahead of it (the pool GMMHMM.prepareWorkers starts); resolves to how many are ready. */
  prepareWorkers(options?: { workers?: number | false | 'auto' }): Promise<number>;
}

/** What load() returns. GMMHMM and Recognizer are described by their own parts of the package. */
export interface GmmHmmApi {
  readonly GmmHmmError: typeof GmmHmmError;
  /** the build in use */
  readonly variant: 'simd' | 'nosimd';
  readonly simd: boolean;
  readonly singleFile: boolean;
  /** bytes allocated in the wasm heap now */
  heapBytesInUse(): number;
  /** size of the wasm memory, bytes (grows up to 2 GB, never shrinks) */
  memoryBytes(): number;
  /** JS values held by the wasm side (constant when nothing leaks) */
  valueHandles(): number;

  /** MFCCs, T rows x numCeps (Kaldi compute-mfcc-feats). Input shorter than one frame: []. */
  mfcc(samples: Samples, sampleRate: number, options?: MfccOptions): Rows;
  /** Log mel energies, T rows x numMelBins (+1 with useEnergy) (Kaldi compute-fbank-feats). */
  fbank(samples: Samples, sampleRate: number, options?: FbankOptions): Rows;
  /** [x, Δx, Δ²x, ...]: T rows x D·(order+1), like Kaldi add-deltas. */
  addDeltas(features: MatrixInput, options?: DeltaOptions): Rows;
  /** Per-utterance mean (and variance) normalisation of each column. */
  cmvn(features: MatrixInput, options?: CmvnOptions): Rows;
  /** Every word in a whole recording (Endpointer push + finish). */
  findSpeechSegments(samples: Samples, sampleRate: number, options?: EndpointerOptions): SpeechSegment[];
  /** The options of a preset ('kaldi' default, or 'speech'). */
  mfccPreset(name?: 'kaldi' | 'speech'): MfccPresetOptions;
  readonly FeatureStream: FeatureStreamConstructor;
  readonly Endpointer: EndpointerConstructor;
  /** hmmlearn's GMMHMM: hidden Markov model with Gaussian-mixture emissions. */
  readonly GMMHMM: GMMHMMConstructor;
  /** hmmlearn's CategoricalHMM: hidden Markov model emitting integer symbols. */
  readonly CategoricalHMM: CategoricalHMMConstructor;
  /** hmmlearn's PoissonHMM: hidden Markov model emitting frames of Poisson counts. */
  readonly PoissonHMM: PoissonHMMConstructor;
  /** hmmlearn 0.3's MultinomialHMM: hidden Markov model emitting count vectors of nTrials draws. */
  readonly MultinomialHMM: MultinomialHMMConstructor;
  /** hmmlearn's GaussianHMM: hidden Markov model with one Gaussian per state ('tied': one matrix for all). */
  readonly GaussianHMM: GaussianHMMConstructor;
  /** Word recognizer: one left-to-right GMM-HMM per word, calibrated, with rejection. */
  readonly Recognizer: RecognizerConstructor;
  /**
   * Ends the training workers of this load() now (train() calls using them reject with code
   * 'cancelled'; later trainings start new ones). Resolves when their threads have ended.
   */
  terminateWorkers(): Promise<void>;
}

/** True when this engine runs WebAssembly SIMD. */
export function simdSupported(): boolean;

/** Longest word label, in UTF-16 code units (a string's length). */
export const MAX_LABEL_LENGTH: number;
/** The label rule in words (for help texts). */
export const LABEL_RULE: string;
/**
 * Returns `label` when it is a valid word label: a non-empty string of at most
 * MAX_LABEL_LENGTH characters without control characters, line/paragraph separators,
 * bidirectional controls or unpaired surrogates, not starting or ending with whitespace.
 * Otherwise throws a GmmHmmError ('invalid-argument') whose message starts with `name`
 * (default 'label'). The Recognizer and recognizer files apply the same rule.
 */
export function checkLabel(label: unknown, name?: string): string;

/** Loads the WebAssembly module (its own heap) and returns the API bound to it. */
export function load(options?: LoadOptions): Promise<GmmHmmApi>;
export default load;
