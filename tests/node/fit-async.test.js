// GMMHMM.fitAsync (issue 18): the E-steps in worker_threads, each on a share of the sequences,
// give the model fit() gives, bit for bit, with any number of workers; an AbortSignal fired by
// a timer stops a long fit and leaves the model as it was; bad situations (a worker killed mid-fit,
// terminateWorkers(), dispose(), fewer sequences than workers, a second fit) end in a clear error
// or a correct fit, never a hang, a partial model or threads and memory left behind.
// Behaviour, not timing: worker threads are counted from Node's 'worker' event to their 'exit'.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { GmmHmmError, load } from 'gmmhmm';
import { random } from './helpers.js';

// Sequences of 3-d frames around three centres, `count` of them with 60-140 frames (enough
// sequences that the core groups them into several groups of at most 2048 frames).
function sequences(count, seed = 7) {
  const next = random(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const centres = [[0, 0, 0], [4, -3, 2], [-3, 5, 6]];
  return Array.from({ length: count }, (_, k) => {
    const T = 60 + ((k * 37) % 81);
    return Array.from({ length: T }, (_, t) => centres[Math.min(2, Math.floor((3 * t) / T))].map((m, d) => m + (0.5 + 0.2 * d) * gauss()));
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('fitAsync', { timeout: 300_000 }, () => {
  let g;
  const alive = new Set();
  const onWorker = (w) => {
    alive.add(w);
    w.once('exit', () => alive.delete(w));
  };
  before(async () => {
    process.on('worker', onWorker);
    g = await load({ variant: 'simd' });
  });
  after(async () => {
    await g.terminateWorkers();
    process.off('worker', onWorker);
  });

  const data = sequences(150);  // about 15,000 frames: 4 groups
  const CONFIGS = [
    { covarianceType: 'diag', nStates: 3, nMix: 2, topology: 'left-right' },
    { covarianceType: 'diag', nStates: 3, nMix: 4, topology: 'left-right', mixtureSplitting: true, precision: 'float32' },
    { covarianceType: 'full', nStates: 3, nMix: 2 },
    { covarianceType: 'spherical', nStates: 3, nMix: 3, init: 'kmeans' },
    { covarianceType: 'tied', nStates: 3, nMix: 2, topology: 'left-right', mixtureSplitting: true },
  ];

  test('gives the model fit() gives, bit for bit, with 0, 1, 2 and 3 workers', async () => {
    for (const config of CONFIGS) {
      const reference = new g.GMMHMM({ ...config, nIter: 8, tol: 0, seed: 3 });
      reference.fit(data);
      const expected = JSON.stringify(reference.toJSON());
      reference.dispose();
      for (const workers of [0, 1, 2, 3]) {
        const m = new g.GMMHMM({ ...config, nIter: 8, tol: 0, seed: 3 });
        const seen = [];
        assert.equal(await m.fitAsync(data, { workers, onIteration: (e) => { seen.push(e.iteration); } }), m);
        assert.equal(JSON.stringify(m.toJSON()), expected, `${config.covarianceType} ${config.precision ?? ''}: ${workers} workers`);
        assert.deepEqual(seen, Array.from({ length: m.monitor.iterations }, (_, i) => i), 'one event per iteration');
        m.dispose();
      }
    }
  });

  test('data far from the origin (a feature 1.7e9 out, a constant one): fit()\'s model bit for bit, GMMHMM and GaussianHMM', async () => {
    // The fits centre such data (docs/hardening.md, "Data far from the origin"): the Workers
    // centre their shares by the session's origin (GMMHMM) or the parameters' (GaussianHMM).
    const far = sequences(60, 11).map((s) => s.map(([a, b]) => [1.7e9 + a, b, 1]));
    for (const [Class, config] of [
      ['GMMHMM', { nStates: 3, nMix: 2, covarianceType: 'diag', nIter: 6, tol: 0, seed: 2 }],
      ['GMMHMM', { nStates: 3, nMix: 1, covarianceType: 'full', nIter: 6, tol: 0, seed: 2 }],
      ['GaussianHMM', { nStates: 3, covarianceType: 'diag', nIter: 6, tol: -Infinity, seed: 2 }],
      ['GaussianHMM', { nStates: 3, covarianceType: 'full', nIter: 6, tol: -Infinity, seed: 2 }],
    ]) {
      const reference = new g[Class](config);
      reference.fit(far);
      const m = new g[Class](config);
      await m.fitAsync(far, { workers: 2 });
      assert.equal(JSON.stringify(m.toJSON()), JSON.stringify(reference.toJSON()), `${Class} ${config.covarianceType}`);
      // the regimes 4 and 7 apart in the first feature are kept apart, with their own spread
      const firstFeature = reference.means.flat(Infinity).filter((v) => v > 1e9).map((v) => v - 1.7e9);
      assert.ok(Math.max(...firstFeature) - Math.min(...firstFeature) > 5, `${Class}: ${firstFeature}`);
      reference.dispose();
      m.dispose();
    }
  });

  test('flat X with lengths, training options, a converging fit, and onIteration returning false', async () => {
    const rows = data.flat();
    const X = Float64Array.from(rows.flat());
    const lengths = data.map((s) => s.length);
    const a = new g.GMMHMM({ nStates: 3, nMix: 2 });
    const b = new g.GMMHMM({ nStates: 3, nMix: 2 });
    a.fit(X, { lengths, nFeatures: 3, nIter: 50, tol: 1 });
    await b.fitAsync(X, { lengths, nFeatures: 3, nIter: 50, tol: 1, workers: 2 });
    assert.equal(a.monitor.converged, true);
    assert.deepEqual(b.monitor, a.monitor);
    assert.deepEqual(b.toJSON(), a.toJSON());
    assert.equal(b.config.tol, 1, 'training options stay, as with fit()');
    await b.fitAsync(X, { lengths, nFeatures: 3, nIter: 10, tol: 0, workers: 2, onIteration: (e) => e.iteration < 2 });
    assert.equal(b.monitor.iterations, 3);
    assert.equal(b.monitor.cancelled, true);
    a.dispose();
    b.dispose();
  });

  test('an AbortSignal fired by a timer stops a long fit: it rejects and the model is unchanged', async () => {
    const long = sequences(400, 9);
    // Initialised once; the fits below start from those parameters (an abort during the
    // initialisation: the next test).
    const m = new g.GMMHMM({ nStates: 4, nMix: 4, covarianceType: 'full' });
    m.fit(long, { nIter: 1 });
    for (const workers of [0, 2]) {
      const before = JSON.stringify(m.toJSON());
      const controller = new AbortController();
      let iterations = 0;
      setTimeout(() => controller.abort(), 300);
      await assert.rejects(m.fitAsync(long, { workers, nIter: 100000, tol: 0, initParams: '', signal: controller.signal,
        onIteration: () => { iterations++; } }), (e) => e.name === 'AbortError');
      assert.ok(iterations < 100000, `stopped after ${iterations} iterations`);
      assert.equal(JSON.stringify(m.toJSON()), before, `workers ${workers}: the model as it was`);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'no listener left on the signal');
      // The model still fits.
      await m.fitAsync(long, { workers, nIter: 2, initParams: '' });
      assert.equal(m.monitor.iterations, 2);
    }
    m.dispose();
    while (alive.size > 0) await settle();  // the aborted fits' workers were ended; the model's release ends the rest
  });

  test('the initialisation in a Worker: nIter 0, a partial initParams, an abort while it runs; fit()\'s model or none', async () => {
    const warm = new g.GMMHMM({ nStates: 3, nMix: 2, nIter: 1 });
    warm.fit(data);  // fit()'s first call keeps a few kB for good: not part of the baseline
    warm.dispose();
    const heap = g.heapBytesInUse();
    // nIter 0: only the initialisation, then the model takes it (as fit() does).
    const a = new g.GMMHMM({ nStates: 3, nMix: 2, nIter: 0, seed: 5 });
    const b = new g.GMMHMM({ nStates: 3, nMix: 2, nIter: 0, seed: 5 });
    a.fit(data);
    await b.fitAsync(data, { workers: 2 });
    assert.equal(JSON.stringify(b.toJSON()), JSON.stringify(a.toJSON()), 'nIter 0');
    // Only the means again ('m'): the Worker's initialisation keeps the fitted weights and covariances.
    a.fit(data, { nIter: 2, initParams: 'm', nInit: 3, seed: 8 });
    await b.fitAsync(data, { workers: 3, nIter: 2, initParams: 'm', nInit: 3, seed: 8 });
    assert.equal(JSON.stringify(b.toJSON()), JSON.stringify(a.toJSON()), "initParams 'm'");
    a.dispose();
    // Aborted while a Worker initialises (many k-means starts on many frames): rejects with the
    // reason, the model as it was, nothing left behind, and the model fits again.
    const long = sequences(400, 11);
    const before = JSON.stringify(b.toJSON());
    const controller = new AbortController();
    const running = b.fitAsync(long, { workers: 2, nInit: 1000, initParams: 'stmcw', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(running, (e) => e.name === 'AbortError');
    assert.equal(JSON.stringify(b.toJSON()), before, 'the model as it was');
    await b.fitAsync(data, { workers: 2, nIter: 1, nInit: 1 });
    assert.equal(b.monitor.iterations, 1);
    b.dispose();
    while (alive.size > 0) await settle();
    assert.equal(g.heapBytesInUse(), heap, 'heap back at its baseline');
  });

  test('fewer sequences than workers: fewer workers, the same model', async () => {
    const few = sequences(2, 5);
    const a = new g.GMMHMM({ nStates: 2, nMix: 2, nIter: 5, tol: 0 });
    const b = new g.GMMHMM({ nStates: 2, nMix: 2, nIter: 5, tol: 0 });
    a.fit(few);
    await b.fitAsync(few, { workers: 4 });
    assert.deepEqual(b.toJSON(), a.toJSON());
    await b.fitAsync(few[0], { workers: 3 });  // one sequence
    a.fit(few[0]);
    assert.deepEqual(b.toJSON(), a.toJSON());
    a.dispose();
    b.dispose();
  });

  test('a worker killed mid-fit, terminateWorkers() and dispose() reject with a clear error; nothing is left behind', async () => {
    const long = sequences(300, 4);
    const heap = g.heapBytesInUse();
    const m = new g.GMMHMM({ nStates: 4, nMix: 3, covarianceType: 'full' });
    m.fit(long, { nIter: 1 });
    m.fit(long, { nIter: 200, tol: 0, initParams: '', onIteration: () => false });  // the settings of the fits below
    const before = JSON.stringify(m.toJSON());
    let killed = false;
    await assert.rejects(m.fitAsync(long, { workers: 2, onIteration: () => { if (!killed) { killed = true; for (const w of alive) w.terminate(); } } }),
      (e) => e instanceof GmmHmmError && e.code === 'internal' && /fit worker stopped unexpectedly/.test(e.message));
    assert.equal(JSON.stringify(m.toJSON()), before, 'killed worker: the model as it was');
    // Named as the call that was cancelled (it said "train:", the Recognizer's word, before).
    await assert.rejects(m.fitAsync(long, { workers: 2, onIteration: () => { g.terminateWorkers(); } }),
      (e) => e instanceof GmmHmmError && e.code === 'cancelled' && /^GMMHMM\.fitAsync: the training workers were terminated/.test(e.message));
    assert.equal(JSON.stringify(m.toJSON()), before, 'terminateWorkers(): the model as it was');
    // While its Workers are still starting: cancelled too (not "did not start").
    await g.terminateWorkers();
    const starting = m.fitAsync(long, { workers: 2 });
    setTimeout(() => g.terminateWorkers(), 0);  // once the call waits for its Workers to start
    await assert.rejects(starting, (e) => e instanceof GmmHmmError && e.code === 'cancelled' && /^GMMHMM\.fitAsync: the training workers were terminated/.test(e.message));
    assert.equal(JSON.stringify(m.toJSON()), before, 'terminateWorkers() while starting: the model as it was');
    await assert.rejects(m.fitAsync(long, { workers: 2, onIteration: () => { m.dispose(); } }),
      (e) => e instanceof GmmHmmError && e.code === 'disposed' && /disposed while fitting/.test(e.message));
    assert.throws(() => m.toJSON(), /disposed/);
    while (alive.size > 0) await settle();
    assert.equal(g.heapBytesInUse(), heap, 'the main module\'s heap is back at its baseline');
  });

  test('a worker killed while the other one initialises (a long k-means): the fit rejects, the model as it was', async () => {
    const long = sequences(300, 6);
    const heap = g.heapBytesInUse();
    const m = new g.GMMHMM({ nStates: 4, nMix: 3, nIter: 2 });
    for (const victim of [0, 1]) {  // both Workers of the fit, one of them not the initialising one
      await g.GMMHMM.prepareWorkers({ workers: 2 });
      const running = m.fitAsync(long, { workers: 2, nInit: 1000 });
      await settle();
      [...alive][victim].terminate();
      await assert.rejects(running, (e) => e instanceof GmmHmmError && e.code === 'internal' &&
        /^GMMHMM\.fitAsync: a fit worker stopped unexpectedly/.test(e.message), `worker ${victim}`);
      assert.equal(m.fitted, false, 'the model as it was');
    }
    m.dispose();
    while (alive.size > 0) await settle();
    assert.equal(g.heapBytesInUse(), heap, 'the main module\'s heap is back at its baseline');
  });

  test('one fit at a time: a second fitAsync(), fit() or a parameter change while it runs is refused', async () => {
    const m = new g.GMMHMM({ nStates: 2, nMix: 2, nIter: 30, tol: 0 });
    try {
      const running = m.fitAsync(data, { workers: 2 });
      await assert.rejects(m.fitAsync(data), (e) => e instanceof GmmHmmError && /already being fitted/.test(e.message));
      assert.throws(() => m.fit(data), (e) => e instanceof GmmHmmError && /being fitted \(fitAsync\)/.test(e.message));
      assert.throws(() => { m.startprob = [0.5, 0.5]; }, (e) => e instanceof GmmHmmError && /being fitted/.test(e.message));
      await running;
      assert.equal(m.monitor.iterations, 30);
      m.startprob = [0.5, 0.5];  // fine again
    } finally {
      m.dispose();
    }
  });

  test('bad input: a clear error before any worker starts, the model unchanged', async () => {
    const m = new g.GMMHMM({ nStates: 2, nIter: 3 });
    try {
      const started = alive.size;
      for (const [options, pattern] of [
        [{ workers: -1 }, /workers must be/],
        [{ workers: 'many' }, /workers must be/],
        [{ signal: {} }, /signal must be an AbortSignal/],
        [{ onIteration: 5 }, /onIteration must be a function/],
        [{ nIter: -2 }, /nIter/],
        [{ precision: 'float16' }, /precision: 'float16' is not one of 'float64', 'float32'/],
        [{ worker: 2 }, /unknown option 'worker'/],
      ]) {
        await assert.rejects(m.fitAsync(data, options), (e) => e instanceof GmmHmmError && pattern.test(e.message), JSON.stringify(options));
      }
      await assert.rejects(m.fitAsync([[0, NaN, 1]], { workers: 2 }), (e) => e instanceof GmmHmmError && /NaN/.test(e.message));
      // The core's "fit: ..." named once, as the method the user called.
      const three = new g.GMMHMM({ nStates: 3 });
      await assert.rejects(three.fitAsync([[0, 1], [1, 2]], { workers: 2 }),
        (e) => e instanceof GmmHmmError && /^GMMHMM\.fitAsync: 2 frames cannot initialise 3 states by k-means/.test(e.message));
      three.dispose();
      const aborted = new AbortController();
      aborted.abort();
      await assert.rejects(m.fitAsync(data, { signal: aborted.signal }), (e) => e.name === 'AbortError');
      assert.equal(alive.size, started, 'no worker was started by a refused call');
      assert.equal(m.fitted, false);
    } finally {
      m.dispose();
    }
  });

  // The families (CategoricalHMM, PoissonHMM, MultinomialHMM, GaussianHMM): the same fitAsync,
  // their E-steps in the same Workers (shares opened by each class's own hook).
  describe('the families', () => {
    // Data sampled from each family's model: 40 sequences of 300-690 frames (about 20,000
    // frames: the core cuts them into 3 groups of at least 8,192 frames).
    function familyData(model) {
      const seqs = Array.from({ length: 40 }, (_, q) => model.sample(300 + ((q * 53) % 391), { seed: 10 + q }).X);
      const lengths = seqs.map((q) => q.length);
      // Symbols concatenated into one Int32Array; rows into one list of rows.
      const X = seqs[0] instanceof Int32Array ? Int32Array.from(seqs.flatMap((q) => [...q])) : seqs.flat();
      return { X, lengths };
    }
    const CASES = [
      ['CategoricalHMM', { nStates: 3, nFeatures: 5 }, { emissionprob: [[0.5, 0.2, 0.1, 0.1, 0.1], [0.1, 0.5, 0.2, 0.1, 0.1], [0.05, 0.05, 0.1, 0.3, 0.5]] },
        { emissionprobPrior: [[2], [1], [1.5]] }],
      ['PoissonHMM', { nStates: 3, nFeatures: 2 }, { lambdas: [[1, 5], [4, 0.5], [8, 8]] }, { lambdasPrior: 0.5, lambdasWeight: [[1, 2]] }],
      ['MultinomialHMM', { nStates: 3, nFeatures: 4, nTrials: 6 }, { emissionprob: [[0.4, 0.3, 0.2, 0.1], [0.1, 0.1, 0.3, 0.5], [0.25, 0.25, 0.25, 0.25]] }, {}],
      ['GaussianHMM', { nStates: 3, nFeatures: 2, covarianceType: 'full' }, { means: [[0, 0], [3, 1], [-2, 4]], covars: [[[1, 0.2], [0.2, 0.5]], [[0.7, 0], [0, 1.2]], [[1, 0], [0, 1]]] },
        { meansWeight: [0.5, 1, 2] }],
      ['GaussianHMM', { nStates: 3, nFeatures: 2, covarianceType: 'tied' }, { means: [[0, 0], [3, 1], [-2, 4]], covars: [[1, 0.2], [0.2, 0.5]] }, {}],
      ['GaussianHMM', { nStates: 3, nFeatures: 2, covarianceType: 'spherical' }, { means: [[0, 0], [3, 1], [-2, 4]], covars: [0.5, 1, 2] }, {}],
    ];

    function truthOf([cls, sizes, emission]) {
      const t = new g[cls](sizes);
      t.startprob = [0.5, 0.3, 0.2];
      t.transmat = [[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.1, 0.1, 0.8]];
      for (const [k, v] of Object.entries(emission)) t[k] = v;
      return t;
    }

    test('fitAsync gives the model fit() gives, bit for bit, with 0, 1, 2 and 3 workers, priors and all', async () => {
      for (const c of CASES) {
        const [cls, sizes, , priors] = c;
        const truth = truthOf(c);
        const { X, lengths } = familyData(truth);
        truth.dispose();
        const options = { nStates: 3, nIter: 6, tol: -Infinity, seed: 5, ...(sizes.covarianceType ? { covarianceType: sizes.covarianceType } : {}),
          ...(sizes.nTrials ? { nTrials: sizes.nTrials } : {}) };
        const reference = new g[cls](options);
        reference.fit(X, { lengths, ...priors });
        const expected = JSON.stringify(reference.toJSON());
        reference.dispose();
        for (const workers of [0, 1, 2, 3]) {
          const m = new g[cls](options);
          const seen = [];
          assert.equal(await m.fitAsync(X, { lengths, ...priors, workers, onIteration: (e) => { seen.push(e.iteration); } }), m);
          assert.equal(JSON.stringify(m.toJSON()), expected, `${cls} ${sizes.covarianceType ?? ''}: ${workers} workers`);
          assert.deepEqual(seen, [0, 1, 2, 3, 4, 5], 'one event per iteration');
          m.dispose();
        }
      }
    });

    test("GaussianHMM's initialisation runs in a Worker from the model's own file: fit()'s start bit for bit, means and a chain set by hand kept", async () => {
      const c = CASES[3];  // GaussianHMM, full: k-means of the means, the data's covariance
      const truth = truthOf(c);
      const { X, lengths } = familyData(truth);
      truth.dispose();
      const cases = [
        { options: { nStates: 3, covarianceType: 'full', nIter: 0, nInit: 4, seed: 11 }, set: {} },
        { options: { nStates: 3, covarianceType: 'full', nIter: 2, tol: -Infinity, initParams: 'stc', seed: 3 },
          set: { means: [[0.5, 0], [2.5, 1.5], [-1, 3]] } },
      ];
      for (const { options, set } of cases) {
        const reference = new g.GaussianHMM(options);
        Object.assign(reference, set);
        reference.fit(X, { lengths });
        const expected = JSON.stringify(reference.toJSON());
        reference.dispose();
        const m = new g.GaussianHMM(options);
        Object.assign(m, set);
        await m.fitAsync(X, { lengths, workers: 2 });
        assert.equal(JSON.stringify(m.toJSON()), expected, `nIter ${options.nIter}, initParams ${options.initParams ?? 'stmc'}`);
        m.dispose();
      }
      // A job of more than 1,024 values, most of them "0.0" (a chain set by hand): the Worker
      // reads any file the session writes (its reader's value cap once refused this one).
      const N = 40;
      const transmat = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => (j === i ? 0.9 : j === (i + 1) % N ? 0.1 : 0)));
      const frames = Array.from({ length: 1200 }, (_, t) => [Math.floor(t / 30) % N + 0.1 * Math.sin(t)]);
      const chain = { nStates: N, nIter: 1, initParams: 'mc', nInit: 1 };
      const byHand = new g.GaussianHMM(chain);
      byHand.transmat = transmat;
      const direct = new g.GaussianHMM(chain);
      direct.transmat = transmat;
      direct.fit(frames);
      await byHand.fitAsync(frames, { workers: 2 });
      assert.equal(JSON.stringify(byHand.toJSON()), JSON.stringify(direct.toJSON()), 'a 40-state chain set by hand');
      for (const x of [byHand, direct]) x.dispose();
    });

    test('abort, dispose, one fit at a time, and bad input: as GMMHMM.fitAsync, the model unchanged, nothing left behind', async () => {
      const truth = truthOf(CASES[0]);
      const { X: symbols, lengths } = familyData(truth);
      truth.dispose();
      const X = symbols;
      const withLengths = (o = {}) => ({ lengths, ...o });
      const heap = g.heapBytesInUse();
      const m = new g.CategoricalHMM({ nStates: 3 });
      m.fit(X, withLengths({ nIter: 1 }));
      for (const workers of [0, 2]) {
        const before = JSON.stringify(m.toJSON());
        const controller = new AbortController();
        let iterations = 0;
        setTimeout(() => controller.abort(), 200);
        await assert.rejects(m.fitAsync(X, withLengths({ workers, nIter: 1000000, tol: -Infinity, initParams: '', signal: controller.signal,
          onIteration: () => { iterations++; } })), (e) => e.name === 'AbortError');
        assert.ok(iterations < 1000000, `stopped after ${iterations} iterations`);
        assert.equal(JSON.stringify(m.toJSON()), before, `workers ${workers}: the model as it was`);
        assert.equal(m.config.nIter, 1, 'the options as they were');
      }
      const running = m.fitAsync(X, withLengths({ workers: 2, nIter: 20, initParams: '' }));
      await assert.rejects(m.fitAsync(X), (e) => e instanceof GmmHmmError && /already being fitted/.test(e.message));
      assert.throws(() => m.fit(X), (e) => e instanceof GmmHmmError && /CategoricalHMM.fit: the model is being fitted \(fitAsync\)/.test(e.message));
      assert.throws(() => { m.startprob = [0.2, 0.3, 0.5]; }, (e) => e instanceof GmmHmmError && /being fitted/.test(e.message));
      await running;
      assert.equal(m.monitor.iterations > 0, true);
      const started = alive.size;
      for (const [options, pattern] of [
        [{ workers: -1 }, /workers must be/],
        [{ emissionprobPrior: [1, 2] }, /emissionprobPrior: an array of shape \[2\] does not broadcast/],
        [{ nIter: -2 }, /nIter/],
        [{ worker: 2 }, /unknown option 'worker'/],
      ]) {
        const before = JSON.stringify(m.toJSON());
        await assert.rejects(m.fitAsync(X, withLengths(options)), (e) => e instanceof GmmHmmError && pattern.test(e.message), JSON.stringify(options));
        assert.equal(JSON.stringify(m.toJSON()), before);
      }
      await assert.rejects(m.fitAsync([0, 1, 2.5], { workers: 2 }), (e) => e instanceof GmmHmmError && /2\.5/.test(e.message));
      assert.equal(alive.size, started, 'no worker was started by a refused call');
      await assert.rejects(m.fitAsync(X, withLengths({ workers: 2, initParams: '', onIteration: () => { m.dispose(); } })),
        (e) => e instanceof GmmHmmError && e.code === 'disposed' && /disposed while fitting/.test(e.message));
      await assert.rejects(m.fitAsync(X, withLengths({ workers: 2 })), (e) => e instanceof GmmHmmError && e.code === 'disposed');
      while (alive.size > 0) await settle();
      assert.equal(g.heapBytesInUse(), heap, 'the main module\'s heap is back at its baseline');
      // The classes start the shared Workers ahead, as GMMHMM.prepareWorkers does.
      assert.equal(await g.PoissonHMM.prepareWorkers({ workers: 2 }), 2);
      await assert.rejects(g.GaussianHMM.prepareWorkers({ worker: 2 }), /unknown option 'worker'/);
      await g.terminateWorkers();
    });
  });
});
