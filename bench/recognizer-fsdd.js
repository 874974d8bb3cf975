// Word-recognition accuracy of the Recognizer through the package (wasm), on real speech:
//   node bench/recognizer-fsdd.js [--quick | --few-shot]
// (--few-shot: only the few-shot section, a few minutes.)
// FSDD (../shared/data/fsdd, 5 speakers, 8 kHz): official split (indices 5-49 train, 0-4 test),
// leave-one-speaker-out, few-shot (3 and 5 examples per digit from one speaker, tested on that
// speaker's other recordings); fruits (../shared/data/fruits): 5-fold cross-validation;
// rejection: the official-split digit models against the fruit words and noise bursts; and the
// time to train the 10 digit models on the 2,250 training utterances (workers and in-thread).
// Default settings everywhere (nothing is tuned on a test split). GMMHMM_SHARED_DIR overrides
// the data folder; GMMHMM_BENCH_OPTIONS (JSON Recognizer options) overrides the defaults, for
// trying settings.
// Beside the few-shot rows: a DTW baseline on the same features (the Recognizer's own front
// end, exampleFeatures()): symmetric DTW, Euclidean frame distance, nearest of the k templates.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from '../web/index.js';
import { noises, readAll } from './speech-data.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.GMMHMM_SHARED_DIR ?? path.resolve(ROOT, '../shared');
const FSDD = path.join(SHARED, 'data/fsdd/recordings');
const FRUITS = path.join(SHARED, 'data/fruits/audio');
const quick = process.argv.includes('--quick');
const fewShotOnly = process.argv.includes('--few-shot');
const benchOptions = process.env.GMMHMM_BENCH_OPTIONS ? JSON.parse(process.env.GMMHMM_BENCH_OPTIONS) : {};

if (!fs.existsSync(FSDD)) {
  console.log(`${FSDD} is absent: nothing to measure`);
  process.exit(0);
}

const gmmhmm = await load();
const log = (...a) => console.error(...a);

async function trainOn(items, options = {}) {
  const rec = new gmmhmm.Recognizer({ ...benchOptions, ...options });
  const t0 = performance.now();
  for (const u of items) rec.addExample(u.label, u.samples, u.sampleRate);
  const t1 = performance.now();
  await rec.train();
  return { rec, seconds: (performance.now() - t1) / 1000, featureSeconds: (t1 - t0) / 1000 };
}

async function accuracy(rec, items) {
  let correct = 0;
  let accepted = 0;
  for (const u of items) {
    const r = await rec.classify(u.samples, u.sampleRate);
    if (r.label === u.label) correct++;
    if (r.label === u.label && !r.rejected) accepted++;
  }
  return { accuracy: correct / items.length, acceptedAccuracy: accepted / items.length, n: items.length };
}

const pct = (x) => `${(100 * x).toFixed(1)} %`;
const { fsdd, fruits } = await readAll(FSDD, FRUITS);
const speakers = [...new Set(fsdd.map((u) => u.speaker))].sort();
const rows = [];

// 1. Official split (+ training time, + rejection).
if (!fewShotOnly) {
  const train = fsdd.filter((u) => u.index >= 5);
  const test = fsdd.filter((u) => u.index < 5);
  // The first training of the process starts the workers (cold); the second reuses them.
  const { rec, seconds, featureSeconds } = await trainOn(train);
  const a = await accuracy(rec, test);
  rows.push(['FSDD official split (5-49 train / 0-4 test)', pct(a.accuracy), `${a.n} test utterances; accepted and correct ${pct(a.acceptedAccuracy)}`]);
  log('official', a);
  const warm = await trainOn(train);
  warm.rec.dispose();
  const timing = [`workers: ${seconds.toFixed(2)} s cold, ${warm.seconds.toFixed(2)} s warm`];
  if (!quick) {
    const single = await trainOn(train, { workers: 0 });
    timing.push(`one thread: ${single.seconds.toFixed(2)} s`);
    single.rec.dispose();
  }
  rows.push(['time to train 10 digit models on 2,250 utterances', timing.join(', '),
    `train() after addExample(); the front end (addExample of the 2,250 recordings) took ${featureSeconds.toFixed(2)} s more. wasm ${gmmhmm.variant}, Node ${process.versions.node}, ${os.availableParallelism()} cores`]);
  // Rejection at the default threshold.
  const falseRejects = (await Promise.all(test.map((u) => rec.classify(u.samples, u.sampleRate)))).filter((r) => r.rejected).length;
  const impostors = [...fruits, ...noises(60)];
  let falseAccepts = 0;
  let fruitAccepts = 0;
  for (const u of impostors) {
    const r = await rec.classify(u.samples, u.sampleRate);
    if (!r.rejected) {
      falseAccepts++;
      if (u.label) fruitAccepts++;
    }
  }
  rows.push(['rejection: false rejects (digits test set)', pct(falseRejects / test.length), `${falseRejects} of ${test.length}`]);
  rows.push(['rejection: false accepts (fruit words + noise)', pct(falseAccepts / impostors.length),
    `${fruitAccepts} of ${fruits.length} fruit words, ${falseAccepts - fruitAccepts} of ${impostors.length - fruits.length} noise bursts`]);
  rec.dispose();
}

// 2. Leave one speaker out.
if (!quick && !fewShotOnly) {
  const per = [];
  for (const s of speakers) {
    const { rec } = await trainOn(fsdd.filter((u) => u.speaker !== s));
    const a = await accuracy(rec, fsdd.filter((u) => u.speaker === s));
    per.push([s, a.accuracy]);
    log('loso', s, a);
    rec.dispose();
  }
  const mean = per.reduce((x, [, a]) => x + a, 0) / per.length;
  rows.push(['FSDD leave-one-speaker-out (mean of 5)', pct(mean), per.map(([s, a]) => `${s} ${pct(a)}`).join(', ')]);
}

// 3. Few-shot, one speaker at a time: k examples per digit (indices 5..5+k-1), tested on the
// speaker's other recordings. Rejection: the fruit words and noise bursts against each
// speaker's models (impostors), and the speaker's own out-of-vocabulary words (models of 9
// digits, the 10th digit's test recordings presented: the fraction accepted).
// DTW on the Recognizer's own features, computed once per recording.
const featureCache = new Map();
function featuresOf(u) {
  let f = featureCache.get(u);
  if (!f) {
    const scratch = new gmmhmm.Recognizer(benchOptions);
    scratch.addExample('x', u.samples, u.sampleRate);
    f = scratch.exampleFeatures('x')[0];
    scratch.dispose();
    featureCache.set(u, f);
  }
  return f;
}

// Symmetric DTW (steps (1,0) and (0,1) weight 1, diagonal weight 2), Euclidean frame
// distance, normalised by the sum of the two lengths.
function dtw(a, b) {
  const n = a.length;
  const m = b.length;
  let prev = new Float64Array(m + 1).fill(Infinity);
  let cur = new Float64Array(m + 1);
  prev[0] = 0;
  for (let i = 1; i <= n; i++) {
    cur.fill(Infinity);
    const ai = a[i - 1];
    for (let j = 1; j <= m; j++) {
      const bj = b[j - 1];
      let d = 0;
      for (let c = 0; c < ai.length; c++) {
        const e = ai[c] - bj[c];
        d += e * e;
      }
      d = Math.sqrt(d);
      cur[j] = Math.min(prev[j] + d, cur[j - 1] + d, prev[j - 1] + 2 * d);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m] / (n + m);
}

function dtwLabel(templates, u) {
  const x = featuresOf(u);
  let best = null;
  let bestDistance = Infinity;
  for (const t of templates) {
    const d = dtw(x, featuresOf(t));
    if (d < bestDistance) [best, bestDistance] = [t.label, d];
  }
  return best;
}

{
  const fewShotImpostors = [...fruits, ...noises(60)];
  for (const k of [3, 5]) {
    const per = [];
    const perDtw = [];
    let accepted = 0;
    let falseAccepts = 0;
    let ownPresented = 0;
    let ownAccepted = 0;
    for (const s of speakers) {
      const mine = fsdd.filter((u) => u.speaker === s);
      const train = mine.filter((u) => u.index >= 5 && u.index < 5 + k);
      const test = mine.filter((u) => u.index < 5 || u.index >= 5 + k);
      const { rec } = await trainOn(train);
      const a = await accuracy(rec, test);
      per.push([s, a.accuracy]);
      accepted += a.acceptedAccuracy / speakers.length;
      for (const u of fewShotImpostors) if (!(await rec.classify(u.samples, u.sampleRate)).rejected) falseAccepts++;
      rec.dispose();
      perDtw.push([s, test.filter((u) => dtwLabel(train, u) === u.label).length / test.length]);
      for (const left of [...new Set(train.map((u) => u.label))]) {
        const nine = await trainOn(train.filter((u) => u.label !== left));
        for (const u of test.filter((v) => v.label === left)) {
          ownPresented++;
          if (!(await nine.rec.classify(u.samples, u.sampleRate)).rejected) ownAccepted++;
        }
        nine.rec.dispose();
      }
    }
    const mean = (list) => list.reduce((x, [, a]) => x + a, 0) / list.length;
    const bySpeaker = (list) => list.map(([s, a]) => `${s} ${pct(a)}`).join(', ');
    log('few-shot', k, per, 'dtw', perDtw);
    rows.push([`FSDD few-shot: ${k} examples per digit, one speaker (mean of 5)`, pct(mean(per)), bySpeaker(per)]);
    rows.push([`the same, DTW baseline (nearest of the ${k} templates, same features)`, pct(mean(perDtw)), bySpeaker(perDtw)]);
    rows.push([`few-shot rejection (${k} examples): correct and accepted`, pct(accepted),
      `the rest are errors or false rejects; false accepts: ${falseAccepts} of ${fewShotImpostors.length * speakers.length} (fruit words + noise bursts, against each speaker's models)`]);
    rows.push([`few-shot rejection (${k} examples): own out-of-vocabulary digit accepted`, pct(ownAccepted / ownPresented),
      `${ownAccepted} of ${ownPresented} (models of 9 digits, the speaker's recordings of the 10th presented; each digit left out in turn)`]);
  }
}

// 4. Fruits: 5-fold cross-validation, stratified by word (fold = recording index mod 5).
if (fruits.length > 0 && !fewShotOnly) {
  let correct = 0;
  for (let fold = 0; fold < 5; fold++) {
    const { rec } = await trainOn(fruits.filter((u) => u.index % 5 !== fold));
    const test = fruits.filter((u) => u.index % 5 === fold);
    correct += (await accuracy(rec, test)).accuracy * test.length;
    rec.dispose();
  }
  rows.push(['fruits (7 words, 105 recordings): 5-fold cross-validation', pct(correct / fruits.length), '12 training examples per word and fold']);
}

console.log('| measurement | result | details |');
console.log('|---|---|---|');
for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
