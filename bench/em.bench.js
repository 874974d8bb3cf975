// EM throughput through the package in Node, both wasm builds (issue 2/3 benchmark task):
// an 8-state, 4-component, 39-dimensional diagonal ergodic model; 200 sequences x 500
// frames sampled from it; 10 Baum-Welch iterations from fixed parameters (initParams '',
// tol 0 so all 10 run). Prints frames x iterations / s (best of 3) and scoring frames / s.
//
//   node bench/em.bench.js            (after npm run build; also runs build/native/bench_em)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from 'gmmhmm';

const N = 8, M = 4, D = 39, SEQUENCES = 200, LENGTH = 500, ITERATIONS = 10;

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

async function run(variant) {
  const gmmhmm = await load({ variant });
  const { GMMHMM } = gmmhmm;
  const truth = new GMMHMM({ nStates: N, nMix: M, nFeatures: D });
  const params = truthParameters();
  setParameters(truth, params);
  const sequences = [];
  for (let i = 0; i < SEQUENCES; i++) sequences.push(truth.sample(LENGTH, { seed: i }).X);
  const X = new Float64Array(SEQUENCES * LENGTH * D);
  sequences.forEach((seq, i) => seq.forEach((row, t) => X.set(row, (i * LENGTH + t) * D)));
  const lengths = Array(SEQUENCES).fill(LENGTH);
  // Start from perturbed parameters so that EM has work to do.
  const start = structuredClone(params);
  start.means = start.means.map((s) => s.map((c) => c.map((v) => v + 0.5)));
  let bestFit = Infinity;
  for (let r = 0; r < 3; r++) {
    const model = new GMMHMM({ nStates: N, nMix: M, nFeatures: D, nIter: ITERATIONS, tol: 0, initParams: '' });
    setParameters(model, start);
    const t0 = performance.now();
    model.fit(X, { lengths });
    bestFit = Math.min(bestFit, performance.now() - t0);
    if (model.monitor.iterations !== ITERATIONS) throw new Error(`ran ${model.monitor.iterations} iterations`);
    model.dispose();
  }
  let bestScore = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    truth.score(X, { lengths });
    bestScore = Math.min(bestScore, performance.now() - t0);
  }
  truth.dispose();
  const frames = SEQUENCES * LENGTH;
  console.log(`wasm ${variant.padEnd(6)}  EM ${((frames * ITERATIONS) / (bestFit / 1000) / 1e6).toFixed(2)} M frame-iterations/s` +
    ` (${(bestFit / 1000).toFixed(2)} s for ${ITERATIONS} iterations)   score ${(frames / (bestScore / 1000) / 1e6).toFixed(2)} M frames/s`);
}

console.log(`EM benchmark: ${N} states x ${M} components x ${D} dims (diag), ${SEQUENCES} x ${LENGTH} frames, ${ITERATIONS} iterations`);
await run('simd');
await run('nosimd');
// The native figure, side by side (the same task in bench/bench_em.cpp).
const native = fileURLToPath(new URL('../build/native/bench_em', import.meta.url));
if (existsSync(native)) {
  process.stdout.write(`native (build/native/bench_em):\n${execFileSync(native, ['3'], { encoding: 'utf8' })}`);
} else {
  console.log('native: build/native/bench_em not built (npm run build)');
}
