// Two builds of the package in one process, alternating call by call (a benchmark, not a
// test): for a small speed difference on a busy machine, where bench/build-compare.js (one
// process per build, in turns) sees the load change between runs. Measures the paths a size
// change of docs/size.md touched: a fit with k-means initialisation (nInit 1 and 10) and
// stationaryDistribution(). Prints median and fastest time of each build and the ratios
// (second / first).
//
//   node bench/alternate-compare.js [--rounds N] <entry.js> <entry.js>
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const at = args.indexOf('--rounds');
const rounds = at >= 0 ? Number(args.splice(at, 2)[1]) : 7;
if (args.length !== 2 || !(rounds >= 1)) {
  console.error('usage: node bench/alternate-compare.js [--rounds N] <entry.js> <entry.js>');
  process.exit(2);
}
const builds = [];
for (const entry of args) {
  const { load } = await import(pathToFileURL(path.resolve(entry)).href);
  builds.push(await load({ variant: 'simd' }));
}
const N = 8, M = 4, D = 39, S = 100, L = 300;
let seed = 42;
const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const X = new Float64Array(S * L * D).map(() => 6 * rnd() - 3 + (rnd() < 0.5 ? 2 : -2));
const lengths = Array(S).fill(L);
const kmeansFit = (nInit) => (g) => {
  const m = new g.GMMHMM({ nStates: N, nMix: M, nFeatures: D, nIter: 1, tol: 0, seed: 1, nInit });
  m.fit(X, { lengths });
  m.dispose();
};
const K = 64;
const chain = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => (i === j ? 0.5 : 0.5 / (K - 1))));
const tasks = {
  'k-means fit': kmeansFit(1),
  'k-means fit, nInit 10': kmeansFit(10),
  [`stationaryDistribution() × 200, ${K} states`]: (g) => {
    const m = new g.GMMHMM({ nStates: K, topology: 'custom' });
    m.startprob = Array(K).fill(1 / K);
    m.transmat = chain;
    for (let k = 0; k < 200; k++) m.stationaryDistribution();
    m.dispose();
  },
};
const times = Object.fromEntries(Object.keys(tasks).map((k) => [k, [[], []]]));
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of Object.entries(tasks)) {
    // Every other round the second build goes first.
    for (const i of r % 2 ? [1, 0] : [0, 1]) {
      const t = performance.now();
      run(builds[i]);
      times[name][i].push(performance.now() - t);
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`| ms (${rounds} rounds) | median | fastest | median ratio | fastest ratio |`);
console.log('|---|---|---|---:|---:|');
for (const [name, [a, b]] of Object.entries(times)) {
  const [ma, mb, fa, fb] = [median(a), median(b), Math.min(...a), Math.min(...b)];
  console.log(`| ${name} | ${ma.toFixed(0)} / ${mb.toFixed(0)} | ${fa.toFixed(0)} / ${fb.toFixed(0)} | ${(mb / ma).toFixed(2)} | ${(fb / fa).toFixed(2)} |`);
}
