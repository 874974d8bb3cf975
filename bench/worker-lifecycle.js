// What training leaves behind (issue 13, "Workers and listeners"): OS threads and RSS after
// each load() + train({ workers: 2 }) + dispose() cycle, and the abort listeners and JS heap
// that trainings with one reused AbortSignal keep. Results: docs/workers-and-labels.md.
//   node --expose-gc bench/worker-lifecycle.js [path to a checkout, default: this one]
// (Linux: threads are counted in /proc/self/task.)
import fs from 'node:fs';
import { getEventListeners } from 'node:events';
const root = process.argv[2] ?? new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const { load } = await import(`${root}/web/index.js`);
const threads = () => fs.readdirSync('/proc/self/task').length;
let seed = 1;
const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const word = (w, n = 60) => Array.from({ length: n }, (_, t) => Array.from({ length: 39 }, (_, d) => Math.sin(t * 0.05 * (w + 1) + d) + 0.3 * rnd()));
const settle = async () => { await new Promise((r) => setTimeout(r, 300)); globalThis.gc(); await new Promise((r) => setTimeout(r, 50)); globalThis.gc(); };
const mb = (x) => (x / 1e6).toFixed(1);
const rows = [];
for (let cycle = 0; cycle <= 20; cycle++) {
  const api = await load();
  const rec = new api.Recognizer({ workers: 2 });
  for (let w = 0; w < 3; w++) for (let i = 0; i < 3; i++) rec.addFeatures(`w${w}`, word(w, 30));
  await rec.train();
  rec.dispose();
  await settle();
  rows.push({ cycle, threads: threads(), rss: process.memoryUsage().rss });
}
const first = rows[0], last = rows.at(-1), n = last.cycle - first.cycle;
console.log(`load+train+dispose: threads ${first.threads} -> ${last.threads} (${((last.threads - first.threads) / n).toFixed(2)}/cycle), RSS ${mb(first.rss)} -> ${mb(last.rss)} MB (${mb((last.rss - first.rss) / n)} MB/cycle) over ${n} cycles`);

// One reused AbortSignal, 200 utterances (10 words x 20), 8 trainings in this thread.
const api = await load();
const rec = new api.Recognizer({ workers: 2, word: { nIter: 2, calibrationFolds: 0 }, background: { nIter: 2 } });
for (let w = 0; w < 10; w++) for (let i = 0; i < 20; i++) rec.addFeatures(`w${w}`, word(w));
const controller = new AbortController();
let warnings = 0;
process.on('warning', (w) => { if (w.name === 'MaxListenersExceededWarning') warnings++; });
await rec.train({ signal: controller.signal });
await settle();
const heap0 = process.memoryUsage().heapUsed;
for (let k = 0; k < 8; k++) await rec.train({ signal: controller.signal });
await settle();
const heap1 = process.memoryUsage().heapUsed;
console.log(`reused signal, 200 utterances, 8 more trainings (2 workers): ${getEventListeners(controller.signal, 'abort').length} abort listeners left, JS heap ${mb((heap1 - heap0) / 8)} MB/training, MaxListenersExceededWarning x${warnings}`);
rec.dispose();
await api.terminateWorkers?.();
