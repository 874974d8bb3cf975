// EM throughput through the package in Node, both wasm builds (issue 2/3 benchmark task), with
// each speed lever of issue 18 side by side in one run: an 8-state, 4-component,
// 39-dimensional diagonal ergodic model; 200 sequences x 500 frames sampled from it; 10
// Baum-Welch iterations from fixed parameters (initParams '', tol 0 so all 10 run). Prints
// frames x iterations / s per E+M step (best of `rounds`, rounds interleaved so that a busy
// machine slows every variant alike) and each variant's ratio to the default, the per-call
// overhead (fit with nIter 0), and scoring and decoding frames / s (score, predict,
// predictProba), each in CPU time and on the wall clock.
// One-thread variants are timed in CPU time of this process (process.cpuUsage: the idle
// Workers add nothing), which other programs on the machine disturb far less than the clock
// on the wall; Worker variants can only be timed on the wall clock (their ratios need a quiet
// machine).
//
//   node bench/em.bench.js [--rounds 3] [--builds simd,nosimd,native] [--before <another checkout>/web/index.js] [--calls-only]
//     (after npm run build; native runs build/native/bench_em; --calls-only: the per-call
//     overhead and the scoring passes alone, without the EM variants)
// --before adds the same task run by another build of the package (e.g. the commit before
// issue 18), side by side.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { load } from 'gmmhmm';

const N = 8, M = 4, D = 39, SEQUENCES = 200, LENGTH = 500, ITERATIONS = 10;
const TUNING = Symbol.for('gmmhmm.tuning');

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, builds: { type: 'string', default: 'simd,nosimd,native' }, before: { type: 'string' }, 'calls-only': { type: 'boolean', default: false } },
});
const rounds = Number(args.rounds);
const builds = args.builds.split(',');

function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function truthParameters() {
  const rand = lcg(42);
  const transmat = Array.from({ length: N }, (_, i) => {
    const row = Array.from({ length: N }, (_, j) => (i === j ? 8 : rand() + 0.1));
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => v / sum);
  });
  const weights = Array.from({ length: N }, () => {
    const w = Array.from({ length: M }, () => rand() + 0.5);
    const sum = w.reduce((a, b) => a + b, 0);
    return w.map((v) => v / sum);
  });
  const means = Array.from({ length: N }, () => Array.from({ length: M }, () => Array.from({ length: D }, () => 6 * rand() - 3)));
  const covars = Array.from({ length: N }, () => Array.from({ length: M }, () => Array.from({ length: D }, () => 0.5 + rand())));
  return { startprob: Array(N).fill(1 / N), transmat, weights, means, covars };
}

function setParameters(model, p) {
  for (const [name, value] of Object.entries(p)) model[name] = value;
}

// The task's data (sampled by the package itself) and perturbed starting parameters.
function task(gmmhmm) {
  const params = truthParameters();
  const truth = new gmmhmm.GMMHMM({ nStates: N, nMix: M, nFeatures: D });
  setParameters(truth, params);
  const X = new Float64Array(SEQUENCES * LENGTH * D);
  for (let i = 0; i < SEQUENCES; i++) truth.sample(LENGTH, { seed: i }).X.forEach((row, t) => X.set(row, (i * LENGTH + t) * D));
  const start = structuredClone(params);
  start.means = start.means.map((s) => s.map((c) => c.map((v) => v + 0.5)));
  return { truth, X, lengths: Array(SEQUENCES).fill(LENGTH), start };
}

// A variant: { name, fit(gmmhmm, model, X, lengths) -> Promise|void, tuning? }.
function fitVariants(hasNew) {
  const sync = (extra = {}) => (g, m, X, lengths) => m.fit(X, { lengths, ...extra });
  if (!hasNew) return [{ name: 'fit', run: sync(), cpu: true }];
  const async = (workers, extra = {}) => (g, m, X, lengths) => m.fitAsync(X, { lengths, workers, ...extra });
  return [
    { name: 'fit, float64 (default)', run: sync(), cpu: true },
    { name: 'fit, float64, Eigen\'s exp/log', run: sync(), tuning: { ownExp: false }, cpu: true },
    { name: 'fit, float64, state log-likelihoods, then scaled', run: sync(), tuning: { fuseScaling: false }, cpu: true },
    { name: 'fit, float64, [x, x²] per group and iteration', run: sync(), tuning: { cacheTiles: false }, cpu: true },
    { name: 'fit, float32', run: sync({ precision: 'float32' }), cpu: true },
    { name: 'fit, float64 (wall clock)', run: sync() },
    { name: 'fitAsync, float64, 1 worker', run: async(1) },
    { name: 'fitAsync, float64, 2 workers', run: async(2) },
    { name: 'fitAsync, float64, 4 workers', run: async(4) },
    { name: 'fitAsync, float32, 2 workers', run: async(2, { precision: 'float32' }) },
    // The Workers started by the call itself (what a model that is created, fitted and
    // disposed each time pays: the pool ends its Workers when their last user is disposed).
    { name: 'fitAsync, float64, 2 workers, started per call', run: async(2), cold: true },
  ];
}

async function measure(label, gmmhmm, hasNew) {
  const { truth, X, lengths, start } = task(gmmhmm);
  const variants = (args['calls-only'] ? [] : fitVariants(hasNew)).map((v) => ({ ...v, best: Infinity, logLikelihood: NaN }));
  // Per-call work: the best of `rounds`, in CPU time of this process and on the wall clock.
  const calls = ['fit, nIter 0', 'score', 'predict', 'predictProba'].map((name) => ({ name, cpu: Infinity, wall: Infinity }));
  const timeCall = (i, fn) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    fn();
    const cpu = process.cpuUsage(c0);
    calls[i].cpu = Math.min(calls[i].cpu, (cpu.user + cpu.system) / 1000);
    calls[i].wall = Math.min(calls[i].wall, performance.now() - t0);
  };
  // Warm Workers, as an application that keeps its models would have them. The pool ends its
  // Workers when the last model that used them is disposed, so the models of the Worker
  // variants are kept until the end (disposing each one would time the Workers' start-up in
  // every call: the 'started per call' variant).
  const keep = [];
  const warm = () => gmmhmm.GMMHMM.prepareWorkers({ workers: 4 });
  if (hasNew && variants.length > 0) await warm();
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      if (hasNew) gmmhmm[TUNING]({ ownExp: true, fuseScaling: true, cacheTiles: true, ...v.tuning });
      if (v.cold) {
        for (const m of keep.splice(0)) m.dispose();
        await gmmhmm.terminateWorkers();
      }
      const model = new gmmhmm.GMMHMM({ nStates: N, nMix: M, nFeatures: D, nIter: ITERATIONS, tol: 0, initParams: '' });
      setParameters(model, start);
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await v.run(gmmhmm, model, X, lengths);
      const cpu = process.cpuUsage(c0);
      v.best = Math.min(v.best, v.cpu ? (cpu.user + cpu.system) / 1000 : performance.now() - t0);
      if (model.monitor.iterations !== ITERATIONS) throw new Error(`ran ${model.monitor.iterations} iterations`);
      v.logLikelihood = model.monitor.history.at(-1);
      if (v.cpu) model.dispose();
      else keep.push(model);
      if (v.cold) await warm();
    }
    if (hasNew) gmmhmm[TUNING]({ ownExp: true, fuseScaling: true, cacheTiles: true });
    const model = new gmmhmm.GMMHMM({ nStates: N, nMix: M, nFeatures: D, nIter: 0, tol: 0, initParams: '' });
    setParameters(model, start);
    timeCall(0, () => model.fit(X, { lengths }));
    model.dispose();
    timeCall(1, () => truth.score(X, { lengths }));
    timeCall(2, () => truth.predict(X, { lengths }));
    timeCall(3, () => truth.predictProba(X, { lengths }));
  }
  truth.dispose();
  for (const m of keep) m.dispose();
  const frames = SEQUENCES * LENGTH;
  const rate = (ms) => (frames * ITERATIONS) / (ms / 1000) / 1e6;
  console.log(`${label}:`);
  // Ratios within one clock: CPU-timed variants to the first, wall-timed ones to the first
  // wall-timed one.
  const wallBase = variants.find((v) => !v.cpu)?.best;
  for (const v of variants) {
    const base = v.cpu ? variants[0].best : wallBase;
    console.log(`  ${v.name.padEnd(46)} ${rate(v.best).toFixed(2)} M frame-iterations/s  x${(base / v.best).toFixed(2)}` +
      `  (${(v.best / 1000).toFixed(2)} s ${v.cpu ? 'CPU' : 'wall'}; last log-likelihood ${v.logLikelihood.toPrecision(10)})`);
  }
  const [overhead, ...passes] = calls;
  console.log(`  per-call overhead (fit with nIter 0): ${overhead.cpu.toFixed(1)} ms CPU, ${overhead.wall.toFixed(1)} ms wall`);
  for (const c of passes) {
    console.log(`  ${c.name.padEnd(12)} ${(frames / c.cpu / 1000).toFixed(2)} M frames/s CPU (${c.cpu.toFixed(1)} ms), ` +
      `${(frames / c.wall / 1000).toFixed(2)} M frames/s wall (${c.wall.toFixed(1)} ms)`);
  }
  if (hasNew) await gmmhmm.terminateWorkers();
  return { fit: variants[0]?.best, calls };
}

console.log(`EM benchmark: ${N} states x ${M} components x ${D} dims (diag), ${SEQUENCES} x ${LENGTH} frames, ` +
  `${ITERATIONS} iterations, best of ${rounds}; ${os.availableParallelism?.() ?? os.cpus().length} cores`);
const before = args.before ? await import(pathToFileURL(path.resolve(args.before)).href) : null;
for (const variant of ['simd', 'nosimd'].filter((b) => builds.includes(b))) {
  const now = await measure(`wasm ${variant}`, await load({ variant }), true);
  if (before) {
    const then = await measure(`wasm ${variant}, before (${args.before})`, await before.load({ variant }), false);
    // Speed-ups against the other build, in CPU time (> 1: this checkout is faster).
    const ratios = now.calls.map((c, i) => `${c.name} x${(then.calls[i].cpu / c.cpu).toFixed(2)}`);
    if (now.fit !== undefined) ratios.unshift(`fit, float64 x${(then.fit / now.fit).toFixed(2)}`);
    console.log(`  against before (CPU time): ${ratios.join(', ')}`);
  }
}
// The native figures, side by side (the same task in bench/bench_em.cpp).
const native = fileURLToPath(new URL('../build/native/bench_em', import.meta.url));
if (!builds.includes('native')) {
  // not asked for
} else if (existsSync(native)) {
  process.stdout.write(`native (build/native/bench_em):\n${execFileSync(native, [String(rounds)], { encoding: 'utf8' })}`);
} else {
  console.log('native: build/native/bench_em not built (npm run build)');
}
