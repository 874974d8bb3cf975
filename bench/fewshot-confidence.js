// How honest the Recognizer's confidence is with few examples (FSDD, ../shared/data): for
// k = 1, 2, 3 examples per digit from one speaker (recordings 5 .. 5+k-1), tested on that
// speaker's other recordings, every speaker in turn. Per k: the best word's accuracy, the
// mean confidence when it is right and when it is wrong, the wrong best words reported at
// ≥ 0.99, and the expected calibration error (10 bins of confidence; |accuracy − confidence|
// weighted by the bin's share). A calibrated confidence has a small error and is lower when
// wrong. With k = 1 there is no held-out example to fit the softmax scale on.
//
//   node bench/fewshot-confidence.js [--k 1,2,3]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from '../web/index.js';
import { readAll } from './speech-data.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FSDD = path.join(ROOT, '..', 'shared', 'data', 'fsdd', 'recordings');
const at = process.argv.indexOf('--k');
const ks = at > 0 ? process.argv[at + 1].split(',').map(Number) : [1, 2, 3];

if (!fs.existsSync(FSDD)) {
  console.log(`skipped: ${FSDD} is absent (the FSDD recordings of ../shared)`);
  process.exit(0);
}
const gmmhmm = await load();
const { fsdd } = await readAll(FSDD, '');
const speakers = [...new Set(fsdd.map((u) => u.speaker))].sort();

const pct = (x) => `${(100 * x).toFixed(1)} %`;
console.log('| examples per digit | best word right | mean confidence, right | mean confidence, wrong | wrong at ≥ 0.99 | calibration error | scale (per speaker) |');
console.log('| --: | --: | --: | --: | --: | --: | --- |');
for (const k of ks) {
  const results = [];
  const scales = [];
  for (const s of speakers) {
    const mine = fsdd.filter((u) => u.speaker === s);
    const rec = new gmmhmm.Recognizer();
    for (const u of mine.filter((v) => v.index >= 5 && v.index < 5 + k)) rec.addExample(u.label, u.samples, u.sampleRate);
    await rec.train({ workers: 0 });
    scales.push(rec.calibration.scale);
    for (const u of mine.filter((v) => v.index < 5 || v.index >= 5 + k)) {
      const c = rec.classifySync(u.samples, u.sampleRate);
      results.push({ right: c.label === u.label, confidence: c.confidence });
    }
    rec.dispose();
  }
  const right = results.filter((r) => r.right);
  const wrong = results.filter((r) => !r.right);
  const mean = (list) => (list.length ? list.reduce((x, r) => x + r.confidence, 0) / list.length : NaN);
  let ece = 0;
  for (let b = 0; b < 10; b++) {
    const bin = results.filter((r) => Math.min(9, Math.floor(r.confidence * 10)) === b);
    if (bin.length === 0) continue;
    ece += (bin.length / results.length) * Math.abs(bin.filter((r) => r.right).length / bin.length - mean(bin));
  }
  console.log(`| ${k} | ${pct(right.length / results.length)} (${results.length}) | ${mean(right).toFixed(3)} | ${mean(wrong).toFixed(3)} | ` +
    `${wrong.filter((r) => r.confidence >= 0.99).length} of ${wrong.length} | ${ece.toFixed(3)} | ${scales.map((x) => x.toPrecision(2)).join(', ')} |`);
}
