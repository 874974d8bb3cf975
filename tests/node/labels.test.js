// Labels: one rule (web/lib/labels.js, the same in the core: cpp/.../recognizer/labels.hpp),
// held to one table here through every door a label comes in by — checkLabel, addExample,
// addFeatures, removeExamples, exampleCount and the labels of a recognizer file (the core's
// check) — and words that look like the package's own names ('__proto__', 'background',
// 'constructor', 'label', 'scores'...) trained, classified, saved and loaded like any other.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { load, GmmHmmError, checkLabel, MAX_LABEL_LENGTH, LABEL_RULE } from 'gmmhmm';
import { random } from './helpers.js';

const LONGEST = 'x'.repeat(MAX_LABEL_LENGTH);
const EMOJI = '\u{1F600}';  // two UTF-16 code units

// [label, the problem (after "label "), or null when valid]
const TABLE = [
  ['yes', null],
  ['turn on the lights', null],
  ['ça va', null],
  ['日本語', null],
  ['مرحبا', null],
  [`thumbs ${EMOJI}`, null],
  ['a\u200db', null],  // a zero-width joiner: part of emoji and of several scripts
  [LONGEST, null],
  [EMOJI.repeat(MAX_LABEL_LENGTH / 2), null],
  ['__proto__', null],
  ['constructor', null],
  ['toString', null],
  ['background', null],
  ['\u0000', 'contains a control character (U+0000 at index 0)'],
  ['\u0000background', 'contains a control character (U+0000 at index 0)'],
  ['yes\nno', 'contains a control character (U+000A at index 3)'],
  ['tab\there', 'contains a control character (U+0009 at index 3)'],
  ['\u001b[31mred', 'contains a control character (U+001B at index 0)'],
  ['del\u007f', 'contains a control character (U+007F at index 3)'],
  [`${EMOJI}\u0085`, 'contains a control character (U+0085 at index 2)'],
  ['one\u2028two', 'contains a line or paragraph separator (U+2028 at index 3)'],
  ['abc\u202edcba', 'contains a bidirectional control character (U+202E at index 3)'],
  ['\u2066isolated\u2069', 'contains a bidirectional control character (U+2066 at index 0)'],
  // The marks are letters of right-to-left text (and in files written before): allowed.
  ['\u05e9\u05dc\u05d5\u05dd\u200f', null],
  ['\u200eyes', null],
  ['\u0644\u061c\u0627', null],
  [' yes', 'must not start or end with whitespace'],
  ['yes ', 'must not start or end with whitespace'],
  ['\u00a0yes', 'must not start or end with whitespace'],
  ['yes\u3000', 'must not start or end with whitespace'],
  ['\ufeffyes', 'must not start or end with whitespace'],
  ['   ', 'must not start or end with whitespace'],
  [`${LONGEST}x`, `must be at most ${MAX_LABEL_LENGTH} characters, got ${MAX_LABEL_LENGTH + 1}`],
  [EMOJI.repeat(MAX_LABEL_LENGTH / 2 + 1), `must be at most ${MAX_LABEL_LENGTH} characters, got ${MAX_LABEL_LENGTH + 2} (counted as JavaScript's length counts: an emoji or another character beyond U+FFFF counts 2)`],
  ['x'.repeat(1e6), `must be at most ${MAX_LABEL_LENGTH} characters, got 1000000`],
];
// Lone surrogates exist only in JS strings (a file cannot hold them: its JSON does not parse).
const JS_ONLY = [
  ['\ud800', 'contains an unpaired surrogate (U+D800 at index 0)'],
  ['ab\udc00', 'contains an unpaired surrogate (U+DC00 at index 2)'],
];
const NOT_STRINGS = [[undefined, 'undefined'], [null, 'null'], [7, '7'], ['', "''"], [['a'], 'an array of length 1']];

const show = (label) => JSON.stringify(label.length > 30 ? `${label.slice(0, 30)}…` : label);

describe('labels', () => {
  let g;
  let json;  // a trained recognizer file whose first word's label each case replaces
  const next = random(5);
  const word = (w) => Array.from({ length: 30 }, (_, t) => Array.from({ length: 39 }, (_, d) => Math.sin(t * 0.05 * (w + 1) + d) + 0.3 * next()));

  before(async () => {
    g = await load();
    const rec = new g.Recognizer({ workers: 0 });
    for (const w of [0, 1]) for (let i = 0; i < 3; i++) rec.addFeatures(`w${w}`, word(w));
    await rec.train();
    json = rec.toJSON();
    rec.dispose();
  });

  test('the rule is declared once: LABEL_RULE names the limit checkLabel applies', () => {
    assert.equal(MAX_LABEL_LENGTH, 64);
    assert.match(LABEL_RULE, new RegExp(`at most ${MAX_LABEL_LENGTH} characters`));
    assert.equal(checkLabel('yes'), 'yes');
  });

  test('checkLabel and every Recognizer door give the same verdict and message', () => {
    const rec = new g.Recognizer({ workers: 0 });
    try {
      for (const [label, problem] of [...TABLE, ...JS_ONLY]) {
        if (problem === null) {
          assert.equal(checkLabel(label), label);
          rec.addFeatures(label, word(0));
          assert.equal(rec.exampleCount(label), 1, show(label));
          assert.equal(rec.removeExamples(label), 1, show(label));
          assert.equal(rec.exampleCount(label), 0);
          assert.equal(rec.removeExamples(label), 0, `${show(label)} a second time`);
          continue;
        }
        // Each method names itself first, as the engine's messages do; checkLabel has no name.
        const message = (door) => new RegExp(`^${door === 'checkLabel' ? '' : `${door}: `}label ${problem.replace(/[()[\]+.]/g, '\\$&')}$`);
        for (const [door, call] of [
          ['checkLabel', () => checkLabel(label)],
          ['addFeatures', () => rec.addFeatures(label, word(0))],
          ['addExample', () => rec.addExample(label, new Float32Array(8000).fill(0.1), 16000)],
          ['exampleCount', () => rec.exampleCount(label)],
          ['removeExamples', () => rec.removeExamples(label)],
        ]) {
          assert.throws(call, (e) => e instanceof GmmHmmError && e.code === 'invalid-argument' && message(door).test(e.message),
            `${door}(${show(label)})`);
        }
      }
      for (const [value, shown] of NOT_STRINGS) {
        assert.throws(() => rec.addFeatures(value, word(0)), (e) => e instanceof GmmHmmError && e.message === `addFeatures: label must be a non-empty string, got ${shown}`);
      }
      assert.deepEqual(rec.labels, [], 'nothing refused was stored');
      // Callers (the CLI, the demo's import) name the label where they found it.
      assert.throws(() => checkLabel('\u0007', 'recordings[3].label'),
        (e) => e instanceof GmmHmmError && e.message === 'recordings[3].label contains a control character (U+0007 at index 0)');
    } finally {
      rec.dispose();
    }
  });

  test('a recognizer file is held to the same rule by the core (model-format, the same message)', () => {
    for (const [label, problem] of TABLE) {
      const file = structuredClone(json);
      file.words[0].label = label;
      file.labels[0] = label;
      if (problem === null) {
        const rec = g.Recognizer.fromJSON(file);
        assert.deepEqual(rec.labels, [label, 'w1']);
        rec.dispose();
        continue;
      }
      assert.throws(() => g.Recognizer.fromJSON(file), (e) => e instanceof GmmHmmError && e.code === 'model-format' &&
        e.message === `fromJSON: recognizer JSON: words[0].label ${problem}`, show(label));
    }
    for (const [label] of JS_ONLY) {
      const file = structuredClone(json);
      file.words[0].label = label;
      assert.throws(() => g.Recognizer.fromJSON(file), (e) => e instanceof GmmHmmError && e.code === 'model-format', show(label));
    }
  });

  test("words named like the package's own keys train, classify, save and load like any other", async () => {
    const names = ['__proto__', 'constructor', 'background', 'label', 'scores', 'hasOwnProperty'];
    for (const workers of [0, 2]) {
      const rec = new g.Recognizer({ workers });
      try {
        names.forEach((name, w) => { for (let i = 0; i < 3; i++) rec.addFeatures(name, word(w)); });
        await rec.train();
        assert.deepEqual(rec.labels, names);
        const file = rec.toJSON();
        assert.deepEqual(file.labels, names);
        assert.deepEqual(file.words.map((w) => w.label), names);
        const copy = g.Recognizer.fromJSON(JSON.stringify(file));
        try {
          assert.deepEqual(copy.labels, names);
          names.forEach((name, w) => {
            const r = copy.classifyFeatures(word(w));
            assert.equal(r.label, name);
            assert.deepEqual(r.scores.map((s) => s.label).sort(), [...names].sort());
          });
        } finally {
          copy.dispose();
        }
        const events = new Map();
        rec.removeExamples('scores');
        await rec.train({ onProgress: (e) => events.set(e.label, (events.get(e.label) ?? 0) + 1) });
        assert.deepEqual([...events.keys()].sort((a, b) => String(a).localeCompare(String(b))),
          [null, ...names.filter((n) => n !== 'scores')].sort((a, b) => String(a).localeCompare(String(b))), 'one progress stream per word, the background as null');
      } finally {
        rec.dispose();
      }
    }
    await g.terminateWorkers();
  });

  after(() => g?.terminateWorkers());
});
