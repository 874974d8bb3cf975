// class CategoricalHMM through the package, as users import it: a fit on samples of a known
// model recovers it (up to the order of the states), the API's shapes and options, model
// files (round trip, hmmlearn attribute dumps), every bad input a GmmHmmError with the model
// unchanged, dispose, and the wasm heap back at its baseline.
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

const TRUTH = {
  startprob: [0.5, 0.3, 0.2],
  transmat: [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.15, 0.05, 0.8]],
  emissionprob: [[0.7, 0.1, 0.1, 0.1], [0.1, 0.7, 0.1, 0.1], [0.05, 0.05, 0.1, 0.8]],
};

function truth() {
  const m = new g.CategoricalHMM({ nStates: 3, nFeatures: 4 });
  for (const [name, value] of Object.entries(TRUTH)) m[name] = value;
  return m;
}

// The largest entry difference between two matrices once the rows of `got` are matched to
// those of `want` (the best permutation of the states).
function permutedDistance(got, want) {
  const perms = (n) => (n === 1 ? [[0]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)])));
  let best = Infinity;
  let order;
  for (const p of perms(want.length)) {
    let worst = 0;
    for (let s = 0; s < want.length; s++) {
      for (let k = 0; k < want[s].length; k++) worst = Math.max(worst, Math.abs(got[p[s]][k] - want[s][k]));
    }
    if (worst < best) [best, order] = [worst, p];
  }
  return { distance: best, order };
}

describe('CategoricalHMM', () => {
  test('fit on samples of a known model recovers it, up to the order of the states', () => {
    const t = truth();
    const { X, states } = t.sample(20000, { seed: 21 });
    assert.ok(X instanceof Int32Array && states instanceof Int32Array);
    assert.equal(X.length, 20000);
    const m = new g.CategoricalHMM({ nStates: 3, nIter: 300, tol: 1e-6, seed: 1 });
    try {
      m.fit(X, [5000, 5000, 10000]);
      assert.equal(m.nFeatures, 4, 'nFeatures from the largest symbol');
      assert.equal(m.fitted, true);
      const { distance, order } = permutedDistance(m.emissionprob, TRUTH.emissionprob);
      assert.ok(distance < 0.06, `emissionprob off by ${distance}`);
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) {
          assert.ok(Math.abs(m.transmat[order[r]][order[c]] - TRUTH.transmat[r][c]) < 0.06, `transmat[${r}][${c}]`);
        }
      }
      const history = m.monitor.history;
      for (let i = 1; i < history.length; i++) assert.ok(history[i] >= history[i - 1] - 1e-9 * Math.abs(history[i]), `EM step ${i} lost`);
      // Decoding finds the sampled states most of the time.
      const predicted = m.predict(X.subarray(0, 2000));
      let agree = 0;
      for (let i = 0; i < 2000; i++) agree += order[states[i]] === predicted[i];
      assert.ok(agree / 2000 > 0.7, `Viterbi agrees with the sampled states on ${agree} of 2000 frames`);
    } finally {
      m.dispose();
      t.dispose();
    }
  });

  // hmmlearn's TestCategoricalAgainstWikipedia (tests/test_categorical_hmm.py), its values and
  // its tolerance (numpy's allclose: 1e-8 + 1e-5 relative; its posteriors are given to 8 digits).
  test("hmmlearn's Wikipedia example: Viterbi, MAP and the posteriors", () => {
    const h = g.CategoricalHMM.fromJSON({ startprob_: [0.6, 0.4], transmat_: [[0.7, 0.3], [0.4, 0.6]],
      emissionprob_: [[0.1, 0.4, 0.5], [0.6, 0.3, 0.1]], n_features: 3 });
    try {
      const X = [[0], [1], [2]];
      const viterbi = h.decode(X, { algorithm: 'viterbi' });
      assert.equal(Math.round(Math.exp(viterbi.logLikelihood) * 1e5) / 1e5, 0.01344);
      assert.deepEqual(Array.from(viterbi.states), [1, 0, 0]);
      assert.deepEqual(Array.from(h.decode(X, { algorithm: 'map' }).states), [1, 0, 0]);
      assert.deepEqual(Array.from(h.predict(X)), [1, 0, 0]);
      const expected = [[0.23170303, 0.76829697], [0.62406281, 0.37593719], [0.86397706, 0.13602294]];
      h.predictProba(X).forEach((row, t) => row.forEach((p, s) => assert.ok(Math.abs(p - expected[t][s]) <= 1e-8 + 1e-5 * expected[t][s], `[${t}][${s}] ${p}`)));
    } finally {
      h.dispose();
    }
  });

  test('the API: shapes, (T) and (T, 1) input, typed arrays, MAP decoding, sample options, criteria', () => {
    const m = truth();
    try {
      const x = [0, 1, 3, 3, 2, 0, 1];
      const ll = m.score(x);
      assert.ok(Number.isFinite(ll) && ll < 0);
      assert.equal(m.score(x.map((v) => [v])), ll, '(T, 1) rows');
      assert.equal(m.score(Int32Array.from(x)), ll, 'Int32Array');
      assert.equal(m.score(Uint8Array.from(x)), ll, 'Uint8Array');
      const perSequence = m.scorePerSequence(x, [3, 4]);
      assert.equal(perSequence.length, 2);
      assert.ok(Math.abs(perSequence[0] + perSequence[1] - m.score(x, { lengths: [3, 4] })) < 1e-12);
      const proba = m.predictProba(x);
      assert.equal(proba.length, 7);
      for (const row of proba) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
      const viterbi = m.decode(x);
      assert.deepEqual(Array.from(viterbi.states), Array.from(m.predict(x)));
      const map = m.decode(x, { algorithm: 'map' });
      map.states.forEach((s, t) => assert.equal(s, proba[t].indexOf(Math.max(...proba[t]))));
      assert.ok(Math.abs(map.logLikelihood - proba.reduce((a, row) => a + Math.max(...row), 0)) < 1e-12);
      assert.equal(m.sample(3, { currstate: 2 }).states[0], 2);
      assert.deepEqual(m.sample(30, { seed: 4 }), m.sample(30, { seed: 4 }));
      assert.equal(m.nFreeParameters, 2 + 6 + 9);
      assert.ok(Math.abs(m.aic(x) - (-2 * ll + 2 * 17)) < 1e-9);
      assert.ok(Math.abs(m.bic(x) - (-2 * ll + 17 * Math.log(7))) < 1e-9);
      const pi = m.stationaryDistribution();
      for (let j = 0; j < 3; j++) assert.ok(Math.abs(pi.reduce((a, p, i) => a + p * TRUTH.transmat[i][j], 0) - pi[j]) < 1e-12);
      assert.deepEqual(m.emissionprob, TRUTH.emissionprob);
      m.emissionprob = TRUTH.emissionprob.map((row) => Float64Array.from(row));  // typed-array rows
      const c = m.clone();
      assert.equal(c.score(x), ll);
      c.dispose();
    } finally {
      m.dispose();
    }
  });

  test('fit options: tol -Infinity runs every iteration, params limit the updates, onIteration stops', () => {
    const t = truth();
    const { X } = t.sample(300, { seed: 2 });
    t.dispose();
    const m = new g.CategoricalHMM({ nStates: 2, tol: -Infinity, nIter: 7 });
    try {
      m.fit(X);
      assert.equal(m.monitor.iterations, 7);
      assert.equal(m.monitor.converged, false);
      const before = m.startprob;
      m.fit(X, { params: 'e', initParams: '', nIter: 2 });
      assert.deepEqual(m.startprob, before, "startprob kept without 's' in params");
      assert.equal(m.config.params, 'e', 'fit options stay with the model, as GMMHMM');
      const seen = [];
      m.fit(X, { params: 'ste', nIter: 7, onIteration: ({ iteration }) => { seen.push(iteration); return iteration < 2; } });
      assert.deepEqual(seen, [0, 1, 2]);
      assert.equal(m.monitor.cancelled, true);
    } finally {
      m.dispose();
    }
  });

  test('model files: toJSON round trip, hmmlearn attribute dumps, config', () => {
    const m = new g.CategoricalHMM({ nStates: 2, tol: -Infinity, nIter: 3, emissionprobPrior: 2, seed: 3 });
    try {
      m.fit([0, 1, 2, 2, 1, 0, 0, 2]);
      const file = m.toJSON();
      assert.equal(file.format, 'gmmhmm-categorical-hmm');
      assert.equal(file.training.tol, '-Infinity');
      const back = g.CategoricalHMM.fromJSON(JSON.stringify(file));
      assert.deepEqual(back.toJSON(), file);
      assert.deepEqual(back.config, m.config);
      back.dispose();
    } finally {
      m.dispose();
    }
    const dump = g.CategoricalHMM.fromJSON({
      startprob_: [0.6, 0.4], transmat_: [[0.7, 0.3], [0.2, 0.8]],
      emissionprob_: [[0.5, 0.4, 0.1], [0.1, 0.3, 0.6]], n_features: 3, n_components: 2,
      n_iter: 40, random_state: 7, emissionprob_prior: [[2, 1, 1], [1, 1, 3]], init_params: 'e',
    });
    try {
      assert.equal(dump.nStates, 2);
      assert.equal(dump.nFeatures, 3);
      // hmmlearn's settings and priors of the dump, under its names.
      assert.equal(dump.config.nIter, 40);
      assert.equal(dump.config.seed, 7);
      assert.equal(dump.config.initParams, 'e');
      assert.deepEqual(dump.config.emissionprobPrior, [[2, 1, 1], [1, 1, 3]]);
      assert.deepEqual(dump.emissionprob, [[0.5, 0.4, 0.1], [0.1, 0.3, 0.6]]);
      // log P([0, 2]) by hand: Σ over the 4 paths.
      const p = [[0.6, 0.4], [[0.7, 0.3], [0.2, 0.8]], [[0.5, 0.4, 0.1], [0.1, 0.3, 0.6]]];
      let total = 0;
      for (const a of [0, 1]) for (const b of [0, 1]) total += p[0][a] * p[2][a][0] * p[1][a][b] * p[2][b][2];
      assert.ok(Math.abs(dump.score([0, 2]) - Math.log(total)) < 1e-12);
    } finally {
      dump.dispose();
    }
  });

  test('every declared option reaches config, the model file and back, fit() and index.d.ts', () => {
    const declared = g[DECLARATIONS]();
    const OTHER = { nStates: 3, nFeatures: 5, nIter: 3, tol: -Infinity, seed: 7, params: 'st', initParams: 'st',
      startprobPrior: 2, transmatPrior: 3, emissionprobPrior: 4 };
    const types = fs.readFileSync(path.join(ROOT, 'web/index.d.ts'), 'utf8');
    for (const option of [...declared.categoricalSizes, ...declared.categorical]) {
      const value = OTHER[option.name];
      assert.notEqual(value, undefined, `the test knows no value for ${option.name}`);
      assert.notDeepEqual(value, option.default, option.name);
      assert.match(types, new RegExp(`\\n  ${option.name}\\?: `), `index.d.ts lacks ${option.name}`);
      const m = new g.CategoricalHMM({ [option.name]: value });
      try {
        assert.deepEqual(m.config[option.name], value, `config.${option.name}`);
        const back = g.CategoricalHMM.fromJSON(m.toJSON());
        assert.deepEqual(back.config[option.name], value, `${option.name} read back`);
        back.dispose();
      } finally {
        m.dispose();
      }
      if (declared.categorical.includes(option)) {
        const m2 = new g.CategoricalHMM({});
        assertGmmHmmError(GmmHmmError, () => m2.fit([0, 1], { [option.name]: {} }), new RegExp(`${option.name} must be`));
        m2.dispose();
      }
    }
    const defaults = new g.CategoricalHMM();
    for (const option of [...declared.categoricalSizes, ...declared.categorical]) {
      assert.deepEqual(defaults.config[option.name], option.default, option.name);
    }
    defaults.dispose();
  });

  test("priors per state and per entry (hmmlearn's arrays): one EM step is the Dirichlet update of the posteriors; config and files keep them", () => {
    const X = [0, 2, 1, 3, 3, 0, 1, 2, 2, 3, 0, 0, 1, 3];
    const startprobPrior = [2, 1, 3.5];
    const emissionprobPrior = [[1, 2, 3, 1.5], [4, 1, 1, 1], [1.2, 1, 2.5, 1]];
    const start = truth();
    const gamma = start.predictProba(X);
    start.dispose();
    const m = truth();
    try {
      m.fit(X, { nIter: 1, tol: -Infinity, initParams: '', params: 'se', startprobPrior, emissionprobPrior,
        transmatPrior: [[1, 2, 1], [1, 1, 1], [3, 1, 1]] });
      // hmmlearn: row ∝ max(prior - 1 + expected counts, 0).
      const normalise = (row) => { const sum = row.reduce((a, b) => a + b, 0); return row.map((v) => v / sum); };
      const wantStart = normalise(startprobPrior.map((p, s) => Math.max(p - 1 + gamma[0][s], 0)));
      const wantEmit = emissionprobPrior.map((row, s) => normalise(row.map((p, k) =>
        Math.max(p - 1 + X.reduce((sum, x, t) => sum + (x === k ? gamma[t][s] : 0), 0), 0))));
      m.startprob.forEach((v, s) => assert.ok(Math.abs(v - wantStart[s]) < 1e-12, `startprob[${s}] ${v} vs ${wantStart[s]}`));
      m.emissionprob.forEach((row, s) => row.forEach((v, k) =>
        assert.ok(Math.abs(v - wantEmit[s][k]) < 1e-12, `emissionprob[${s}][${k}] ${v} vs ${wantEmit[s][k]}`)));
      assert.deepEqual(m.config.emissionprobPrior, emissionprobPrior);
      assert.deepEqual(m.config.transmatPrior, [[1, 2, 1], [1, 1, 1], [3, 1, 1]]);
      const back = g.CategoricalHMM.fromJSON(JSON.stringify(m.toJSON()));
      assert.deepEqual(back.config.startprobPrior, startprobPrior);
      assert.deepEqual(back.toJSON(), m.toJSON());
      back.dispose();
      // Typed rows and broadcasting shapes are taken; a ragged array or a shape that does not
      // broadcast is refused naming the prior, the model unchanged.
      const fitted = JSON.stringify(m.toJSON());
      const c = new g.CategoricalHMM({ nStates: 3, emissionprobPrior: [new Float64Array([2]), [1], [3]] });
      assert.deepEqual(c.config.emissionprobPrior, [[2], [1], [3]]);
      c.dispose();
      assertGmmHmmError(GmmHmmError, () => m.fit(X, { emissionprobPrior: [[1, 2], [1]] }), /emissionprobPrior\[1\] has length 1, expected 2/);
      assertGmmHmmError(GmmHmmError, () => m.fit(X, { emissionprobPrior: [1, 2, 3] }),
        /emissionprobPrior: an array of shape \[3\] does not broadcast to \[nStates, nFeatures\] = \[3, 4\]/);
      assertGmmHmmError(GmmHmmError, () => new g.CategoricalHMM({ nStates: 2, startprobPrior: [1, 0] }), /startprobPrior\[1\] must be in \(0, 1e\+100\], got 0/);
      assertGmmHmmError(GmmHmmError, () => new g.CategoricalHMM({ nStates: 2, nIter: [1, 2] }), /nIter must be/);
      assert.equal(JSON.stringify(m.toJSON()), fitted);
    } finally {
      m.dispose();
    }
  });

  test('bad input: a GmmHmmError naming the argument, the model unchanged, no memory left behind', () => {
    const m = truth();
    const file = JSON.stringify(m.toJSON());
    const cases = [
      [() => m.fit([0, 1, -1]), /CategoricalHMM\.fit: X\[2\] is -1: symbols must be >= 0/],
      [() => m.fit([0, 1.5]), /X\[1\] is 1\.5: symbols must be integers/],
      [() => m.fit([NaN, 1]), /X\[0\] is NaN/],
      [() => m.fit([0, 4]), /X\[1\] is 4: the model emits the symbols 0 to 3 \(nFeatures = 4\)/],
      [() => m.score([0, 9]), /CategoricalHMM\.score: X\[1\] is 9/],
      [() => m.decode([0, -2]), /CategoricalHMM\.decode: X\[1\] is -2/],
      [() => m.predictProba([Infinity]), /X\[0\] is Infinity/],
      [() => m.fit(['0', 1]), /fit: X\[0\] must be a number \(a symbol\), got '0'/],
      [() => m.fit([[0, 1], [1, 2]]), /X\[0\] has 2 values: a row of X holds one symbol/],
      [() => m.fit([[0], 1]), /X\[1\] is .* where X\[0\] is a row/],
      [() => m.fit(new BigInt64Array(2)), /X is a BigInt64Array/],
      [() => m.fit('0123'), /X must be the symbols/],
      [() => m.fit([]), /X: no frames/],
      [() => m.fit([0, 1, 2], [1, 1]), /lengths sum to 2 but X has 3 frames/],
      [() => m.fit([0, 1, 2], [2, 2]), /lengths sum to more than the 3/],
      [() => m.score([0, 1, 2], { lengths: [0, 3] }), /lengths\[0\] is 0/],
      [() => m.fit([0, 1], { nIter: -1 }), /nIter must be an integer in \[0, 1000000\], got -1/],
      [() => m.fit([0, 1], { params: 'stm' }), /params 'stm' may only contain the letters ste/],
      [() => m.fit([0, 1], { emissionprobPrior: 0 }), /emissionprobPrior must be in \(0, 1e\+100\], got 0/],
      [() => m.fit([0, 1], { nStates: 2 }), /unknown option 'nStates' \(known: .*emissionprobPrior/],
      [() => m.decode([0, 1], { algorithm: 'best' }), /algorithm/],
      [() => m.decode([0, 1], { lenghts: [2] }), /unknown option 'lenghts' \(known: lengths, algorithm\)/],
      [() => m.sample(0), /n must be an integer in \[1, 1e8\]/],
      [() => m.sample(2, { currstate: 3 }), /currstate must be a state index in \[0, 2\]/],
      [() => m.sample(2, { sed: 1 }), /unknown option 'sed' \(known: seed, currstate\)/],
      [() => { m.emissionprob = [[0.5, 0.5, 0, 0], [1, 0, 0, 0], [0.3, 0.3, 0.3, 0.3]]; }, /emissionprob row 2 sums to 1\.2/],
      [() => { m.emissionprob = [1, 0, 0]; }, /emissionprob: expected 3 x 4 = 12 values/],
      [() => { m.emissionprob = [[1, 0, 0]]; }, /^CategoricalHMM\.emissionprob: nested arrays of shape 1 × 3 where the model takes nStates × nFeatures = 3 × 4 /],
      [() => { m.transmat = [[1, 0, 0, 0, 0, 0, 0, 0, 1]]; }, /^CategoricalHMM\.transmat: nested arrays of shape 1 × 9 where the model takes nStates × nStates = 3 × 3 /],
      [() => { m.transmat = [1, 0, 0, 1]; }, /transmat: expected 3x3/],
      [() => { m.transmat = [[1, 0], [0, 1]]; }, /^CategoricalHMM\.transmat: nested arrays of shape 2 × 2 where the model takes nStates × nStates = 3 × 3 /],
      [() => { m.startprob = [0.5, 0.5, NaN]; }, /startprob\[2\] is NaN/],
      [() => new g.CategoricalHMM({ nstates: 2 }), /unknown option 'nstates'/],
      [() => new g.CategoricalHMM({ nStates: 0 }), /nStates must be an integer in \[1, 10000\], got 0/],
      [() => new g.CategoricalHMM({ nFeatures: 1e9 }), /nFeatures must be an integer in \[0, 10000000\]/],
      [() => new g.CategoricalHMM({ tol: NaN }), /tol must be a finite number/],
      [() => new g.CategoricalHMM('x'), /CategoricalHMM options must be an object/],
      [() => { const big = new g.CategoricalHMM({ nStates: 100, nFeatures: 10000000 }); try { big.fit([0]); } finally { big.dispose(); } },
        /fit: .*memory/, 'out-of-memory'],
      [() => g.CategoricalHMM.fromJSON('{"startprob": '), /not valid JSON/, 'model-format'],
      [() => g.CategoricalHMM.fromJSON({ format: 'gmmhmm-model', version: 1 }), /'format' must be "gmmhmm-categorical-hmm"/, 'model-format'],
      [() => g.CategoricalHMM.fromJSON({ startprob_: [1], transmat_: [[1]], emissionprob_: [[0.5, 0.6]] }), /emissionprob row 0 sums to 1\.1/, 'model-format'],
      [() => g.CategoricalHMM.fromJSON({ startprob_: [1], transmat_: [[1]], emissionprob_: [[1]], n_features: 2 }), /emissionprob\[0\] must be an array of length 2/, 'model-format'],
      [() => g.CategoricalHMM.fromJSON('[1, 2]'), /the top level must be an object/, 'model-format'],
      [() => { const empty = new g.CategoricalHMM({ nStates: 2 }); try { empty.score([0]); } finally { empty.dispose(); } },
        /not fitted \(missing emissionprob\)/, 'not-fitted'],
    ];
    for (const [fn, pattern, code] of cases) {
      assertGmmHmmError(GmmHmmError, fn, pattern, code);
      assert.equal(JSON.stringify(m.toJSON()), file, `the model changed after ${pattern}`);
    }
    // The first pass may grow buffers kept for reuse (the bindings keep the longest error
    // message's capacity): a second pass over every case must leave the heap and the JS
    // values held by wasm exactly as they were.
    const heapAfterFirst = g.heapBytesInUse();
    const handlesAfterFirst = g.valueHandles();
    for (const [fn] of cases) {
      try { fn(); } catch { /* checked above */ }
    }
    assert.equal(g.heapBytesInUse(), heapAfterFirst, 'heap bytes after a second pass of every error');
    assert.equal(g.valueHandles(), handlesAfterFirst, 'JS values held by wasm after a second pass');
    m.dispose();
  });

  test('dispose: later calls throw code disposed; twice is harmless; the heap comes back', () => {
    const heap = g.heapBytesInUse();
    for (let i = 0; i < 200; i++) {
      const m = new g.CategoricalHMM({ nStates: 3 });
      m.fit([0, 1, 2, 1, 0, 2, 2]);
      m.dispose();
    }
    assert.equal(g.heapBytesInUse(), heap, 'heap bytes after 200 models');
    const m = truth();
    m.dispose();
    m.dispose();
    assert.equal(m.disposed, true);
    assertGmmHmmError(GmmHmmError, () => m.score([0]), /CategoricalHMM\.score: the model was disposed/, 'disposed');
    assertGmmHmmError(GmmHmmError, () => m.emissionprob, /the model was disposed/, 'disposed');
    assertGmmHmmError(GmmHmmError, () => m.toJSON(), /the model was disposed/, 'disposed');
  });
});
