// The Endpointer's hangover, measured through createListener() (docs/listening.md): for each
// hangover, words cut in two (a word heard as two or more pieces) and words run together
// (two words heard as one), the wait after each word (decisionDelay: audio the Endpointer
// needed to be sure the word was over) and the time to classify it here (wall clock, Node).
// Two sets of streams, words 0.35 s apart (short pauses between commands):
//  - espeak-ng words with closures inside them, several voices and speeds (always);
//  - FSDD (../shared/data/fsdd, real speech, 8 kHz): each speaker's recordings 0-4 of every
//    digit one after the other, models trained on that speaker's recordings 5-49 cut by the
//    same Endpointer (skipped with a message when the data is absent).
//   node bench/listen-hangover.js [hangover ms ...]     (default: 100 150 200 250 300)
import fs from 'node:fs';
import path from 'node:path';
import { load } from '../web/index.js';
import { readWav } from '../web/cli/wav.js';
import { enrolFromStreams, random, speechStream, SHARED } from '../tests/node/helpers.js';

const RATE = 16000;
const WORDS = ['eighty', 'stop', 'okay', 'backup', 'select', 'cancel', 'next', 'sixty'];
const TRAIN = [['en-us+m3', 140, 45], ['en-gb+f3', 150, 60], ['en-us+m1', 165, 50], ['en-029+f2', 145, 55]];
const TEST = [['en-gb+m3', 130, 50], ['en-us+f4', 120, 60], ['en-gb-x-rp+m4', 150, 35], ['en-us+m2', 110, 55]];
const hangovers = process.argv.slice(2).map(Number);
if (hangovers.length === 0) hangovers.push(100, 150, 200, 250, 300);

const gmmhmm = await load();

async function espeakSet() {
  const rec = new gmmhmm.Recognizer({ workers: 0 });
  enrolFromStreams(gmmhmm, rec, WORDS, TRAIN, RATE);
  await rec.train();
  const streams = TEST.map((voice, i) => speechStream(WORDS, voice, { rate: RATE, pause: 0.35, seed: 20 + i }));
  return [{ name: 'espeak-ng', rec, rate: RATE, streams }];
}

// Recordings one after the other, `pause` s apart, over faint noise: { audio, truth }.
function concatenate(clips, rate, pause) {
  const gap = Math.round(pause * rate);
  const audio = new Float32Array(gap + clips.reduce((n, c) => n + c.samples.length + gap, 0));
  const next = random(5);
  for (let i = 0; i < audio.length; i++) audio[i] = 0.002 * (2 * next() - 1);
  const truth = [];
  let at = gap;
  for (const { word, samples } of clips) {
    for (let k = 0; k < samples.length; k++) audio[at + k] += samples[k];
    truth.push({ word, start: at / rate, end: (at + samples.length) / rate });
    at += samples.length + gap;
  }
  return { audio, truth };
}

async function fsddSets() {
  const folder = path.join(SHARED, 'data/fsdd/recordings');
  if (!fs.existsSync(folder)) {
    console.log(`${folder} is absent: FSDD skipped`);
    return [];
  }
  const sets = [];
  for (const speaker of ['george', 'jackson', 'nicolas', 'theo', 'yweweler']) {
    const rec = new gmmhmm.Recognizer({ workers: 0 });
    const test = [];
    let rate = 0;
    for (let digit = 0; digit < 10; digit++) {
      for (let index = 0; index < 50; index++) {
        const wav = await readWav(path.join(folder, `${digit}_${speaker}_${index}.wav`));
        rate = wav.sampleRate;
        if (index < 5) {
          test.push({ word: String(digit), samples: wav.samples });
          continue;
        }
        let best = null;
        for (const s of gmmhmm.findSpeechSegments(wav.samples, rate)) if (!best || s.endSample - s.startSample > best.endSample - best.startSample) best = s;
        if (best) rec.addExample(String(digit), wav.samples.subarray(best.startSample, best.endSample), rate);
      }
    }
    await rec.train();
    sets.push({ name: `FSDD ${speaker}`, rec, rate, streams: [concatenate(test, rate, 0.35)] });
  }
  return sets;
}

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))];
function measure({ rec, rate, streams }, hangover) {
  let words = 0, split = 0, merged = 0, correct = 0;
  const waits = [];
  const classifyMs = [];
  for (const { audio, truth } of streams) {
    const listener = rec.createListener({ sampleRate: rate, hangover, postRoll: Math.min(60, hangover) });
    const results = [];
    let pushedAt = 0;
    listener.addEventListener('result', (e) => {
      results.push(e.detail);
      waits.push(1000 * e.detail.decisionDelay);
      classifyMs.push(performance.now() - pushedAt);
    });
    const block = Math.round(rate / 100);
    for (let at = 0; at < audio.length; at += block) {
      pushedAt = performance.now();
      listener.push(audio.subarray(at, at + block));
    }
    listener.end();
    words += truth.length;
    for (const t of truth) {
      const pieces = results.filter((r) => r.startTime < t.end && r.endTime > t.start);
      if (pieces.length > 1) split++;
      if (pieces.length === 1 && truth.filter((u) => pieces[0].startTime < u.end && pieces[0].endTime > u.start).length > 1) merged++;
      if (pieces.length === 1 && pieces[0].label === t.word && !pieces[0].rejected) correct++;
    }
  }
  return { words, split, merged, correct, waits, classifyMs };
}

const sets = [...await espeakSet(), ...await fsddSets()];
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
console.log('set | hangover ms | words | cut in two | run together | recognised+accepted | wait ms (mean, p95) | classify ms (mean, max)');
for (const hangover of hangovers) {
  const total = { words: 0, split: 0, merged: 0, correct: 0, waits: [], classifyMs: [] };
  for (const set of sets) {
    const m = measure(set, hangover);
    for (const key of ['words', 'split', 'merged', 'correct']) total[key] += m[key];
    total.waits.push(...m.waits);
    total.classifyMs.push(...m.classifyMs);
    if (set.name.startsWith('FSDD')) continue;
    row(set.name, hangover, m);
  }
  if (sets.length > 1) row('FSDD (5 speakers)', hangover, subtract(total, measure(sets[0], hangover)));
}
for (const set of sets) set.rec.dispose();

function subtract(total, part) {
  return { words: total.words - part.words, split: total.split - part.split, merged: total.merged - part.merged,
    correct: total.correct - part.correct, waits: total.waits.slice(part.waits.length), classifyMs: total.classifyMs.slice(part.classifyMs.length) };
}

function row(name, hangover, { words, split, merged, correct, waits, classifyMs }) {
  console.log(`${name} | ${hangover} | ${words} | ${split} | ${merged} | ${correct} (${((100 * correct) / words).toFixed(0)} %) | ` +
    `${mean(waits).toFixed(0)}, ${percentile(waits, 0.95).toFixed(0)} | ${mean(classifyMs).toFixed(1)}, ${Math.max(...classifyMs).toFixed(1)}`);
}
