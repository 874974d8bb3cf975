// The demo page in headless Firefox ESR (engines.js: puppeteer-core over WebDriver BiDi), one
// browser per test. What runs here: the engine loads, a microphone start that cannot finish
// is said next to the button (headless Firefox has no audio output device, so its
// AudioContext never starts), a denied microphone, and the sample set trained in the page's
// Workers and recognised, with a WAV file dropped on the page.
// Chromium-only (demo.test.js, listen.test.js): enrolling and recognising through the
// microphone, and listen() -- they need a running AudioContext fed by a file-backed fake
// microphone, which headless Firefox cannot give (no output device; its fake device is a tone).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, dropSample } from './harness.js';
import { ENGINES } from './engines.js';

const firefox = ENGINES.find((engine) => engine.name === 'Firefox');
const reason = firefox.skipReason();
if (reason) console.log(`# ${reason}`);
console.log('Chromium-only (demo.test.js, listen.test.js): the microphone enrolment and recognition, and listen(): headless Firefox has no audio output device, so its AudioContext never starts');

// Generous bounds for a page that must not hang; not timings under test.
const SETTLES = { timeout: 60_000 };
const TRAINS = { timeout: 180_000 };

describe('demo page in Firefox', { skip: reason ?? false, timeout: 400_000 }, () => {
  let server;

  before(async () => {
    server = await serve();
  });

  after(async () => {
    await server?.close();
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
      await body(page);
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
});
