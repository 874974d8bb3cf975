// The browser engines the package's browser tests run in, behind one small interface:
//   Chromium     Debian's chromium through playwright-core (harness.js launch())
//   Firefox ESR  Debian's firefox-esr through puppeteer-core over WebDriver BiDi
// open({ origin, wav }) -> { name, version, page, errors, newPage(), serve(page, pathSuffix,
// { headers, body }), workers(page), playMicrophone(), close() }; a page has goto(), click()
// and evaluate(fn, arg) in both.
// The microphone plays `wav` (16-bit PCM): Chromium's fake device starts the file at every
// getUserMedia by itself; Firefox's fake device is a tone, and headless Firefox has no audio
// output (its AudioContext never starts), so with `wav` it runs on a private PulseAudio server
// (pulse-microphone.js) and playMicrophone(file = wav) writes a file into its microphone.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { CHROMIUM, launch, tempDir } from './harness.js';
import { pulseSkipReason, startPulse } from './pulse-microphone.js';

export const FIREFOX = process.env.GMMHMM_FIREFOX ?? '/usr/bin/firefox-esr';

/** Pages served by a test itself (no Content-Security-Policy unless given). */
function page(body, headers = {}) {
  return { status: 200, contentType: 'text/html', headers, body };
}

const chromium = {
  name: 'Chromium',
  skipReason: () => (fs.existsSync(CHROMIUM) ? null
    : `Chromium not found at ${CHROMIUM}: its browser tests are skipped (scripts/setup.sh installs it; GMMHMM_CHROMIUM overrides the path)`),
  microphoneSkipReason: () => null,
  async open({ origin, wav = null }) {
    const browser = await launch({ origin, wav });
    return {
      name: 'Chromium',
      // A persistent context has no Browser object to ask, and the user agent hides the minor
      // version numbers.
      version: execFileSync(CHROMIUM, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().match(/[\d.]+/)?.[0] ?? '',
      page: browser.page,
      errors: browser.errors,
      newPage: () => browser.context.newPage(),
      serve: (p, suffix, { headers, body }) => p.route(`**${suffix}`, (route) => route.fulfill(page(body, headers))),
      workers: (p) => p.workers().length,
      playMicrophone: async () => {}, // the fake device plays the file at getUserMedia
      unplugMicrophone: null, // the fake device cannot be removed
      close: () => browser.context.close(),
    };
  },
};

const firefox = {
  name: 'Firefox',
  skipReason: () => (fs.existsSync(FIREFOX) ? null
    : `Firefox not found at ${FIREFOX}: its browser tests are skipped (scripts/setup.sh installs firefox-esr; GMMHMM_FIREFOX overrides the path)`),
  microphoneSkipReason: pulseSkipReason,
  async open({ origin, microphone = 'allow', wav = null }) {
    const puppeteer = (await import('puppeteer-core')).default;
    const profile = tempDir('firefox');
    const pulse = wav ? await startPulse() : null;
    const browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: FIREFOX,
      headless: true,
      userDataDir: profile,
      ...(pulse ? { env: pulse.env } : {}),
      extraPrefsFirefox: {
        // getUserMedia without a prompt: the PulseAudio microphone, Firefox's fake device (a
        // tone) when there is no file to play, or a refusal.
        'media.navigator.streams.fake': !pulse,
        'media.navigator.permission.disabled': microphone === 'allow',
        'permissions.default.microphone': microphone === 'allow' ? 1 : 2,
      },
    });
    const errors = [];
    const served = new WeakMap(); // page -> Map(path suffix -> response)
    // WebDriver BiDi lists no dedicated Workers: the page counts the ones it starts and ends.
    const countWorkers = () => {
      const Native = window.Worker;
      window.__liveWorkers = 0;
      window.Worker = class extends Native {
        constructor(...args) {
          super(...args);
          window.__liveWorkers++;
          this.addEventListener('error', () => { window.__liveWorkers -= this.__ended ? 0 : 1; this.__ended = true; });
        }

        terminate() {
          if (!this.__ended) window.__liveWorkers--;
          this.__ended = true;
          super.terminate();
        }
      };
    };
    const watch = async (p) => {
      await p.evaluateOnNewDocument(countWorkers);
      p.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()}`);
      });
      p.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
      p.on('requestfailed', (request) => {
        const why = request.failure()?.errorText ?? '';
        if (/NS_BINDING_ABORTED/.test(why)) return; // a reload or a stopped Worker, not a failure
        errors.push(`request failed: ${request.url()} (${why})`);
      });
      p.on('request', (request) => {
        const url = new URL(request.url());
        if (origin && /^https?:$/.test(url.protocol) && url.origin !== origin) errors.push(`request to another origin: ${request.url()}`);
      });
    };
    const first = (await browser.pages())[0] ?? (await browser.newPage());
    await watch(first);
    return {
      name: 'Firefox',
      version: await browser.version(),
      page: first,
      errors,
      async newPage() {
        const p = await browser.newPage();
        await watch(p);
        return p;
      },
      async serve(p, suffix, { headers, body }) {
        if (!served.has(p)) {
          served.set(p, new Map());
          await p.setRequestInterception(true);
          p.on('request', (request) => {
            const hit = [...served.get(p)].find(([s]) => new URL(request.url()).pathname.endsWith(s));
            if (hit) request.respond(hit[1]);
            else request.continue();
          });
        }
        served.get(p).set(suffix, page(body, headers));
      },
      workers: (p) => p.evaluate(() => window.__liveWorkers ?? 0),
      playMicrophone: (file = wav) => (pulse ? pulse.play(file) : Promise.reject(new Error('playMicrophone: open() was given no wav'))),
      unplugMicrophone: pulse ? () => pulse.unplug() : null,
      async close() {
        await browser.close();
        pulse?.close();
        fs.rmSync(profile, { recursive: true, force: true });
      },
    };
  },
};

/** Every engine, in the order the suites run them. */
export const ENGINES = [chromium, firefox];
