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
import { timeFits } from './chain-fit-timing.js';

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

await timeFits({
  g,
  create: (o) => new g.PoissonHMM({ nStates: N, nFeatures: FEATURES, ...o }),
  start, X, lengths, rounds: Number(args.rounds), iterations: ITERATIONS,
  title: `PoissonHMM ${N} states x ${FEATURES} features, ${SEQUENCES} x ${LENGTH} frames (${g.variant})`,
});
