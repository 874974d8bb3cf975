// 'gmmhmm/words': the words-only build (the front end and the Recognizer, from a .wasm linked
// without GMMHMM and the hmmlearn families) gives the same features, the same trained models
// and the same classifications as the whole package, trains in Workers, reads the whole
// package's recognizer files (and they its files), and says clearly what it does not have.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { load as loadFull } from 'gmmhmm';
import { load as loadWords, GmmHmmError } from 'gmmhmm/words';
import { ROOT, speak, speechSkipReason } from './helpers.js';

const speechSkip = speechSkipReason();
if (speechSkip) console.log(`# ${speechSkip}`);

const WORDS = ['yes', 'no', 'up'];
const RATE = 16000;
const say = (word, speed, pitch = 50, voice = 'en-us+m3') => speak(word, { voice, speed, pitch, rate: RATE });

let full;
let words;
before(async () => {
  [full, words] = await Promise.all([loadFull(), loadWords()]);
});

describe('what the words-only build holds', () => {
  test('the front end and the Recognizer, not GMMHMM nor the families', () => {
    for (const name of ['Recognizer', 'mfcc', 'fbank', 'addDeltas', 'cmvn', 'findSpeechSegments', 'mfccPreset',
      'FeatureStream', 'Endpointer', 'terminateWorkers', 'heapBytesInUse', 'GmmHmmError']) {
      assert.ok(name in words, `gmmhmm/words has ${name}`);
    }
    for (const name of ['GMMHMM', 'CategoricalHMM', 'PoissonHMM', 'MultinomialHMM', 'GaussianHMM']) {
      assert.equal(words[name], undefined, `gmmhmm/words has no ${name}`);
      assert.equal(typeof full[name], 'function', `gmmhmm has ${name}`);
    }
    assert.equal(words.GmmHmmError, GmmHmmError);
    assert.equal(words.GmmHmmError, full.GmmHmmError, 'one error class for both entries');
  });

  test('its own, smaller .wasm files, one glue for all', () => {
    for (const variant of ['simd', 'nosimd']) {
      const size = (name) => fs.statSync(path.join(ROOT, 'web/dist', name)).size;
      assert.ok(size(`gmmhmm-words-${variant}.wasm`) < size(`gmmhmm-${variant}.wasm`),
        `gmmhmm-words-${variant}.wasm is smaller than gmmhmm-${variant}.wasm`);
    }
    const glue = (name) => fs.readFileSync(path.join(ROOT, 'web/dist', name), 'utf8');
    assert.equal(glue('gmmhmm-words-simd.js'), glue('gmmhmm-glue.js'));
  });

  test('both variants load and compute the same features as the whole package', async () => {
    const samples = Float32Array.from({ length: RATE }, (_, i) => 0.3 * Math.sin(i / 7) + 0.05 * Math.sin(i / 2.3));
    const reference = full.mfcc(samples, RATE);
    for (const variant of ['simd', 'nosimd']) {
      const api = variant === words.variant ? words : await loadWords({ variant });
      assert.equal(api.variant, variant);
      assert.deepEqual(api.mfcc(samples, RATE), variant === full.variant ? reference : (await loadFull({ variant })).mfcc(samples, RATE));
    }
  });

  test('a process that imports both entries, in either order: each build trains in its own Workers', () => {
    for (const first of ['full', 'words']) {
      const out = execFileSync(process.execPath, [new URL('./both-entries.js', import.meta.url).pathname, first], { encoding: 'utf8', timeout: 120_000 });
      assert.deepEqual(JSON.parse(out.trim().split('\n').pop()), { wordsWorkers: 2, fullWorkers: 2, fitAsync: true }, `${first} first`);
    }
  });

  test('load({ singleFile: true }) is refused with the entry point that has it', async () => {
    await assert.rejects(loadWords({ singleFile: true }), (error) => error instanceof GmmHmmError && /gmmhmm\/single-file/.test(error.message));
  });

  test('a wasmURL naming the whole build\'s .wasm also runs (one glue), with only the words API', async () => {
    const api = await loadWords({ variant: 'simd', wasmURL: new URL('../../web/dist/gmmhmm-simd.wasm', import.meta.url) });
    assert.equal(api.GMMHMM, undefined);
    const samples = Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i / 3));
    assert.deepEqual(api.mfcc(samples, 8000), words.mfcc(samples, 8000));
  });

  test("the whole package refuses the words-only .wasm, naming its own", async () => {
    await assert.rejects(loadFull({ variant: 'simd', wasmURL: new URL('../../web/dist/gmmhmm-words-simd.wasm', import.meta.url) }),
      (error) => error instanceof GmmHmmError && error.code === 'load' && /another build \(it has no GmmHmmHandle.*gmmhmm-simd\.wasm/.test(error.message));
  });

  test("an error of either entry's bundle is an instance of the other's GmmHmmError", async () => {
    // Two evaluations of errors.js stand for the two browser bundles, each with its own copy.
    const copy = await import(`${new URL('../../web/lib/errors.js', import.meta.url)}?second-bundle`);
    assert.notEqual(copy.GmmHmmError, GmmHmmError);
    assert.ok(new copy.GmmHmmError('x') instanceof GmmHmmError);
    assert.ok(new GmmHmmError('x') instanceof copy.GmmHmmError);
    assert.ok(new GmmHmmError('x') instanceof Error);
    for (const other of [new Error('x'), null, undefined, 'GmmHmmError', { name: 'GmmHmmError', code: 'load' }]) {
      assert.equal(other instanceof GmmHmmError, false, String(other));
    }
  });

  test('bad load options are the same errors as the package\'s', async () => {
    await assert.rejects(loadWords({ variant: 'sse' }), /variant must be 'auto', 'simd' or 'nosimd'/);
    await assert.rejects(loadWords({ wasmUrl: '/x.wasm' }), /unknown option 'wasmUrl'/);
    await assert.rejects(loadFull({ wasmUrl: '/x.wasm' }), /unknown option 'wasmUrl'/);
    await assert.rejects(loadWords({ variant: 'simd', wasmURL: new URL('file:///nonexistent/gmmhmm-words-simd.wasm') }),
      (error) => error instanceof GmmHmmError && error.code === 'load' && /nonexistent/.test(error.message));
  });
});

describe('the same Recognizer as the whole package', { skip: speechSkip ?? false }, () => {
  let fromFull;
  let fromWords;
  const tests = [];
  before(async () => {
    fromFull = new full.Recognizer({ workers: 0 });
    fromWords = new words.Recognizer({ workers: 2 });
    for (const word of WORDS) {
      for (const speed of [130, 150, 170]) {
        const samples = say(word, speed);
        fromFull.addExample(word, samples, RATE);
        fromWords.addExample(word, samples, RATE);
      }
      tests.push([word, say(word, 160, 58, 'en-gb+m3')]);
    }
    await Promise.all([fromFull.train(), fromWords.train()]);
  });
  after(() => {
    fromFull?.dispose();
    fromWords?.dispose();
  });

  test('training in Workers gives the same recognizer file as in-thread training of the whole package', () => {
    assert.equal(JSON.stringify(fromWords.toJSON()), JSON.stringify(fromFull.toJSON()));
  });

  test('the same classifications, and the words recognised', async () => {
    for (const [word, samples] of tests) {
      const [a, b] = await Promise.all([fromFull.classify(samples, RATE), fromWords.classify(samples, RATE)]);
      assert.deepEqual(b, a);
      assert.equal(b.label, word);
    }
  });

  test('files move between the two entry points', async () => {
    const json = JSON.stringify(fromWords.toJSON());
    const inFull = full.Recognizer.fromJSON(json);
    const inWords = words.Recognizer.fromJSON(JSON.stringify(fromFull.toJSON()));
    try {
      assert.equal(JSON.stringify(inFull.toJSON()), json);
      assert.deepEqual(await inWords.classify(tests[0][1], RATE), await fromFull.classify(tests[0][1], RATE));
    } finally {
      inFull.dispose();
      inWords.dispose();
    }
  });

  test('a file with full covariances: the whole package reads it, the words-only build names the entry that does', async () => {
    const file = fromFull.toJSON();
    const model = file.words[0].model;
    assert.equal(model.covarianceType, 'diag');
    // The same Gaussians, written as full matrices.
    const asMatrix = (variances) => variances.map((v, i) => variances.map((_, j) => (i === j ? v : 0)));
    const edited = structuredClone(file);
    Object.assign(edited.words[0].model, { covarianceType: 'full', covars: model.covars.map((state) => state.map(asMatrix)) });
    const text = JSON.stringify(edited);
    const inFull = full.Recognizer.fromJSON(text);
    try {
      assert.equal((await inFull.classify(tests[0][1], RATE)).label, tests[0][0]);
    } finally {
      inFull.dispose();
    }
    assert.throws(() => words.Recognizer.fromJSON(text), (error) => error instanceof GmmHmmError
      && error.code === 'model-format' && /not in the words-only build .*use the whole package \('gmmhmm'\)/.test(error.message));
    // Nothing was left half-made: the build goes on reading and classifying.
    const again = words.Recognizer.fromJSON(JSON.stringify(file));
    try {
      assert.deepEqual(await again.classify(tests[0][1], RATE), await fromFull.classify(tests[0][1], RATE));
    } finally {
      again.dispose();
    }
  });

  test('createListener() hears the words on the words-only build', () => {
    const listener = fromWords.createListener({ sampleRate: RATE });
    const results = [];
    listener.addEventListener('result', (event) => results.push(event.detail.label));
    const pause = new Float32Array(RATE);
    for (const [, samples] of tests) {
      listener.push(pause);
      listener.push(samples);
    }
    listener.push(pause);
    listener.end();
    assert.deepEqual(results, tests.map(([word]) => word));
  });
});
