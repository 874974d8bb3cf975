// The package in a real browser (Debian's Chromium via playwright-core), served by
// scripts/serve.js: loaded in a page (SIMD and fallback builds, single-file build) and in a
// module Worker, with the same features as in Node.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'gmmhmm';
import { skipReason, serve, launch } from './harness.js';

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
      body: '<!doctype html><title>no CSP</title>',
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

  for (const options of [{}, { variant: 'nosimd' }, { singleFile: true }]) {
    test(`load(${JSON.stringify(options)}) in a page gives the Node features`, async () => {
      const result = await browser.page.evaluate(async ({ origin, options, signal }) => {
        const { load, simdSupported } = await import(`${origin}/web/index.js`);
        const gmmhmm = await load(options);
        const x = (0, eval)(signal);
        const features = gmmhmm.addDeltas(gmmhmm.mfcc(x, 16000)).map((row) => Array.from(row));
        return { variant: gmmhmm.variant, simd: simdSupported(), features };
      }, { origin: server.origin, options, signal: SIGNAL });
      assert.equal(result.simd, true);
      assert.equal(result.variant, options.variant ?? 'simd');
      assert.equal(result.features.length, expected.length);
      result.features.forEach((row, r) => row.forEach((v, c) =>
        assert.ok(Math.abs(v - expected[r][c]) <= 1e-9 * (1 + Math.abs(expected[r][c])), `[${r}][${c}] ${v} vs ${expected[r][c]}`)));
      assert.deepEqual(browser.errors, []);
    });
  }

  test('under a strict Content-Security-Policy (no eval, connect-src self) both builds load without violations', async () => {
    const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";
    const page = await browser.context.newPage();
    try {
      await page.route('**/csp-test.html', (route) => route.fulfill({
        status: 200,
        contentType: 'text/html',
        headers: { 'content-security-policy': csp },
        body: '<!doctype html><title>CSP</title>',
      }));
      await page.goto(`${server.origin}/csp-test.html`);
      const samples = Array.from(eval(SIGNAL)); // eslint-disable-line no-eval
      const results = await page.evaluate(async ({ origin, samples }) => {
        const { load } = await import(`${origin}/web/index.js`);
        const out = [];
        for (const singleFile of [false, true]) {
          const gmmhmm = await load({ singleFile });
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
        import { load } from '${origin}/web/index.js';
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
