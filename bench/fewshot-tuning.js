// How the few-shot defaults were chosen, on data the FSDD few-shot rows never test on: the
// fruit words (../shared/data/fruits, 7 words × 15 recordings, another vocabulary):
//   node bench/fewshot-tuning.js '<JSON Recognizer options>' ['<more options>' ...]
// For k = 3 and 5 examples per word, rotations of the training examples (k consecutive
// recordings, the word's other recordings tested): accuracy, correct-and-accepted, noise bursts
// accepted (another seed than recognizer-fsdd.js's), and the own out-of-vocabulary rate (models
// of 6 words, the 7th word's test recordings presented). One line per options object.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from '../web/index.js';
import { noises, readAll } from './speech-data.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.GMMHMM_SHARED_DIR ?? path.resolve(ROOT, '../shared');
const FRUITS = path.join(SHARED, 'data/fruits/audio');
if (!fs.existsSync(FRUITS)) {
  console.log(`${FRUITS} is absent: nothing to measure`);
  process.exit(0);
}
const gmmhmm = await load();
const { fruits } = await readAll(null, FRUITS);
const impostors = noises(60, 777);
const words = [...new Set(fruits.map((u) => u.label))];
const settings = process.argv.slice(2).map((s) => JSON.parse(s));
if (settings.length === 0) settings.push({});

async function trained(items, options) {
  const rec = new gmmhmm.Recognizer(options);
  for (const u of items) rec.addExample(u.label, u.samples, u.sampleRate);
  await rec.train({ workers: 0 });
  return rec;
}

const pct = (x) => `${(100 * x).toFixed(1)} %`;
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
