// The package in a real browser (Debian's Chromium via playwright-core), served by
// scripts/serve.js: its browser entry (web/dist/gmmhmm.js) loaded in a page (SIMD and
// fallback builds, and 'gmmhmm/single-file' through an import map) and in a module Worker,
// with the same features as in Node. (tests/consumer runs the packed package through bundlers.)
import crypto from 'node:crypto';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'gmmhmm';
import { skipReason, serve, launch } from './harness.js';

// 'gmmhmm/single-file' imports 'gmmhmm' by name: a page maps it to the browser entry.
const IMPORT_MAP = '{ "imports": { "gmmhmm": "/web/dist/gmmhmm.js" } }';
const IMPORT_MAP_HASH = `'sha256-${crypto.createHash('sha256').update(IMPORT_MAP).digest('base64')}'`;

const reason = skipReason();
if (reason) console.log(`# ${reason}`);

// The same deterministic test signal in Node and in the page.
const SIGNAL = `(() => {
  const x = new Float32Array(16000);
  for (let i = 0; i < x.length; i++) x[i] = 0.2 * Math.sin(i / 5) * Math.sin(i / 900) + 0.01 * Math.sin(i * 1.7);
  return x;
})()`;

describe('package in Chromium', { skip: reason ?? false, timeout: 180_000 }, () => {
  let server;
  let browser;
  let expected;

  before(async () => {
    server = await serve();
    browser = await launch({ origin: server.origin });
    // A page of the same origin to run module code in, with no Content-Security-Policy (as a
    // user's page may have none; the dev server sends a strict one that forbids the eval and
    // blob: Worker below, and the test after this runs under a strict one on purpose).
    await browser.page.route('**/no-csp-test.html', (route) => route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: `<!doctype html><title>no CSP</title><script type="importmap">${IMPORT_MAP}</script>`,
    }));
    await browser.page.goto(`${server.origin}/no-csp-test.html`);
    const gmmhmm = await load();
    const x = eval(SIGNAL); // eslint-disable-line no-eval
    expected = gmmhmm.addDeltas(gmmhmm.mfcc(x, 16000)).map((row) => Array.from(row));
  });

  after(async () => {
    await browser?.context.close();
    await server?.close();
  });

  for (const [entry, options] of [['dist/gmmhmm.js', {}], ['dist/gmmhmm.js', { variant: 'nosimd' }], ['single-file.js', {}]]) {
    test(`load(${JSON.stringify(options)}) of web/${entry} in a page gives the Node features`, async () => {
      const result = await browser.page.evaluate(async ({ origin, entry, options, signal }) => {
        const { load, simdSupported } = await import(`${origin}/web/${entry}`);
        const gmmhmm = await load(options);
        const x = (0, eval)(signal);
        const features = gmmhmm.addDeltas(gmmhmm.mfcc(x, 16000)).map((row) => Array.from(row));
        return { variant: gmmhmm.variant, simd: simdSupported(), features, singleFile: gmmhmm.singleFile };
      }, { origin: server.origin, entry, options, signal: SIGNAL });
      assert.equal(result.singleFile, entry === 'single-file.js');
      assert.equal(result.simd, true);
      assert.equal(result.variant, options.variant ?? 'simd');
      assert.equal(result.features.length, expected.length);
      result.features.forEach((row, r) => row.forEach((v, c) =>
        assert.ok(Math.abs(v - expected[r][c]) <= 1e-9 * (1 + Math.abs(expected[r][c])), `[${r}][${c}] ${v} vs ${expected[r][c]}`)));
      assert.deepEqual(browser.errors, []);
    });
  }

  test('in a browser, load({ singleFile: true }) of the default entry names the entry that has it', async () => {
    const error = await browser.page.evaluate(async (origin) => {
      const { load } = await import(`${origin}/web/dist/gmmhmm.js`);
      return load({ singleFile: true }).then(() => null, (e) => ({ name: e.name, code: e.code, message: e.message }));
    }, server.origin);
    assert.equal(error?.name, 'GmmHmmError');
    assert.equal(error.code, 'invalid-argument');
    assert.match(error.message, /import \{ load \} from 'gmmhmm\/single-file'/);
  });

  test('under a strict Content-Security-Policy (no eval, connect-src self) both builds load without violations', async () => {
    const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' ${IMPORT_MAP_HASH}; connect-src 'self'`;
    const page = await browser.context.newPage();
    try {
      await page.route('**/csp-test.html', (route) => route.fulfill({
        status: 200,
        contentType: 'text/html',
        headers: { 'content-security-policy': csp },
        body: `<!doctype html><title>CSP</title><script type="importmap">${IMPORT_MAP}</script>`,
      }));
      await page.goto(`${server.origin}/csp-test.html`);
      const samples = Array.from(eval(SIGNAL)); // eslint-disable-line no-eval
      const results = await page.evaluate(async ({ origin, samples }) => {
        const out = [];
        for (const entry of ['dist/gmmhmm.js', 'single-file.js']) {
          const { load } = await import(`${origin}/web/${entry}`);
          const gmmhmm = await load();
          out.push(Array.from(gmmhmm.mfcc(Float32Array.from(samples), 16000)[5]));
        }
        return out;
      }, { origin: server.origin, samples });
      for (const row of results) row.forEach((v, c) => assert.ok(Math.abs(v - expected[5][c]) <= 1e-9 * (1 + Math.abs(expected[5][c]))));
      assert.deepEqual(browser.errors, [], 'console errors (CSP violations are reported there)');
    } finally {
      await page.close();
    }
  });

  test('a module Worker loads the package and streams features', async () => {
    const result = await browser.page.evaluate(async ({ origin, signal }) => {
      const code = `
        import { load } from '${origin}/web/dist/gmmhmm.js';
        const gmmhmm = await load();
        const x = (0, eval)(${JSON.stringify(signal)});
        const stream = new gmmhmm.FeatureStream(16000);
        for (let at = 0; at < x.length; at += 128) stream.push(x.subarray(at, at + 128));
        const frames = stream.pull();
        stream.dispose();
        postMessage({ variant: gmmhmm.variant, frames: frames.length, first: Array.from(frames[0]) });`;
      const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), { type: 'module' });
      return new Promise((resolve, reject) => {
        worker.onmessage = (event) => { resolve(event.data); worker.terminate(); };
        worker.onerror = (event) => reject(new Error(event.message));
      });
    }, { origin: server.origin, signal: SIGNAL });
    assert.equal(result.variant, 'simd');
    assert.equal(result.frames, expected.length);
    result.first.forEach((v, c) => assert.ok(Math.abs(v - expected[0][c]) <= 1e-9 * (1 + Math.abs(expected[0][c]))));
    assert.deepEqual(browser.errors, []);
  });
});
