// The README's quick starts, run as they are written (a new user pastes them): each ```js
// block, its imports resolved as the package resolves them, its placeholders (seq1, samples1,
// localStorage…) given values. The microphone block (listen()) needs a browser: the browser
// suite runs listen(). A block renamed or an API changed fails here, not in a user's page.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, random, speak, speechSkipReason } from './helpers.js';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const BLOCKS = [...README.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const AsyncFunction = (async () => {}).constructor;

/** The block as an async function of its placeholders; `import { a } from 'x'` becomes a dynamic import. */
function runnable(code, placeholders) {
  const body = code.replace(/^import \{([^}]*)\} from '([^']+)';/gm, (_, names, from) => `const {${names}} = await importModule('${from}');`);
  assert.doesNotMatch(body, /^\s*import\s/m, 'every import in the block is of the form the runner rewrites');
  return new AsyncFunction('importModule', ...Object.keys(placeholders), body);
}
const importModule = (specifier) => import(specifier);

function block(firstLine) {
  const found = BLOCKS.filter((b) => b.startsWith(firstLine));
  assert.equal(found.length, 1, `one README block starts with ${firstLine}`);
  return found[0];
}

test('README: the hidden Markov model quick start runs as written', async () => {
  const rand = random(7);
  const sequence = (n) => Array.from({ length: n }, (_, t) => [Math.sin(t / 3) + 0.1 * rand(), Math.cos(t / 5) + 0.1 * rand()]);
  const logged = [];
  const console = { log: (...a) => logged.push(a) };
  await runnable(block("import { load } from 'gmmhmm';"), { seq1: 0, seq2: 0, seq3: 0, seq4: 0, console })(
    importModule, sequence(40), sequence(50), sequence(45), sequence(30), console);
  assert.equal(logged.length, 3, 'score, predict and monitor are printed');
  assert.ok(Number.isFinite(logged[0][0]), 'a log-likelihood');
  assert.ok(logged[1][0] instanceof Int32Array && logged[1][0].length === 30, 'the states of seq4');
  assert.deepEqual(Object.keys(logged[2][0]).sort(), ['cancelled', 'converged', 'history', 'iterations']);
});

const speechSkip = speechSkipReason();
test('README: the voice-command quick start and the saving of examples run as written', { skip: speechSkip ?? false }, async () => {
  const RATE = 48000;
  const say = (word, speed) => speak(word, { rate: RATE, speed });
  // The block adds one example per word and says "three or more": the rest are added here, as
  // a user would, before the block's own train(); the placeholders are recordings of the words.
  const voiceBlock = block("import { load } from 'gmmhmm/words';");
  const [beforeTrain, fromTrain] = voiceBlock.split(/^(?=await rec\.train)/m);
  assert.ok(fromTrain, 'the block trains with await rec.train(...)');
  const code = `${beforeTrain}for (const [w, x] of more) rec.addExample(w, x, ${RATE});\n${fromTrain}\nreturn { rec, heard };`;
  const localStorage = {};
  const logged = [];
  const console = { log: (...a) => logged.push(a) };
  const more = [['lights on', say('lights on', 140)], ['lights on', say('lights on', 160)],
    ['lights off', say('lights off', 140)], ['lights off', say('lights off', 160)]];
  // Every Recognizer the block makes is disposed, also when the block throws (its Workers
  // would keep the test's process alive).
  const made = [];
  const tracking = async (specifier) => {
    const module = await import(specifier);
    return { ...module, load: async (...a) => {
      const api = await module.load(...a);
      return { ...api, Recognizer: class extends api.Recognizer { constructor(...b) { super(...b); made.push(this); } } };
    } };
  };
  after(() => { for (const r of made) r.dispose(); });
  const { rec, heard } = await runnable(code, { samples1: 0, samples2: 0, samples: 0, localStorage: 0, console: 0, more: 0 })(
    tracking, say('lights on', 150), say('lights off', 150), say('lights off', 155), localStorage, console, more);
  try {
    assert.ok(logged.some((a) => a[0] === 'lights on' && typeof a[1] === 'number'), 'onProgress printed a label and a fraction');
    assert.equal(heard.label, 'lights off');
    assert.equal(typeof localStorage.model, 'string');
    assert.equal(JSON.parse(localStorage.model).labels.length, 2, 'the saved recognizer');
    // The next block: the examples saved beside the model, and added back to a restored one.
    await runnable(block('const examples = '), { rec: 0, localStorage: 0 })(importModule, rec, localStorage);
    const examples = JSON.parse(localStorage.examples);
    assert.deepEqual(Object.keys(examples).sort(), ['lights off', 'lights on']);
    const { Recognizer } = await (await import('gmmhmm/words')).load();
    const restored = Recognizer.fromJSON(JSON.parse(localStorage.model), { workers: 0 });
    try {
      for (const [word, list] of Object.entries(examples)) for (const x of list) restored.addFeatures(word, x);
      assert.equal(restored.exampleCount('lights on'), 3);
      await restored.train({ workers: 0 });
      assert.equal(restored.classifySync(say('lights on', 150), RATE).label, 'lights on');
    } finally {
      restored.dispose();
    }
  } finally {
    rec.dispose();
  }
});
