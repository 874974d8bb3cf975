// The `gmmhmm` command line: train on a folder of espeak-ng words (labels from subfolders and
// from --label-pattern), classify, eval, and clear errors (exit code, message) for missing
// folders, empty folders, unreadable WAV files and corrupt models; nothing half-written.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, speak, speechSkipReason } from './helpers.js';
import { wav16 } from './wav-bytes.js';

const run = promisify(execFile);
const CLI = path.join(ROOT, 'web/cli/gmmhmm.js');
const speechSkip = speechSkipReason();
if (speechSkip) console.log(`# ${speechSkip}`);

const RATE = 16000;
const WORDS = ['red', 'green', 'blue'];
const VOICES = [['en-us+m3', 150, 45], ['en-gb+f3', 140, 60], ['en-gb-scotland+m1', 160, 40], ['en-us+f4', 170, 65]];

function writeWav(file, samples) {
  fs.writeFileSync(file, wav16(samples, RATE));
}

async function gmmhmm(...args) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

let dir;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmmhmm-cli-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('train, classify, eval', { skip: speechSkip ?? false }, () => {
  let byFolder;
  let flat;
  let testFolder;
  before(() => {
    byFolder = path.join(dir, 'words');
    flat = path.join(dir, 'flat');
    testFolder = path.join(dir, 'test');
    for (const d of [flat, testFolder]) fs.mkdirSync(d, { recursive: true });
    for (const word of WORDS) {
      fs.mkdirSync(path.join(byFolder, word), { recursive: true });
      fs.mkdirSync(path.join(testFolder, word), { recursive: true });
      VOICES.forEach(([voice, speed, pitch], i) => {
        const samples = speak(word, { voice, speed, pitch, rate: RATE });
        if (i < 3) {
          writeWav(path.join(byFolder, word, `${word}-${i}.wav`), samples);
          writeWav(path.join(flat, `${word}_${i}.wav`), samples);
        } else {
          writeWav(path.join(testFolder, word, `${word}-${i}.wav`), samples);
        }
      });
    }
  });

  test('labels from subfolders: train writes a model, classify and eval use it', async () => {
    const model = path.join(dir, 'model.json');
    const trained = await gmmhmm('train', byFolder, '-o', model);
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(trained.stdout, /trained 3 words from 9 files/);
    assert.match(trained.stderr, /training 3 words: done/);
    const json = JSON.parse(fs.readFileSync(model, 'utf8'));
    assert.equal(json.format, 'gmmhmm-recognizer');
    assert.deepEqual(json.labels, [...WORDS].sort()); // files are read in path order
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');

    const file = path.join(byFolder, 'green', 'green-1.wav');
    const classified = await gmmhmm('classify', model, file);
    assert.equal(classified.code, 0, classified.stderr);
    assert.match(classified.stdout, new RegExp(`${file.replace(/[.\\/]/g, '\\$&')}\\tgreen\\t[0-9.]+ %`));
    const asJson = await gmmhmm('classify', model, file, '--json');
    assert.equal(JSON.parse(asJson.stdout).label, 'green');

    const evaluated = await gmmhmm('eval', model, byFolder, '--json');
    assert.equal(evaluated.code, 0, evaluated.stderr);
    const report = JSON.parse(evaluated.stdout);
    assert.equal(report.files, 9);
    assert.equal(report.accuracy, 1);
    assert.deepEqual(Object.keys(report.confusion).sort(), [...WORDS].sort());
    const text = await gmmhmm('eval', model, testFolder);
    assert.match(text.stdout, /accuracy \(best word\):/);
    assert.match(text.stdout, /confusion matrix/);
    assert.match(text.stdout, /recall per label/);
  });

  test('labels from file names with --label-pattern', async () => {
    const model = path.join(dir, 'flat.json');
    const trained = await gmmhmm('train', flat, '-o', model, '--label-pattern', '^([a-z]+)_', '--workers', '0');
    assert.equal(trained.code, 0, trained.stderr);
    assert.deepEqual(JSON.parse(fs.readFileSync(model, 'utf8')).labels.sort(), [...WORDS].sort());
    const evaluated = await gmmhmm('eval', model, flat, '--label-pattern', '^([a-z]+)_', '--json');
    assert.equal(JSON.parse(evaluated.stdout).accuracy, 1);
  });

  test('a folder without label subfolders says what to do', async () => {
    const result = await gmmhmm('train', flat, '-o', path.join(dir, 'x.json'));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no label subfolders.*--label-pattern/);
    assert.equal(fs.existsSync(path.join(dir, 'x.json')), false);
  });
});

describe('errors', () => {
  test('missing and empty folders, no -o, unknown command', async () => {
    const missing = await gmmhmm('train', path.join(dir, 'nope'), '-o', path.join(dir, 'm.json'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read folder .*nope: no such folder/);
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty, { recursive: true });
    const none = await gmmhmm('train', empty, '-o', path.join(dir, 'm.json'));
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no WAV files found in .*empty/);
    const noOutput = await gmmhmm('train', empty);
    assert.equal(noOutput.code, 2);
    assert.match(noOutput.stderr, /-o/);
    const unknown = await gmmhmm('fly');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'fly'/);
    const badPattern = await gmmhmm('train', empty, '-o', 'x.json', '--label-pattern', '([');
    assert.equal(badPattern.code, 2);
    assert.match(badPattern.stderr, /--label-pattern is not a valid regular expression/);
  });

  test('an unreadable WAV file is named; nothing is written', async () => {
    const folder = path.join(dir, 'broken');
    fs.mkdirSync(path.join(folder, 'a'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'a', 'bad.wav'), 'this is not audio');
    const model = path.join(dir, 'broken.json');
    const result = await gmmhmm('train', folder, '-o', model);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /bad\.wav is not a readable WAV file/);
    assert.equal(fs.existsSync(model), false);
  });

  test('corrupt and missing models', async () => {
    const corrupt = path.join(dir, 'corrupt.json');
    fs.writeFileSync(corrupt, '{"format": "gmmhmm-recognizer", "version": 1, "words": [');
    const result = await gmmhmm('classify', corrupt, path.join(dir, 'x.wav'));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /corrupt\.json is not a valid recognizer model: .*does not parse/);
    const missing = await gmmhmm('eval', path.join(dir, 'none.json'), dir);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read model .*none\.json: no such file/);
  });
});
