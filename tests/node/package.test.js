// The package as users get it: imported by its name, both wasm builds and the embedded
// (single-file) builds, the loader's options and errors, the TypeScript declarations.
// (tests/consumer: the packed package with bundlers, CommonJS and TypeScript in fresh folders.)
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { load, simdSupported, GmmHmmError } from 'gmmhmm';
import { ROOT, random } from './helpers.js';
import { TYPES_DIR, expectedErrors, runTsc } from '../types/check.js';

function audio(seconds = 1.5, rate = 16000) {
  const next = random(9);
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) =>
    0.2 * Math.sin((2 * Math.PI * 220 * i) / rate) * Math.sin((2 * Math.PI * 3 * i) / rate) + 0.02 * (next() - 0.5));
}

// Relative difference for values computed with a different summation order (SIMD).
const close = (a, b) => Math.abs(a - b) <= 1e-9 * (1 + Math.abs(b));

function assertRowsClose(got, ref, label) {
  assert.equal(got.length, ref.length, `${label}: rows`);
  got.forEach((row, r) => row.forEach((v, c) => assert.ok(close(v, ref[r][c]), `${label} [${r}][${c}]: ${v} vs ${ref[r][c]}`)));
}

describe('package', () => {
  const x = audio();
  let reference;
  before(async () => {
    const gmmhmm = await load({ variant: 'nosimd' });
    reference = {
      mfcc: gmmhmm.mfcc(x, 16000),
      fbank: gmmhmm.fbank(x, 16000, { numMelBins: 40 }),
      deltas: gmmhmm.addDeltas(gmmhmm.cmvn(gmmhmm.mfcc(x, 16000), { variance: true })),
    };
  });

  test('the package.json exports map puts types first and every target exists', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.type, 'module');
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') {
        assert.ok(fs.existsSync(path.join(ROOT, target)), `${subpath} -> ${target}`);
        continue;
      }
      assert.equal(Object.keys(target)[0], 'types', `${subpath}: "types" must come first`);
      for (const file of Object.values(target)) assert.ok(fs.existsSync(path.join(ROOT, file)), `${subpath} -> ${file}`);
    }
  });

  test('load() picks SIMD when the engine has it (Node 20 does)', async () => {
    assert.equal(simdSupported(), true);
    const gmmhmm = await load();
    assert.equal(gmmhmm.variant, 'simd');
    assert.equal(gmmhmm.simd, true);
    assert.equal(gmmhmm.singleFile, false);
    for (const name of ['mfcc', 'fbank', 'addDeltas', 'cmvn', 'FeatureStream', 'Endpointer', 'GmmHmmError']) {
      assert.equal(typeof gmmhmm[name], 'function', name);
    }
  });

  for (const variant of ['simd', 'nosimd']) {
    for (const singleFile of [false, true]) {
      test(`${variant}${singleFile ? ' single-file' : ''} build gives the same features`, async () => {
        const gmmhmm = await load({ variant, singleFile });
        assert.equal(gmmhmm.variant, variant);
        assert.equal(gmmhmm.singleFile, singleFile);
        // Frame-wise code with the same operation order: identical numbers in every build.
        assert.deepEqual(gmmhmm.mfcc(x, 16000), reference.mfcc);
        assert.deepEqual(gmmhmm.fbank(x, 16000, { numMelBins: 40 }), reference.fbank);
        // Column sums may be vectorised: equal up to rounding.
        assertRowsClose(gmmhmm.addDeltas(gmmhmm.cmvn(gmmhmm.mfcc(x, 16000), { variance: true })), reference.deltas, variant);
      });
    }
  }

  test('separate instances have separate heaps', async () => {
    const [a, b] = await Promise.all([load(), load()]);
    const stream = new a.FeatureStream(16000);
    stream.push(x);
    assert.ok(stream.framesReady > 0);
    assert.deepEqual(b.mfcc(x, 16000), reference.mfcc);
    stream.dispose();
  });

  test('wasmURL, wasmBinary and wasmModule options', async () => {
    const file = path.join(ROOT, 'web/dist/gmmhmm-nosimd.wasm');
    const bytes = fs.readFileSync(file);
    const byURL = await load({ variant: 'nosimd', wasmURL: pathToFileURL(file) });
    assert.deepEqual(byURL.mfcc(x, 16000), reference.mfcc);
    const byMap = await load({ variant: 'nosimd', wasmURL: { nosimd: pathToFileURL(file).href } });
    assert.deepEqual(byMap.mfcc(x, 16000), reference.mfcc);
    const byBytes = await load({ variant: 'nosimd', wasmBinary: new Uint8Array(bytes) });
    assert.deepEqual(byBytes.mfcc(x, 16000), reference.mfcc);
    const byModule = await load({ variant: 'nosimd', wasmModule: await WebAssembly.compile(bytes) });
    assert.deepEqual(byModule.mfcc(x, 16000), reference.mfcc);
  });

  test('load errors are GmmHmmErrors', async () => {
    const missing = pathToFileURL(path.join(os.tmpdir(), 'gmmhmm-no-such-file.wasm'));
    await assert.rejects(load({ wasmURL: missing }), (e) => e instanceof GmmHmmError && e.code === 'load' && /no-such-file/.test(e.message));
    // A file that is not WebAssembly (what a single-page-app fallback serves): named, with what it starts with.
    const page = path.join(os.tmpdir(), `gmmhmm-page-${process.pid}.wasm`);
    fs.writeFileSync(page, '<!doctype html><html><body>not wasm</body></html>');
    try {
      await assert.rejects(load({ wasmURL: pathToFileURL(page) }), (e) => e instanceof GmmHmmError && e.code === 'load' &&
        e.message.includes(`${pathToFileURL(page).href} is not a WebAssembly module (it starts with "<!doctype html><…")`));
    } finally {
      fs.rmSync(page, { force: true });
    }
    await assert.rejects(load({ variant: 'nosimd', wasmBinary: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]) }),
      (e) => e instanceof GmmHmmError && e.code === 'load');
    await assert.rejects(load({ variant: 'avx' }), (e) => e instanceof GmmHmmError && /variant must be 'auto', 'simd' or 'nosimd'/.test(e.message));
    await assert.rejects(load({ wasmURL: 42 }), (e) => e instanceof GmmHmmError && /wasmURL must be/.test(e.message));
    await assert.rejects(load('simd'), (e) => e instanceof GmmHmmError && /load options must be an object/.test(e.message));
  });

  test('gmmhmm/ready: the API through top-level await', async () => {
    const { default: gmmhmm } = await import('gmmhmm/ready');
    assert.deepEqual(gmmhmm.mfcc(x, 16000), reference.mfcc);
  });

  test('a module Worker (worker_threads) loads the package by name', async () => {
    const { Worker } = await import('node:worker_threads');
    const code = `
      import { parentPort } from 'node:worker_threads';
      import { load } from 'gmmhmm';
      const gmmhmm = await load();
      parentPort.postMessage({ variant: gmmhmm.variant, frames: gmmhmm.mfcc(new Float32Array(16000), 16000).length });`;
    // The worker's module lives inside the package so that `import 'gmmhmm'` resolves (self-reference).
    const dir = fs.mkdtempSync(path.join(ROOT, 'tests/node/.worker-'));
    const file = path.join(dir, 'worker.mjs');
    try {
      fs.writeFileSync(file, code);
      const result = await new Promise((resolve, reject) => {
        const worker = new Worker(file);
        worker.once('message', (message) => { resolve(message); worker.terminate(); });
        worker.once('error', reject);
      });
      assert.deepEqual(result, { variant: 'simd', frames: 98 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('TypeScript declarations', () => {
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');

  test('tests/types/usage.ts compiles: strict, default libs (and its @ts-expect-error lines are errors)', { timeout: 120_000 }, () => {
    const errors = runTsc(tsc, 'tsconfig.json', TYPES_DIR);
    assert.deepEqual(errors.map((e) => `${e.file}:${e.line} ${e.code} ${e.text}`), []);
  });

  test('tests/types/mistakes.ts: tsc reports exactly the planted mistakes', { timeout: 120_000 }, () => {
    const errors = runTsc(tsc, 'tsconfig.mistakes.json', TYPES_DIR);
    assert.deepEqual(errors.map((e) => `${e.line}:${e.code}`), expectedErrors(path.join(TYPES_DIR, 'mistakes.ts')),
      errors.map((e) => `${e.file}:${e.line} ${e.code} ${e.text}`).join('\n'));
  });
});
