// The speech front end through the package (wasm): Kaldi agreement on the shared fixture,
// streaming = batch, endpointing of synthesised words, and an error for every bad input.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, GmmHmmError } from 'gmmhmm';
import { fixture, speak, speechSkipReason, random, assertClose, assertGmmHmmError } from './helpers.js';

const kaldi = fixture('mfcc-kaldi.json');
const speechSkip = speechSkipReason();
if (speechSkip) console.log(speechSkip);

const tolerance = (ref) => 2e-3 + 1e-4 * Math.abs(ref);

// Fixture option names (Kaldi snake_case) -> the package's camelCase options.
function optionsOf(config) {
  const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [camel(k), v]));
}

function webAudio(signal) {
  return Float32Array.from(signal.samples_int16, (v) => v / 32768);
}

function columns(matrix, from, to) {
  return matrix.map((row) => row.subarray(from, to));
}

function tone(seconds, rate, { freq = 440, noise = 0.01, seed = 3 } = {}) {
  const next = random(seed);
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) =>
    0.3 * Math.sin((2 * Math.PI * freq * i) / rate) + noise * (next() - 0.5));
}

let gmmhmm;
before(async () => {
  gmmhmm = await load();
});

describe('Kaldi agreement (../shared/fixtures/mfcc-kaldi.json)', { skip: kaldi ? false : 'fixture absent' }, () => {
  test('mfcc: 5 signals (8-48 kHz) x 4 configurations within 2e-3 + 1e-4|ref|', () => {
    let cases = 0;
    for (const signal of kaldi.signals) {
      const x = webAudio(signal);
      for (const [config, options] of Object.entries(kaldi.configs)) {
        const got = gmmhmm.mfcc(x, signal.sample_rate, optionsOf(options));
        // As in the native test (cpp/tests/features_kaldi_fixture_test.cpp): the reference is
        // float32 arithmetic, and on the pure tone without pre-emphasis or DC removal its
        // rounding noise dominates the quiet mel bins; there the tolerance is 5x.
        const scale = signal.name === 'halfsilent16k' && config === 'no-snip-40' ? 5 : 1;
        assertClose(got, signal.cases[config].mfcc, (ref) => scale * tolerance(ref), `${signal.name} / ${config}`);
        cases++;
      }
    }
    assert.equal(cases, 20);
  });

  test('addDeltas and fbank of kaldi-default', () => {
    const options = optionsOf(kaldi.configs['kaldi-default']);
    for (const signal of kaldi.signals) {
      const x = webAudio(signal);
      const ref = signal.cases['kaldi-default'];
      const m = gmmhmm.mfcc(x, signal.sample_rate, options);
      const d = gmmhmm.addDeltas(m, { order: 2, window: 2 });
      assert.equal(d[0].length, 39);
      assertClose(columns(d, 0, 13), ref.mfcc, tolerance, `${signal.name} static`);
      assertClose(columns(d, 13, 26), ref.delta, tolerance, `${signal.name} delta`);
      // The fixture's delta-delta is torchaudio's compute_deltas applied twice, which
      // replicates the edge delta frames; Kaldi's add-deltas replicates the edge input
      // frames. The same filter away from the edges: compare frames [4, T-4).
      const T = m.length;
      assertClose(columns(d, 26, 39).slice(4, T - 4), ref.delta_delta.slice(4, T - 4), tolerance, `${signal.name} delta-delta`);
      const { numCeps, cepstralLifter, useEnergy, ...fbankOptions } = options;
      const fb = gmmhmm.fbank(x, signal.sample_rate, fbankOptions);
      assertClose(fb, ref.fbank23, tolerance, `${signal.name} fbank`);
    }
  });
});

describe('front end', () => {
  test('shapes, defaults and zero frames for input shorter than one frame', () => {
    const x = tone(1, 16000);
    const m = gmmhmm.mfcc(x, 16000);
    assert.equal(m.length, 98); // snipEdges: 1 + (16000 - 400) / 160
    assert.ok(m.every((row) => row instanceof Float64Array && row.length === 13));
    assert.equal(gmmhmm.fbank(x, 16000, { numMelBins: 40 })[0].length, 40);
    assert.deepEqual(gmmhmm.mfcc(x.subarray(0, 399), 16000), []);
    assert.deepEqual(gmmhmm.mfcc(new Float32Array(0), 16000), []);
    // Rows share one buffer but are distinct views.
    assert.equal(m[0].buffer, m[1].buffer);
    assert.notEqual(m[0].byteOffset, m[1].byteOffset);
  });

  test('inputScale: Web Audio samples x 32768 are Kaldi 16-bit samples', () => {
    const x = tone(0.5, 16000);
    const scaled = Float32Array.from(x, (v) => v * 32768);
    assertClose(gmmhmm.mfcc(scaled, 16000, { inputScale: 1 }), gmmhmm.mfcc(x, 16000), (r) => 1e-9 * (1 + Math.abs(r)), 'inputScale');
  });

  test('addDeltas and cmvn accept number[][], typed rows and flat arrays with nFeatures', () => {
    const m = gmmhmm.mfcc(tone(0.5, 16000), 16000);
    const flat = Float64Array.from(m.flatMap((row) => [...row]));
    const nested = m.map((row) => [...row]);
    const fromRows = gmmhmm.addDeltas(m);
    assert.deepEqual(gmmhmm.addDeltas(nested), fromRows);
    assert.deepEqual(gmmhmm.addDeltas(flat, { nFeatures: 13 }), fromRows);
    // Row views that are not one contiguous block (every other row, reversed order).
    const everyOther = m.filter((_, i) => i % 2 === 0);
    assert.deepEqual(gmmhmm.addDeltas(everyOther), gmmhmm.addDeltas(everyOther.map((row) => [...row])));
    const reversed = [...m].reverse();
    assert.deepEqual(gmmhmm.cmvn(reversed), gmmhmm.cmvn(nested.slice().reverse()));
    assert.equal(fromRows[0].length, 39);
    assert.equal(gmmhmm.addDeltas(m, { order: 1, window: 3 })[0].length, 26);
    const normalised = gmmhmm.cmvn(m, { variance: true });
    for (let c = 0; c < 13; c++) {
      const column = normalised.map((row) => row[c]);
      const mean = column.reduce((a, b) => a + b) / column.length;
      const variance = column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length;
      assert.ok(Math.abs(mean) < 1e-9, `column ${c} mean ${mean}`);
      assert.ok(Math.abs(variance - 1) < 1e-9, `column ${c} variance ${variance}`);
    }
    assert.deepEqual(gmmhmm.cmvn([]), []);
  });

  test('speech preset options and preset: "speech"', () => {
    const preset = gmmhmm.mfccPreset('speech');
    assert.equal(preset.lowFreq, 60);
    assert.equal(preset.highFreq, 3800);
    assert.equal(gmmhmm.mfccPreset().numCeps, 13);
    const x = tone(0.5, 48000);
    assert.deepEqual(gmmhmm.mfcc(x, 48000, { preset: 'speech' }), gmmhmm.mfcc(x, 48000, preset));
  });
});

describe('FeatureStream', () => {
  const configurations = [
    ['mfcc', {}],
    ['mfcc', { snipEdges: false, frameLength: 32, frameShift: 16 }],
    ['fbank', { numMelBins: 40, useEnergy: true }],
    ['mfcc', { dither: 1, seed: 7 }],
  ];
  for (const [features, options] of configurations) {
    test(`${features} ${JSON.stringify(options)}: random block sizes give exactly the batch frames`, () => {
      const rate = 16000;
      const x = tone(2.3, rate, { freq: 300, noise: 0.2 });
      const batch = gmmhmm[features](x, rate, options);
      const next = random(11);
      for (let trial = 0; trial < 3; trial++) {
        const stream = new gmmhmm.FeatureStream(rate, { features, ...options });
        const frames = [];
        for (let at = 0; at < x.length;) {
          const block = trial === 0 ? 128 : 1 + Math.floor(next() * (trial === 1 ? 50 : 3000));
          stream.push(x.subarray(at, at + block));
          at += block;
          if (next() < 0.5) frames.push(...stream.pull(Math.floor(next() * 4)));
        }
        stream.finish();
        frames.push(...stream.pull());
        assert.equal(stream.framesReady, 0);
        assert.equal(stream.samplesPushed, x.length);
        assert.deepEqual(frames, batch, `trial ${trial}`);
        stream.reset();
        assert.equal(stream.samplesPushed, 0);
        stream[Symbol.dispose]();
        assert.equal(stream.disposed, true);
      }
    });
  }

  test('geometry getters and dispose', () => {
    const stream = new gmmhmm.FeatureStream(44100);
    assert.equal(stream.dim, 13);
    assert.equal(stream.frameLengthSamples, 1102);
    assert.equal(stream.frameShiftSamples, 441);
    assert.equal(stream.push(new Float32Array(1102 + 441)), 2);
    stream.dispose();
    stream.dispose(); // twice is fine
    assert.equal(stream.disposed, true);
    assertGmmHmmError(GmmHmmError, () => stream.push(new Float32Array(10)), /disposed/, 'disposed');
    assertGmmHmmError(GmmHmmError, () => stream.framesReady, /disposed/, 'disposed');
  });
});

describe('Endpointer on synthesised words', { skip: speechSkip ?? false }, () => {
  const rate = 16000;
  const words = ['seven', 'banana', 'stop'];
  let spoken;
  before(() => {
    spoken = words.map((word) => speak(word, { rate }));
  });

  function pad(parts, { noise = 0, seed = 5 } = {}) {
    // parts: numbers (seconds of silence) or Float32Array (speech); returns samples and the
    // [start, end) of each speech part.
    const next = random(seed);
    const total = parts.reduce((n, p) => n + (typeof p === 'number' ? Math.round(p * rate) : p.length), 0);
    const x = new Float32Array(total);
    const spans = [];
    let at = 0;
    for (const part of parts) {
      if (typeof part === 'number') {
        at += Math.round(part * rate);
      } else {
        x.set(part, at);
        spans.push([at, at + part.length]);
        at += part.length;
      }
    }
    if (noise > 0) for (let i = 0; i < x.length; i++) x[i] += noise * (next() * 2 - 1);
    return { x, spans };
  }

  function rms(x) {
    return Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
  }

  function assertFound(segments, spans, label) {
    assert.equal(segments.length, spans.length, `${label}: ${JSON.stringify(segments)} for words at ${JSON.stringify(spans)}`);
    segments.forEach((segment, i) => {
      const [start, end] = spans[i];
      // Bounds: the word's edges (espeak-ng output trimmed at 0.5 % of full scale) within
      // 150 ms before / 100 ms after the onset, and -150 / +350 ms around the end
      // (pre-roll, post-roll and hangover are 60, 60 and 250 ms).
      assert.ok(segment.startSample >= start - 0.15 * rate && segment.startSample <= start + 0.1 * rate,
        `${label} word ${i}: start ${segment.startSample} vs ${start}`);
      assert.ok(segment.endSample >= end - 0.15 * rate && segment.endSample <= end + 0.35 * rate,
        `${label} word ${i}: end ${segment.endSample} vs ${end}`);
    });
  }

  for (const snr of [Infinity, 30, 15]) {
    test(`three words between silences, SNR ${snr} dB, pushed in 128-sample blocks`, () => {
      const speechLevel = rms(Float32Array.from(spoken.flatMap((w) => [...w])));
      // Uniform noise in [-a, a] has rms a / sqrt(3).
      const noise = Number.isFinite(snr) ? Math.sqrt(3) * speechLevel / 10 ** (snr / 20) : 0;
      const { x, spans } = pad([1.0, spoken[0], 1.0, spoken[1], 1.2, spoken[2], 1.0], { noise });
      const endpointer = new gmmhmm.Endpointer(rate);
      const segments = [];
      let sawSpeech = false;
      for (let at = 0; at < x.length; at += 128) {
        segments.push(...endpointer.push(x.subarray(at, at + 128)));
        sawSpeech ||= endpointer.inSpeech;
      }
      segments.push(...endpointer.finish());
      assert.ok(sawSpeech);
      assertFound(segments, spans, `SNR ${snr}`);
      // The whole-buffer function agrees with the stream.
      assert.deepEqual(gmmhmm.findSpeechSegments(x, rate), segments);
      endpointer.dispose();
    });
  }

  test('a word at the very end of the stream is closed by finish()', () => {
    const { x, spans } = pad([0.8, spoken[1]]);
    const endpointer = new gmmhmm.Endpointer(rate);
    const pushed = endpointer.push(x);
    assert.deepEqual(pushed, []);
    assert.equal(endpointer.inSpeech, true);
    assertFound(endpointer.finish(), spans, 'open word');
    endpointer.dispose();
  });

  test('silence and steady noise alone give no word', () => {
    const { x } = pad([3.0], { noise: 0.05 });
    assert.deepEqual(gmmhmm.findSpeechSegments(x, rate), []);
    assert.deepEqual(gmmhmm.findSpeechSegments(new Float32Array(rate * 2), rate), []);
  });

  test('44.1 kHz audio', () => {
    const word = speak('banana', { rate: 44100 });
    const x = new Float32Array(Math.round(0.7 * 44100) * 2 + word.length);
    x.set(word, Math.round(0.7 * 44100));
    const segments = gmmhmm.findSpeechSegments(x, 44100);
    assert.equal(segments.length, 1, JSON.stringify(segments));
    assert.ok(Math.abs(segments[0].startSample - Math.round(0.7 * 44100)) < 0.15 * 44100);
  });
});

describe('bad input: a GmmHmmError naming the problem, and the module keeps working', () => {
  const rate = 16000;
  const x = tone(0.5, rate);
  const withNaN = x.slice();
  withNaN[123] = NaN;
  const withInf = x.slice();
  withInf[7] = -Infinity;
  // Runs fn(object) and disposes the object, so the heap check below sees no live objects.
  const scoped = (object, fn) => {
    try {
      return fn(object);
    } finally {
      object.dispose();
    }
  };

  const cases = [
    ['NaN sample', () => gmmhmm.mfcc(withNaN, rate), /samples\[123\] is NaN/],
    ['infinite sample', () => gmmhmm.fbank(withInf, rate), /samples\[7\] is infinite/],
    ['samples not an array', () => gmmhmm.mfcc('hello', rate), /samples must be a Float32Array/],
    ['samples as an object', () => gmmhmm.mfcc({ length: 3 }, rate), /samples must be a Float32Array/],
    ['non-number in a samples array', () => gmmhmm.mfcc([0, 'a', 0], rate), /samples\[1\] must be a number/],
    ['sample rate 0', () => gmmhmm.mfcc(x, 0), /sampleRate must be between 1000 and 1000000/],
    ['negative sample rate', () => gmmhmm.mfcc(x, -16000), /sampleRate/],
    ['absurd sample rate', () => gmmhmm.mfcc(x, 1e9), /sampleRate must be between/],
    ['NaN sample rate', () => gmmhmm.mfcc(x, NaN), /sampleRate must be a finite number/],
    ['string sample rate', () => gmmhmm.mfcc(x, '16000'), /sampleRate must be a finite number, got '16000'/],
    ['missing sample rate', () => gmmhmm.mfcc(x), /sampleRate must be a finite number, got undefined/],
    ['numCeps > numMelBins', () => gmmhmm.mfcc(x, rate, { numCeps: 30 }), /numCeps \(30\) must not exceed numMelBins \(23\)/],
    ['lowFreq >= highFreq', () => gmmhmm.mfcc(x, rate, { lowFreq: 4000, highFreq: 3000 }), /lowFreq|highFreq/],
    ['highFreq above Nyquist', () => gmmhmm.fbank(x, rate, { highFreq: 9000 }), /highFreq 9000 Hz is above the Nyquist/],
    ['frame shorter than one sample', () => gmmhmm.mfcc(x, rate, { frameLength: 0.01 }), /frameLength/],
    ['frame shift of zero', () => gmmhmm.mfcc(x, rate, { frameShift: 0 }), /frameShift must be positive/],
    ['unknown window', () => gmmhmm.mfcc(x, rate, { windowType: 'triangle' }), /windowType must be one of/],
    ['unknown option (typo)', () => gmmhmm.mfcc(x, rate, { numCepts: 12 }), /unknown option 'numCepts'/],
    ['option of the wrong type', () => gmmhmm.mfcc(x, rate, { numCeps: '12' }), /numCeps must be a number, got '12'/],
    ['non-integer count', () => gmmhmm.mfcc(x, rate, { numMelBins: 22.5 }), /numMelBins must be an integer/],
    ['boolean option given a number', () => gmmhmm.mfcc(x, rate, { snipEdges: 1 }), /snipEdges must be true or false/],
    ['unknown preset', () => gmmhmm.mfcc(x, rate, { preset: 'htk' }), /preset must be 'kaldi' or 'speech'/],
    ['options not an object', () => gmmhmm.mfcc(x, rate, 13), /mfcc options must be an object/],
    ['negative dither', () => gmmhmm.mfcc(x, rate, { dither: -1 }), /dither must be >= 0/],
    ['deltas order out of range', () => gmmhmm.addDeltas([[1, 2]], { order: -1 }), /order must be between 0 and 8/],
    ['deltas window of zero', () => gmmhmm.addDeltas([[1, 2]], { window: 0 }), /window must be between 1 and 1000/],
    ['ragged feature rows', () => gmmhmm.addDeltas([[1, 2], [3]]), /features\[1\] has 1 values, expected 2/],
    ['feature row not an array', () => gmmhmm.cmvn([[1, 2], 'ab']), /features\[1\] must be an array/],
    ['flat features without nFeatures', () => gmmhmm.cmvn(new Float64Array(6)), /give nFeatures/],
    ['flat features not a whole number of rows', () => gmmhmm.cmvn(new Float64Array(7), { nFeatures: 2 }), /not a whole number of rows/],
    ['NaN feature', () => gmmhmm.cmvn([[1, 2], [NaN, 4]]), /features\[1\]\[0\] is NaN/],
    ['infinite feature', () => gmmhmm.addDeltas([[1, Infinity]]), /features\[0\]\[1\] is infinite/],
    ['unknown cmvn option', () => gmmhmm.cmvn([[1]], { varaince: true }), /unknown option 'varaince'/],
    ['FeatureStream of an unknown kind', () => new gmmhmm.FeatureStream(rate, { features: 'plp' }), /features must be 'mfcc' or 'fbank'/],
    ['FeatureStream with bad options', () => new gmmhmm.FeatureStream(rate, { numCeps: 0 }), /numCeps must be at least 1/],
    ['FeatureStream NaN push', () => scoped(new gmmhmm.FeatureStream(rate), (s) => s.push(withNaN)), /samples\[123\] is NaN/],
    ['FeatureStream push after finish', () => scoped(new gmmhmm.FeatureStream(rate), (s) => {
      s.finish();
      s.push(x);
    }), /push after finish/],
    ['FeatureStream pull of a negative count', () => scoped(new gmmhmm.FeatureStream(rate), (s) => s.pull(-1)), /maxFrames must be a number >= 0/],
    ['Endpointer bad sample rate', () => new gmmhmm.Endpointer(10), /sampleRate/],
    ['Endpointer postRoll > hangover', () => new gmmhmm.Endpointer(rate, { postRoll: 500 }), /postRoll \(500 ms\) must not exceed hangover/],
    ['Endpointer unknown option', () => new gmmhmm.Endpointer(rate, { hangOver: 100 }), /unknown option 'hangOver'/],
    ['Endpointer NaN push', () => scoped(new gmmhmm.Endpointer(rate), (e) => e.push(withNaN)), /samples\[123\] is NaN/],
    ['findSpeechSegments bad option', () => gmmhmm.findSpeechSegments(x, rate, { startFrames: 0 }), /startFrames must be between 1 and 100/],
  ];

  for (const [label, fn, pattern] of cases) {
    test(label, () => assertGmmHmmError(GmmHmmError, fn, pattern));
  }

  test('after every bad input (and 20,000 more) the results and the heap are unchanged', () => {
    const reference = gmmhmm.mfcc(x, rate);
    const heap = gmmhmm.heapBytesInUse();
    const handles = gmmhmm.valueHandles();
    for (const [, fn] of cases) assert.throws(fn);
    // Each error crosses wasm frames; without callWasm's stack restore this would exhaust
    // the wasm stack, and any leak per error would show in the heap.
    for (let i = 0; i < 20000; i++) assert.throws(() => gmmhmm.mfcc(withNaN, rate));
    assert.equal(gmmhmm.heapBytesInUse(), heap);
    assert.equal(gmmhmm.valueHandles(), handles, "JS values held by the wasm side");
    assert.deepEqual(gmmhmm.mfcc(x, rate), reference);
  });
});
