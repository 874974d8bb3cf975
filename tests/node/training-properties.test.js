// The training controls as properties of every model class (hmmlearn's model.n_iter = 100):
// every declared control reads as config gives it, a value set is checked as fit() checks it
// and then used by the next fit and kept in the model file; a bad value is a GmmHmmError
// naming it with the model unchanged; sizes stay read-only. Before, `model.nIter = 100` made a
// plain JS property that no fit read.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, GmmHmmError } from 'gmmhmm';
import { assertGmmHmmError } from './helpers.js';

const DECLARATIONS = Symbol.for('gmmhmm.optionDeclarations');

let g;
let declared;
before(async () => {
  g = await load();
  declared = g[DECLARATIONS]();
});

// A value other than the default for every declared training control (a control declared
// later without one here fails the first test: add it).
const OTHER = {
  nIter: 7, tol: -Infinity, minCovar: 0.002, varianceFloorFraction: 0.1, seed: 42, params: 'st', initParams: 'st',
  init: 'kmeans', nInit: 3, precision: 'float32', mixtureSplitting: true, splitIterations: 2,
  startprobPrior: [2, 1], transmatPrior: [[3, 1], [1, 3]], weightsPrior: 2, meansPrior: 0.5, meansWeight: [1, 2],
  covarsPrior: 0.5, covarsWeight: 2, emissionprobPrior: [[2, 1, 1], [1, 1, 2]], lambdasPrior: 2, lambdasWeight: 1,
};

// Each class: how to make a model of 2 states and 3 features, data it fits, its declared section.
const CLASSES = {
  GMMHMM: { section: 'model', emission: ['weights', 'means', 'covars'], other: { meansWeight: [[1], [2]] }, make: () => new g.GMMHMM({ nStates: 2, nMix: 1, nFeatures: 3 }), X: rows },
  CategoricalHMM: { section: 'categorical', emission: ['emissionprob'], make: () => new g.CategoricalHMM({ nStates: 2, nFeatures: 3 }), X: () => [0, 1, 2, 2, 1, 0, 0, 1, 2, 1, 1, 0] },
  PoissonHMM: { section: 'poisson', emission: ['lambdas'], make: () => new g.PoissonHMM({ nStates: 2, nFeatures: 3 }), X: () => rows().map((r) => r.map((v) => Math.round(Math.abs(v) * 3))) },
  MultinomialHMM: { section: 'multinomial', emission: ['emissionprob'], make: () => new g.MultinomialHMM({ nStates: 2, nFeatures: 3, nTrials: 4 }), X: () => [[1, 2, 1], [4, 0, 0], [0, 1, 3], [2, 2, 0], [1, 1, 2], [0, 4, 0]] },
  GaussianHMM: { section: 'gaussian', emission: ['means', 'covars'], make: () => new g.GaussianHMM({ nStates: 2, nFeatures: 3 }), X: rows },
};

function rows() {
  return Array.from({ length: 40 }, (_, t) => [Math.sin(t / 4) + (t % 5) / 10, Math.cos(t / 3), (t % 7) / 7]);
}

const names = (name) => [...declared[CLASSES[name].section].map((d) => d.name), ...(name === 'GMMHMM' ? declared.priors : [])];

describe('training controls as properties', () => {
  for (const name of Object.keys(CLASSES)) {
    test(`${name}: every declared control reads as config and keeps what is set`, () => {
      const m = CLASSES[name].make();
      for (const option of names(name)) {
        const other = CLASSES[name].other?.[option] ?? OTHER[option];
        assert.ok(other !== undefined, `no test value for ${name}.${option}`);
        assert.deepEqual(m[option], m.config[option], `${name}.${option} reads as config`);
        m[option] = other;
        assert.deepEqual(m[option], other, `${name}.${option} after it was set`);
        assert.deepEqual(m.config[option], other, `config.${option} after it was set`);
      }
      const copy = g[name].fromJSON(m.toJSON());
      for (const option of names(name)) assert.deepEqual(copy[option], m[option], `${name}.${option} through the model file`);
      copy.dispose();
      m.dispose();
    });

    test(`${name}: the next fit uses what is set`, () => {
      const m = CLASSES[name].make();
      m.nIter = 3;
      m.tol = -Infinity;
      m.fit(CLASSES[name].X());
      assert.equal(m.monitor.iterations, 3);
      m.params = 'st';  // the emissions are no longer trained
      m.initParams = '';
      const emissions = CLASSES[name].emission.map((p) => m[p]);
      const transmat = m.transmat;
      m.fit(CLASSES[name].X());
      assert.deepEqual(CLASSES[name].emission.map((p) => m[p]), emissions, `${name}: the emissions unchanged with params 'st'`);
      assert.notDeepEqual(m.transmat, transmat, `${name}: transmat trained`);
      m.dispose();
    });

    test(`${name}: a bad value is refused by name, the model unchanged`, () => {
      const m = CLASSES[name].make();
      const before = m.config;
      for (const [option, value, pattern] of [
        ['nIter', -1, /^\w+\.nIter: nIter must be an integer/],
        ['nIter', 2.5, /^\w+\.nIter: nIter must be an integer/],
        ['tol', Number.NaN, /^\w+\.tol: tol must be/],
        ['params', 'xyz', /^\w+\.params: (params )?'xyz' may only contain the letters/],
        ['seed', 'one', /^\w+\.seed: /],
        ['transmatPrior', [1, 2, 3], /^\w+\.transmatPrior: an array of shape \[3\] does not broadcast to \[nStates, nStates\] = \[2, 2\]/],
        ['startprobPrior', [[1, 2], [1]], /^\w+\.startprobPrior: .*rectangular/],
        ['nIter', undefined, /^\w+\.nIter: nIter cannot be set to undefined/],
      ]) {
        assertGmmHmmError(GmmHmmError, () => { m[option] = value; }, pattern);
        assert.deepEqual(m.config, before, `${name} unchanged after ${option} = ${String(value)}`);
      }
      m.dispose();
    });

    test(`${name}: sizes stay read-only, disposal and fitAsync are respected`, async () => {
      const m = CLASSES[name].make();
      assertGmmHmmError(GmmHmmError, () => { m.nStates = 5; }, /^\w+\.nStates is read-only/);
      assert.equal(m.nStates, 2);
      const fitting = m.fitAsync(CLASSES[name].X(), { workers: 0, nIter: 2 });
      assertGmmHmmError(GmmHmmError, () => { m.nIter = 4; }, /fitAsync/);
      await fitting;
      m.nIter = 4;
      assert.equal(m.nIter, 4);
      m.dispose();
      assertGmmHmmError(GmmHmmError, () => { m.nIter = 5; }, /^\w+\.nIter: the model was disposed/, 'disposed');
      assertGmmHmmError(GmmHmmError, () => { m.nIter = undefined; }, /^\w+\.nIter: the model was disposed/, 'disposed');
      assertGmmHmmError(GmmHmmError, () => m.tol, /^\w+\.tol: the model was disposed/, 'disposed');
      assertGmmHmmError(GmmHmmError, () => m.config, /^\w+\.config: the model was disposed/, 'disposed');
    });
  }

  test("hmmlearn's spellings say which name to use instead of holding a value no method reads", () => {
    const m = new g.GMMHMM({ nStates: 2, maxJump: 1 });
    for (const [theirs, ours] of [['n_iter', 'nIter'], ['random_state', 'seed'], ['init_params', 'initParams'], ['min_covar', 'minCovar'],
      ['transmat_prior', 'transmatPrior'], ['n_components', 'nStates'], ['n_mix', 'nMix'], ['covariance_type', 'covarianceType'],
      ['startprob_', 'startprob'], ['covars_', 'covars']]) {
      const message = new RegExp(`^GMMHMM\\.${theirs}: that is hmmlearn's name; gmmhmm's is ${ours}$`);
      assertGmmHmmError(GmmHmmError, () => { m[theirs] = 1; }, message);
      assertGmmHmmError(GmmHmmError, () => m[theirs], message);
    }
    assert.equal(m.nIter, 10, 'nothing was set');
    const c = new g.CategoricalHMM({ nStates: 2 });
    assertGmmHmmError(GmmHmmError, () => { c.emissionprob_prior = 2; }, /^CategoricalHMM\.emissionprob_prior: that is hmmlearn's name; gmmhmm's is emissionprobPrior$/);
    assertGmmHmmError(GmmHmmError, () => c.emissionprob_, /gmmhmm's is emissionprob$/);
    const n = new g.MultinomialHMM({ nStates: 2, nTrials: 3 });
    assertGmmHmmError(GmmHmmError, () => n.n_trials, /gmmhmm's is nTrials$/);
    // hmmlearn's other attributes: `m.algorithm = 'map'` was a plain property no decode read.
    for (const model of [m, c, n]) {
      const name = model.constructor.name;
      assertGmmHmmError(GmmHmmError, () => { model.algorithm = 'map'; }, new RegExp(`^${name}\\.algorithm: hmmlearn's decoder setting; gmmhmm takes it per call: decode\\(X, \\{ algorithm: 'map' \\}\\)`));
      assertGmmHmmError(GmmHmmError, () => model.monitor_, new RegExp(`^${name}\\.monitor_: that is hmmlearn's name; gmmhmm's is monitor$`));
      assertGmmHmmError(GmmHmmError, () => { model.implementation = 'scaling'; }, new RegExp(`^${name}\\.implementation: hmmlearn's choice of forward-backward`));
    }
    // The structure is read-only, maxJump and endInLastState too: an error naming it.
    assertGmmHmmError(GmmHmmError, () => { m.maxJump = 3; }, /^GMMHMM\.maxJump is read-only \(fixed when the model is made/);
    assertGmmHmmError(GmmHmmError, () => { m.endInLastState = true; }, /^GMMHMM\.endInLastState is read-only/);
    assertGmmHmmError(GmmHmmError, () => { n.nTrials = 6; }, /^MultinomialHMM\.nTrials is read-only/);
    assertGmmHmmError(GmmHmmError, () => { m.fitted = true; }, /^GMMHMM\.fitted is read-only$/);
    assert.equal(m.maxJump, 1);
    assert.equal(m.endInLastState, false);
    for (const model of [m, c, n]) model.dispose();
  });

  test('a misspelt option of fit or fitAsync is refused with every name the call takes, its own and the training controls', async () => {
    for (const name of Object.keys(CLASSES)) {
      const m = CLASSES[name].make();
      const X = CLASSES[name].X();
      assertGmmHmmError(GmmHmmError, () => m.fit(X, { lenghts: [X.length] }),
        new RegExp(`^${name}\\.fit: unknown option 'lenghts' \\(known: nIter, tol, .*\\blengths, onIteration, signal\\b`));
      await assert.rejects(m.fitAsync(X, { worker: 2 }), (e) => e instanceof GmmHmmError &&
        new RegExp(`^${name}\\.fitAsync: unknown option 'worker' \\(known: nIter, .*\\bworkers\\b`).test(e.message));
      assert.equal(m.fitted, false);
      m.dispose();
    }
  });

  test('the family-specific controls are those of their family only', () => {
    const c = new g.CategoricalHMM({ nStates: 2 });
    assert.equal('minCovar' in c, false);
    assert.equal('emissionprobPrior' in c, true);
    const gm = new g.GMMHMM({ nStates: 2 });
    assert.equal('emissionprobPrior' in gm, false);
    assert.equal('weightsPrior' in gm, true);
    c.dispose();
    gm.dispose();
  });
});
