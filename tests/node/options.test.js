// The options declared once in the C++ core (cpp/include/gmmhmm/options.hpp, through the
// binding's optionDeclarations()) reach every place that reads or writes them: the binding's
// readers (constructors, mfcc(), Endpointer, Recognizer), GMMHMM.config (info()), model files
// (toJSON / fromJSON) and web/index.d.ts. An option declared but left out of one fails here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { load } from 'gmmhmm';
import { ROOT } from './helpers.js';

const DECLARATIONS = Symbol.for('gmmhmm.optionDeclarations');
const TYPES = fs.readFileSync(path.join(ROOT, 'web/index.d.ts'), 'utf8');

let g;
let declared;
before(async () => {
  g = await load();
  declared = g[DECLARATIONS]();
});
after(() => {});

// The property names of an interface of index.d.ts, with those of the interfaces it extends.
function interfaceNames(name) {
  const match = TYPES.match(new RegExp(`export interface ${name}(?: extends ([^{]+))? \\{([\\s\\S]*?)\\n\\}`));
  assert.ok(match, `web/index.d.ts has no interface ${name}`);
  const names = new Set([...match[2].matchAll(/(\w+)\??:/g)].map((m) => m[1]));
  for (const base of (match[1] ?? '').split(',').map((s) => s.trim())) {
    if (/^\w+$/.test(base)) for (const n of interfaceNames(base)) names.add(n);
  }
  return names;
}

const names = (section) => declared[section].map((o) => o.name);

test('every section is declared, with unique names and defaults', () => {
  for (const section of ['model', 'mfcc', 'fbank', 'endpointer', 'features', 'word', 'background', 'rejection',
    'categoricalSizes', 'categorical']) {
    assert.ok(declared[section]?.length > 0, section);
    assert.equal(new Set(names(section)).size, declared[section].length, `${section}: a name declared twice`);
    for (const o of declared[section]) assert.notEqual(o.default, undefined, `${section}.${o.name}`);
  }
  assert.deepEqual(declared.priors,
    ['startprobPrior', 'transmatPrior', 'weightsPrior', 'meansPrior', 'meansWeight', 'covarsPrior', 'covarsWeight']);
});

test('index.d.ts declares every declared option', () => {
  const where = {
    model: ['GMMHMMTrainingOptions', 'GMMHMMConfig'],
    priors: ['GMMHMMTrainingOptions', 'GMMHMMConfig'],
    mfcc: ['MfccOptions'],
    fbank: ['FbankOptions'],
    endpointer: ['EndpointerOptions'],
    features: ['RecognizerFeatureOptions'],
    word: ['RecognizerWordOptions'],
    background: ['RecognizerBackgroundOptions'],
    rejection: ['RecognizerRejectionOptions'],
    categoricalSizes: ['CategoricalHMMOptions', 'CategoricalHMMConfig'],
    categorical: ['CategoricalHMMTrainingOptions', 'CategoricalHMMConfig'],
  };
  for (const [section, interfaces] of Object.entries(where)) {
    const list = section === 'priors' ? declared.priors : names(section);
    for (const name of interfaces) {
      const inTypes = interfaceNames(name);
      const missing = list.filter((option) => !inTypes.has(option));
      assert.deepEqual(missing, [], `${name} lacks ${section} options`);
    }
  }
});

// A valid value other than the default for each training control (a control declared without
// one here fails the test below until it has one).
const OTHER = {
  nIter: 3, tol: -Infinity, minCovar: 0.002, varianceFloorFraction: 0.125, seed: 7, params: 'st', initParams: 'st',
  init: 'kmeans', nInit: 2, precision: 'float32', mixtureSplitting: true, splitIterations: 2,
};
// How a model file holds a value (JSON has no infinities).
const inFile = (value) => (value === -Infinity ? '-Infinity' : value);

test('every training control reaches GMMHMM.config, the model file and back', () => {
  for (const option of declared.model) {
    const value = OTHER[option.name];
    assert.notEqual(value, undefined, `the test knows no value for ${option.name}`);
    assert.notDeepEqual(value, option.default, option.name);
    const model = new g.GMMHMM({ nStates: 2, [option.name]: value });
    try {
      assert.deepEqual(model.config[option.name], value, `config.${option.name}`);
      const file = model.toJSON();
      assert.deepEqual(file.training[option.name], inFile(value), `training.${option.name} in the file`);
      const back = g.GMMHMM.fromJSON(file);
      assert.deepEqual(back.config[option.name], value, `${option.name} read back`);
      back.dispose();
      // fit() takes it too (the same reader), and refuses a value of the wrong type naming it.
      assert.throws(() => model.fit([[0], [1], [2]], { [option.name]: {} }), new RegExp(`${option.name} must be`));
    } finally {
      model.dispose();
    }
  }
  const defaults = new g.GMMHMM({});
  for (const option of declared.model) assert.deepEqual(defaults.config[option.name], option.default, option.name);
  for (const prior of declared.priors) assert.ok(prior in defaults.config, `config lacks ${prior}`);
  defaults.dispose();
});

test('mfccPreset() writes every declared MFCC option; mfcc, fbank and Endpointer read each', () => {
  const kaldi = g.mfccPreset('kaldi');
  assert.deepEqual(Object.keys(kaldi), names('mfcc'));
  for (const o of declared.mfcc) assert.deepEqual(kaldi[o.name], o.default, o.name);
  const samples = new Float32Array(1600).map((_, i) => Math.sin(i / 5) * 0.1);
  for (const o of declared.mfcc) g.mfcc(samples, 16000, { [o.name]: o.default });
  for (const o of declared.fbank) g.fbank(samples, 16000, { [o.name]: o.default });
  for (const o of declared.endpointer) new g.Endpointer(16000, { [o.name]: o.default }).dispose?.();
  assert.throws(() => g.mfcc(samples, 16000, { ditherr: 1 }), /unknown option 'ditherr' \(known: .*dither/);
});

test("the Recognizer reads every declared option of its four sections (features.dither and its like too)", () => {
  for (const section of ['features', 'word', 'background', 'rejection']) {
    for (const o of declared[section]) {
      const rec = new g.Recognizer({ workers: 0, [section]: { [o.name]: o.default } });
      rec.dispose();
    }
    assert.throws(() => new g.Recognizer({ workers: 0, [section]: { notAnOption: 1 } }),
      new RegExp(`${section}: unknown option 'notAnOption' \\(expected one of ${names(section).join(', ')}\\)`));
  }
  const rec = new g.Recognizer({ workers: 0, features: { dither: 0.5, seed: 3, blackmanCoeff: 0.4 } });
  rec.dispose();
  assert.throws(() => new g.Recognizer({ workers: 0, features: { dither: -1 } }), /features\.dither must be >= 0/);
});

test('declared ranges are the ones checked', () => {
  const make = (section, name, value) => (section === 'model'
    ? new g.GMMHMM({ [name]: value })
    : new g.Recognizer({ workers: 0, [section]: { [name]: value } }));
  for (const section of ['model', 'word', 'background', 'rejection']) {
    for (const o of declared[section]) {
      if (o.highest === undefined || !Number.isFinite(o.highest)) continue;
      const value = o.highest + 1;
      const prefix = section === 'model' ? '' : `${section}\\.`;
      assert.throws(() => make(section, o.name, value).dispose(),
        new RegExp(`${prefix}${o.name} must be (an integer )?in [\\[(]${o.lowest}, ${o.highest}[\\])], got ${value}`), `${section}.${o.name}`);
    }
  }
});
