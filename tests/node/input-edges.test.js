// Inputs a new user's trial met (2026-12-04, a hmmlearn user from the packed tarball): numbers
// past 32 bits, typed-array rows of integers, sample sizes, the listener's options, a model
// file's monitor. Each a clear GmmHmmError (or the input accepted), the model unchanged.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, GmmHmmError } from 'gmmhmm';
import { assertGmmHmmError } from './helpers.js';

let g;
before(async () => { g = await load(); });

const frames = (n, width) => Array.from({ length: n }, (_, t) => Array.from({ length: width }, (_, d) => Math.sin(t * 0.7 + d) + (t % 7 < 3 ? 2 : -2)));

test('a length beyond 32 bits is named as given, not as the negative number it wrapped to', () => {
  const X = frames(40, 2);
  for (const model of [new g.GaussianHMM({ nStates: 2 }), new g.GMMHMM({ nStates: 2 })]) {
    for (const [length, shown] of [[3e9, '3000000000'], [2 ** 32 + 100, '4294967396'], [1e20, '1e\\+20']]) {
      assertGmmHmmError(GmmHmmError, () => model.fit(X, [length]), new RegExp(`lengths\\[0\\] is ${shown}: more than the 40 rows of X`));
    }
    assert.equal(model.fitted, false);
    model.dispose();
  }
  const c = new g.CategoricalHMM({ nStates: 2 });
  assertGmmHmmError(GmmHmmError, () => c.score([0, 1, 2], [3e9]), /lengths\[0\] is 3000000000: more than the 3 rows of X/);
  c.dispose();
});

test('an integer beyond 32 bits for an integer option: its declared range, not "must be an integer"', () => {
  assertGmmHmmError(GmmHmmError, () => new g.GaussianHMM({ nStates: 2 ** 32 + 2 }), /nStates must be an integer in \[1, 10000\], got 4294967298/);
  const m = new g.GaussianHMM({ nStates: 2 });
  assertGmmHmmError(GmmHmmError, () => { m.nIter = 2 ** 32 + 2; }, /nIter must be an integer in \[0, 1000000\], got 4294967298/);
  assert.equal(m.nIter, 10);
  m.dispose();
  assertGmmHmmError(GmmHmmError, () => new g.GMMHMM({ nStates: 2 ** 32 + 2 }), /nStates is 4294967298: out of range/);
  assertGmmHmmError(GmmHmmError, () => new g.GMMHMM({ nStates: 2.5 }), /nStates must be an integer, got 2.5/);
});

test('rows of integer typed arrays are read as numbers, as the types say', () => {
  const rows = frames(60, 2).map((row) => Int32Array.from(row, (v) => Math.round(v * 10)));
  const asNumbers = rows.map((row) => Array.from(row));
  for (const make of [() => new g.GaussianHMM({ nStates: 2, nIter: 3 }), () => new g.GMMHMM({ nStates: 2, nIter: 3 })]) {
    const a = make();
    const b = make();
    a.fit(rows);
    b.fit(asNumbers);
    assert.deepEqual(a.toJSON(), b.toJSON());
    assert.equal(a.score(rows.map((row) => Uint16Array.from(row, (v) => Math.abs(v)))),
      b.score(asNumbers.map((row) => row.map(Math.abs))));
    a.dispose();
    b.dispose();
  }
  const m = new g.GaussianHMM({ nStates: 2 });
  assertGmmHmmError(GmmHmmError, () => m.fit([new BigInt64Array(2), new BigInt64Array(2)]), /X\[0\] must be an array of numbers or a typed array of numbers/);
  m.dispose();
});

test('sample(): the size limit a frame-rows model has is the one its message names', () => {
  const m = new g.GaussianHMM({ nStates: 1, nFeatures: 1, nIter: 1 });
  m.fit([[0], [1], [2]]);
  for (const n of [2.5, -1, 0, NaN, 2e8]) {
    assertGmmHmmError(GmmHmmError, () => m.sample(n), /GaussianHMM\.sample: n must be an integer in \[1, 10,000,000\]/);
  }
  assertGmmHmmError(GmmHmmError, () => m.sample(10_000_001), /at most 10,000,000 per call/, 'out-of-memory');
  assert.equal(m.sample(3).X.length, 3);
  m.dispose();
});

test("a model file's malformed monitor is a model-format error naming its part, in every class", () => {
  const models = [new g.GMMHMM({ nStates: 2 }), new g.GaussianHMM({ nStates: 2 }), new g.CategoricalHMM({ nStates: 2 }),
    new g.PoissonHMM({ nStates: 2 }), new g.MultinomialHMM({ nStates: 2, nTrials: 3 })];
  for (const model of models) {
    const file = model.toJSON();
    const Class = model.constructor;
    const bad = { ...file, monitor: { history: [1, 'a', null], iterations: -5, converged: 'yes' } };
    assertGmmHmmError(GmmHmmError, () => Class.fromJSON(bad), /'monitor\.history\[1\]' must be a number/, 'model-format');
    assertGmmHmmError(GmmHmmError, () => Class.fromJSON({ ...file, monitor: { iterations: -5 } }), /'monitor\.iterations' must be an integer/, 'model-format');
    const good = { ...file, monitor: { history: [-3.5, -1.25], iterations: 1, converged: true } };
    const back = Class.fromJSON(good);
    assert.deepEqual(back.monitor, { ...back.monitor, history: [-3.5, -1.25], iterations: 1, converged: true });
    back.dispose();
    model.dispose();
  }
});

test("createListener(): a misspelt option names every option it takes, its own and the Endpointer's", () => {
  const rec = new g.Recognizer({ workers: 0 });
  assertGmmHmmError(GmmHmmError, () => rec.createListener({ sampleRate: 16000, sensitivty: 2 }),
    /createListener options: unknown option 'sensitivty' \(known: sampleRate, sensitivity, continuous, spectrogram, samples, .*hangover.*\)/);
  assertGmmHmmError(GmmHmmError, () => rec.createListener({ sampleRate: 16000, signal: AbortSignal.abort() }), /unknown option 'signal'/);
  rec.createListener({ sampleRate: 16000, hangover: 200, minWord: 100 }).stop();
  rec.dispose();
});

test('errors of reading X name the class and method once, as the engine\'s do', () => {
  const m = new g.GaussianHMM({ nStates: 2, nIter: 2 });
  assertGmmHmmError(GmmHmmError, () => m.fit([[1, 2], [3, null]]), /^GaussianHMM\.fit: X\[1\]\[1\] must be a number, got null$/);
  assertGmmHmmError(GmmHmmError, () => m.fit([[1, 2], [3]]), /^GaussianHMM\.fit: X\[1\] has 1 values, expected 2 like X\[0\]$/);
  m.fit(frames(30, 2));
  for (const method of ['scorePerSequence', 'aic', 'bic']) {
    assertGmmHmmError(GmmHmmError, () => m[method](frames(30, 2), [10, 10]), new RegExp(`^GaussianHMM\\.${method}: lengths sum to 20 but X has 30 frames$`));
  }
  m.dispose();
  const c = new g.CategoricalHMM({ nStates: 2 });
  assertGmmHmmError(GmmHmmError, () => c.fit([0, 1, 'a']), /^CategoricalHMM\.fit: /);
  c.dispose();
  const gm = new g.GMMHMM({ nStates: 2 });
  assertGmmHmmError(GmmHmmError, () => gm.fit([[1, 2], [3, null]]), /^GMMHMM\.fit: X\[1\]\[1\] must be a number, got null$/);
  gm.dispose();
});

test("the Recognizer's methods name themselves in the errors of their arguments", () => {
  const rec = new g.Recognizer({ workers: 0 });
  assertGmmHmmError(GmmHmmError, () => rec.addExample('yes', new Int16Array(8000)), /^addExample: sampleRate must be a finite number, got undefined$/);
  assertGmmHmmError(GmmHmmError, () => rec.addExample('yes', new Int16Array(8000), 16000), /^addExample: samples must be a Float32Array/);
  assertGmmHmmError(GmmHmmError, () => rec.classifySync([0.1, 'x'], 16000), /^classify: samples\[1\]/);
  assertGmmHmmError(GmmHmmError, () => rec.exampleCount(''), /^exampleCount: label must be a non-empty string/);
  rec.dispose();
});

test("the Recognizer's dispose() stops its createListener() listeners at once: an error (disposed), then end (stopped)", () => {
  const rec = new g.Recognizer({ workers: 0 });
  const listener = rec.createListener({ sampleRate: 16000 });
  const stopped = rec.createListener({ sampleRate: 16000 });
  stopped.stop();
  const events = [];
  listener.addEventListener('error', (e) => events.push(`error: ${e.error.code}`));
  listener.addEventListener('end', (e) => events.push(`end: ${e.detail.state}`));
  listener.addEventListener('end', () => rec.dispose());  // dispose() again from inside it
  listener.push(new Float32Array(16000).map((_, i) => 0.3 * Math.sin(i / 5)));
  rec.dispose();
  assert.deepEqual(events, ['error: disposed', 'end: stopped']);
  assert.equal(listener.state, 'stopped');
  assert.equal(stopped.state, 'stopped');
  assertGmmHmmError(GmmHmmError, () => listener.push(new Float32Array(10)), /the listener has stopped/, 'disposed');
});
