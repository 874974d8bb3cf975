// The Recognizer through the package: words synthesised with espeak-ng in several voices,
// speeds and pitches (train on some, classify unseen ones, reject an unseen word and noise),
// parallel training = in-thread training, progress and cancellation, JSON round trips, and a
// clear error or a documented `rejected` result for every bad input.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { getEventListeners } from 'node:events';
import fs from 'node:fs';
import { load, GmmHmmError } from 'gmmhmm';
import { speak, speechSkipReason, random, assertGmmHmmError } from './helpers.js';

const speechSkip = speechSkipReason();
if (speechSkip) console.log(`# ${speechSkip}`);

const WORDS = ['yes', 'no', 'up', 'down', 'left', 'right'];
// voice:speed:pitch — the first five train, the last three are unseen voices for testing.
const VOICES = [
  ['en-us+m3', 150, 45], ['en-gb+f3', 140, 60], ['en-gb-scotland+m1', 160, 40], ['en-029+f2', 145, 55],
  ['en-us+m1', 130, 50],
  ['en-us+f4', 170, 65], ['en-gb-x-rp+m4', 135, 35], ['en-us+m2', 155, 55],
];
const TRAIN = VOICES.slice(0, 5);
const TEST = VOICES.slice(5);
const RATE = 16000;

const say = (word, [voice, speed, pitch], rate = RATE) => speak(word, { voice, speed, pitch, rate });

function noise(seconds, rate, level = 0.1, seed = 5) {
  const next = random(seed);
  return Float32Array.from({ length: Math.round(seconds * rate) }, () => level * (2 * next() - 1));
}

let gmmhmm;
before(async () => {
  gmmhmm = await load();
});

/** `seconds` of pink noise from sox in repeatable mode (-R): the same samples every run. */
function soxPinkNoise(seconds, rate) {
  const raw = execFileSync('sox', ['-R', '-n', '-t', 'raw', '-r', String(rate), '-e', 'floating-point', '-b', '32', '-c', '1', '-',
    'synth', String(seconds), 'pinknoise', 'vol', '0.25'], { maxBuffer: 1 << 28 });
  return new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4).slice();
}

// The demo's situation: one voice enrols 3 words with 3 recordings each. Such small models
// are where a too-broad variance floor let pink noise through (the demo's Chromium test
// caught it 1 run in 4 at varianceFloorScale 1.5); here the bursts are many and repeatable.
describe('few examples: 3 words x 3 recordings of one voice', { skip: speechSkip ?? false }, () => {
  const voice = 'en-us+m3';
  let rec;
  before(async () => {
    rec = new gmmhmm.Recognizer();
    for (const word of ['yes', 'no', 'up']) {
      for (const speed of [140, 160, 175]) rec.addExample(word, speak(word, { voice, speed, pitch: 45, rate: 48000 }), 48000);
    }
    await rec.train();
  });
  after(() => rec?.dispose());

  test('a fourth recording of each word is recognised and accepted', async () => {
    for (const word of ['yes', 'no', 'up']) {
      const r = await rec.classify(speak(word, { voice, speed: 150, pitch: 50, rate: 48000 }), 48000);
      assert.deepEqual([r.label, r.rejected, r.reason], [word, false, null], `ratio ${r.likelihoodRatio.toFixed(2)}, fit ${r.fit.toFixed(2)}`);
    }
  });

  test('templates: each word keeps its 3 examples, saved in the file; scores carry the distance to the nearest', async () => {
    const json = rec.toJSON();
    for (const w of json.words) {
      assert.deepEqual(Object.keys(w.templates).sort(), ['data', 'frames', 'scale']);
      assert.equal(w.templates.frames.length, 3);
      assert.equal(w.templates.scale.length, 39);
    }
    const audio = speak('no', { voice, speed: 150, pitch: 50, rate: 48000 });
    const r = await rec.classify(audio, 48000);
    assert.ok(r.scores.every((s) => Number.isFinite(s.templateDistance) && s.templateDistance > 0));
    const T = r.frames;
    const rank = (s) => s.logLikelihood / T - json.options.word.templateWeight * s.templateDistance;
    for (let k = 1; k < r.scores.length; k++) assert.ok(rank(r.scores[k - 1]) >= rank(r.scores[k]), 'best first');
    // A damaged template block is a format error naming it; the recognizer still works.
    const bad = structuredClone(json);
    bad.words[1].templates.data = bad.words[1].templates.data.slice(4);
    assert.throws(() => gmmhmm.Recognizer.fromJSON(JSON.stringify(bad), { workers: 0 }),
      (e) => e instanceof GmmHmmError && /templates/.test(e.message) && /no/.test(e.message));
    assert.equal((await rec.classify(audio, 48000)).label, r.label);
    // Frame counts that wrap round 32 bits to the data's size (wasm's size_t): refused, nothing allocated.
    const wrap = structuredClone(json);
    const one = json.words[0].templates;
    wrap.words[0].templates = { frames: [...Array(2147).fill(1_000_000), 483_649], scale: one.scale,
      data: Buffer.from(one.data, 'base64').subarray(0, 78).toString('base64') };
    assert.throws(() => gmmhmm.Recognizer.fromJSON(JSON.stringify(wrap), { workers: 0 }),
      (e) => e instanceof GmmHmmError && /templates.*bytes/.test(e.message));
    // A file without the weight (as before templates existed) ranks by the HMMs alone.
    const noWeight = structuredClone(json);
    delete noWeight.options.word.templateWeight;
    const loaded = gmmhmm.Recognizer.fromJSON(JSON.stringify(noWeight), { workers: 0 });
    try {
      assert.ok((await loaded.classify(audio, 48000)).scores.every((s) => s.templateDistance === null));
    } finally {
      loaded.dispose();
    }
    for (const [key, value] of [['templateWeight', -1], ['maxTemplates', 1.5], ['templateWeight', 'x']]) {
      assert.throws(() => new gmmhmm.Recognizer({ word: { [key]: value } }),
        (e) => e instanceof GmmHmmError && e.message.includes(`word.${key}`), `${key} ${value}`);
    }
  });

  test('template tests: their options round-trip through JSON, files from before them classify as before', async () => {
    const json = rec.toJSON();
    const { templateSpreads, templateMargin, minTemplateMargin } = json.options.rejection;
    assert.ok(templateSpreads > 0 && templateMargin >= 1 && minTemplateMargin > 0, 'on by default');
    for (const w of json.words) assert.ok(w.templateSpread > 0, `${w.label}: spread saved`);
    // Other values survive a save and a load.
    const changed = structuredClone(json);
    Object.assign(changed.options.rejection, { templateSpreads: 1.7, templateMargin: 1.05, minTemplateMargin: 0.5 });
    const reloaded = gmmhmm.Recognizer.fromJSON(JSON.stringify(changed), { workers: 0 });
    // A file of the previous version: neither option nor spreads; the same file with the rule off.
    const old = structuredClone(json);
    delete old.options.rejection.templateSpreads;
    delete old.options.rejection.templateMargin;
    delete old.options.rejection.minTemplateMargin;
    for (const w of old.words) delete w.templateSpread;
    const loaded = gmmhmm.Recognizer.fromJSON(JSON.stringify(old), { workers: 0 });
    const off = structuredClone(json);
    Object.assign(off.options.rejection, { templateSpreads: 0, minTemplateMargin: 0 });
    const without = gmmhmm.Recognizer.fromJSON(JSON.stringify(off), { workers: 0 });
    try {
      const { rejection } = reloaded.toJSON().options;
      assert.deepEqual([rejection.templateSpreads, rejection.templateMargin, rejection.minTemplateMargin], [1.7, 1.05, 0.5]);
      assert.deepEqual(reloaded.toJSON().words.map((w) => w.templateSpread), json.words.map((w) => w.templateSpread));
      assert.deepEqual([loaded.toJSON().options.rejection.templateSpreads, loaded.toJSON().options.rejection.minTemplateMargin], [0, 0], 'read as off');
      assert.ok(loaded.toJSON().words.every((w) => w.templateSpread === undefined));
      const next = random(31);
      const burst = () => Float32Array.from({ length: 24000 }, () => 0.2 * (2 * next() - 1));
      // The vocabulary's words, other words of the same voice, noise.
      const sounds = [...['yes', 'no', 'up', 'down', 'left', 'right'].map((w) => speak(w, { voice, speed: 155, pitch: 48, rate: 48000 })),
        burst(), burst()];
      for (const audio of sounds) {
        const [now, before, rule0] = [rec, loaded, without].map((r) => r.classifySync(audio, 48000));
        const decision = ({ label, rejected, reason, likelihoodRatio, fit, scores }) => ({ label, rejected, reason, likelihoodRatio, fit, scores });
        assert.deepEqual(decision(before), decision(rule0), 'the old file decides as the rule switched off');
        assert.equal(before.acceptedByTemplates, false);
        assert.equal(before.templateSpreads, null, 'no spread in the file: no evidence');
        // What the tests did on the new file is what their evidence says.
        if (now.acceptedByTemplates) {
          assert.ok(!now.rejected && (now.likelihoodRatio < json.options.rejection.threshold || now.fit < -json.options.rejection.fitMargin));
          assert.ok(now.templateSpreads <= templateSpreads && now.templateMargin >= templateMargin);
        } else if (!now.rejected) {
          assert.ok(now.likelihoodRatio >= json.options.rejection.threshold && now.fit >= -json.options.rejection.fitMargin);
        }
        if (!now.rejected) assert.ok(now.templateMargin >= minTemplateMargin, 'not as near another word');
        if (now.rejected !== rule0.rejected) {
          assert.ok(now.acceptedByTemplates || (now.reason === 'low-confidence' && now.templateMargin < minTemplateMargin), now.reason);
        }
      }
    } finally {
      reloaded.dispose();
      loaded.dispose();
      without.dispose();
    }
    for (const [key, value, message] of [['templateSpreads', NaN, /rejection\.templateSpreads must be a finite number/],
      ['templateSpreads', -0.5, /rejection\.templateSpreads must be in \[0, 100\]/], ['templateSpreads', 101, /templateSpreads must be in \[0, 100\]/],
      ['templateMargin', 0.9, /rejection\.templateMargin must be in \[1, 100\]/], ['templateMargin', 'far', /rejection\.templateMargin must be a finite number/],
      ['minTemplateMargin', -1, /rejection\.minTemplateMargin must be in \[0, 100\]/], ['minTemplateMargin', Infinity, /rejection\.minTemplateMargin must be a finite number/]]) {
      assertGmmHmmError(GmmHmmError, () => new gmmhmm.Recognizer({ rejection: { [key]: value } }), message);
      const bad = structuredClone(json);
      bad.options.rejection[key] = value;
      assertGmmHmmError(GmmHmmError, () => gmmhmm.Recognizer.fromJSON(JSON.stringify(bad), { workers: 0 }), new RegExp(key), 'model-format');
    }
    const badSpread = structuredClone(json);
    badSpread.words[0].templateSpread = -1;
    assertGmmHmmError(GmmHmmError, () => gmmhmm.Recognizer.fromJSON(JSON.stringify(badSpread), { workers: 0 }), /words\[0\]\.templateSpread/, 'model-format');
  });

  test('pink noise bursts (sox, as in the demo test) are rejected', async () => {
    // 60 bursts of 0.6 s cut from one repeatable stream, between silences, segmented as the
    // demo's hands-free mode does.
    const rate = 48000;
    const stream = soxPinkNoise(36, rate);
    const accepted = [];
    for (let k = 0; k < 60; k++) {
      const audio = new Float32Array(rate * 1.6);
      audio.set(stream.subarray(k * 0.6 * rate, (k + 1) * 0.6 * rate), rate / 2);
      for (const { startSample, endSample } of gmmhmm.findSpeechSegments(audio, rate)) {
        const r = await rec.classify(audio.subarray(startSample, endSample), rate);
        if (!r.rejected) accepted.push(`burst ${k} as ${r.label}: ratio ${r.likelihoodRatio.toFixed(2)}, fit ${r.fit.toFixed(2)}`);
      }
    }
    assert.deepEqual(accepted, []);
  });
});

// The bad input for few examples: one or two examples per word, one example far
// longer than the others, an example that is mostly noise, the same recording under two labels
// -- a model that still refuses noise, or an error naming the label and the example.
// Five recordings per word: one template score decides (rejection.templateScoreMinExamples 5)
// in place of the ratio test, the fit margin and the two template tests.
describe('five examples: one template score decides', { skip: speechSkip ?? false }, () => {
  const voice = 'en-gb+f3';
  const words = ['yes', 'no', 'up'];
  let rec;
  before(async () => {
    rec = new gmmhmm.Recognizer();
    for (const word of words) {
      for (const speed of [135, 145, 155, 165, 175]) rec.addExample(word, speak(word, { voice, speed, pitch: 55, rate: 48000 }), 48000);
    }
    await rec.train();
  });
  after(() => rec?.dispose());

  test('accepted exactly when ratio + a ln(margin) - b ln(spreads) reaches the threshold; older files decide by the tests', () => {
    const json = rec.toJSON();
    const r = json.options.rejection;
    assert.deepEqual([r.templateScoreMinExamples, r.templateScoreMarginWeight, r.templateScoreSpreadsWeight, r.templateScoreThreshold], [5, 70, 20, 3]);
    const old = structuredClone(json);
    for (const key of ['templateScoreMinExamples', 'templateScoreMarginWeight', 'templateScoreSpreadsWeight', 'templateScoreThreshold']) delete old.options.rejection[key];
    const off = structuredClone(json);
    off.options.rejection.templateScoreMinExamples = 0;
    const [before, never] = [old, off].map((j) => gmmhmm.Recognizer.fromJSON(JSON.stringify(j), { workers: 0 }));
    try {
      assert.equal(before.toJSON().options.rejection.templateScoreMinExamples, 0, 'a file from before: never');
      const next = random(41);
      const sounds = [...words.flatMap((w) => [120, 150, 185].map((speed) => speak(w, { voice, speed, pitch: 50, rate: 48000 }))),
        ...['left', 'down'].map((w) => speak(w, { voice, speed: 150, pitch: 55, rate: 48000 })),
        Float32Array.from({ length: 24000 }, () => 0.2 * (2 * next() - 1))];
      let decided = 0, differs = 0;
      for (const audio of sounds) {
        const [now, was, rule0] = [rec, before, never].map((x) => x.classifySync(audio, 48000));
        const decision = ({ label, rejected, reason, likelihoodRatio, fit, scores }) => ({ label, rejected, reason, likelihoodRatio, fit, scores });
        assert.deepEqual(decision(was), decision(rule0), 'the old file decides as the score switched off');
        if (!Number.isFinite(now.templateSpreads) || !Number.isFinite(now.templateMargin) || !(now.templateSpreads > 0)) continue;
        if (['silence', 'too-short', 'too-long', 'not-speech', 'poor-fit'].includes(now.reason)) continue;
        const score = now.likelihoodRatio + r.templateScoreMarginWeight * Math.log(now.templateMargin) -
          r.templateScoreSpreadsWeight * Math.log(now.templateSpreads);
        assert.equal(!now.rejected, score >= r.templateScoreThreshold, `score ${score}, ${now.reason}`);
        if (now.rejected) assert.equal(now.reason, 'out-of-vocabulary');
        decided++;
        differs += now.rejected !== rule0.rejected;
      }
      assert.ok(decided >= words.length * 3, `the score decided ${decided} of ${sounds.length}`);
      console.log(`# the score and the tests differ on ${differs} of ${decided}`);
    } finally {
      before.dispose();
      never.dispose();
    }
    for (const [key, value, message] of [['templateScoreMinExamples', -1, /rejection\.templateScoreMinExamples must be an integer in \[0, 1000\]/],
      ['templateScoreMinExamples', 2.5, /rejection\.templateScoreMinExamples/], ['templateScoreMarginWeight', -1, /rejection\.templateScoreMarginWeight must be in/],
      ['templateScoreSpreadsWeight', NaN, /rejection\.templateScoreSpreadsWeight must be a finite number/],
      ['templateScoreThreshold', Infinity, /rejection\.templateScoreThreshold must be a finite number/]]) {
      assertGmmHmmError(GmmHmmError, () => new gmmhmm.Recognizer({ rejection: { [key]: value } }), message);
      const bad = structuredClone(json);
      bad.options.rejection[key] = value;
      assertGmmHmmError(GmmHmmError, () => gmmhmm.Recognizer.fromJSON(JSON.stringify(bad), { workers: 0 }), new RegExp(key), 'model-format');
    }
  });
});

describe('few and uneven examples', { skip: speechSkip ?? false }, () => {
  const voice = 'en-us+m3';
  const rate = 16000;
  const words = ['yes', 'no', 'up'];
  const burst = (k) => {
    const audio = new Float32Array(rate * 1.6);
    audio.set(soxPinkNoise(0.6, rate).map((v, i) => v * (1 + 0.5 * Math.sin(i / (300 + 40 * k)))), rate / 2);
    return audio;
  };

  // Known gap (issue 17): with 1 or 2 examples the model-size correction of the likelihood
  // ratio (p / 2N, about 8 nats/frame for one example, 3.4 for two, 1.4 for three) lets
  // amplitude-modulated pink noise through as "yes", and the held-out scores of 1-example
  // fold models are too poor to give a fit floor. The refusal is reported, not yet required.
  for (const n of [1, 2]) {
    test(`${n} example(s) per word: trained and recognised`, async () => {
      const rec = new gmmhmm.Recognizer();
      try {
        for (const word of words) for (const speed of [140, 170].slice(0, n)) rec.addExample(word, speak(word, { voice, speed, rate }), rate);
        await rec.train();
        for (const word of words) assert.equal((await rec.classify(speak(word, { voice, speed: 155, pitch: 48, rate }), rate)).label, word);
      } finally {
        rec.dispose();
      }
    });

    test(`${n} example(s) per word: modulated noise refused`, { todo: 'the size correction is too generous below 3 examples' }, async () => {
      const rec = new gmmhmm.Recognizer();
      try {
        for (const word of words) for (const speed of [140, 170].slice(0, n)) rec.addExample(word, speak(word, { voice, speed, rate }), rate);
        await rec.train();
        const accepted = [];
        for (let k = 0; k < 8; k++) {
          const r = await rec.classify(burst(k), rate);
          if (!r.rejected) accepted.push(`burst ${k} as ${r.label}`);
        }
        assert.deepEqual(accepted, []);
      } finally {
        rec.dispose();
      }
    });
  }

  test('one example far longer than the others; one mostly noise: a model, or an error naming the label', async () => {
    const rec = new gmmhmm.Recognizer();
    try {
      for (const word of words) for (const speed of [140, 160, 175]) rec.addExample(word, speak(word, { voice, speed, rate }), rate);
      rec.addExample('yes', speak('yes', { voice, speed: 80, rate }), rate);  // about twice as long
      // 2.5 s of noise with the word in it.
      const word = speak('no', { voice, speed: 150, rate });
      const noisy = noise(2.5, rate, 0.08, 9);
      for (let i = 0; i < word.length; i++) noisy[rate + i] += word[i];
      try {
        rec.addExample('no', noisy, rate);
      } catch (e) {
        assert.ok(e instanceof GmmHmmError && /"no"/.test(e.message), e.message);
      }
      await rec.train();
      for (const w of words) assert.equal((await rec.classify(speak(w, { voice, speed: 150, pitch: 50, rate }), rate)).label, w);
      for (let k = 0; k < 8; k++) assert.equal((await rec.classify(burst(k), rate)).rejected, true, `burst ${k}`);
    } finally {
      rec.dispose();
    }
  });

  test('a file saved before the variance prior and the fit floor loads and classifies as it was saved', async () => {
    const rec = new gmmhmm.Recognizer();
    try {
      for (const word of words) for (const speed of [140, 160, 175]) rec.addExample(word, speak(word, { voice, speed, rate }), rate);
      await rec.train();
      const now = rec.toJSON();
      assert.ok(now.words.every((w) => Number.isFinite(w.fitFloor)), 'every word saves its floor');
      // What files of the previous version held: no floors, no prior options, threshold 0.
      const old = structuredClone(now);
      for (const w of old.words) delete w.fitFloor;
      delete old.options.word.variancePriorWeight;
      delete old.options.word.variancePriorScale;
      delete old.options.rejection.fitFloorSpreads;
      old.options.rejection.threshold = 0;
      for (const w of old.words) delete w.templates;
      delete old.options.word.templateWeight;
      delete old.options.word.maxTemplates;
      delete old.options.word.fewExampleMaxJump;
      for (const w of old.words) delete w.templateSpread;
      delete old.options.rejection.templateSpreads;
      delete old.options.rejection.templateMargin;
      delete old.options.rejection.minTemplateMargin;
      const loaded = gmmhmm.Recognizer.fromJSON(JSON.stringify(old), { workers: 0 });
      const reloaded = gmmhmm.Recognizer.fromJSON(JSON.stringify(now), { workers: 0 });
      // The previous version ranked by the HMMs alone: the same file with the template weight 0.
      const hmmOnly = structuredClone(now);
      hmmOnly.options.word.templateWeight = 0;
      const previous = gmmhmm.Recognizer.fromJSON(JSON.stringify(hmmOnly), { workers: 0 });
      try {
        assert.equal(loaded.toJSON().options.word.variancePriorWeight, 0, 'it retrains without the prior');
        assert.equal(loaded.toJSON().options.word.fewExampleMaxJump, 1, 'and one state at a time');
        assert.equal(loaded.toJSON().options.rejection.threshold, 0);
        assert.ok(loaded.toJSON().words.every((w) => w.fitFloor === undefined));
        for (let k = 0; k < 6; k++) {
          const audio = k < 3 ? speak(words[k], { voice, speed: 150, pitch: 52, rate }) : burst(k);
          const [a, b, c, p] = [rec, loaded, reloaded, previous].map((r) => r.classifySync(audio, rate));
          assert.deepEqual(c, a, 'the new file round-trips');
          assert.deepEqual(b.scores, p.scores);
          assert.ok(b.scores.every((s) => s.templateDistance === null));
          assert.equal(b.likelihoodRatio, p.likelihoodRatio);
          assert.notEqual(b.reason, 'poor-fit');
          // The previous version's decision: ratio >= 0 and within fitMargin of the worst held-out example.
          if (!['not-speech', 'too-short'].includes(b.reason)) assert.equal(b.rejected, p.likelihoodRatio < 0 || p.fit < -10, `${k}: ${b.reason}`);
        }
      } finally {
        loaded.dispose();
        reloaded.dispose();
        previous.dispose();
      }
    } finally {
      rec.dispose();
    }
  });

  test('the same recording under two labels is an error naming both', () => {
    const rec = new gmmhmm.Recognizer();
    try {
      const yes = speak('yes', { voice, speed: 150, rate });
      rec.addExample('yes', yes, rate);
      rec.addExample('yes', yes, rate);  // a repetition of one label is allowed
      assertGmmHmmError(GmmHmmError, () => rec.addExample('no', yes, rate), /example 1 of "no" is identical to example 1 of "yes"/);
      assert.equal(rec.exampleCount('no'), 0);
    } finally {
      rec.dispose();
    }
  });

  test('exampleFeatures: the features of each example, as addExample computed them', () => {
    const rec = new gmmhmm.Recognizer();
    try {
      rec.addExample('up', speak('up', { voice, speed: 150, rate }), rate);
      rec.addExample('up', speak('up', { voice, speed: 120, rate }), rate);
      const f = rec.exampleFeatures('up');
      assert.equal(f.length, 2);
      assert.ok(f[1].length > f[0].length, 'the slower one has more frames');
      for (const x of f) assert.ok(x.every((row) => row.length === rec.featureWidth && row.every(Number.isFinite)));
      assertGmmHmmError(GmmHmmError, () => rec.exampleFeatures('down'), /"down" has no examples/);
    } finally {
      rec.dispose();
    }
  });
});

describe('espeak-ng words', { skip: speechSkip ?? false }, () => {
  let rec;
  let trainAudio;
  before(async () => {
    trainAudio = WORDS.flatMap((word) => TRAIN.map((v) => ({ word, samples: say(word, v) })));
    rec = new gmmhmm.Recognizer();
    for (const { word, samples } of trainAudio) rec.addExample(word, samples, RATE);
    await rec.train();
  });
  after(() => rec?.dispose());

  test('labels and example counts', () => {
    assert.deepEqual(rec.labels, WORDS);
    for (const w of WORDS) assert.equal(rec.exampleCount(w), TRAIN.length);
    assert.equal(rec.exampleCount('banana'), 0);
    assert.ok(rec.trained);
    assert.ok(rec.calibration.samples > 0, 'calibrated on held-out examples');
  });

  test('classifies the words in unseen voices, at 16 and 48 kHz', async () => {
    let correct = 0;
    let total = 0;
    const misses = [];
    for (const word of WORDS) {
      for (const v of TEST) {
        for (const rate of [16000, 48000]) {
          const r = await rec.classify(say(word, v, rate), rate);
          total++;
          if (r.label === word) correct++;
          else misses.push(`${word} (${v[0]}, ${rate} Hz) -> ${r.label}`);
          // The result's shape (the contract).
          assert.equal(r.scores.length, WORDS.length);
          assert.equal(r.label, r.scores[0].label);
          assert.equal(r.confidence, r.scores[0].probability);
          const sum = r.scores.reduce((s, x) => s + x.probability, 0);
          assert.ok(Math.abs(sum - 1) < 1e-9, `probabilities sum to ${sum}`);
          // Best first: by probability (the log-likelihood alone when the words have no templates).
          for (let k = 1; k < r.scores.length; k++) assert.ok(r.scores[k - 1].probability >= r.scores[k].probability);
          assert.equal(r.alignment.label, r.label);
          assert.equal(r.alignment.states.length, r.frames);
          assert.ok(r.alignment.states.every((s, t) => t === 0 || s >= r.alignment.states[t - 1]), 'left-to-right alignment');
        }
      }
    }
    // Unseen synthetic voices differ far more than one speaker's repetitions: most, not all.
    assert.ok(correct / total >= 0.8, `accuracy ${correct}/${total}; misses: ${misses.join('; ')}`);
  });

  test('the training voices themselves are recognised and accepted', async () => {
    for (const { word, samples } of trainAudio.filter((_, i) => i % 5 === 0)) {
      const r = await rec.classify(samples, RATE);
      assert.equal(r.label, word);
      assert.equal(r.rejected, false, `${word}: ${r.reason} (ratio ${r.likelihoodRatio.toFixed(2)})`);
    }
  });

  test('rejects noise, a hum and an unseen word', async () => {
    const hum = Float32Array.from({ length: RATE * 0.6 }, (_, i) => 0.3 * Math.sin(2 * Math.PI * 180 * i / RATE) + 0.15 * Math.sin(2 * Math.PI * 360 * i / RATE));
    const impostors = {
      noise: noise(0.6, RATE, 0.3),
      hum,
      banana: say('banana', TRAIN[0]),
    };
    for (const [name, samples] of Object.entries(impostors)) {
      const r = await rec.classify(samples, RATE);
      assert.equal(r.rejected, true, `${name} accepted as ${r.label} (ratio ${r.likelihoodRatio.toFixed(2)}, fit ${r.fit.toFixed(2)})`);
      assert.ok(name === 'banana' ? r.reason === 'out-of-vocabulary' : ['not-speech', 'out-of-vocabulary'].includes(r.reason), `${name}: ${r.reason}`);
      assert.ok(WORDS.includes(r.label), 'a rejected sound still names the closest word');
    }
  });

  test('steady low tones are not speech, although their level wobbles against the frames', async () => {
    for (const rate of [8000, RATE]) {
      for (const hz of [100, 140, 180]) {
        const tone = Float32Array.from({ length: rate * 0.6 }, (_, i) => 0.3 * Math.sin(2 * Math.PI * hz * i / rate));
        const r = await rec.classify(tone, rate);
        assert.equal(r.reason, 'not-speech', `${hz} Hz at ${rate} Hz: ${r.reason} (accepted as ${r.label}?)`);
      }
    }
  });

  test('a hum or a noise burst between silences is not speech (their onset and end do not count as change)', async () => {
    for (const rate of [8000, 16000, 48000]) {
      const pad = new Float32Array(rate * 0.15);
      const between = (sound) => Float32Array.from([...pad, ...sound, ...pad]);
      const hum = Float32Array.from({ length: rate * 0.6 }, (_, i) => 0.15 * Math.sin(2 * Math.PI * 180 * i / rate) + 0.15 * Math.sin(2 * Math.PI * 360 * i / rate));
      for (const [name, sound] of [['hum', hum], ['pink noise', soxPinkNoise(0.6, rate)]]) {
        const r = await rec.classify(between(sound), rate);
        assert.equal(r.reason, 'not-speech', `${name} at ${rate} Hz: ${r.reason} (accepted as ${r.label}?)`);
      }
    }
  });

  test('with variance normalisation, words are still speech (the steadiness tests use the raw cepstra)', async () => {
    const cvn = new gmmhmm.Recognizer({ features: { normalizeVariance: true } });
    try {
      for (const { word, samples } of trainAudio) cvn.addExample(word, samples, RATE);
      await cvn.train({ workers: 0 });
      for (const { word, samples } of trainAudio.filter((_, i) => i % 5 === 0)) {
        const r = await cvn.classify(samples, RATE);
        assert.notEqual(r.reason, 'not-speech', `${word} was called not-speech`);
        assert.equal(r.label, word);
      }
      assert.equal((await cvn.classify(noise(0.6, RATE, 0.3), RATE)).reason, 'not-speech');
    } finally {
      cvn.dispose();
    }
  });

  test('a recognizer from a file keeps its words when trained with a new one: train() names them until their examples are back', async () => {
    const loaded = gmmhmm.Recognizer.fromJSON(rec.toJSON());
    try {
      for (const v of TRAIN) loaded.addExample('stop', say('stop', v), RATE);
      await assert.rejects(loaded.train(), (error) => error instanceof GmmHmmError && error.code === 'invalid-argument' &&
        /^train: the words "yes", "no", "up", "down", "left", "right" have a trained model but no examples .*removeExamples\(label\)/.test(error.message));
      assert.deepEqual(loaded.labels, ['stop', ...WORDS], 'nothing changed');
      assert.equal((await loaded.classify(say('no', TEST[0]), RATE)).label, 'no');
      // The examples back, from the features the first recognizer kept; one word given up.
      for (const word of WORDS.slice(1)) for (const x of rec.exampleFeatures(word)) loaded.addFeatures(word, x);
      loaded.removeExamples('yes');
      await loaded.train();
      assert.deepEqual(loaded.labels, ['stop', ...WORDS.slice(1)]);
      assert.equal((await loaded.classify(say('stop', TEST[0]), RATE)).label, 'stop');
      assert.equal((await loaded.classify(say('left', TEST[0]), RATE)).label, 'left');
    } finally {
      loaded.dispose();
    }
  });

  test('documented rejections: silence, too short, too long', async () => {
    const silence = await rec.classify(new Float32Array(RATE), RATE);
    assert.deepEqual([silence.rejected, silence.reason, silence.label, silence.scores.length, silence.confidence], [true, 'silence', null, 0, 0]);
    const click = await rec.classify(noise(0.02, RATE, 0.5), RATE);
    assert.equal(click.rejected, true);
    assert.equal(click.reason, 'too-short');
    // A little longer: alignable by words that may skip states (5 examples each,
    // word.fewExampleMaxJump), and refused by the tests after them.
    const longerClick = await rec.classify(noise(0.03, RATE, 0.5), RATE);
    assert.deepEqual([longerClick.rejected, longerClick.reason], [true, 'not-speech']);
    const long = await rec.classify(noise(120, RATE, 0.2), RATE);
    assert.deepEqual([long.rejected, long.reason, long.label], [true, 'too-long', null]);
    const empty = await rec.classify(new Float32Array(0), RATE);
    assert.equal(empty.rejected, true);
  });

  test('toJSON / fromJSON round trip gives the same results; corrupt JSON is a model-format error', async () => {
    const json = rec.toJSON();
    assert.equal(json.format, 'gmmhmm-recognizer');
    const copy = gmmhmm.Recognizer.fromJSON(JSON.parse(JSON.stringify(json)));
    try {
      assert.deepEqual(copy.labels, WORDS);
      const samples = say('left', TEST[0]);
      const a = await rec.classify(samples, RATE);
      const b = await copy.classify(samples, RATE);
      assert.equal(b.label, a.label);
      assert.ok(Math.abs(a.confidence - b.confidence) < 1e-9);
      assert.deepEqual(Array.from(b.alignment.states), Array.from(a.alignment.states));
    } finally {
      copy.dispose();
    }
    const text = JSON.stringify(json);
    assertGmmHmmError(GmmHmmError, () => gmmhmm.Recognizer.fromJSON(text.slice(0, text.length / 2)), /does not parse/, 'model-format');
    assertGmmHmmError(GmmHmmError, () => gmmhmm.Recognizer.fromJSON({ ...json, format: 'x' }), /format/, 'model-format');
    assertGmmHmmError(GmmHmmError, () => gmmhmm.Recognizer.fromJSON({ ...json, words: [] }), /words/, 'model-format');
    const broken = JSON.parse(text);
    broken.words[2].model.transmat = [[0.5]];
    assertGmmHmmError(GmmHmmError, () => gmmhmm.Recognizer.fromJSON(broken), /up/, 'model-format');
    assertGmmHmmError(GmmHmmError, () => gmmhmm.Recognizer.fromJSON(42), /recognizer JSON must be an object or a string, got 42/, 'model-format');
  });

  test('workers train with the caller\'s build: the non-SIMD module gives bit-identical models in workers and in this thread', async () => {
    // Workers used to load their own module ('auto': SIMD here), so the models of a non-SIMD
    // (or custom wasmURL / wasmBinary) load() differed from in-thread training.
    const nosimd = await load({ variant: 'nosimd' });
    const a = new nosimd.Recognizer({ workers: 0 });
    const b = new nosimd.Recognizer({ workers: 2 });
    try {
      for (const { word, samples } of trainAudio.filter((x) => ['yes', 'no'].includes(x.word))) {
        a.addExample(word, samples, RATE);
        b.addExample(word, samples, RATE);
      }
      await Promise.all([a.train(), b.train()]);
      assert.deepEqual(b.toJSON(), a.toJSON());
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  test('prepareWorkers starts the workers ahead of train(); bad values are errors', async () => {
    const fresh = await load({ variant: 'nosimd' });  // a build of its own: its workers are new
    const started = await fresh.Recognizer.prepareWorkers({ workers: 2 });
    assert.equal(started, 2);
    assert.equal(await fresh.Recognizer.prepareWorkers({ workers: 2 }), 2, 'the same idle workers, none added');
    assert.equal(await fresh.Recognizer.prepareWorkers({ workers: 0 }), 0);
    const rec = new fresh.Recognizer({ workers: 2 });
    const alone = new fresh.Recognizer({ workers: 0 });
    try {
      for (const { word, samples } of trainAudio.filter((x) => ['up', 'down'].includes(x.word))) {
        rec.addExample(word, samples, RATE);
        alone.addExample(word, samples, RATE);
      }
      await rec.train();
      await alone.train();
      assert.deepEqual(rec.toJSON(), alone.toJSON());
    } finally {
      rec.dispose();
      alone.dispose();
    }
    for (const workers of [-1, 1.5, 'all', null]) {
      await assert.rejects(fresh.Recognizer.prepareWorkers({ workers }), (e) => e instanceof GmmHmmError && /prepareWorkers: workers must be/.test(e.message));
    }
  });

  test('train() right after the first examples (their workers still starting) waits for them, same models', async () => {
    const fresh = await load();  // a build of its own: addExample starts its workers now
    const rec = new fresh.Recognizer({ workers: 2 });
    const alone = new fresh.Recognizer({ workers: 0 });
    try {
      for (const { word, samples } of trainAudio.filter((x) => ['left', 'right'].includes(x.word))) {
        rec.addExample(word, samples, RATE);
        alone.addExample(word, samples, RATE);
      }
      await Promise.all([rec.train(), alone.train()]);
      assert.deepEqual(rec.toJSON(), alone.toJSON());
    } finally {
      rec.dispose();
      alone.dispose();
    }
  });

  test('training in parallel workers gives the same models as in this thread', async () => {
    const a = new gmmhmm.Recognizer({ workers: 0 });
    const b = new gmmhmm.Recognizer({ workers: 3 });
    try {
      for (const { word, samples } of trainAudio.filter((x) => ['yes', 'no', 'up'].includes(x.word))) {
        a.addExample(word, samples, RATE);
        b.addExample(word, samples, RATE);
      }
      await Promise.all([a.train(), b.train()]);
      assert.deepEqual(b.toJSON(), a.toJSON());
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});

describe('training progress and cancellation', { skip: speechSkip ?? false }, () => {
  const examples = ['go', 'stop'].flatMap((word) => TRAIN.slice(0, 3).map((v) => ({ word, samples: say(word, v) })));

  for (const workers of [0, 2]) {
    test(`progress per label and iteration (workers: ${workers})`, async () => {
      const rec = new gmmhmm.Recognizer({ workers });
      try {
        for (const { word, samples } of examples) rec.addExample(word, samples, RATE);
        const events = [];
        await rec.train({ onProgress: (e) => events.push(e) });
        for (const word of ['go', 'stop']) {
          const mine = events.filter((e) => e.label === word);
          const iterations = mine.filter((e) => !e.done);
          assert.ok(iterations.length > 0, `iterations of ${word}`);
          iterations.forEach((e, i) => {
            assert.equal(e.iteration, i + 1);
            assert.ok(e.iteration <= e.nIter);
            assert.ok(Number.isFinite(e.logLikelihoodPerFrame));
            assert.ok(e.fraction > 0 && e.fraction <= 1);
          });
          assert.equal(mine.at(-1).done, true);
          assert.equal(mine.at(-1).fraction, 1);
        }
        const background = events.filter((e) => e.label === null);
        assert.ok(background.length > 1 && background.every((e) => e.stage === 'background'));
        // Its last event, as every word's, says it is trained.
        assert.deepEqual([background.at(-1).done, background.at(-1).fraction, events.at(-1).label], [true, 1, null]);
      } finally {
        rec.dispose();
      }
    });

    test(`an onProgress that throws stops the training with its error, the state kept (workers: ${workers})`, async () => {
      const rec = new gmmhmm.Recognizer({ workers });
      try {
        for (const { word, samples } of examples) rec.addExample(word, samples, RATE);
        const mistake = new TypeError('the page\'s handler failed');
        let calls = 0;
        await assert.rejects(rec.train({ onProgress: () => { calls++; throw mistake; } }), (e) => e === mistake);
        assert.equal(calls, 1, 'no event after the handler failed');
        assert.equal(rec.trained, false);
        // At the done events too (after every job, before the models are installed).
        await assert.rejects(rec.train({ onProgress: (e) => { if (e.done) throw mistake; } }), (e) => e === mistake);
        assert.equal(rec.trained, false);
        // Whatever it threw, undefined included (an abort's reason would otherwise take its place).
        await assert.rejects(rec.train({ onProgress: () => { throw undefined; } }), (e) => e === undefined);
        assert.equal(rec.trained, false);
        await rec.train();
        assert.equal(rec.trained, true);
      } finally {
        rec.dispose();
      }
    });

    test(`nIter 0: the done events say no log-likelihood (null, not NaN) and count the frames (workers: ${workers})`, async () => {
      const rec = new gmmhmm.Recognizer({ workers, word: { nIter: 0 }, background: { nIter: 0 } });
      try {
        for (const { word, samples } of examples) rec.addExample(word, samples, RATE);
        const events = [];
        await rec.train({ onProgress: (e) => events.push(e) });
        assert.deepEqual(events.map((e) => [e.label, e.done, e.logLikelihood, e.logLikelihoodPerFrame]),
          [['go', true, null, null], ['stop', true, null, null], [null, true, null, null]]);
        const frames = (label) => rec.exampleFeatures(label).reduce((n, m) => n + m.length, 0);
        assert.deepEqual(events.map((e) => e.frames), [frames('go'), frames('stop'), frames('go') + frames('stop')]);
      } finally {
        rec.dispose();
      }
    });

    test(`AbortSignal cancels and keeps the previous state (workers: ${workers})`, async () => {
      const rec = new gmmhmm.Recognizer({ workers });
      try {
        for (const { word, samples } of examples) rec.addExample(word, samples, RATE);
        const controller = new AbortController();
        const training = rec.train({ signal: controller.signal, onProgress: () => controller.abort() });
        await assert.rejects(training, (e) => e.name === 'AbortError');
        assert.equal(rec.trained, false);
        const already = new AbortController();
        already.abort();
        await assert.rejects(rec.train({ signal: already.signal }), (e) => e.name === 'AbortError');
        await rec.train(); // still usable
        assert.equal(rec.trained, true);
      } finally {
        rec.dispose();
      }
    });
  }
});

describe('bad input', () => {
  test('classify before train, train without examples', async () => {
    const rec = new gmmhmm.Recognizer();
    try {
      await assert.rejects(rec.classify(noise(0.5, RATE), RATE), (e) => e instanceof GmmHmmError && e.code === 'not-fitted' && /train/.test(e.message));
      await assert.rejects(rec.train(), (e) => e instanceof GmmHmmError && /no examples/.test(e.message));
      assert.throws(() => rec.toJSON(), (e) => e.code === 'not-fitted');
      assert.equal(rec.exampleCount('nothing'), 0);
    } finally {
      rec.dispose();
    }
  });

  test('examples: empty, silent, NaN, wrong types, bad labels, bad rates', () => {
    const rec = new gmmhmm.Recognizer();
    try {
      assertGmmHmmError(GmmHmmError, () => rec.addExample('a', new Float32Array(0), RATE), /empty/);
      assertGmmHmmError(GmmHmmError, () => rec.addExample('a', new Float32Array(RATE), RATE), /silent/);
      const nan = noise(0.5, RATE);
      nan[100] = NaN;
      assertGmmHmmError(GmmHmmError, () => rec.addExample('a', nan, RATE), /NaN/);
      assertGmmHmmError(GmmHmmError, () => rec.addExample('a', 'loud', RATE), /samples/);
      assertGmmHmmError(GmmHmmError, () => rec.addExample('', noise(0.5, RATE), RATE), /label/);
      assertGmmHmmError(GmmHmmError, () => rec.addExample(7, noise(0.5, RATE), RATE), /label/);
      assertGmmHmmError(GmmHmmError, () => rec.addExample('a', noise(0.5, RATE), -1), /sample ?rate/i);
      assertGmmHmmError(GmmHmmError, () => rec.addExample('a', noise(0.5, RATE), NaN), /sampleRate/);
      assertGmmHmmError(GmmHmmError, () => rec.addFeatures('a', [[1, 2, 3]]), /39 columns/);
      assert.deepEqual(rec.labels, []);
    } finally {
      rec.dispose();
    }
  });

  test('classify: NaN samples, bad rate; options: unknown keys and bad values', async () => {
    const rec = new gmmhmm.Recognizer({ workers: 0 });
    try {
      for (let i = 0; i < 3; i++) rec.addFeatures('a', Array.from({ length: 30 }, (_, t) => Array.from({ length: 39 }, (_, d) => Math.sin(t * 0.3 + d + i))));
      await rec.train();
      const nan = noise(0.5, RATE);
      nan[7] = Infinity;
      await assert.rejects(rec.classify(nan, RATE), (e) => e.code === 'invalid-argument' && /NaN or infinite/.test(e.message));
      await assert.rejects(rec.classify(noise(0.5, RATE), 0), (e) => e.code === 'invalid-argument' && /sampleRate/.test(e.message));
    } finally {
      rec.dispose();
    }
    assertGmmHmmError(GmmHmmError, () => new gmmhmm.Recognizer({ wrod: {} }), /Recognizer: unknown option 'wrod' \(known: workers, features, word, background, rejection\)/);
    // Misspelt options inside a section are errors too (they used to be ignored).
    assertGmmHmmError(GmmHmmError, () => new gmmhmm.Recognizer({ word: { maxmix: 8 } }), /word: unknown option 'maxmix' \(expected one of .*maxMix/);
    assertGmmHmmError(GmmHmmError, () => new gmmhmm.Recognizer({ features: { numCepts: 12 } }), /features: unknown option 'numCepts'/);
    assertGmmHmmError(GmmHmmError, () => new gmmhmm.Recognizer({ background: { mix: 8 } }), /background: unknown option 'mix'/);
    assertGmmHmmError(GmmHmmError, () => new gmmhmm.Recognizer({ rejection: { treshold: 1 } }), /rejection: unknown option 'treshold'/);
    assertGmmHmmError(GmmHmmError, () => new gmmhmm.Recognizer({ word: { maxMix: 0 } }), /maxMix/);
    assertGmmHmmError(GmmHmmError, () => new gmmhmm.Recognizer({ rejection: { threshold: 'high' } }), /threshold/);
    assertGmmHmmError(GmmHmmError, () => new gmmhmm.Recognizer({ workers: -1 }), /workers/);
    assertGmmHmmError(GmmHmmError, () => new gmmhmm.Recognizer(5), /options/);
  });

  test('a disposed recognizer says so; dispose is idempotent; memory comes back', async () => {
    const before = gmmhmm.heapBytesInUse();
    for (let i = 0; i < 20; i++) {
      const rec = new gmmhmm.Recognizer({ workers: 0 });
      rec.addExample('hum', Float32Array.from({ length: 8000 }, (_, t) => 0.3 * Math.sin(t * (0.1 + 0.01 * i))), 16000);
      rec.dispose();
      rec.dispose();
      if (i === 0) assertGmmHmmError(GmmHmmError, () => rec.labels, /disposed/, 'disposed');
    }
    assert.equal(gmmhmm.heapBytesInUse(), before);
  });
});

// Training workers and listeners: nothing a training starts may outlive it or its
// Recognizer. Behaviour, not timing: worker threads are counted from Node's 'worker' event
// to their 'exit', listeners with events.getEventListeners. Synthetic features (no speech
// tools needed). The timeout only turns a regression (threads that never end) into a failure
// instead of a hang.
describe('workers and listeners', { timeout: 300_000 }, () => {
  const alive = new Set();
  const onWorker = (w) => {
    alive.add(w);
    w.once('exit', () => alive.delete(w));
  };
  before(() => process.on('worker', onWorker));
  after(() => process.off('worker', onWorker));

  const next = random(11);
  const word = (w, frames) => Array.from({ length: frames }, (_, t) => Array.from({ length: 39 }, (_, d) => Math.sin(t * 0.05 * (w + 1) + d) + 0.3 * next()));
  function withExamples(rec, { words = 3, frames = 30 } = {}) {
    for (let w = 0; w < words; w++) for (let i = 0; i < 3; i++) rec.addFeatures(`w${w}`, word(w, frames));
    return rec;
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
  const processListeners = () => process.eventNames().map((name) => `${String(name)} ${process.listenerCount(name)}`).sort();

  test('a reused AbortSignal holds no listener after each train(); one while it runs', async () => {
    const api = await load();
    for (const workers of [0, 2]) {
      const rec = withExamples(new api.Recognizer({ workers }));
      const controller = new AbortController();
      try {
        for (let k = 0; k < 12; k++) {
          let during = -1;
          await rec.train({ signal: controller.signal, onProgress: () => { during = getEventListeners(controller.signal, 'abort').length; } });
          assert.equal(during, 1, `workers ${workers}, training ${k}: listeners while training`);
          assert.equal(getEventListeners(controller.signal, 'abort').length, 0, `workers ${workers}, after training ${k}`);
        }
        controller.abort();  // after the trainings: changes nothing
        assert.equal(rec.trained, true);
        await rec.train();
      } finally {
        rec.dispose();
      }
    }
  });

  test('load + train + dispose cycles leave no worker threads, OS threads or process listeners behind', async () => {
    const listenersBefore = processListeners();
    const osThreads = () => (fs.existsSync('/proc/self/task') ? fs.readdirSync('/proc/self/task').length : null);
    const threadsAfter = [];
    for (let cycle = 0; cycle < 5; cycle++) {
      const api = await load();
      const rec = withExamples(new api.Recognizer({ workers: 2 }));
      await rec.train();
      assert.equal(alive.size, 2, `cycle ${cycle}: the two workers train`);
      rec.dispose();  // the last user of this load()'s workers: they end
      while (alive.size > 0) await settle();
      threadsAfter.push(osThreads());
    }
    if (threadsAfter[0] !== null) assert.ok(threadsAfter.at(-1) <= threadsAfter[0], `OS threads after each cycle: ${threadsAfter}`);
    assert.deepEqual(processListeners(), listenersBefore);
  });

  test('a Recognizer disposed while the workers its first example started are still starting ends them', async () => {
    for (let cycle = 0; cycle < 3; cycle++) {
      const api = await load();
      const rec = withExamples(new api.Recognizer({ workers: 2 }));  // starts 2 workers in the background
      rec.dispose();
      // The pool is still starting them: prepareWorkers() waits for that start-up to end.
      await api.Recognizer.prepareWorkers({ workers: 0 });
      while (alive.size > 0) await settle();
    }
  });

  test('workers are shared by a load()\'s Recognizers: the last dispose() ends them, terminateWorkers() at once', async () => {
    const api = await load();
    const a = withExamples(new api.Recognizer({ workers: 2 }));
    const b = withExamples(new api.Recognizer({ workers: 2 }));
    const fromFile = api.Recognizer.fromJSON((await a.train(), a.toJSON()));  // never trains: not a user
    await b.train();
    assert.equal(alive.size, 2, 'one pool for both');
    a.dispose();
    fromFile.dispose();
    await settle();
    assert.equal(alive.size, 2, 'b still uses them');
    b.dispose();
    while (alive.size > 0) await settle();

    assert.equal(await api.Recognizer.prepareWorkers({ workers: 2 }), 2);
    for (let k = 0; k < 5; k++) assert.equal(await api.Recognizer.prepareWorkers({ workers: 2 }), 2);
    assert.equal(alive.size, 2, 'prepareWorkers() again starts none');
    await api.terminateWorkers();
    assert.equal(alive.size, 0, 'terminateWorkers() resolves once the threads have ended');
    await api.terminateWorkers();  // nothing to end: fine

    const c = withExamples(new api.Recognizer({ workers: 2 }));
    try {
      await assert.rejects(c.train({ onProgress: () => { api.terminateWorkers(); } }),
        (e) => e instanceof GmmHmmError && e.code === 'cancelled' && /training workers were terminated/.test(e.message));
      assert.equal(c.trained, false);
      await c.train();  // new workers
      assert.equal(c.trained, true);
    } finally {
      c.dispose();
    }
    while (alive.size > 0) await settle();
  });

  test('dispose() during train() rejects it with code disposed and ends its workers', async () => {
    const api = await load();
    for (const workers of [0, 2]) {
      const rec = withExamples(new api.Recognizer({ workers }));
      let disposed = false;
      await assert.rejects(rec.train({ onProgress: () => { if (!disposed) { disposed = true; rec.dispose(); } } }),
        (e) => e instanceof GmmHmmError && e.code === 'disposed' && /disposed while training/.test(e.message));
      assertGmmHmmError(GmmHmmError, () => rec.labels, /disposed/, 'disposed');
    }
    while (alive.size > 0) await settle();
  });

  test('a second train() while one runs is refused; classify() meanwhile uses the previous models', async () => {
    const api = await load();
    const rec = withExamples(new api.Recognizer({ workers: 2 }));
    try {
      const first = rec.train();
      await assert.rejects(rec.train(), (e) => e instanceof GmmHmmError && /already training/.test(e.message));
      assertGmmHmmError(GmmHmmError, () => rec.classifyFeatures(word(0, 30)), /not trained/, 'not-fitted');
      // The examples are those train() was called with: changes wait (they failed the whole training at its end).
      const changing = /^(addFeatures|removeExamples): this Recognizer is training; change its examples after train\(\) settles \(or abort it first\)$/;
      assertGmmHmmError(GmmHmmError, () => rec.addFeatures('w0', word(0, 30)), changing, 'invalid-argument');
      assertGmmHmmError(GmmHmmError, () => rec.removeExamples('w1'), changing, 'invalid-argument');
      await first;
      rec.addFeatures('w0', word(0, 30));
      rec.removeExamples('w0');
      withExamples(rec);
      assert.equal(rec.classifyFeatures(word(1, 30)).label, 'w1');
      const again = rec.train();
      assert.equal(rec.classifyFeatures(word(2, 30)).label, 'w2', 'the previous models while training');
      await again;
      const aborted = new AbortController();
      aborted.abort();
      const before = alive.size;
      await assert.rejects(rec.train({ signal: aborted.signal }), (e) => e.name === 'AbortError');
      assert.equal(alive.size, before, 'an aborted signal starts nothing');
    } finally {
      rec.dispose();
    }
  });

  test('a worker killed mid-job fails train() naming the job (no hang); an idle one killed is replaced', async () => {
    const api = await load();
    // Jobs long enough that the first progress event arrives seconds before they end.
    const rec = withExamples(new api.Recognizer({ workers: 2, word: { nIter: 40, tol: 0, calibrationFolds: 0 } }), { frames: 80 });
    try {
      let killed = false;
      await assert.rejects(rec.train({
        onProgress: (e) => {
          if (killed || e.stage !== 'word') return;
          killed = true;
          for (const w of alive) w.terminate();
        },
      }), (e) => e instanceof GmmHmmError && e.code === 'internal' &&
        /train: the training worker of ("w\d"|the background model) stopped unexpectedly \(the training worker exited/.test(e.message));
      assert.equal(rec.trained, false);
      await rec.train();  // new workers
      assert.equal(rec.trained, true);
      for (const w of alive) await w.terminate();  // idle workers die
      await rec.train();
    } finally {
      rec.dispose();
    }
    while (alive.size > 0) await settle();
  });

  test('the workers option: one validation for the constructor, train(), prepareWorkers() and fromJSON()', async () => {
    const api = await load();
    const rec = withExamples(new api.Recognizer({ workers: 0 }));
    try {
      await rec.train();
      const json = rec.toJSON();
      for (const workers of ['lots', -1, 1.5, 257, 1e6, null, true, '2', NaN]) {
        const pattern = /workers must be 'auto' \(one per core, at most 8\), false, or an integer in \[0, 256\]/;
        assertGmmHmmError(GmmHmmError, () => new api.Recognizer({ workers }), pattern);
        assertGmmHmmError(GmmHmmError, () => api.Recognizer.fromJSON(json, { workers }), pattern);
        await assert.rejects(rec.train({ workers }), (e) => e instanceof GmmHmmError && pattern.test(e.message));
        await assert.rejects(api.Recognizer.prepareWorkers({ workers }), (e) => e instanceof GmmHmmError && pattern.test(e.message));
      }
      await assert.rejects(rec.train({ worker: 2 }), (e) => e instanceof GmmHmmError && /train options: unknown option 'worker'/.test(e.message));
      await assert.rejects(rec.train('fast'), (e) => e instanceof GmmHmmError && /train options must be an object/.test(e.message));
      await assert.rejects(rec.train({ signal: { aborted: false } }), (e) => e instanceof GmmHmmError && /signal must be an AbortSignal/.test(e.message));
      assert.equal(alive.size, 0, 'no worker was started by a refused call');
    } finally {
      rec.dispose();
    }
  });
});
