// How the few-shot defaults were chosen (docs/accuracy.md), one line per options object:
//   node bench/fewshot-tuning.js [--fsdd] '<JSON Recognizer options>' ['<more options>' ...]
// Fruit words (default; ../shared/data/fruits, 7 words × 15 recordings, data the FSDD rows
// never test on): for k = 3 and 5 examples per word, rotations of the training examples (k
// consecutive recordings, the word's other recordings tested): accuracy, correct-and-accepted,
// noise bursts accepted (another seed than recognizer-fsdd.js's), and the own
// out-of-vocabulary rate (models of 6 words, the 7th word's test recordings presented).
// --fsdd: each FSDD speaker's k examples (indices 5..5+k-1) tested on indices >= 5+k only,
// per speaker (accuracy, correct-and-accepted, fruit words and noise bursts accepted, own
// out-of-vocabulary digit accepted), and for each speaker the setting whose accuracy is best
// on the OTHER four (so that a default is chosen for every speaker without looking at it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from '../web/index.js';
import { noises, readAll } from './speech-data.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.GMMHMM_SHARED_DIR ?? path.resolve(ROOT, '../shared');
const FRUITS = path.join(SHARED, 'data/fruits/audio');
const FSDD = path.join(SHARED, 'data/fsdd/recordings');
const onFsdd = process.argv.includes('--fsdd');
if (!fs.existsSync(FRUITS)) {
  console.log(`${FRUITS} is absent: nothing to measure`);
  process.exit(0);
}
const gmmhmm = await load();
const { fruits, fsdd } = await readAll(onFsdd ? FSDD : null, FRUITS);
const impostors = noises(60, 777);
const words = [...new Set(fruits.map((u) => u.label))];
const settings = process.argv.slice(2).filter((a) => !a.startsWith('--')).map((s) => JSON.parse(s));
if (settings.length === 0) settings.push({});

async function trained(items, options) {
  const rec = new gmmhmm.Recognizer(options);
  for (const u of items) rec.addExample(u.label, u.samples, u.sampleRate);
  await rec.train({ workers: 0 });
  return rec;
}

const pct = (x) => `${(100 * x).toFixed(1)} %`;

async function fsddRows() {
  const speakers = [...new Set(fsdd.map((u) => u.speaker))].sort();
  const impostorSet = [...fruits, ...impostors];
  const table = [];  // per setting: per k: per speaker { correct, accepted, falseAccepts }
  for (const options of settings) {
    const row = {};
    for (const k of [3, 5]) {
      row[k] = {};
      for (const s of speakers) {
        const mine = fsdd.filter((u) => u.speaker === s);
        const rec = await trained(mine.filter((u) => u.index >= 5 && u.index < 5 + k), options);
        const test = mine.filter((u) => u.index >= 5 + k);
        let correct = 0, accepted = 0, falseAccepts = 0;
        for (const u of test) {
          const c = rec.classifySync(u.samples, u.sampleRate);
          if (c.label === u.label) correct++;
          if (c.label === u.label && !c.rejected) accepted++;
        }
        for (const u of impostorSet) if (!rec.classifySync(u.samples, u.sampleRate).rejected) falseAccepts++;
        rec.dispose();
        // The speaker's own out-of-vocabulary digit: models of 9 digits, the 10th presented.
        let ownTried = 0, ownAccepted = 0;
        const train = mine.filter((u) => u.index >= 5 && u.index < 5 + k);
        for (const left of [...new Set(train.map((u) => u.label))]) {
          const nine = await trained(train.filter((u) => u.label !== left), options);
          for (const u of test.filter((v) => v.label === left)) {
            ownTried++;
            if (!nine.classifySync(u.samples, u.sampleRate).rejected) ownAccepted++;
          }
          nine.dispose();
        }
        row[k][s] = { correct: correct / test.length, accepted: accepted / test.length, falseAccepts, own: ownAccepted / ownTried };
      }
    }
    table.push(row);
    const mean = (k, key) => speakers.reduce((x, s) => x + row[k][s][key], 0) / speakers.length;
    console.log(`${JSON.stringify(options)} | ${[3, 5].map((k) => `k=${k}: correct ${pct(mean(k, 'correct'))}, accepted ${pct(mean(k, 'accepted'))}, ` +
      `impostors ${speakers.reduce((x, s) => x + row[k][s].falseAccepts, 0)}, own OOV ${pct(mean(k, 'own'))}; ${speakers.map((s) => `${s} ${pct(row[k][s].correct)}`).join(' ')}`).join(' | ')}`);
  }
  // Leave one speaker out: the best setting (mean correct over k = 3 and 5) on the others.
  for (const s of speakers) {
    const others = speakers.filter((o) => o !== s);
    const score = (row) => [3, 5].reduce((x, k) => x + others.reduce((y, o) => y + row[k][o].correct, 0), 0);
    const best = table.reduce((b, row, i) => (score(row) > score(table[b]) ? i : b), 0);
    console.log(`for ${s}, chosen on the other speakers: ${JSON.stringify(settings[best])}`);
  }
}

if (onFsdd) {
  await fsddRows();
  process.exit(0);
}
for (const options of settings) {
  const parts = [];
  for (const k of [3, 5]) {
    let tested = 0, correct = 0, accepted = 0, noiseAccepted = 0, noiseTried = 0, ownTried = 0, ownAccepted = 0;
    for (let r = 0; r + k <= 15; r += k) {
      const isTrain = (u) => u.index >= r && u.index < r + k;
      const train = fruits.filter(isTrain);
      const test = fruits.filter((u) => !isTrain(u));
      const rec = await trained(train, options);
      for (const u of test) {
        const c = rec.classifySync(u.samples, u.sampleRate);
        tested++;
        if (c.label === u.label) correct++;
        if (c.label === u.label && !c.rejected) accepted++;
      }
      for (const u of impostors) {
        noiseTried++;
        if (!rec.classifySync(u.samples, u.sampleRate).rejected) noiseAccepted++;
      }
      rec.dispose();
      for (const left of words) {
        const six = await trained(train.filter((u) => u.label !== left), options);
        for (const u of test.filter((v) => v.label === left)) {
          ownTried++;
          if (!six.classifySync(u.samples, u.sampleRate).rejected) ownAccepted++;
        }
        six.dispose();
      }
    }
    parts.push(`k=${k}: correct ${pct(correct / tested)}, accepted ${pct(accepted / tested)}, noise ${noiseAccepted}/${noiseTried}, own OOV ${pct(ownAccepted / ownTried)}`);
  }
  console.log(`${JSON.stringify(options)} | ${parts.join(' | ')}`);
}
