// Time to train the 10 FSDD digit models on the official split's 2,250 utterances (train()
// after addExample(), warm workers: a Recognizer kept alive holds the pool), for one or more
// builds of the package side by side, rounds interleaved so that a busy machine slows each
// alike. Prints each round's wall-clock time and the process CPU time (all threads), and on
// Linux the critical path in CPU time: this (the main) thread's CPU time plus the busiest
// other thread's (a worker), from /proc/self/task (10 ms ticks) -- what bounds the training
// on an otherwise idle machine with a core per thread, when the wall clock is disturbed.
//   node bench/fsdd-train-time.js [rounds] [<checkout>/web/index.js ...]   (default: 3, this one)
// GMMHMM_SHARED_DIR overrides the data folder (default ../shared).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readAll } from './speech-data.js';
import { threadTicks, TICK_MS } from './thread-ticks.js';
const TICK_S = TICK_MS / 1000;


const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.GMMHMM_SHARED_DIR ?? path.resolve(ROOT, '../shared');
const rounds = Number(process.argv[2] ?? 3);
const builds = process.argv.length > 3 ? process.argv.slice(3) : [path.join(ROOT, 'web/index.js')];
const { fsdd } = await readAll(path.join(SHARED, 'data/fsdd/recordings'), path.join(SHARED, 'data/fruits/audio'));
const train = fsdd.filter((u) => u.index >= 5);

const runs = [];
for (const build of builds) {
  const { load } = await import(pathToFileURL(path.resolve(build)).href);
  const api = await load();
  // Keeps the load()'s workers alive between the rounds (the last Recognizer that used them
  // ends them when disposed).
  const keeper = new api.Recognizer();
  keeper.addExample('keep', train[0].samples, train[0].sampleRate);
  await api.Recognizer.prepareWorkers();
  runs.push({ build, api, keeper, times: [] });
}
for (let r = 0; r < rounds; r++) {
  for (const run of runs) {
    const rec = new run.api.Recognizer();
    for (const u of train) rec.addExample(u.label, u.samples, u.sampleRate);
    const ticks0 = threadTicks();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await rec.train();
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
      path = (main + busiest) * TICK_S;
    }
    run.times.push({ wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, path });
    rec.dispose();
  }
}
for (const run of runs) {
  const best = (key) => Math.min(...run.times.map((t) => t[key]));
  console.log(`${run.build}: best ${best('wall').toFixed(2)} s wall, critical path ${best('path').toFixed(2)} s CPU; ` +
    `rounds ${run.times.map((t) => `${t.wall.toFixed(2)} s (CPU ${t.cpu.toFixed(2)} s, path ${t.path.toFixed(2)} s)`).join(', ')}`);
  run.keeper.dispose();
  await run.api.terminateWorkers();
}
