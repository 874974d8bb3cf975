// The heap after refused calls (issue 13; docs/hardening.md): model and recognizer files of
// 30 and 100 MB (an unused array of zeros, or zeros where a word's means are), a fit refused
// as too large, a fit refused for its memory. Every case runs in a fresh module (the wasm
// memory never shrinks), printing the outcome, the heap in use and the wasm memory before and
// after, and whether mfcc() still works.
//   node bench/heap-limits.js            (all cases, one child process each)
//   node bench/heap-limits.js <case>     (one case: see CASES)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load } from 'gmmhmm';

const MiB = (bytes) => (bytes / 1048576).toFixed(1);

// A valid file of about `megabytes` MB: `document` plus zeros in a member no reader uses, or
// in place of (the first word's) means.
function padded(document, megabytes, where) {
  const copy = structuredClone(document);
  if (where === 'means') (copy.words ? copy.words[0].model : copy).means = 0;
  const text = JSON.stringify(copy);
  const zeros = Math.floor((megabytes * 1e6 - text.length) / 2);
  const array = `[${'0,'.repeat(zeros - 1)}0]`;
  return where === 'means' ? text.replace('"means":0', `"means":${array}`) : `${text.slice(0, -1)},"padding":${array}}`;
}

async function recognizerDocument(g) {
  const r = new g.Recognizer({ workers: 0 });
  for (const [label, f] of [['a', 200], ['b', 800]]) {
    for (let k = 0; k < 3; k++) {
      r.addFeatures(label, Array.from({ length: 30 }, (_, t) => Array.from({ length: 39 }, (_, d) => Math.sin(t * (d + 1) * f / 1000 + k))));
    }
  }
  await r.train();
  try { return r.toJSON(); } finally { r.dispose(); }
}

function modelDocument(g) {
  const m = new g.GMMHMM({ nStates: 2, seed: 1 }).fit(Array.from({ length: 40 }, (_, t) => [Math.sin(t / 3), Math.cos(t / 5)]));
  try { return m.toJSON(); } finally { m.dispose(); }
}

const file = (kind, megabytes, where = 'padding', maxMiB = undefined) => async (g) => {
  const document = kind === 'recognizer' ? await recognizerDocument(g) : modelDocument(g);
  const text = padded(document, megabytes, where);
  const options = maxMiB ? { maxBytes: maxMiB * 1048576 } : undefined;
  return () => (kind === 'recognizer' ? g.Recognizer.fromJSON(text, options) : g.GMMHMM.fromJSON(text, options)).dispose();
};

const fit = (nStates, nMix, covarianceType, nFeatures) => async (g) => {
  const X = Array.from({ length: 50 }, (_, t) => Array.from({ length: nFeatures }, (_, d) => Math.sin(t * (d + 1))));
  const model = new g.GMMHMM({ nStates, nMix, covarianceType });
  return () => model.fit(X);
};

const CASES = {
  'recognizer-100MB': file('recognizer', 100),
  'recognizer-30MB': file('recognizer', 30),
  'model-100MB': file('model', 100),
  'model-30MB': file('model', 30),
  'recognizer-30MB-means': file('recognizer', 30, 'means'),
  'model-60MB-means': file('model', 60, 'means'),
  'model-100MB-means-maxBytes-1GiB': file('model', 100, 'means', 1024),
  'fit-1000x100-full-40': fit(1000, 100, 'full', 40),
  'fit-2000x8-full-60': fit(2000, 8, 'full', 60),
};

const only = process.argv[2];
if (only === undefined) {
  for (const name of Object.keys(CASES)) {
    process.stdout.write(execFileSync(process.execPath, [fileURLToPath(import.meta.url), name], { encoding: 'utf8' }));
  }
} else {
  if (!CASES[only]) throw new Error(`unknown case ${only}; one of ${Object.keys(CASES).join(', ')}`);
  const g = await load();
  const call = await CASES[only](g);
  const before = [g.heapBytesInUse(), g.memoryBytes()];
  let outcome = 'ok';
  try { call(); } catch (error) { outcome = `${error.code}: ${error.message}`; }
  const after = [g.heapBytesInUse(), g.memoryBytes()];
  const samples = Float32Array.from({ length: 16000 }, (_, i) => 0.3 * Math.sin(i / 7));
  let mfcc;
  try { mfcc = `${g.mfcc(samples, 16000).length} frames`; } catch (error) { mfcc = error.code; }
  console.log(`${only}: ${outcome}\n  heap in use ${MiB(before[0])} -> ${MiB(after[0])} MiB, memory ${MiB(before[1])} -> ` +
    `${MiB(after[1])} MiB; mfcc afterwards: ${mfcc}`);
}
