// Shared by the Node suites: paths, fixtures (skipped with a visible message when
// ../shared is absent), speech synthesised with espeak-ng, comparisons.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = path.resolve(ROOT, '../shared');

/** The parsed fixture, or null after printing why the tests that need it are skipped. */
export function fixture(name) {
  const file = path.join(SHARED, 'fixtures', name);
  if (!fs.existsSync(file)) {
    console.log(`${file} is absent: the tests against it are skipped`);
    return null;
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** True if `tool` is on the PATH. */
export function hasTool(tool) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why espeak-ng speech cannot be synthesised here, or null. */
export function speechSkipReason() {
  const missing = ['espeak-ng', 'sox'].filter((tool) => !hasTool(tool));
  return missing.length ? `${missing.join(' and ')} missing (scripts/setup.sh installs them): speech tests skipped` : null;
}

/** A word spoken by espeak-ng as Float32Array samples at `rate` Hz, silence trimmed. */
export function speak(text, { rate = 16000, voice = 'en-us', speed = 150, pitch = 50 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmmhmm-speak-'));
  try {
    const wav = path.join(dir, 'word.wav');
    execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-p', String(pitch), '-w', wav, text]);
    const raw = execFileSync('sox', [wav, '-t', 'raw', '-r', String(rate), '-e', 'floating-point', '-b', '32', '-c', '1', '-',
      'silence', '1', '0.01', '0.5%', 'reverse', 'silence', '1', '0.01', '0.5%', 'reverse'], { maxBuffer: 1 << 28 });
    return new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4).slice();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function random(seed = 1) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Asserts two matrices (arrays of rows) have the same shape and values within tol(ref). */
export function assertClose(got, ref, tol, label) {
  assert.equal(got.length, ref.length, `${label}: rows`);
  let worst = 0;
  let where = '';
  for (let r = 0; r < ref.length; r++) {
    assert.equal(got[r].length, ref[r].length, `${label}: columns of row ${r}`);
    for (let c = 0; c < ref[r].length; c++) {
      const ratio = Math.abs(got[r][c] - ref[r][c]) / tol(ref[r][c]);
      if (!(ratio <= worst)) {
        worst = ratio;
        where = `[${r}][${c}]: ${got[r][c]} vs ${ref[r][c]}`;
      }
    }
  }
  assert.ok(worst <= 1, `${label}: worst ${worst.toFixed(2)}x tolerance at ${where}`);
}

/** Asserts fn throws a GmmHmmError with `code` whose message matches `pattern`. */
export function assertGmmHmmError(GmmHmmError, fn, pattern, code = 'invalid-argument') {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof GmmHmmError, `expected a GmmHmmError, got ${error?.constructor?.name}: ${error?.message}`);
    assert.equal(error.code, code, `code of "${error.message}"`);
    assert.match(error.message, pattern);
    return true;
  });
}

const CLI = path.join(ROOT, 'web/cli/gmmhmm.js');

/** Runs the `gmmhmm` command line; resolves to { code, stdout, stderr }. */
export function runCli(...args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

/**
 * Words spoken by one espeak-ng voice ([voice, speed, pitch]) between pauses over faint noise,
 * `repeat` times: { audio: Float32Array, truth: [{ word, start, end }] } (seconds).
 */
export function speechStream(words, [voice, speed, pitch], { rate = 16000, pause = 0.8, lead = 0.6, seed = 3, repeat = 1 } = {}) {
  const clips = words.map((w) => speak(w, { voice, speed, pitch, rate }));
  const gap = Math.round(pause * rate);
  const once = clips.reduce((n, c) => n + c.length + gap, 0);
  const length = Math.round(lead * rate) + once * repeat;
  const next = random(seed);
  const audio = new Float32Array(length);
  for (let i = 0; i < length; i++) audio[i] = 0.002 * (2 * next() - 1);
  const truth = [];
  let at = Math.round(lead * rate);
  for (let r = 0; r < repeat; r++) {
    clips.forEach((clip, i) => {
      for (let k = 0; k < clip.length; k++) audio[at + k] += clip[k];
      truth.push({ word: words[i], start: at / rate, end: (at + clip.length) / rate });
      at += clip.length + gap;
    });
  }
  return { audio, truth };
}

/**
 * Adds `words` said by each voice to `rec`, cut from speech streams by the Endpointer (as a
 * listener cuts them: enrolment and recognition then cut words the same way).
 */
export function enrolFromStreams(gmmhmm, rec, words, voices, rate = 16000) {
  for (const voice of voices) {
    const { audio } = speechStream(words, voice, { rate });
    const found = gmmhmm.findSpeechSegments(audio, rate);
    if (found.length !== words.length) throw new Error(`${voice[0]}: ${found.length} words cut, expected ${words.length}`);
    found.forEach((s, i) => rec.addExample(words[i], audio.subarray(s.startSample, s.endSample), rate));
  }
}
