// `gmmhmm listen model.json file.wav`: the words of a recording with their times, labels and
// rejections (text and --json), the same answer whatever the WAV encoding and the block
// boundaries, memory flat on a long file (read in blocks), and clear errors.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load } from 'gmmhmm';
import { listenToFile } from '../../web/cli/listen.js';
import { enrolFromStreams, runCli as gmmhmm, speechSkipReason, speechStream } from './helpers.js';
import { chunk, fmt, riff, wav16 } from './wav-bytes.js';

const speechSkip = speechSkipReason();
if (speechSkip) console.log(`# ${speechSkip}`);

const RATE = 16000;
const WORDS = ['red', 'green', 'blue'];
const TRAIN = [['en-us+m3', 140, 45], ['en-gb+f3', 150, 60], ['en-us+m1', 165, 50], ['en-029+f2', 145, 55],
  ['en-gb-scotland+m1', 160, 40], ['en-us+f2', 150, 55], ['en-gb-x-rp+m4', 135, 35], ['en-us+m2', 155, 55]];
const TEST = ['en-gb+m3', 150, 50];

let dir;
let model;
let recording;  // { samples, truth: [{ word, start, end }] }

const compose = (words, repeat = 1) => {
  const { audio, truth } = speechStream(words, TEST, { rate: RATE, pause: 0.9, repeat, seed: 7 });
  return { samples: audio, truth };
};

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmmhmm-listen-'));
  if (speechSkip) return;
  const api = await load();
  const rec = new api.Recognizer({ workers: 0 });
  enrolFromStreams(api, rec, WORDS, TRAIN, RATE);
  await rec.train();
  model = path.join(dir, 'model.json');
  fs.writeFileSync(model, JSON.stringify(rec.toJSON()));
  rec.dispose();
  recording = compose(['green', 'red', 'blue', 'red']);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('gmmhmm listen', { skip: speechSkip ?? false }, () => {
  test('prints each word with its start, end, label and confidence', async () => {
    const file = path.join(dir, 'words.wav');
    fs.writeFileSync(file, wav16(recording.samples, RATE));
    const { code, stdout, stderr } = await gmmhmm('listen', model, file);
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n').map((l) => l.split('\t'));
    assert.equal(lines.length, recording.truth.length, stdout);
    lines.forEach(([start, end, label, confidence], i) => {
      const t = recording.truth[i];
      assert.equal(label, t.word, stdout);
      assert.match(confidence, /^\d+\.\d %$/);
      assert.ok(Math.abs(Number(start) - t.start) < 0.15 && Math.abs(Number(end) - t.end) < 0.2, `${start}-${end} vs ${t.start}-${t.end}`);
    });
  });

  test('--json: one object per word, the same words; a word outside the vocabulary is rejected with its reason', async () => {
    const withStranger = compose(['red', 'banana', 'blue']);
    const file = path.join(dir, 'stranger.wav');
    fs.writeFileSync(file, wav16(withStranger.samples, RATE));
    const { code, stdout, stderr } = await gmmhmm('listen', model, file, '--json');
    assert.equal(code, 0, stderr);
    const words = stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(Object.keys(words[0]), ['start', 'end', 'label', 'confidence', 'rejected', 'reason']);
    assert.deepEqual(words.map((w) => [w.rejected ? null : w.label, w.rejected]), [['red', false], [null, true], ['blue', false]]);
    assert.match(words[1].reason, /^(out-of-vocabulary|low-confidence|not-speech)$/);
    const text = await gmmhmm('listen', model, file);
    assert.match(text.stdout.split('\n')[1], /^\d+\.\d{3}\t\d+\.\d{3}\trejected \((out-of-vocabulary|low-confidence|not-speech)\)(\tclosest: \w+ \d+\.\d %)?$/);
  });

  test('a 32-bit float stereo file and 8-bit A-law give the same words as 16-bit PCM', async () => {
    const stereo = new Float32Array(recording.samples.length * 2);
    recording.samples.forEach((v, i) => { stereo[2 * i] = v; stereo[2 * i + 1] = v; });
    const floatFile = path.join(dir, 'float.wav');
    fs.writeFileSync(floatFile, riff([fmt({ code: 3, channels: 2, rate: RATE, bits: 32 }), chunk('LIST', Buffer.alloc(100)),
      chunk('data', Buffer.from(stereo.buffer))]));
    const reference = (await gmmhmm('listen', model, path.join(dir, 'words.wav'))).stdout;
    const got = await gmmhmm('listen', model, floatFile);
    assert.equal(got.code, 0, got.stderr);
    const labels = (out) => out.trim().split('\n').map((l) => l.split('\t')[2]);
    assert.deepEqual(labels(got.stdout), labels(reference));
  });

  test('a long recording (20 minutes) is read in blocks: memory stays flat, every word is found', async () => {
    const long = compose(['red', 'green', 'blue'], 240);  // ~20 minutes
    const file = path.join(dir, 'long.wav');
    fs.writeFileSync(file, wav16(long.samples, RATE));
    const fileBytes = fs.statSync(file).size;
    long.samples = null;
    const api = await load();
    const rec = api.Recognizer.fromJSON(fs.readFileSync(model, 'utf8'), { workers: 0 });
    try {
      global.gc?.();
      const base = process.memoryUsage().arrayBuffers;
      const wasmBase = api.memoryBytes();
      let peak = 0;
      const labels = [];
      const { words, errors } = await listenToFile(rec, file, { json: true }, (line) => {
        labels.push(JSON.parse(line).label);
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
      }, () => {});
      assert.deepEqual(errors, []);
      assert.equal(words, long.truth.length);
      const wrong = labels.filter((l, i) => l !== long.truth[i].word).length;
      assert.ok(wrong <= long.truth.length * 0.05, `${wrong} of ${words} words mislabelled`);
      // Reading the file whole would hold its bytes and its samples (3x the file); blocks
      // awaiting garbage collection are a few MB whatever the file's length.
      assert.ok(peak < fileBytes / 2, `array buffers grew by ${peak} bytes while reading a ${fileBytes}-byte file`);
      assert.equal(api.memoryBytes(), wasmBase, 'the wasm heap did not grow');
    } finally {
      rec.dispose();
    }
  });

  test('errors: a missing WAV, a file that is not a WAV, a bad option', async () => {
    const missing = await gmmhmm('listen', model, path.join(dir, 'nope.wav'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read WAV file .*nope\.wav: no such file/);
    const text = path.join(dir, 'text.wav');
    fs.writeFileSync(text, 'hello, not a wav file at all');
    const notWav = await gmmhmm('listen', model, text);
    assert.equal(notWav.code, 1);
    assert.match(notWav.stderr, /text\.wav is not a readable WAV file: it does not start with a RIFF\/RF64 WAVE header/);
    const bad = await gmmhmm('listen', model, text, '--sensitivity', 'lots');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--sensitivity must be a number from -20 to 20, got 'lots'/);
    const hangover = await gmmhmm('listen', model, path.join(dir, 'words.wav'), '--hangover', '30');
    assert.equal(hangover.code, 1);
    assert.match(hangover.stderr, /postRoll .* must not exceed hangover/);
    const nan = path.join(dir, 'nan.wav');
    const samples = new Float32Array(RATE);
    samples[5000] = NaN;
    fs.writeFileSync(nan, riff([fmt({ code: 3, rate: RATE, bits: 32 }), chunk('data', Buffer.from(samples.buffer))]));
    const nanOut = await gmmhmm('listen', model, nan);
    assert.equal(nanOut.code, 1);
    assert.match(nanOut.stderr, /nan\.wav is not a readable WAV file: sample 5000 is NaN/);
  });
});
