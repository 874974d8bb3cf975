// recognizer.createListener(): streams of espeak-ng words between pauses (with a little
// noise), pushed in blocks of every size, must give one speechstart / speechend / result per
// word, at the right times, with the right labels, the same whatever the blocks; noise bursts
// are not accepted; enrolment with nextUtterance(); bad input is a clear error and leaves
// nothing allocated and the recognizer usable.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { load, GmmHmmError } from 'gmmhmm';
import { speak, speechSkipReason, random, assertGmmHmmError, speechStream, enrolFromStreams } from './helpers.js';

const speechSkip = speechSkipReason();
if (speechSkip) console.log(`# ${speechSkip}`);

const RATE = 16000;
const WORDS = ['yes', 'no', 'up'];
const TRAIN_VOICES = [['en-us+m3', 140, 45], ['en-gb+f3', 150, 60], ['en-us+m1', 165, 50], ['en-029+f2', 145, 55],
  ['en-gb-scotland+m1', 160, 40], ['en-us+f2', 150, 55], ['en-gb-x-rp+m4', 135, 35], ['en-us+m2', 155, 55]];
const TEST_VOICE = ['en-gb+m3', 150, 50];
const say = (word, [voice, speed, pitch]) => speak(word, { voice, speed, pitch, rate: RATE });

const stream = (words, voice, options) => speechStream(words, voice, { rate: RATE, ...options });

/**
 * Pushes `audio` in blocks of the sizes `sizes()` gives (each block as `asBlock` makes it),
 * then end(); returns the events in order.
 */
function run(listener, audio, sizes = () => 512, asBlock = (block) => block) {
  const events = [];
  for (const type of ['speechstart', 'speechend', 'result', 'error', 'end']) {
    listener.addEventListener(type, (e) => events.push({ type, ...e.detail }));
  }
  for (let at = 0; at < audio.length;) {
    const n = Math.min(sizes(), audio.length - at);
    listener.push(asBlock(audio.subarray(at, at + n)));
    at += n;
  }
  listener.end();
  return events;
}

const summary = (events) => events.filter((e) => e.type === 'result').map((e) => ({
  label: e.label, rejected: e.rejected, startSample: e.startSample, endSample: e.endSample, confidence: e.confidence,
  // Counted to where the Endpointer decided (it once ran to the end of the block: 4.1 s for one block).
  decisionDelay: e.decisionDelay,
}));

let gmmhmm;
let rec;
before(async () => {
  gmmhmm = await load();
  if (speechSkip) return;
  // Enrolled as a listener cuts words (the same Endpointer), as a page enrols from a stream.
  rec = new gmmhmm.Recognizer({ workers: 0 });
  enrolFromStreams(gmmhmm, rec, WORDS, TRAIN_VOICES, RATE);
  await rec.train();
});
after(() => rec?.dispose());

describe('createListener on a stream of words', { skip: speechSkip ?? false }, () => {
  let sentence;
  before(() => { sentence = stream(['up', 'yes', 'no', 'yes'], TEST_VOICE); });

  test('one speechstart, speechend and result per word, in order, at the words\' times, recognised', () => {
    const heap = gmmhmm.heapBytesInUse();
    const listener = rec.createListener({ sampleRate: RATE });
    const events = run(listener, sentence.audio);
    assert.equal(listener.state, 'ended');
    assert.equal(gmmhmm.heapBytesInUse(), heap, 'the listener freed its memory at end()');
    assert.deepEqual(events.map((e) => e.type), [...sentence.truth.flatMap(() => ['speechstart', 'speechend', 'result']), 'end'],
      "end() delivers the last word, then 'end'");
    assert.equal(events.at(-1).state, 'ended');
    const results = events.filter((e) => e.type === 'result');
    results.forEach((r, i) => {
      const t = sentence.truth[i];
      assert.equal(r.label, t.word, `word ${i}`);
      // Acceptance is the recognizer's (few-shot rejection: docs/robustness.md); the listener
      // must hand it every word. One of the four may be refused as out-of-vocabulary, no more.
      if (r.rejected) assert.equal(r.reason, 'out-of-vocabulary', `word ${i} (${t.word})`);
      assert.ok(Math.abs(r.startTime - t.start) < 0.15, `word ${i} starts at ${r.startTime}, truth ${t.start}`);
      assert.ok(Math.abs(r.endTime - t.end) < 0.2, `word ${i} ends at ${r.endTime}, truth ${t.end}`);
      assert.equal(r.samples.length, r.endSample - r.startSample);
      assert.deepEqual(r.samples, sentence.audio.slice(r.startSample, r.endSample), 'the word\'s own samples');
      assert.equal(r.sampleRate, RATE);
      assert.ok(r.decisionDelay > 0, 'the endpointer heard some silence after the word');
      const start = events[3 * i];
      assert.equal(start.startSample, r.startSample, 'speechstart names the word\'s first sample');
    });
    const refused = results.filter((r) => r.rejected);
    assert.ok(refused.length <= 1, `refused: ${refused.map((r) => `${r.label} (ratio ${r.likelihoodRatio})`).join(', ')}`);
  });

  test('the same results whatever the block sizes (0 samples to 10 s, one block for everything)', () => {
    const reference = summary(run(rec.createListener({ sampleRate: RATE }), sentence.audio, () => 512));
    const next = random(11);
    const sizings = {
      'one sample': () => 1,
      'random 0-3000': () => Math.floor(next() * 3000),
      'mostly empty': () => (next() < 0.7 ? 0 : 700),
      '10 s': () => 10 * RATE,
      'whole stream': () => sentence.audio.length,
    };
    for (const [name, sizes] of Object.entries(sizings)) {
      assert.deepEqual(summary(run(rec.createListener({ sampleRate: RATE }), sentence.audio, sizes)), reference, name);
    }
  });

  test('Float64Array blocks are the same audio', () => {
    const reference = summary(run(rec.createListener({ sampleRate: RATE }), sentence.audio));
    assert.deepEqual(summary(run(rec.createListener({ sampleRate: RATE }), Float64Array.from(sentence.audio))), reference);
  });

  test('continuous: false ends after the first result', () => {
    const listener = rec.createListener({ sampleRate: RATE, continuous: false });
    const events = [];
    listener.addEventListener('result', (e) => events.push(e.detail.label));
    listener.addEventListener('end', (e) => events.push(`end: ${e.detail.state} (${listener.state})`));
    for (let at = 0; at < sentence.audio.length; at += 800) {
      if (listener.state !== 'listening') break;
      listener.push(sentence.audio.subarray(at, at + 800));
    }
    assert.deepEqual(events, ['up', 'end: ended (ended)']);
    assert.equal(listener.state, 'ended');
    assertGmmHmmError(GmmHmmError, () => listener.push(new Float32Array(10)), /ended/, 'disposed');
  });

  test('sensitivity moves the rejection tests: -20 nats per frame refuses every word, same labels', () => {
    const plain = summary(run(rec.createListener({ sampleRate: RATE }), sentence.audio));
    const strict = run(rec.createListener({ sampleRate: RATE, sensitivity: -20 }), sentence.audio).filter((e) => e.type === 'result');
    assert.deepEqual(strict.map((r) => r.label), plain.map((r) => r.label));
    for (const r of strict) assert.deepEqual([r.rejected, r.reason], [true, 'out-of-vocabulary']);
  });

  test('spectrogram: true gives each result the fbank() of its own samples (float32), the rest unchanged', () => {
    const heap = gmmhmm.heapBytesInUse();
    const events = run(rec.createListener({ sampleRate: RATE, spectrogram: true }), sentence.audio);
    assert.equal(gmmhmm.heapBytesInUse(), heap, 'nothing left allocated');
    const results = events.filter((e) => e.type === 'result');
    assert.deepEqual(summary(events), summary(run(rec.createListener({ sampleRate: RATE }), sentence.audio)));
    for (const r of results) {
      const expected = gmmhmm.fbank(r.samples, RATE, { numMelBins: 40, lowFreq: 20, highFreq: 7600 });
      const { data, frames, bins, frameShift } = r.spectrogram;
      assert.ok(data instanceof Float32Array);
      assert.deepEqual([frames, bins, frameShift, data.length], [expected.length, 40, 0.01, expected.length * 40]);
      assert.ok(frames >= r.alignment.firstFrame + r.alignment.states.length, 'the alignment lies within its frames');
      assert.deepEqual(data, Float32Array.from(expected.flatMap((row) => [...row])));
    }
    for (const e of events) if (e.type !== 'result') assert.equal(e.spectrogram, undefined, e.type);
    assert.ok(run(rec.createListener({ sampleRate: RATE }), sentence.audio).every((e) => e.spectrogram === undefined), 'none unless asked');
    // A rate too low for its 40 bands: refused at once, naming the option, nothing allocated
    // (measured from the second refusal: a module's first C++ exception allocates once).
    const tooLow = () => rec.createListener({ sampleRate: 2000, spectrogram: true });
    assertGmmHmmError(GmmHmmError, tooLow, /spectrogram.*numMelBins 40/, 'invalid-argument');
    const before = gmmhmm.heapBytesInUse();
    for (let i = 0; i < 3; i++) assertGmmHmmError(GmmHmmError, tooLow, /spectrogram.*numMelBins 40/, 'invalid-argument');
    assertGmmHmmError(GmmHmmError, () => rec.createListener({ sampleRate: RATE, spectrogram: 'yes' }), /spectrogram must be true or false/, 'invalid-argument');
    assert.equal(gmmhmm.heapBytesInUse(), before);
  });

  test('samples: false: speechend and result carry no samples, the same results and times; nextUtterance() still has them', async () => {
    const heap = gmmhmm.heapBytesInUse();
    const listener = rec.createListener({ sampleRate: RATE, samples: false, spectrogram: true });
    const taken = listener.nextUtterance();
    const events = run(listener, sentence.audio);
    assert.equal(gmmhmm.heapBytesInUse(), heap, 'nothing left allocated');
    const word = await taken;
    assert.deepEqual(word.samples, sentence.audio.slice(word.startSample, word.endSample), 'the word nextUtterance() took has its samples');
    const withSamples = run(rec.createListener({ sampleRate: RATE, spectrogram: true }), sentence.audio);
    // The first word went to nextUtterance(): the other three are classified as with samples.
    assert.deepEqual(summary(events), summary(withSamples).slice(1));
    const ends = events.filter((e) => e.type === 'speechend');
    assert.equal(ends.length, 4);
    for (const e of [...ends, ...events.filter((r) => r.type === 'result')]) {
      assert.ok(e.samples instanceof Float32Array && e.samples.length === 0, `${e.type}: an empty Float32Array`);
      assert.ok(e.endSample > e.startSample && e.sampleRate === RATE);
    }
    // Its spectrogram is still the whole word's.
    const results = events.filter((e) => e.type === 'result');
    withSamples.filter((e) => e.type === 'result').slice(1).forEach((r, i) => assert.deepEqual(results[i].spectrogram, r.spectrogram, `word ${i + 1}`));
    assertGmmHmmError(GmmHmmError, () => rec.createListener({ sampleRate: RATE, samples: 0 }), /samples must be true or false/, 'invalid-argument');
  });

  test('Endpointer options pass through (a longer hangover waits longer after each word)', () => {
    const short = run(rec.createListener({ sampleRate: RATE, hangover: 150, postRoll: 60 }), sentence.audio).filter((e) => e.type === 'result');
    const long = run(rec.createListener({ sampleRate: RATE, hangover: 500 }), sentence.audio).filter((e) => e.type === 'result');
    assert.equal(short.length, 4);
    assert.equal(long.length, 4);
    for (let i = 0; i < 4; i++) assert.ok(long[i].decisionDelay > short[i].decisionDelay + 0.2, `word ${i}`);
  });
});

describe('noise', { skip: speechSkip ?? false }, () => {
  test('pink noise bursts between silences are never accepted', () => {
    const raw = execFileSync('sox', ['-R', '-n', '-t', 'raw', '-r', String(RATE), '-e', 'floating-point', '-b', '32', '-c', '1', '-',
      'synth', '20', 'pinknoise', 'vol', '0.25'], { maxBuffer: 1 << 28 });
    const noise = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
    // 0.6 s bursts, 1 s apart
    const bursts = Math.floor(noise.length / (0.6 * RATE));
    const audio = new Float32Array(Math.round((1 + bursts * 1.6) * RATE));
    for (let k = 0; k < bursts; k++) {
      audio.set(noise.subarray(k * 0.6 * RATE, (k + 1) * 0.6 * RATE), Math.round((0.5 + k * 1.6) * RATE));
    }
    const events = run(rec.createListener({ sampleRate: RATE }), audio, () => 1024);
    const results = events.filter((e) => e.type === 'result');
    assert.ok(results.length >= 10, `the bursts were cut as sounds (${results.length})`);
    assert.deepEqual(results.filter((r) => !r.rejected).map((r) => `${r.label} at ${r.startTime}s`), []);
  });
});

describe('a click before a word', { skip: speechSkip ?? false }, () => {
  test('no speechstart for a click (shorter than a word); the word gets its own speechstart, speechend and result', () => {
    const rand = random(11);
    const word = say('yes', TEST_VOICE);
    const audio = new Float32Array(RATE + word.length + RATE);
    for (let i = 0; i < audio.length; i++) audio[i] = 0.002 * (rand() - 0.5);
    for (let i = 0; i < RATE / 20; i++) audio[RATE / 4 + i] += 0.3 * Math.sin(0.2 * i);  // a 50 ms click at 0.25 s
    audio.set(word.map((v, i) => v + audio[RATE + i]), RATE);
    const events = run(rec.createListener({ sampleRate: RATE }), audio, () => 160);
    assert.deepEqual(events.map((e) => e.type), ['speechstart', 'speechend', 'result', 'end']);
    assert.ok(Math.abs(events[0].startSample - RATE) < 0.1 * RATE, `speechstart at the word, not the click: ${events[0].startSample}`);
    assert.equal(events[2].label, 'yes');
  });
});

describe('enrolment with nextUtterance()', { skip: speechSkip ?? false }, () => {
  test('an untrained recognizer cuts words (speechend, nextUtterance) and learns from them', async () => {
    const fresh = new gmmhmm.Recognizer({ workers: 0 });
    try {
      const listener = fresh.createListener({ sampleRate: RATE });
      const results = [];
      listener.addEventListener('result', (e) => results.push(e.detail));
      const takes = [listener.nextUtterance(), listener.nextUtterance(), listener.nextUtterance()];
      const voices = TRAIN_VOICES.slice(0, 3);
      const { audio, truth } = stream(['no', 'no', 'no'], voices[0]);
      for (let at = 0; at < audio.length; at += 1000) listener.push(audio.subarray(at, at + 1000));
      const words = await Promise.all(takes);
      words.forEach((w, i) => {
        assert.ok(Math.abs(w.startTime - truth[i].start) < 0.15);
        assert.deepEqual(w.samples, audio.slice(w.startSample, w.endSample));
        fresh.addExample('no', w.samples, w.sampleRate);
      });
      const later = listener.nextUtterance();
      listener.stop();
      await assert.rejects(later, (e) => e instanceof GmmHmmError && e.code === 'cancelled');
      assert.deepEqual(results, [], 'no result before training');
      assert.equal(fresh.exampleCount('no'), 3);
    } finally {
      fresh.dispose();
    }
  });

  test('on a trained recognizer the word taken by nextUtterance() is not classified; the next one is', async () => {
    const listener = rec.createListener({ sampleRate: RATE });
    const taken = listener.nextUtterance();
    const { audio } = stream(['up', 'no'], TEST_VOICE);
    const events = run(listener, audio);
    const word = await taken;
    assert.ok(word.samples.length > 0);
    assert.deepEqual(events.filter((e) => e.type === 'result').map((e) => e.label), ['no']);
    assert.equal(events.filter((e) => e.type === 'speechend').length, 2);
  });

  test('an aborted nextUtterance() rejects with the signal\'s reason and takes no word', async () => {
    const listener = rec.createListener({ sampleRate: RATE });
    const controller = new AbortController();
    const taken = listener.nextUtterance({ signal: controller.signal });
    controller.abort(new Error('changed my mind'));
    await assert.rejects(taken, /changed my mind/);
    const events = run(listener, stream(['yes'], TEST_VOICE).audio);
    assert.deepEqual(events.filter((e) => e.type === 'result').map((e) => e.label), ['yes']);
  });
});

describe('bad input', { skip: speechSkip ?? false }, () => {
  test('blocks given as arrays of numbers give the same words as Float32Arrays (as every function that takes audio)', () => {
    const { audio } = stream(['yes', 'up'], TEST_VOICE);
    const reference = summary(run(rec.createListener({ sampleRate: RATE }), audio, () => 1000));
    assert.equal(reference.length, 2);
    assert.deepEqual(summary(run(rec.createListener({ sampleRate: RATE }), audio, () => 1000, Array.from)), reference);
  });

  test('NaN and infinite blocks are refused whole; the listener carries on as if they were never pushed', () => {
    const { audio } = stream(['yes', 'up'], TEST_VOICE);
    const reference = summary(run(rec.createListener({ sampleRate: RATE }), audio, () => 1000));
    const listener = rec.createListener({ sampleRate: RATE });
    const events = [];
    listener.addEventListener('result', (e) => events.push(e.detail));
    for (let at = 0, k = 0; at < audio.length; at += 1000, k++) {
      if (k % 5 === 2) {
        const bad = audio.slice(at, at + 1000);
        bad[k % 7] = k % 2 ? NaN : -Infinity;
        assertGmmHmmError(GmmHmmError, () => listener.push(bad), /samples\[\d\] is (NaN|infinite)/);
      }
      listener.push(audio.subarray(at, at + 1000));
    }
    listener.end();
    assert.deepEqual(summary(events.map((e) => ({ type: 'result', ...e }))), reference);
  });

  test('push after end() or stop(), stop() twice, end() after stop(), wrong blocks and options', () => {
    const misuses = () => {
    const ends = [];
    const a = rec.createListener({ sampleRate: RATE });
    a.addEventListener('end', (e) => ends.push(`a ${e.detail.state}`));
    a.push(new Float32Array(RATE));
    a.end();
    a.end();
    a.stop();
    assert.equal(a.state, 'ended');
    assert.deepEqual(ends, ['a ended'], "one 'end' event, at the first end()");
    assertGmmHmmError(GmmHmmError, () => a.push(new Float32Array(10)), /push: the listener has ended/, 'disposed');
    const b = rec.createListener({ sampleRate: RATE });
    b.addEventListener('end', (e) => ends.push(`b ${e.detail.state}`));
    b.push(new Float32Array(100));
    b.stop();
    b.stop();
    b.end();
    assert.equal(b.state, 'stopped');
    assert.deepEqual(ends, ['a ended'], "stop() sends no 'end' (the caller made it)");
    assertGmmHmmError(GmmHmmError, () => b.push(new Float32Array(10)), /stopped/, 'disposed');
    const c = rec.createListener({ sampleRate: RATE });
    for (const bad of [new Int16Array(4), 'audio', null, undefined, new Float32Array(new ArrayBuffer(8), 4, 0).buffer]) {
      assertGmmHmmError(GmmHmmError, () => c.push(bad), /samples must be a Float32Array, Float64Array or array of numbers/);
    }
    assertGmmHmmError(GmmHmmError, () => c.push([0.1, '0.2']), /Listener\.push: samples\[1\] must be a number, got '0\.2'/);
    assertGmmHmmError(GmmHmmError, () => c.push([0.1, , 0.2]), /Listener\.push: samples\[1\] must be a number, got undefined/); // eslint-disable-line no-sparse-arrays
    c.stop();
    // An array whose reading stops the listener: refused as after stop(), nothing reserved in
    // the heap stop() released (the heap check below).
    const d = rec.createListener({ sampleRate: RATE });
    const sneaky = [0.1, 0.2];
    Object.defineProperty(sneaky, 1, { get() { d.stop(); return 0.2; } });
    assertGmmHmmError(GmmHmmError, () => d.push(sneaky), /push: the listener has stopped/, 'disposed');
    assertGmmHmmError(GmmHmmError, () => rec.createListener(), /sampleRate is required/);
    assertGmmHmmError(GmmHmmError, () => rec.createListener({ sampleRate: '16000' }), /sampleRate must be a finite number/);
    assertGmmHmmError(GmmHmmError, () => rec.createListener({ sampleRate: 10 }), /sample/i);
    assertGmmHmmError(GmmHmmError, () => rec.createListener({ sampleRate: RATE, sensitivity: 21 }), /sensitivity must be a number in \[-20, 20\]/);
    assertGmmHmmError(GmmHmmError, () => rec.createListener({ sampleRate: RATE, continuous: 1 }), /continuous must be true or false/);
    assertGmmHmmError(GmmHmmError, () => rec.createListener({ sampleRate: RATE, hangoverr: 100 }), /hangoverr/);
    assertGmmHmmError(GmmHmmError, () => rec.createListener({ sampleRate: RATE, hangover: -1 }), /hangover/);
    };
    misuses();  // the first C++ exception allocates the runtime's own buffers once
    const heap = gmmhmm.heapBytesInUse();
    const handles = gmmhmm.valueHandles();
    misuses();
    assert.equal(gmmhmm.heapBytesInUse(), heap, 'nothing left allocated');
    assert.equal(gmmhmm.valueHandles(), handles);
  });

  test('memory stays flat over a long stream; the recognizer is usable afterwards', async () => {
    const { audio } = stream(['yes', 'no'], TEST_VOICE);
    const listener = rec.createListener({ sampleRate: RATE });
    let results = 0;
    listener.addEventListener('result', () => results++);
    let afterFirst = 0;
    for (let round = 0; round < 20; round++) {
      for (let at = 0; at < audio.length; at += 2048) listener.push(audio.subarray(at, at + 2048));
      if (round === 1) afterFirst = gmmhmm.heapBytesInUse();
    }
    assert.equal(gmmhmm.heapBytesInUse(), afterFirst, 'the audio buffer does not grow with the stream');
    listener.end();
    assert.equal(results, 40);
    const r = await rec.classify(say('up', TEST_VOICE), RATE);
    assert.equal(r.label, 'up');
  });

  test('a recognizer disposed while listening: an error event (code disposed) and the listener stops', async () => {
    const other = gmmhmm.Recognizer.fromJSON(rec.toJSON(), { workers: 0 });
    const listener = other.createListener({ sampleRate: RATE });
    const errors = [];
    const order = [];
    listener.addEventListener('error', (e) => { errors.push(e.error); order.push('error'); });
    listener.addEventListener('end', (e) => order.push(`end: ${e.detail.state}`));
    const { audio } = stream(['yes'], TEST_VOICE);
    listener.push(audio.subarray(0, RATE));
    other.dispose();
    // At once, not at the next word: the error, then 'end' (it could not go on: stopped).
    assert.deepEqual(order, ['error', 'end: stopped'], "it could not go on: 'end' says it stopped");
    assertGmmHmmError(GmmHmmError, () => listener.push(audio.subarray(RATE)), /the listener has stopped/, 'disposed');
    listener.end();
    assert.deepEqual(order, ['error', 'end: stopped'], 'nothing after end');
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof GmmHmmError);
    assert.equal(errors[0].code, 'disposed');
    assert.equal(listener.state, 'stopped');
    assertGmmHmmError(GmmHmmError, () => other.createListener({ sampleRate: RATE }), /disposed/, 'disposed');
  });

  test('an event handler may stop the listener mid-block; later words of that block are not reported', () => {
    const { audio } = stream(['yes', 'no', 'up'], TEST_VOICE, { pause: 0.5 });
    const listener = rec.createListener({ sampleRate: RATE });
    const seen = [];
    listener.addEventListener('result', (e) => { seen.push(e.detail.label); listener.stop(); });
    listener.addEventListener('end', () => seen.push('end'));
    listener.push(audio);  // one block: all three words end inside it
    listener.end();
    assert.deepEqual(seen, ['yes'], "stopped by a handler: no later word, no 'end'");
  });
});
