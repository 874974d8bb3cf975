// The demo page in headless Firefox ESR (engines.js: puppeteer-core over WebDriver BiDi), one
// browser per test. What runs here: the engine loads, a microphone start that cannot finish
// is said next to the button (without a sound server headless Firefox has no audio output
// device, so its AudioContext never starts), a denied microphone, the sample set trained in
// the page's Workers and recognised with a WAV file dropped on the page, and (on a private
// PulseAudio server, pulse-microphone.js) three words enrolled through the microphone,
// trained, and recognised hands-free, and the microphone unplugged mid-word.
// Chromium-only (demo.test.js): cancel/reload/export/import, labels, push-to-talk and the
// accessibility checks.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, dropSample, synthesise, tempDir } from './harness.js';
import { ENGINES } from './engines.js';

const firefox = ENGINES.find((engine) => engine.name === 'Firefox');
const reason = firefox.skipReason();
if (reason) console.log(`# ${reason}`);
const micReason = reason ?? firefox.microphoneSkipReason();
if (micReason && !reason) console.log(`# ${micReason}`);

// Generous bounds for a page that must not hang; not timings under test.
const SETTLES = { timeout: 60_000 };
const TRAINS = { timeout: 180_000 };

describe('demo page in Firefox', { skip: reason ?? false, timeout: 400_000 }, () => {
  let server;
  let work;

  before(async () => {
    server = await serve();
    work = tempDir('demo-firefox');
  });

  after(async () => {
    await server?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  /** Runs `body(page)` in a fresh Firefox on the demo; fails on console errors and on
   *  requests to any other origin. */
  async function withFirefox(options, body) {
    const browser = await firefox.open({ origin: server.origin, ...options });
    try {
      const { page } = browser;
      await page.goto(server.demo);
      await page.waitForSelector('body[data-ready]', SETTLES);
      const ready = await page.$eval('body', (b) => b.dataset.ready);
      assert.equal(ready, 'true', await page.$eval('[data-testid=error]', (e) => e.textContent));
      await body(page, browser);
      assert.deepEqual(browser.errors, [], 'the page logged errors or asked another origin');
    } finally {
      await browser.close();
    }
  }

  const message = (page) => page.$eval('[data-testid=mic-message]', (e) => ({ hidden: e.hidden, kind: e.dataset.kind, text: e.textContent }));

  test('Start microphone when the AudioContext never starts: a message next to the button says so and what to try; a second try says it again', async () => {
    await withFirefox({ microphone: 'allow' }, async (page) => {
      for (let attempt = 1; attempt <= 2; attempt++) {
        await page.click('[data-testid=mic-toggle]');
        // Whichever comes first: the message, or a microphone that started after all.
        await page.waitForFunction(() => document.querySelector('[data-testid=mic-rate]').textContent
          || document.querySelector('[data-testid=mic-message][data-kind=stalled]:not([hidden])'), SETTLES);
        assert.equal(await page.$eval('[data-testid=mic-rate]', (e) => e.textContent), '',
          'the AudioContext started: this machine gives headless Firefox an audio output, and this test needs one without');
        const shown = await message(page);
        assert.match(shown.text, /did not start/, `attempt ${attempt}`);
        assert.match(shown.text, /audio output device/);
        assert.match(shown.text, /sample set/);
        assert.equal(await page.$eval('[data-testid=mic-toggle]', (b) => b.textContent), 'Start microphone');
        if (attempt === 1) await page.$eval('[data-testid=mic-message]', (e) => { e.hidden = true; e.dataset.kind = ''; });
      }
    });
  });

  test('microphone denied: a clear message; the sample set trains in Workers and recognises; a dropped WAV is recognised', async () => {
    await withFirefox({ microphone: 'deny' }, async (page) => {
      await page.click('[data-testid=mic-toggle]');
      await page.waitForSelector('[data-testid=mic-message][data-kind=denied]:not([hidden])', SETTLES);
      assert.match((await message(page)).text, /sample set/);

      await page.click('[data-testid=samples-load]');
      await page.waitForSelector('[data-testid=samples-test-all]:not([disabled])', TRAINS);
      assert.equal(await page.$eval('[data-testid=train-status]', (e) => e.dataset.state), 'trained');
      await page.click('[data-testid=samples-test-all]');
      await page.waitForSelector('[data-testid=samples-summary][data-words]', TRAINS);
      const summary = await page.$eval('[data-testid=samples-summary]', (e) => ({ ...e.dataset, text: e.textContent }));
      // Unseen synthetic voices: most, not necessarily all, must be recognised; impostors rejected.
      assert.ok(Number(summary.wordsRight) >= 0.75 * Number(summary.words), summary.text);
      assert.ok(Number(summary.impostorsRejected) >= 0.75 * Number(summary.impostors), summary.text);

      await dropSample(page, 'left-9.wav');
      await page.waitForSelector('[data-testid=history] li:first-child[data-source="file left-9.wav"]', SETTLES);
      assert.equal(await page.$eval('[data-testid=result-label]', (e) => e.dataset.label), 'left');
    });
  });
  test('through the microphone (PulseAudio): three words enrolled with 3 examples each, trained, and recognised hands-free; a non-word is rejected; all kept across a reload', { skip: micReason ?? false }, async () => {
    const speaker = { voice: 'en-us+m3', pitch: 45 };
    const words = ['yes', 'no', 'up'];
    const enrol = Object.fromEntries(words.map((word) => [word, synthesise(path.join(work, `enrol-${word}.wav`),
      [140, 160, 175].map((speed) => ({ text: word, speed, ...speaker })), { gap: 1.0 })]));
    const session = synthesise(path.join(work, 'session.wav'),
      [...words, 'banana'].map((text) => ({ text, speed: 150, ...speaker, pitch: 50 })), { gap: 1.2, tail: 1.5 });
    await withFirefox({ wav: session }, async (page, browser) => {
      const count = (word) => page.$eval(`[data-testid="count-${word}"]`, (e) => Number(e.dataset.count));
      for (const word of words) {
        await page.type('[data-testid=new-word]', word);
        await page.click('[data-testid=word-add]');
        await page.waitForSelector(`[data-testid="word-${word}"]`, SETTLES);
        await page.click(`[data-testid="record-${word}"]`);
        await page.waitForSelector('body[data-listening=enrol]', SETTLES);
        await browser.playMicrophone(enrol[word]);
        await page.waitForSelector(`[data-testid="count-${word}"][data-count="3"]`, SETTLES);
        await page.click(`[data-testid="record-${word}"]`);
        await page.waitForFunction(() => !document.body.dataset.listening, SETTLES);
        assert.equal(await count(word), 3, `examples of "${word}"`);
      }
      assert.match(await page.$eval('[data-testid=mic-rate]', (e) => e.textContent), /\d+ Hz/);
      await page.click('[data-testid=train]');
      await page.waitForSelector('[data-testid=train-status][data-state=trained]', TRAINS);

      await page.click('[data-testid=hands-free]');
      await page.waitForSelector('body[data-listening=handsfree]', SETTLES);
      await browser.playMicrophone(session);
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=history] li').length >= n, SETTLES, words.length + 1);
      // Hands-free off ends the listener (a word it was still hearing would be delivered):
      // then nothing more can follow, and the count is final.
      await page.click('[data-testid=hands-free]');
      await page.waitForFunction(() => !document.body.dataset.listening, SETTLES);
      const results = await page.$$eval('[data-testid=history] li', (items) =>
        items.reverse().map((li) => ({ label: li.dataset.label, rejected: li.dataset.rejected === 'true', reason: li.dataset.reason })));
      assert.equal(results.length, words.length + 1, `results: ${JSON.stringify(results)}`);
      words.forEach((word, i) => assert.deepEqual(results[i], { label: word, rejected: false, reason: '' }, `utterance ${i + 1}: ${JSON.stringify(results)}`));
      assert.equal(results[words.length].rejected, true, `"banana" must be rejected: ${JSON.stringify(results)}`);

      // Kept across a reload (IndexedDB): the words, their examples and the trained model.
      await page.reload();
      await page.waitForSelector('body[data-ready=true]', SETTLES);
      for (const word of words) assert.equal(await count(word), 3, `examples of "${word}" after a reload`);
      assert.equal(await page.$eval('[data-testid=train-status]', (e) => e.dataset.state), 'trained');
    });
  });

  test('the microphone unplugged mid-word while enrolling: a message next to Words, nothing recorded half, the page still usable', { skip: micReason ?? false }, async () => {
    const long = synthesise(path.join(work, 'long.wav'), [{ text: 'seventeen', voice: 'en-us+m3', speed: 80, pitch: 45 }]);
    await withFirefox({ wav: long }, async (page, browser) => {
      await page.type('[data-testid=new-word]', 'seventeen');
      await page.click('[data-testid=word-add]');
      await page.waitForSelector('[data-testid="word-seventeen"]', SETTLES);
      await page.click('[data-testid="record-seventeen"]');
      await page.waitForSelector('body[data-listening=enrol]', SETTLES);
      const playing = browser.playMicrophone(long);
      await page.waitForSelector('[data-speaking=true]', SETTLES); // the word has begun
      browser.unplugMicrophone();
      await playing;
      await page.waitForSelector('[data-testid=words-error]:not([hidden])', SETTLES);
      assert.match(await page.$eval('[data-testid=words-error]', (e) => e.textContent), /microphone went away/);
      assert.equal((await message(page)).kind, 'lost');
      await page.waitForFunction(() => !document.body.dataset.listening, SETTLES);
      assert.equal(await page.$eval('[data-testid="count-seventeen"]', (e) => Number(e.dataset.count)), 0, 'half a word was recorded');
      // Still usable: another word can be added (and the error next to Words clears).
      await page.type('[data-testid=new-word]', 'eighteen');
      await page.click('[data-testid=word-add]');
      await page.waitForSelector('[data-testid="word-eighteen"]', SETTLES);
      assert.equal(await page.$eval('[data-testid=words-error]', (e) => e.hidden), true);
    });
  });
});
