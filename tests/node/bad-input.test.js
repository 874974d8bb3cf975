// The bad-input matrix: every public function of the package fed every kind of bad input
// (issue 7). One table drives the tests and the matrix published in docs/hardening.md ("The bad-input matrix"):
//   node tests/node/bad-input.test.js --matrix      prints the matrix (markdown) instead
// Each case either expects a GmmHmmError (code + a message naming the argument and the
// problem) or a documented result. After every case the module must still work (a feature
// computation and a score give their reference values), and at the end the wasm heap is back
// at its baseline: no error path leaks.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { load, GmmHmmError } from 'gmmhmm';
import { random } from './helpers.js';

// Rows of the published matrix: the kinds of bad input.
const INPUTS = {
  nan: 'NaN / ±Infinity',
  empty: 'empty',
  oneFrame: 'one frame / one sample',
  tooShort: 'too short for the topology',
  shape: 'wrong shape',
  type: 'wrong type',
  size: 'negative or zero size',
  absurd: 'absurd size (10⁹)',
  constant: 'constant features',
  outlier: 'outliers of 10⁴',
  probs: 'probabilities not summing to 1',
  nonPD: 'non-positive-definite covariance',
  truncated: 'truncated JSON',
  garbage: 'garbage JSON',
  deep: 'deeply nested JSON',
  huge: 'huge JSON arrays / sizes',
  jsonTypes: 'JSON with wrong types',
  bigFile: 'files of 30 / 100 MB',
  rate: 'sample rates 1 Hz – 1 GHz',
  oddValue: 'odd JS values (BigInt, valueOf, -0, holes)',
  view: 'typed-array views (detached, shared, offset, lying length)',
  options: 'hostile options (throwing getter, Proxy, inherited, __proto__)',
};

const RATE = 16000;
const SILENCE = new Float32Array(RATE / 2);

// A word-like sound: a harmonic tone with a syllable-shaped envelope (the level must vary,
// or the recognizer calls it 'not-speech').
function tone(f0, seconds = 0.5, seed = 1, rate = RATE) {
  const next = random(seed);
  const n = Math.round(seconds * rate);
  return Float32Array.from({ length: n }, (_, i) => {
    const t = i / rate;
    const envelope = Math.sin(Math.PI * i / n) ** 2 * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t));
    const f = f0 * (1 + 0.2 * t);
    return envelope * (0.3 * Math.sin(2 * Math.PI * f * t) + 0.15 * Math.sin(4 * Math.PI * f * t)) + 0.002 * (next() - 0.5);
  });
}

const withValue = (samples, i, v) => { const s = Float32Array.from(samples); s[i] = v; return s; };
const X = Array.from({ length: 40 }, (_, t) => [Math.sin(t / 3) * 2, Math.cos(t / 5) + 0.1 * t]);
const nested = (depth, leaf = 0) => { let v = leaf; for (let i = 0; i < depth; i++) v = [v]; return v; };
const deepText = (depth) => '['.repeat(depth) + ']'.repeat(depth);

// A valid file of about `megabytes` MB: `document` with a member no reader uses, holding
// zeros (the shape of the 100 MB recognizer file that once aborted the module).
const padded = (document, megabytes, member = 'padding') => {
  const text = JSON.stringify(document);
  const zeros = Math.max(1, Math.floor((megabytes * 1e6 - text.length) / 2));
  return `${text.slice(0, -1)},"${member}":[${'0,'.repeat(zeros - 1)}0]}`;
};
// What a call did to the wasm memory (which never shrinks): { value, grown }.
const growth = (g, fn) => {
  const before = g.memoryBytes();
  const value = fn();
  return { value, grown: g.memoryBytes() - before };
};
const MB = 1 << 20;
// Samples that arrive in unusual containers.
const detached = () => { const x = tone(200); structuredClone(x.buffer, { transfer: [x.buffer] }); return x; };
const shared = () => { const x = tone(200); const s = new Float32Array(new SharedArrayBuffer(x.byteLength)); s.set(x); return s; };
const offsetView = () => { const x = tone(200); const big = new Float32Array(x.length + 3000); big.set(x, 1000); return big.subarray(1000, 1000 + x.length); };
class LyingLength extends Float32Array { get length() { return 1; } }
const lying = () => LyingLength.from(tone(200));
const hugeProxy = () => new Proxy([], { get: (target, key) => (key === 'length' ? 1e12 : 0.5) });
const throwingGetter = () => ({ get frameLength() { throw new Error('getter failed'); } });
const throwingProxy = () => new Proxy({}, { ownKeys() { throw new Error('ownKeys trap failed'); } });
const inherited = () => Object.create({ numMelBins: 40 });
const protoKey = () => JSON.parse('{"__proto__": {"numMelBins": 40}}');
// Runs fn with Object.prototype polluted by `key` = `value` (prototype pollution elsewhere in
// the page): options must not pick it up.
const polluted = (key, value, fn) => {
  Object.defineProperty(Object.prototype, key, { value, configurable: true, enumerable: true, writable: true });
  try { return fn(); } finally { delete Object.prototype[key]; }
};
const sameRows = (a, b) => assert.deepEqual(a.map((r) => Array.from(r)), b.map((r) => Array.from(r)));

// ---- the table ----------------------------------------------------------------------------
// { fn, input, what, run(ctx), error: RegExp, code? } or { fn, input, what, run(ctx), result(value, ctx) }
// ctx: { g, fitted (2 states, 2 features), recognizer (trained), modelJSON, recognizerJSON, track(obj) }
const err = (fn, input, what, run, error, code = 'invalid-argument') => ({ fn, input, what, run, error, code });
const ok = (fn, input, what, run, result) => ({ fn, input, what, run, result });

const finiteRows = (rows) => rows.every((r) => Array.from(r).every(Number.isFinite));
const assertFiniteModel = (m) => {
  for (const name of ['startprob', 'transmat', 'weights', 'means', 'covars']) {
    assert.ok(JSON.stringify(m[name]).match(/null/) === null, `${name} has no NaN/Infinity`);
  }
};

const CASES = [
  // load(options)
  err('load', 'type', "options 'x'", () => load('x'), /load options must be an object, got 'x'/),
  err('load', 'type', "variant 'x'", () => load({ variant: 'x' }), /variant must be 'auto', 'simd' or 'nosimd', got 'x'/),
  err('load', 'options', 'a misspelt option (wasmUrl)', () => load({ wasmUrl: '/x.wasm' }), /load options: unknown option 'wasmUrl' \(expected one of variant, wasmURL/),
  err('load', 'garbage', 'wasmBinary of zeros', () => load({ variant: 'nosimd', wasmBinary: new Uint8Array(64) }),
    /loading the nosimd WebAssembly build failed: .*magic word/, 'load'),
  err('load', 'empty', 'empty wasmBinary', () => load({ variant: 'nosimd', wasmBinary: new Uint8Array(0) }),
    /loading the nosimd WebAssembly build failed/, 'load'),
  err('load', 'truncated', 'truncated wasmBinary', async () => {
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(new URL('../../web/dist/gmmhmm-nosimd.wasm', import.meta.url));
    return load({ variant: 'nosimd', wasmBinary: bytes.subarray(0, bytes.length >> 1) });
  }, /loading the nosimd WebAssembly build failed/, 'load'),

  // new GMMHMM(options)
  err('GMMHMM', 'nan', 'nStates NaN', ({ g }) => new g.GMMHMM({ nStates: NaN }), /nStates must be a (finite )?number|nStates.*NaN/),
  // A second argument was taken for the private wasm handle: the object then failed with TypeErrors.
  err('GMMHMM', 'type', 'a second argument', ({ g }) => new g.GMMHMM({ nStates: 2 }, 42),
    /^new GMMHMM: takes one argument; the second \(42\) would be ignored: call it as new GMMHMM\(options\)$/),
  err('PoissonHMM', 'type', 'a second argument', ({ g }) => new g.PoissonHMM({ nStates: 2 }, {}),
    /^new PoissonHMM: takes one argument; the second \(an object\) would be ignored/),
  err('Recognizer', 'type', 'a second argument', ({ g }) => new g.Recognizer({}, { workers: 0 }),
    /^new Recognizer: takes one argument; the second \(an object\) would be ignored/),
  err('GMMHMM', 'nan', 'tol Infinity', ({ g }) => new g.GMMHMM({ tol: Infinity }), /tol must be a number in \[-1e100, 1e100\] or -Infinity, got Infinity/),
  err('GMMHMM', 'nan', 'tol NaN', ({ g }) => new g.GMMHMM({ tol: NaN }), /tol must be a finite number, got NaN/),
  ok('GMMHMM', 'size', 'tol -Infinity: every iteration runs (hmmlearn)', ({ g, track }) =>
    track(new g.GMMHMM({ nStates: 2, tol: -Infinity, nIter: 7, seed: 1 })).fit(X), (m) => assert.equal(m.monitor.iterations, 7)),
  err('GMMHMM', 'size', 'nInit 0', ({ g }) => new g.GMMHMM({ nInit: 0 }), /nInit must be an integer in \[1, 1000\], got 0/),
  err('GMMHMM', 'size', 'nInit 1.5', ({ g }) => new g.GMMHMM({ nInit: 1.5 }), /nInit must be an integer, got 1.5/),
  err('GMMHMM', 'absurd', 'nInit 1e9', ({ g }) => new g.GMMHMM({ nInit: 1e9 }), /nInit must be an integer in \[1, 1000\], got 1000000000/),
  err('GMMHMM', 'type', "nInit '10'", ({ g }) => new g.GMMHMM({ nInit: '10' }), /nInit must be a number, got '10'/),
  // Priors per state / entry (hmmlearn's arrays): shape, values and types named.
  err('GMMHMM', 'shape', 'transmatPrior of the wrong shape', ({ g }) => new g.GMMHMM({ nStates: 2, transmatPrior: [[1, 2, 3]] }),
    /transmatPrior: an array of shape \[1, 3\] does not broadcast to \[nStates, nStates\] = \[2, 2\]/),
  err('GMMHMM', 'shape', 'ragged weightsPrior', ({ g }) => new g.GMMHMM({ nStates: 2, nMix: 2, weightsPrior: [[1, 2], [3]] }),
    /weightsPrior\[1\] has length 1, expected 2 \(nested arrays must be rectangular\)/),
  err('GMMHMM', 'shape', 'meansPrior mixing numbers and arrays', ({ g }) => new g.GMMHMM({ meansPrior: [[1], 2] }),
    /meansPrior\[1\] is a number where the array needs an array/),
  err('GMMHMM', 'empty', 'startprobPrior []', ({ g }) => new g.GMMHMM({ startprobPrior: [] }), /startprobPrior: an array with an empty dimension/),
  err('GMMHMM', 'size', 'startprobPrior with an entry 0', ({ g }) => new g.GMMHMM({ nStates: 2, startprobPrior: [1, 0] }),
    /startprobPrior\[1\] must be > 0, got 0/),
  err('GMMHMM', 'nan', 'covarsPrior with a NaN entry', ({ g }) => new g.GMMHMM({ nStates: 2, covarsPrior: [[[0.1]], [[NaN]]] }),
    /covarsPrior\[1\]\[0\]\[0\] must be a finite number/),
  err('GMMHMM', 'type', "meansWeight ['1']", ({ g }) => new g.GMMHMM({ meansWeight: ['1'] }), /meansWeight\[0\] must be a number or an array, got '1'/),
  err('GMMHMM', 'oddValue', 'covarsWeight a BigInt64Array', ({ g }) => new g.GMMHMM({ covarsWeight: new BigInt64Array(2) }),
    /covarsWeight must be a number or an array, got a BigInt64Array/),
  err('GMMHMM', 'type', 'nIter [3]', ({ g }) => new g.GMMHMM({ nIter: [3] }), /nIter must be a number, got an array/),
  err('fit', 'shape', 'a meansPrior for 3 features, data with 2', ({ g, track }) => track(new g.GMMHMM({ meansPrior: [0, 1, 2] })).fit(X),
    /meansPrior: an array of shape \[3\] does not broadcast to \[nStates, nMix, nFeatures\] = \[1, 1, 2\]/),
  err('fit', 'size', 'fit option weightsPrior with a negative entry', ({ g, track }) => track(new g.GMMHMM({ nMix: 2 })).fit(X, { weightsPrior: [1, -1] }),
    /weightsPrior\[1\] must be > 0, got -1/),
  err('GMMHMM', 'size', 'nStates 0', ({ g }) => new g.GMMHMM({ nStates: 0 }), /nStates must be an integer in \[1, 10000\], got 0/),
  err('GMMHMM', 'size', 'nMix -1', ({ g }) => new g.GMMHMM({ nMix: -1 }), /nMix must be an integer in \[1, 4096\], got -1/),
  err('GMMHMM', 'size', 'nStates 2.5', ({ g }) => new g.GMMHMM({ nStates: 2.5 }), /nStates must be an integer, got 2.5/),
  err('GMMHMM', 'absurd', 'nStates 1e9', ({ g }) => new g.GMMHMM({ nStates: 1e9 }), /nStates must be an integer in \[1, 10000\], got 1000000000/),
  err('GMMHMM', 'absurd', '10⁴ states × 4096 components × 1000 features', ({ g }) => new g.GMMHMM({ nStates: 10000, nMix: 4096, nFeatures: 1000 }),
    /model too large/),
  err('GMMHMM', 'type', "options 'x'", ({ g }) => new g.GMMHMM('x'), /GMMHMM options must be an object/),
  err('GMMHMM', 'type', "nStates '2'", ({ g }) => new g.GMMHMM({ nStates: '2' }), /nStates must be a number, got '2'/),
  err('GMMHMM', 'type', "covarianceType 'x'", ({ g }) => new g.GMMHMM({ covarianceType: 'x' }), /covarianceType: 'x' is not one of/),
  err('GMMHMM', 'type', 'misspelt option', ({ g }) => new g.GMMHMM({ nstates: 3 }), /unknown option 'nstates'/),
  err('GMMHMM', 'type', "params 'xyz'", ({ g }) => new g.GMMHMM({ params: 'xyz' }), /params: 'xyz' may only contain the letters/),

  // fit(X, lengths)
  err('fit', 'nan', 'NaN in X', ({ g, track }) => track(new g.GMMHMM()).fit([[1], [NaN]]), /X: value at frame 1, feature 0 is NaN/),
  err('fit', 'nan', 'Infinity in X', ({ g, track }) => track(new g.GMMHMM()).fit([[1], [-Infinity]]), /X: value at frame 1, feature 0 is -Infinity/),
  err('fit', 'empty', 'no frames', ({ g, track }) => track(new g.GMMHMM()).fit([]), /X: no frames \(empty data\)/),
  err('fit', 'empty', 'an empty sequence in a list', ({ g, track }) => track(new g.GMMHMM()).fit([X.slice(0, 5), []]),
    /X\[1\] is an empty sequence|no frames/),
  err('fit', 'oneFrame', 'one frame, 2 ergodic states (k-means needs a frame per state, as hmmlearn)', ({ g, track }) =>
    track(new g.GMMHMM({ nStates: 2 })).fit([[1, 2]]), /fit: 1 frame cannot initialise 2 states by k-means/),
  ok('fit', 'oneFrame', 'one frame, 1 state: fits, scores finite', ({ g, track }) => track(new g.GMMHMM({ nStates: 1 })).fit([[1, 2]]),
    (m) => { assert.ok(Number.isFinite(m.score([[1, 2]]))); assertFiniteModel(m); }),
  err('fit', 'tooShort', '2 frames for 5 left-right states ending in the last', ({ g, track }) =>
    track(new g.GMMHMM({ nStates: 5, topology: 'left-right', endInLastState: true })).fit([[1], [2]]),
  /sequence 0 \(2 frames\) cannot be produced by the model/),
  err('fit', 'shape', 'ragged rows', ({ g, track }) => track(new g.GMMHMM()).fit([[1, 2], [3]]), /X\[1\] has 1 values, expected 2/),
  err('fit', 'shape', 'lengths not summing to the rows', ({ g, track }) => track(new g.GMMHMM()).fit(X, [10, 10]),
    /lengths sum to 20 but X has 40 rows/),
  err('fit', 'shape', 'flat array without nFeatures', ({ g, track }) => track(new g.GMMHMM()).fit(new Float64Array(10)),
    /flat Float64Array: give nFeatures/),
  err('fit', 'type', "X 'abc'", ({ g, track }) => track(new g.GMMHMM()).fit('abc'), /X must be an array of rows/),
  err('fit', 'type', 'a string in a row', ({ g, track }) => track(new g.GMMHMM()).fit([[1, 'a']]), /X\[0\]\[1\] must be a number, got 'a'/),
  err('fit', 'size', 'lengths [-1, 41]', ({ g, track }) => track(new g.GMMHMM()).fit(X, [-1, 41]), /lengths\[0\] is -1/),
  err('fit', 'size', 'nIter -1', ({ g, track }) => track(new g.GMMHMM()).fit(X, { nIter: -1 }), /nIter must be an integer in \[0, 1000000\], got -1/),
  err('fit', 'absurd', 'lengths [1e9]', ({ g, track }) => track(new g.GMMHMM()).fit(X, [1e9]), /lengths sum to more than the 40 rows of X/),
  err('fit', 'absurd', 'nFeatures 1e9 (flat)', ({ g, track }) => track(new g.GMMHMM()).fit(new Float64Array(10), { nFeatures: 1e9 }),
    /X has 10 values, not a whole number of rows of nFeatures = 1000000000/),
  ok('fit', 'constant', 'constant frames: finite model (variance floor)', ({ g, track }) =>
    track(new g.GMMHMM({ nStates: 2, nMix: 2 })).fit(Array(30).fill([1, 1])),
  (m) => { assertFiniteModel(m); assert.ok(Number.isFinite(m.score([[1, 1]]))); }),
  ok('fit', 'outlier', 'one frame at 10⁴: finite model', ({ g, track }) =>
    track(new g.GMMHMM({ nStates: 2, seed: 3 })).fit([...X, [1e4, -1e4]]),
  (m) => { assertFiniteModel(m); assert.ok(Number.isFinite(m.score(X))); }),
  err('fit', 'probs', 'initParams without s, startprob never set (custom topology)', ({ g, track }) =>
    track(new g.GMMHMM({ nStates: 2, topology: 'custom', initParams: 'mcw' })).fit(X), /initParams omits 's'/, 'not-fitted'),

  // score, scoreSamples, decode, predict, predictProba, aic, bic on the fitted model
  ...['score', 'scorePerSequence', 'scoreSamples', 'decode', 'predict', 'predictProba', 'emissionLogLikelihoods', 'aic', 'bic'].flatMap((fn) => [
    err(fn, 'nan', 'NaN in X', ({ fitted }) => fitted[fn]([[NaN, 1]]), /X: value at frame 0, feature 0 is NaN/),
    err(fn, 'empty', 'no frames', ({ fitted }) => fitted[fn]([]), /X: no frames \(empty data\)/),
    ok(fn, 'oneFrame', 'one frame: a finite result', ({ fitted }) => fitted[fn]([[0.5, 0.5]]), (v) => {
      const values = typeof v === 'number' ? [v] : v.logLikelihood !== undefined ? [v.logLikelihood] : Array.from(v).flatMap((r) => Array.from(r?.length ? r : [r]));
      assert.ok(values.every(Number.isFinite), `finite: ${values}`);
    }),
    err(fn, 'shape', 'rows of 3 features (model has 2)', ({ fitted }) => fitted[fn]([[1, 2, 3]]), /X has rows of 3 features but the model has nFeatures = 2/),
    err(fn, 'type', 'X = 42', ({ fitted }) => fitted[fn](42), /X must be an array of rows/),
    err(fn, 'size', 'lengths [0, 2]', ({ fitted }) => fitted[fn]([[1, 2], [3, 4]], [0, 2]), /lengths\[0\] is 0/),
    err(fn, 'absurd', 'lengths [1e9]', ({ fitted }) => fitted[fn]([[1, 2]], [1e9]), /lengths sum to more than the 1 rows of X/),
    ok(fn, 'outlier', 'a frame at 10⁴: no NaN', ({ fitted }) => fitted[fn]([[1e4, -1e4], [0, 1]]), (v) => {
      const values = typeof v === 'number' ? [v] : v.logLikelihood !== undefined ? [v.logLikelihood] : Array.from(v).flatMap((r) => Array.from(r?.length ? r : [r]));
      assert.ok(values.every((x) => !Number.isNaN(x)), `no NaN: ${values}`);
    }),
  ]),
  ...['score', 'scorePerSequence', 'scoreSamples', 'decode', 'predict', 'predictProba', 'emissionLogLikelihoods', 'aic', 'bic'].map((fn) =>
    ok(fn, 'constant', '10 identical frames: finite', ({ fitted }) => fitted[fn](Array(10).fill([1, 1])), (v) => {
      const values = typeof v === 'number' ? [v] : v.logLikelihood !== undefined ? [v.logLikelihood] : Array.from(v).flatMap((r) => Array.from(r?.length ? r : [r]));
      assert.ok(values.every(Number.isFinite), `finite: ${values}`);
    })),
  ...['scoreSamples', 'predictProba'].map((fn) => err(fn, 'tooShort', '1 frame for 3 left-right states ending in the last',
    ({ lrModel }) => lrModel[fn]([[0, 1]]), /sequence 0 \(1 frames\) cannot be produced by the model .*score\(\) reports -Infinity/)),
  err('predict', 'tooShort', '1 frame for 3 left-right states ending in the last', ({ lrModel }) => lrModel.predict([[0, 1]]),
    /sequence 0 \(1 frames\) has no valid state path under the model/),
  ...['aic', 'bic'].map((fn) => ok(fn, 'tooShort', '1 frame for 3 left-right states ending in the last: +Infinity (score is -Infinity)',
    ({ lrModel }) => lrModel[fn]([[0, 1]]), (v) => assert.equal(v, Infinity))),
  err('score', 'tooShort', '1 frame for 3 left-right states ending in the last: -Infinity', ({ g, track }) => {
    const m = track(new g.GMMHMM({ nStates: 3, topology: 'left-right', endInLastState: true, seed: 1 })).fit(X);
    const s = m.score([[0, 1]]);
    if (s === -Infinity) throw new GmmHmmError('documented: -Infinity');
    return s;
  }, /documented: -Infinity/),
  err('score', 'type', 'before fit', ({ g, track }) => track(new g.GMMHMM()).score(X), /the model is not fitted \(missing means, covars\)/, 'not-fitted'),
  err('decode', 'tooShort', '1 frame for 3 left-right states ending in the last', ({ g, track }) =>
    track(new g.GMMHMM({ nStates: 3, topology: 'left-right', endInLastState: true, seed: 1 })).fit(X).decode([[0, 1]]),
  /sequence 0 \(1 frames\) has no valid state path under the model/),

  // Every method that takes options refuses names it does not know (a typo must not be ignored).
  ...['score', 'scorePerSequence', 'scoreSamples', 'decode', 'predict', 'predictProba', 'emissionLogLikelihoods', 'aic', 'bic'].map((fn) =>
    err(fn, 'type', "misspelt option 'lenghts'", ({ fitted }) => fitted[fn](X, { lenghts: [X.length] }),
      new RegExp(`^GMMHMM\\.${fn}: unknown option 'lenghts' \\(known: lengths, nFeatures${fn === 'decode' ? ', algorithm' : ''}\\)$`))),
  err('decode', 'type', "algorithm 'MAP'", ({ fitted }) => fitted.decode(X, { algorithm: 'MAP' }), /algorithm: 'MAP' is not one of 'viterbi', 'map'/),
  // hmmlearn's positional habits are refused, not ignored: decode(X, lengths, 'map') ran Viterbi.
  err('decode', 'type', "hmmlearn's decode(X, lengths, 'map')", ({ fitted }) => fitted.decode(X, [X.length], 'map'),
    /^GMMHMM\.decode: takes two arguments; the third \('map'\) would be ignored: call it as decode\(X, lengths\) or decode\(X, \{ lengths, algorithm \}\)/),
  err('fit', 'type', 'fit(X, lengths, options)', ({ g, track }) => track(new g.GMMHMM()).fit(X, [X.length], { nIter: 1 }),
    /^GMMHMM\.fit: takes two arguments; the third \(an object\) would be ignored: call it as fit\(X, lengths\) or fit\(X, \{ lengths, \.\.\.options \}\)$/),
  err('CategoricalHMM.fit', 'type', "decode(X, lengths, 'map')", ({ g, track }) => {
    const m = track(new g.CategoricalHMM({ nStates: 2, seed: 1 })).fit([0, 1, 1, 0, 2, 1]);
    m.decode([0, 1], [2], 'map');
  }, /^CategoricalHMM\.decode: takes two arguments; the third \('map'\) would be ignored/),
  err('decode', 'type', 'algorithm 1', ({ fitted }) => fitted.decode(X, { algorithm: 1 }), /decode: algorithm must be 'viterbi' or 'map'$/),
  err('sample', 'type', "misspelt option 'random_state'", ({ fitted }) => fitted.sample(3, { random_state: 1 }),
    /^sample: unknown option 'random_state' \(known: seed, currstate\)$/),
  err('sample', 'size', 'currstate 2 (2 states)', ({ fitted }) => fitted.sample(3, { currstate: 2 }), /currstate must be a state index in \[0, 1\], got 2/),
  err('sample', 'size', 'currstate -1', ({ fitted }) => fitted.sample(3, { currstate: -1 }), /currstate must be a state index in \[0, 1\], got -1/),
  err('sample', 'type', 'currstate 0.5', ({ fitted }) => fitted.sample(3, { currstate: 0.5 }), /currstate must be a state index in \[0, 1\], got 0.5/),
  err('sample', 'type', "currstate '0'", ({ fitted }) => fitted.sample(3, { currstate: '0' }), /currstate must be a state index \(an integer\), got '0'/),
  err('stationaryDistribution', 'empty', 'custom topology, chain never set', ({ g, track }) =>
    track(new g.GMMHMM({ nStates: 2, topology: 'custom' })).stationaryDistribution(), /startprob and transmat are not set/, 'not-fitted'),
  err('stationaryDistribution', 'type', 'after dispose()', ({ g }) => {
    const m = new g.GMMHMM({ nStates: 2 });
    m.dispose();
    return m.stationaryDistribution();
  }, /stationaryDistribution: the model was disposed/, 'disposed'),
  ok('stationaryDistribution', 'size', 'nStates 1: [1]', ({ g, track }) => track(new g.GMMHMM({ nStates: 1 })).stationaryDistribution(),
    (v) => assert.deepEqual(v, [1])),
  ok('stationaryDistribution', 'constant', 'identity transmat (every state absorbing): startprob itself (documented)', ({ g, track }) => {
    const m = track(new g.GMMHMM({ nStates: 3, topology: 'custom' }));
    m.startprob = [0.2, 0.3, 0.5];
    m.transmat = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    return m.stationaryDistribution();
  }, (v) => v.forEach((p, i) => assert.ok(Math.abs(p - [0.2, 0.3, 0.5][i]) < 1e-12, `${v}`))),
  ok('stationaryDistribution', 'outlier', 'transitions of 1e-300: finite, sums to 1', ({ g, track }) => {
    const m = track(new g.GMMHMM({ nStates: 2, topology: 'custom' }));
    m.startprob = [1, 0];
    m.transmat = [[1 - 1e-300, 1e-300], [1e-300, 1 - 1e-300]];
    return m.stationaryDistribution();
  }, (v) => { assert.ok(v.every(Number.isFinite) && Math.abs(v[0] + v[1] - 1) < 1e-12, `${v}`); }),

  // sample(n, options)
  err('sample', 'nan', 'n NaN', ({ fitted }) => fitted.sample(NaN), /n must be an integer in \[1, 10,000,000\], got NaN/i),
  err('sample', 'size', 'n 0', ({ fitted }) => fitted.sample(0), /n must be an integer in \[1, 10,000,000\], got 0/),
  err('sample', 'size', 'n -1', ({ fitted }) => fitted.sample(-1), /n must be an integer in \[1, 10,000,000\], got -1/),
  err('sample', 'absurd', 'n 1e9', ({ fitted }) => fitted.sample(1e9), /n must be an integer in \[1, 10,000,000\], got 1000000000/),
  // Passes validation (n <= 1e8) but needs 16 GB: refused before allocating, nothing grows.
  err('sample', 'absurd', '10⁶ frames of 2000 features (16 GB): out-of-memory', ({ g, track }) => {
    const m = track(new g.GMMHMM({ nStates: 1, nFeatures: 2000 }));
    m.means = [[new Array(2000).fill(0)]];
    m.covars = [[new Array(2000).fill(1)]];
    const before = g.memoryBytes();
    try { return m.sample(1e6); } finally { assert.equal(g.memoryBytes(), before, 'memory grew'); }
  }, /sample: 1000000 frames of 2000 features needs about \d+ MiB, more than the memory limit of \d+ MiB/, 'out-of-memory'),
  err('sample', 'type', "n '3'", ({ fitted }) => fitted.sample('3'), /n must be .*number|got '3'/),
  err('sample', 'type', 'seed -1', ({ fitted }) => fitted.sample(3, { seed: -1 }), /seed must be an integer in \[0, 2\^53 - 1\].*, got -1/),
  ok('sample', 'oneFrame', 'n 1', ({ fitted }) => fitted.sample(1), (v) => { assert.equal(v.X.length, 1); assert.ok(finiteRows(v.X)); }),
  err('sample', 'empty', 'before fit', ({ g, track }) => track(new g.GMMHMM()).sample(3), /not fitted/, 'not-fitted'),

  // setters
  err('setters', 'nan', 'startprob [NaN, 1]', ({ fitted, track }) => { track(fitted.clone()).startprob = [NaN, 1]; }, /startprob\[0\] is NaN/),
  err('setters', 'nan', 'means with Infinity', ({ fitted, track }) => { track(fitted.clone()).means = [[[Infinity, 0]], [[0, 0]]]; }, /means\[0\]\[0\]\[0\] is not a finite number/),
  err('setters', 'empty', 'startprob []', ({ fitted, track }) => { track(fitted.clone()).startprob = []; }, /startprob: expected 2 values \(nStates\), got 0/),
  err('setters', 'shape', 'startprob of 1 value', ({ fitted, track }) => { track(fitted.clone()).startprob = [1]; }, /startprob: expected 2 values \(nStates\), got 1/),
  err('setters', 'shape', 'means of the wrong count', ({ fitted, track }) => { track(fitted.clone()).means = [1, 2]; }, /means: expected 4 values \(2 x 1 x 2\), got 2/),
  // Nested arrays of another shape with the right count would be read in order as if right.
  err('setters', 'shape', 'means of the wrong shape', ({ fitted, track }) => { track(fitted.clone()).means = [[1, 2]]; },
    /^GMMHMM\.means: nested arrays of shape 1 × 2 where the model takes nStates × nMix × nFeatures = 2 × 1 × 2 \(or the values as one flat list in that order\)$/),
  err('setters', 'shape', 'startprob [[0.5], [0.5]]', ({ fitted, track }) => { track(fitted.clone()).startprob = [[0.5], [0.5]]; },
    /^GMMHMM\.startprob: nested arrays of shape 2 × 1 where the model takes nStates = 2 /),
  err('setters', 'shape', 'GaussianHMM: transposed means', ({ g, track }) => { track(new g.GaussianHMM({ nStates: 3, nFeatures: 2 })).means = [[0, 1, 2], [3, 4, 5]]; },
    /^GaussianHMM\.means: nested arrays of shape 2 × 3 where the model takes nStates × nFeatures = 3 × 2 /),
  err('setters', 'shape', 'GaussianHMM: diag covars transposed, nFeatures not known yet', ({ g, track }) => {
    const m = track(new g.GaussianHMM({ nStates: 3 }));
    m.means = [[0, 1], [2, 3], [4, 5]];
    m.covars = [[1, 1, 1], [1, 1, 1]];
  }, /^GaussianHMM\.covars: nested arrays of shape 2 × 3 where the model takes nStates × nFeatures = 3 × 2 or nStates × nFeatures × nFeatures = 3 × 2 × 2 /),
  // The engine infers nFeatures from the count in the type's own shape: N·D·D values read as N·D² diag variances.
  err('setters', 'shape', 'GaussianHMM: diag covars as a matrix per state before nFeatures is known', ({ g, track }) => {
    track(new g.GaussianHMM({ nStates: 2 })).covars = [[[1, 0], [0, 1]], [[2, 0], [0, 2]]];
  }, /^GaussianHMM\.covars: a D × D matrix per state needs the model's nFeatures, not known yet: set means first, or give covars in the diag shape \(nStates × nFeatures = 2 × \?\)$/),
  err('setters', 'shape', 'PoissonHMM: transposed lambdas', ({ g, track }) => { track(new g.PoissonHMM({ nStates: 2, nFeatures: 3 })).lambdas = [[1, 2], [3, 4], [5, 6]]; },
    /^PoissonHMM\.lambdas: nested arrays of shape 3 × 2 where the model takes nStates × nFeatures = 2 × 3 /),
  err('setters', 'type', "covars 'x'", ({ fitted, track }) => { track(fitted.clone()).covars = 'x'; }, /covars must be a number or an array, got 'x'/),
  err('setters', 'deep', 'transmat nested 50 deep', ({ fitted, track }) => { track(fitted.clone()).transmat = nested(50); }, /nested deeper than any parameter shape/),
  err('setters', 'size', 'covars -1', ({ fitted, track }) => { track(fitted.clone()).covars = [[[-1, 1]], [[1, 1]]]; }, /covars\[0\]\[0\]\[0\] is -1 \(variances must be > 0\)/),
  err('setters', 'size', 'covars 0', ({ fitted, track }) => { track(fitted.clone()).covars = [[[0, 1]], [[1, 1]]]; }, /covars\[0\]\[0\]\[0\] is 0 \(variances must be > 0\)/),
  // A ragged row would shift the later values into other rows when the total happens to match.
  err('setters', 'shape', 'a ragged transmat with the right total', ({ fitted, track }) => { track(fitted.clone()).transmat = [[1, 0, 0], [1]]; },
    /^GMMHMM\.transmat: transmat\[1\] has length 1, expected 3 as the rows before it \(nested arrays must be rectangular\)/),
  err('setters', 'shape', 'means mixing numbers and rows', ({ fitted, track }) => { track(fitted.clone()).means = [[[0, 1]], [0, 1]]; },
    /means: means\[1\] has length 2, expected 1 as the rows before it|means: means\[1\]\[0\] is a number where the other rows hold arrays/),
  err('setters', 'shape', 'CategoricalHMM: a ragged emissionprob with the right total', ({ g, track }) => {
    track(new g.CategoricalHMM({ nStates: 3, nFeatures: 4 })).emissionprob = [[0.5, 0.5, 0, 0, 0], [0.5, 0.5, 0], [0.25, 0.25, 0.25, 0.25]];
  }, /emissionprob: emissionprob\[1\] has length 3, expected 5 as the rows before it/),
  err('setters', 'size', 'a subnormal variance', ({ fitted, track }) => { track(fitted.clone()).covars = [[[1e-310, 1]], [[1, 1]]]; },
    /covars\[0\]\[0\]\[0\] is 1e-310 \(variances must be at least 2.2250738585e-308: below it 1\/variance overflows\)/),
  err('sample', 'absurd', 'PoissonHMM: a rate of 1e16', ({ g, track }) => {
    const p = track(new g.PoissonHMM({ nStates: 1, nFeatures: 1 }));
    p.startprob = [1];
    p.transmat = [[1]];
    p.lambdas = [[1e16]];
    p.sample(2);
  }, /^PoissonHMM\.sample: lambdas\[0\]\[0\] is 1e\+16: at rates above 9e15 the counts drawn pass 2\^53 - 1/),
  err('setters', 'probs', 'startprob summing to 1.1', ({ fitted, track }) => { track(fitted.clone()).startprob = [0.5, 0.6]; }, /startprob sums to 1.1 \(must sum to 1 within 1e-6\)/),
  err('setters', 'probs', 'transmat row summing to 1.1', ({ fitted, track }) => { track(fitted.clone()).transmat = [[0.5, 0.6], [0.5, 0.5]]; }, /transmat row 0 sums to 1.1/),
  err('setters', 'probs', 'weights summing to 0.4', ({ g, track }) => { track(new g.GMMHMM({ nStates: 2, nMix: 2, nFeatures: 1 })).weights = [[0.2, 0.2], [0.5, 0.5]]; },
    /weights of state 0 sums to 0.4/),
  err('setters', 'probs', 'negative probability', ({ fitted, track }) => { track(fitted.clone()).startprob = [-0.5, 1.5]; }, /startprob\[0\] is -0.5/),
  err('setters', 'absurd', 'startprob of 10⁶ values', ({ fitted, track }) => { track(fitted.clone()).startprob = new Array(1e6).fill(0); },
    /startprob: expected 2 values \(nStates\), got 1000000/),
  ok('setters', 'outlier', 'means at ±10⁴: accepted, scores finite', ({ fitted, track }) => { const m = track(fitted.clone()); m.means = [[[1e4, -1e4]], [[0, 0]]]; return m.score(X); },
    (v) => assert.ok(Number.isFinite(v))),
  err('setters', 'nonPD', 'full covariance [[1, 2], [2, 1]]', ({ g, track }) => {
    track(new g.GMMHMM({ nStates: 1, nFeatures: 2, covarianceType: 'full' })).covars = [[[[1, 2], [2, 1]]]];
  }, /covars\[0\]\[0\] is not positive definite/),
  err('setters', 'nonPD', 'tied covariance, asymmetric', ({ g, track }) => {
    track(new g.GMMHMM({ nStates: 1, nFeatures: 2, covarianceType: 'tied' })).covars = [[[1, 0.5], [0, 1]]];
  }, /covars\[0\] is not (symmetric|positive definite)/),
  err('setters', 'nonPD', 'full covariance singular', ({ g, track }) => {
    track(new g.GMMHMM({ nStates: 1, nFeatures: 2, covarianceType: 'full' })).covars = [[[[1, 1], [1, 1]]]];
  }, /covars\[0\]\[0\] is not positive definite/),

  // GMMHMM.fromJSON
  err('fromJSON', 'nan', 'NaN in means (object)', ({ g, modelJSON }) => g.GMMHMM.fromJSON({ ...modelJSON, means: [[[NaN, 0]], [[0, 0]]] }),
    /means\[0\]\[0\]\[0\] must be a number|not finite/, 'model-format'),
  err('fromJSON', 'empty', "''", ({ g }) => g.GMMHMM.fromJSON(''), /model JSON: not valid JSON/, 'model-format'),
  err('fromJSON', 'empty', '{}', ({ g }) => g.GMMHMM.fromJSON({}), /model JSON: nStates is missing/, 'model-format'),
  err('fromJSON', 'truncated', 'first 50 characters', ({ g, modelJSON }) => g.GMMHMM.fromJSON(JSON.stringify(modelJSON).slice(0, 50)),
    /model JSON: not valid JSON .*unexpected end of input/, 'model-format'),
  err('fromJSON', 'garbage', "'{garbage'", ({ g }) => g.GMMHMM.fromJSON('{garbage'), /model JSON: not valid JSON/, 'model-format'),
  err('fromJSON', 'garbage', 'random bytes', ({ g }) => g.GMMHMM.fromJSON(String.fromCharCode(...Array.from({ length: 200 }, (_, i) => (i * 73 + 11) % 256))),
    /model JSON: not valid JSON/, 'model-format'),
  err('fromJSON', 'deep', '100 000 nested arrays (text)', ({ g }) => g.GMMHMM.fromJSON(deepText(100000)), /nesting deeper than 32 levels/, 'model-format'),
  err('fromJSON', 'deep', '5 000 nested objects (object)', ({ g }) => { let o = {}; for (let i = 0; i < 5000; i++) o = { a: o }; return g.GMMHMM.fromJSON(o); },
    /cannot serialise the object|nesting deeper/, 'model-format'),
  err('fromJSON', 'huge', 'startprob of 10⁶ values', ({ g, modelJSON }) => g.GMMHMM.fromJSON({ ...modelJSON, startprob: new Array(1e6).fill(0) }),
    /startprob has length 1000000, expected 2/, 'model-format'),
  err('fromJSON', 'huge', 'nStates 100 000', ({ g, modelJSON }) => g.GMMHMM.fromJSON({ ...modelJSON, nStates: 100000 }),
    /nStates must be an integer in \[1, 10000\], got 100000/, 'model-format'),
  err('fromJSON', 'absurd', 'nFeatures 1e9', ({ g, modelJSON }) => g.GMMHMM.fromJSON({ ...modelJSON, nFeatures: 1e9 }),
    /nFeatures/, 'model-format'),
  err('fromJSON', 'shape', 'means [[1, 2]]', ({ g, modelJSON }) => g.GMMHMM.fromJSON({ ...modelJSON, means: [[1, 2]] }), /means\[0\]\[0\] must be a non-empty array/, 'model-format'),
  err('fromJSON', 'jsonTypes', "means 'x'", ({ g, modelJSON }) => g.GMMHMM.fromJSON({ ...modelJSON, means: 'x' }), /means must be an array of length 2/, 'model-format'),
  err('fromJSON', 'jsonTypes', "nStates '2'", ({ g, modelJSON }) => g.GMMHMM.fromJSON({ ...modelJSON, nStates: '2' }), /nStates/, 'model-format'),
  err('fromJSON', 'jsonTypes', 'a number', ({ g }) => g.GMMHMM.fromJSON(42), /model JSON must be an object or a string, got 42/, 'model-format'),
  err('fromJSON', 'jsonTypes', 'an array', ({ g }) => g.GMMHMM.fromJSON('[1, 2]'), /model JSON/, 'model-format'),
  err('fromJSON', 'probs', 'startprob summing to 1.8', ({ g, modelJSON }) => g.GMMHMM.fromJSON({ ...modelJSON, startprob: [0.9, 0.9] }),
    /startprob sums to 1.8/, 'model-format'),
  err('fromJSON', 'size', 'negative variance', ({ g, modelJSON }) => g.GMMHMM.fromJSON({ ...modelJSON, covars: [[[-1, 1]], [[1, 1]]] }),
    /covars.*(> 0|positive)/, 'model-format'),
  err('fromJSON', 'nonPD', 'full covariance [[1, 2], [2, 1]]', ({ g, modelJSON }) => g.GMMHMM.fromJSON({
    ...modelJSON, nStates: 1, nFeatures: 2, covarianceType: 'full', startprob: [1], transmat: [[1]], weights: [[1]],
    means: [[[0, 0]]], covars: [[[[1, 2], [2, 1]]]],
  }), /covars\[0\]\[0\] is not positive definite/, 'model-format'),

  // CategoricalHMM (integer symbols): constructor, fit, fromJSON
  err('CategoricalHMM', 'size', 'nStates 0', ({ g }) => new g.CategoricalHMM({ nStates: 0 }), /nStates must be an integer in \[1, 10000\], got 0/),
  err('CategoricalHMM', 'absurd', 'nFeatures 1e9', ({ g }) => new g.CategoricalHMM({ nFeatures: 1e9 }), /nFeatures must be an integer in \[0, 10000000\], got 1000000000/),
  err('CategoricalHMM', 'nan', 'tol NaN', ({ g }) => new g.CategoricalHMM({ tol: NaN }), /tol must be a finite number, got NaN/),
  err('CategoricalHMM', 'type', 'misspelt option', ({ g }) => new g.CategoricalHMM({ nstates: 3 }), /unknown option 'nstates' \(known: nStates, nFeatures, nIter/),
  err('CategoricalHMM', 'type', "params 'stm'", ({ g }) => new g.CategoricalHMM({ params: 'stm' }), /params 'stm' may only contain the letters ste/),
  err('CategoricalHMM', 'options', 'a throwing getter', ({ g }) => new g.CategoricalHMM({ get nStates() { throw new Error('getter failed'); } }),
    /CategoricalHMM options.*getter failed/),
  err('CategoricalHMM.fit', 'nan', 'a NaN symbol', ({ g, track }) => track(new g.CategoricalHMM()).fit([0, NaN]), /X\[1\] is NaN/),
  err('CategoricalHMM.fit', 'empty', 'no symbols', ({ g, track }) => track(new g.CategoricalHMM()).fit([]), /X: no frames/),
  err('CategoricalHMM.fit', 'size', 'a negative symbol', ({ g, track }) => track(new g.CategoricalHMM()).fit([0, -1]), /X\[1\] is -1: symbols must be >= 0/),
  err('CategoricalHMM.fit', 'absurd', 'symbol 1e12', ({ g, track }) => track(new g.CategoricalHMM()).fit([0, 1e12]), /X\[1\] is 1e\+12: symbols must be below/),
  err('CategoricalHMM.fit', 'shape', 'rows of two values', ({ g, track }) => track(new g.CategoricalHMM()).fit([[0, 1], [1, 0]]), /X\[0\] has 2 values/),
  err('CategoricalHMM.fit', 'shape', 'lengths not summing to the frames', ({ g, track }) => track(new g.CategoricalHMM()).fit([0, 1, 2], [1, 1]),
    /lengths sum to 2 but X has 3 frames/),
  err('CategoricalHMM.fit', 'type', 'a non-integer symbol', ({ g, track }) => track(new g.CategoricalHMM()).fit([0, 0.5]), /X\[1\] is 0.5: symbols must be integers/),
  err('CategoricalHMM.fit', 'oddValue', 'a BigInt64Array', ({ g, track }) => track(new g.CategoricalHMM()).fit(new BigInt64Array(3)), /X is a BigInt64Array/),
  err('CategoricalHMM.fromJSON', 'truncated', 'truncated JSON', ({ g }) => g.CategoricalHMM.fromJSON('{"startprob_": [1'), /not valid JSON/, 'model-format'),
  err('CategoricalHMM.fromJSON', 'garbage', 'a GMMHMM file', ({ g, modelJSON }) => g.CategoricalHMM.fromJSON(modelJSON),
    /'format' must be "gmmhmm-categorical-hmm"/, 'model-format'),
  err('CategoricalHMM.fromJSON', 'probs', 'an emission row summing to 1.1', ({ g }) =>
    g.CategoricalHMM.fromJSON({ startprob_: [1], transmat_: [[1]], emissionprob_: [[0.5, 0.6]] }), /emissionprob row 0 sums to 1.1/, 'model-format'),
  err('CategoricalHMM.fromJSON', 'jsonTypes', 'n_features a string', ({ g }) =>
    g.CategoricalHMM.fromJSON({ startprob_: [1], transmat_: [[1]], emissionprob_: [[1]], n_features: '1' }), /'nFeatures' must be an integer/, 'model-format'),
  err('CategoricalHMM.fromJSON', 'huge', 'nStates 1e9 claimed by a small file', ({ g }) =>
    g.CategoricalHMM.fromJSON({ nStates: 1e9, fitted: false }), /'nStates' must be an integer in \[0, 10000000\]/, 'model-format'),

  // PoissonHMM and MultinomialHMM (rows of counts): constructor, fit, fromJSON
  err('PoissonHMM', 'size', 'nStates 0', ({ g }) => new g.PoissonHMM({ nStates: 0 }), /nStates must be an integer in \[1, 10000\], got 0/),
  err('PoissonHMM', 'absurd', 'nFeatures 1e9', ({ g }) => new g.PoissonHMM({ nFeatures: 1e9 }), /nFeatures must be an integer in \[0, 100000\], got 1000000000/),
  err('PoissonHMM', 'nan', 'lambdasPrior NaN', ({ g }) => new g.PoissonHMM({ lambdasPrior: NaN }), /lambdasPrior must be a finite number, got NaN/),
  err('PoissonHMM', 'type', 'misspelt option', ({ g }) => new g.PoissonHMM({ lambdaPrior: 1 }), /unknown option 'lambdaPrior' \(known: nStates, nFeatures, nIter/),
  err('PoissonHMM', 'type', "params 'ste'", ({ g }) => new g.PoissonHMM({ params: 'ste' }), /params 'ste' may only contain the letters stl/),
  err('PoissonHMM', 'options', 'a throwing getter', ({ g }) => new g.PoissonHMM({ get nStates() { throw new Error('getter failed'); } }),
    /PoissonHMM options.*getter failed/),
  err('PoissonHMM.fit', 'nan', 'a NaN count', ({ g, track }) => track(new g.PoissonHMM()).fit([[0, 1], [NaN, 1]]), /PoissonHMM\.fit: X\[1\]\[0\] is NaN/),
  err('PoissonHMM.fit', 'empty', 'no frames', ({ g, track }) => track(new g.PoissonHMM()).fit([]), /X: no frames/),
  err('PoissonHMM.fit', 'size', 'a negative count', ({ g, track }) => track(new g.PoissonHMM()).fit([[0, -1]]), /X\[0\]\[1\] is -1: counts must be >= 0/),
  err('PoissonHMM.fit', 'absurd', 'count 1e300', ({ g, track }) => track(new g.PoissonHMM()).fit([[0, 1e300]]), /X\[0\]\[1\] is 1e\+300: counts must be at most 2\^53 - 1/),
  err('PoissonHMM.fit', 'shape', 'rows of unequal width', ({ g, track }) => track(new g.PoissonHMM()).fit([[0, 1], [1]]), /X\[1\] has 1 values, expected 2/),
  err('PoissonHMM.fit', 'type', 'a non-integer count', ({ g, track }) => track(new g.PoissonHMM()).fit([[0, 0.5]]), /X\[0\]\[1\] is 0.5: counts must be integers/),
  err('PoissonHMM.fit', 'oddValue', 'BigInt64Array rows', ({ g, track }) => track(new g.PoissonHMM()).fit([new BigInt64Array(3)]), /X\[0\] is a BigInt64Array/),
  err('PoissonHMM.fromJSON', 'garbage', 'a GMMHMM file', ({ g, modelJSON }) => g.PoissonHMM.fromJSON(modelJSON),
    /'format' must be "gmmhmm-poisson-hmm"/, 'model-format'),
  err('PoissonHMM.fromJSON', 'size', 'a rate of 0', ({ g }) =>
    g.PoissonHMM.fromJSON({ startprob_: [1], transmat_: [[1]], lambdas_: [[0, 1]] }), /lambdas\[0\]\[0\] is 0: rates must be finite and > 0/, 'model-format'),
  err('MultinomialHMM', 'size', 'nTrials -1', ({ g }) => new g.MultinomialHMM({ nTrials: -1 }), /nTrials must be in \[0, 1000000\], got -1/),
  err('MultinomialHMM', 'type', 'nTrials 2.5', ({ g }) => new g.MultinomialHMM({ nTrials: 2.5 }), /nTrials must be an integer in \[0, 1e6\], got 2.5/),
  err('MultinomialHMM', 'type', 'an option of another family', ({ g }) => new g.MultinomialHMM({ emissionprobPrior: 2 }), /unknown option 'emissionprobPrior' \(known: nStates, nFeatures, nTrials/),
  err('MultinomialHMM.fit', 'probs', 'counts not adding up to nTrials', ({ g, track }) => track(new g.MultinomialHMM({ nTrials: 5 })).fit([[1, 4], [2, 2]]),
    /MultinomialHMM\.fit: X\[1\] sums to 4 but nTrials is 5/),
  err('MultinomialHMM.fit', 'size', 'a negative count', ({ g, track }) => track(new g.MultinomialHMM()).fit([[3, -1]]), /X\[0\]\[1\] is -1: counts must be >= 0/),
  err('MultinomialHMM.fit', 'type', 'a non-integer count', ({ g, track }) => track(new g.MultinomialHMM()).fit([[2.5, 2.5]]), /X\[0\]\[0\] is 2.5: counts must be integers/),
  err('PoissonHMM.fromJSON', 'truncated', 'truncated JSON', ({ g }) => g.PoissonHMM.fromJSON('{"lambdas_": [[1'), /not valid JSON/, 'model-format'),
  err('PoissonHMM.fromJSON', 'jsonTypes', 'n_features a string', ({ g }) =>
    g.PoissonHMM.fromJSON({ startprob_: [1], transmat_: [[1]], lambdas_: [[1]], n_features: '1' }), /'nFeatures' must be an integer/, 'model-format'),
  err('PoissonHMM.fromJSON', 'huge', 'nStates 1e9 claimed by a small file', ({ g }) =>
    g.PoissonHMM.fromJSON({ nStates: 1e9, fitted: false }), /'nStates' must be an integer in \[0, 10000000\]/, 'model-format'),
  err('MultinomialHMM', 'nan', 'nTrials NaN', ({ g }) => new g.MultinomialHMM({ nTrials: NaN }), /nTrials must be a finite number, got NaN/),
  err('MultinomialHMM', 'absurd', 'nTrials 1e9', ({ g }) => new g.MultinomialHMM({ nTrials: 1e9 }), /nTrials must be in \[0, 1000000\], got 1000000000/),
  err('MultinomialHMM', 'options', 'a throwing getter', ({ g }) => new g.MultinomialHMM({ get nTrials() { throw new Error('getter failed'); } }),
    /MultinomialHMM options.*getter failed/),
  err('MultinomialHMM.fit', 'nan', 'an infinite count', ({ g, track }) => track(new g.MultinomialHMM()).fit([[1, 2], [Infinity, 1]]), /MultinomialHMM\.fit: X\[1\]\[0\] is Infinity/),
  err('MultinomialHMM.fit', 'empty', 'no frames', ({ g, track }) => track(new g.MultinomialHMM()).fit([]), /X: no frames/),
  err('MultinomialHMM.fit', 'shape', 'rows of unequal width', ({ g, track }) => track(new g.MultinomialHMM()).fit([[1, 2], [3]]), /X\[1\] has 1 values, expected 2/),
  err('MultinomialHMM.fromJSON', 'truncated', 'truncated JSON', ({ g }) => g.MultinomialHMM.fromJSON('{"emissionprob_": [[1'), /not valid JSON/, 'model-format'),
  err('MultinomialHMM.fromJSON', 'garbage', 'a GMMHMM file', ({ g, modelJSON }) => g.MultinomialHMM.fromJSON(modelJSON),
    /'format' must be "gmmhmm-multinomial-hmm"/, 'model-format'),
  err('MultinomialHMM.fromJSON', 'probs', 'an emission row summing to 1.1', ({ g }) =>
    g.MultinomialHMM.fromJSON({ startprob_: [1], transmat_: [[1]], emissionprob_: [[0.5, 0.6]] }), /emissionprob row 0 sums to 1.1/, 'model-format'),
  err('MultinomialHMM.fromJSON', 'jsonTypes', 'n_trials a string', ({ g }) =>
    g.MultinomialHMM.fromJSON({ startprob_: [1], transmat_: [[1]], emissionprob_: [[1]], n_trials: '5' }), /'nTrials' must be an integer/, 'model-format'),

  // GaussianHMM (rows of real values): constructor, fit, setters, fromJSON
  err('GaussianHMM', 'size', 'nStates 0', ({ g }) => new g.GaussianHMM({ nStates: 0 }), /nStates must be an integer in \[1, 10000\], got 0/),
  err('GaussianHMM', 'absurd', 'nFeatures 1e9', ({ g }) => new g.GaussianHMM({ nFeatures: 1e9 }), /nFeatures must be an integer in \[0, 100000\], got 1000000000/),
  err('GaussianHMM', 'nan', 'minCovar NaN', ({ g }) => new g.GaussianHMM({ minCovar: NaN }), /minCovar must be a finite number, got NaN/),
  err('GaussianHMM', 'type', 'a covariance type of another name', ({ g }) => new g.GaussianHMM({ covarianceType: 'diagonal' }), /covarianceType/),
  err('GaussianHMM', 'type', 'an option of GMMHMM', ({ g }) => new g.GaussianHMM({ nMix: 2 }), /unknown option 'nMix' \(known: nStates, nFeatures, covarianceType/),
  err('GaussianHMM.fit', 'nan', 'a NaN value', ({ g, track }) => track(new g.GaussianHMM()).fit([[0, 1], [NaN, 1]]), /GaussianHMM\.fit: X\[1\]\[0\] is NaN/),
  err('GaussianHMM.fit', 'empty', 'no frames', ({ g, track }) => track(new g.GaussianHMM()).fit([]), /X: no frames/),
  err('GaussianHMM.fit', 'absurd', 'a value of 1e300', ({ g, track }) => track(new g.GaussianHMM()).fit([[0, 1e300]]), /X\[0\]\[1\] is 1e\+300: values must be within \+-1e100/),
  err('GaussianHMM.fit', 'shape', 'rows of unequal width', ({ g, track }) => track(new g.GaussianHMM()).fit([[0, 1], [1]]), /X\[1\] has 1 values?, expected 2/),
  err('GaussianHMM setters', 'size', 'a covariance not positive definite', ({ g, track }) => {
    track(new g.GaussianHMM({ nStates: 1, nFeatures: 2, covarianceType: 'full' })).covars = [[[1, 2], [2, 1]]];
  }, /covars\[0\] is not positive definite/),
  err('GaussianHMM setters', 'size', 'a zero variance', ({ g, track }) => { track(new g.GaussianHMM({ nStates: 1, nFeatures: 2 })).covars = [[1, 0]]; },
    /variances must be > 0/),
  err('GaussianHMM setters', 'nan', 'a NaN mean', ({ g, track }) => { track(new g.GaussianHMM({ nStates: 1, nFeatures: 2 })).means = [[0, NaN]]; },
    /means\[0\]\[1\] is NaN: means must be finite/),
  err('GaussianHMM setters', 'shape', 'covars of another count', ({ g, track }) => { track(new g.GaussianHMM({ nStates: 2, nFeatures: 2 })).covars = [1, 1, 1]; },
    /covars: expected 4 values for a diag model of 2 states x 2 features \(or 8: a D x D matrix per state\), got 3/),
  err('GaussianHMM setters', 'shape', 'covars of another shape', ({ g, track }) => { track(new g.GaussianHMM({ nStates: 2, nFeatures: 2 })).covars = [[1, 1, 1]]; },
    /^GaussianHMM\.covars: nested arrays of shape 1 × 3 where the model takes nStates × nFeatures = 2 × 2 or nStates × nFeatures × nFeatures = 2 × 2 × 2 /),
  err('GaussianHMM setters', 'type', 'means as a string', ({ g, track }) => { track(new g.GaussianHMM({ nStates: 1, nFeatures: 2 })).means = '0 1'; },
    /means/),
  err('GaussianHMM.fromJSON', 'garbage', 'a GMMHMM file', ({ g, modelJSON }) => g.GaussianHMM.fromJSON(modelJSON),
    /'format' must be "gmmhmm-gaussian-hmm"/, 'model-format'),
  err('GaussianHMM.fromJSON', 'truncated', 'truncated JSON', ({ g }) => g.GaussianHMM.fromJSON('{"means_": [[1'), /not valid JSON/, 'model-format'),
  err('GaussianHMM.fromJSON', 'jsonTypes', 'covariance_type a number', ({ g }) =>
    g.GaussianHMM.fromJSON({ covariance_type: 1, startprob_: [1], transmat_: [[1]], means_: [[0]], covars_: [1] }), /'covarianceType' must be/, 'model-format'),
  err('GaussianHMM.fromJSON', 'size', 'tied matrices that differ', ({ g }) =>
    g.GaussianHMM.fromJSON({ covariance_type: 'tied', startprob_: [0.5, 0.5], transmat_: [[0.5, 0.5], [0.5, 0.5]], means_: [[0], [1]], covars_: [[[1]], [[2]]] }),
    /differs from state 0's/, 'model-format'),
  // mfcc / fbank
  ...['mfcc', 'fbank'].flatMap((fn) => [
    err(fn, 'nan', 'NaN sample', ({ g }) => g[fn](withValue(tone(200), 7, NaN), RATE), /samples\[7\] is NaN; audio samples must be finite/),
    err(fn, 'nan', 'Infinity sample', ({ g }) => g[fn](withValue(tone(200), 3, Infinity), RATE), /samples\[3\] is infinite/),
    err(fn, 'nan', 'sampleRate NaN', ({ g }) => g[fn](tone(200), NaN), /sampleRate must be a finite number, got NaN/),
    ok(fn, 'empty', 'no samples: [] (documented)', ({ g }) => g[fn](new Float32Array(0), RATE), (v) => assert.deepEqual(v, [])),
    ok(fn, 'oneFrame', 'one sample: [] (shorter than a frame)', ({ g }) => g[fn](Float32Array.of(0.5), RATE), (v) => assert.deepEqual(v, [])),
    ok(fn, 'oneFrame', 'exactly one frame (400 samples): one row', ({ g }) => g[fn](tone(200, 0.025), RATE), (v) => { assert.equal(v.length, 1); assert.ok(finiteRows(v)); }),
    err(fn, 'type', "samples 'abc'", ({ g }) => g[fn]('abc', RATE), /samples must be a Float32Array, Float64Array or array of numbers \(audio samples in \[-1, 1\]\), got 'abc'$/),
    err(fn, 'type', '16-bit PCM as an Int16Array', ({ g }) => g[fn](new Int16Array(800), RATE),
      /got an Int16Array of length 800: convert integer PCM to floats in \[-1, 1\] first \(divide by 32768\)/),
    err(fn, 'type', '8-bit PCM as a Uint8Array', ({ g }) => g[fn](new Uint8Array(800), RATE),
      /got a Uint8Array of length 800: convert integer PCM to floats in \[-1, 1\] first \(subtract 128, divide by 128 \(8-bit WAV\)\)/),
    err(fn, 'type', 'a Node Buffer (bytes)', ({ g }) => g[fn](Buffer.alloc(800), RATE), /got a Buffer of length 800: these are bytes; decode the audio first/),
    err(fn, 'type', 'a DataView', ({ g }) => g[fn](new DataView(new ArrayBuffer(8)), RATE), /got a DataView of 8 bytes$/),
    err(fn, 'type', 'a string among the samples', ({ g }) => g[fn]([0, 'a'], RATE), /samples\[1\] must be a number, got 'a'/),
    err(fn, 'type', "sampleRate '16000'", ({ g }) => g[fn](tone(200), '16000'), /sampleRate must be a finite number, got '16000'/),
    err(fn, 'type', "windowType 'square'", ({ g }) => g[fn](tone(200), RATE, { windowType: 'square' }), /windowType must be one of/),
    err(fn, 'type', 'unknown option', ({ g }) => g[fn](tone(200), RATE, { nonsense: 1 }), /unknown option 'nonsense'/),
    err(fn, 'size', 'sampleRate 0', ({ g }) => g[fn](tone(200), 0), /sampleRate must be between 1000 and 1000000 Hz, got 0/),
    err(fn, 'size', 'sampleRate -16000', ({ g }) => g[fn](tone(200), -16000), /sampleRate must be between 1000 and 1000000 Hz, got -16000/),
    err(fn, 'size', 'numMelBins 0', ({ g }) => g[fn](tone(200), RATE, { numMelBins: 0 }), /numMelBins must be at least 1, got 0/),
    err(fn, 'size', 'frameShift -10', ({ g }) => g[fn](tone(200), RATE, { frameShift: -10 }), /frameShift must be positive \(ms\), got -10/),
    err(fn, 'absurd', 'frameLength 1e9 ms', ({ g }) => g[fn](tone(200), RATE, { frameLength: 1e9 }), /frameLength must be at most 1000 ms, got 1000000000/),
    err(fn, 'absurd', 'sampleRate 1e9', ({ g }) => g[fn](tone(200), 1e9), /sampleRate must be between 1000 and 1000000 Hz, got 1e\+?0?9|1000000000/),
    err(fn, 'absurd', 'numMelBins 1e9', ({ g }) => g[fn](tone(200), RATE, { numMelBins: 1e9 }), /numMelBins must be at most 1024/),
    ok(fn, 'constant', 'constant (DC) signal: finite features', ({ g }) => g[fn](new Float32Array(4000).fill(0.25), RATE), (v) => { assert.ok(v.length > 0 && finiteRows(v)); }),
    ok(fn, 'constant', 'digital silence: finite features', ({ g }) => g[fn](new Float32Array(4000), RATE), (v) => { assert.ok(v.length > 0 && finiteRows(v)); }),
    ok(fn, 'outlier', 'samples of ±10⁴ (far outside [-1, 1]): finite', ({ g }) => g[fn](tone(200).map((x) => x * 3e4), RATE), (v) => { assert.ok(v.length > 0 && finiteRows(v)); }),
  ]),
  err('mfcc', 'size', 'numCeps 0', ({ g }) => g.mfcc(tone(200), RATE, { numCeps: 0 }), /numCeps must be at least 1, got 0/),
  err('mfcc', 'absurd', 'numCeps 1e9', ({ g }) => g.mfcc(tone(200), RATE, { numCeps: 1e9 }), /numCeps \(1000000000\) must not exceed numMelBins \(23\)/),

  // addDeltas / cmvn
  ...['addDeltas', 'cmvn'].flatMap((fn) => [
    err(fn, 'nan', 'NaN feature', ({ g }) => g[fn]([[1, NaN], [2, 3]]), /features\[0\]\[1\] is NaN/),
    err(fn, 'nan', '-Infinity feature', ({ g }) => g[fn]([[1, 2], [-Infinity, 3]]), /features\[1\]\[0\] is (-)?inf/i),
    ok(fn, 'empty', 'no frames: [] (documented)', ({ g }) => g[fn]([]), (v) => assert.deepEqual(v, [])),
    ok(fn, 'oneFrame', 'one frame: one finite row', ({ g }) => g[fn]([[1, 2]]), (v) => { assert.equal(v.length, 1); assert.ok(finiteRows(v)); }),
    err(fn, 'shape', 'ragged rows', ({ g }) => g[fn]([[1, 2], [3]]), /features\[1\] has 1 values, expected 2/),
    err(fn, 'shape', 'flat array not a multiple of nFeatures', ({ g }) => g[fn](new Float64Array(7), { nFeatures: 2 }), /7 values, not a whole number of rows of nFeatures = 2/),
    err(fn, 'type', "features 'x'", ({ g }) => g[fn]('x'), /features must be an array of rows/),
    err(fn, 'type', 'rows of strings', ({ g }) => g[fn]([['a']]), /features\[0\]\[0\] must be a number, got 'a'/),
    err(fn, 'size', 'nFeatures 0', ({ g }) => g[fn](new Float64Array(4), { nFeatures: 0 }), /nFeatures must be a positive integer, got 0/),
    err(fn, 'absurd', 'nFeatures 1e9', ({ g }) => g[fn](new Float64Array(4), { nFeatures: 1e9 }), /4 values, not a whole number of rows of nFeatures = 1000000000/),
    ok(fn, 'constant', 'constant columns: finite', ({ g }) => g[fn](Array(20).fill([3, -2])), (v) => { assert.equal(v.length, 20); assert.ok(finiteRows(v)); }),
    ok(fn, 'outlier', 'a 10⁴ outlier: finite', ({ g }) => g[fn]([...X, [1e4, -1e4]]), (v) => { assert.equal(v.length, 41); assert.ok(finiteRows(v)); }),
  ]),
  err('addDeltas', 'size', 'order -1', ({ g }) => g.addDeltas([[1, 2]], { order: -1 }), /order must be between 0 and 8, got -1/),
  err('addDeltas', 'size', 'window 0', ({ g }) => g.addDeltas([[1, 2]], { window: 0 }), /window must be between 1 and 1000, got 0/),
  err('addDeltas', 'absurd', 'window 1e9', ({ g }) => g.addDeltas([[1, 2]], { window: 1e9 }), /window must be between 1 and 1000, got 1000000000/),
  ok('cmvn', 'constant', 'constant columns with variance: exact zeros (documented)', ({ g }) => g.cmvn(Array(5).fill([3, -2]), { variance: true }),
    (v) => assert.ok(v.every((r) => r[0] === 0 && r[1] === 0))),

  // FeatureStream
  err('FeatureStream', 'nan', 'sampleRate NaN', ({ g }) => new g.FeatureStream(NaN), /sampleRate must be a finite number, got NaN/),
  // push(samples, sampleRate) reads as if the rate were taken; it is the constructor's.
  err('FeatureStream', 'type', 'push(samples, sampleRate)', ({ g, track }) => track(new g.FeatureStream(RATE)).push(tone(200), 8000),
    /^FeatureStream\.push: takes one argument; the second \(8000\) would be ignored: call it as push\(samples\) \(the sample rate is the constructor's\)$/),
  err('FeatureStream', 'type', 'Listener.push(samples, sampleRate)', ({ recognizer }) => {
    const listener = recognizer.createListener({ sampleRate: RATE });
    try { listener.push(tone(200), 8000); } finally { listener.stop(); }
  }, /^Listener\.push: takes one argument; the second \(8000\) would be ignored: call it as push\(samples\) \(the sample rate is createListener\(\)'s\)$/),
  err('FeatureStream', 'type', 'pull(maxFrames, more)', ({ g, track }) => track(new g.FeatureStream(RATE)).pull(1, 2),
    /^FeatureStream\.pull: takes one argument; the second \(2\) would be ignored/),
  err('FeatureStream', 'type', 'Endpointer.finish(x)', ({ g, track }) => track(new g.Endpointer(RATE)).finish(true),
    /^Endpointer\.finish: takes no arguments; the first \(true\) would be ignored/),
  err('FeatureStream', 'type', 'exampleCount(label, more)', ({ g, track }) => track(new g.Recognizer()).exampleCount('a', 1),
    /^exampleCount: takes one argument; the second \(1\) would be ignored/),
  err('mfcc', 'type', 'a fourth argument', ({ g }) => g.mfcc(tone(200), RATE, {}, { numCeps: 20 }),
    /^mfcc: takes three arguments; the fourth \(an object\) would be ignored: call it as mfcc\(samples, sampleRate, options\)$/),
  err('FeatureStream', 'nan', 'push with NaN (stream unchanged)', ({ g, track }) => {
    const s = track(new g.FeatureStream(RATE));
    s.push(tone(200, 0.05));
    const before = s.samplesPushed;
    try { s.push(Float32Array.of(0, NaN)); } finally { assert.equal(s.samplesPushed, before, 'nothing appended'); }
  }, /FeatureStream.push: samples\[1\] is NaN/),
  ok('FeatureStream', 'empty', 'push of no samples: 0 frames', ({ g, track }) => track(new g.FeatureStream(RATE)).push(new Float32Array(0)), (v) => assert.equal(v, 0)),
  ok('FeatureStream', 'oneFrame', 'one sample at a time: same frames as mfcc()', ({ g, track }) => {
    const s = track(new g.FeatureStream(RATE));
    const x = tone(300, 0.05);
    for (let i = 0; i < x.length; i++) s.push(x.subarray(i, i + 1));
    s.finish();
    return { got: s.pull(), ref: g.mfcc(x, RATE) };
  }, ({ got, ref }) => assert.deepEqual(got.map((r) => Array.from(r)), ref.map((r) => Array.from(r)))),
  err('FeatureStream', 'type', "features 'x'", ({ g }) => new g.FeatureStream(RATE, { features: 'x' }), /features must be 'mfcc' or 'fbank', got 'x'/),
  err('FeatureStream', 'type', "push('abc')", ({ g, track }) => track(new g.FeatureStream(RATE)).push('abc'), /samples must be a Float32Array/),
  err('FeatureStream', 'type', 'push after dispose', ({ g }) => { const s = new g.FeatureStream(RATE); s.dispose(); s.push(tone(200)); }, /disposed/, 'disposed'),
  err('FeatureStream', 'size', 'pull(-1)', ({ g, track }) => track(new g.FeatureStream(RATE)).pull(-1), /maxFrames must be a number >= 0, got -1/),
  err('FeatureStream', 'size', 'sampleRate 0', ({ g }) => new g.FeatureStream(0), /sampleRate must be between 1000 and 1000000 Hz, got 0/),
  ok('FeatureStream', 'absurd', 'pull(1e9): the frames ready', ({ g, track }) => { const s = track(new g.FeatureStream(RATE)); s.push(tone(200, 0.1)); return s.pull(1e9); },
    (v) => { assert.equal(v.length, 8); assert.ok(finiteRows(v)); }),
  err('FeatureStream', 'absurd', 'frameLength 1e9 ms', ({ g }) => new g.FeatureStream(RATE, { frameLength: 1e9 }), /frameLength must be at most 1000 ms/),
  ok('FeatureStream', 'outlier', 'samples of ±10⁴: finite frames', ({ g, track }) => { const s = track(new g.FeatureStream(RATE)); s.push(tone(200, 0.1).map((x) => x * 3e4)); return s.pull(); },
    (v) => { assert.ok(v.length > 0 && finiteRows(v)); }),
  ok('FeatureStream', 'constant', 'digital silence: finite frames', ({ g, track }) => { const s = track(new g.FeatureStream(RATE)); s.push(new Float32Array(1600)); return s.pull(); },
    (v) => { assert.ok(v.length > 0 && finiteRows(v)); }),

  // Endpointer / findSpeechSegments
  ...[
    ['Endpointer', (g, x, rate, o) => { const e = new g.Endpointer(rate, o); try { return [...e.push(x), ...e.finish()]; } finally { e.dispose(); } }],
    ['findSpeechSegments', (g, x, rate, o) => g.findSpeechSegments(x, rate, o)],
  ].flatMap(([fn, run]) => [
    err(fn, 'nan', 'NaN sample', ({ g }) => run(g, withValue(tone(200), 5, NaN), RATE), /samples\[5\] is NaN/),
    err(fn, 'nan', 'hangover NaN', ({ g }) => run(g, tone(200), RATE, { hangover: NaN }), /hangover must be a finite number/),
    ok(fn, 'empty', 'no samples: no segments', ({ g }) => run(g, new Float32Array(0), RATE), (v) => assert.deepEqual(v, [])),
    ok(fn, 'oneFrame', 'one sample: no segments', ({ g }) => run(g, Float32Array.of(0.9), RATE), (v) => assert.deepEqual(v, [])),
    err(fn, 'type', "samples 'abc'", ({ g }) => run(g, 'abc', RATE), /samples must be a Float32Array/),
    err(fn, 'type', 'unknown option', ({ g }) => run(g, tone(200), RATE, { hangOver: 100 }), /unknown option 'hangOver'/),
    err(fn, 'size', 'sampleRate 0', ({ g }) => run(g, tone(200), 0), /sampleRate must be between 1000 and 1000000 Hz, got 0/),
    err(fn, 'size', 'startFrames 0', ({ g }) => run(g, tone(200), RATE, { startFrames: 0 }), /startFrames must be between 1 and 100, got 0/),
    err(fn, 'size', 'preRoll -60', ({ g }) => run(g, tone(200), RATE, { preRoll: -60 }), /preRoll must be >= 0, got -60/),
    err(fn, 'absurd', 'maxWord 1e15 ms', ({ g }) => run(g, tone(200), RATE, { maxWord: 1e15 }), /maxWord must be at most 3600000 ms \(one hour\)/),
    err(fn, 'absurd', 'hangover 1e15 ms', ({ g }) => run(g, tone(200), RATE, { hangover: 1e15 }), /hangover must be at most 3600000 ms \(one hour\)/),
    err(fn, 'absurd', 'preRoll 1e15 ms', ({ g }) => run(g, tone(200), RATE, { preRoll: 1e15 }), /preRoll must be at most 3600000 ms \(one hour\)/),
    ok(fn, 'constant', 'DC offset only: no segments', ({ g }) => run(g, new Float32Array(RATE).fill(0.5), RATE), (v) => assert.deepEqual(v, [])),
    ok(fn, 'outlier', 'a ±10⁴ click in silence: no word (too short)', ({ g }) => run(g, withValue(SILENCE, 4000, 1e4), RATE), (v) => assert.deepEqual(v, [])),
  ]),

  // Recognizer: addExample, addFeatures, train, classify, fromJSON
  err('addExample', 'nan', 'NaN sample', ({ g, track }) => track(new g.Recognizer()).addExample('a', withValue(tone(200), 9, NaN), RATE), /samples\[9\] is NaN/),
  err('addExample', 'empty', 'no samples', ({ g, track }) => track(new g.Recognizer()).addExample('a', new Float32Array(0), RATE), /samples are empty \(label "a"\)/),
  err('addExample', 'empty', "label ''", ({ g, track }) => track(new g.Recognizer()).addExample('', tone(200), RATE), /label must be a non-empty string, got ''/),
  err('addExample', 'oneFrame', 'one sample', ({ g, track }) => track(new g.Recognizer()).addExample('a', Float32Array.of(0.5), RATE), /shorter than one frame|no speech frames|too short/),
  err('addExample', 'constant', 'digital silence', ({ g, track }) => track(new g.Recognizer()).addExample('a', SILENCE, RATE), /the recording for "a" is silent \(peak below -55 dBFS\)/),
  err('addExample', 'type', 'label 5', ({ g, track }) => track(new g.Recognizer()).addExample(5, tone(200), RATE), /label must be a non-empty string, got 5/),
  err('addExample', 'type', "label '\\u0000background' (the background job used to be called so)", ({ g, track }) => track(new g.Recognizer()).addExample('\u0000background', tone(200), RATE),
    /^addExample: label contains a control character \(U\+0000 at index 0\)$/),
  err('addExample', 'absurd', 'a label of 10⁶ characters', ({ g, track }) => track(new g.Recognizer()).addExample('x'.repeat(1e6), tone(200), RATE),
    /^addExample: label must be at most 64 characters, got 1000000$/),
  err('addExample', 'type', 'samples {}', ({ g, track }) => track(new g.Recognizer()).addExample('a', {}, RATE), /samples must be a Float32Array/),
  err('addExample', 'size', 'sampleRate 0', ({ g, track }) => track(new g.Recognizer()).addExample('a', tone(200), 0), /sampleRate must be between 1000 and 1000000 Hz, got 0/),
  err('addExample', 'absurd', 'sampleRate 1e9', ({ g, track }) => track(new g.Recognizer()).addExample('a', tone(200), 1e9), /sampleRate must be between 1000 and 1000000 Hz/),
  ok('addExample', 'outlier', 'samples of ±10⁴: accepted, counted', ({ g, track }) => { const r = track(new g.Recognizer()); r.addExample('a', tone(200).map((x) => x * 3e4), RATE); return r.exampleCount('a'); },
    (v) => assert.equal(v, 1)),

  err('addFeatures', 'nan', 'NaN features', ({ g, track }) => track(new g.Recognizer()).addFeatures('a', Array(10).fill(new Array(39).fill(NaN))),
    /features for "a" contain NaN or infinite values/),
  err('addFeatures', 'empty', 'no frames', ({ g, track }) => track(new g.Recognizer()).addFeatures('a', []), /features for "a" have no frames/),
  err('addFeatures', 'shape', '2 columns instead of 39', ({ g, track }) => track(new g.Recognizer()).addFeatures('a', [[1, 2]]), /features must have 39 columns \(MFCC \+ deltas\), got 2/),
  err('addFeatures', 'type', "features 'x'", ({ g, track }) => track(new g.Recognizer()).addFeatures('a', 'x'), /features must be an array of rows/),
  err('addFeatures', 'type', 'label null', ({ g, track }) => track(new g.Recognizer()).addFeatures(null, [new Float64Array(39)]), /label must be a non-empty string, got null/),
  err('addFeatures', 'empty', "label ' ' (only whitespace)", ({ g, track }) => track(new g.Recognizer()).addFeatures(' ', [new Float64Array(39)]),
    /^addFeatures: label must not start or end with whitespace$/),
  err('addFeatures', 'absurd', 'a label of 10⁶ characters', ({ g, track }) => track(new g.Recognizer()).addFeatures('x'.repeat(1e6), [new Float64Array(39)]),
    /^addFeatures: label must be at most 64 characters, got 1000000$/),
  err('addFeatures', 'size', 'a flat array of 38 values (rows of 39)', ({ g, track }) => track(new g.Recognizer()).addFeatures('a', new Float64Array(38)), /38 values, not a whole number of rows of nFeatures = 39/),
  ok('addFeatures', 'oneFrame', 'one frame: accepted', ({ g, track }) => { const r = track(new g.Recognizer()); r.addFeatures('a', [new Float64Array(39)]); return r.exampleCount('a'); },
    (v) => assert.equal(v, 1)),
  ok('addFeatures', 'constant', 'constant frames: accepted', ({ g, track }) => { const r = track(new g.Recognizer()); r.addFeatures('a', Array(20).fill(new Array(39).fill(1))); return r.exampleCount('a'); },
    (v) => assert.equal(v, 1)),
  // train() refused them later, naming a frame of every word's examples joined.
  err('addFeatures', 'absurd', 'a value of 1e200', ({ g, track }) => {
    const r = track(new g.Recognizer());
    r.addFeatures('a', [...Array(5).fill(new Array(39).fill(1)), [...new Array(38).fill(1), 1e200]]);
  }, /^addFeatures: features for "a" hold 1e\+200 at frame 5, feature 38 \(magnitudes above 1e45 are not supported\)$/),
  // Large features train, and the recognizer's own file loads back (a bound of 1e6 on its
  // template spread refused it from about 4e5).
  ok('addFeatures', 'outlier', 'features of ±1e7: trained, and the file loads back', async ({ g, track }) => {
    const r = track(new g.Recognizer({ workers: 0 }));
    let seed = 1;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (const [label, scale] of [['small', 1], ['large', 2e7]]) {
      for (let k = 0; k < 3; k++) r.addFeatures(label, Array.from({ length: 30 }, () => Array.from({ length: 39 }, () => scale * (next() - 0.5))));
    }
    await r.train();
    const back = track(g.Recognizer.fromJSON(r.toJSON()));
    return back.toJSON().words.find((w) => w.label === 'large').templateSpread;
  }, (spread) => assert.ok(spread > 1e6, `spread ${spread}`)),
  // At the bound, with the variance prior at its largest (1e5 x the pooled variance): trained
  // and loaded back (a bound of 1e50 failed from 6e49: "covarsPriorPerFeature must hold numbers in [0, 1e100]").
  ok('addFeatures', 'absurd', 'features of ±1e45 with the largest variance prior: trained, and the file loads back', async ({ g, track }) => {
    const r = track(new g.Recognizer({ workers: 0, word: { variancePriorWeight: 1e4, variancePriorScale: 10 } }));
    for (const [label, scale] of [['a', 1], ['b', 0.5]]) {
      for (let k = 0; k < 3; k++) {
        r.addFeatures(label, Array.from({ length: 30 }, (_, t) => Array.from({ length: 39 }, (_, d) => scale * ((t + d + k) % 2 ? 1e45 : -1e45) * (1 - 0.01 * d))));
      }
    }
    await r.train();
    return track(g.Recognizer.fromJSON(r.toJSON())).labels;
  }, (labels) => assert.deepEqual(labels, ['a', 'b'])),
  err('setters', 'absurd', 'a mean of 1e200 (every frame scored -Infinity)', ({ fitted, track }) => { track(fitted.clone()).means = [[[1e200, 0]], [[0, 0]]]; },
    /^GMMHMM\.means: means\[0\]\[0\]\[0\] is 1e\+200: means must be within \+-1e100$/),
  // Every word would have failed with an 'error' event: the front end needs twice its highFreq.
  err('FeatureStream', 'size', 'createListener at 6000 Hz (the features reach 3800 Hz)', ({ g, track }) => track(new g.Recognizer()).createListener({ sampleRate: 6000 }),
    /^createListener options: sampleRate: highFreq 3800 Hz is above the Nyquist frequency 3000 Hz/),
  ok('addFeatures', 'outlier', 'a 10⁴ outlier: accepted', ({ g, track }) => { const r = track(new g.Recognizer()); r.addFeatures('a', [...Array(20).fill(new Array(39).fill(1)), new Array(39).fill(1e4)]); return r.exampleCount('a'); },
    (v) => assert.equal(v, 1)),

  err('train', 'empty', 'no examples', ({ g, track }) => track(new g.Recognizer({ workers: 0 })).train(), /train: no examples/),
  err('train', 'type', 'onProgress 5', ({ g, track }) => { const r = track(new g.Recognizer({ workers: 0 })); r.addFeatures('a', Array(20).fill(new Array(39).fill(1))); return r.train({ onProgress: 5 }); },
    /onProgress must be a function, got 5/),
  ...[
    ['type', "workers 'lots'", { workers: 'lots' }, /train: workers must be .*got 'lots'/],
    ['size', 'workers -1', { workers: -1 }, /train: workers must be .*got -1/],
    ['absurd', 'workers 1e6 (a thread per job)', { workers: 1e6 }, /train: workers must be .*an integer in \[0, 256\].*got 1000000/],
    ['type', 'signal { aborted: false } (not an AbortSignal)', { signal: { aborted: false } }, /signal must be an AbortSignal/],
    ['type', "options 'fast'", 'fast', /train options must be an object, got 'fast'/],
    ['type', 'a misspelt option', { onprogress: () => {} }, /train options: unknown option 'onprogress'/],
  ].map(([input, what, options, pattern]) => err('train', input, what, ({ g, track }) => {
    const r = track(new g.Recognizer({ workers: 0 }));
    r.addFeatures('a', Array(20).fill(new Array(39).fill(1)));
    return r.train(options);
  }, pattern)),
  err('train', 'size', 'word.nIter -1', ({ g, track }) => track(new g.Recognizer({ workers: 0, word: { nIter: -1 } })).train(), /word.nIter must be an integer in \[0, 1000\], got -1/),
  err('train', 'absurd', 'word.maxMix 1e9', ({ g, track }) => track(new g.Recognizer({ workers: 0, word: { maxMix: 1e9 } })).train(), /word.maxMix/),
  err('train', 'nan', 'rejection.threshold NaN', ({ g, track }) => track(new g.Recognizer({ workers: 0, rejection: { threshold: NaN } })).train(), /rejection.threshold/),
  ok('train', 'oneFrame', 'one word, one example of one frame: trains', async ({ g, track }) => {
    const r = track(new g.Recognizer({ workers: 0 }));
    r.addFeatures('a', [new Float64Array(39).fill(0.5)]);
    await r.train();
    return r.classifyFeatures(Array(3).fill(new Float64Array(39).fill(0.5)));
  }, (v) => assert.ok(!Number.isNaN(v.confidence))),
  ok('train', 'constant', 'constant examples: trains, classifies without NaN', async ({ g, track }) => {
    const r = track(new g.Recognizer({ workers: 0 }));
    for (const label of ['a', 'b']) for (let k = 0; k < 3; k++) r.addFeatures(label, Array(25).fill(new Array(39).fill(label === 'a' ? 1 : -1)));
    await r.train();
    return r.classifyFeatures(Array(25).fill(new Array(39).fill(1)));
  }, (v) => { assert.ok(!Number.isNaN(v.confidence) && !Number.isNaN(v.likelihoodRatio)); }),
  ok('train', 'outlier', 'examples with a 10⁴ outlier frame: trains', async ({ g, track }) => {
    const r = track(new g.Recognizer({ workers: 0 }));
    const next = random(4);
    for (const label of ['a', 'b']) for (let k = 0; k < 3; k++) {
      const rows = Array.from({ length: 25 }, () => Array.from({ length: 39 }, () => next() + (label === 'a' ? 1 : 0)));
      rows[k] = new Array(39).fill(1e4);
      r.addFeatures(label, rows);
    }
    await r.train();
    return r.classifyFeatures(Array.from({ length: 25 }, () => Array.from({ length: 39 }, () => next() + 1)));
  }, (v) => assert.ok(!Number.isNaN(v.confidence))),

  err('classify', 'nan', 'NaN sample', ({ recognizer }) => recognizer.classify(withValue(tone(200), 2, NaN), RATE), /samples contain NaN or infinite values \(at index 2: NaN\)/),
  ok('classify', 'empty', "no samples: rejected 'silence'", ({ recognizer }) => recognizer.classify(new Float32Array(0), RATE),
    (v) => { assert.equal(v.rejected, true); assert.equal(v.reason, 'silence'); }),
  ok('classify', 'oneFrame', "one frame of sound: rejected 'too-short'", ({ recognizer }) => recognizer.classify(tone(300, 0.03), RATE),
    (v) => { assert.equal(v.rejected, true); assert.equal(v.reason, 'too-short'); }),
  ok('classify', 'tooShort', "shorter than the shortest word model: rejected 'too-short'", ({ recognizer }) => recognizer.classify(tone(300, 0.06), RATE),
    (v) => { assert.equal(v.rejected, true); assert.equal(v.reason, 'too-short'); }),
  ok('classify', 'constant', "digital silence: rejected 'silence'", ({ recognizer }) => recognizer.classify(SILENCE, RATE),
    (v) => { assert.equal(v.rejected, true); assert.equal(v.reason, 'silence'); assert.equal(v.label, null); }),
  ok('classify', 'constant', "a steady hum: rejected 'not-speech'", ({ recognizer }) => recognizer.classify(Float32Array.from({ length: RATE / 2 }, (_, i) => 0.3 * Math.sin(2 * Math.PI * 100 * i / RATE)), RATE),
    (v) => { assert.equal(v.rejected, true); assert.equal(v.reason, 'not-speech'); }),
  ok('classify', 'absurd', "10× longer than any example: rejected 'too-long'", ({ recognizer }) => recognizer.classify(new Float32Array(tone(250, 5, 3)), RATE),
    (v) => { assert.equal(v.rejected, true); assert.equal(v.reason, 'too-long'); }),
  ok('classify', 'outlier', 'samples of ±10⁴: a result without NaN', ({ recognizer }) => recognizer.classify(tone(250).map((x) => x * 3e4), RATE),
    (v) => { assert.ok(!Number.isNaN(v.confidence) && v.scores.every((s) => !Number.isNaN(s.probability))); }),
  err('classify', 'type', 'samples 7', ({ recognizer }) => recognizer.classify(7, RATE), /samples must be a Float32Array/),
  err('classify', 'type', 'a third argument', ({ recognizer }) => recognizer.classify(tone(200), RATE, { sensitivity: 2 }),
    /^classify: takes two arguments; the third \(an object\) would be ignored: call it as classify\(samples, sampleRate\)/),
  err('train', 'type', 'a second argument', ({ g, track }) => track(new g.Recognizer()).train({}, () => {}),
    /^train: takes one argument; the second \(a function\) would be ignored/),
  err('classify', 'size', 'sampleRate -1', ({ recognizer }) => recognizer.classify(tone(200), -1), /sampleRate must be between 1000 and 1000000 Hz, got -1/),
  err('classify', 'shape', 'classifyFeatures with 2 columns', ({ recognizer }) => recognizer.classifyFeatures([[1, 2]]), /39/),
  err('classify', 'empty', 'untrained recognizer', ({ g, track }) => track(new g.Recognizer()).classify(tone(200), RATE), /the recognizer is not trained; call train\(\) first/, 'not-fitted'),

  err('Recognizer.fromJSON', 'empty', "''", ({ g }) => g.Recognizer.fromJSON(''), /recognizer JSON does not parse/, 'model-format'),
  err('Recognizer.fromJSON', 'truncated', 'first half', ({ g, recognizerJSON }) => g.Recognizer.fromJSON(JSON.stringify(recognizerJSON).slice(0, 3000)),
    /recognizer JSON does not parse/, 'model-format'),
  err('Recognizer.fromJSON', 'garbage', "'nope'", ({ g }) => g.Recognizer.fromJSON('nope'), /recognizer JSON does not parse/, 'model-format'),
  err('Recognizer.fromJSON', 'deep', '100 000 nested arrays', ({ g }) => g.Recognizer.fromJSON(deepText(100000)), /recognizer JSON: nesting deeper than 32 levels/, 'model-format'),
  err('Recognizer.fromJSON', 'deep', '100 000 nested objects', ({ g }) => g.Recognizer.fromJSON('{"a":'.repeat(100000) + '1' + '}'.repeat(100000)),
    /recognizer JSON/, 'model-format'),
  err('Recognizer.fromJSON', 'deep', 'a word model nested 40 deep', ({ g, recognizerJSON }) => g.Recognizer.fromJSON({
    ...recognizerJSON, words: [{ ...recognizerJSON.words[0], model: nested(40, {}) }],
  }), /nest|deep|model/, 'model-format'),
  err('Recognizer.fromJSON', 'huge', 'a word model with 10⁶ means', ({ g, recognizerJSON }) => {
    const bad = structuredClone(recognizerJSON);
    bad.words[0].model.means = new Array(1e6).fill(0);
    return g.Recognizer.fromJSON(bad);
  }, /means/, 'model-format'),
  err('Recognizer.fromJSON', 'huge', 'the same word 200 times', ({ g, recognizerJSON }) => g.Recognizer.fromJSON({
    ...recognizerJSON, words: new Array(200).fill(recognizerJSON.words[0]),
  }), /duplicate|twice|more than once|label/i, 'model-format'),
  err('Recognizer.fromJSON', 'jsonTypes', 'an object JSON cannot represent (BigInt)', ({ g, recognizerJSON }) => g.Recognizer.fromJSON({ ...recognizerJSON, version: 1n }),
    /BigInt|serialise|serialize/, 'model-format'),
  err('Recognizer.fromJSON', 'garbage', 'a label with a terminal escape', ({ g, recognizerJSON }) => {
    const bad = structuredClone(recognizerJSON);
    bad.words[0].label = '\u001b[2Jlow';
    return g.Recognizer.fromJSON(bad);
  }, /^fromJSON: recognizer JSON: words\[0\]\.label contains a control character \(U\+001B at index 0\)$/, 'model-format'),
  err('Recognizer.fromJSON', 'huge', 'a label of 10⁶ characters', ({ g, recognizerJSON }) => {
    const bad = structuredClone(recognizerJSON);
    bad.words[0].label = 'x'.repeat(1e6);
    return g.Recognizer.fromJSON(bad);
  }, /^fromJSON: recognizer JSON: words\[0\]\.label must be at most 64 characters, got 1000000$/, 'model-format'),
  err('Recognizer.fromJSON', 'type', "options { workers: 'lots' }", ({ g, recognizerJSON }) => g.Recognizer.fromJSON(recognizerJSON, { workers: 'lots' }),
    /fromJSON options: workers must be/),
  err('Recognizer.fromJSON', 'jsonTypes', "words 'x'", ({ g, recognizerJSON }) => g.Recognizer.fromJSON({ ...recognizerJSON, words: 'x' }), /"words" must be a non-empty array/, 'model-format'),
  err('Recognizer.fromJSON', 'jsonTypes', 'a number', ({ g }) => g.Recognizer.fromJSON(5), /fromJSON: recognizer JSON must be an object or a string, got 5/, 'model-format'),
  err('Recognizer.fromJSON', 'nan', 'a NaN mean in a word model', ({ g, recognizerJSON }) => {
    const bad = structuredClone(recognizerJSON);
    bad.words[0].model.means[0][0][0] = NaN;  // serialised as null
    return g.Recognizer.fromJSON(bad);
  }, /means\[0\]\[0\]\[0\] must be a number|not finite/, 'model-format'),
  err('Recognizer.fromJSON', 'probs', 'a word model whose startprob sums to 2', ({ g, recognizerJSON }) => {
    const bad = structuredClone(recognizerJSON);
    bad.words[0].model.startprob = bad.words[0].model.startprob.map(() => 2 / bad.words[0].model.startprob.length);
    return g.Recognizer.fromJSON(bad);
  }, /startprob sums to 2/, 'model-format'),
  ...[
    ['absurd', 'a word model with nStates 1e9', (m) => { m.nStates = 1e9; }, /words\[0\] \("low"\): model JSON: nStates must be an integer in \[1, 10000\]/],
    ['nonPD', 'a word model with a zero variance', (m) => { m.covars[0][0][0] = 0; }, /words\[0\] \("low"\): model JSON: covars\[0\]\[0\]\[0\] is 0 \(variances must be > 0\)/],
    ['shape', 'a word model with means [[1]]', (m) => { m.means = [[1]]; }, /words\[0\] \("low"\): model JSON: means\[0\]\[0\] must be a non-empty array/],
  ].map(([input, what, spoil, pattern]) => err('Recognizer.fromJSON', input, what, ({ g, recognizerJSON }) => {
    const bad = structuredClone(recognizerJSON);
    spoil(bad.words[0].model);
    return g.Recognizer.fromJSON(bad);
  }, pattern, 'model-format')),
  err('Recognizer.fromJSON', 'size', 'rejection.maxDurationRatio -1', ({ g, recognizerJSON }) => g.Recognizer.fromJSON({
    ...recognizerJSON, options: { ...recognizerJSON.options, rejection: { ...recognizerJSON.options.rejection, maxDurationRatio: -1 } },
  }), /maxDurationRatio/, 'model-format'),

  // ---- files of 30 and 100 MB (issue 13): refused before parsing, or read without building
  // what no reader uses; either way the memory hardly grows and the heap comes back.
  ...[
    ['fromJSON', 'GMMHMM.fromJSON', (g, text, o) => g.GMMHMM.fromJSON(text, o), ({ modelJSON }) => modelJSON, 'model JSON'],
    ['Recognizer.fromJSON', 'fromJSON', (g, text, o) => g.Recognizer.fromJSON(text, o), ({ recognizerJSON }) => recognizerJSON, 'recognizer JSON'],
  ].flatMap(([fn, context, loadFile, documentOf, what]) => [
    err(fn, 'bigFile', '100 MB (an unused array of zeros): over maxBytes, refused before copying; memory unchanged', (ctx) => {
      const text = padded(documentOf(ctx), 100);
      const before = ctx.g.memoryBytes();
      try { return loadFile(ctx.g, text); } finally { assert.equal(ctx.g.memoryBytes(), before, 'memory grew'); }
    }, new RegExp(`${context}: ${what}: the file has at least 100000\\d{3} bytes, more than maxBytes \\(67108864\\); raise maxBytes`), 'model-format'),
    ok(fn, 'bigFile', '30 MB (an unused array of zeros): loads, the array never built (memory grows < 64 MB)', (ctx) => {
      const text = padded(documentOf(ctx), 30);
      return growth(ctx.g, () => ctx.track(loadFile(ctx.g, text)));
    }, ({ value, grown }, ctx) => {
      assert.deepEqual(value.toJSON(), documentOf(ctx));
      assert.ok(grown < 64 * MB, `memory grew by ${grown / MB} MB`);
    }),
    err(fn, 'bigFile', '30 MB with 15 M zeros where the means are: refused while counting (memory grows < 64 MB)', (ctx) => {
      const document = structuredClone(documentOf(ctx));
      const model = document.words ? document.words[0].model : document;
      model.means = 0;
      const text = JSON.stringify(document).replace('"means":0', `"means":[${'0,'.repeat(15e6 - 1)}0]`);
      const before = ctx.g.memoryBytes();
      try { return loadFile(ctx.g, text); } finally { assert.ok(ctx.g.memoryBytes() - before < 64 * MB, 'memory grew'); }
    }, new RegExp(`${what}: the members read hold more than 4194304 JSON values`), 'model-format'),
    // (200 bytes: a fitted model's file is shorter than 1000 bytes when EM converged quickly.)
    err(fn, 'bigFile', 'maxBytes 200 for a larger file', (ctx) => loadFile(ctx.g, documentOf(ctx), { maxBytes: 200 }),
      new RegExp(`${what}: the file has (at least )?\\d+ bytes, more than maxBytes \\(200\\)`), 'model-format'),
    err(fn, 'oddValue', "maxBytes '1e9' (a string)", (ctx) => loadFile(ctx.g, documentOf(ctx), { maxBytes: '1e9' }),
      /maxBytes must be a positive integer \(bytes\), got '1e9'/),
    err(fn, 'options', 'options with a throwing getter', (ctx) => loadFile(ctx.g, documentOf(ctx), { get maxBytes() { throw new Error('getter failed'); } }),
      /options could not be read: getter failed/),
    ok(fn, 'options', 'an own "__proto__" member in the file: skipped like any unknown member', (ctx) =>
      ctx.track(loadFile(ctx.g, JSON.stringify(documentOf(ctx)).replace('{', '{"__proto__":{"nStates":1e9},'))),
    (value, ctx) => assert.deepEqual(value.toJSON(), documentOf(ctx))),
  ]),

  // ---- a fit refused as too large allocates nothing (issue 13: it held 1.1 GB)
  err('fit', 'absurd', "1000 states × 100 full covariances of the data's 40 features: refused before allocating", ({ g, track }) => {
    const m = track(new g.GMMHMM({ nStates: 1000, nMix: 100, covarianceType: 'full' }));
    const data = Array.from({ length: 50 }, (_, t) => Array.from({ length: 40 }, (_, d) => Math.sin(t * (d + 1))));
    const before = [g.memoryBytes(), g.heapBytesInUse()];
    try { return m.fit(data); } finally {
      assert.deepEqual([g.memoryBytes(), g.heapBytesInUse()], before, 'memory and heap in use unchanged');
      assert.equal(m.nFeatures, 0, 'the model is as it was');
    }
  }, /model too large: nStates x nMix x nFeatures² exceeds 1e8 parameters/),
  err('fit', 'absurd', 'training that needs more than the 2 GB heap: refused before allocating (out-of-memory)', ({ g, track }) => {
    const m = track(new g.GMMHMM({ nStates: 2000, nMix: 8, covarianceType: 'full' }));
    const data = Array.from({ length: 50 }, (_, t) => Array.from({ length: 60 }, (_, d) => Math.sin(t * (d + 1))));
    const before = [g.memoryBytes(), g.heapBytesInUse()];
    try { return m.fit(data); } finally { assert.deepEqual([g.memoryBytes(), g.heapBytesInUse()], before, 'memory and heap in use unchanged'); }
  }, /fit: training this model on these data needs about \d+ MiB, more than the memory limit of \d+ MiB/, 'out-of-memory'),

  // ---- recognizer front-end options: the front end's rules, in files and constructors alike
  ...[
    ['numMelBins', 1e6, /features\.numMelBins must be at most 1024, got 1000000/],
    ['frameLength', 1e9, /features\.frameLength must be at most 1000 ms, got 1000000000/],
    ['numMelBins', 1024, /features: no common sample rate \(8-96 kHz\) can be served by these options .*mel bin \d+ contains no FFT bin/],
    ['lowFreq', 5000, /features\.lowFreq \(5000 Hz\) must be below highFreq \(3800 Hz\)/],
  ].flatMap(([name, value, pattern]) => [
    err('Recognizer.fromJSON', 'absurd', `features.${name} ${value}`, ({ g, recognizerJSON }) => g.Recognizer.fromJSON({
      ...recognizerJSON, options: { ...recognizerJSON.options, features: { ...recognizerJSON.options.features, [name]: value } },
    }), pattern, 'model-format'),
    err('Recognizer', 'absurd', `features.${name} ${value}`, ({ g }) => new g.Recognizer({ features: { [name]: value } }), pattern),
  ]),
  err('Recognizer', 'nan', 'rejection.threshold NaN', ({ g }) => new g.Recognizer({ rejection: { threshold: NaN } }), /rejection\.threshold must be a finite number/),
  err('Recognizer', 'nan', 'rejection.templateSpreads NaN', ({ g }) => new g.Recognizer({ rejection: { templateSpreads: NaN } }),
    /rejection\.templateSpreads must be a finite number/),
  err('Recognizer', 'absurd', 'rejection.templateMargin 0.5', ({ g }) => new g.Recognizer({ rejection: { templateMargin: 0.5 } }),
    /rejection\.templateMargin must be in \[1, 100\], got 0\.5/),
  err('Recognizer', 'absurd', 'rejection.minTemplateMargin -1', ({ g }) => new g.Recognizer({ rejection: { minTemplateMargin: -1 } }),
    /rejection\.minTemplateMargin must be in \[0, 100\]/),
  err('Recognizer', 'oddValue', 'features.numMelBins 40n (BigInt)', ({ g }) => new g.Recognizer({ features: { numMelBins: 40n } }),
    /Recognizer options\.features\.numMelBins must be a number, got the BigInt 40n/),
  err('Recognizer', 'type', "features.windowType 'square'", ({ g }) => new g.Recognizer({ features: { windowType: 'square' } }), /features\.windowType must be one of/),
  err('Recognizer', 'options', 'options with a throwing getter', ({ g }) => new g.Recognizer({ get word() { throw new Error('getter failed'); } }),
    /Recognizer options could not be read: getter failed/),
  err('Recognizer', 'options', 'inherited options', ({ g }) => new g.Recognizer(Object.create({ workers: 0 })),
    /Recognizer options: option 'workers' is inherited from the object's prototype/),

  // ---- sample rates the front end cannot serve, and odd JS values in their place
  ...[
    ['mfcc', (g, x, rate, o) => g.mfcc(x, rate, o)],
    ['fbank', (g, x, rate, o) => g.fbank(x, rate, o)],
    ['FeatureStream', (g, x, rate, o) => { const s = new g.FeatureStream(rate, o); try { s.push(x); s.finish(); return s.pull(); } finally { s.dispose(); } }],
    ['Endpointer', (g, x, rate, o) => { const e = new g.Endpointer(rate, o); try { return [...e.push(x), ...e.finish()]; } finally { e.dispose(); } }],
    ['findSpeechSegments', (g, x, rate, o) => g.findSpeechSegments(x, rate, o)],
    ['addExample', (g, x, rate, o, track) => { const r = track(new g.Recognizer({ workers: 0, ...o })); r.addExample('a', x, rate); return r.exampleCount('a'); }],
    ['classify', (g, x, rate, o, track, recognizer) => recognizer.classifySync(x, rate)],
  ].flatMap(([fn, run]) => {
    const go = (x, rate, o = undefined) => ({ g, track, recognizer }) => run(g, x, rate, o, track, recognizer);
    const outOfRange = (rate, shown) => err(fn, 'rate', `sampleRate ${shown}`, go(tone(200), rate),
      new RegExp(`sampleRate must be between 1000 and 1000000 Hz, got ${shown.replace(/[.+]/g, '\\$&')}`));
    const speech = fn === 'addExample' || fn === 'classify';  // the recognizer's band is 60-3800 Hz
    return [
      outOfRange(1, '1'), outOfRange(100, '100'), outOfRange(1e9, '1000000000'), outOfRange(-0, '-0'), outOfRange(1e-300, '1e-300'),
      outOfRange(Number.MAX_VALUE, '1.797693135e+308'),
      err(fn, 'rate', 'sampleRate NaN', go(tone(200), NaN), /sampleRate must be a finite number, got NaN/),
      speech
        ? err(fn, 'rate', '4 kHz: below twice the band\'s 3800 Hz', go(tone(200), 4000), /highFreq 3800 Hz is above the Nyquist frequency 2000 Hz of sampleRate 4000/)
        : ok(fn, 'rate', '4 kHz: served (Kaldi band up to Nyquist)', go(tone(200), 4000), (v) => assert.ok(Array.isArray(v))),
      ...(fn === 'classify' ? [] : [ok(fn, 'rate', '1 MHz: served', go(tone(250, 0.5, 1, 1e6), 1e6), (v) => assert.ok(typeof v === 'number' || Array.isArray(v)))]),
      // The rate is checked before the early answers: a wrong rate was 'too-long' or 'silence'.
      ...(fn === 'classify' ? [
        err(fn, 'rate', '1 kHz, 20 s of sound: the rate named, not too-long', go(tone(200, 20, 1, 1000), 1000), /classify: highFreq 3800 Hz is above the Nyquist frequency 500 Hz of sampleRate 1000/),
        err(fn, 'rate', '4 kHz, digital silence: the rate named, not silence', go(new Float32Array(4000), 4000), /classify: highFreq 3800 Hz is above the Nyquist frequency 2000 Hz of sampleRate 4000/),
      ] : []),
      err(fn, 'oddValue', 'sampleRate 16000n (BigInt)', go(tone(200), 16000n), /sampleRate must be a finite number, got the BigInt 16000n/),
      err(fn, 'oddValue', 'sampleRate { valueOf: () => 16000 }', go(tone(200), { valueOf: () => 16000 }), /sampleRate must be a finite number, got an object/),
      err(fn, 'oddValue', 'samples with a hole', go([0.1, , 0.2], RATE), /samples\[1\] must be a number, got undefined/), // eslint-disable-line no-sparse-arrays
      err(fn, 'oddValue', 'a BigInt among the samples', go([0.1, 2n], RATE), /samples\[1\] must be a number, got the BigInt 2n/),
      err(fn, 'view', 'samples whose ArrayBuffer was transferred (detached)', go(detached(), RATE), /samples is a Float32Array whose ArrayBuffer is detached/),
      ok(fn, 'view', 'a view over a SharedArrayBuffer: same result as a copy', (ctx) => ({ got: go(shared(), RATE)(ctx), ref: go(tone(200), RATE)(ctx) }),
        ({ got, ref }) => assert.deepEqual(JSON.stringify(got), JSON.stringify(ref))),
      ok(fn, 'view', 'a view at an offset into a larger buffer: same result as a copy', (ctx) => ({ got: go(offsetView(), RATE)(ctx), ref: go(tone(200), RATE)(ctx) }),
        ({ got, ref }) => assert.deepEqual(JSON.stringify(got), JSON.stringify(ref))),
      ok(fn, 'view', 'a Float32Array subclass whose length getter lies: its real samples, no overrun', (ctx) => ({ got: go(lying(), RATE)(ctx), ref: go(tone(200), RATE)(ctx) }),
        ({ got, ref }) => assert.deepEqual(JSON.stringify(got), JSON.stringify(ref))),
      err(fn, 'view', 'a Proxy array claiming 10¹² samples: refused before reading them', go(hugeProxy(), RATE), /does not fit in the WebAssembly heap/, 'out-of-memory'),
    ];
  }),
  ...[
    ['mfcc', (g, o) => g.mfcc(tone(200), RATE, o), 'mfcc options'],
    ['fbank', (g, o) => g.fbank(tone(200), RATE, o), 'fbank options'],
    ['FeatureStream', (g, o) => { const s = new g.FeatureStream(RATE, o); try { s.push(tone(200)); return s.pull(); } finally { s.dispose(); } }, 'FeatureStream options'],
  ].flatMap(([fn, run, name]) => [
    err(fn, 'options', 'a throwing getter', ({ g }) => run(g, throwingGetter()), new RegExp(`${name} could not be read: getter failed`)),
    err(fn, 'options', 'a Proxy whose ownKeys trap throws', ({ g }) => run(g, throwingProxy()), new RegExp(`${name} could not be read: ownKeys trap failed`)),
    err(fn, 'options', 'an option inherited from a prototype', ({ g }) => run(g, inherited()), new RegExp(`${name}: option 'numMelBins' is inherited from the object's prototype`)),
    err(fn, 'options', 'an own "__proto__" key (from JSON.parse)', ({ g }) => run(g, protoKey()), /unknown option '__proto__'/),
    ok(fn, 'options', 'Object.prototype polluted with numMelBins 1e6: not an option', ({ g }) => polluted('numMelBins', 1e6, () => run(g, {})),
      (v, { g }) => sameRows(v, run(g, {}))),
  ]),
  ...[
    ['Endpointer', (g, o) => { const e = new g.Endpointer(RATE, o); try { return e.push(tone(200)); } finally { e.dispose(); } }],
    ['findSpeechSegments', (g, o) => g.findSpeechSegments(tone(200), RATE, o)],
  ].flatMap(([fn, run]) => [
    err(fn, 'options', 'a throwing getter', ({ g }) => run(g, { get hangover() { throw new Error('getter failed'); } }), /Endpointer options could not be read: getter failed/),
    err(fn, 'options', 'an own "__proto__" key (from JSON.parse)', ({ g }) => run(g, JSON.parse('{"__proto__": {}}')), /unknown option '__proto__'/),
    ok(fn, 'options', 'Object.prototype polluted with maxWord 1: not an option', ({ g }) => polluted('maxWord', 1, () => run(g, {})),
      (v, { g }) => assert.deepEqual(v, run(g, {}))),
  ]),
  ...['fit', 'score', 'decode'].flatMap((fn) => [
    err(fn, 'oddValue', 'a BigInt in X', ({ fitted }) => fitted[fn]([[1, 2n]]), /X\[0\]\[1\] must be a number, got the BigInt 2n/),
    // (fit on a fresh model each time: the shared fitted model must stay as it is)
    err(fn, 'oddValue', 'lengths with a hole', ({ fitted }) => fitted[fn](X, [20, , 20]), /lengths\[1\] must be a number, got undefined/), // eslint-disable-line no-sparse-arrays
    err(fn, 'oddValue', 'X with a throwing getter row', ({ fitted }) => {
      const data = X.slice(0, 3);
      Object.defineProperty(data, 1, { get() { throw new Error('row getter failed'); } });
      return fitted[fn](data);
    }, /could not be read: row getter failed/),
    err(fn, 'view', 'a row whose ArrayBuffer was transferred (detached)', ({ fitted }) => {
      const row = Float64Array.of(1, 2);
      structuredClone(row.buffer, { transfer: [row.buffer] });
      return fitted[fn]([Float64Array.of(0, 1), row]);
    }, /X\[1\] is a Float64Array whose ArrayBuffer is detached/),
    ok(fn, 'view', 'rows of a Float64Array subclass whose length getter lies: their real values', ({ g, fitted, track }) => {
      class Lying extends Float64Array { get length() { return 1; } }
      const rows = X.map((r) => Lying.from(r));
      const model = () => (fn === 'fit' ? track(new g.GMMHMM({ nStates: 2, seed: 1 })) : fitted);
      return { got: model()[fn](rows), ref: model()[fn](X) };
    }, ({ got, ref }) => assert.deepEqual(JSON.stringify(got), JSON.stringify(ref))),
    err(fn, 'view', 'a Proxy X claiming 10¹² rows: refused before reading them', ({ fitted }) => fitted[fn](new Proxy([], { get: (t, k) => (k === 'length' ? 1e12 : [0, 0]) })),
      /X has 1000000000000 rows: more than the WebAssembly heap can hold/, 'out-of-memory'),
  ]),
  err('setters', 'oddValue', 'startprob [0.5, 0.5n] (a BigInt)', ({ fitted, track }) => { track(fitted.clone()).startprob = [0.5, 5n]; },
    /startprob: startprob\[1\] must be a number or an array, got the BigInt 5n/),
  err('setters', 'oddValue', 'transmat with a hole', ({ fitted, track }) => { track(fitted.clone()).transmat = [[0.5, , 0.5], [0.5, 0.5]]; }, // eslint-disable-line no-sparse-arrays
    /transmat: transmat\[0\]\[1\] must be a number or an array, got undefined/),
  err('load', 'options', 'load options with a throwing getter', () => load({ get variant() { throw new Error('getter failed'); } }),
    /load options could not be read: getter failed/),
  err('fit', 'options', 'fit options with a throwing getter', ({ g, track }) => track(new g.GMMHMM()).fit(X, { get nIter() { throw new Error('getter failed'); } }),
    /fit options could not be read: getter failed/),
  err('fit', 'options', 'fit options inheriting nIter', ({ g, track }) => track(new g.GMMHMM()).fit(X, Object.create({ nIter: -1 })),
    /fit options: option 'nIter' is inherited from the object's prototype/),
  err('GMMHMM', 'options', 'an own "__proto__" key (from JSON.parse)', ({ g }) => new g.GMMHMM(JSON.parse('{"__proto__": {"nStates": 3}}')), /unknown option '__proto__'/),
  err('GMMHMM', 'oddValue', 'nStates 2n (BigInt)', ({ g }) => new g.GMMHMM({ nStates: 2n }), /GMMHMM options\.nStates must be a number, got the BigInt 2n/),
  err('GMMHMM', 'oddValue', 'nStates { valueOf: () => 2 }', ({ g }) => new g.GMMHMM({ nStates: { valueOf: () => 2 } }), /nStates must be a number, got object/),
  ok('GMMHMM', 'options', 'Object.prototype polluted with nStates 1e9: not an option', ({ g, track }) => polluted('nStates', 1e9, () => track(new g.GMMHMM())).nStates,
    (v) => assert.equal(v, 1)),
];

// ---- the published matrix -----------------------------------------------------------------
const FUNCTIONS = [...new Set(CASES.map((c) => c.fn))];

function matrix() {
  const cell = (fn, input) => {
    const cases = CASES.filter((c) => c.fn === fn && c.input === input);
    if (!cases.length) return '·';
    const kinds = new Set(cases.map((c) => (c.error ? 'E' : 'R')));
    return [...kinds].sort().join('/');
  };
  const keys = Object.keys(INPUTS);
  const lines = [
    `| function | ${keys.map((k) => INPUTS[k]).join(' | ')} |`,
    `|---|${keys.map(() => ':-:').join('|')}|`,
    ...FUNCTIONS.map((fn) => `| \`${fn}\` | ${keys.map((k) => cell(fn, k)).join(' | ')} |`),
  ];
  const errors = CASES.filter((c) => c.error).length;
  return `${lines.join('\n')}\n\n${CASES.length} cases (${errors} expect a GmmHmmError, ${CASES.length - errors} a documented result) ` +
    `over ${FUNCTIONS.length} functions × ${keys.length} kinds of input.`;
}

if (process.argv.includes('--matrix')) {
  console.log(matrix());
} else {
  describe('bad input: every public function × every kind of bad input', () => {
    const ctx = {};
    let reference;
    before(async () => {
      const g = await load();
      ctx.g = g;
      ctx.fitted = new g.GMMHMM({ nStates: 2, seed: 1 }).fit(X);
      ctx.modelJSON = ctx.fitted.toJSON();
      ctx.lrModel = new g.GMMHMM({ nStates: 3, topology: 'left-right', endInLastState: true, seed: 1 }).fit(X);
      const r = new g.Recognizer({ workers: 0 });
      for (const [label, f0] of [['low', 250], ['high', 900]]) {
        for (let k = 0; k < 3; k++) r.addExample(label, tone(f0 * (1 + 0.03 * k), 0.45 + 0.05 * k, k + 1), RATE);
      }
      await r.train();
      ctx.recognizer = r;
      ctx.recognizerJSON = r.toJSON();
      // What "still works" means: these give the same values after every case.
      reference = { score: ctx.fitted.score(X), mfcc: g.mfcc(tone(440, 0.1), RATE).map((row) => Array.from(row)) };
    });
    after(() => {
      ctx.recognizer?.dispose();
      ctx.fitted?.dispose();
      ctx.lrModel?.dispose();
    });

    for (const c of CASES) {
      test(`${c.fn} × ${INPUTS[c.input]}: ${c.what}`, async () => {
        const created = [];
        ctx.track = (object) => { created.push(object); return object; };
        let value;
        let error;
        try {
          value = await c.run(ctx);
        } catch (e) {
          error = e;
        }
        try {
          if (c.error) {
            assert.ok(error, `expected a GmmHmmError matching ${c.error}, got the result ${String(value)?.slice(0, 80)}`);
            assert.ok(error instanceof GmmHmmError, `expected a GmmHmmError, got ${error?.constructor?.name}: ${error?.message}`);
            assert.equal(error.code, c.code, `code of "${error.message}"`);
            assert.match(error.message, c.error);
          } else {
            if (error) throw error;
            await c.result(value, ctx);
          }
        } finally {
          for (const object of created) object.dispose();
          if (value && typeof value.dispose === 'function') value.dispose();
        }
        // The module still works.
        assert.equal(ctx.fitted.score(X), reference.score, 'score after the case');
        assert.deepEqual(ctx.g.mfcc(tone(440, 0.1), RATE).map((row) => Array.from(row)), reference.mfcc, 'mfcc after the case');
      });
    }

    // The first pass above may grow buffers that are kept for reuse (the bindings keep the
    // longest error message's capacity), so the leak check is a second pass over every case:
    // it must end with exactly the heap and the JS handles it started with.
    test('no error path leaks: a second pass over every case leaves the wasm heap and handles as they were', async () => {
      const heap = ctx.g.heapBytesInUse();
      const handles = ctx.g.valueHandles();
      const leaks = [];
      for (const c of CASES) {
        const before = [ctx.g.heapBytesInUse(), ctx.g.valueHandles()];
        const created = [];
        ctx.track = (object) => { created.push(object); return object; };
        let value;
        try { value = await c.run(ctx); } catch { /* checked in the first pass */ }
        for (const object of created) object.dispose();
        if (value && typeof value.dispose === 'function') value.dispose();
        const bytes = ctx.g.heapBytesInUse() - before[0];
        const values = ctx.g.valueHandles() - before[1];
        if (bytes || values) leaks.push(`${c.fn} × ${c.input}: ${c.what}: ${bytes} bytes, ${values} handles`);
      }
      assert.deepEqual(leaks, [], 'cases that left memory or handles behind');
      assert.equal(ctx.g.heapBytesInUse(), heap, 'heap bytes in use');
      assert.equal(ctx.g.valueHandles(), handles, 'JS values held by wasm');
    });

    test('the table covers every public function with at least 4 kinds of bad input', () => {
      for (const fn of FUNCTIONS) {
        const kinds = new Set(CASES.filter((c) => c.fn === fn).map((c) => c.input));
        assert.ok(kinds.size >= 4, `${fn}: ${[...kinds].join(', ')}`);
      }
    });
  });
}
