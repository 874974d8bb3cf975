// What a clumsy or hostile user hands the CLI: empty and one-sample WAVs, sample rates the
// front end cannot use (1 Hz, 4 kHz, 10 MHz), FIFOs and devices where files belong, files over
// --max-file-size, models that are not UTF-8, WAVs with warnings, file names with control
// characters. Each is an error or a warning naming the file (and the rate), never a hang.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './helpers.js';
import { chunk, fmt, glide, int16Bytes, riff, wav16, writeGlideWords } from './wav-bytes.js';

let dir;
let data;
let model;
let good;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmmhmm-cli-input-'));
  data = path.join(dir, 'data');
  writeGlideWords(data);
  model = path.join(dir, 'model.json');
  const trained = await runCli('train', data, '-o', model, '--workers', '0');
  assert.equal(trained.code, 0, trained.stderr);
  good = path.join(data, 'low', '0.wav');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A copy of the training data plus one more file under low/. */
function dataWith(name, bytes) {
  const copy = path.join(dir, `data-${name}`);
  fs.cpSync(data, copy, { recursive: true });
  const file = path.join(copy, 'low', name);
  fs.writeFileSync(file, bytes);
  return { folder: copy, file };
}

describe('WAV files the recognizer cannot use', () => {
  const cases = [
    ['empty.wav', riff([fmt(), chunk('data', Buffer.alloc(0))]), /empty\.wav is not a readable WAV file: it has no samples/],
    ['one-sample.wav', wav16([0.5], 8000), /one-sample\.wav: addExample: .*shorter than one frame/],
    ['silent.wav', wav16(new Array(8000).fill(0), 8000), /silent\.wav: addExample: .*silent/],
    ['1hz.wav', wav16(glide(0.1, 0.2, { rate: 1, seconds: 4 }), 1), /1hz\.wav: addExample: sampleRate must be between .*, got 1$/m],
    ['4khz.wav', wav16(glide(300, 600, { rate: 4000 }), 4000), /4khz\.wav: addExample: .*Nyquist frequency 2000 Hz of sampleRate 4000/],
    ['10mhz.wav', wav16(glide(300, 600, { rate: 1e7, seconds: 0.01 }), 1e7), /10mhz\.wav: addExample: sampleRate must be between .*, got 10000000/],
  ];
  for (const [name, bytes, pattern] of cases) {
    test(`train: ${name} is an error naming it; nothing is written`, async () => {
      const { folder } = dataWith(name, bytes);
      const out = path.join(dir, `${name}.json`);
      const result = await runCli('train', folder, '-o', out, '--workers', '0');
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, pattern);
      assert.equal(fs.existsSync(out), false);
    });
  }

  test('classify: each bad file is an error naming it (and its rate); the others are classified; exit 1', async () => {
    const files = cases.map(([name, bytes]) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      return file;
    });
    const result = await runCli('classify', model, ...files, good);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /low\/0\.wav\tlow\t/);
    assert.match(result.stderr, /empty\.wav is not a readable WAV file/);
    assert.match(result.stderr, /1hz\.wav: classify: sampleRate must be between .*, got 1$/m);
    assert.match(result.stderr, /4khz\.wav: classify: .*sampleRate 4000/);
    assert.match(result.stderr, /10mhz\.wav: classify: .*got 10000000/);
  });

  test('eval: an unusable file stops the evaluation with its name', async () => {
    const { folder } = dataWith('4khz.wav', cases[4][1]);
    const result = await runCli('eval', model, folder);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /low\/4khz\.wav: classify: .*sampleRate 4000/);
  });
});

describe('things that are not files, and files too large', () => {
  test('a FIFO, /dev/zero and a folder as WAV files: refused at once, no hang', async () => {
    const fifo = path.join(dir, 'fifo.wav');
    execFileSync('mkfifo', [fifo]);
    const result = await runCli('classify', model, fifo, '/dev/zero', dir, good);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot read WAV file .*fifo\.wav: it is a FIFO/);
    assert.match(result.stderr, /cannot read WAV file \/dev\/zero: it is a character device/);
    assert.match(result.stderr, /cannot read WAV file .*gmmhmm-cli-input-[^/]+: it is a folder/);
    assert.match(result.stdout, /\tlow\t/);
  });

  test('a FIFO, /dev/zero, a non-UTF-8 file and an oversized file as the model', async () => {
    const fifo = path.join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const latin1 = path.join(dir, 'latin1.json');
    fs.writeFileSync(latin1, Buffer.from('{"format": "gmmhmm-recognizer", "words": {"caf\xe9": 1}}', 'latin1'));
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, fs.readFileSync(model, 'utf8') + ' '.repeat(2 * 1024 * 1024)); // valid JSON, 2 MB of spaces
    const cases = [
      [[fifo], /cannot read model .*fifo\.json: it is a FIFO/],
      [['/dev/zero'], /cannot read model \/dev\/zero: it is a character device/],
      [[latin1], /latin1\.json is not a valid recognizer model: it is not UTF-8 text/],
      [[big, '--max-file-size', '1'], /model .*big\.json is 2\.\d MB, more than the limit of 1\.0 MB \(--max-file-size raises it\)/],
    ];
    for (const [[file, ...options], pattern] of cases) {
      const result = await runCli('classify', file, good, ...options);
      assert.equal(result.code, 1, file);
      assert.match(result.stderr, pattern);
    }
    assert.equal((await runCli('classify', big, good, '--max-file-size', '3')).code, 0, 'a higher limit lets it through');
  });

  test('a WAV over --max-file-size is refused before it is read', async () => {
    const huge = path.join(dir, 'huge.wav');
    fs.writeFileSync(huge, wav16(glide(300, 600), 8000));
    fs.truncateSync(huge, 300 * 1024 * 1024); // sparse: takes no room
    const result = await runCli('classify', model, huge);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /WAV file .*huge\.wav is 300\.0 MB, more than the limit of 256\.0 MB \(--max-file-size raises it\)/);
  });
});

describe('warnings and names', () => {
  test('a WAV cut off inside its data: classified, with a warning naming it', async () => {
    const samples = int16Bytes(glide(300, 600, { variant: 1 }));
    const cut = path.join(dir, 'cut.wav');
    fs.writeFileSync(cut, riff([fmt({ rate: 8000 }), chunk('data', samples, { size: samples.length + 4000 })]));
    const result = await runCli('classify', model, cut);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /cut\.wav\tlow\t/);
    assert.match(result.stderr, /gmmhmm: warning: .*cut\.wav: its data chunk says \d+ bytes but the file ends after \d+ \(cut off\?\)/);
  });

  test('a file name with control characters is shown escaped, in results and errors', async () => {
    const odd = path.join(dir, 'odd\u001b[2Jname\n.wav');
    fs.copyFileSync(good, odd);
    const result = await runCli('classify', model, odd, `${odd}.missing`);
    assert.doesNotMatch(result.stdout + result.stderr, /\u001b/);
    assert.match(result.stdout, /^".*odd\\u001b\[2Jname\\n\.wav"\tlow\t/m);
    assert.match(result.stderr, /cannot read WAV file ".*odd\\u001b\[2Jname\\n\.wav\.missing": no such file/);
  });
});
