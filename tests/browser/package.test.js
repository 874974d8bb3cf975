// The package in real browsers (engines.js: Debian's Chromium and Firefox ESR), served by
// scripts/serve.js: its browser entry (web/dist/gmmhmm.js) loaded in a page (SIMD and
// fallback builds, and 'gmmhmm/single-file' through an import map) and in a module Worker,
// with the same features as in Node, and a Recognizer trained by the page's Workers.
// One browser per engine. (tests/consumer runs the packed package through bundlers.)
import crypto from 'node:crypto';
import path from 'node:path';
import fs from 'node:fs';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'gmmhmm';
import { serve, synthesise, samplesAt, tempDir } from './harness.js';
import { ENGINES } from './engines.js';

// 'gmmhmm/single-file' imports 'gmmhmm' by name: a page maps it to the browser entry.
const IMPORT_MAP = '{ "imports": { "gmmhmm": "/web/dist/gmmhmm.js" } }';
const IMPORT_MAP_HASH = `'sha256-${crypto.createHash('sha256').update(IMPORT_MAP).digest('base64')}'`;

// Three words, three examples each to train and a fourth to recognise (espeak-ng, 16 kHz).
const WORDS = ['yes', 'no', 'up'];
const SPEAKER = { voice: 'en-us+m3', pitch: 45 };
const TRAIN_SPEEDS = [140, 160, 175];
const TEST_SPEED = 150;

// The same deterministic test signal in Node and in the page.
const SIGNAL = `(() => {
  const x = new Float32Array(16000);
  for (let i = 0; i < x.length; i++) x[i] = 0.2 * Math.sin(i / 5) * Math.sin(i / 900) + 0.01 * Math.sin(i * 1.7);
  return x;
})()`;

// 30 sequences of 100 frames of 4 features around three levels.
function sequenceData() {
  let seed = 17;
  const next = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const X = new Float64Array(30 * 100 * 4);
  for (let i = 0; i < X.length; i++) X[i] = next() + 3 * (Math.floor(i / 4 / 33) % 3) + (i % 4);
  return X;
}

for (const engine of ENGINES) {
  const reason = engine.skipReason();
  if (reason) console.log(`# ${reason}`);

  describe(`package in ${engine.name}`, { skip: reason ?? false, timeout: 240_000 }, () => {
    let server;
    let browser;
    let expected;

    before(async () => {
      server = await serve();
      browser = await engine.open({ origin: server.origin });
      console.log(`${engine.name}: ${browser.version}`);
      // A page of the same origin to run module code in, with no Content-Security-Policy (as a
      // user's page may have none; the dev server sends a strict one that forbids the eval and
      // blob: Worker below, and the test after this runs under a strict one on purpose).
      await browser.serve(browser.page, '/no-csp-test.html', {
        body: `<!doctype html><title>no CSP</title><script type="importmap">${IMPORT_MAP}</script>`,
      });
      await browser.page.goto(`${server.origin}/no-csp-test.html`);
      const gmmhmm = await load();
      const x = eval(SIGNAL); // eslint-disable-line no-eval
      expected = gmmhmm.addDeltas(gmmhmm.mfcc(x, 16000)).map((row) => Array.from(row));
    });

    after(async () => {
      await browser?.close();
      await server?.close();
    });

    for (const [entry, options] of [['dist/gmmhmm.js', {}], ['dist/gmmhmm.js', { variant: 'nosimd' }], ['single-file.js', {}],
      ['dist/gmmhmm-words.js', {}], ['dist/gmmhmm-words.js', { variant: 'nosimd' }]]) {
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
      const page = await browser.newPage();
      try {
        await browser.serve(page, '/csp-test.html', {
          headers: { 'content-security-policy': csp },
          body: `<!doctype html><title>CSP</title><script type="importmap">${IMPORT_MAP}</script>`,
        });
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

    test('GMMHMM.fitAsync in the page\'s Workers (its k-means start in one of them): the model fit() gives in Node, bit for bit', async () => {
      const options = { nStates: 3, nMix: 2, nFeatures: 4, nIter: 4, tol: -Infinity, seed: 9, nInit: 3 };
      const lengths = Array(30).fill(100);
      const gmmhmm = await load();
      const X = sequenceData();
      const reference = new gmmhmm.GMMHMM(options);
      reference.fit(X, { lengths });
      const expected = reference.toJSON();
      reference.dispose();
      const result = await browser.page.evaluate(async ({ origin, data, options, lengths }) => {
        const { load } = await import(`${origin}/web/dist/gmmhmm.js`);
        const g = await load();
        const m = new g.GMMHMM(options);
        try {
          await m.fitAsync(Float64Array.from(data), { lengths, workers: 2 });
          return m.toJSON();
        } finally {
          m.dispose();
        }
      }, { origin: server.origin, data: Array.from(X), options, lengths });
      assert.deepEqual(result, expected);
      assert.deepEqual(browser.errors, []);
    });

    test('a Recognizer trains in the page\'s Workers: the models Node trains, the fourth example of each word recognised', async () => {
      const work = tempDir('words');
      try {
        const clip = (text, speed) => Array.from(samplesAt(synthesise(path.join(work, `${text}-${speed}.wav`), [{ text, speed, ...SPEAKER }], { tail: 0.4 }), 16000));
        const examples = WORDS.flatMap((word) => TRAIN_SPEEDS.map((speed) => [word, clip(word, speed)]));
        const tests = WORDS.map((word) => [word, clip(word, TEST_SPEED)]);
        const gmmhmm = await load();
        const rec = new gmmhmm.Recognizer({ workers: 0 });
        let nodeModel;
        try {
          for (const [word, samples] of examples) rec.addExample(word, Float32Array.from(samples), 16000);
          await rec.train();
          nodeModel = rec.toJSON();
        } finally {
          rec.dispose();
        }
        const result = await browser.page.evaluate(async ({ origin, examples, tests }) => {
          // Counts the Workers the package starts (it looks Worker up when it starts one).
          let started = 0;
          const PageWorker = globalThis.Worker;
          globalThis.Worker = class extends PageWorker {
            constructor(...args) {
              super(...args);
              started++;
            }
          };
          try {
            const { load } = await import(`${origin}/web/dist/gmmhmm.js`);
            const gmmhmm = await load();
            const rec = new gmmhmm.Recognizer({ workers: 2 });
            try {
              for (const [word, samples] of examples) rec.addExample(word, Float32Array.from(samples), 16000);
              await rec.train();
              const labels = [];
              for (const [, samples] of tests) labels.push((await rec.classify(Float32Array.from(samples), 16000)).label);
              return { started, labels, model: rec.toJSON() };
            } finally {
              rec.dispose();
            }
          } finally {
            globalThis.Worker = PageWorker;
          }
        }, { origin: server.origin, examples, tests });
        assert.ok(result.started >= 1, `training Workers started: ${result.started}`);
        assert.deepEqual(result.labels, WORDS);
        assert.deepEqual(result.model, nodeModel);
        assert.deepEqual(browser.errors, []);
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
      }
    });
  });
}
