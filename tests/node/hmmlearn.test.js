// hmmlearn's behaviours through the package: fits that do not depend on the order of the
// sequences (hmmlearn's test_gmmhmm_multi_sequence_fit_invariant_to_sequence_ordering,
// ported), decode's 'map' algorithm, sample's currstate, the stationary distribution, tol
// -Infinity, options refused by name in every method, and priors given per state / entry.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { load, GmmHmmError } from 'gmmhmm';
import { ROOT } from './helpers.js';

// The data of hmmlearn issue 410, as in hmmlearn's test: 3 sequences x 50 frames x 4 features.
const ISSUE_410 = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/data/hmmlearn-issue410.json'), 'utf8')).sequences;

const permutations = (items) => (items.length <= 1 ? [items]
  : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest])));

describe('hmmlearn behaviours', () => {
  let GMMHMM;
  let g;
  before(async () => {
    g = await load();
    ({ GMMHMM } = g);
  });
  after(async () => {
    await g.terminateWorkers();
  });

  for (const covarianceType of ['spherical', 'diag']) {
    test(`${covarianceType}: the fit does not depend on the order of the sequences (hmmlearn issue 410)`, () => {
      const scores = permutations([0, 1, 2]).map((order) => {
        const sequences = order.map((q) => ISSUE_410[q]);
        const m = new GMMHMM({ nStates: 2, nMix: 2, covarianceType, nIter: 100, initParams: 'mcw', seed: 1234 });
        try {
          m.startprob = [0.5, 0.5];
          m.transmat = [[0.5, 0.5], [0.5, 0.5]];
          m.fit(sequences);
          const { history, converged } = m.monitor;
          assert.ok(converged, `order ${order}: converged`);
          for (let i = 1; i < history.length; i++) {
            assert.ok(history[i] >= history[i - 1] - m.config.tol, `order ${order}: the log-likelihood fell at iteration ${i}`);
          }
          return m.score(sequences);
        } finally {
          m.dispose();
        }
      });
      const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
      for (const s of scores) assert.ok(Math.abs(s - mean) <= 5e-3 * Math.abs(mean), `scores ${scores} within 0.5 % of ${mean}`);
    });
  }

  test('nInit: default 10, in config and JSON, refit from JSON identical', () => {
    const m = new GMMHMM({ nStates: 2, nMix: 2, nInit: 3, seed: 5 });
    assert.equal(new GMMHMM().config.nInit, 10);
    assert.equal(m.config.nInit, 3);
    m.fit(ISSUE_410);
    const json = m.toJSON();
    assert.equal(json.training.nInit, 3);
    const copy = GMMHMM.fromJSON(json);
    assert.equal(copy.config.nInit, 3);
    copy.fit(ISSUE_410);
    assert.equal(copy.score(ISSUE_410), m.score(ISSUE_410), 'the same settings give the same fit');
    m.fit(ISSUE_410, { nInit: 1 });
    assert.equal(m.config.nInit, 1, 'fit options set it as the other training options do');
    m.dispose();
    copy.dispose();
  });

  test("decode algorithm 'map': argmax of the posteriors, hmmlearn's returned value; 'viterbi' default", () => {
    const m = new GMMHMM({ nStates: 3, nMix: 1, seed: 2 }).fit(ISSUE_410);
    const lengths = ISSUE_410.map((q) => q.length);
    const X = ISSUE_410.flat();
    const map = m.decode(X, { lengths, algorithm: 'map' });
    const posteriors = m.predictProba(X, lengths);
    let expected = 0;
    posteriors.forEach((row, t) => {
      const best = row.indexOf(Math.max(...row));
      assert.equal(map.states[t], best, `frame ${t}`);
      expected += row[best];
    });
    assert.ok(Math.abs(map.logLikelihood - expected) <= 1e-12 * expected, `${map.logLikelihood} vs ${expected}`);
    const viterbi = m.decode(X, lengths);
    assert.deepEqual(m.decode(X, { lengths, algorithm: 'viterbi' }), viterbi);
    assert.deepEqual(m.predict(X, lengths), viterbi.states, 'predict stays Viterbi');
    // Viterbi's value is the best path's log-probability: below the log-likelihood of all paths.
    const score = m.score(X, lengths);
    assert.ok(viterbi.logLikelihood <= score + 1e-9 * Math.abs(score), `${viterbi.logLikelihood} <= ${score}`);
    assert.ok(map.logLikelihood > X.length / 3 && map.logLikelihood <= X.length + 1e-9, 'a sum of T probabilities >= 1/3');
    m.dispose();
  });

  test('sample: currstate starts the frames there; continuing a left-right sample stays in the last state', () => {
    const m = new GMMHMM({ nStates: 3, nMix: 1, nFeatures: 1, topology: 'left-right' });
    m.means = [[[0]], [[5]], [[10]]];
    m.covars = [[[1]], [[1]], [[1]]];
    for (const currstate of [0, 1, 2]) assert.equal(m.sample(5, { seed: 3, currstate }).states[0], currstate);
    const first = m.sample(40, { seed: 1 });
    const next = m.sample(10, { seed: 2, currstate: first.states[39] });
    assert.ok(next.states.every((s) => s >= first.states[39]), 'never goes back');
    assert.deepEqual(Array.from(m.sample(10, { seed: 2, currstate: 2 }).states), Array(10).fill(2));
    assert.deepEqual(m.sample(10, { seed: 4 }), m.sample(10, { seed: 4, currstate: undefined }), 'default: drawn from startprob');
    m.dispose();
  });

  test('stationaryDistribution: irreducible, periodic and left-right chains', () => {
    const m = new GMMHMM({ nStates: 2, topology: 'custom' });
    m.startprob = [1, 0];
    m.transmat = [[0.9, 0.1], [0.2, 0.8]];
    const pi = m.stationaryDistribution();
    assert.ok(Math.abs(pi[0] - 2 / 3) < 1e-12 && Math.abs(pi[1] - 1 / 3) < 1e-12, `${pi}`);
    const near = (actual, expected, what) => assert.ok(actual.length === expected.length &&
      actual.every((v, i) => Math.abs(v - expected[i]) < 1e-12), `${what}: ${actual} vs ${expected}`);
    m.transmat = [[0, 1], [1, 0]];
    near(m.stationaryDistribution(), [0.5, 0.5], 'periodic');
    m.dispose();
    const lr = new GMMHMM({ nStates: 3, topology: 'left-right' });
    near(lr.stationaryDistribution(), [0, 0, 1], 'left-right: the last state absorbs');
    lr.dispose();
  });

  test('tol -Infinity or < 0 runs every iteration, and -Infinity survives JSON', () => {
    for (const tol of [-Infinity, -1]) {
      const m = new GMMHMM({ nStates: 2, nMix: 1, nIter: 25, tol, seed: 1 }).fit(ISSUE_410);
      assert.equal(m.monitor.iterations, 25, `tol ${tol}`);
      assert.equal(m.config.tol, tol);
      const json = m.toJSON();
      const copy = GMMHMM.fromJSON(JSON.stringify(json));
      assert.equal(copy.config.tol, tol);
      m.dispose();
      copy.dispose();
    }
  });

  test('priors per state / entry (hmmlearn arrays): config, JSON round trip, fit options, fitAsync', async () => {
    const options = { nStates: 2, nMix: 2, seed: 1, nIter: 5, transmatPrior: [[2, 1], [1, 3]], meansPrior: [0.5, -1, 0, 2],
      weightsPrior: Float64Array.of(1, 4), covarsWeight: [[[1], [2]], [[3], [4]]] };
    const m = new GMMHMM(options);
    assert.deepEqual(m.config.transmatPrior, [[2, 1], [1, 3]]);
    assert.deepEqual(m.config.weightsPrior, [1, 4], 'a typed array is one dimension');
    assert.deepEqual(m.config.covarsWeight, [[[1], [2]], [[3], [4]]]);
    assert.equal(m.config.startprobPrior, 1, 'numbers stay numbers');
    m.fit(ISSUE_410);
    const json = m.toJSON();
    assert.deepEqual(json.training.transmatPrior, [[2, 1], [1, 3]]);
    assert.equal(json.training.startprobPrior, 1);
    const copy = GMMHMM.fromJSON(JSON.stringify(json));
    assert.deepEqual(copy.config.meansPrior, [0.5, -1, 0, 2]);
    assert.deepEqual(copy.toJSON(), json, 'the file reads back as written');
    // The same options through fitAsync (packed the same way; the M-step stays in this
    // thread) give the same fit, bit for bit.
    const again = new GMMHMM(options);
    await again.fitAsync(ISSUE_410, { workers: 2 });
    assert.equal(JSON.stringify(again.toJSON()), JSON.stringify(json));
    // Fit options take arrays too, and change the config as numbers do.
    m.fit(ISSUE_410, { startprobPrior: [5, 1] });
    assert.deepEqual(m.config.startprobPrior, [5, 1]);
    for (const model of [m, copy, again]) model.dispose();
  });

  test('priors per state / entry: one EM step matches the MAP formulas computed from the posteriors', () => {
    // One state per component (nMix 1): the M-step of startprob and means from predictProba's
    // posteriors of the model before the step.
    const sequences = ISSUE_410;
    const m = new GMMHMM({ nStates: 2, nMix: 1, nFeatures: 4, topology: 'custom', initParams: '', params: 'sm', nIter: 1, tol: -Infinity });
    m.startprob = [0.6, 0.4];
    m.transmat = [[0.8, 0.2], [0.3, 0.7]];
    m.weights = [[1], [1]];
    m.means = [[[0, 0, 0, 0]], [[1, 1, 1, 1]]];
    m.covars = [[[1, 1, 1, 1]], [[2, 2, 2, 2]]];
    const startprobPrior = [4, 1.5];
    const meansPrior = [0.5, -1, 0, 2];      // (D,): every component
    const meansWeight = [[30], [5]];         // (N, M)
    const gamma = sequences.map((q) => m.predictProba(q));
    m.fit(sequences, { startprobPrior, meansPrior, meansWeight });
    const counts = [0, 1].map((s) => gamma.reduce((sum, g) => sum + g[0][s], 0) + startprobPrior[s] - 1);
    const total = counts[0] + counts[1];
    m.startprob.forEach((p, s) => assert.ok(Math.abs(p - counts[s] / total) < 1e-12, `startprob[${s}] ${p} vs ${counts[s] / total}`));
    for (let s = 0; s < 2; s++) {
      for (let d = 0; d < 4; d++) {
        let n = 0;
        let sum = 0;
        sequences.forEach((q, i) => q.forEach((x, t) => { n += gamma[i][t][s]; sum += gamma[i][t][s] * x[d]; }));
        const expected = (sum + meansWeight[s][0] * meansPrior[d]) / (n + meansWeight[s][0]);
        assert.ok(Math.abs(m.means[s][0][d] - expected) < 1e-10 * Math.max(1, Math.abs(expected)), `means[${s}][0][${d}] ${m.means[s][0][d]} vs ${expected}`);
      }
    }
    m.dispose();
  });

  test('a prior array holding one value everywhere fits as that number, bit for bit', () => {
    const fit = (priors) => {
      const m = new GMMHMM({ nStates: 2, nMix: 2, seed: 3, nIter: 6, ...priors }).fit(ISSUE_410);
      try {
        return { history: m.monitor.history, means: m.means, covars: m.covars, transmat: m.transmat };
      } finally {
        m.dispose();
      }
    };
    const full = (shape, v) => (shape.length === 0 ? v : Array.from({ length: shape[0] }, () => full(shape.slice(1), v)));
    assert.deepEqual(
      fit({ startprobPrior: full([2], 2), transmatPrior: full([2, 2], 1.5), weightsPrior: full([2, 2], 3), meansPrior: full([2, 2, 4], 0.25),
        meansWeight: full([2, 2], 2), covarsPrior: full([2, 2, 4], 0.5), covarsWeight: full([2, 2, 4], 4) }),
      fit({ startprobPrior: 2, transmatPrior: 1.5, weightsPrior: 3, meansPrior: 0.25, meansWeight: 2, covarsPrior: 0.5, covarsWeight: 4 }));
  });

  test('every method refuses an unknown option, naming it and the known ones', () => {
    const m = new GMMHMM({ nStates: 2, seed: 1 }).fit(ISSUE_410);
    const X = ISSUE_410[0];
    const calls = {
      score: () => m.score(X, { lenght: [50] }),
      scorePerSequence: () => m.scorePerSequence(X, { lenght: [50] }),
      scoreSamples: () => m.scoreSamples(X, { lenght: [50] }),
      decode: () => m.decode(X, { lenght: [50] }),
      predict: () => m.predict(X, { algorithm: 'map' }),
      predictProba: () => m.predictProba(X, { lenght: [50] }),
      emissionLogLikelihoods: () => m.emissionLogLikelihoods(X, { lenght: [50] }),
      aic: () => m.aic(X, { lenght: [50] }),
      bic: () => m.bic(X, { lenght: [50] }),
      sample: () => m.sample(5, { random_state: 1 }),
      fit: () => m.fit(X, { lenght: [50] }),
      constructor: () => new GMMHMM({ n_init: 3 }),
      // A misspelt prior given as an array is an unknown option, not a badly shaped array.
      misspeltPrior: () => new GMMHMM({ trasmatPrior: [[1], [1, 2]] }),
    };
    for (const [method, call] of Object.entries(calls)) {
      assert.throws(call, (e) => e instanceof GmmHmmError && e.code === 'invalid-argument' &&
        /unknown option '(lenght|algorithm|random_state|n_init|trasmatPrior)' \(known: [a-zA-Z, ]+\)/.test(e.message), method);
    }
    m.dispose();
  });

  test('a badly shaped prior array is named with the method that was given it', () => {
    const holey = [1, , 2];  // eslint-disable-line no-sparse-arrays
    assert.throws(() => new GMMHMM({ nStates: 3, startprobPrior: holey }), /: GMMHMM: startprobPrior\[1\] must be a number or an array, got undefined$/);
    const m = new GMMHMM({ nStates: 3, seed: 1 });
    assert.throws(() => m.fit(ISSUE_410[0], { startprobPrior: holey }), /: GMMHMM\.fit: startprobPrior\[1\] must be a number or an array/);
    assert.throws(() => new GMMHMM({ nStates: [[1], [1, 2]] }), /: GMMHMM: nStates must be a number, got an array$/);
    // The shape is checked before the values: a wrong shape is reported as such.
    assert.throws(() => new GMMHMM({ nStates: 2, startprobPrior: new Float64Array(5) }), /startprobPrior: an array of shape \[5\] does not broadcast to \[nStates\] = \[2\]/);
    m.dispose();
  });
});
