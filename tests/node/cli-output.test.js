// `gmmhmm train -o`: the output location is checked before training, a regular file is replaced
// atomically (keeping its permissions, no temporary file left), and a symbolic link, FIFO,
// device or folder at the path is refused with a message and left as it was.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeOutput } from '../../web/cli/files.js';
import { runCli } from './helpers.js';
import { writeGlideWords } from './wav-bytes.js';

const root = process.getuid?.() === 0;
let dir;
let data;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmmhmm-cli-output-'));
  data = path.join(dir, 'data');
  writeGlideWords(data);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const temporaries = (folder) => fs.readdirSync(folder).filter((f) => f.endsWith('.tmp'));

/** Asserts train -o `output` fails at once (nothing read or trained) with a message matching `pattern`. */
async function refusedBeforeTraining(output, pattern) {
  const result = await runCli('train', data, '-o', output, '--workers', '0');
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /^(reading|training) /m, 'refused before any file is read');
  assert.equal(result.stdout, '');
}

describe('train -o refuses what is not a regular file, before training', () => {
  test('a symbolic link (to a file, or to nothing): the link and its target stay as they were', async () => {
    const target = path.join(dir, 'target.json');
    fs.writeFileSync(target, 'keep me');
    const link = path.join(dir, 'link.json');
    fs.symlinkSync(target, link);
    await refusedBeforeTraining(link, /will not write .*link\.json: it is a symbolic link; the output may only replace a regular file/);
    assert.equal(fs.lstatSync(link).isSymbolicLink(), true);
    assert.equal(fs.readFileSync(target, 'utf8'), 'keep me');
    const dangling = path.join(dir, 'dangling.json');
    fs.symlinkSync(path.join(dir, 'nowhere.json'), dangling);
    await refusedBeforeTraining(dangling, /dangling\.json: it is a symbolic link/);
    assert.equal(fs.existsSync(path.join(dir, 'nowhere.json')), false, 'nothing written through the link');
  });

  test('a FIFO and a folder', async () => {
    const fifo = path.join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    await refusedBeforeTraining(fifo, /fifo\.json: it is a FIFO \(named pipe\)/);
    assert.equal(fs.lstatSync(fifo).isFIFO(), true);
    await refusedBeforeTraining(data, /data: it is a folder/);
  });

  test('a device node', { skip: root ? false : 'not root: mknod needs root' }, async () => {
    const device = path.join(dir, 'full'); // a private /dev/full (1, 7): the real one is never at risk
    execFileSync('mknod', [device, 'c', '1', '7']);
    await refusedBeforeTraining(device, /full: it is a character device/);
    assert.equal(fs.lstatSync(device).isCharacterDevice(), true, 'the device node is still there');
  });

  test('one of the training files (by any name)', async () => {
    const wav = path.join(data, 'low', '0.wav');
    const before = fs.readFileSync(wav);
    const link = path.join(dir, 'hard-link.wav');
    fs.linkSync(wav, link);
    for (const output of [wav, link]) {
      await refusedBeforeTraining(output, /will not write .*\.wav: it is the training file .*low\/0\.wav/);
    }
    assert.deepEqual(fs.readFileSync(wav), before);
    fs.rmSync(link);
  });

  test('a missing folder, a path through a file, a name ending in /', async () => {
    await refusedBeforeTraining(path.join(dir, 'missing', 'm.json'), /cannot write .*missing\/m\.json: folder .*missing: no such folder/);
    const file = path.join(dir, 'plain.txt');
    fs.writeFileSync(file, '');
    await refusedBeforeTraining(path.join(file, 'm.json'), /plain\.txt: a part of the path is not a folder|plain\.txt is not a folder/);
    await refusedBeforeTraining(`${dir}/`, /it names a folder; give a file name/);
  });

  test('an unwritable folder and a read-only file', { skip: root ? 'root may write them' : false }, async () => {
    const locked = path.join(dir, 'locked');
    fs.mkdirSync(locked);
    fs.chmodSync(locked, 0o555);
    await refusedBeforeTraining(path.join(locked, 'm.json'), /folder .*locked is not writable/);
    const readOnly = path.join(dir, 'read-only.json');
    fs.writeFileSync(readOnly, 'keep me', { mode: 0o444 });
    await refusedBeforeTraining(readOnly, /will not replace .*read-only\.json: the file is read-only/);
  });
});

describe('train -o replaces a regular file atomically', () => {
  test('the model replaces the file, keeps its permissions, and leaves no temporary file', async () => {
    const out = path.join(dir, 'out', 'model.json');
    fs.mkdirSync(path.dirname(out));
    fs.writeFileSync(out, 'old', { mode: 0o640 });
    fs.chmodSync(out, 0o640);
    const result = await runCli('train', data, '-o', out, '--workers', '0');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).format, 'gmmhmm-recognizer');
    assert.equal(fs.statSync(out).mode & 0o777, 0o640);
    assert.deepEqual(temporaries(path.dirname(out)), []);
  });

  test('writeOutput checks again at the end: a path that became a link meanwhile is refused', async () => {
    const target = path.join(dir, 'late-target.json');
    fs.writeFileSync(target, 'keep me');
    const late = path.join(dir, 'late.json');
    fs.symlinkSync(target, late);
    await assert.rejects(writeOutput(late, '{}'), /will not write .*late\.json: it is a symbolic link/);
    assert.equal(fs.readFileSync(target, 'utf8'), 'keep me');
    assert.deepEqual(temporaries(dir), []);
  });
});
