// Labels in the CLI: any valid label (`__proto__`, the report's own words, 200 bytes) survives
// train, classify and eval in text and JSON; a label the recognizer would refuse, or one with
// control characters, is an error naming its folder or file, before anything is read; the
// dataset scan follows links without looping or counting a file twice, and skips hidden names.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load } from '../../web/index.js';
import { MAX_LABEL_BYTES, labelProblem } from '../../web/cli/dataset.js';
import { confusionReport } from '../../web/cli/report.js';
import { runCli } from './helpers.js';
import { glide, wav16 } from './wav-bytes.js';

// Words the report uses for itself, JavaScript's object keys, and the longest valid label.
const HOSTILE = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'files', 'accuracy', 'acceptedAccuracy', 'rejected',
  '(rejected)', 'labels', 'recall', 'confusion', 'rejectedByLabel', 'total', '-', '#1', 'x'.repeat(MAX_LABEL_BYTES)];

let dir;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmmhmm-cli-labels-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const sound = (i, variant) => wav16(glide(300 + 250 * i, 1400 - 150 * i, { variant }), 8000);

/** A folder of `labels`, each with `count` recordings (distinct glides), in subfolders or flat with names label_k.wav. */
function dataset(name, labels, { count = 2, flat = false } = {}) {
  const root = path.join(dir, name);
  labels.forEach((label, i) => {
    const folder = flat ? root : path.join(root, label);
    fs.mkdirSync(folder, { recursive: true });
    for (let k = 0; k < count; k++) fs.writeFileSync(path.join(folder, flat ? `${label}_${k}.wav` : `${k}.wav`), sound(i, k));
  });
  return root;
}

describe('the eval report keeps every label apart from its own words', () => {
  const outcomes = HOSTILE.flatMap((truth, i) => [
    { truth, label: truth, rejected: false },
    { truth, label: HOSTILE[(i + 1) % HOSTILE.length], rejected: false },
    { truth, label: truth, rejected: i % 2 === 0 },
  ]);
  const { summary, text } = confusionReport(outcomes, HOSTILE);

  test('JSON: each label has its recall, confusion row and rejected count, and survives a round trip', () => {
    const json = JSON.parse(JSON.stringify(summary));
    assert.deepEqual(json.labels, HOSTILE);
    assert.equal(json.files, 3 * HOSTILE.length);
    assert.equal(json.rejected, Math.ceil(HOSTILE.length / 2));
    for (const [i, label] of HOSTILE.entries()) {
      for (const part of ['recall', 'confusion', 'rejectedByLabel']) {
        assert.ok(Object.hasOwn(json[part], label), `${part} has ${label}`);
      }
      assert.equal(json.recall[label], i % 2 === 0 ? 1 / 3 : 2 / 3, `recall of ${label}`);
      assert.equal(json.rejectedByLabel[label], i % 2 === 0 ? 1 : 0);
      assert.deepEqual(Object.keys(json.confusion[label]), HOSTILE);
      assert.equal(json.confusion[label][label], i % 2 === 0 ? 1 : 2);
      assert.equal(json.confusion[label][HOSTILE[(i + 1) % HOSTILE.length]], 1);
    }
    assert.equal(Object.getPrototypeOf(json.recall), Object.prototype, 'no key replaced a prototype');
  });

  test('text: no NaN, every label on its row, a long label numbered instead of widening the matrix', () => {
    assert.doesNotMatch(text, /NaN/);
    for (const label of HOSTILE) assert.ok(text.includes(label), label);
    const matrix = text.slice(text.indexOf('confusion matrix'));
    assert.match(matrix, /by row number/);
    for (const line of matrix.split('\n').slice(1)) {
      assert.ok(line.length - (line.includes('x'.repeat(50)) ? MAX_LABEL_BYTES : 0) < 400, 'columns stay narrow');
    }
  });

  test('text: control characters and direction overrides in a label are shown escaped', () => {
    const odd = ['bell\u0007', 'esc\u001b[31m', 'rtl\u202eevil', ' padded ', 'new\nline'];
    const report = confusionReport(odd.map((truth) => ({ truth, label: truth, rejected: false })), odd).text;
    assert.doesNotMatch(report, /[\u0007\u001b\u202e]/);
    assert.equal(report.split('\n').length, confusionReport([{ truth: 'a', label: 'a', rejected: false }], ['a']).text.split('\n').length +
      2 * (odd.length - 1), 'one line per label in each table');
    for (const shown of ['"bell\\u0007"', '"esc\\u001b[31m"', '"rtl\\u202eevil"', '" padded "', '"new\\nline"']) {
      assert.ok(report.includes(shown), shown);
    }
  });
});

describe('the label rules are the recognizer\'s', () => {
  test('labelProblem refuses exactly what Recognizer.addExample refuses by length (bytes of UTF-8)', async () => {
    const gmmhmm = await load();
    const rec = new gmmhmm.Recognizer({ workers: 0 });
    try {
      const samples = Float32Array.from(glide(300, 600));
      for (const label of ['a'.repeat(MAX_LABEL_BYTES), 'a'.repeat(MAX_LABEL_BYTES + 1), 'é'.repeat(MAX_LABEL_BYTES / 2),
        'é'.repeat(MAX_LABEL_BYTES / 2 + 1), '語'.repeat(67), '語'.repeat(66)]) {
        let accepted = true;
        try {
          rec.addExample(label, samples, 8000);
        } catch {
          accepted = false;
        }
        assert.equal(labelProblem(label) === null, accepted, `${label.length} × ${label[0]}`);
      }
    } finally {
      rec.dispose();
    }
  });

  test('empty labels and control characters are refused', () => {
    assert.match(labelProblem(''), /empty/);
    assert.match(labelProblem('a\u0000b'), /control character/);
    assert.match(labelProblem('tab\there'), /control character/);
    assert.equal(labelProblem('ünïcødé 語'), null);
  });
});

describe('gmmhmm train, classify and eval with hostile labels', () => {
  const labels = ['__proto__', 'accuracy', '(rejected)', 'y'.repeat(MAX_LABEL_BYTES)];
  let data;
  let model;
  before(async () => {
    data = dataset('hostile', labels);
    model = path.join(dir, 'hostile.json');
    const trained = await runCli('train', data, '-o', model, '--workers', '0');
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(trained.stdout, /trained 4 words from 8 files: .*__proto__ \(2\)/);
  });

  test('eval --json: every label is in the report (__proto__ included), no NaN', async () => {
    const result = await runCli('eval', model, data, '--json');
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /NaN|null/);
    const report = JSON.parse(result.stdout);
    assert.deepEqual([...report.labels].sort(), [...labels].sort());
    for (const label of labels) {
      assert.equal(typeof report.recall[label], 'number', `recall of ${label}`);
      assert.equal(Object.values(report.confusion[label]).reduce((a, b) => a + b) + report.rejectedByLabel[label], 2);
    }
  });

  test('eval text prints __proto__ with its recall; classify prints labels as they are', async () => {
    const text = await runCli('eval', model, data);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, /NaN/);
    assert.match(text.stdout, /^ +[0-9.]+ % {2}__proto__$/m);
    const file = path.join(data, 'accuracy', '0.wav');
    const classified = await runCli('classify', model, file);
    assert.equal(classified.code, 0, classified.stderr);
    assert.match(classified.stdout, /^[^\t]+accuracy\/0\.wav\taccuracy\t[0-9.]+ %\n$/);
  });
});

describe('labels that cannot be are errors naming their folder or file', () => {
  test('a label folder with a control character or longer than the limit', async () => {
    const control = dataset('control', ['ok', 'bad\u001bname']);
    const result = await runCli('train', control, '-o', path.join(dir, 'm.json'));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /folder ".*control\/bad\\u001bname": .*contains a control character/);
    assert.doesNotMatch(result.stderr, /^reading /m, 'before any file is read');
    const long = dataset('long', ['ok', 'z'.repeat(MAX_LABEL_BYTES + 1)]);
    const tooLong = await runCli('train', long, '-o', path.join(dir, 'm.json'));
    assert.equal(tooLong.code, 1);
    assert.match(tooLong.stderr, new RegExp(`folder .*z{${MAX_LABEL_BYTES + 1}}: .*is ${MAX_LABEL_BYTES + 1} bytes long in UTF-8, more than the ${MAX_LABEL_BYTES}`));
  });

  test('--label-pattern: an empty label, a group that takes no part, a control character', async () => {
    const flat = dataset('flat', ['low', 'high'], { flat: true });
    const model = path.join(dir, 'm.json');
    const empty = await runCli('train', flat, '-o', model, '--label-pattern', '^([0-9]*)[a-z]+_');
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /flat\/high_0\.wav: the label "" taken from its name by --label-pattern is empty/);
    const unused = await runCli('train', flat, '-o', model, '--label-pattern', '^(?:(z)|[a-z]+)_');
    assert.equal(unused.code, 1);
    assert.match(unused.stderr, /high_0\.wav: the first group of --label-pattern .* took no part in the match, so it gives no label/);
    fs.writeFileSync(path.join(flat, 'a\u0001b_0.wav'), sound(0, 0));
    const control = await runCli('train', flat, '-o', model, '--label-pattern', '^(.+)_');
    assert.equal(control.code, 1);
    assert.match(control.stderr, /"[^"]*a\\u0001b_0\.wav": the label "a\\u0001b" .* contains a control character/);
    assert.equal(fs.existsSync(model), false);
  });
});

describe('the dataset scan', () => {
  test('links are followed, loops end, a file reached twice is used once, hidden names are skipped', async () => {
    const data = dataset('links', ['low', 'high']);
    fs.symlinkSync('..', path.join(data, 'low', 'up')); // a loop
    fs.symlinkSync('loop', path.join(data, 'loop')); // a link to itself
    fs.symlinkSync(path.join(data, 'high', '0.wav'), path.join(data, 'low', 'same.wav')); // one file, two labels
    fs.symlinkSync(path.join(data, 'nowhere.wav'), path.join(data, 'high', 'broken.wav'));
    fs.writeFileSync(path.join(data, 'low', '._0.wav'), 'macOS resource fork, not audio');
    fs.mkdirSync(path.join(data, '.cache'));
    fs.writeFileSync(path.join(data, '.cache', 'x.wav'), 'not audio');
    const linked = path.join(dir, 'linked');
    fs.mkdirSync(linked);
    fs.symlinkSync(path.join(data, 'low'), path.join(linked, 'low')); // a dataset of links to folders
    fs.symlinkSync(path.join(data, 'high'), path.join(linked, 'high'));
    const model = path.join(dir, 'links.json');
    for (const [folder, extra] of [[data, []], [linked, []], [data, ['--label-pattern', '^(\\d)\\.wav$']]]) {
      const result = await runCli('train', folder, '-o', model, '--workers', '0', ...extra);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /from 4 files/, `${folder} ${extra}`);
      if (extra.length === 0) assert.match(result.stderr, /skipped .*low\/same\.wav: the same file as .*high\/0\.wav/);
      else assert.match(result.stderr, /skipped 1 WAV file whose names do not match/);
      assert.match(result.stderr, /skipped .*broken\.wav: a symbolic link to nothing/);
    }
  });
});
