// Recognition that does not care how a word was cut or what the room sounds like (issue 14):
// words trained as cut are recognised and accepted when the same words arrive padded with
// digital silence or room noise, or with noise over the whole recording (the conditions of
// bench/recognizer-robustness.js, with synthetic speech); bad recordings get their documented
// rejection, never a confident wrong word.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'gmmhmm';
import { speak, speechSkipReason } from './helpers.js';
import { CONDITIONS, applyCondition, whiteNoise, pinkNoise, rmsOf } from './audio-conditions.js';

const speechSkip = speechSkipReason();
if (speechSkip) console.log(`# ${speechSkip}`);

const WORDS = ['yes', 'no', 'stop', 'seven', 'left', 'right'];
const RATE = 16000;
// One voice, three recordings per word (the enrolment a user does), a fourth to test.
const VOICE = 'en-us+m3';
const TRAIN_SPEEDS = [135, 150, 165];
const TEST_SPEED = 157;
const say = (word, speed) => speak(word, { voice: VOICE, speed, pitch: 48, rate: RATE });

describe('padding and noise', { skip: speechSkip ?? false }, () => {
  let gmmhmm;
  let rec;
  const test_ = new Map();
  before(async () => {
    gmmhmm = await load();
    rec = new gmmhmm.Recognizer();
    for (const word of WORDS) for (const speed of TRAIN_SPEEDS) rec.addExample(word, say(word, speed), RATE);
    await rec.train();
    for (const word of WORDS) test_.set(word, say(word, TEST_SPEED));
  });
  after(() => rec?.dispose());

  // 10 dB SNR is reported by the benchmark, not promised. A second of pink noise nearly as
  // loud as the word around it may be rejected (docs/robustness.md), but never misread.
  const mayReject = (condition) => condition.padNoise === 'pink' && condition.pad >= 1;
  for (const [name, condition] of CONDITIONS.filter(([, c]) => !(c.snrDb <= 10))) {
    test(`${name}: every word recognised${mayReject(condition) ? '' : ' and accepted'}`, () => {
      const misses = [];
      for (const [word, samples] of test_) {
        const r = rec.classifySync(applyCondition(samples, RATE, condition, word.length), RATE);
        if (r.label !== word || (r.rejected && !mayReject(condition))) misses.push(`${word} -> ${r.label}${r.rejected ? ` (rejected: ${r.reason})` : ''}`);
      }
      assert.deepEqual(misses, []);
    });
  }

  test('noise uncertainty: on by default, off for files from before it, and it only relaxes the ratio test', () => {
    const json = rec.toJSON();
    assert.equal(json.options.features.noiseUncertainty, 0.25);
    delete json.options.features.noiseUncertainty;
    const older = gmmhmm.Recognizer.fromJSON(json, { workers: 0 });
    try {
      assert.equal(older.toJSON().options.features.noiseUncertainty, 0, 'a file without the key scores as before');
      const condition = { pad: 0.3, padNoise: 'white', padDbfs: -50 };
      for (const [word, samples] of test_) {
        const x = applyCondition(samples, RATE, condition, word.length);
        const a = rec.classifySync(x, RATE), b = older.classifySync(x, RATE);
        // The word is chosen, and its probability computed, without the uncertainty.
        assert.equal(a.label, b.label, word);
        assert.equal(a.confidence, b.confidence, word);
        assert.ok(Number.isFinite(a.likelihoodRatio), word);
      }
    } finally {
      older.dispose();
    }
  });

  test('a word cut tight and the same word in digital silence give the same scores', () => {
    for (const [word, samples] of test_) {
      const a = rec.classifySync(samples, RATE);
      const b = rec.classifySync(applyCondition(samples, RATE, { pad: 0.5, padNoise: 'zeros' }), RATE);
      assert.equal(b.label, a.label, word);
      assert.ok(Math.abs(b.likelihoodRatio - a.likelihoodRatio) < 0.05, `${word}: ratio ${a.likelihoodRatio} vs ${b.likelihoodRatio}`);
    }
  });

  test('bad recordings: the documented rejection, never a confident wrong word', () => {
    const second = RATE;
    const cases = [
      ['digital silence', new Float32Array(second), 'silence'],
      ['near silence (-80 dBFS hiss)', whiteNoise(second, 1e-4, 3), 'silence'],
      ['white noise at -30 dBFS', whiteNoise(second, 0.03, 4), 'not-speech'],
      ['pink noise at -25 dBFS', pinkNoise(second, 0.056, 5), 'not-speech'],
      ['white noise between silences', applyCondition(whiteNoise(second / 2, 0.05, 6), RATE, { pad: 0.4, padNoise: 'zeros' }), 'not-speech'],
      // Two noises: steady between its noise edges, not over the whole recording, so the
      // steadiness test lets it through to the models, which refuse it.
      ['pink noise padded with quiet white noise', applyCondition(pinkNoise(second / 2, 0.05, 7), RATE, { pad: 0.4, padNoise: 'white', padDbfs: -60 }), ['not-speech', 'out-of-vocabulary']],
    ];
    for (const [name, samples, reason] of cases) {
      const r = rec.classifySync(samples, RATE);
      assert.ok(r.rejected, `${name}: rejected (got ${r.label})`);
      if (Array.isArray(reason)) assert.ok(reason.includes(r.reason), `${name}: ${r.reason}`);
      else assert.equal(r.reason, reason, name);
    }
    // Distorted versions of real words: the right word, or a rejection.
    const distortions = [
      ['clipped (x8, then +-1)', (x) => x.map((v) => Math.max(-1, Math.min(1, 8 * v)))],
      ['DC offset of 0.3', (x) => x.map((v) => v + 0.3)],
      ['very quiet (peak -50 dBFS)', (x) => { const peak = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0); return x.map((v) => v * 0.00316 / peak); }],
    ];
    for (const [name, distort] of distortions) {
      for (const padding of [null, { pad: 0.3, padNoise: 'zeros' }, { pad: 0.3, padNoise: 'white', padDbfs: -75 }]) {
        for (const [word, samples] of test_) {
          const x = distort(Float32Array.from(samples));
          const r = rec.classifySync(padding ? applyCondition(x, RATE, padding, 9) : x, RATE);
          assert.ok(r.label === word || r.rejected, `${word}, ${name}${padding ? ', padded' : ''}: ${r.label} accepted`);
        }
      }
    }
  });
});

test('audio conditions: levels and lengths are what they say', () => {
  const x = whiteNoise(RATE, 0.1, 1);
  assert.ok(Math.abs(20 * Math.log10(rmsOf(x)) - -20) < 0.1, 'white noise RMS');
  assert.ok(Math.abs(20 * Math.log10(rmsOf(pinkNoise(RATE, 0.1, 1))) - -20) < 0.01, 'pink noise RMS');
  const padded = applyCondition(x, RATE, { pad: 0.3, padNoise: 'white', padDbfs: -50 });
  assert.equal(padded.length, RATE + 2 * 0.3 * RATE);
  assert.ok(Math.abs(20 * Math.log10(rmsOf(padded.subarray(0, 0.3 * RATE))) - -50) < 0.5, 'pad level');
  const noisy = applyCondition(x, RATE, { noise: 'pink', snrDb: 20 });
  const added = noisy.map((v, i) => v - x[i]);
  assert.ok(Math.abs(20 * Math.log10(rmsOf(x) / rmsOf(added)) - 20) < 0.01, 'SNR');
  assert.deepEqual(applyCondition(x, RATE, { pad: 0.3, padNoise: 'pink', padDbfs: -40 }, 3), applyCondition(x, RATE, { pad: 0.3, padNoise: 'pink', padDbfs: -40 }, 3), 'deterministic');
});
