// Recognition that does not care how a word was cut or what the room sounds like (issue 14):
//   node bench/recognizer-robustness.js [--loso] [--few 3,5] [--options '<json>'] [--older]
// The Recognizer, through the package (wasm), trained on FSDD recordings as they were cut,
// tested on the same test words in every condition of tests/node/audio-conditions.js:
// padded with digital zeros, white or pink noise, or with noise over the whole recording.
// Protocols: the official split (5-49 train / 0-4 test, 250 words), few-shot (3 examples per
// digit from one speaker, indices 5.., tested on that speaker's others), with --loso each
// speaker tested on models of the other four (a voice the models never heard). Then the
// reverse: models trained on padded recordings, tested on the words as cut.
// --options: recognizer options (JSON) instead of the defaults; --older: the front end of
// recognizer files written before this benchmark existed. Nothing is tuned on a test split.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from '../web/index.js';
import { readWav } from '../web/cli/wav.js';
import { CONDITIONS, applyCondition } from '../tests/node/audio-conditions.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.GMMHMM_SHARED_DIR ?? path.resolve(ROOT, '../shared');
const FSDD = path.join(SHARED, 'data/fsdd/recordings');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);

if (!fs.existsSync(FSDD)) {
  console.log(`${FSDD} is absent: nothing to measure`);
  process.exit(0);
}
const OLDER = { features: { edgePadding: false, floorDb: 0, noiseEdges: false, trimOn: 'c0', trimDb: 35, trimMarginFrames: 3 } };
const options = flag('--older') ? OLDER : JSON.parse(value('--options', '{}'));
const fewShot = value('--few', '3').split(',').map(Number);
const gmmhmm = await load();
const log = (...a) => console.error(...a);

const fsdd = [];
for (const name of fs.readdirSync(FSDD).sort()) {
  const m = /^(\d)_([a-z]+)_(\d+)\.wav$/.exec(name);
  if (m) fsdd.push({ label: m[1], speaker: m[2], index: Number(m[3]), ...(await readWav(path.join(FSDD, name))) });
}
const speakers = [...new Set(fsdd.map((u) => u.speaker))].sort();
// One seed per recording, the same in every condition and protocol.
const seedOf = (u) => 1 + Number(u.label) * 1000 + u.index + 100000 * speakers.indexOf(u.speaker);

// Examples the recognizer refuses (e.g. a quiet word in loud noise: "holds only steady
// noise") are left out, as a user's training would refuse them; train() counts them.
async function train(items, condition = {}) {
  const rec = new gmmhmm.Recognizer(options);
  rec.refused = 0;
  for (const u of items) {
    try {
      rec.addExample(u.label, applyCondition(u.samples, u.sampleRate, condition, seedOf(u) + 7), u.sampleRate);
    } catch (error) {
      if (error.code !== 'invalid-argument') throw error;
      rec.refused++;
    }
  }
  await rec.train();
  return rec;
}

// Per condition: [correct, correct and accepted, total, seconds of audio, seconds classifying].
async function test(rec, items, conditions, tally) {
  for (const [name, condition] of conditions) {
    const t = (tally[name] ??= [0, 0, 0, 0, 0]);
    for (const u of items) {
      const x = applyCondition(u.samples, u.sampleRate, condition, seedOf(u));
      const t0 = performance.now();
      const r = rec.classifySync ? rec.classifySync(x, u.sampleRate) : await rec.classify(x, u.sampleRate);
      t[4] += (performance.now() - t0) / 1000;
      t[3] += x.length / u.sampleRate;
      t[2]++;
      if (r.label === u.label) {
        t[0]++;
        if (!r.rejected) t[1]++;
      }
    }
  }
}

const pct = (a, n) => `${(100 * a / n).toFixed(1)}`;
const protocols = [];

{ // Official split.
  const tally = {};
  const rec = await train(fsdd.filter((u) => u.index >= 5));
  await test(rec, fsdd.filter((u) => u.index < 5), CONDITIONS, tally);
  rec.dispose();
  protocols.push(['official split', tally]);
  log('official split done');
}
for (const k of fewShot) {
  const tally = {};
  for (const s of speakers) {
    const mine = fsdd.filter((u) => u.speaker === s);
    const rec = await train(mine.filter((u) => u.index >= 5 && u.index < 5 + k));
    await test(rec, mine.filter((u) => u.index < 5 || u.index >= 5 + k), CONDITIONS, tally);
    rec.dispose();
  }
  protocols.push([`few-shot, ${k} examples`, tally]);
  log(`few-shot ${k} done`);
}
if (flag('--loso')) {
  const tally = {};
  for (const s of speakers) {
    const rec = await train(fsdd.filter((u) => u.speaker !== s));
    await test(rec, fsdd.filter((u) => u.speaker === s), CONDITIONS, tally);
    rec.dispose();
    log(`loso ${s} done`);
  }
  protocols.push(['unseen speaker (leave one out)', tally]);
}

console.log(`Options: ${JSON.stringify(options)}; wasm ${gmmhmm.variant}, Node ${process.versions.node}\n`);
console.log(`| test words | ${protocols.map(([p]) => `${p}: correct | correct and accepted`).join(' | ')} |`);
console.log(`|---|${protocols.map(() => '--:|--:').join('|')}|`);
for (const [name] of CONDITIONS) {
  const cells = protocols.map(([, tally]) => {
    const [c, a, n] = tally[name];
    const [c0, a0, n0] = tally[CONDITIONS[0][0]];
    const d = (x, x0) => (name === CONDITIONS[0][0] ? '' : ` (${(100 * x / n - 100 * x0 / n0 >= 0 ? '+' : '')}${(100 * x / n - 100 * x0 / n0).toFixed(1)})`);
    return `${pct(c, n)}${d(c, c0)} | ${pct(a, n)}${d(a, a0)}`;
  });
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}
const all = Object.values(protocols[0][1]).reduce((s, t) => [s[0] + t[3], s[1] + t[4]], [0, 0]);
console.log(`\nclassify() on the official split's test words, all conditions: ${(1000 * all[1] / all[0]).toFixed(2)} ms per second of audio`);

// The reverse: trained on padded recordings, tested as cut.
console.log('\n| trained on (official split) | tested as cut: correct | correct and accepted | training examples refused |');
console.log('|---|--:|--:|--:|');
for (const [name, condition] of [CONDITIONS[1], CONDITIONS[5], CONDITIONS[7]]) {
  const tally = {};
  const rec = await train(fsdd.filter((u) => u.index >= 5), condition);
  await test(rec, fsdd.filter((u) => u.index < 5), [CONDITIONS[0]], tally);
  const refused = rec.refused;
  rec.dispose();
  const [c, a, n] = tally[CONDITIONS[0][0]];
  console.log(`| ${name} | ${pct(c, n)} | ${pct(a, n)} | ${refused} |`);
}
