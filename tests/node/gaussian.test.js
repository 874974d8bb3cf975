// class GaussianHMM through the package, as users import it: a fit on samples of a known model
// recovers it (up to the order of the states) for every covariance type, hmmlearn's `tied`
// (one matrix for every state), the same scores as GMMHMM with one component, the API's
// shapes (the class shared with the other families, web/lib/chain-model.js), model files
// (round trip, hmmlearn dumps in both covars shapes), every declared option, every bad input a
// GmmHmmError with the model unchanged, dispose and the heap.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { load, GmmHmmError } from 'gmmhmm';
import { ROOT, assertGmmHmmError } from './helpers.js';

const DECLARATIONS = Symbol.for('gmmhmm.optionDeclarations');
const TYPES = ['spherical', 'diag', 'full', 'tied'];

let g;
before(async () => {
  g = await load();
});

// A 3-state model of 2 features, its covariances in each type's own shape.
const TRUTH = {
  startprob: [0.5, 0.3, 0.2],
  transmat: [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.15, 0.15, 0.7]],
  means: [[0, 0], [6, 0], [0, 6]],
};
const COVARS = {
  spherical: [1.0, 0.5, 0.8],
  diag: [[1.0, 0.5], [0.4, 1.2], [0.8, 0.8]],
  full: [[[1, 0.3], [0.3, 0.5]], [[0.6, -0.2], [-0.2, 1.0]], [[0.8, 0], [0, 0.8]]],
  tied: [[1, 0.3], [0.3, 0.5]],
};

function truth(covarianceType) {
  const m = new g.GaussianHMM({ nStates: 3, nFeatures: 2, covarianceType });
  for (const [name, value] of Object.entries(TRUTH)) m[name] = value;
  m.covars = COVARS[covarianceType];
  return m;
}

// The largest difference between the rows of `got` and `want`, matched by nearest row.
function meansDistance(got, want) {
  return Math.max(...want.map((w) => Math.min(...got.map((r) => Math.hypot(r[0] - w[0], r[1] - w[1])))));
}

describe('GaussianHMM', () => {
  test('fit on samples of a known model recovers it for every covariance type; EM never loses', () => {
    for (const type of TYPES) {
      const t = truth(type);
      const { X, states } = t.sample(6000, { seed: 3 });
      assert.equal(X.length, 6000);
      assert.ok(X[0] instanceof Float64Array && X[0].length === 2);
      assert.ok(states instanceof Int32Array);
      const m = new g.GaussianHMM({ nStates: 3, covarianceType: type, nIter: 100, tol: 1e-4, seed: 1 });
      try {
        m.fit(X, [3000, 3000]);
        assert.equal(m.nFeatures, 2, 'nFeatures from the rows');
        assert.equal(m.covarianceType, type);
        assert.ok(meansDistance(m.means, TRUTH.means) < 0.1, `${type}: means ${JSON.stringify(m.means)}`);
        const covars = m.covars;
        assert.equal(covars.length, 3, 'a matrix per state');
        assert.ok(covars.every((c) => c.length === 2 && c.every((row) => row.length === 2)));
        if (type === 'tied') {
          assert.deepEqual(covars[1], covars[0], 'tied: one matrix for every state');
          assert.deepEqual(covars[2], covars[0]);
          assert.ok(Math.abs(covars[0][0][1] - 0.3) < 0.05, `tied covariance ${JSON.stringify(covars[0])}`);
        }
        const history = m.monitor.history;
        for (let i = 1; i < history.length; i++) assert.ok(history[i] >= history[i - 1] - 1e-9 * Math.abs(history[i]), `${type}: EM step ${i} lost`);
        assert.ok(m.score(X) > t.score(X) - 50, `${type}: the fit explains the data about as well as the truth`);
      } finally {
        m.dispose();
        t.dispose();
      }
    }
  });

  test('scores as GMMHMM with one component (spherical, diag, full), from the same parameters', () => {
    const X = truth('diag').sample(200, { seed: 5 }).X;
    for (const type of ['spherical', 'diag', 'full']) {
      const a = truth(type);
      const b = new g.GMMHMM({ nStates: 3, nMix: 1, nFeatures: 2, covarianceType: type });
      try {
        b.startprob = TRUTH.startprob;
        b.transmat = TRUTH.transmat;
        b.weights = [[1], [1], [1]];
        b.means = TRUTH.means.map((m) => [m]);
        b.covars = type === 'spherical' ? COVARS.spherical.map((v) => [v]) : COVARS[type].map((c) => [c]);
        const sa = a.score(X);
        const sb = b.score(X);
        assert.ok(Math.abs(sa - sb) <= 1e-9 * Math.abs(sb), `${type}: ${sa} vs GMMHMM ${sb}`);
        assert.deepEqual(a.predict(X), b.predict(X));
      } finally {
        a.dispose();
        b.dispose();
      }
    }
  });

  test('the API: flat input, decode (viterbi, map), posteriors, sample with currstate, criteria, clone', () => {
    const m = truth('full');
    try {
      const { X } = m.sample(50, { seed: 9, currstate: 2 });
      const flat = Float64Array.from(X.flatMap((r) => [...r]));
      assert.equal(m.score(flat), m.score(X));
      const viterbi = m.decode(X);
      const map = m.decode(X, { algorithm: 'map' });
      assert.ok(viterbi.states instanceof Int32Array && map.states.length === 50);
      const post = m.predictProba(X);
      assert.equal(post.length, 50);
      for (const row of post) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
      assert.deepEqual([...map.states], post.map((row) => row.indexOf(Math.max(...row))), "'map': each frame's most probable state");
      assert.equal(m.sample(1, { seed: 1, currstate: 1 }).states[0], 1);
      // hmmlearn's _get_n_fit_scalars_per_param: s 2, t 6, m 6, c full 3 x 3.
      assert.equal(m.nFreeParameters, 2 + 6 + 6 + 9);
      assert.ok(Math.abs(m.bic(X) - (-2 * m.score(X) + 23 * Math.log(50))) < 1e-9);
      const copy = m.clone();
      copy.means = [[1, 1], [2, 2], [3, 3]];
      assert.deepEqual(m.means, TRUTH.means, 'the clone is independent');
      copy.dispose();
      const pi = m.stationaryDistribution();
      assert.ok(Math.abs(pi.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    } finally {
      m.dispose();
    }
  });

  test('a flat typed array with { nFeatures } before the model knows its width, as GMMHMM; PoissonHMM too', () => {
    const rows = [[0.1, 1.2], [0.3, 0.9], [5.2, 4.8], [5.0, 5.1], [0.2, 1.0], [5.3, 4.9]];
    const flat = Float64Array.from(rows.flat());
    const a = new g.GaussianHMM({ nStates: 2, nIter: 3, seed: 2 });
    const b = new g.GaussianHMM({ nStates: 2, nIter: 3, seed: 2 });
    a.fit(rows, [6]);
    b.fit(flat, { nFeatures: 2, lengths: [6] });
    assert.deepEqual(b.toJSON(), a.toJSON());
    assert.equal(b.score(flat, { nFeatures: 2 }), a.score(rows));
    assert.deepEqual(b.decode(flat, { nFeatures: 2, algorithm: 'map' }), a.decode(rows, { algorithm: 'map' }));
    assertGmmHmmError(GmmHmmError, () => b.score(flat, { nFeatures: 3 }), /X has 3 features per frame, the model 2/);
    for (const bad of [0, -2, 1.5, 'two']) {
      assertGmmHmmError(GmmHmmError, () => b.score(flat, { nFeatures: bad }), /^GaussianHMM\.score: nFeatures must be a positive integer/);
    }
    const p = new g.PoissonHMM({ nStates: 2, nIter: 2 });
    p.fit(Int32Array.of(1, 2, 3, 0, 1, 2, 5, 1, 0, 2, 2, 2), { nFeatures: 3 });
    assert.equal(p.nFeatures, 3);
    const c = new g.CategoricalHMM({ nStates: 2 });
    assertGmmHmmError(GmmHmmError, () => c.score([0, 1], { nFeatures: 2 }), /unknown option 'nFeatures'/);
    for (const m of [a, b, p, c]) m.dispose();
  });

  test('a list of sequences is X with the lengths of its sequences, for every method; not with lengths too', () => {
    const m = truth('diag');
    const fitA = new g.GaussianHMM({ nStates: 3, nIter: 3, seed: 4 });
    const fitB = new g.GaussianHMM({ nStates: 3, nIter: 3, seed: 4 });
    try {
      const seqs = [m.sample(20, { seed: 1 }).X, m.sample(7, { seed: 2 }).X.map((r) => Array.from(r)), m.sample(1, { seed: 3 }).X];
      const X = seqs.flat();
      const lengths = seqs.map((q) => q.length);
      assert.equal(m.score(seqs), m.score(X, lengths));
      assert.deepEqual(m.scorePerSequence(seqs), m.scorePerSequence(X, lengths));
      assert.deepEqual(m.decode(seqs, { algorithm: 'map' }), m.decode(X, { lengths, algorithm: 'map' }));
      assert.deepEqual(m.predictProba(seqs), m.predictProba(X, lengths));
      assert.equal(m.bic(seqs), m.bic(X, lengths));
      fitA.fit(seqs);
      fitB.fit(X, { lengths });
      assert.deepEqual(fitA.toJSON(), fitB.toJSON());
      assertGmmHmmError(GmmHmmError, () => m.score(seqs, lengths), /score: give either a list of sequences or X with lengths, not both/);
      assertGmmHmmError(GmmHmmError, () => m.score([seqs[0], []]), /X\[1\] is an empty sequence/);
      assertGmmHmmError(GmmHmmError, () => m.score([[], seqs[0]]), /X\[0\] is an empty sequence/);
      // A row is named in its sequence, not among all rows.
      assertGmmHmmError(GmmHmmError, () => m.score([seqs[0], [[1, 2, 3]]]), /X\[1\]\[0\] has 3 values, expected 2 like X\[0\]\[0\]/);
      assertGmmHmmError(GmmHmmError, () => m.score([seqs[0], [5]]), /X\[1\]\[0\] must be a row \(an array of numbers\), got 5/);
    } finally {
      m.dispose();
      fitA.dispose();
      fitB.dispose();
    }
  });

  test('model files: round trip for every type, hmmlearn dumps with covars_ per state or _covars_', () => {
    for (const type of TYPES) {
      const m = truth(type);
      const file = m.toJSON();
      assert.equal(file.format, 'gmmhmm-gaussian-hmm');
      assert.equal(file.covarianceType, type);
      assert.deepEqual(file.covars, COVARS[type], `${type}: the file keeps the type's own shape`);
      const back = g.GaussianHMM.fromJSON(JSON.stringify(file));
      assert.deepEqual(back.covars, m.covars);
      back.dispose();
      m.dispose();
    }
    const dump = {
      n_components: 3, covariance_type: 'tied', startprob_: TRUTH.startprob, transmat_: TRUTH.transmat,
      means_: TRUTH.means, covars_: [COVARS.tied, COVARS.tied, COVARS.tied], n_features: 2,
    };
    const a = g.GaussianHMM.fromJSON(dump);
    const b = g.GaussianHMM.fromJSON({ ...dump, covars_: undefined, _covars_: COVARS.tied });
    const t = truth('tied');
    const X = t.sample(30, { seed: 1 }).X;
    assert.equal(a.score(X), t.score(X));
    assert.equal(b.score(X), t.score(X));
    for (const m of [a, b, t]) m.dispose();
  });
});

test('every declared option reaches config, the model file and back, fit() and index.d.ts', () => {
  const declared = g[DECLARATIONS]();
  const types = fs.readFileSync(path.join(ROOT, 'web/index.d.ts'), 'utf8');
  const OTHER = { nStates: 3, nFeatures: 5, covarianceType: 'tied', nIter: 3, tol: -Infinity, seed: 7, params: 'st', initParams: 'st',
    startprobPrior: 2, transmatPrior: 3, minCovar: 0.5, meansPrior: -1, meansWeight: 2, covarsPrior: 0.25, covarsWeight: 4, nInit: 3 };
  const all = [...declared.gaussianSizes, ...declared.gaussian];
  for (const option of all) {
    const value = OTHER[option.name];
    assert.notEqual(value, undefined, `the test knows no value for ${option.name}`);
    assert.notDeepEqual(value, option.default, option.name);
    assert.match(types, new RegExp(`\\n  ${option.name}\\?: `), `index.d.ts lacks ${option.name}`);
    const m = new g.GaussianHMM({ [option.name]: value });
    try {
      assert.deepEqual(m.config[option.name], value, `config.${option.name}`);
      const back = g.GaussianHMM.fromJSON(m.toJSON());
      assert.deepEqual(back.config[option.name], value, `${option.name} read back`);
      back.dispose();
    } finally {
      m.dispose();
    }
    if (declared.gaussian.includes(option)) {
      const m2 = new g.GaussianHMM({});
      assertGmmHmmError(GmmHmmError, () => m2.fit([[0, 1]], { [option.name]: {} }), new RegExp(`${option.name} must be`));
      m2.dispose();
    }
  }
  const defaults = new g.GaussianHMM();
  for (const option of all) assert.deepEqual(defaults.config[option.name], option.default, option.name);
  assert.equal(defaults.config.covarianceType, 'diag', "hmmlearn's default");
  assert.equal(defaults.config.params, 'stmc');
  defaults.dispose();
});

test('bad input: a GmmHmmError naming the argument and frame, the model unchanged, no memory left behind', () => {
  const m = truth('full');
  const d = truth('diag');
  const files = () => JSON.stringify([m.toJSON(), d.toJSON()]);
  const before = files();
  const cases = [
    [() => m.fit([[0, 1], [1, NaN]]), /GaussianHMM\.fit: X\[1\]\[1\] is NaN: values must be finite/],
    [() => m.score([[0, Infinity]]), /GaussianHMM\.score: X\[0\]\[1\] is Infinity/],
    [() => m.decode([[0, 1e300]]), /X\[0\]\[1\] is 1e\+300: values must be within \+-1e100/],
    [() => m.fit([[0, 1, 2], [1, 2, 3]]), /X has 3 features per frame, the model 2 \(nFeatures\)/],
    [() => m.fit([[0, 1], [1]]), /X\[1\] has 1 values?, expected 2/],
    [() => m.fit(Float64Array.of(1, 2, 3)), /not a whole number of rows of nFeatures = 2/],
    [() => m.fit([[0, 1]], [2]), /lengths sum to more than the 1/],
    [() => m.fit([[0, 1]], { covarsPrior: -1 }), /covarsPrior must be in \[0, 1e\+100\], got -1/],
    [() => m.fit([[0, 1]], { params: 'stw' }), /params 'stw' may only contain the letters stmc/],
    [() => m.fit([[0, 1]], { covarianceType: 'diag' }), /unknown option 'covarianceType' \(known: .*nInit/],
    [() => { m.covars = [[[1, 2], [2, 1]], [[1, 0], [0, 1]], [[1, 0], [0, 1]]]; }, /covars\[0\] is not positive definite/],
    [() => { m.covars = [[[1, 0.5], [0.4, 1]], [[1, 0], [0, 1]], [[1, 0], [0, 1]]]; }, /covars\[0\] is not symmetric/],
    [() => { m.covars = [1, 0, 0, 1]; }, /covars: expected 12 values for a full model of 3 states x 2 features/],
    // One matrix where the full model takes one per state (tied's shape).
    [() => { m.covars = [[1, 0], [0, 1]]; }, /^GaussianHMM\.covars: nested arrays of shape 2 × 2 where the model takes nStates × nFeatures × nFeatures = 3 × 2 × 2 /],
    [() => { m.means = [0, 1]; }, /means: expected 3 x 2 = 6 values/],
    [() => { m.means = [[0, 1]]; }, /^GaussianHMM\.means: nested arrays of shape 1 × 2 where the model takes nStates × nFeatures = 3 × 2 /],
    [() => { d.covars = [[1, 0], [1, 1], [1, 1]]; }, /covars: state 0 feature 1 has variance 0: variances must be > 0/],
    [() => { d.covars = [[[1, 0.1], [0.1, 1]], [[1, 0], [0, 1]], [[1, 0], [0, 1]]]; }, /state 0's matrix is not diagonal/],
    [() => m.sample(2, { seed: 1, currstate: 3 }), /currstate/],
    [() => new g.GaussianHMM({ covarianceType: 'diagonal' }), /covarianceType/],
    [() => new g.GaussianHMM({ nstates: 2 }), /unknown option 'nstates'/],
    [() => g.GaussianHMM.fromJSON({ startprob_: [1], transmat_: [[1]], means_: [[0, 0]], covars_: [[[1, 2], [2, 1]]], covariance_type: 'full' }),
      /not positive definite/, 'model-format'],
    [() => g.GaussianHMM.fromJSON({ startprob_: [1], transmat_: [[1]], means_: [[0, 0]] }), /missing 'covars'/, 'model-format'],
    [() => g.GaussianHMM.fromJSON({ format: 'gmmhmm-poisson-hmm', version: 1 }), /'format' must be "gmmhmm-gaussian-hmm"/, 'model-format'],
    [() => { const e = new g.GaussianHMM({ nStates: 2 }); try { e.score([[0]]); } finally { e.dispose(); } }, /not fitted \(missing means, covars\)/, 'not-fitted'],
    [() => { const e = new g.GaussianHMM({ nStates: 2 }); try { return e.means; } finally { e.dispose(); } }, /means: not set yet/, 'not-fitted'],
  ];
  for (const [fn, pattern, code] of cases) {
    assertGmmHmmError(GmmHmmError, fn, pattern, code);
    assert.equal(files(), before, `a model changed after ${pattern}`);
  }
  const heapAfterFirst = g.heapBytesInUse();
  const handlesAfterFirst = g.valueHandles();
  for (const [fn] of cases) {
    try { fn(); } catch { /* checked above */ }
  }
  assert.equal(g.heapBytesInUse(), heapAfterFirst, 'heap bytes after a second pass of every error');
  assert.equal(g.valueHandles(), handlesAfterFirst, 'JS values held by wasm after a second pass');
  m.dispose();
  d.dispose();
});

test('dispose: later calls throw code disposed; the heap comes back', () => {
  const heap = g.heapBytesInUse();
  for (let i = 0; i < 50; i++) {
    for (const covarianceType of TYPES) {
      const m = new g.GaussianHMM({ nStates: 2, covarianceType });
      m.fit([[0, 1], [2, 3], [1, 1], [5, 4]]);
      m.dispose();
    }
  }
  assert.equal(g.heapBytesInUse(), heap, 'heap bytes after 200 models');
  const m = truth('diag');
  m.dispose();
  m.dispose();
  assertGmmHmmError(GmmHmmError, () => m.means, /GaussianHMM\.means: the model was disposed/, 'disposed');
  assertGmmHmmError(GmmHmmError, () => m.score([[0, 1]]), /GaussianHMM\.score: the model was disposed/, 'disposed');
});
