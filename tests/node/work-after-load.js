// Run by event-loop.test.js in a child Node: load(), then enough JavaScript and wasm work at
// once (fits, a recognizer's training in this thread) for V8 to optimise code concurrently.
// Prints one letter per step, so that a parent can tell where it stopped. It ends with
// process.exit(): when its event loop runs dry at the natural end, Node drains V8's background
// tasks once more and the same deadlock can strike there (rarely, and out of the package's
// reach: nodejs/node#54918); this program is about the wait at load().
import { load } from 'gmmhmm';

const RATE = 16000;
const tone = (f0, seconds) => Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => {
  const t = i / RATE;
  return Math.sin(Math.PI * t / seconds) ** 2 * (0.6 + 0.4 * Math.sin(6 * Math.PI * t)) * 0.3 * Math.sin(2 * Math.PI * f0 * (1 + 0.2 * t) * t);
});
const X = Array.from({ length: 40 }, (_, t) => [Math.sin(t / 3) * 2, Math.cos(t / 5) + 0.1 * t]);

process.stdout.write('l');
const g = await load();
process.stdout.write('f');
new g.GMMHMM({ nStates: 2, seed: 1 }).fit(X);
new g.GMMHMM({ nStates: 3, topology: 'left-right', seed: 1 }).fit(X);
process.stdout.write('t');
const r = new g.Recognizer({ workers: 0 });
for (const [label, f0] of [['low', 250], ['high', 900]]) {
  for (let k = 0; k < 3; k++) r.addExample(label, tone(f0 * (1 + 0.03 * k), 0.45 + 0.05 * k), RATE);
}
await r.train();
r.dispose();
process.stdout.write('.\n');
process.exit(0);
