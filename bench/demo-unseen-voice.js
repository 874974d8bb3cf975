// Benchmark (not a test): the demo with a voice it never heard (issue 15), through the
// demo's microphone path run in Node: the same listeners with the same settings
// (createListener, the page's cut { postRoll: 60 }, the listener's defaults: hangover
// 120 ms, sensitivity 0), at the rate of Chromium's AudioContext (48 kHz: sox resamples each
// stream as Chromium's fake microphone resamples its file), in the worklet's 256-sample
// blocks. (Chromium itself would take about 12 minutes of real-time audio per speaker.)
// Each FSDD speaker in turn is the visitor:
//   enrolment: per digit, one listener of an untrained recognizer (the demo's Record button)
//     hears recordings 0-2 of that digit, 1 s apart; every word it cuts is an example;
//   training: new Recognizer() with the page's defaults;
//   test: one hands-free listener hears the speaker's other recordings (3-49 of every
//     digit, in a fixed shuffled order, 1 s apart), then the impostors: the fruit words of
//     ../shared/data/fruits (words that are none of the digits) and 30 noise bursts.
// Each result is matched to the recording it overlaps most. For the right words refused, the
// likelihood ratio (per frame, best word vs the background model; refused below
// rejection.threshold 0) says by how much; --sensitivity=a,b,... re-runs the hands-free part
// at other settings of the demo's Sensitivity control (a diagnosis: the defaults stay).
// Run: node bench/demo-unseen-voice.js [--sensitivity=0,2,4] [speaker ...]
// GMMHMM_BENCH_OPTIONS (JSON Recognizer options) overrides the defaults of the trained
// recognizer, to compare a setting side by side.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load } from '../web/index.js';
import { noises, readAll } from './speech-data.js';

const benchOptions = process.env.GMMHMM_BENCH_OPTIONS ? JSON.parse(process.env.GMMHMM_BENCH_OPTIONS) : {};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.GMMHMM_SHARED_DIR ?? path.resolve(ROOT, '../shared');
const FSDD = path.join(SHARED, 'data/fsdd/recordings');
const FRUITS = path.join(SHARED, 'data/fruits/audio');
const RATE = 48000;               // Chromium's AudioContext with the fake microphone
const CUT = { postRoll: 60 };     // web/demo/js/main.js: how every listener of the page cuts words
const BLOCK = 256;                // web/lib/capture-worklet.js posts blocks of this size
const ENROLLED = 3;               // recordings per digit the visitor enrols
const GAP = 1.0;                  // s of silence around each recording (the demo tests' files)

if (!fs.existsSync(FSDD)) {
  console.log(`${FSDD} is absent: nothing to measure`);
  process.exit(0);
}
const gmmhmm = await load();
const { fsdd, fruits } = await readAll(FSDD, FRUITS);
const bursts = noises(30, 4242);

/** Items (8 kHz) one after another with GAP s of silence around each, resampled to RATE by sox. */
function stream(items) {
  const from = items[0].sampleRate;
  if (items.some((u) => u.sampleRate !== from)) throw new Error('one rate per stream');
  const gap = Math.round(GAP * from);
  const total = items.reduce((n, u) => n + u.samples.length + gap, gap);
  const audio = new Float32Array(total);
  const truth = [];
  let at = gap;
  for (const u of items) {
    audio.set(u.samples, at);
    truth.push({ item: u, start: (at / from), end: (at + u.samples.length) / from, results: [] });
    at += u.samples.length + gap;
  }
  const raw = execFileSync('sox', ['-t', 'raw', '-r', String(from), '-e', 'floating-point', '-b', '32', '-c', '1', '-',
    '-t', 'raw', '-r', String(RATE), '-e', 'floating-point', '-b', '32', '-c', '1', '-'], { input: Buffer.from(audio.buffer), maxBuffer: 1 << 30 });
  return { audio: new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), truth };
}

/** Pushes `audio` in BLOCK-sample blocks, then end(); returns the listener's words (speechend) and results. */
function listenTo(recognizer, audio, sensitivity = 0) {
  const listener = recognizer.createListener({ sampleRate: RATE, ...CUT, sensitivity });
  const words = [];
  const results = [];
  listener.addEventListener('speechend', (e) => words.push(e.detail));
  listener.addEventListener('result', (e) => results.push(e.detail));
  for (let at = 0; at < audio.length; at += BLOCK) listener.push(audio.subarray(at, at + BLOCK));
  listener.end();
  return { words, results };
}

// A fixed shuffle (the same order every run).
function shuffled(items, seed) {
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// Each result goes to the recording it overlaps most (none: a word cut out of silence).
function match(truth, results) {
  let strays = 0;
  for (const r of results) {
    let best = null;
    let bestOverlap = 0;
    for (const t of truth) {
      const overlap = Math.min(t.end, r.endTime) - Math.max(t.start, r.startTime);
      if (overlap > bestOverlap) [best, bestOverlap] = [t, overlap];
    }
    if (best) best.results.push(r);
    else strays++;
  }
  return strays;
}

const pct = (n, d) => (d ? `${(100 * n / d).toFixed(1)} %` : '-');
const args = process.argv.slice(2);
const sweep = (args.find((a) => a.startsWith('--sensitivity='))?.slice('--sensitivity='.length).split(',').map(Number) ?? []).filter((x) => x !== 0);
const named = args.filter((a) => !a.startsWith('--'));
const speakers = named.length ? named : [...new Set(fsdd.map((u) => u.speaker))].sort();
const refusedRatios = [];
const swept = new Map(sweep.map((x) => [x, { accepted: 0, tests: 0, impostorsAccepted: 0, impostors: 0 }]));
const digits = [...new Set(fsdd.map((u) => u.label))].sort();
const impostorItems = [...fruits.map((u) => ({ ...u, kind: `fruit ${u.label}` })), ...bursts.map((u) => ({ ...u, kind: 'noise' }))];
const totals = { tests: 0, accepted: 0, best: 0, wrongAccepted: 0, missed: 0, split: 0, reasons: {}, refusedAs: {}, impostors: 0, impostorsAccepted: 0, examples: 0 };
const rows = [];
console.log('| speaker | examples cut | test words | best word right | recognised + accepted | wrong word accepted | right word refused (reason) | no word cut | cut in two | impostors accepted |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');

for (const speaker of speakers) {
  const mine = fsdd.filter((u) => u.speaker === speaker);
  // Enrolment: the demo's Record button per digit (an untrained recognizer only cuts words).
  const cutter = new gmmhmm.Recognizer({ workers: 0 });
  const recognizer = new gmmhmm.Recognizer({ ...benchOptions, workers: 0 });
  const examplesPer = [];
  for (const digit of digits) {
    const recordings = mine.filter((u) => u.label === digit && u.index < ENROLLED).sort((a, b) => a.index - b.index);
    const { words } = listenTo(cutter, stream(recordings).audio);
    examplesPer.push(words.length);
    for (const w of words) recognizer.addExample(digit, w.samples, w.sampleRate);
  }
  cutter.dispose();
  await recognizer.train();

  // Hands-free: the other recordings, then the impostors.
  const tests = stream(shuffled(mine.filter((u) => u.index >= ENROLLED), speaker.length * 7919));
  const testOut = listenTo(recognizer, tests.audio);
  const strays = match(tests.truth, testOut.results);
  const row = { speaker, examples: examplesPer.reduce((a, b) => a + b, 0), tests: tests.truth.length, accepted: 0, best: 0, wrongAccepted: 0, missed: 0, split: 0, strays, reasons: {} };
  for (const t of tests.truth) {
    if (t.results.length === 0) { row.missed++; continue; }
    if (t.results.length > 1) row.split++;
    // The recording's answer: its longest word's (a recording cut in two shows two results).
    const r = t.results.reduce((a, b) => (b.samples.length > a.samples.length ? b : a));
    if (r.label === t.item.label) row.best++;
    if (!r.rejected && r.label === t.item.label) row.accepted++;
    else if (!r.rejected) row.wrongAccepted++;
    else if (r.label === t.item.label) {
      refusedRatios.push(r.likelihoodRatio);
      row.reasons[r.reason] = (row.reasons[r.reason] ?? 0) + 1;
      totals.refusedAs[t.item.label] = (totals.refusedAs[t.item.label] ?? 0) + 1;
    }
  }
  const imp = stream(impostorItems);
  const impOut = listenTo(recognizer, imp.audio);
  match(imp.truth, impOut.results);
  row.impostors = imp.truth.length;
  row.impostorsAccepted = imp.truth.filter((t) => t.results.some((r) => !r.rejected)).length;
  row.impostorKinds = imp.truth.filter((t) => t.results.some((r) => !r.rejected)).map((t) => `${t.item.kind} as ${t.results.find((r) => !r.rejected).label}`);
  for (const [x, acc] of swept) {
    const out = listenTo(recognizer, tests.audio, x);
    const truth = tests.truth.map((t) => ({ ...t, results: [] }));
    match(truth, out.results);
    acc.tests += truth.length;
    acc.accepted += truth.filter((t) => t.results.length && (() => {
      const r = t.results.reduce((a, b) => (b.samples.length > a.samples.length ? b : a));
      return !r.rejected && r.label === t.item.label;
    })()).length;
    const impTruth = imp.truth.map((t) => ({ ...t, results: [] }));
    match(impTruth, listenTo(recognizer, imp.audio, x).results);
    acc.impostors += impTruth.length;
    acc.impostorsAccepted += impTruth.filter((t) => t.results.some((r) => !r.rejected)).length;
  }
  recognizer.dispose();
  rows.push(row);
  for (const k of ['tests', 'accepted', 'best', 'wrongAccepted', 'missed', 'split', 'impostors', 'impostorsAccepted', 'examples']) totals[k] += row[k];
  for (const [reason, n] of Object.entries(row.reasons)) totals.reasons[reason] = (totals.reasons[reason] ?? 0) + n;
  const reasons = Object.entries(row.reasons).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  console.log(`| ${speaker} | ${row.examples} | ${row.tests} | ${row.best} (${pct(row.best, row.tests)}) | ${row.accepted} (${pct(row.accepted, row.tests)}) | ` +
    `${row.wrongAccepted} | ${reasons} | ${row.missed} | ${row.split} | ${row.impostorsAccepted} of ${row.impostors}${row.impostorKinds.length ? ` (${row.impostorKinds.join(', ')})` : ''} |`);
}
const reasons = Object.entries(totals.reasons).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
console.log(`| all | ${totals.examples} | ${totals.tests} | ${totals.best} (${pct(totals.best, totals.tests)}) | ${totals.accepted} (${pct(totals.accepted, totals.tests)}) | ` +
  `${totals.wrongAccepted} | ${reasons} | ${totals.missed} | ${totals.split} | ${totals.impostorsAccepted} of ${totals.impostors} |`);
console.log(`correct words refused, by digit: ${Object.entries(totals.refusedAs).sort().map(([d, n]) => `${d}: ${n}`).join(', ')}`);
const sorted = refusedRatios.sort((a, b) => a - b);
const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
if (sorted.length) {
  console.log(`right words refused: ${sorted.filter((x) => x < 0).length} of ${sorted.length} with the likelihood ratio below the threshold (0); ` +
    `ratio median ${q(0.5).toFixed(2)}, 10th percentile ${q(0.1).toFixed(2)}, lowest ${sorted[0].toFixed(2)} nats/frame`);
}
for (const [x, acc] of swept) {
  console.log(`sensitivity ${x > 0 ? '+' : ''}${x}: recognised + accepted ${acc.accepted} of ${acc.tests} (${pct(acc.accepted, acc.tests)}), impostors accepted ${acc.impostorsAccepted} of ${acc.impostors}`);
}
