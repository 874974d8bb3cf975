// class GMMHMM through the package, as users import it: the whole API, fixture agreement in
// wasm (same tolerances as native), errors for bad input, JSON round trips and hmmlearn
// dumps, and the wasm heap back at its baseline after 1,000 models.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, GmmHmmError } from 'gmmhmm';
import { fixture } from './helpers.js';

const reference = fixture('hmm-reference.json');

function flat(v) {
  return Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v).flatMap(flat) : [v];
}

function assertClose(actual, expected, rel, label) {
  const a = flat(actual);
  const e = flat(expected);
  assert.equal(a.length, e.length, `${label}: length`);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - e[i]) <= rel * Math.max(1, Math.abs(e[i])), `${label}[${i}]: ${a[i]} vs ${e[i]}`);
  }
}

function modelFromCase(GMMHMM, c, options = {}) {
  const m = new GMMHMM({ nStates: c.nStates, nMix: c.nMix, nFeatures: c.nFeatures, covarianceType: c.covarianceType,
    topology: 'custom', ...options });
  for (const name of ['startprob', 'transmat', 'weights', 'means', 'covars']) m[name] = c.model[name];
  return m;
}

function sequences(c) {
  const out = [];
  let begin = 0;
  for (const len of c.lengths) {
    out.push(c.X.slice(begin, begin + len));
    begin += len;
  }
  return out;
}

// A known left-right model to sample from.
function truthModel(GMMHMM) {
  const m = new GMMHMM({ nStates: 3, nMix: 2, nFeatures: 2, topology: 'left-right' });
  m.transmat = [[0.9, 0.1, 0], [0, 0.9, 0.1], [0, 0, 1]];
  m.weights = [[0.5, 0.5], [0.3, 0.7], [0.6, 0.4]];
  m.means = [[[0, 0], [1, 1]], [[5, 5], [6, 4]], [[-3, 2], [-2, -1]]];
  m.covars = [[[1, 1], [0.5, 0.5]], [[1, 1], [1, 1]], [[0.7, 0.7], [1, 1]]];
  return m;
}

describe('GMMHMM', () => {
  let gmmhmm;
  let GMMHMM;
  before(async () => {
    gmmhmm = await load();
    ({ GMMHMM } = gmmhmm);
  });

  test('fixture: scores, posteriors and Viterbi paths agree to 1e-8', { skip: !reference && 'fixture absent' }, () => {
    for (const c of reference.cases) {
      const m = modelFromCase(GMMHMM, c);
      const seqs = sequences(c);
      seqs.forEach((seq, q) => {
        const ref = c.perSequence[q];
        assertClose(m.score(seq), ref.logLikelihood, 1e-8, `${c.name} score`);
        const { logLikelihood, posteriors } = m.scoreSamples(seq);
        assertClose(logLikelihood, ref.logLikelihood, 1e-8, `${c.name} scoreSamples`);
        assertClose(posteriors, ref.posteriors, 1e-8, `${c.name} posteriors`);
        const decoded = m.decode(seq);
        assertClose(decoded.logLikelihood, ref.viterbiLogProb, 1e-8, `${c.name} viterbi`);
        assert.deepEqual(Array.from(decoded.states), ref.viterbiPath, `${c.name} path`);
      });
      assertClose(m.score(c.X, c.lengths), c.totalLogLikelihood, 1e-8, `${c.name} total`);
      assertClose(m.scorePerSequence(seqs), c.perSequence.map((p) => p.logLikelihood), 1e-8, `${c.name} per sequence`);
      m.dispose();
    }
  });

  test('fixture: one exact EM step agrees to 1e-6', { skip: !reference && 'fixture absent' }, () => {
    for (const c of reference.cases) {
      const m = modelFromCase(GMMHMM, c, { nIter: 1, initParams: '', params: 'stmcw', minCovar: 0 });
      m.fit(c.X, c.lengths);
      const after = c.afterOneEmStep;
      for (const name of ['startprob', 'transmat', 'weights', 'means', 'covars']) {
        assertClose(m[name], after[name], 1e-6, `${c.name} ${name}`);
      }
      assertClose(m.score(c.X, c.lengths), c.totalLogLikelihoodAfterOneEmStep, 1e-6, `${c.name} score after`);
      m.dispose();
    }
  });

  test('fit recovers a sampled left-right model; list of sequences = X with lengths', () => {
    const truth = truthModel(GMMHMM);
    const seqs = Array.from({ length: 12 }, (_, i) => truth.sample(60, { seed: i }).X);
    const a = new GMMHMM({ nStates: 3, nMix: 2, topology: 'left-right', nIter: 30, tol: 1e-4, seed: 3 });
    a.fit(seqs);
    const truthScore = seqs.reduce((s, x) => s + truth.score(x), 0);
    assert.ok(a.score(seqs) >= truthScore - 5, `fit ${a.score(seqs)} vs truth ${truthScore}`);
    // Structural zeros stay exactly zero.
    assert.equal(a.transmat[0][2], 0);
    assert.equal(a.transmat[1][0], 0);
    assert.deepEqual(a.startprob, [1, 0, 0]);
    const rows = seqs.flat();
    const b = new GMMHMM({ nStates: 3, nMix: 2, topology: 'left-right', nIter: 30, tol: 1e-4, seed: 3 });
    b.fit(rows, seqs.map((s) => s.length));
    assert.deepEqual(b.means, a.means);
    // Flat Float64Array input with nFeatures.
    const flatX = Float64Array.from(rows.flatMap((r) => Array.from(r)));
    assert.equal(b.score(flatX, seqs.map((s) => s.length)), b.score(seqs));
    // Monitor: the history never decreases, iterations and convergence reported.
    const { history, iterations, converged } = a.monitor;
    assert.ok(iterations >= 1 && history.length >= iterations);
    for (let i = 1; i < history.length; i++) assert.ok(history[i] >= history[i - 1] - 1e-6 * Math.abs(history[i]));
    assert.equal(typeof converged, 'boolean');
    for (const m of [truth, a, b]) m.dispose();
  });

  test('decode/predict/predictProba/sample/aic/bic shapes and consistency', () => {
    const truth = truthModel(GMMHMM);
    const { X, states } = truth.sample(80, { seed: 7 });
    assert.equal(X.length, 80);
    assert.ok(X[0] instanceof Float64Array && X[0].length === 2);
    assert.ok(states instanceof Int32Array);
    for (let t = 1; t < 80; t++) assert.ok(states[t] >= states[t - 1], 'left-right sample never goes back');
    assert.deepEqual(truth.sample(80, { seed: 7 }).X, X, 'same seed, same sample');
    const proba = truth.predictProba(X);
    assert.equal(proba.length, 80);
    for (const row of proba) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    const path = truth.predict(X);
    const agree = path.filter((s, t) => s === states[t]).length;
    assert.ok(agree >= 70, `Viterbi agrees with the sampled states on ${agree}/80 frames`);
    const ll = truth.score(X);
    const k = truth.nFreeParameters;
    // startprob: 1 allowed -> 0; transmat rows 2+2+1 allowed -> 2; weights 3; means 12; covars 12.
    assert.equal(k, 0 + 2 + 3 + 12 + 12);
    assert.ok(Math.abs(truth.aic(X) - (-2 * ll + 2 * k)) < 1e-9 * Math.abs(ll));
    assert.ok(Math.abs(truth.bic(X) - (-2 * ll + k * Math.log(80))) < 1e-9 * Math.abs(ll));
    const emissions = truth.emissionLogLikelihoods(X);
    assert.equal(emissions.length, 80);
    assert.equal(emissions[0].length, 3);
    truth.dispose();
  });

  test('onIteration reports progress and can cancel; signal cancels; callback errors surface', () => {
    const truth = truthModel(GMMHMM);
    const X = truth.sample(300, { seed: 1 }).X;
    const seen = [];
    const m = new GMMHMM({ nStates: 3, nMix: 1, nIter: 10, tol: 0 });
    m.fit(X, { onIteration: (info) => { seen.push(info); return info.iteration < 2; } });
    assert.equal(seen.length, 3);
    assert.deepEqual(Object.keys(seen[0]).sort(), ['iteration', 'logLikelihood', 'nIter']);
    assert.equal(m.monitor.cancelled, true);
    assert.equal(m.monitor.iterations, 3);
    assert.ok(m.fitted);
    const controller = new AbortController();
    controller.abort();
    assert.throws(() => m.fit(X, { signal: controller.signal }), (e) => e instanceof GmmHmmError && e.code === 'cancelled');
    // Aborted from within onIteration: that iteration is the last one.
    const during = new AbortController();
    const calls = [];
    m.fit(X, { signal: during.signal, onIteration: ({ iteration }) => { calls.push(iteration); if (iteration === 2) during.abort(); } });
    assert.deepEqual(calls, [0, 1, 2]);
    assert.equal(m.monitor.iterations, 3);
    assert.equal(m.monitor.cancelled, true);
    assert.throws(() => m.fit(X, { onIteration: () => { throw new Error('boom'); } }), /boom/);
    assert.ok(Number.isFinite(m.score(X)), 'model still usable after a throwing callback');
    m.dispose();
    truth.dispose();
  });

  test('params / initParams: letters left out are not updated / keep the user value', () => {
    const truth = truthModel(GMMHMM);
    const X = truth.sample(400, { seed: 2 }).X;
    const m = new GMMHMM({ nStates: 3, nMix: 2, topology: 'left-right', nIter: 5, params: 'mc', initParams: 'mc' });
    const weights = [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]];
    m.weights = weights;
    const transmat = m.transmat;
    m.fit(X);
    assert.deepEqual(m.weights, weights);
    assert.deepEqual(m.transmat, transmat);
    const fresh = new GMMHMM({ nStates: 3, nMix: 2, initParams: 'stcw' });
    assert.throws(() => fresh.fit(X), (e) => e.code === 'not-fitted' && /means/.test(e.message));
    for (const x of [m, fresh, truth]) x.dispose();
  });

  test('every covariance type trains, round-trips through JSON and keeps its scores', () => {
    const truth = truthModel(GMMHMM);
    const seqs = Array.from({ length: 6 }, (_, i) => truth.sample(50, { seed: 20 + i }).X);
    for (const covarianceType of ['diag', 'full', 'spherical', 'tied']) {
      const m = new GMMHMM({ nStates: 3, nMix: 2, covarianceType, nIter: 8, seed: 1 });
      m.fit(seqs);
      const json = m.toJSON();
      assert.equal(json.format, 'gmmhmm-model');
      assert.equal(json.version, 1);
      assert.equal(json.covarianceType, covarianceType);
      const copy = GMMHMM.fromJSON(JSON.parse(JSON.stringify(json)));
      assert.equal(copy.score(seqs), m.score(seqs));
      const fromText = GMMHMM.fromJSON(JSON.stringify(json));
      assert.equal(fromText.score(seqs), m.score(seqs));
      // hmmlearn attribute dump: trailing underscores, no format/version.
      const dump = { startprob_: m.startprob, transmat_: m.transmat, weights_: m.weights, means_: m.means,
        covars_: m.covars, covariance_type: covarianceType };
      const imported = GMMHMM.fromJSON(dump);
      assert.ok(Math.abs(imported.score(seqs) - m.score(seqs)) <= 1e-9 * Math.abs(m.score(seqs)));
      const clone = m.clone();
      m.dispose();
      assert.equal(clone.score(seqs), copy.score(seqs), 'a clone outlives its original');
      for (const x of [copy, fromText, imported, clone]) x.dispose();
    }
    truth.dispose();
  });

  test('sample() refuses more frames than it can return as row arrays, before any work', () => {
    // 1e8 one-value rows passed the engine's memory check, then their 1e8 row views ended
    // Node with "heap out of memory" (a new user's trial).
    const { GaussianHMM, PoissonHMM, CategoricalHMM } = gmmhmm;
    const g = new GaussianHMM({ nStates: 1, nFeatures: 1 });
    g.startprob = [1]; g.transmat = [[1]]; g.means = [[0]]; g.covars = [[1]];
    const p = new PoissonHMM({ nStates: 1, nFeatures: 1 });
    p.startprob = [1]; p.transmat = [[1]]; p.lambdas = [[2]];
    const m = new GMMHMM({ nStates: 1, nMix: 1, nFeatures: 1 });
    m.means = [[[0]]]; m.covars = [[[1]]];
    for (const [model, name] of [[g, 'GaussianHMM'], [p, 'PoissonHMM'], [m, 'GMMHMM']]) {
      assert.throws(() => model.sample(1e8), (e) => e instanceof GmmHmmError && e.code === 'out-of-memory' &&
        e.message.startsWith(`${name}.sample: 100000000 frames would be 100000000 row arrays`) && /at most 10,000,000 per call/.test(e.message));
      assert.equal(model.sample(3, { seed: 1 }).X.length, 3, `${name} still samples`);
    }
    // Symbols come back as one Int32Array: no row arrays, no such limit.
    const c = new CategoricalHMM({ nStates: 1, nFeatures: 2 });
    c.emissionprob = [[0.5, 0.5]];
    assert.equal(c.sample(10_000_001).X.length, 10_000_001);
    for (const x of [g, p, m, c]) x.dispose();
  });

  test('a model saved before fit() keeps the parameters set by hand, and fits from them', () => {
    const truth = truthModel(GMMHMM);
    const seqs = Array.from({ length: 4 }, (_, i) => truth.sample(40, { seed: 60 + i }).X);
    const transmat = [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]];
    const m = new GMMHMM({ nStates: 3, nMix: 2, topology: 'custom', initParams: 'mcw', nIter: 4, tol: 0, seed: 2 });
    m.startprob = [0.5, 0.3, 0.2];
    m.transmat = transmat;
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    assert.equal(json.fitted, false);
    assert.deepEqual(json.transmat, transmat);
    assert.equal(json.means, undefined, 'means were never set');
    const loaded = GMMHMM.fromJSON(json);
    assert.equal(loaded.fitted, false);
    assert.deepEqual(flat(loaded.transmat), transmat.flat());
    m.fit(seqs);
    loaded.fit(seqs);
    assert.deepEqual(loaded.toJSON(), m.toJSON(), 'the same fit from the file as from the model');
    for (const x of [m, loaded, truth]) x.dispose();
  });
  test('bad input: a GmmHmmError naming the problem, and the module still works', () => {
    const truth = truthModel(GMMHMM);
    const X = truth.sample(30, { seed: 3 }).X;
    const cases = [
      [() => new GMMHMM({ nStates: 0 }), /nStates/],
      [() => new GMMHMM({ nStates: 2, covarianceType: 'diagonal' }), /covarianceType/],
      [() => new GMMHMM({ nStates: 2, nStatse: 3 }), /unknown option 'nStatse'/],
      [() => new GMMHMM({ nStates: 2, params: 'xyz' }), /params/],
      [() => new GMMHMM({ nStates: 2, tol: NaN }), /tol/],
      [() => new GMMHMM('five states'), /options/],
      [() => truth.score([[NaN, 1]]), /NaN/],
      [() => truth.score([[Infinity, 1]]), /infinite/],
      [() => truth.score([]), /no frames|empty/],
      [() => truth.score([[1, 2, 3]]), /features/],
      [() => truth.score([[1, 2], [3]]), /X\[1\]/],
      [() => truth.score(X, [10, 10]), /lengths sum to 20 but X has 30 rows/],
      [() => truth.score(X, [0, 30]), /lengths\[0\]/],
      [() => truth.score(X, [15.5, 14.5]), /lengths\[0\]/],
      [() => truth.score('abc'), /X must be/],
      [() => truth.score(new Float64Array(5)), /whole number of rows/],
      [() => { truth.startprob = [0.5, 0.6, 0]; }, /startprob sums to 1.1/],
      [() => { truth.transmat = [[1, 0], [0, 1]]; }, /transmat/],
      [() => { truth.covars = [[[1, -1], [1, 1]], [[1, 1], [1, 1]], [[1, 1], [1, 1]]]; }, /variances must be > 0/],
      [() => { truth.means = [[[0, NaN]]]; }, /means/],
      [() => truth.sample(0), /sample: n/],
      [() => truth.sample(1e12), /sample: n/],
      [() => new GMMHMM({ nStates: 2 }).score(X), /not fitted/],
      [() => GMMHMM.fromJSON('{"format":"gmmhmm-model","version":1,"nStates":2'), /not valid JSON/],
      [() => GMMHMM.fromJSON({ format: 'gmmhmm-model', version: 2 }), /version 2/],
      [() => GMMHMM.fromJSON({ startprob: [0.5, 0.5], transmat: [[1, 0], [0.5, 0.6]], weights: [[1], [1]],
        means: [[[0]], [[1]]], covars: [[[1]], [[1]]], covarianceType: 'diag' }), /transmat row 1 sums to 1.1/],
      [() => GMMHMM.fromJSON({ startprob: [1], transmat: [[1]], weights: [[1]], means: [[[0]]], covars: [[[-1]]],
        covarianceType: 'diag' }), /variances must be > 0/],
      [() => GMMHMM.fromJSON('['.repeat(100000)), /nesting/],
      [() => GMMHMM.fromJSON({ nStates: 1e9, nMix: 1, nFeatures: 1, covarianceType: 'diag' }), /nStates/],
      [() => GMMHMM.fromJSON(42), /must be an object/],
    ];
    for (const [fn, pattern] of cases) {
      assert.throws(fn, (e) => {
        assert.ok(e instanceof GmmHmmError, `${fn}: ${e}`);
        assert.match(e.message, pattern);
        return true;
      }, String(fn));
    }
    const full = new GMMHMM({ nStates: 1, nMix: 1, nFeatures: 2, covarianceType: 'full' });
    assert.throws(() => { full.covars = [[[[1, 2], [2, 1]]]]; }, /positive definite/);
    assert.ok(Number.isFinite(truth.score(X)), 'still usable after every error');
    truth.dispose();
    assert.throws(() => truth.score(X), (e) => e.code === 'disposed');
    truth.dispose(); // twice is harmless
    full.dispose();
  });

  test('a sequence too short for a left-right model that must end in its last state scores -Infinity', () => {
    const m = new GMMHMM({ nStates: 4, nMix: 1, nFeatures: 1, topology: 'left-right', endInLastState: true });
    m.means = [[[0]], [[1]], [[2]], [[3]]];
    m.covars = [[[1]], [[1]], [[1]], [[1]]];
    assert.equal(m.score([[0], [1], [2]]), -Infinity);
    assert.ok(Number.isFinite(m.score([[0], [1], [2], [3]])));
    assert.throws(() => m.decode([[0], [1], [2]]), /no valid state path/);
    assert.throws(() => m.scoreSamples([[0], [1]]), /cannot be produced/);
    m.dispose();
  });

  test('outliers, constant features and long sequences stay finite', () => {
    const m = new GMMHMM({ nStates: 2, nMix: 2, nIter: 5, seed: 4 });
    const X = Array.from({ length: 200 }, (_, t) => [Math.sin(t / 7), 5, t % 2]);
    m.fit(X);
    assert.ok(flat(m.covars).every((v) => Number.isFinite(v) && v > 0), 'constant column trained with floors');
    const outlier = X.map((r) => r.slice());
    outlier[100] = [1e4, -1e4, 1e4];
    const { logLikelihood, posteriors } = m.scoreSamples(outlier);
    assert.ok(Number.isFinite(logLikelihood));
    for (const row of posteriors) assert.ok(Math.abs(row[0] + row[1] - 1) < 1e-9);
    const long = new Float64Array(200000 * 3).map((_, i) => (i % 3 === 1 ? 5 : Math.cos(i)));
    const score = m.score(long, { nFeatures: 3 });
    assert.ok(Number.isFinite(score));
    m.dispose();
  });

  test('1,000 models created, fitted and disposed leave the wasm heap at its baseline', () => {
    const X = Array.from({ length: 40 }, (_, t) => [Math.sin(t), Math.cos(t / 3)]);
    const warm = new GMMHMM({ nStates: 2, nMix: 2, nIter: 2 });
    warm.fit(X);
    warm.dispose();
    const baseline = gmmhmm.heapBytesInUse();
    for (let i = 0; i < 1000; i++) {
      const m = new GMMHMM({ nStates: 2, nMix: 2, nIter: 2, seed: i });
      m.fit(X);
      m.score(X);
      m.toJSON();
      try { m.score([[NaN, 0]]); } catch { /* errors must not leak either */ }
      m.dispose();
    }
    assert.equal(gmmhmm.heapBytesInUse(), baseline);
  });
});
