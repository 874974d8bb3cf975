// CategoricalHMM EM throughput through the package in Node (issue 19's task: Categorical with
// 1,000 symbols): a 10-state model over 1,000 symbols, 100 sequences x 1,000 frames sampled
// from a random model, 10 Baum-Welch iterations from fixed parameters (initParams '', tol
// -Infinity so that all 10 run). Prints frames x iterations / s (best of `rounds`, in CPU time
// of this process and on the wall clock) for the build load() picks, then fitAsync with 2 Workers (wall).
//
//   node bench/categorical.bench.js [--rounds 3] [--variant simd|nosimd] [--module <a checkout>/web/index.js]
// (--module: another build of the package, e.g. a copy before a change, for side-by-side runs.)
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { timeFits } from './chain-fit-timing.js';

const N = 10, SYMBOLS = 1000, SEQUENCES = 100, LENGTH = 1000, ITERATIONS = 10;
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
const truth = new g.CategoricalHMM({ nStates: N, nFeatures: SYMBOLS });
truth.transmat = Array.from({ length: N }, (_, i) => normalised(Array.from({ length: N }, (_, j) => (i === j ? 20 : rand()))));
truth.emissionprob = Array.from({ length: N }, () => normalised(Array.from({ length: SYMBOLS }, () => rand() ** 4)));
const { X } = truth.sample(SEQUENCES * LENGTH, { seed: 1 });
const lengths = Array(SEQUENCES).fill(LENGTH);
const start = { startprob: truth.startprob, transmat: truth.transmat,
  emissionprob: Array.from({ length: N }, () => normalised(Array.from({ length: SYMBOLS }, () => rand() + 0.1))) };
truth.dispose();

await timeFits({
  g,
  create: (o) => new g.CategoricalHMM({ nStates: N, nFeatures: SYMBOLS, ...o }),
  start, X, lengths, rounds: Number(args.rounds), iterations: ITERATIONS,
  title: `CategoricalHMM ${N} states x ${SYMBOLS} symbols, ${SEQUENCES} x ${LENGTH} frames (${g.variant})`,
});
