// Labels in the CLI: any valid label (`__proto__`, the report's own words, the longest the
// library allows, in any script) survives train, classify and eval in text and JSON; the CLI
// refuses exactly the labels Recognizer.addExample refuses (the library's one rule, with its
// message), from folder names and from --label-pattern, as an error naming the folder or file
// before anything is read; the dataset scan follows links without looping or counting a file
// twice, and skips hidden names.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load, LABEL_RULE, MAX_LABEL_LENGTH } from '../../web/index.js';
import { labelledFiles } from '../../web/cli/dataset.js';
import { HELP } from '../../web/cli/options.js';
import { confusionReport } from '../../web/cli/report.js';
import { runCli } from './helpers.js';
import { glide, wav16 } from './wav-bytes.js';

const EMOJI = '\u{1F600}'; // one character to a person, two UTF-16 code units to the rule

// Words the report uses for itself, JavaScript's object keys, and the longest valid labels.
const HOSTILE = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'files', 'accuracy', 'acceptedAccuracy', 'rejected',
  '(rejected)', 'labels', 'recall', 'confusion', 'rejectedByLabel', 'total', '-', '#1', 'x'.repeat(MAX_LABEL_LENGTH),
  EMOJI.repeat(MAX_LABEL_LENGTH / 2)];

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
      const labelWidth = HOSTILE.find((label) => label.length === MAX_LABEL_LENGTH && line.includes(label))?.length ?? 0;
      assert.ok(line.length - labelWidth < 400, 'columns stay narrow');
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

// Every edge of the rule, each side: [what it shows, label]. A label is refused or taken by its
// length in UTF-16 code units, never by bytes or code points.
const EDGES = [
  ['64 × a', 'a'.repeat(MAX_LABEL_LENGTH)],
  ['65 × a', 'a'.repeat(MAX_LABEL_LENGTH + 1)],
  ['32 emoji (64 units)', EMOJI.repeat(MAX_LABEL_LENGTH / 2)],
  ['32 emoji and a (65 units)', `${EMOJI.repeat(MAX_LABEL_LENGTH / 2)}a`],
  ['63 × a and an emoji (64 code points, 65 units)', `${'a'.repeat(MAX_LABEL_LENGTH - 1)}${EMOJI}`],
  ['64 × 語 (192 bytes of UTF-8)', '語'.repeat(MAX_LABEL_LENGTH)],
  ['65 × 語', '語'.repeat(MAX_LABEL_LENGTH + 1)],
  ['empty', ''],
  ['spaces inside', 'turn on the lights'],
  ['a zero-width joiner', 'a\u200db'],
  ['__proto__', '__proto__'],
  ['a leading space', ' yes'],
  ['a trailing space', 'yes '],
  ['a leading no-break space', '\u00a0yes'],
  ['a trailing ideographic space', 'yes\u3000'],
  ['a leading byte order mark', '\ufeffyes'],
  ['a tab inside', 'tab\there'],
  ['an escape sequence', 'bad\u001b[31mname'],
  ['DEL', 'del\u007f'],
  ['a C1 control', 'next\u0085line'],
  ['a line separator', 'one\u2028two'],
  ['a right-to-left override', 'abc\u202edcba'],
  ['a directional isolate', '\u2066isolated\u2069'],
];

describe('the CLI refuses exactly the labels Recognizer.addExample refuses, with its words', () => {
  let rec;
  before(async () => {
    rec = new (await load()).Recognizer({ workers: 0 });
  });
  after(() => rec.dispose());

  /** null when addExample takes `label`, else what it says is wrong (its message after "label ").
   *  Each label gets a recording of its own (`i`): the same recording under two labels is
   *  refused for that reason, before anything is said of the label. */
  function libraryVerdict(label, i) {
    try {
      rec.addExample(label, Float32Array.from(glide(300, 600 + 10 * i)), 8000);
      return null;
    } catch (error) {
      assert.equal(error.code, 'invalid-argument');
      assert.match(error.message, /^addExample: label /);
      return error.message.slice('addExample: label '.length);
    }
  }

  /** null when the CLI's dataset scan takes `label` (as the one label of its file), else its error message. */
  const cliVerdict = (root, pattern, label) => labelledFiles(root, pattern).then(({ files }) => {
    assert.deepEqual(files.map((f) => f.label), [label]);
    return null;
  }, (error) => error.message);

  for (const [i, [shown, label]] of EDGES.entries()) {
    test(shown, async () => {
      const expected = libraryVerdict(label, i);
      const verdicts = [['--label-pattern', await cliVerdict(dataset(`edge-name-${i}`, [label], { count: 1, flat: true }), /^([^]*)_0\.wav$/u, label)]];
      // No folder has an empty name: an empty label only comes from --label-pattern.
      if (label !== '') verdicts.push(['folder', await cliVerdict(dataset(`edge-folder-${i}`, [label], { count: 1 }), null, label)]);
      for (const [door, got] of verdicts) {
        if (expected === null) {
          assert.equal(got, null, `${door}: the library takes it`);
        } else {
          assert.notEqual(got, null, `${door}: the library refuses it (${expected})`);
          assert.ok(got.endsWith(` ${expected}`), `${door}: "${got}" ends with the library's "${expected}"`);
        }
      }
    });
  }

  test('--help states the library\'s rule', () => {
    assert.ok(HELP.replace(/\s+/g, ' ').includes(LABEL_RULE));
  });
});

describe('gmmhmm train, classify and eval with hostile and long labels', () => {
  const labels = ['__proto__', 'accuracy', '(rejected)', 'turn on', 'y'.repeat(MAX_LABEL_LENGTH), '語'.repeat(MAX_LABEL_LENGTH),
    EMOJI.repeat(MAX_LABEL_LENGTH / 2)];
  let data;
  let model;
  before(async () => {
    data = dataset('hostile', labels);
    model = path.join(dir, 'hostile.json');
    const trained = await runCli('train', data, '-o', model, '--workers', '0');
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(trained.stdout, new RegExp(`trained ${labels.length} words from ${2 * labels.length} files: .*__proto__ \\(2\\)`));
    for (const label of labels) assert.ok(trained.stdout.includes(`${label} (2)`), label);
  });

  test('eval --json: every label is in the report (__proto__ and the longest included), no NaN', async () => {
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

  test('eval text prints every label with its recall; classify prints labels as they are', async () => {
    const text = await runCli('eval', model, data);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, /NaN/);
    for (const label of labels) {
      assert.match(text.stdout, new RegExp(`^ +[0-9.]+ % {2}${label.replace(/[()]/g, '\\$&')}$`, 'mu'), label);
    }
    const heard = ['accuracy', EMOJI.repeat(MAX_LABEL_LENGTH / 2)];
    const classified = await runCli('classify', model, ...heard.map((label) => path.join(data, label, '0.wav')));
    assert.equal(classified.code, 0, classified.stderr);
    const lines = classified.stdout.trimEnd().split('\n');
    for (const line of lines) assert.match(line, /^[^\t]+\/0\.wav\t[^\t]+\t[0-9.]+ %$/u);
    assert.deepEqual(lines.map((line) => line.split('\t')[1]), heard);
  });
});

describe('labels that cannot be are errors naming their folder or file', () => {
  test('a label folder against the rule: exit status 1, the library\'s words, nothing read', async () => {
    const cases = [
      ['bad\u001bname', /folder ".*\/bad\\u001bname": .*contains a control character \(U\+001B at index 3\)$/m],
      ['z'.repeat(MAX_LABEL_LENGTH + 1), new RegExp(`folder .*/z{${MAX_LABEL_LENGTH + 1}}: .*must be at most ${MAX_LABEL_LENGTH} characters, got ${MAX_LABEL_LENGTH + 1}$`, 'm')],
      [`${'z'.repeat(MAX_LABEL_LENGTH - 1)}${EMOJI}`, new RegExp(`must be at most ${MAX_LABEL_LENGTH} characters, got ${MAX_LABEL_LENGTH + 1} \\(counted as JavaScript's length counts: an emoji or another character beyond U\\+FFFF counts 2\\)$`, 'm')],
      ['ok ', /folder ".*\/ok ": .*must not start or end with whitespace$/m],
      ['abc\u202edcba', /folder ".*\/abc\\u202edcba": .*contains a bidirectional control character \(U\+202E at index 3\)$/m],
    ];
    for (const [i, [label, message]] of cases.entries()) {
      const data = dataset(`refused-${i}`, ['ok', label]);
      const result = await runCli('train', data, '-o', path.join(dir, 'm.json'));
      assert.equal(result.code, 1, JSON.stringify(label));
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /^reading /m, 'before any file is read');
    }
    assert.equal(fs.existsSync(path.join(dir, 'm.json')), false);
  });

  test('--label-pattern: an empty label, a group that takes no part, a control character', async () => {
    const flat = dataset('flat', ['low', 'high'], { flat: true });
    const model = path.join(dir, 'm.json');
    const empty = await runCli('train', flat, '-o', model, '--label-pattern', '^([0-9]*)[a-z]+_');
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /flat\/high_0\.wav: the label "" taken from its name by --label-pattern must be a non-empty string/);
    const unused = await runCli('train', flat, '-o', model, '--label-pattern', '^(?:(z)|[a-z]+)_');
    assert.equal(unused.code, 1);
    assert.match(unused.stderr, /high_0\.wav: the first group of --label-pattern .* took no part in the match, so it gives no label/);
    fs.writeFileSync(path.join(flat, 'a\u0001b_0.wav'), sound(0, 0));
    const control = await runCli('train', flat, '-o', model, '--label-pattern', '^(.+)_');
    assert.equal(control.code, 1);
    assert.match(control.stderr, /"[^"]*a\\u0001b_0\.wav": the label "a\\u0001b" .* contains a control character \(U\+0001 at index 1\)/);
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
