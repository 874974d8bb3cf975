// PoissonHMM EM throughput through the package in Node, the shape of categorical.bench.js
// with frames of counts: a 10-state model over 20 features (rates 0.5-20), 100 sequences x
// 1,000 frames sampled from a random model, 10 Baum-Welch iterations from fixed parameters
// (initParams '', tol -Infinity so that all 10 run). Prints frames x iterations / s (best of
// `rounds`, in CPU time of this process and on the wall clock) for the build load() picks.
//
//   node bench/poisson.bench.js [--rounds 3] [--variant simd|nosimd] [--module <a checkout>/web/index.js]
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const N = 10, FEATURES = 20, SEQUENCES = 100, LENGTH = 1000, ITERATIONS = 10;
const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, variant: { type: 'string', default: 'auto' }, module: { type: 'string' } },
});
const { load } = await import(args.module ? pathToFileURL(path.resolve(args.module)).href : 'gmmhmm');

function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const normalised = (row) => { const sum = row.reduce((a, b) => a + b, 0); return row.map((v) => v / sum); };

const g = await load({ variant: args.variant });
const rand = lcg(7);
const rates = () => Array.from({ length: N }, () => Array.from({ length: FEATURES }, () => 0.5 + 19.5 * rand()));
const truth = new g.PoissonHMM({ nStates: N, nFeatures: FEATURES });
truth.transmat = Array.from({ length: N }, (_, i) => normalised(Array.from({ length: N }, (_, j) => (i === j ? 20 : rand()))));
truth.lambdas = rates();
const { X } = truth.sample(SEQUENCES * LENGTH, { seed: 1 });
const lengths = Array(SEQUENCES).fill(LENGTH);
const start = { startprob: truth.startprob, transmat: truth.transmat, lambdas: rates() };
truth.dispose();

let bestCpu = Infinity, bestWall = Infinity;
for (let r = 0; r < Number(args.rounds); r++) {
  const m = new g.PoissonHMM({ nStates: N, nFeatures: FEATURES, initParams: '', tol: -Infinity, nIter: ITERATIONS });
  for (const [name, value] of Object.entries(start)) m[name] = value;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  m.fit(X, lengths);
  const cpu = process.cpuUsage(cpu0);
  bestWall = Math.min(bestWall, (performance.now() - wall0) / 1000);
  bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e6);
  if (m.monitor.iterations !== ITERATIONS) throw new Error(`ran ${m.monitor.iterations} iterations`);
  m.dispose();
}
const work = SEQUENCES * LENGTH * ITERATIONS;
console.log(`PoissonHMM ${N} states x ${FEATURES} features, ${SEQUENCES} x ${LENGTH} frames, ${ITERATIONS} EM iterations (${g.variant}):`);
console.log(`  ${(work / bestCpu / 1e6).toFixed(2)} M frame-iterations / s CPU (${bestCpu.toFixed(3)} s), ${(work / bestWall / 1e6).toFixed(2)} M / s wall (${bestWall.toFixed(3)} s)`);
