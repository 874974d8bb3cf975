// Compiled with tsc --noEmit by tests/node/package.test.js: what a TypeScript user writes
// type-checks, and wrong uses (marked @ts-expect-error) are rejected.
import { load, simdSupported, GmmHmmError, checkLabel, MAX_LABEL_LENGTH, LABEL_RULE } from 'gmmhmm';
import type { Rows, FeatureStream, SpeechSegment, MfccOptions, GmmHmmApi, ErrorCode, PriorValue } from 'gmmhmm';
import ready from 'gmmhmm/ready';
import { readWav, decodeWav } from 'gmmhmm/wav';

export async function usage(): Promise<number> {
  const gmmhmm: GmmHmmApi = await load({ variant: 'auto', wasmURL: new URL('https://example.com/x.wasm') });
  const simd: boolean = simdSupported() && gmmhmm.simd;
  const samples = new Float32Array(16000);
  const wav = await readWav('yes.wav');
  const wavRate: number = wav.sampleRate;
  const wavSamples: Float32Array = decodeWav(new Uint8Array(44), 'yes.wav').samples;
  // @ts-expect-error a file name, not its bytes
  await readWav(new Uint8Array(44));

  const options: MfccOptions = { numCeps: 13, windowType: 'hamming', snipEdges: false, preset: 'speech' };
  const m: Rows = gmmhmm.mfcc(samples, 16000, options);
  const first: Float64Array = m[0];
  const fb = gmmhmm.fbank(samples, 48000, { numMelBins: 40, useEnergy: true });
  const d = gmmhmm.addDeltas(m, { order: 2, window: 2 });
  const n = gmmhmm.cmvn(new Float64Array(26), { variance: true, nFeatures: 13 });
  const nested = gmmhmm.cmvn([[1, 2], [3, 4]]);

  const stream: FeatureStream = new gmmhmm.FeatureStream(16000, { features: 'fbank', numMelBins: 40 });
  const ready1: number = stream.push(samples.subarray(0, 128));
  const frames: Rows = stream.pull(4);
  stream.finish();
  stream.dispose();

  const endpointer = new gmmhmm.Endpointer(44100, { hangover: 300, minWord: 120 });
  const words: SpeechSegment[] = [...endpointer.push(samples), ...endpointer.finish()];
  const speaking: boolean = endpointer.inSpeech;
  endpointer[Symbol.dispose]();
  const segments = gmmhmm.findSpeechSegments(samples, 16000);
  const preset = gmmhmm.mfccPreset('speech');
  const low: number = preset.lowFreq;

  try {
    gmmhmm.mfcc(samples, 0);
  } catch (error) {
    if (error instanceof GmmHmmError) {
      const code: ErrorCode = error.code;
      console.log(code, error.message);
    }
  }

  // @ts-expect-error: sampleRate is a number
  gmmhmm.mfcc(samples, '16000');
  // @ts-expect-error: no such option
  gmmhmm.mfcc(samples, 16000, { numCepts: 12 });
  // @ts-expect-error: windowType is one of five names
  gmmhmm.mfcc(samples, 16000, { windowType: 'triangle' });
  // @ts-expect-error: fbank has no numCeps
  new gmmhmm.FeatureStream(16000, { features: 'fbank', numCeps: 13 });
  // @ts-expect-error: variant names
  await load({ variant: 'sse' });

  return first.length + fb.length + d.length + n.length + nested.length + ready1 + frames.length + words.length +
    segments.length + low + Number(simd) + Number(speaking) + ready.mfcc(samples, 16000).length;
}

// GMMHMM
export async function gmmhmmUsage(): Promise<number> {
  const { GMMHMM } = await load();
  const m = new GMMHMM({ nStates: 5, nMix: 2, covarianceType: 'diag', topology: 'left-right', nIter: 20, tol: 1e-3,
    minCovar: 1e-3, seed: 0, params: 'stmcw', initParams: 'stmcw' });
  const X = [[1, 2], [3, 4], [5, 6]];
  m.fit(X, [3]);
  m.fit([X, X]);
  m.fit(new Float64Array(6), { lengths: [3], nFeatures: 2, nIter: 5, onIteration: ({ logLikelihood }) => logLikelihood > 0 });
  const ll: number = m.score(X, [3]);
  const { posteriors } = m.scoreSamples(X);
  const states: Int32Array = m.decode(X).states;
  const mapStates: Int32Array = m.decode(X, { lengths: [3], algorithm: 'map' }).states;
  // @ts-expect-error algorithm is 'viterbi' or 'map'
  m.decode(X, { algorithm: 'posterior' });
  const sampled = m.sample(10, { seed: 1 });
  const continued = m.sample(10, { seed: 2, currstate: sampled.states[9] });
  // @ts-expect-error sample takes seed and currstate
  m.sample(10, { random_state: 1 });
  const stationary: number[] = m.stationaryDistribution();
  const nInit: number = new GMMHMM({ nInit: 10, tol: -Infinity }).config.nInit;
  m.nIter = 50;  // the training controls are properties (hmmlearn's model.n_iter = 50)
  m.transmatPrior = [[2, 1, 1, 1, 1], [1, 2, 1, 1, 1], [1, 1, 2, 1, 1], [1, 1, 1, 2, 1], [1, 1, 1, 1, 2]];
  const precision: 'float64' | 'float32' = m.precision;
  // @ts-expect-error nIter is a number
  m.nIter = '50';
  // @ts-expect-error the sizes are fixed at construction
  m.nStates = 3;
  const withPriors = new GMMHMM({ nStates: 2, startprobPrior: [10, 1], transmatPrior: [[2, 1], [1, 2]], meansPrior: Float64Array.of(0, 1), covarsWeight: 3 });
  const transmatPrior: PriorValue = withPriors.config.transmatPrior;
  withPriors.fit(X, { weightsPrior: [[1], [2]] });
  // @ts-expect-error a prior is a number or (nested) arrays of numbers
  new GMMHMM({ weightsPrior: ['1'] });
  withPriors.dispose();
  const transmat: number[][] = m.transmat;
  const json = m.toJSON();
  const copy = GMMHMM.fromJSON(json);
  // @ts-expect-error covarianceType is one of four names
  new GMMHMM({ covarianceType: 'diagonal' });
  copy.dispose();
  m[Symbol.dispose]();
  return ll + posteriors.length + states.length + mapStates.length + sampled.X.length + continued.X.length +
    stationary.length + nInit + transmat.length + (precision === 'float32' ? 1 : 0) + m.monitor.iterations + (typeof transmatPrior === 'number' ? 1 : 0);
}

// CategoricalHMM
export async function categoricalUsage(): Promise<number> {
  const { CategoricalHMM } = await load();
  const m = new CategoricalHMM({ nStates: 2, nFeatures: 3, nIter: 20, tol: -Infinity, seed: 1, params: 'ste', emissionprobPrior: [[2, 1, 1], [1, 1, 2]], startprobPrior: Float64Array.of(2, 1) });
  m.fit([0, 1, 2, 2, 1], [2, 3]);
  m.fit([[0], [1], [2]], { lengths: [3], onIteration: ({ iteration }) => iteration < 5 });
  m.fit(Int32Array.of(0, 1, 2));
  const ll: number = m.score(Uint8Array.of(0, 1), { lengths: [2] });
  const states: Int32Array = m.decode([0, 1], { algorithm: 'map' }).states;
  const symbols: Int32Array = m.sample(5, { seed: 2, currstate: 1 }).X;
  const emissionprob: number[][] = m.emissionprob;
  m.emissionprob = [[0.5, 0.5, 0], [0, 0.5, 0.5]];
  m.nIter = 5;
  m.emissionprobPrior = 2;
  // @ts-expect-error CategoricalHMM has no minCovar
  m.minCovar = 1e-3;
  // @ts-expect-error symbols are one value wide: no row width
  m.score([0, 1], { nFeatures: 2 });
  // @ts-expect-error CategoricalHMM has no covariances
  new CategoricalHMM({ covarianceType: 'diag' });
  const copy = CategoricalHMM.fromJSON({ startprob_: [1], transmat_: [[1]], emissionprob_: [[1]], n_features: 1 });
  copy.dispose();
  const nFeatures: number = m.config.nFeatures;
  const iterations = m.monitor.iterations;
  m.dispose();
  return ll + states.length + symbols.length + emissionprob.length + nFeatures + iterations;
}

// PoissonHMM and MultinomialHMM
export async function countsUsage(): Promise<number> {
  const { PoissonHMM, MultinomialHMM } = await load();
  const p = new PoissonHMM({ nStates: 2, nFeatures: 3, params: 'stl', lambdasPrior: 1, lambdasWeight: 2 });
  p.fit([[0, 1, 2], [3, 1, 0]], { lengths: [2], onIteration: ({ iteration }) => iteration < 5 });
  p.fit([Int32Array.of(0, 1, 2)]);
  const pll: number = p.score(Uint16Array.of(0, 1, 2, 3, 1, 0), [2]);
  const rows: Float64Array[] = p.sample(5, { seed: 2 }).X;
  const lambdas: number[][] = p.lambdas;
  p.lambdas = [[1, 2, 3], [4, 5, 6]];
  const pCopy: typeof p = p.clone();
  pCopy.dispose();
  const prior: PriorValue = p.config.lambdasPrior;
  p.fit([[[0, 1, 2], [3, 1, 0]], [Int32Array.of(0, 1, 2)]], { lambdasPrior: [[1, 0, 2], [0.5, 1, 1]], lambdasWeight: [[1], [2]] });
  const fitted: typeof p = await p.fitAsync([[0, 1, 2], [3, 1, 0]], { lengths: [2], workers: 2, signal: new AbortController().signal });
  // @ts-expect-error PoissonHMM has no emissionprob prior
  new PoissonHMM({ emissionprobPrior: 2 });
  const m = new MultinomialHMM({ nStates: 2, nFeatures: 4, nTrials: 5 });
  m.fit([[1, 1, 3, 0], [3, 1, 1, 0]]);
  const trials: number = m.nTrials + m.config.nTrials;
  const emissionprob: number[][] = m.emissionprob;
  const file: 'gmmhmm-multinomial-hmm' = m.toJSON().format;
  // @ts-expect-error MultinomialHMM has no rates
  m.lambdas = [[1]];
  const loaded = MultinomialHMM.fromJSON({ startprob_: [1], transmat_: [[1]], emissionprob_: [[1]], n_trials: 1 });
  loaded.dispose();
  p.dispose();
  m.dispose();
  return pll + rows.length + lambdas.length + (typeof prior === 'number' ? prior : 0) + trials + emissionprob.length + file.length + fitted.nStates;
}

export async function recognizerUsage(gmmhmm: GmmHmmApi, samples: Float32Array): Promise<number> {
  const ready: number = await gmmhmm.Recognizer.prepareWorkers({ workers: 2 });
  const rec = new gmmhmm.Recognizer({ word: { maxGrowExamples: 50, varianceFloorScale: 1 }, rejection: { minShapeSpread: 2, sizeCorrection: 0.5 } });
  // The front end's trim options (issue 14), in the constructor and back from toJSON().
  const tight = new gmmhmm.Recognizer({ features: { edgePadding: true, floorDb: 40, noiseEdges: true, trimOn: 'c0', trimDb: 30 } });
  const trimOn: 'power' | 'c0' = tight.toJSON().options.features.trimOn;
  tight.dispose();
  rec.addExample('yes', samples, 16000);
  await rec.train({ workers: 'auto' });
  const r = await rec.classify(samples, 16000);
  // @ts-expect-error workers is a number, false or 'auto'
  await gmmhmm.Recognizer.prepareWorkers({ workers: 'all' });
  rec.dispose();
  const ended: Promise<void> = gmmhmm.terminateWorkers();
  await ended;
  const word: string = checkLabel('yes', 'word');
  // @ts-expect-error the limit is a constant
  MAX_LABEL_LENGTH = 32;
  return ready + r.confidence + trimOn.length + word.length + MAX_LABEL_LENGTH + LABEL_RULE.length;
}

const runCommand = (word: string): string => word.toUpperCase();

export async function listenerUsage(gmmhmm: GmmHmmApi, samples: Float32Array, stream: MediaStream): Promise<number> {
  const rec = new gmmhmm.Recognizer();
  const given: number = rec.removeExamples('yes');  // how many examples 'yes' had
  const listener = rec.createListener({ sampleRate: 16000, hangover: 200, sensitivity: 1, continuous: true });
  let heard = '';
  listener.addEventListener('result', (e) => {
    heard = e.detail.rejected ? `${e.detail.reason}` : `${e.detail.label} ${e.detail.startTime}-${e.detail.endTime}`;
    // An accepted result's label is a string (the README's runCommand(detail.label)).
    if (!e.detail.rejected) heard = runCommand(e.detail.label);
    // @ts-expect-error a rejected result's label may be null
    else heard = runCommand(e.detail.label);
    const copy: Float32Array = e.detail.samples;
    rec.addExample('yes', copy, e.detail.sampleRate);
  });
  listener.addEventListener('error', (e) => { heard = e.error.code; });
  listener.addEventListener('speechstart', (e) => { heard = String(e.detail.startTime); });
  const next = listener.nextUtterance();
  listener.push(samples);
  listener.push([0, 0.1, -0.1]);
  listener.end();
  listener.stop();
  const word = await next;
  // @ts-expect-error sampleRate is required
  rec.createListener({});
  // @ts-expect-error samples are numbers
  listener.push(['0.1']);
  const live = await rec.listen(stream, { workletURL: '/capture-worklet.js', continuous: false, spectrogram: true, samples: false });
  const fromTheMicrophone = await rec.listen({ continuous: false, hangover: 150 });
  fromTheMicrophone.stop();
  // @ts-expect-error options are the second argument when a source is given
  await rec.listen(stream, stream);
  // @ts-expect-error samples is true or false
  rec.createListener({ sampleRate: 16000, samples: 1 });
  live.addEventListener('result', (e) => {
    const picture = e.detail.spectrogram;
    if (picture) heard = `${picture.frames}x${picture.bins} every ${picture.frameShift} s: ${picture.data[0]}`;
  });
  live.stop();
  // @ts-expect-error listen() takes the AudioContext's rate
  await rec.listen(stream, { sampleRate: 16000 });
  const state: 'listening' | 'ended' | 'stopped' = live.state;
  return heard.length + word.decisionDelay + state.length;
}

// GaussianHMM
export async function gaussianUsage(): Promise<number> {
  const { GaussianHMM } = await load();
  const g = new GaussianHMM({ nStates: 2, covarianceType: 'tied', nIter: 20, meansWeight: 1, covarsPrior: 0.1 });
  g.fit([[[0.1, 1.2], [0.3, 0.9]], [[5.2, 4.8]]], { meansWeight: [1, 2], covarsPrior: [[0.1, 0], [0, 0.1]] });
  g.fit([[0.1, 1.2], [0.3, 0.9], [5.2, 4.8]], { lengths: [3], onIteration: ({ logLikelihood }) => logLikelihood < 0 });
  const ll: number = g.score(Float64Array.of(0.1, 1.2, 5.2, 4.8), [2]);
  const states: Int32Array = g.predict([[0.1, 1.2], [5.2, 4.8]]);
  const rows: Float64Array[] = g.sample(4, { seed: 1, currstate: 0 }).X;
  const means: number[][] = g.means;
  const covars: number[][][] = g.covars;
  g.covars = [[1, 0], [0, 1]];
  g.covars = [[[1, 0], [0, 1]], [[1, 0], [0, 1]]];
  g.covarsWeight = [1, 2];
  g.fit(Float64Array.of(0.1, 1.2, 5.2, 4.8), { nFeatures: 2, lengths: [2] });
  const flatScore: number = g.score(Float64Array.of(0.1, 1.2), { nFeatures: 2 });
  const nInitG: number = g.nInit;
  const type: 'diag' | 'full' | 'spherical' | 'tied' = g.covarianceType;
  const file: 'gmmhmm-gaussian-hmm' = g.toJSON().format;
  // @ts-expect-error GaussianHMM has no mixture weights
  g.weights = [[1]];
  // @ts-expect-error covarianceType is one of four names
  new GaussianHMM({ covarianceType: 'diagonal' });
  const loaded = GaussianHMM.fromJSON({ startprob_: [1], transmat_: [[1]], means_: [[0]], covars_: [[[1]]], covariance_type: 'full' });
  loaded.dispose();
  g.dispose();
  return ll + states.length + rows.length + means.length + covars.length + type.length + file.length + nInitG + flatScore;
}

// 'gmmhmm/words': the front end and the Recognizer, the same types as the whole package's.
import { load as loadWords } from 'gmmhmm/words';
import type { GmmHmmWordsApi, Classification } from 'gmmhmm/words';

export async function wordsUsage(): Promise<string | null> {
  const words: GmmHmmWordsApi = await loadWords({ variant: 'auto' });
  const recognizer = new words.Recognizer({ workers: 2 });
  recognizer.addExample('yes', new Float32Array(16000), 16000);
  const features = words.mfcc(new Float32Array(16000), 16000);
  // @ts-expect-error 'gmmhmm/words' has no embedded build
  await loadWords({ singleFile: true });
  const result: Classification = await recognizer.classify(new Float32Array(16000), 16000);
  recognizer.dispose();
  return features.length > 0 ? result.label : null;
}
