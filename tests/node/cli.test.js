// The `gmmhmm` command line: train on a folder of espeak-ng words (labels from subfolders and
// from --label-pattern), classify (the same word in every WAV encoding), eval; --version and
// --help; the packed CLI with no other package installed; clear errors (exit code, message)
// for command-line mistakes, missing folders, empty folders, unreadable WAV files and corrupt
// models; nothing half-written.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runCli as gmmhmm, speak, speechSkipReason } from './helpers.js';
import { wav16, writeGlideWords } from './wav-bytes.js';

const speechSkip = speechSkipReason();
if (speechSkip) console.log(`# ${speechSkip}`);

const RATE = 16000;
const WORDS = ['red', 'green', 'blue'];
const VOICES = [['en-us+m3', 150, 45], ['en-gb+f3', 140, 60], ['en-gb-scotland+m1', 160, 40], ['en-us+f4', 170, 65]];

function writeWav(file, samples) {
  fs.writeFileSync(file, wav16(samples, RATE));
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

    // Output into a reader that stops early (| head -c 1): the CLI ends quietly, status 0.
    const files = fs.readdirSync(path.join(byFolder, 'red')).map((f) => path.join(byFolder, 'red', f));
    const piped = execFileSync('bash', ['-c', `"${process.execPath}" "${path.join(ROOT, 'web/cli/gmmhmm.js')}" classify "$@" | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"`,
      'bash', model, ...files, ...files, ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(piped.trim(), '0');

    // One unreadable file among them: named, left out, the rest reported, exit status 1.
    const withBad = path.join(dir, 'eval-bad');
    fs.cpSync(byFolder, withBad, { recursive: true });
    fs.writeFileSync(path.join(withBad, 'red', 'broken.wav'), 'this is not audio');
    const partly = await gmmhmm('eval', model, withBad, '--json');
    assert.equal(partly.code, 1, partly.stderr);
    assert.match(partly.stderr, /broken\.wav is not a readable WAV file/);
    assert.match(partly.stderr, /1 of 10 files could not be classified and are left out of the report/);
    const partial = JSON.parse(partly.stdout);
    assert.equal(partial.files, 9);
    assert.deepEqual(partial.errors.map((e) => path.basename(e.file)), ['broken.wav']);
    assert.match(partial.errors[0].message, /is not a readable WAV file/);
    // A full disk: one line, exit status 1.
    if (fs.existsSync('/dev/full')) {
      const full = execFileSync('bash', ['-c', `"${process.execPath}" "${path.join(ROOT, 'web/cli/gmmhmm.js')}" classify "$@" > /dev/full; echo "status $?"`,
        'bash', model, ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(full.trim(), 'status 1');
    }
  });

  test('labels from file names with --label-pattern', async () => {
    const model = path.join(dir, 'flat.json');
    const trained = await gmmhmm('train', flat, '-o', model, '--label-pattern', '^([a-z]+)_', '--workers', '0');
    assert.equal(trained.code, 0, trained.stderr);
    assert.deepEqual(JSON.parse(fs.readFileSync(model, 'utf8')).labels.sort(), [...WORDS].sort());
    const evaluated = await gmmhmm('eval', model, flat, '--label-pattern', '^([a-z]+)_', '--json');
    assert.equal(JSON.parse(evaluated.stdout).accuracy, 1);
    assert.doesNotMatch(evaluated.stderr, /words the model does not know/);
    // A pattern that takes other labels than the model's: said, not only 0 % in the report.
    const mistaken = await gmmhmm('eval', model, flat, '--label-pattern', '^([a-z])', '--json');
    assert.equal(JSON.parse(mistaken.stdout).accuracy, 0);
    assert.match(mistaken.stderr, /warning: \d+ of \d+ files are labelled with words the model does not know: .*; they count as errors \(the model knows .*; check the folders or --label-pattern\)/);
  });

  test('the same word as A-law, mu-law, 8-bit, 24-bit, float and stereo: the same result as 16-bit PCM', async () => {
    const model = path.join(dir, 'model.json');
    if (!fs.existsSync(model)) assert.equal((await gmmhmm('train', byFolder, '-o', model)).code, 0);
    const source = path.join(testFolder, 'blue', 'blue-3.wav');
    const reference = JSON.parse((await gmmhmm('classify', model, source, '--json')).stdout);
    const variants = [['-e', 'a-law', '-b', '8'], ['-e', 'u-law', '-b', '8'], ['-e', 'unsigned-integer', '-b', '8'],
      ['-e', 'signed-integer', '-b', '24'], ['-e', 'floating-point', '-b', '32'], ['-e', 'floating-point', '-b', '64'], ['-c', '2']];
    for (const [i, options] of variants.entries()) {
      const file = path.join(dir, `variant-${i}.wav`);
      execFileSync('sox', ['-D', source, ...options, file]);
      const result = JSON.parse((await gmmhmm('classify', model, file, '--json')).stdout);
      assert.equal(result.label, reference.label, options.join(' '));
      assert.equal(result.rejected, reference.rejected, options.join(' '));
      // G.711 and 8-bit add quantisation noise, so the confidence moves a little. (The features are
      // level-independent: the decoded level itself is checked in wav.test.js.)
      assert.ok(Math.abs(result.confidence - reference.confidence) < 0.2, `${options.join(' ')}: ${result.confidence} vs ${reference.confidence}`);
    }
  });

  test('WAV files beside the label folders are named as skipped', async () => {
    const mixed = path.join(dir, 'mixed');
    for (const word of WORDS) fs.cpSync(path.join(byFolder, word), path.join(mixed, word), { recursive: true });
    fs.copyFileSync(path.join(flat, 'red_0.wav'), path.join(mixed, 'loose.wav'));
    const result = await gmmhmm('train', mixed, '-o', path.join(dir, 'mixed.json'), '--workers', '0');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout + result.stderr, /skipped 1 WAV file directly in .*mixed: without --label-pattern/);
    assert.match(result.stdout, /trained 3 words from 9 files/);
  });

  test('a folder without label subfolders says what to do', async () => {
    const result = await gmmhmm('train', flat, '-o', path.join(dir, 'x.json'));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no label subfolders.*--label-pattern/);
    assert.equal(fs.existsSync(path.join(dir, 'x.json')), false);
  });
});

describe('errors', () => {
  test('missing and empty folders', async () => {
    const missing = await gmmhmm('train', path.join(dir, 'nope'), '-o', path.join(dir, 'm.json'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read folder .*nope: no such folder/);
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty, { recursive: true });
    const none = await gmmhmm('train', empty, '-o', path.join(dir, 'm.json'));
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no WAV files found in .*empty/);
    const onlyOther = path.join(dir, 'other', 'word');
    fs.mkdirSync(onlyOther, { recursive: true });
    fs.writeFileSync(path.join(onlyOther, 'notes.txt'), 'no audio here');
    const noWav = await gmmhmm('train', path.join(dir, 'other'), '-o', path.join(dir, 'm.json'));
    assert.equal(noWav.code, 1);
    assert.match(noWav.stderr, /no WAV files found in .*other/);
  });

  test('--version and --help', async () => {
    const version = await gmmhmm('--version');
    assert.equal(version.code, 0);
    assert.equal(version.stdout, `gmmhmm ${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
    const help = await gmmhmm('--help');
    assert.equal(help.code, 0);
    for (const word of ['train', 'classify', 'eval', '-o, --output', '--label-pattern', '--workers', '--json', '--max-file-size',
      '--help', '--version', 'Output file (-o)', 'symbolic link', 'WAV files', 'A-law', 'Exit status']) {
      assert.ok(help.stdout.includes(word), `--help mentions ${word}`);
    }
    // Every flag the help names is one the parser knows.
    for (const flag of new Set(help.stdout.match(/--[a-z][a-z-]+/g))) {
      const result = await gmmhmm('classify', flag);
      assert.doesNotMatch(result.stderr, /Unknown option/, flag);
    }
    assert.equal((await gmmhmm('train', '-h')).code, 0, '-h anywhere');
  });

  test('command-line mistakes: exit status 2, a message and the usage', async () => {
    const cases = [
      [[], /no command given/],
      [['fly'], /unknown command 'fly'/],
      [['__proto__'], /unknown command '__proto__'/],
      [['train'], /train takes <folder>, got 0 arguments/],
      [['train', 'a', 'b', '-o', 'm.json'], /train takes <folder>, got 2 arguments/],
      [['train', 'a'], /train needs -o <file>/],
      [['train', 'a', '-o', ''], /-o needs a file name/],
      [['classify', 'm.json'], /classify takes <model.json> <file.wav>\.\.\., got 1 argument/],
      [['eval', 'm.json'], /eval takes <model.json> <folder>, got 1 argument/],
      [['eval', 'm.json', 'a', 'b'], /got 3 arguments/],
      [['train', 'a', '-o', 'm.json', '--bogus'], /Unknown option '--bogus'/],
      [['train', 'a', '-o', 'm.json', '--json'], /--json does not apply to train \(its options: -o, --output, --label-pattern, --workers, --max-file-size\)/],
      [['classify', 'm.json', 'a.wav', '--workers', '2'], /--workers does not apply to classify/],
      [['eval', 'm.json', 'a', '-o', 'x.json'], /-o, --output does not apply to eval/],
      [['train', 'a', '-o', 'm.json', '--workers', 'lots'], /--workers must be a whole number from 0 to 256, got 'lots'/],
      [['train', 'a', '-o', 'm.json', '--workers=-1'], /--workers must be a whole number from 0 to 256, got '-1'/],
      [['train', 'a', '-o', 'm.json', '--workers', '1e6'], /--workers must be a whole number from 0 to 256, got '1e6'/],
      [['train', 'a', '-o', 'm.json', '--workers', '2.5'], /--workers must be a whole number/],
      [['train', 'a', '-o', 'm.json', '--workers'], /argument missing/],
      [['classify', 'm.json', 'a.wav', '--max-file-size', '0'], /--max-file-size must be a whole number from 1 to \d+, got '0'/],
      [['classify', 'm.json', 'a.wav', '--max-file-size', '1e99'], /--max-file-size must be a whole number/],
      [['train', 'a', '-o', 'm.json', '--label-pattern', '(['], /--label-pattern is not a valid regular expression/],
      [['train', 'a', '-o', 'm.json', '-o', 'n.json'], /-o, --output is given more than once/],
      [['listen', 'm.json', 'a.wav', '--hangover', '100', '--hangover=200'], /--hangover is given more than once/],
      [['listen', 'm.json', 'a.wav', '--sensitivity', '-25'], /--sensitivity must be a number from -20 to 20, got '-25'/],
      [['listen', 'm.json', 'a.wav', '--sensitivity', '-x'], /--sensitivity' argument is ambiguous/],
    ];
    for (const [args, pattern] of cases) {
      const result = await gmmhmm(...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, pattern, args.join(' '));
      assert.match(result.stderr, /usage:\n {2}gmmhmm train/);
      assert.equal(result.stdout, '');
    }
  });

  test('a negative number after an option is its value', async () => {
    // Reaches the model file, so the command line was accepted.
    const result = await gmmhmm('listen', path.join(dir, 'absent.json'), 'a.wav', '--sensitivity', '-5');
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /cannot read model .*absent\.json: no such file/);
  });

  test('the packed CLI runs with no other package installed', { skip: speechSkip ? 'sox missing' : false }, async () => {
    const packed = path.join(dir, 'packed');
    const home = path.join(packed, 'node_modules', 'gmmhmm');
    fs.mkdirSync(home, { recursive: true });
    const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--pack-destination', packed, '--ignore-scripts', '--json'],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    execFileSync('tar', ['-xzf', path.join(packed, filename), '-C', home, '--strip-components', '1']);
    const manifest = JSON.parse(fs.readFileSync(path.join(home, 'package.json'), 'utf8'));
    assert.equal(manifest.dependencies, undefined, 'no runtime dependency');
    const cli = path.join(home, manifest.bin.gmmhmm);
    const run = (...args) => new Promise((resolve) => {
      execFile(process.execPath, [cli, ...args], { cwd: packed }, (error, stdout, stderr) => resolve({ code: error?.code ?? 0, stdout, stderr }));
    });
    writeGlideWords(path.join(packed, 'data'), 2);
    const trained = await run('train', 'data', '-o', 'model.json', '--workers', '0');
    assert.equal(trained.code, 0, trained.stderr);
    // The first sound as A-law (G.711 encoder: sox), classified by the packed reader.
    const aLaw = path.join(packed, 'low.wav');
    execFileSync('sox', [path.join(packed, 'data', 'low', '0.wav'), '-e', 'a-law', aLaw]);
    const classified = await run('classify', 'model.json', aLaw, '--json');
    assert.equal(classified.code, 0, classified.stderr);
    assert.equal(JSON.parse(classified.stdout).label, 'low');
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
