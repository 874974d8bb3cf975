// hmmlearn 0.3.3's tests of GaussianHMM (src/hmmlearn/tests/test_gaussian_hmm.py), ported to
// the package's GaussianHMM: GaussianHMMTestMixin for every covariance type, the spherical
// class's test_issue_385 / test_fit_startprob_and_transmat / test_underflow_from_scaling and the
// diag class's test_covar_is_writeable / test_fit_left_right. numpy's RandomState is replaced by
// a small seeded generator (below) and by the model's own seeded sample(); hmmlearn's
// "implementation" parameter (scaling / log) has no counterpart (one forward-backward).
// Where hmmlearn's expectation is adapted, a comment says which documented difference
// (docs/hmmlearn.md, "GaussianHMM") makes it so.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'gmmhmm';

const TYPES = ['spherical', 'diag', 'full', 'tied'];

let g;
before(async () => {
  g = await load();
});

// mulberry32 with Box-Muller normals: numpy's RandomState(10) in hmmlearn's fixture.
function rng(seed) {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const randn = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const randint = (lo, hi) => lo + Math.floor(rand() * (hi - lo));
  return { rand, randn, randint };
}

const normalized = (row) => {
  const s = row.reduce((a, b) => a + b, 0);
  return row.map((v) => v / s);
};

// hmmlearn's make_spd_matrix(D) + 0.1·I, as A·Aᵀ/D + 0.1·I from a normal A.
function spd(r, d) {
  const A = Array.from({ length: d }, () => Array.from({ length: d }, () => r.randn()));
  return A.map((ai, i) => A.map((aj, j) => ai.reduce((s, v, k) => s + v * aj[k], 0) / d + (i === j ? 0.1 : 0)));
}

// hmmlearn's make_covar_matrix, in each type's own shape.
function makeCovars(type, r, n, d) {
  const v = () => (0.1 + 0.1 * r.rand()) ** 2;
  if (type === 'spherical') return Array.from({ length: n }, v);
  if (type === 'diag') return Array.from({ length: n }, () => Array.from({ length: d }, v));
  if (type === 'tied') return spd(r, d);
  return Array.from({ length: n }, () => spd(r, d));
}

// The mixin's fixture: 3 states, 3 features, integer means in [-20, 20).
function fixture(type, seed = 10) {
  const r = rng(seed);
  const n = 3;
  const d = 3;
  return {
    r, n, d,
    startprob: normalized(Array.from({ length: n }, r.rand)),
    transmat: Array.from({ length: n }, () => normalized(Array.from({ length: n }, r.rand))),
    means: Array.from({ length: n }, () => Array.from({ length: d }, () => r.randint(-20, 20))),
    covars: makeCovars(type, r, n, d),
  };
}

const scale = (means, k) => means.map((row) => row.map((v) => v * k));

function model(options, params) {
  const m = new g.GaussianHMM(options);
  for (const [name, value] of Object.entries(params)) m[name] = value;
  return m;
}

// transmat + diag(rand), rows normalised (test_fit, test_fit_with_priors).
const stickier = (f) => f.transmat.map((row, i) => normalized(row.map((v, j) => v + (i === j ? f.r.rand() : 0))));

const allFinite = (x) => (Array.isArray(x) || ArrayBuffer.isView(x) ? Array.from(x).every(allFinite) : Number.isFinite(x));

// hmmlearn's assert_log_likelihood_increasing: nIter single iterations without re-initialising,
// scoring after each. hmmlearn asserts only that some step gains more than sqrt(eps); EM never
// losing (up to rounding) is also asserted here, since that is what EM guarantees. Adapted: the
// score before the first step is included, because with means 20·[-20, 20) apart the
// posteriors are 0 or 1 and EM reaches its fixed point in one step (every later step gains
// exactly 0; the reason hmmlearn's test_fit has this check commented out).
// With priors, EM maximises the log-likelihood plus the log-prior (MAP), and the
// log-likelihood alone may fall slightly: `map` skips the every-step check (hmmlearn's only).
// hmmlearn's defaults are priors too (covars_prior 0.01 with covars_weight 1: with fixture
// seed 6, diag, a step loses 1.9e-7 of 104.49, and none with covarsPrior 0), so the
// every-step check runs on plain EM, `options` { covarsPrior: 0 }.
// The every-step check's tolerance is the score's own rounding: the log-densities use the
// expanded quadratic form (x²/σ² − 2xμ/σ² + μ²/σ², as hmmlearn's and sklearn's diag density),
// whose error per frame is about eps·(x/σ)². With means of 360 and σ² of 0.011 that is ~1e-9 a
// frame: fixture seed 8, diag, no priors, the score after EM step 3 reads 1348.5753187018 and
// after step 4 1348.5753173248 (a "loss" of 1.4e-6) where the same forward algorithm written
// out in JS gives 1348.5753183903637 and 1348.575318390364 (a gain of 3e-13).
function scoreRounding(h, X) {
  const minVariance = Math.min(...h.covars.flatMap((c) => c.map((row, k) => row[k])));
  return 64 * Number.EPSILON * X.reduce((s, row) => s + row.reduce((a, v) => a + v * v, 0), 0) / minVariance;
}

function assertLogLikelihoodIncreasing(h, X, lengths, nIter, params, { map = false, options = {} } = {}) {
  const lls = [h.score(X, lengths)];
  const tolerances = [];
  for (let i = 0; i < nIter; i++) {
    h.fit(X, { lengths, nIter: 1, initParams: '', ...(params ? { params } : {}), ...options });
    lls.push(h.score(X, lengths));
    tolerances.push(scoreRounding(h, X));
  }
  const diffs = lls.slice(1).map((v, i) => v - lls[i]);
  assert.ok(Math.max(...diffs) > Math.sqrt(Number.EPSILON), `no step gained: ${lls}`);
  if (!map) diffs.forEach((d, i) => assert.ok(d >= -tolerances[i], `EM step ${i + 1} lost ${d} (rounding ${tolerances[i]}): ${lls}`));
  return lls;
}

// The monitor's history never falls, up to the score's rounding (scoreRounding, above, with
// the fitted model's variances).
function assertHistoryNonDecreasing(h, X, label) {
  const { history } = h.monitor;
  const tolerance = scoreRounding(h, X);
  for (let i = 1; i < history.length; i++) {
    assert.ok(history[i] >= history[i - 1] - tolerance, `${label}: EM iteration ${i} lost (rounding ${tolerance}): ${history}`);
  }
}

for (const type of TYPES) {
  describe(`hmmlearn GaussianHMMTestMixin, covariance_type '${type}'`, () => {
    test('test_score_samples_and_decode: posteriors sum to 1, Viterbi finds the generating states', () => {
      const f = fixture(type);
      // init_params="st" with _init: startprob and transmat uniform.
      const h = model({ nStates: f.n, nFeatures: f.d, covarianceType: type }, {
        startprob: Array(f.n).fill(1 / f.n),
        transmat: Array.from({ length: f.n }, () => Array(f.n).fill(1 / f.n)),
        means: scale(f.means, 20),
        covars: f.covars,
      });
      try {
        const gaussidx = [0, 1, 2].flatMap((s) => Array(5).fill(s));
        const means = h.means;
        const X = gaussidx.map((s) => means[s].map((mu) => mu + f.r.randn()));
        const { logLikelihood, posteriors } = h.scoreSamples(X);
        assert.ok(Number.isFinite(logLikelihood));
        assert.equal(posteriors.length, X.length);
        for (const row of posteriors) {
          assert.equal(row.length, f.n);
          assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-7);
        }
        const { states } = h.decode(X);
        assert.deepEqual(Array.from(states), gaussidx);
      } finally {
        h.dispose();
      }
    });

    test('test_sample: n frames of nFeatures, n states', () => {
      const f = fixture(type);
      // np.maximum(covars, 0.1) elementwise; applied to the variances (spherical, diag) only,
      // since an elementwise max on a full matrix's off-diagonal need not stay positive
      // definite (full and tied already carry + 0.1·I).
      const covars = type === 'spherical' ? f.covars.map((v) => Math.max(v, 0.1))
        : type === 'diag' ? f.covars.map((row) => row.map((v) => Math.max(v, 0.1))) : f.covars;
      const h = model({ nStates: f.n, nFeatures: f.d, covarianceType: type },
        { startprob: f.startprob, transmat: f.transmat, means: scale(f.means, 20), covars });
      try {
        const { X, states } = h.sample(1000, { seed: 10 });
        assert.equal(X.length, 1000);
        assert.ok(X.every((row) => row.length === f.d && allFinite(row)));
        assert.equal(states.length, 1000);
        assert.ok(Array.from(states).every((s) => s >= 0 && s < f.n));
      } finally {
        h.dispose();
      }
    });

    // test_fit with params 'stmc' (and 'mc' here; 'st' is the spherical class's
    // test_fit_startprob_and_transmat, ported for every type below). hmmlearn's
    // assert_log_likelihood_increasing is commented out there ("TODO: change the params");
    // it is asserted here, after a fit from the data (init_params 'stmc').
    for (const params of ['stmc', 'mc', 'st']) {
      test(`test_fit (params '${params}'): fits 10 sequences of 10; the log-likelihood never falls`, () => {
        const f = fixture(type);
        const h = model({ nStates: f.n, nFeatures: f.d, covarianceType: type }, {
          startprob: f.startprob, transmat: stickier(f), means: scale(f.means, 20), covars: f.covars,
        });
        const lengths = Array(10).fill(10);
        const { X } = h.sample(100, { seed: 11 });
        const before = { startprob: h.startprob, transmat: h.transmat, means: h.means, covars: h.covars };
        try {
          h.fit(X, { lengths, params, nIter: 10, seed: 1 });
          assert.ok(allFinite([h.startprob, h.transmat, h.means, h.covars]));
          assertHistoryNonDecreasing(h, X, `${type} ${params}`);
          // again from the initialisation, one step at a time
          h.fit(X, { lengths, params, nIter: 0, seed: 1 });
          if (params === 'st') {
            // Not learned: what init_params 'stmc' set from the data stays (means, covars).
            const initOnly = model({ nStates: f.n, nFeatures: f.d, covarianceType: type }, before);
            initOnly.fit(X, { lengths, params: '', nIter: 1, seed: 1 });
            assert.deepEqual(h.means, initOnly.means);
            assert.deepEqual(h.covars, initOnly.covars);
            initOnly.dispose();
          }
          const init = { startprob: h.startprob, transmat: h.transmat, means: h.means, covars: h.covars };
          assertLogLikelihoodIncreasing(h, X, lengths, 5, params, { map: true }); // hmmlearn's defaults
          Object.assign(h, init);
          assertLogLikelihoodIncreasing(h, X, lengths, 5, params, { options: { covarsPrior: 0 } }); // plain EM
        } finally {
          h.dispose();
        }
      });
    }

    test('test_criterion: aic and bic finite; bic picks the true nStates of 2, 3, 4', () => {
      const f = fixture(type);
      const m1 = model({ nStates: f.n, nFeatures: f.d, covarianceType: type },
        { startprob: f.startprob, transmat: f.transmat, means: scale(f.means, 10), covars: f.covars });
      const { X } = m1.sample(2000, { seed: 42 });
      m1.dispose();
      const aic = [];
      const bic = [];
      const ns = [2, 3, 4];
      for (const n of ns) {
        const h = new g.GaussianHMM({ nStates: n, covarianceType: type, nIter: 500, seed: 42 });
        try {
          h.fit(X);
          aic.push(h.aic(X));
          bic.push(h.bic(X));
        } finally {
          h.dispose();
        }
      }
      // hmmlearn's `assert np.all(aic) > 0` is `True > 0` (always true): aic itself is negative
      // whenever the densities exceed 1, as with these variances of 0.01 to 0.04. Finite here.
      assert.ok(allFinite(aic) && allFinite(bic), `aic ${aic} bic ${bic}`);
      // hmmlearn leaves "AIC / BIC pick the right model" commented out ("occasionally"); with
      // means 10·[-20, 20) apart and 2000 frames the data leave no doubt, so bic is asserted.
      assert.equal(ns[bic.indexOf(Math.min(...bic))], f.n, `bic ${bic}`);
    });

    test('test_fit_sequences_of_different_length: lengths [3, 4, 5]', () => {
      const f = fixture(type);
      const lengths = [3, 4, 5];
      const X = Array.from({ length: 12 }, () => Array.from({ length: f.d }, f.r.rand));
      const h = new g.GaussianHMM({ nStates: f.n, covarianceType: type });
      try {
        h.fit(X, lengths);
        assert.ok(allFinite([h.startprob, h.transmat, h.means, h.covars]));
      } finally {
        h.dispose();
      }
    });

    test('test_fit_with_length_one_signal: lengths [10, 8, 1]', () => {
      const f = fixture(type);
      const lengths = [10, 8, 1];
      const X = Array.from({ length: 19 }, () => Array.from({ length: f.d }, f.r.rand));
      const h = new g.GaussianHMM({ nStates: f.n, covarianceType: type });
      try {
        h.fit(X, lengths);
        assert.ok(allFinite([h.startprob, h.transmat, h.means, h.covars]));
        assert.ok(Number.isFinite(h.score(X, lengths)));
      } finally {
        h.dispose();
      }
    });

    test('test_fit_zero_variance: issue #2, a constant first feature', () => {
      const X = [
        [7.15000000e+02, 5.85000000e+02, 0.00000000e+00, 0.00000000e+00],
        [7.15000000e+02, 5.20000000e+02, 1.04705811e+00, -6.03696289e+01],
        [7.15000000e+02, 4.55000000e+02, 7.20886230e-01, -5.27055664e+01],
        [7.15000000e+02, 3.90000000e+02, -4.57946777e-01, -7.80605469e+01],
        [7.15000000e+02, 3.25000000e+02, -6.43127441e+00, -5.59954834e+01],
        [7.15000000e+02, 2.60000000e+02, -2.90063477e+00, -7.80220947e+01],
        [7.15000000e+02, 1.95000000e+02, 8.45532227e+00, -7.03294373e+01],
        [7.15000000e+02, 1.30000000e+02, 4.09387207e+00, -5.83621216e+01],
        [7.15000000e+02, 6.50000000e+01, -1.21667480e+00, -4.48131409e+01],
      ];
      const h = new g.GaussianHMM({ nStates: 3, covarianceType: type });
      try {
        h.fit(X);
        // Beyond hmmlearn's "does not raise": the minCovar floor (a documented difference)
        // keeps every variance positive, so the parameters and the score stay finite.
        assert.ok(allFinite([h.startprob, h.transmat, h.means, h.covars]));
        assert.ok(h.covars.every((c) => c.every((row, i) => row[i] > 0)));
        assert.ok(Number.isFinite(h.score(X)));
      } finally {
        h.dispose();
      }
    });

    for (const priors of ['default', 'none', 'learner']) test(`test_fit_with_priors (priors: ${priors}): 10 sequences of 200 re-learn the means (1%) and covars`, () => {
      const withPriors = priors === 'learner';
      const f = fixture(type);
      // hmmlearn sets its priors on the generating model h, which is never fitted, so they
      // play no part there (h_learn has the defaults). Here the chain's and the covariances'
      // go on the learner, as numbers: gmmhmm's GaussianHMM priors are numbers, not arrays
      // (docs/hmmlearn.md, "GaussianHMM"): startprob_prior / transmat_prior (10·p + 2) become
      // their mean, 10/3 + 2, covars_prior = self.covars (0.01 to 0.04) the default 0.01.
      // means_prior (= self.means, a twentieth of the true means) cannot be one number: with
      // meansWeight 2 and a number m₀, hmmlearn's M-step adds 2(μ − m₀)² ≈ 2·400² to every
      // variance's numerator, which swamps variances of 0.02; so meansWeight stays 0.
      const h = model({ nStates: f.n, nFeatures: f.d, covarianceType: type }, {
        startprob: f.startprob, transmat: stickier(f), means: scale(f.means, 20), covars: f.covars,
      });
      const lengths = Array(10).fill(200);
      const { X } = h.sample(2000, { seed: 12 });
      const covarsWeight = 2 + (type === 'full' || type === 'tied' ? f.d : 0);
      const learn = new g.GaussianHMM({
        nStates: f.n, covarianceType: type, initParams: 'mc', params: 'stmc', seed: 1,
        ...(withPriors ? { startprobPrior: 10 / 3 + 2, transmatPrior: 10 / 3 + 2, covarsWeight } : {}),
        ...(priors === 'none' ? { covarsPrior: 0 } : {}),
      });
      try {
        learn.startprob = Array(f.n).fill(1 / f.n);
        learn.transmat = Array.from({ length: f.n }, () => Array(f.n).fill(1 / f.n));
        learn.fit(X, { lengths, nIter: 0 });
        assertLogLikelihoodIncreasing(learn, X, lengths, 20, undefined, { map: priors !== 'none' });
        const sorted = (x) => x.flat(Infinity).sort((a, b) => a - b);
        const [want, got] = [sorted(h.means), sorted(learn.means)];
        // rtol 0.01 as hmmlearn, plus atol 0.3: randint may draw a mean of 0, where rtol
        // alone asks for exactly 0 (fixture seed 7: 0.0065; seed 19: 0.051). 0.3 is about five
        // standard errors of a mean from ~667 frames of variance up to 3 (full, tied).
        want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) <= 0.3 + 0.01 * Math.abs(w), `means ${got} vs ${want}`));
        // hmmlearn compares _covars_ (tied broadcast to the learner's shape) with rtol 10;
        // covars reads a matrix per state for both models here.
        const [wc, gc] = [sorted(h.covars), sorted(learn.covars)];
        wc.forEach((w, i) => assert.ok(Math.abs(gc[i] - w) <= 10 * Math.abs(w), `covars ${gc} vs ${wc}`));
      } finally {
        h.dispose();
        learn.dispose();
      }
    });
  });
}

describe("hmmlearn TestGaussianHMMWithSphericalCovars", () => {
  test('test_issue_385: a 1-feature spherical model reads covars and samples', () => {
    for (const covars of [[4, 3], [[[4]], [[3]]]]) {
      const m = model({ nStates: 2, nFeatures: 1, covarianceType: 'spherical' },
        { startprob: [0.6, 0.4], transmat: [[0.4, 0.6], [0.9, 0.1]], means: [[3], [5]], covars });
      try {
        assert.deepEqual(m.covars, [[[4]], [[3]]]);
        const { X } = m.sample(1000);
        assert.equal(X.length, 1000);
        assert.ok(X.every((row) => row.length === 1 && Number.isFinite(row[0])));
      } finally {
        m.dispose();
      }
    }
  });

  test("test_underflow_from_scaling: an outlier of 10000 among N(0,1) and N(5,1) frames", () => {
    const r = rng(10);
    const data = [0, 5, 0, 5].flatMap((mu) => Array.from({ length: 100 }, () => mu + r.randn()));
    data[40] = 10000;
    const X = data.map((v) => [v]);
    const h = model({ nStates: 2, nFeatures: 1, covarianceType: 'spherical', nIter: 100, initParams: '' },
      { startprob: [0, 1], transmat: [[0.4, 0.6], [0.6, 0.4]], means: [[0], [5]], covars: [1, 1] });
    try {
      // hmmlearn's "scaling" implementation raises ValueError here and "log" fits; gmmhmm has
      // one forward-backward, and is expected to fit as "log" does.
      h.fit(X, [X.length]);
      assert.ok(allFinite([h.startprob, h.transmat, h.means, h.covars]));
      assert.equal(h.startprob[0], 0, 'a structural zero of startprob stays zero');
      assert.ok(Number.isFinite(h.score(X)));
      assertHistoryNonDecreasing(h, X, 'underflow');
    } finally {
      h.dispose();
    }
  });
});

describe("hmmlearn TestGaussianHMMWithDiagonalCovars", () => {
  test('test_covar_is_writeable: covars initialised from data can be set again', () => {
    const r = rng(10);
    const X = Array.from({ length: 1000 }, () => Array.from({ length: 5 }, r.randn));
    const h = new g.GaussianHMM({ nStates: 1, covarianceType: 'diag', initParams: 'c' });
    try {
      h.means = [[0, 0, 0, 0, 0]];
      h.fit(X, { nIter: 0 }); // hmmlearn's h._init(X): covars from the data
      const c = h.covars[0];
      assert.ok(c.every((row, i) => row[i] > 0.8 && row[i] < 1.2), `covars ${JSON.stringify(c)}`);
      h.covars = [[1, 2, 3, 4, 5]];
      assert.deepEqual(h.covars[0].map((row, i) => row[i]), [1, 2, 3, 4, 5]);
      // the getter's copy is the caller's own: writing it leaves the model unchanged
      const read = h.covars;
      read[0][0][0] = 99;
      assert.equal(h.covars[0][0][0], 1);
    } finally {
      h.dispose();
    }
  });

  test('test_fit_left_right: structural zeros of startprob and transmat stay zero', () => {
    const f = fixture('diag');
    const n = f.n;
    const transmat = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === n - 1 ? (j === i ? 1 : 0) : (j === i || j === i + 1 ? 0.5 : 0))));
    const startprob = Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0));
    const X = Array.from({ length: 19 }, () => Array.from({ length: f.d }, f.r.rand));
    const h = model({ nStates: n, covarianceType: 'diag', params: 'mct', initParams: 'cm' }, { startprob, transmat });
    try {
      h.fit(X);
      startprob.forEach((p, i) => p === 0 && assert.equal(h.startprob[i], 0));
      transmat.forEach((row, i) => row.forEach((p, j) => p === 0 && assert.equal(h.transmat[i][j], 0, `transmat[${i}][${j}]`)));
      const posteriors = h.predictProba(X);
      assert.ok(allFinite(posteriors));
      posteriors.forEach((row) => assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-7));
      assert.ok(Number.isFinite(h.decode(X, { algorithm: 'viterbi' }).logLikelihood));
    } finally {
      h.dispose();
    }
  });
});
