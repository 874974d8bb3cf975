// Soak (issue 7): thousands of classifications and train/dispose cycles leave the wasm heap
// flat: after a warm-up, the bytes malloc has handed out and the JS values held by wasm are
// exactly the same at every checkpoint, and the wasm memory does not grow.
// Counts here keep `npm test` short; bench/soak.js runs the full counts (100 k
// classifications, 1 k recognizer train/dispose cycles) with the same checks.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'gmmhmm';
import { soakClassify, soakFit, soakRecognizerTraining, trainToyRecognizer, toneWord } from './soak-workload.js';

const COUNTS = { classify: 10000, fit: 1000, recognizerTraining: 50 };

describe('soak: flat wasm heap', () => {
  let g;
  let recognizer;
  before(async () => {
    g = await load();
    recognizer = await trainToyRecognizer(g);
  });
  after(() => recognizer?.dispose());

  test(`${COUNTS.classify} classifications (audio and features, accepted and rejected)`, async () => {
    const r = await soakClassify(g, recognizer, COUNTS.classify);
    assert.deepEqual(r.drift, [], 'checkpoints whose heap or handles differ from the first');
    assert.equal(r.memoryGrowth, 0, 'wasm memory growth (bytes)');
    assert.ok(r.labels.has('low') && r.labels.has('high') && r.reasons.has('silence'), `results seen: ${[...r.labels]} / ${[...r.reasons]}`);
  });

  test(`${COUNTS.fit} GMMHMM fit/score/dispose cycles (every covariance type)`, () => {
    const r = soakFit(g, COUNTS.fit);
    assert.deepEqual(r.drift, []);
    assert.equal(r.memoryGrowth, 0);
  });

  test(`${COUNTS.recognizerTraining} Recognizer train/classify/dispose cycles`, async () => {
    const r = await soakRecognizerTraining(g, COUNTS.recognizerTraining);
    assert.deepEqual(r.drift, []);
    assert.equal(r.memoryGrowth, 0);
  });

  test('the toy words are told apart (the workload exercises real classifications)', () => {
    assert.equal(recognizer.classifySync(toneWord(260, 0.5, 9), 16000).label, 'low');
    assert.equal(recognizer.classifySync(toneWord(950, 0.5, 9), 16000).label, 'high');
  });
});
