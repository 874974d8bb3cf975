// The soak workloads, shared by tests/node/soak.test.js (counts that keep `npm test` short)
// and bench/soak.js (the full counts). Each runs a warm-up, then records the wasm heap
// in use and the JS values held by wasm at checkpoints; `drift` lists the checkpoints that
// differ from the first (a leak shows as a steady climb), `memoryGrowth` is how much the wasm
// memory grew after the warm-up.
import { random } from './helpers.js';

const RATE = 16000;

/** A word-like sound: a harmonic tone with a syllable-shaped, varying envelope. */
export function toneWord(f0, seconds = 0.5, seed = 1) {
  const next = random(seed);
  const n = Math.round(seconds * RATE);
  return Float32Array.from({ length: n }, (_, i) => {
    const t = i / RATE;
    const envelope = Math.sin(Math.PI * i / n) ** 2 * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t));
    const f = f0 * (1 + 0.2 * t);
    return envelope * (0.3 * Math.sin(2 * Math.PI * f * t) + 0.15 * Math.sin(4 * Math.PI * f * t)) + 0.002 * (next() - 0.5);
  });
}

/** A two-word recognizer ('low', 'high') trained in this thread on tone words. */
export async function trainToyRecognizer(g, { examples = 3 } = {}) {
  const r = new g.Recognizer({ workers: 0 });
  for (const [label, f0] of [['low', 250], ['high', 900]]) {
    for (let k = 0; k < examples; k++) r.addExample(label, toneWord(f0 * (1 + 0.03 * k), 0.45 + 0.05 * k, k + 1), RATE);
  }
  await r.train();
  return r;
}

function checkpoints(g) {
  const first = { heap: g.heapBytesInUse(), handles: g.valueHandles(), memory: g.memoryBytes() };
  const drift = [];
  return {
    check(i) {
      const heap = g.heapBytesInUse();
      const handles = g.valueHandles();
      if (heap !== first.heap || handles !== first.handles) {
        drift.push(`after ${i}: heap ${heap - first.heap >= 0 ? '+' : ''}${heap - first.heap} bytes, handles ${handles - first.handles}`);
      }
    },
    result: (extra = {}) => ({ drift, memoryGrowth: g.memoryBytes() - first.memory, ...extra }),
  };
}

/**
 * n classifications, cycling through audio of both words (accepted), silence and a hum
 * (rejected before scoring), and precomputed features; async classify() every 10th call.
 */
export async function soakClassify(g, recognizer, n, { every = Math.max(1, Math.floor(n / 20)) } = {}) {
  const inputs = [
    toneWord(160, 0.5, 9), toneWord(950, 0.45, 8), new Float32Array(RATE / 2),
    Float32Array.from({ length: RATE / 2 }, (_, i) => 0.3 * Math.sin(2 * Math.PI * 100 * i / RATE)),
  ];
  const features = g.addDeltas(g.mfcc(toneWord(170, 0.5, 7), RATE, { preset: 'speech' }));
  const labels = new Set();
  const reasons = new Set();
  const one = async (i) => {
    const k = i % 5;
    const result = k === 4 ? recognizer.classifyFeatures(features)
      : i % 10 === 3 ? await recognizer.classify(inputs[k], RATE) : recognizer.classifySync(inputs[k], RATE);
    if (result.label) labels.add(result.label);
    if (result.reason) reasons.add(result.reason);
  };
  for (let i = 0; i < 50; i++) await one(i);  // warm-up
  const c = checkpoints(g);
  for (let i = 1; i <= n; i++) {
    await one(i);
    if (i % every === 0) c.check(i);
  }
  return c.result({ labels, reasons });
}

/** n cycles of: new GMMHMM (covariance type by turns), fit, score, decode, sample, toJSON, dispose. */
export function soakFit(g, n, { every = Math.max(1, Math.floor(n / 20)) } = {}) {
  const next = random(21);
  const data = Array.from({ length: 4 }, (_, s) => Array.from({ length: 30 + 5 * s }, (_, t) => [
    Math.sin(t / 4) * 3 + next(), Math.cos(t / 6) + next(), (t > 15 ? 2 : -2) + next()]));
  const types = ['diag', 'full', 'spherical', 'tied'];
  const one = (i) => {
    const m = new g.GMMHMM({ nStates: 3, nMix: 2, covarianceType: types[i % 4], nIter: 5, seed: i });
    try {
      m.fit(data);
      m.score(data);
      m.decode(data[0]);
      m.sample(10, { seed: i });
      m.toJSON();
    } finally {
      m.dispose();
    }
  };
  for (let i = 0; i < 20; i++) one(i);
  const c = checkpoints(g);
  for (let i = 1; i <= n; i++) {
    one(i);
    if (i % every === 0) c.check(i);
  }
  return c.result();
}

/** n cycles of: new Recognizer, addExample × 4, train (in this thread), classify, toJSON, dispose. */
export async function soakRecognizerTraining(g, n, { every = Math.max(1, Math.floor(n / 10)) } = {}) {
  const audio = [['low', 250], ['high', 900]].flatMap(([label, f0]) =>
    [0, 1].map((k) => [label, toneWord(f0 * (1 + 0.03 * k), 0.35 + 0.05 * k, k + 1)]));
  const probe = toneWord(260, 0.4, 5);
  const one = async () => {
    const r = new g.Recognizer({ workers: 0 });
    try {
      for (const [label, x] of audio) r.addExample(label, x, RATE);
      await r.train();
      r.classifySync(probe, RATE);
      r.toJSON();
    } finally {
      r.dispose();
    }
  };
  for (let i = 0; i < 3; i++) await one();
  const c = checkpoints(g);
  for (let i = 1; i <= n; i++) {
    await one();
    if (i % every === 0) c.check(i);
  }
  return c.result();
}
