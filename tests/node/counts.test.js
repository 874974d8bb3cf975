// class PoissonHMM and class MultinomialHMM through the package, as users import them: a fit
// on samples of a known model recovers it (up to the order of the states), the API's shapes
// and options (the same as CategoricalHMM's: one shared class, web/lib/chain-model.js),
// hmmlearn's MultinomialHMM-vs-CategoricalHMM example, model files (round trip, hmmlearn
// dumps), every bad input a GmmHmmError with the model unchanged, dispose and the heap.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { load, GmmHmmError } from 'gmmhmm';
import { ROOT, assertGmmHmmError } from './helpers.js';

const DECLARATIONS = Symbol.for('gmmhmm.optionDeclarations');

let g;
before(async () => {
  g = await load();
});

// hmmlearn's TestPoissonHMM.new_hmm and TestMultinomialHMM.new_hmm.
const POISSON = { startprob: [0.6, 0.4], transmat: [[0.7, 0.3], [0.4, 0.6]], lambdas: [[3.1, 1.4, 4.5], [1.6, 5.3, 0.1]] };
const MULTINOMIAL = { startprob: [0.6, 0.4], transmat: [[0.8, 0.2], [0.2, 0.8]], emissionprob: [[0.5, 0.3, 0.1, 0.1], [0.1, 0.1, 0.4, 0.4]] };

function poisson() {
  const m = new g.PoissonHMM({ nStates: 2, nFeatures: 3 });
  for (const [name, value] of Object.entries(POISSON)) m[name] = value;
  return m;
}

function multinomial(nTrials = 5) {
  const m = new g.MultinomialHMM({ nStates: 2, nFeatures: 4, nTrials });
  for (const [name, value] of Object.entries(MULTINOMIAL)) m[name] = value;
  return m;
}

// The largest entry difference between two matrices, the rows of `got` matched to `want`'s
// (two states: either order).
function distance(got, want) {
  const d = (order) => Math.max(...want.flatMap((row, s) => row.map((v, k) => Math.abs(got[order[s]][k] - v))));
  return Math.min(d([0, 1]), d([1, 0]));
}

const logFactorial = (n) => { let s = 0; for (let i = 2; i <= n; i++) s += Math.log(i); return s; };

describe('PoissonHMM', () => {
  test('fit on samples of a known model recovers the rates; EM never loses', () => {
    const t = poisson();
    const { X, states } = t.sample(5000, { seed: 21 });
    assert.equal(X.length, 5000);
    assert.ok(X[0] instanceof Float64Array && X[0].length === 3);
    assert.ok(states instanceof Int32Array);
    const m = new g.PoissonHMM({ nStates: 2, nIter: 200, tol: 1e-6 });
    try {
      m.fit(X, [2500, 2500]);
      assert.equal(m.nFeatures, 3, 'nFeatures from the rows');
      assert.ok(distance(m.lambdas, POISSON.lambdas) < 0.2, `lambdas ${JSON.stringify(m.lambdas)}`);
      const history = m.monitor.history;
      for (let i = 1; i < history.length; i++) assert.ok(history[i] >= history[i - 1] - 1e-9 * Math.abs(history[i]), `EM step ${i} lost`);
    } finally {
      m.dispose();
      t.dispose();
    }
  });

  test('the API: score by hand, typed-array rows and flat input, decode, sample, criteria, clone', () => {
    const m = poisson();
    try {
      const x = [[3, 1, 5], [2, 6, 0]];
      // log P by hand: the 4 paths of 2 frames.
      const emit = (s, row) => Math.exp(row.reduce((a, c, k) => a - POISSON.lambdas[s][k] + c * Math.log(POISSON.lambdas[s][k]) - logFactorial(c), 0));
      let total = 0;
      for (const a of [0, 1]) for (const b of [0, 1]) total += POISSON.startprob[a] * emit(a, x[0]) * POISSON.transmat[a][b] * emit(b, x[1]);
      const ll = m.score(x);
      assert.ok(Math.abs(ll - Math.log(total)) < 1e-12);
      assert.equal(m.score(x.map((row) => Int32Array.from(row))), ll, 'Int32Array rows');
      assert.equal(m.score(Float64Array.from(x.flat())), ll, 'flat Float64Array with the model\'s nFeatures');
      assert.equal(m.score(Uint16Array.from(x.flat())), ll, 'flat Uint16Array');
      assert.equal(m.predictProba(x).length, 2);
      assert.deepEqual(Array.from(m.decode(x, { algorithm: 'map' }).states).length, 2);
      assert.deepEqual(m.sample(20, { seed: 4 }), m.sample(20, { seed: 4 }));
      assert.equal(m.sample(3, { currstate: 1 }).states[0], 1);
      assert.equal(m.nFreeParameters, 1 + 2 + 6);
      assert.ok(Math.abs(m.bic(x) - (-2 * ll + 9 * Math.log(2))) < 1e-9);
      assert.deepEqual(m.lambdas, POISSON.lambdas);
      const c = m.clone();
      assert.equal(c.score(x), ll);
      assert.equal(c.constructor, g.PoissonHMM);
      c.dispose();
    } finally {
      m.dispose();
    }
  });

  test('a list of sequences of rows (typed rows too) is X with their lengths', () => {
    const m = poisson();
    try {
      const seqs = [m.sample(6, { seed: 1 }).X, m.sample(3, { seed: 2 }).X.map((r) => Int32Array.from(r))];
      const X = seqs.flat();
      assert.deepEqual(m.scorePerSequence(seqs), m.scorePerSequence(X, [6, 3]));
      assert.deepEqual(m.predict(seqs), m.predict(X, { lengths: [6, 3] }));
      assertGmmHmmError(GmmHmmError, () => m.fit(seqs, { lengths: [6, 3] }), /fit: give either a list of sequences or X with lengths, not both/);
    } finally {
      m.dispose();
    }
  });

  test('model files: round trip, the Gamma prior kept', () => {
    const m = new g.PoissonHMM({ nStates: 2, nIter: 3, tol: -Infinity, lambdasPrior: 2, lambdasWeight: 0.5 });
    try {
      m.fit([[3, 1, 5], [2, 6, 0], [4, 2, 3], [0, 4, 1]]);
      const file = m.toJSON();
      assert.equal(file.format, 'gmmhmm-poisson-hmm');
      const back = g.PoissonHMM.fromJSON(JSON.stringify(file));
      assert.deepEqual(back.toJSON(), file);
      assert.deepEqual(back.config, m.config);
      back.dispose();
    } finally {
      m.dispose();
    }
  });

  test("the Gamma prior per rate (hmmlearn's arrays): one EM step by hand from the posteriors, kept in config and files", () => {
    const X = [[3, 1, 5], [2, 6, 0], [4, 2, 3], [0, 4, 1], [5, 0, 2]];
    const lambdasPrior = [[2, 0, 1.5], [0.5, 3, 0]];
    const lambdasWeight = [[1], [4]];  // per state, broadcast over the features
    const start = poisson();
    const gamma = start.predictProba(X);
    start.dispose();
    const m = poisson();
    try {
      m.fit(X, { nIter: 1, tol: -Infinity, initParams: '', params: 'l', lambdasPrior, lambdasWeight });
      // hmmlearn: (alpha + n * mean) / (beta + n), n the frames, mean the state's posterior mean.
      const n = X.length;
      m.lambdas.forEach((row, s) => row.forEach((v, k) => {
        const mass = gamma.reduce((sum, gt) => sum + gt[s], 0);
        const mean = X.reduce((sum, x, t) => sum + gamma[t][s] * x[k], 0) / mass;
        const want = (lambdasPrior[s][k] + n * mean) / (lambdasWeight[s][0] + n);
        assert.ok(Math.abs(v - want) < 1e-12, `lambdas[${s}][${k}] ${v} vs ${want}`);
      }));
      const back = g.PoissonHMM.fromJSON(JSON.stringify(m.toJSON()));
      assert.deepEqual(back.config.lambdasPrior, lambdasPrior);
      assert.deepEqual(back.config.lambdasWeight, lambdasWeight);
      back.dispose();
      assertGmmHmmError(GmmHmmError, () => m.fit(X, { lambdasWeight: [1, 2] }),
        /lambdasWeight: an array of shape \[2\] does not broadcast to \[nStates, nFeatures\] = \[2, 3\]/);
    } finally {
      m.dispose();
    }
  });

  test('hmmlearn dumps score as the model they describe', () => {
    const dump = g.PoissonHMM.fromJSON({ startprob_: POISSON.startprob, transmat_: POISSON.transmat, lambdas_: POISSON.lambdas, n_features: 3 });
    const t = poisson();
    assert.equal(dump.score([[1, 2, 3]]), t.score([[1, 2, 3]]));
    dump.dispose();
    t.dispose();
  });
});

describe('MultinomialHMM', () => {
  test('fit on samples of a known model recovers it; frames of mixed totals with nTrials 0', () => {
    const t = multinomial();
    const { X } = t.sample(4000, { seed: 5 });
    for (const row of X) assert.equal(row.reduce((a, b) => a + b, 0), 5);
    const m = new g.MultinomialHMM({ nStates: 2, nTrials: 5, nIter: 200, tol: 1e-6 });
    try {
      m.fit(X);
      assert.ok(distance(m.emissionprob, MULTINOMIAL.emissionprob) < 0.05, `emissionprob ${JSON.stringify(m.emissionprob)}`);
      // hmmlearn's test_fit: every other frame doubled, nTrials None (0 here).
      const mixed = X.slice(0, 100).map((row, i) => (i % 2 ? row : row.map((v) => 2 * v)));
      const any = new g.MultinomialHMM({ nStates: 2, nIter: 10, tol: -Infinity });
      any.fit(mixed, Array(10).fill(10));
      const history = any.monitor.history;
      for (let i = 1; i < history.length; i++) assert.ok(history[i] >= history[i - 1] - 1e-9 * Math.abs(history[i]), `EM step ${i} lost`);
      assertGmmHmmError(GmmHmmError, () => any.sample(3), /sample: nTrials is 0/);
      any.dispose();
    } finally {
      m.dispose();
      t.dispose();
    }
  });

  // hmmlearn's test_compare_with_categorical_hmm: one trial is a categorical symbol.
  test("hmmlearn's comparison with CategoricalHMM at nTrials 1", () => {
    const params = { startprob_: [0.6, 0.4], transmat_: [[0.7, 0.3], [0.4, 0.6]], emissionprob_: [[0.1, 0.4, 0.5], [0.6, 0.3, 0.1]] };
    const mn = g.MultinomialHMM.fromJSON({ ...params, n_trials: 1 });
    const cat = g.CategoricalHMM.fromJSON(params);
    try {
      const X1 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
      const viterbi = mn.decode(X1);
      assert.equal(Math.round(Math.exp(viterbi.logLikelihood) * 1e5) / 1e5, 0.01344);
      assert.deepEqual(Array.from(viterbi.states), [1, 0, 0]);
      assert.ok(Math.abs(mn.score(X1) - cat.score([0, 1, 2])) < 1e-12);
      const expected = [[0.23170303, 0.76829697], [0.62406281, 0.37593719], [0.86397706, 0.13602294]];
      mn.predictProba(X1).forEach((row, t) => row.forEach((p, s) => assert.ok(Math.abs(p - expected[t][s]) < 1e-6)));
      assert.equal(mn.nTrials, 1);
    } finally {
      mn.dispose();
      cat.dispose();
    }
  });

  test('model files: round trip keeps nTrials', () => {
    const m = multinomial();
    const back = g.MultinomialHMM.fromJSON(m.toJSON());
    assert.deepEqual(back.toJSON(), m.toJSON());
    assert.equal(back.nTrials, 5);
    assert.equal(back.toJSON().format, 'gmmhmm-multinomial-hmm');
    back.dispose();
    m.dispose();
  });
});

test('every declared option reaches config, the model file and back, fit() and index.d.ts', () => {
  const declared = g[DECLARATIONS]();
  const types = fs.readFileSync(path.join(ROOT, 'web/index.d.ts'), 'utf8');
  const OTHER = { nStates: 3, nFeatures: 5, nTrials: 4, nIter: 3, tol: -Infinity, seed: 7, params: 'st', initParams: 'st',
    startprobPrior: 2, transmatPrior: 3, lambdasPrior: 4, lambdasWeight: 5 };
  for (const [Model, sizes, training] of [[g.PoissonHMM, 'poissonSizes', 'poisson'], [g.MultinomialHMM, 'multinomialSizes', 'multinomial']]) {
    const all = [...declared[sizes], ...declared[training]];
    for (const option of all) {
      const value = OTHER[option.name];
      assert.notEqual(value, undefined, `the test knows no value for ${option.name}`);
      assert.notDeepEqual(value, option.default, option.name);
      assert.match(types, new RegExp(`\\n  ${option.name}\\?: `), `index.d.ts lacks ${option.name}`);
      const m = new Model({ [option.name]: value });
      try {
        assert.deepEqual(m.config[option.name], value, `config.${option.name}`);
        const back = Model.fromJSON(m.toJSON());
        assert.deepEqual(back.config[option.name], value, `${option.name} read back`);
        back.dispose();
      } finally {
        m.dispose();
      }
      if (declared[training].includes(option)) {
        const m2 = new Model({});
        assertGmmHmmError(GmmHmmError, () => m2.fit([[0, 1]], { [option.name]: {} }), new RegExp(`${option.name} must be`));
        m2.dispose();
      }
    }
    const defaults = new Model();
    for (const option of all) assert.deepEqual(defaults.config[option.name], option.default, option.name);
    defaults.dispose();
  }
});

test('bad input: a GmmHmmError naming the argument and frame, the model unchanged, no memory left behind', () => {
  const p = poisson();
  const m = multinomial();
  const files = () => JSON.stringify([p.toJSON(), m.toJSON()]);
  const before = files();
  const cases = [
    [() => p.fit([[0, 1, 2], [1, -1, 0]]), /PoissonHMM\.fit: X\[1\]\[1\] is -1: counts must be >= 0/],
    [() => p.score([[0, 1.5, 2]]), /PoissonHMM\.score: X\[0\]\[1\] is 1\.5: counts must be integers/],
    [() => p.decode([[0, NaN, 2]]), /X\[0\]\[1\] is NaN/],
    [() => p.fit([[0, 1], [1, 2]]), /fit: X must hold rows of nFeatures = 3 counts, got rows of 2/],
    [() => p.fit([[0, 1, 2], [1, 2]]), /X\[1\] has 2 values, expected 3/],
    [() => p.fit([0, 1, 2]), /X\[0\] must be a row of counts/],
    [() => p.fit([new BigInt64Array(3)]), /X\[0\] is a BigInt64Array/],
    [() => p.fit('012'), /X must be rows of counts/],
    [() => p.fit([[0, 1, 2]], [2]), /lengths sum to more than the 1/],
    [() => p.fit([[0, 1, 2]], { lambdasPrior: -1 }), /lambdasPrior must be in \[0, 1e\+100\], got -1/],
    [() => p.fit([[0, 1, 2]], { params: 'ste' }), /params 'ste' may only contain the letters stl/],
    [() => p.fit([[0, 1, 2]], { nStates: 2 }), /unknown option 'nStates' \(known: .*lambdasWeight/],
    [() => { p.lambdas = [[1, 1, 0], [1, 1, 1]]; }, /lambdas\[0\]\[2\] is 0: rates must be finite and > 0/],
    [() => { p.lambdas = [[1, 1, -3], [1, 1, 1]]; }, /lambdas\[0\]\[2\] is -3/],
    [() => { p.lambdas = [1, 1]; }, /lambdas: expected 2 x 3 = 6 values/],
    [() => { p.lambdas = [[1, 1], [1, 1], [1, 1]]; }, /^PoissonHMM\.lambdas: nested arrays of shape 3 × 2 where the model takes nStates × nFeatures = 2 × 3 /],
    [() => p.sample(2, { sed: 1 }), /unknown option 'sed' \(known: seed, currstate\)/],
    [() => new g.PoissonHMM({ nstates: 2 }), /unknown option 'nstates'/],
    [() => g.PoissonHMM.fromJSON({ startprob_: [1], transmat_: [[1]], lambdas_: [[-1]] }), /lambdas\[0\]\[0\] is -1/, 'model-format'],
    [() => g.PoissonHMM.fromJSON({ format: 'gmmhmm-categorical-hmm', version: 1 }), /'format' must be "gmmhmm-poisson-hmm"/, 'model-format'],
    [() => { const e = new g.PoissonHMM({ nStates: 2 }); try { e.score([[0]]); } finally { e.dispose(); } }, /not fitted \(missing lambdas\)/, 'not-fitted'],
    [() => m.fit([[0, 0, 1, 1], [3, 1, 1, 0]]), /MultinomialHMM\.fit: X\[0\] sums to 2 but nTrials is 5/],
    [() => m.score([[0, 2, 0, 3], [0, 2.5, 2.5, 0]]), /MultinomialHMM\.score: X\[1\]\[1\] is 2\.5: counts must be integers/],
    [() => m.decode([[0, -2, 1, 6]]), /X\[0\]\[1\] is -2: counts must be >= 0/],
    [() => m.fit([[0, 0, 2, 1, 1, 0, 1]]), /rows of nFeatures = 4 counts, got rows of 7/],
    [() => m.fit([[5, 0, 0, 0]], { emissionprobPrior: 2 }), /unknown option 'emissionprobPrior' \(known: /],
    [() => { m.emissionprob = [[0.5, 0.5, 0, 0], [0.2, 0.2, 0.2, 0.2]]; }, /emissionprob row 1 sums to 0\.8/],
    [() => new g.MultinomialHMM({ nTrials: 2.5 }), /nTrials must be an integer/],
    [() => new g.MultinomialHMM({ nTrials: -1 }), /nTrials must be/],
    [() => g.MultinomialHMM.fromJSON({ startprob_: [1], transmat_: [[1]], emissionprob_: [[1]], n_trials: 'x' }), /nTrials/, 'model-format'],
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
  p.dispose();
  m.dispose();
});

test('dispose: later calls throw code disposed; the heap comes back', () => {
  const heap = g.heapBytesInUse();
  for (let i = 0; i < 100; i++) {
    const p = new g.PoissonHMM({ nStates: 2 });
    p.fit([[0, 1], [2, 3], [1, 1]]);
    p.dispose();
    const m = new g.MultinomialHMM({ nStates: 2, nTrials: 2 });
    m.fit([[0, 2], [1, 1], [2, 0]]);
    m.dispose();
  }
  assert.equal(g.heapBytesInUse(), heap, 'heap bytes after 200 models');
  const p = poisson();
  p.dispose();
  p.dispose();
  assertGmmHmmError(GmmHmmError, () => p.lambdas, /PoissonHMM\.lambdas: the model was disposed/, 'disposed');
  assertGmmHmmError(GmmHmmError, () => p.score([[0, 1, 2]]), /PoissonHMM\.score: the model was disposed/, 'disposed');
});
