// How long fitAsync() keeps the calling thread (a page's main thread) from running anything
// else, with the initialisation a user's first fit has (k-means, nInit 1 and the default 10),
// against fit(): the longest stretch between two turns of the event loop (a 1 ms interval
// timer), and the call's wall time. The task of bench/em.bench.js (8 states x 4 components x
// 39 dims diag, 200 x 500 frames) with 3 EM iterations. For one or more builds side by side
// (e.g. a checkout before the initialisation moved to a Worker). GaussianHMM (8 states, diag,
// hmmlearn's k-means of the means) on the same frames too.
//   node bench/fit-async-blocking.js [rounds] [<checkout>/web/index.js ...]   (default: 3, this one)
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.argv[2] ?? 3);
const builds = process.argv.length > 3 ? process.argv.slice(3) : [path.join(ROOT, 'web/index.js')];
const N = 8, M = 4, D = 39, SEQUENCES = 200, LENGTH = 500;

function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

// Frames from a random 8-state model (the package samples them).
function task(g) {
  const rand = lcg(42);
  const normalised = (row) => row.map((v) => v / row.reduce((a, b) => a + b, 0));
  const truth = new g.GMMHMM({ nStates: N, nMix: M, nFeatures: D });
  truth.startprob = Array(N).fill(1 / N);
  truth.transmat = Array.from({ length: N }, (_, i) => normalised(Array.from({ length: N }, (_, j) => (i === j ? 8 : rand() + 0.1))));
  truth.weights = Array.from({ length: N }, () => normalised(Array.from({ length: M }, () => rand() + 0.5)));
  truth.means = Array.from({ length: N }, () => Array.from({ length: M }, () => Array.from({ length: D }, () => 6 * rand() - 3)));
  truth.covars = Array.from({ length: N }, () => Array.from({ length: M }, () => Array.from({ length: D }, () => 0.5 + rand())));
  const X = new Float64Array(SEQUENCES * LENGTH * D);
  for (let i = 0; i < SEQUENCES; i++) truth.sample(LENGTH, { seed: i }).X.forEach((row, t) => X.set(row, (i * LENGTH + t) * D));
  truth.dispose();
  return { X, lengths: Array(SEQUENCES).fill(LENGTH) };
}

// The call's wall time and the longest gap between two ticks of a 1 ms timer during it.
async function timed(call) {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const t0 = performance.now();
  await call();
  const wall = performance.now() - t0;
  clearInterval(timer);
  longest = Math.max(longest, performance.now() - last);
  return { wall, longest };
}

const VARIANTS = [
  { name: 'fit()', nInit: 10, run: (m, X, lengths) => m.fit(X, { lengths }) },
  { name: 'fitAsync, 2 workers, nInit 1', nInit: 1, run: (m, X, lengths) => m.fitAsync(X, { lengths, workers: 2 }) },
  { name: 'fitAsync, 2 workers, nInit 10', nInit: 10, run: (m, X, lengths) => m.fitAsync(X, { lengths, workers: 2 }) },
  { name: 'fitAsync, 0 workers, nInit 10', nInit: 10, run: (m, X, lengths) => m.fitAsync(X, { lengths, workers: 0 }) },
  { name: 'GaussianHMM fit()', model: 'GaussianHMM', nInit: 10, run: (m, X, lengths) => m.fit(X, { lengths }) },
  { name: 'GaussianHMM fitAsync, 2 workers', model: 'GaussianHMM', nInit: 10, run: (m, X, lengths) => m.fitAsync(X, { lengths, workers: 2 }) },
];
const make = (g, v) => (v.model === 'GaussianHMM'
  ? new g.GaussianHMM({ nStates: N, nFeatures: D, nIter: 3, tol: -Infinity, nInit: v.nInit })
  : new g.GMMHMM({ nStates: N, nMix: M, nFeatures: D, nIter: 3, tol: -Infinity, nInit: v.nInit }));

const loaded = [];
for (const build of builds) {
  const { load } = await import(pathToFileURL(build).href);
  const g = await load();
  await g.GMMHMM.prepareWorkers({ workers: 2 });
  loaded.push({ build, g, data: task(g), best: VARIANTS.map(() => ({ wall: Infinity, longest: Infinity })), keep: [] });
}
for (let r = 0; r < rounds; r++) {
  for (const b of loaded) {
    VARIANTS.forEach((v, i) => {
      b.pending = (b.pending ?? Promise.resolve()).then(async () => {
        const m = make(b.g, v);
        const t = await timed(() => v.run(m, b.data.X, b.data.lengths));
        b.best[i] = { wall: Math.min(b.best[i].wall, t.wall), longest: Math.min(b.best[i].longest, t.longest) };
        b.keep.push(m);  // the Workers stay warm while a model that used them lives
      });
    });
    await b.pending;
  }
}
console.log(`fitAsync and the event loop: ${N} states x ${M} components x ${D} dims diag, ${SEQUENCES} x ${LENGTH} frames, k-means initialisation, 3 iterations, best of ${rounds}`);
for (const b of loaded) {
  console.log(b.build);
  VARIANTS.forEach((v, i) => {
    console.log(`  ${v.name.padEnd(32)} wall ${b.best[i].wall.toFixed(0).padStart(6)} ms   longest event-loop block ${b.best[i].longest.toFixed(0).padStart(6)} ms`);
  });
  for (const m of b.keep) m.dispose();
}
process.exit(0);
