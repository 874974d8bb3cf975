// fit() against fitAsync() with 1 and 2 warm Workers on the issue-18 task (8 states x 4
// components x 39 dims diag, 200 x 500 frames, 10 iterations from fixed parameters), for one
// or more builds of the package side by side, rounds interleaved so that a busy machine slows
// each alike. Wall clock (the Workers' time only shows there) and the process CPU time (all
// threads: what fitAsync costs beyond fit in total). Checks that every variant ends on the
// same log-likelihood as fit().
// On Linux also the critical path in CPU time, for a machine too busy for the wall clock to
// show parallelism: the CPU time of this (the main) thread plus that of the busiest other
// thread (a Worker), from /proc/self/task (10 ms ticks). It bounds what the call would take
// on an otherwise idle machine with a core per thread from above (the Workers' set-up partly
// overlaps the main thread's), and with fit() the main thread alone is the path.
//   node bench/fit-async-compare.js [rounds] [<checkout>/web/index.js ...]   (default: 5, this one)
//   FIT_ASYNC_VARIANTS=fit,async1,async2,async4,async2cold chooses the variants.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadTicks, TICK_MS } from './thread-ticks.js';


const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.argv[2] ?? 5);
const builds = process.argv.length > 3 ? process.argv.slice(3) : [path.join(ROOT, 'web/index.js')];
const N = 8, M = 4, D = 39, SEQUENCES = 200, LENGTH = 500, ITERATIONS = 10;

function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
// The parameters of bench/em.bench.js (same generator, same order of draws).
const rand = lcg(42);
const normalised = (row) => row.map((v) => v / row.reduce((a, b) => a + b, 0));
const truth = {
  startprob: Array(N).fill(1 / N),
  transmat: Array.from({ length: N }, (_, i) => normalised(Array.from({ length: N }, (_, j) => (i === j ? 8 : rand() + 0.1)))),
  weights: Array.from({ length: N }, () => normalised(Array.from({ length: M }, () => rand() + 0.5))),
  means: Array.from({ length: N }, () => Array.from({ length: M }, () => Array.from({ length: D }, () => 6 * rand() - 3))),
  covars: Array.from({ length: N }, () => Array.from({ length: M }, () => Array.from({ length: D }, () => 0.5 + rand()))),
};
const start = structuredClone(truth);
start.means = start.means.map((s) => s.map((c) => c.map((v) => v + 0.5)));
const setParameters = (model, p) => { for (const [name, value] of Object.entries(p)) model[name] = value; };
const lengths = Array(SEQUENCES).fill(LENGTH);

const variants = {
  fit: (m, X) => m.fit(X, { lengths }),
  async1: (m, X) => m.fitAsync(X, { lengths, workers: 1 }),
  async2: (m, X) => m.fitAsync(X, { lengths, workers: 2 }),
  async4: (m, X) => m.fitAsync(X, { lengths, workers: 4 }),
  // 2 Workers that the call itself starts (the pool's Workers were ended before it, untimed):
  // what a model created, fitted and disposed each time pays.
  async2cold: (m, X) => m.fitAsync(X, { lengths, workers: 2 }),
};
const cold = (v) => v.endsWith('cold');
const chosen = (process.env.FIT_ASYNC_VARIANTS ?? 'fit,async1,async2').split(',');

let X = null;
const runs = [];
for (const build of builds) {
  const { load } = await import(pathToFileURL(path.resolve(build)).href);
  const api = await load({ variant: 'simd' });
  if (!X) {
    const model = new api.GMMHMM({ nStates: N, nMix: M, nFeatures: D });
    setParameters(model, truth);
    X = new Float64Array(SEQUENCES * LENGTH * D);
    for (let i = 0; i < SEQUENCES; i++) model.sample(LENGTH, { seed: i }).X.forEach((row, t) => X.set(row, (i * LENGTH + t) * D));
    model.dispose();
  }
  await api.GMMHMM.prepareWorkers({ workers: 4 });
  // Models that used the Workers are kept to the end: disposing the last one ends them.
  runs.push({ build, api, kept: [], times: Object.fromEntries(chosen.map((v) => [v, []])) });
}
for (let r = 0; r < rounds; r++) {
  for (const run of runs) {
    let reference;
    for (const v of chosen) {
      if (cold(v)) {
        for (const m of run.kept.splice(0)) m.dispose();
        await run.api.terminateWorkers();
      }
      const model = new run.api.GMMHMM({ nStates: N, nMix: M, nFeatures: D, nIter: ITERATIONS, tol: 0, initParams: '' });
      setParameters(model, start);
      const ticks0 = threadTicks();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await variants[v](model, X);
      const cpu = process.cpuUsage(c0);
      const ticks1 = threadTicks();
      let path = NaN;
      if (ticks0 && ticks1) {
        let main = 0, busiest = 0;
        for (const [tid, t] of ticks1) {
          const used = t - (ticks0.get(tid) ?? 0);
          if (tid === process.pid) main = used;
          else busiest = Math.max(busiest, used);
        }
        path = (main + (v === 'fit' ? 0 : busiest)) * TICK_MS;
        if (process.env.FIT_ASYNC_THREADS) console.log(`${run.build} ${v}: main thread ${main * TICK_MS} ms, busiest other ${busiest * TICK_MS} ms CPU`);
      }
      run.times[v].push({ wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000, path });
      const ll = model.monitor.history.at(-1);
      reference ??= ll;
      if (ll !== reference) throw new Error(`${run.build} ${v}: log-likelihood ${ll}, fit() gave ${reference}`);
      run.kept.push(model);
      if (cold(v)) await run.api.GMMHMM.prepareWorkers({ workers: 4 });
    }
  }
}
for (const run of runs) {
  console.log(run.build);
  const best = (v, key) => Math.min(...run.times[v].map((t) => t[key]));
  for (const v of chosen) {
    console.log(`  ${v.padEnd(7)} best ${best(v, 'wall').toFixed(0)} ms wall (x${(best(chosen[0], 'wall') / best(v, 'wall')).toFixed(2)}), ` +
      `CPU all threads ${best(v, 'cpu').toFixed(0)} ms, critical path ${best(v, 'path').toFixed(0)} ms CPU (x${(best(chosen[0], 'path') / best(v, 'path')).toFixed(2)}); ` +
      `rounds ${run.times[v].map((t) => t.wall.toFixed(0)).join(' ')}`);
  }
  for (const m of run.kept) m.dispose();
  await run.api.terminateWorkers();
}
