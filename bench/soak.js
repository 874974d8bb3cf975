// Soak at the issue's full counts (issue 7): 100 000 classifications and 1 000 recognizer
// train/dispose cycles (plus 10 000 GMMHMM fit/dispose cycles), with the checks of
// tests/node/soak.test.js: the wasm heap in use and the JS values held by wasm identical at
// every checkpoint after a warm-up, no wasm memory growth. Prints counts, time and the result;
// exits non-zero on drift.
//   node bench/soak.js [classify=100000] [recognizerCycles=1000] [fitCycles=10000] [variant=auto]
import { load } from 'gmmhmm';
import { soakClassify, soakFit, soakRecognizerTraining, trainToyRecognizer } from '../tests/node/soak-workload.js';

const [classify = 100000, recognizerCycles = 1000, fitCycles = 10000] = process.argv.slice(2, 5).map(Number);
const variant = process.argv[5] ?? 'auto';
const g = await load({ variant });
console.log(`soak: ${g.variant} build, heap in use at start ${g.heapBytesInUse()} bytes, wasm memory ${g.memoryBytes()} bytes`);

let failed = false;
async function run(name, count, fn) {
  const start = performance.now();
  const r = await fn();
  const seconds = (performance.now() - start) / 1000;
  const ok = r.drift.length === 0 && r.memoryGrowth === 0;
  failed ||= !ok;
  console.log(`soak: ${name}: ${count} in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)}/s), ` +
    `heap ${r.drift.length ? `DRIFT ${r.drift.join('; ')}` : 'flat'}, memory growth ${r.memoryGrowth} bytes`);
}

const recognizer = await trainToyRecognizer(g);
await run('classify', classify, () => soakClassify(g, recognizer, classify));
recognizer.dispose();
await run('GMMHMM fit/dispose', fitCycles, () => soakFit(g, fitCycles));
await run('Recognizer train/dispose', recognizerCycles, () => soakRecognizerTraining(g, recognizerCycles));
console.log(`soak: heap in use at the end ${g.heapBytesInUse()} bytes, wasm memory ${g.memoryBytes()} bytes`);
process.exit(failed ? 1 : 0);
