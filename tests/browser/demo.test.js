// The demo page in a real browser (Debian's Chromium via playwright-core) with a fake
// microphone playing WAV files synthesised by espeak-ng: enrol, train, recognise, reject,
// reload, export/reset/import, denied permission, the sample set, console errors.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  skipReason, serve, launch, openDemo, synthesise, duration, tempDir, ARTIFACTS,
} from './harness.js';

const reason = skipReason();
if (reason) console.log(`# ${reason}`);

// One synthetic speaker enrols three words, saying each a little differently each time.
const SPEAKER = { voice: 'en-us+m3', pitch: 45 };
const WORDS = ['yes', 'no', 'up'];
const ENROL_SPEEDS = [140, 160, 175];
const TEST_SPEED = 150;

describe('demo page in Chromium', { skip: reason ?? false, timeout: 300_000 }, () => {
  let server;
  let work;
  let profile; // one profile across launches: the browser "restarts" keep IndexedDB
  const wav = {};

  before(async () => {
    server = await serve();
    work = tempDir('browser');
    profile = path.join(work, 'profile');
    for (const word of WORDS) {
      wav[`enrol-${word}`] = synthesise(path.join(work, `enrol-${word}.wav`),
        ENROL_SPEEDS.map((speed) => ({ text: word, speed, ...SPEAKER })), { gap: 1.0 });
      wav[`test-${word}`] = synthesise(path.join(work, `test-${word}.wav`), [{ text: word, speed: TEST_SPEED, ...SPEAKER, pitch: 50 }]);
    }
    // The fourth example of each word, then a sound that is no word at all (pink noise).
    wav.session = synthesise(path.join(work, 'session.wav'), [
      ...WORDS.map((text) => ({ text, speed: TEST_SPEED, ...SPEAKER, pitch: 50 })),
      { noise: 0.6 },
    ], { gap: 1.2, tail: 1.5 });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await server?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  /** Runs `body(page)` in a browser whose microphone plays `file`; fails on console errors. */
  async function withBrowser(options, body) {
    const browser = await launch({ userDataDir: profile, origin: server.origin, ...options });
    try {
      await openDemo(browser.page, server.demo);
      await body(browser.page, browser);
      assert.deepEqual(browser.errors, [], 'the page logged errors');
    } finally {
      await browser.context.close();
    }
  }

  const count = (page, word) => page.getAttribute(`[data-testid="count-${word}"]`, 'data-count').then(Number);

  async function classifyFile(page, file) {
    const before = await page.locator('[data-testid=history] li').count();
    await page.setInputFiles('[data-testid=drop-input]', file);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=history] li').length > n, before);
    const label = await page.getAttribute('[data-testid=result-label]', 'data-label');
    const rejected = await page.getAttribute('[data-testid=result-label]', 'data-rejected');
    return { label, rejected: rejected === 'true' };
  }

  test('enrol 3 words x 3 examples through the fake microphone, then train', async () => {
    for (const [i, word] of WORDS.entries()) {
      const file = wav[`enrol-${word}`];
      await withBrowser({ wav: file }, async (page) => {
        // Earlier words survived the browser restart (IndexedDB).
        for (const earlier of WORDS.slice(0, i)) assert.equal(await count(page, earlier), 3, `examples of "${earlier}" after restart`);
        await page.fill('[data-testid=new-word]', word);
        await page.click('[data-testid=word-add]');
        await page.click(`[data-testid="record-${word}"]`);
        await page.waitForSelector(`[data-testid="count-${word}"][data-count="3"]`, { timeout: (duration(file) + 15) * 1000 });
        await page.waitForTimeout(1200); // the rest of the file: no fourth "word" may appear
        await page.click(`[data-testid="record-${word}"]`);
        assert.equal(await count(page, word), 3, `examples of "${word}"`);
        assert.equal(await page.getAttribute(`[data-testid="record-${word}"]`, 'aria-pressed'), 'false');
        assert.match(await page.textContent('[data-testid=mic-rate]'), /\d+ Hz/);
        if (i === WORDS.length - 1) {
          await page.click('[data-testid=train]');
          await page.waitForSelector('[data-testid=train-status][data-state=trained]', { timeout: 120_000 });
          for (const w of WORDS) assert.equal(Number(await page.getAttribute(`[data-testid="progress-${w}"]`, 'value')), 1);
          assert.ok(await page.locator('[data-testid=ll-plot] polyline').count() >= WORDS.length, 'one curve per word');
        }
      });
    }
  });

  test('hands-free: the fourth example of each word is recognised, a noise is rejected', async () => {
    await withBrowser({ wav: wav.session }, async (page) => {
      await page.click('[data-testid=hands-free]');
      const expected = WORDS.length + 1;
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=history] li').length >= n, expected,
        { timeout: (duration(wav.session) + 15) * 1000 });
      const results = await page.$$eval('[data-testid=history] li', (items) =>
        items.reverse().map((li) => ({ label: li.dataset.label, rejected: li.dataset.rejected === 'true' })));
      assert.equal(results.length, expected, `results: ${JSON.stringify(results)}`);
      WORDS.forEach((word, i) => assert.deepEqual(results[i], { label: word, rejected: false }, `utterance ${i + 1}`));
      assert.equal(results[WORDS.length].rejected, true, `the noise must be rejected: ${JSON.stringify(results[WORDS.length])}`);
      await page.click('[data-testid=hands-free]');
      assert.equal(await page.getAttribute('[data-testid=hands-free]', 'aria-pressed'), 'false');

      // Show the last word (not the noise) for the screenshot artefact.
      await classifyFile(page, wav['test-yes']);
      const scores = await page.locator('[data-testid=result-scores] li').count();
      assert.equal(scores, WORDS.length, 'one probability bar per word');
      await page.locator('#recognise').scrollIntoViewIfNeeded();
      await page.locator('#recognise').screenshot({ path: path.join(ARTIFACTS, 'recognition.png') });
    });
  });

  test('push-to-talk with the keyboard', async () => {
    const file = wav['test-no'];
    await withBrowser({ wav: file }, async (page) => {
      await page.focus('[data-testid=ptt]');
      await page.keyboard.down('Space');
      await page.waitForTimeout((duration(file) + 0.3) * 1000);
      await page.keyboard.up('Space');
      await page.waitForSelector('[data-testid=history] li');
      assert.equal(await page.getAttribute('[data-testid=result-label]', 'data-label'), 'no');
      assert.equal(await page.getAttribute('[data-testid=result-label]', 'data-rejected'), 'false');
    });
  });

  test('a reload keeps recordings and model; export, reset and import restore them', async () => {
    await withBrowser({}, async (page) => {
      await page.reload();
      await page.waitForSelector('body[data-ready=true]');
      for (const word of WORDS) assert.equal(await count(page, word), 3);
      assert.equal(await page.getAttribute('[data-testid=storage-status]', 'data-model'), 'yes');
      assert.equal((await classifyFile(page, wav['test-up'])).label, 'up');

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-bundle]')]);
      const exported = path.join(work, 'export.json');
      await download.saveAs(exported);
      const bundle = JSON.parse(fs.readFileSync(exported, 'utf8'));
      assert.equal(bundle.format, 'gmmhmm-demo-bundle');
      assert.equal(bundle.recordings.length, 9);
      assert.ok(bundle.model, 'the bundle holds the model');

      await page.click('[data-testid=reset]');
      await page.click('[data-testid=reset-cancel]');
      assert.equal(await page.getAttribute('[data-testid=storage-status]', 'data-recordings'), '9', 'cancel keeps everything');
      await page.click('[data-testid=reset]');
      await page.click('[data-testid=reset-confirm]');
      await page.waitForSelector('[data-testid=storage-status][data-recordings="0"][data-model=no]');
      await page.reload();
      await page.waitForSelector('body[data-ready=true]');
      assert.equal(await page.getAttribute('[data-testid=storage-status]', 'data-recordings'), '0', 'reset survives a reload');

      await page.setInputFiles('[data-testid=import-file]', exported);
      await page.waitForSelector('[data-testid=storage-status][data-recordings="9"][data-model=yes]');
      for (const word of WORDS) assert.equal(await count(page, word), 3);
      assert.equal((await classifyFile(page, wav['test-yes'])).label, 'yes');

      // A corrupt file is refused with a message and changes nothing.
      const corrupt = path.join(work, 'corrupt.json');
      fs.writeFileSync(corrupt, JSON.stringify({ ...bundle, recordings: [{ label: 'x', sampleRate: -1, pcm16: '' }] }));
      await page.setInputFiles('[data-testid=import-file]', corrupt);
      await page.waitForSelector('[data-testid=error]:not([hidden])');
      assert.match(await page.textContent('[data-testid=error]'), /sampleRate/);
      assert.equal(await page.getAttribute('[data-testid=storage-status]', 'data-recordings'), '9');
    });
  });

  test('microphone denied: a clear message, and the sample set still trains and recognises', async () => {
    await withBrowser({ userDataDir: path.join(work, 'denied-profile'), microphone: 'deny' }, async (page) => {
      await page.click('[data-testid=mic-toggle]');
      await page.waitForSelector('[data-testid=mic-message]:not([hidden])');
      assert.equal(await page.getAttribute('[data-testid=mic-message]', 'data-kind'), 'denied');
      assert.match(await page.textContent('[data-testid=mic-message]'), /denied/i);

      await page.click('[data-testid=samples-load]');
      await page.waitForSelector('[data-testid=samples-test-all]:not([disabled])', { timeout: 120_000 });
      await page.click('[data-testid=samples-test-all]');
      await page.waitForSelector('[data-testid=samples-summary][data-words]', { timeout: 120_000 });
      const right = Number(await page.getAttribute('[data-testid=samples-summary]', 'data-words-right'));
      const total = Number(await page.getAttribute('[data-testid=samples-summary]', 'data-words'));
      // Unseen synthetic voices: most, not necessarily all, must be recognised.
      assert.ok(right >= 0.75 * total, `sample set: ${await page.textContent('[data-testid=samples-summary]')}`);
    });
  });
});
