// Writes the seed corpus of the fuzz targets (fuzz/corpus/<target>/): small valid inputs the
// fuzzers mutate, so they start deep in the code instead of at the first syntax check.
//   node fuzz/make-corpus.js        (needs the wasm build: scripts/build.sh wasm)
// Reproducers of fixed crashes live next to the seeds (named crash-*) and are kept as they are.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'gmmhmm';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');
const write = (target, name, data) => {
  fs.mkdirSync(path.join(DIR, target), { recursive: true });
  fs.writeFileSync(path.join(DIR, target, name), data);
};

// Deterministic pseudo-random bytes.
function bytes(n, seed) {
  let s = seed >>> 0;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

const g = await load();

// ---- model_loader: model files of every covariance type and topology, an hmmlearn dump,
// a tiny recognizer file, and a few broken ones.
const rand = (() => { let s = 7; return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32); })();
const data = Array.from({ length: 40 }, (_, t) => [Math.sin(t / 3) * 2 + rand(), Math.cos(t / 5) + rand()]);
for (const covarianceType of ['diag', 'full', 'spherical', 'tied']) {
  for (const topology of ['ergodic', 'left-right']) {
    const m = new g.GMMHMM({ nStates: 2, nMix: 2, covarianceType, topology, nIter: 3, seed: 1 });
    m.fit(data);
    write('model_loader', `${covarianceType}-${topology}.json`, JSON.stringify(m.toJSON()));
    m.dispose();
  }
}
const m = new g.GMMHMM({ nStates: 2, nMix: 1, nIter: 2, seed: 3 });
m.fit(data);
const j = m.toJSON();
{
  // Priors given per state / entry (arrays, some broadcast), kept in the file as given.
  const m = new g.GMMHMM({ nStates: 2, nMix: 2, nIter: 3, seed: 1, startprobPrior: [3, 1], transmatPrior: [[2], [4]],
    meansPrior: [0.5, -0.5], meansWeight: [[1, 2], [3, 4]], covarsPrior: [[[0.1, 0.2]], [[0.3, 0.4]]], covarsWeight: [1, 2] });
  m.fit(data);
  write('model_loader', 'array-priors.json', JSON.stringify(m.toJSON()));
  m.dispose();
}
write('model_loader', 'hmmlearn-dump.json', JSON.stringify({
  startprob_: j.startprob, transmat_: j.transmat, weights_: j.weights, means_: j.means, covars_: j.covars,
}));
m.dispose();
write('model_loader', 'truncated.json', JSON.stringify(j).slice(0, 60));
write('model_loader', 'deep.json', '['.repeat(40) + ']'.repeat(40));
write('model_loader', 'wrong-types.json', JSON.stringify({ ...j, nStates: '2', means: { a: 1 } }));

// A recognizer of two "words" made of synthetic features (13 x 3 columns).
const r = new g.Recognizer({ workers: 0, word: { nIter: 2, calibrationFolds: 0 }, background: { nMix: 1, nIter: 2 } });
for (const [label, f] of [['up', 1], ['down', 2.5]]) {
  for (let e = 0; e < 2; e++) {
    r.addFeatures(label, Array.from({ length: 24 }, (_, t) => Array.from({ length: 39 }, (_, d) => Math.sin(f * t / 4 + d) + 0.3 * rand())));
  }
}
await r.train();
write('model_loader', 'recognizer.json', JSON.stringify(r.toJSON()));
r.dispose();

// ---- frontend: int16 PCM at the front (the target reads samples from the front and options
// from the back), option bytes at the end.
function pcm(n, f) {
  const b = Buffer.alloc(2 * n);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(12000 * Math.sin(2 * Math.PI * f * i / 16000) * (i > n / 4 ? 1 : 0.01)), 2 * i);
  return b;
}
for (let k = 0; k < 6; k++) write('frontend', `pcm-${k}.bin`, Buffer.concat([pcm(400 + 300 * k, 200 + 150 * k), bytes(24, k + 1)]));
write('frontend', 'short.bin', bytes(40, 99));

// ---- fit_score: configuration and data bytes.
for (let k = 0; k < 8; k++) write('fit_score', `random-${k}.bin`, bytes(64 + 96 * k, 1000 + k));
// ---- categorical: '0' + a model file (a fitted model, an hmmlearn dump), or '1' + the bytes
// of a fit (sizes, options, symbols, lengths).
{
  const m = new g.CategoricalHMM({ nStates: 2, nIter: 3, tol: -Infinity, seed: 1 });
  m.fit([0, 1, 1, 2, 0, 2, 2, 1], [5, 3]);
  write('categorical', 'model.json', `0${JSON.stringify(m.toJSON())}`);
  m.dispose();
  write('categorical', 'hmmlearn-dump.json', `0${JSON.stringify({ startprob_: [0.6, 0.4], transmat_: [[0.7, 0.3], [0.2, 0.8]],
    emissionprob_: [[0.5, 0.4, 0.1], [0.1, 0.3, 0.6]], n_features: 3 })}`);
  for (let k = 0; k < 4; k++) write('categorical', `fit-${k}.bin`, Buffer.concat([Buffer.from('1'), bytes(48 + 64 * k, 2000 + k)]));
}
// ---- counts: '0' / '1' + a PoissonHMM / MultinomialHMM file (fitted, an hmmlearn dump),
// '2' / '3' + the bytes of a fit (sizes, options, counts, lengths).
{
  const p = new g.PoissonHMM({ nStates: 2, nIter: 3, tol: -Infinity, seed: 1, lambdasPrior: 1, lambdasWeight: 0.5 });
  p.fit([[3, 1, 5], [2, 6, 0], [4, 2, 3], [0, 4, 1], [1, 5, 0]], [3, 2]);
  write('counts', 'poisson-model.json', `0${JSON.stringify(p.toJSON())}`);
  p.dispose();
  write('counts', 'poisson-dump.json', `0${JSON.stringify({ startprob_: [0.6, 0.4], transmat_: [[0.7, 0.3], [0.4, 0.6]],
    lambdas_: [[3.1, 1.4, 4.5], [1.6, 5.3, 0.1]], n_features: 3 })}`);
  const m = new g.MultinomialHMM({ nStates: 2, nTrials: 5, nIter: 3, tol: -Infinity, seed: 1 });
  m.fit([[1, 1, 3, 0], [3, 1, 1, 0], [3, 0, 2, 0], [2, 2, 0, 1]], [2, 2]);
  write('counts', 'multinomial-model.json', `1${JSON.stringify(m.toJSON())}`);
  m.dispose();
  write('counts', 'multinomial-dump.json', `1${JSON.stringify({ startprob_: [0.6, 0.4], transmat_: [[0.8, 0.2], [0.2, 0.8]],
    emissionprob_: [[0.5, 0.3, 0.1, 0.1], [0.1, 0.1, 0.4, 0.4]], n_features: 4, n_trials: [5, 5] })}`);
  for (let k = 0; k < 4; k++) write('counts', `fit-${k}.bin`, Buffer.concat([Buffer.from(k % 2 ? '3' : '2'), bytes(48 + 64 * k, 3000 + k)]));
}
// ---- gaussian: '0' + a GaussianHMM file (fitted, each covariance type; hmmlearn dumps in both
// covars shapes), '1' + the bytes of a fit (sizes, type, options, values, lengths).
{
  const rows = [[0.1, 1.2], [0.3, 0.9], [5.2, 4.8], [4.9, 5.1], [0.2, 1.0], [5.0, 5.3]];
  for (const covarianceType of ['spherical', 'diag', 'full', 'tied']) {
    const m = new g.GaussianHMM({ nStates: 2, covarianceType, nIter: 3, tol: -Infinity, seed: 1, meansWeight: 0.5 });
    m.fit(rows, [3, 3]);
    write('gaussian', `model-${covarianceType}.json`, `0${JSON.stringify(m.toJSON())}`);
    m.dispose();
  }
  const dump = { n_components: 2, covariance_type: 'tied', startprob_: [0.6, 0.4], transmat_: [[0.7, 0.3], [0.4, 0.6]],
    means_: [[0, 1], [5, 5]], n_features: 2 };
  write('gaussian', 'hmmlearn-dump-covars.json', `0${JSON.stringify({ ...dump, covars_: [[[1, 0.2], [0.2, 1]], [[1, 0.2], [0.2, 1]]] })}`);
  write('gaussian', 'hmmlearn-dump-internal.json', `0${JSON.stringify({ ...dump, _covars_: [[1, 0.2], [0.2, 1]] })}`);
  for (let k = 0; k < 4; k++) write('gaussian', `fit-${k}.bin`, Buffer.concat([Buffer.from('1'), bytes(48 + 64 * k, 4000 + k)]));
}
console.log('corpus written to', DIR);
