// EM throughput of gmmhmm (wasm) against hmmlearn on the same data from the same starting
// parameters (issue 19: "gmmhmm in wasm ≥ 10× hmmlearn"). For each family the data are
// sampled with the package from a fixed random model and written, with perturbed starting
// parameters, to a temporary file; bench/hmmlearn_compare.py fits hmmlearn from them
// (init_params '', every parameter trained, tol -inf so both run the same iterations) and
// reports its CPU time (time.process_time, BLAS held to one thread); the package fits the same
// in this process (CPU time of process.cpuUsage). Rounds alternate between the two, so a busy
// machine slows both alike; each side keeps its best round. Both final log-likelihoods are
// printed: exact EM from the same start should agree (differences are explained in
// docs/performance.md, "Against hmmlearn").
//
//   node bench/hmmlearn-compare.js [--rounds 3] [--nosimd] [--families categorical,gmm,gaussian,gmm1,poisson]
//                                  [--python /usr/bin/python3] [--module <a checkout>/web/index.js] [--profile]
// --profile: hmmlearn's fits of the first round under cProfile, the top 8 functions on stderr
// (their times then include cProfile's overhead).
// The Python is --python, else $GMMHMM_PYTHON, else /usr/bin/python3; $GMMHMM_HMMLEARN_PYTHONPATH
// is put in front of its PYTHONPATH (how to get hmmlearn: the top of bench/hmmlearn_compare.py).
// Without hmmlearn the gmmhmm figures are printed alone and hmmlearn's column says "skipped".
// poisson runs only when the package exports PoissonHMM.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    nosimd: { type: 'boolean', default: false },
    families: { type: 'string', default: 'categorical,gmm,gaussian,gmm1,poisson' },
    python: { type: 'string', default: process.env.GMMHMM_PYTHON || '/usr/bin/python3' },
    module: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(args.rounds);
const ITERATIONS = 10;
const IMPLEMENTATIONS = ['log', 'scaling']; // hmmlearn's two forward-backward forms
const SCRIPT = fileURLToPath(new URL('./hmmlearn_compare.py', import.meta.url));
const { load } = await import(args.module ? pathToFileURL(path.resolve(args.module)).href : 'gmmhmm');
const g = await load({ variant: args.nosimd ? 'nosimd' : 'simd' });

function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const normalised = (row) => { const sum = row.reduce((a, b) => a + b, 0); return row.map((v) => v / sum); };
// Parameters as plain nested arrays (typed arrays would serialise as objects).
const plain = (v) => (ArrayBuffer.isView(v) || Array.isArray(v) ? Array.from(v, plain) : v);
// A sample's X as one Float64Array, whether the package returns rows or a flat array.
const flat = (X) => {
  if (!Array.isArray(X) || typeof X[0] === 'number') return Float64Array.from(X);
  const out = new Float64Array(X.length * X[0].length);
  X.forEach((row, t) => out.set(row, t * row.length));
  return out;
};
const setAll = (model, params) => { for (const [name, value] of Object.entries(params)) if (value !== undefined) model[name] = value; };

// Each task: what both sides fit. `make()` returns { X (Float64Array), lengths, start }.
const TASKS = {
  // the shape of bench/categorical.bench.js, same model, data and start
  categorical: {
    family: 'CategoricalHMM', shape: '10 states × 1,000 symbols, 100 × 1,000 frames', nStates: 10, nFeatures: 1000,
    create: (o) => new g.CategoricalHMM({ nStates: 10, nFeatures: 1000, ...o }),
    make() {
      const N = 10, SYMBOLS = 1000, rand = lcg(7);
      const truth = this.create({});
      truth.transmat = Array.from({ length: N }, (_, i) => normalised(Array.from({ length: N }, (_, j) => (i === j ? 20 : rand()))));
      truth.emissionprob = Array.from({ length: N }, () => normalised(Array.from({ length: SYMBOLS }, () => rand() ** 4)));
      const X = flat(truth.sample(100 * 1000, { seed: 1 }).X);
      const start = { startprob: truth.startprob, transmat: truth.transmat,
        emissionprob: Array.from({ length: N }, () => normalised(Array.from({ length: SYMBOLS }, () => rand() + 0.1))) };
      truth.dispose();
      return { X, lengths: Array(100).fill(1000), start };
    },
  },
  // the shape of bench/em.bench.js, same model, data and start
  gmm: {
    family: 'GMMHMM diag', shape: '8 states × 4 components × 39 dims, 200 × 500 frames', nStates: 8, nMix: 4, nFeatures: 39,
    create: (o) => new g.GMMHMM({ nStates: 8, nMix: 4, nFeatures: 39, ...o }),
    make() { return gaussianTask(this, 4); },
  },
  // GaussianHMM on both sides (hmmlearn's default priors); the data of em.bench.js's model with
  // one component per state
  gaussian: {
    family: 'GaussianHMM diag', shape: '8 states × 39 dims, 200 × 500 frames', nStates: 8, nMix: 1, nFeatures: 39,
    gaussianCovarsPrior: 0.01,
    create: (o) => new g.GaussianHMM({ nStates: 8, nFeatures: 39, ...o }),
    make() {
      const { X, lengths, start } = gaussianTask({ create: (o) => new g.GMMHMM({ nStates: 8, nMix: 1, nFeatures: 39, ...o }) }, 1);
      // GaussianHMM has no weights; its means and diagonal covariances are N × D
      return { X, lengths, start: { ...start, weights: undefined, means: start.means.map((s) => s[0]), covars: start.covars.map((s) => s[0]) } };
    },
  },
  // the same with GMMHMM and one component (the tiled E-step; covarsPrior as GaussianHMM's)
  gmm1: {
    family: 'GaussianHMM diag (gmmhmm: GMMHMM nMix 1)', shape: '8 states × 39 dims, 200 × 500 frames', nStates: 8, nMix: 1, nFeatures: 39,
    gaussianCovarsPrior: 0.01, hmmlearnKind: 'gaussian',
    create: (o) => new g.GMMHMM({ nStates: 8, nMix: 1, nFeatures: 39, covarsPrior: 0.01, ...o }),
    make() {
      const { X, lengths, start } = gaussianTask(this, 1);
      return { X, lengths, start, hmmlearnStart: { ...start, weights: undefined, means: start.means.map((s) => s[0]), covars: start.covars.map((s) => s[0]) } };
    },
  },
  // the shape of bench/poisson.bench.js (branch pois-8), same model, data and start
  poisson: {
    family: 'PoissonHMM', shape: '10 states × 20 features, 100 × 1,000 frames', nStates: 10, nFeatures: 20,
    create: (o) => new g.PoissonHMM({ nStates: 10, nFeatures: 20, ...o }),
    make() {
      const N = 10, D = 20, rand = lcg(7);
      const rates = () => Array.from({ length: N }, () => Array.from({ length: D }, () => 0.5 + 19.5 * rand()));
      const truth = this.create({});
      truth.transmat = Array.from({ length: N }, (_, i) => normalised(Array.from({ length: N }, (_, j) => (i === j ? 20 : rand()))));
      truth.lambdas = rates();
      const X = flat(truth.sample(100 * 1000, { seed: 1 }).X);
      const start = { startprob: truth.startprob, transmat: truth.transmat, lambdas: rates() };
      truth.dispose();
      return { X, lengths: Array(100).fill(1000), start };
    },
  },
};

// bench/em.bench.js's model (M components; M = 1: the same draws, one component), data and start.
function gaussianTask(task, M) {
  const N = 8, D = 39, SEQUENCES = 200, LENGTH = 500, rand = lcg(42);
  const transmat = Array.from({ length: N }, (_, i) => normalised(Array.from({ length: N }, (_, j) => (i === j ? 8 : rand() + 0.1))));
  const weights = Array.from({ length: N }, () => normalised(Array.from({ length: M }, () => rand() + 0.5)));
  const means = Array.from({ length: N }, () => Array.from({ length: M }, () => Array.from({ length: D }, () => 6 * rand() - 3)));
  const covars = Array.from({ length: N }, () => Array.from({ length: M }, () => Array.from({ length: D }, () => 0.5 + rand())));
  const params = { startprob: Array(N).fill(1 / N), transmat, weights, means, covars };
  const truth = task.create({});
  setAll(truth, params);
  const X = new Float64Array(SEQUENCES * LENGTH * D);
  for (let i = 0; i < SEQUENCES; i++) X.set(flat(truth.sample(LENGTH, { seed: i }).X), i * LENGTH * D);
  truth.dispose();
  const start = structuredClone(params);
  start.means = start.means.map((s) => s.map((c) => c.map((v) => v + 0.5)));
  return { X, lengths: Array(SEQUENCES).fill(LENGTH), start };
}

// One round of hmmlearn on the task file: { results } or { skipped }.
function runHmmlearn(taskFile, checkOneIteration) {
  const task = JSON.parse(readFileSync(taskFile, 'utf8'));
  writeFileSync(taskFile, JSON.stringify({ ...task, checkOneIteration, profile: args.profile && checkOneIteration }));
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  if (process.env.GMMHMM_HMMLEARN_PYTHONPATH) env.PYTHONPATH = [process.env.GMMHMM_HMMLEARN_PYTHONPATH, env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  const run = spawnSync(args.python, [SCRIPT, taskFile], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.error) return { skipped: `${args.python} cannot be run (${run.error.code ?? run.error.message})` };
  const lines = run.stdout.trim().split('\n');
  if (lines[0]?.startsWith('skipped')) return { skipped: lines[0].replace(/^skipped:\s*/, '') };
  if (run.status !== 0) throw new Error(`${args.python} ${SCRIPT} failed (exit ${run.status}):\n${run.stderr}`);
  if (args.profile) process.stderr.write(run.stderr);
  return JSON.parse(lines.at(-1));
}

function runGmmhmm(task, data, checkOneIteration) {
  let scoreAfterOne = null;
  if (checkOneIteration) {
    const m1 = task.create({ nIter: 1, tol: -Infinity, initParams: '' });
    setAll(m1, data.start);
    m1.fit(data.X, { lengths: data.lengths });
    scoreAfterOne = m1.score(data.X, { lengths: data.lengths });
    m1.dispose();
  }
  const m = task.create({ nIter: ITERATIONS, tol: -Infinity, initParams: '' });
  setAll(m, data.start);
  const c0 = process.cpuUsage();
  m.fit(data.X, { lengths: data.lengths });
  const cpu = process.cpuUsage(c0);
  if (m.monitor.iterations !== ITERATIONS) throw new Error(`gmmhmm ran ${m.monitor.iterations} iterations`);
  const out = { scoreAfterOne, cpuSeconds: (cpu.user + cpu.system) / 1e6, lastLogLikelihood: m.monitor.history.at(-1), score: m.score(data.X, { lengths: data.lengths }) };
  m.dispose();
  return out;
}

const load0 = os.loadavg();
const started = new Date();
const dir = mkdtempSync(path.join(os.tmpdir(), 'gmmhmm-hmmlearn-'));
const rows = [];
let hmmlearnVersion = null, skipped = null;
try {
  for (const name of args.families.split(',')) {
    const task = TASKS[name];
    if (!task) throw new Error(`unknown family ${name} (known: ${Object.keys(TASKS).join(', ')})`);
    for (const [family, needed] of [['poisson', 'PoissonHMM'], ['gaussian', 'GaussianHMM']]) {
      if (name === family && typeof g[needed] !== 'function') rows.push({ task, missing: `the package has no ${needed}` });
    }
    if (rows.at(-1)?.task === task) continue;
    const data = task.make();
    const xFile = path.join(dir, `${name}.f64`);
    writeFileSync(xFile, new Uint8Array(data.X.buffer, data.X.byteOffset, data.X.byteLength));
    const hmmlearnStart = Object.fromEntries(Object.entries(data.hmmlearnStart ?? data.start).filter(([, v]) => v !== undefined).map(([k, v]) => [k, plain(v)]));
    const taskFile = path.join(dir, `${name}.json`);
    writeFileSync(taskFile, JSON.stringify({
      kind: task.hmmlearnKind ?? name, nStates: task.nStates, nMix: task.nMix, nFeatures: task.nFeatures, lengths: data.lengths, xFile,
      iterations: ITERATIONS, rounds: 1, implementations: IMPLEMENTATIONS, start: hmmlearnStart, gaussianCovarsPrior: task.gaussianCovarsPrior,
    }));
    const frames = data.lengths.reduce((a, b) => a + b, 0);
    const row = { task, frames, ours: null, theirs: null };
    for (let r = 0; r < ROUNDS; r++) {
      if (!skipped) {
        const h = runHmmlearn(taskFile, r === 0);
        if (h.skipped) skipped = h.skipped;
        else {
          hmmlearnVersion = `hmmlearn ${h.hmmlearn}, numpy ${h.numpy}`;
          row.theirs ??= h.results.map((x) => ({ ...x, cpuSeconds: Infinity }));
          h.results.forEach((x, i) => { row.theirs[i].cpuSeconds = Math.min(row.theirs[i].cpuSeconds, x.cpuSeconds); });
        }
      }
      const o = runGmmhmm(task, data, r === 0);
      row.ours = { ...(row.ours ?? o), cpuSeconds: Math.min(row.ours?.cpuSeconds ?? Infinity, o.cpuSeconds) };
    }
    rows.push(row);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const rate = (frames, s) => (frames * ITERATIONS) / s;
const k = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : `${(v / 1e3).toFixed(1)} k`);
console.log(`gmmhmm (wasm ${g.variant}) against ${hmmlearnVersion ?? 'hmmlearn (skipped)'}: ${ITERATIONS} EM iterations from the same ` +
  `starting parameters, best of ${ROUNDS} rounds in CPU time; ${started.toISOString()}, load ${load0.map((v) => v.toFixed(2)).join(' ')} ` +
  `at the start, ${os.loadavg().map((v) => v.toFixed(2)).join(' ')} at the end; ${os.cpus()[0]?.model ?? ''}`);
if (skipped) console.log(`hmmlearn skipped: ${skipped}`);
console.log('');
console.log(`| family | shape | hmmlearn log | hmmlearn scaling | gmmhmm wasm ${g.variant} | ratio to the faster hmmlearn |`);
console.log('|---|---|---|---|---|---|');
const checks = [];
for (const row of rows) {
  if (row.missing) { console.log(`| ${row.task.family} | ${row.task.shape} | — | — | — (${row.missing}) | — |`); continue; }
  const ours = rate(row.frames, row.ours.cpuSeconds);
  const theirs = row.theirs?.map((x) => rate(row.frames, x.cpuSeconds));
  const cells = theirs ? theirs.map((v, i) => `${k(v)} (${(row.theirs[i].cpuSeconds / ITERATIONS * 1000).toFixed(0)} ms/it)`) : ['skipped', 'skipped'];
  const ratio = theirs ? `×${(ours / Math.max(...theirs)).toFixed(1)} (to log, hmmlearn's default: ×${(ours / theirs[0]).toFixed(1)})` : '—';
  console.log(`| ${row.task.family} | ${row.task.shape} | ${cells.join(' | ')} | ${k(ours)} (${(row.ours.cpuSeconds / ITERATIONS * 1000).toFixed(1)} ms/it) | ${ratio} |`);
  const fmt = (x) => `after 1 iteration ${x.scoreAfterOne.toFixed(4)}; after ${ITERATIONS}: last E-step ${x.lastLogLikelihood.toFixed(4)}, score ${x.score.toFixed(4)}`;
  const rel = (a, b) => ((a - b) / Math.abs(b)).toExponential(1);
  checks.push(`${row.task.family}: gmmhmm ${fmt(row.ours)}` + (row.theirs ? row.theirs.map((x) => `; hmmlearn ${x.implementation} ${fmt(x)}` +
    ` (relative differences of the scores after 1 and ${ITERATIONS}: ${rel(row.ours.scoreAfterOne, x.scoreAfterOne)}, ${rel(row.ours.score, x.score)})`).join('') : ''));
}
console.log('\n(frame-iterations / s: frames × EM iterations / CPU seconds of the fit)\n\nLog-likelihoods:');
for (const c of checks) console.log(`- ${c}`);
