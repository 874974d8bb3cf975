// How the template tests (rejection.templateSpreads, templateMargin, minTemplateMargin) were
// chosen, on the FSDD development set only (docs/accuracy.md, "Accepting by the templates"):
//   node bench/fewshot-acceptance.js [--all]
// Same protocol as `node bench/fewshot-tuning.js --fsdd`: each FSDD speaker's k = 3 or 5
// examples per digit (indices 5..5+k-1), tested on indices >= 5+k only (never 0-4); impostors:
// the fruit words and noise bursts (another seed than recognizer-fsdd.js's); the speaker's own
// out-of-vocabulary digit (models of 9 digits, the 10th presented). Every recording is
// classified once with the template tests off; each rule of the grid is then applied to the
// returned scores (the other tests' outcome, the likelihood ratio, the template distances;
// each word's spread of examples computed here from exampleFeatures() as templates.cpp does).
// Then the one score of words with 5 examples (rejection.templateScoreMinExamples,
// templateScoreMarginWeight, templateScoreSpreadsWeight, templateScoreThreshold; docs/accuracy.md,
// "One score for five examples"): its grid at k = 5, and the same weights at k = 3.
// Prints the rules within (or near) the issue's limits -- impostors <= 1 %, own out-of-
// vocabulary <= 5 % at both k -- (--all: every rule), the one with the most recognised-and-
// accepted words on all five speakers, and the one chosen for each speaker on the other four.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from '../web/index.js';
import { noises, readAll } from './speech-data.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.GMMHMM_SHARED_DIR ?? path.resolve(ROOT, '../shared');
const FRUITS = path.join(SHARED, 'data/fruits/audio');
const FSDD = path.join(SHARED, 'data/fsdd/recordings');
if (!fs.existsSync(FSDD) || !fs.existsSync(FRUITS)) {
  console.log(`${FSDD} or ${FRUITS} is absent: nothing to measure`);
  process.exit(0);
}

const gmmhmm = await load();
const { fruits, fsdd } = await readAll(FSDD, FRUITS);
const impostors = [...fruits, ...noises(60, 777)];
// The template tests and the one score off, so that every decision of the other tests is seen.
const options = { rejection: { templateSpreads: 0, minTemplateMargin: 0, templateScoreMinExamples: 0 } };

// Symmetric DTW, Euclidean frames, divided by the sum of the lengths (templates.cpp).
function dtw(a, b) {
  const m = b.length;
  let prev = new Float64Array(m + 1).fill(Infinity);
  let cur = new Float64Array(m + 1);
  prev[0] = 0;
  for (let i = 1; i <= a.length; i++) {
    cur.fill(Infinity);
    const ai = a[i - 1];
    for (let j = 1; j <= m; j++) {
      const bj = b[j - 1];
      let d = 0;
      for (let c = 0; c < ai.length; c++) d += (ai[c] - bj[c]) ** 2;
      d = Math.sqrt(d);
      cur[j] = Math.min(prev[j] + d, cur[j - 1] + d, prev[j - 1] + 2 * d);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m] / (a.length + m);
}

function spreadOf(templates) {
  if (templates.length < 2) return NaN;
  let sum = 0;
  for (let t = 0; t < templates.length; t++) {
    let nearest = Infinity;
    for (let u = 0; u < templates.length; u++) if (u !== t) nearest = Math.min(nearest, dtw(templates[t], templates[u]));
    sum += nearest;
  }
  return sum / templates.length;
}

async function trained(items) {
  const rec = new gmmhmm.Recognizer(options);
  for (const u of items) rec.addExample(u.label, u.samples, u.sampleRate);
  await rec.train({ workers: 0 });
  const spreads = new Map(rec.labels.map((l) => [l, spreadOf(rec.exampleFeatures(l))]));
  const json = rec.toJSON();
  const floors = new Map(json.words.map((w) => [w.label, w.fitFloor ?? -Infinity]));
  return { rec, spreads, floors, rejection: json.options.rejection };
}

// What the rule needs of one classification.
// What the rules need of one classification: the tests other than the ratio (early
// refusals, fit margin, fit floor), the ratio, and the template evidence.
function summary({ rec, spreads, floors, rejection }, u) {
  const c = rec.classifySync(u.samples, u.sampleRate);
  const scored = c.scores.length > 0 && !['silence', 'too-short', 'too-long', 'not-speech'].includes(c.reason);
  const aboveFloor = scored && c.scores[0].logLikelihood / c.frames >= floors.get(c.label);
  const othersOk = aboveFloor && c.fit >= -rejection.fitMargin;
  let spreads1 = Infinity, margin = 0;
  if (scored && c.scores.length > 1 && c.scores[0].templateDistance !== null) {
    const d1 = c.scores[0].templateDistance;
    const d2 = Math.min(...c.scores.slice(1).map((s) => s.templateDistance ?? Infinity));
    spreads1 = d1 / spreads.get(c.label);
    margin = d2 / d1;
  }
  const ratio = c.likelihoodRatio - rejection.threshold;
  if ((othersOk && ratio >= 0) !== !c.rejected) throw new Error(`decision not reproduced: ${JSON.stringify(c.reason)}`);
  return { label: c.label, othersOk, aboveFloor, ratio, spreads1, margin };
}
// The rules tried; `p` holds their parameters.
const rules = {
  // the ratio test, or the template test when the ratio refused
  rescue: (r, p) => r.othersOk && (r.ratio >= 0 || (r.spreads1 <= p.spreads && r.margin >= p.margin)),
  // the same, and words the ratio accepts must not be nearer another word's templates (margin >= veto)
  rescueVeto: (r, p) => r.othersOk && ((r.ratio >= 0 && r.margin >= p.veto) || (r.spreads1 <= p.spreads && r.margin >= p.margin)),
  // rescueVeto, the acceptance overruling the fit margin as well as the ratio (the floor stays)
  rescueVetoFit: (r, p) => r.aboveFloor && ((r.othersOk && r.ratio >= 0 && r.margin >= p.veto) || (r.spreads1 <= p.spreads && r.margin >= p.margin)),
  // one score: the ratio plus template terms
  linear: (r, p) => r.othersOk && r.ratio + p.a * (p.s0 - r.spreads1) + p.b * Math.log(r.margin) >= 0,
};
const speakers = [...new Set(fsdd.map((u) => u.speaker))].sort();
const runs = {};  // runs[k][speaker] = { test: [{truth, ...summary}], impostors: [...], own: [...] }
for (const k of [3, 5]) {
  runs[k] = {};
  for (const s of speakers) {
    const mine = fsdd.filter((u) => u.speaker === s);
    const train = mine.filter((u) => u.index >= 5 && u.index < 5 + k);
    const test = mine.filter((u) => u.index >= 5 + k);
    // Indices 0-4 (the official test recordings): classified too, but only reported after the
    // choice, for the rules of `afterwards` -- never looked at by choose().
    const heldOut = mine.filter((u) => u.index < 5);
    const full = await trained(train);
    const run = { test: test.map((u) => ({ truth: u.label, ...summary(full, u) })), impostors: impostors.map((u) => summary(full, u)), own: [],
      heldOut: heldOut.map((u) => ({ truth: u.label, ...summary(full, u) })), heldOutOwn: [] };
    full.rec.dispose();
    for (const left of [...new Set(train.map((u) => u.label))]) {
      const nine = await trained(train.filter((u) => u.label !== left));
      for (const u of test.filter((v) => v.label === left)) run.own.push(summary(nine, u));
      for (const u of heldOut.filter((v) => v.label === left)) run.heldOutOwn.push(summary(nine, u));
      nine.rec.dispose();
    }
    runs[k][s] = run;
    console.error(`k=${k} ${s} done`);
  }
}

const pct = (x) => `${(100 * x).toFixed(1)} %`;
// Figures of one rule over some speakers: per k, mean accepted (correct and accepted),
// impostors accepted (count), own out-of-vocabulary accepted (mean fraction).
function figures(accepts, who, { test = 'test', own: ownKey = 'own' } = {}) {
  const out = {};
  for (const k of [3, 5]) {
    let accepted = 0, impostorAccepts = 0, own = 0;
    for (const s of who) {
      const run = runs[k][s];
      accepted += run[test].filter((r) => r.label === r.truth && accepts(r)).length / run[test].length / who.length;
      impostorAccepts += run.impostors.filter((r) => accepts(r)).length;
      own += run[ownKey].filter((r) => accepts(r)).length / run[ownKey].length / who.length;
    }
    out[k] = { accepted, impostorAccepts, impostorRate: impostorAccepts / (impostors.length * who.length), own };
  }
  return out;
}
const meets = (f) => [3, 5].every((k) => f[k].impostorRate <= 0.01 && f[k].own <= 0.05);
const cell = (f, k) => `${pct(f[k].accepted)}, ${f[k].impostorAccepts}, ${pct(f[k].own)}`;

const grid = [];
grid.push({ rule: 'base', p: {} });
for (const veto of [1, 1.02, 1.05, 1.1]) grid.push({ rule: 'rescueVeto', p: { spreads: 0, margin: Infinity, veto } });
for (const spreads of [1.1, 1.2, 1.3, 1.4, 1.5, 2]) for (const margin of [1.05, 1.1, 1.15, 1.2, 1.3]) grid.push({ rule: 'rescue', p: { spreads, margin } });
for (const spreads of [1.2, 1.3, 1.4, 1.5, 1.6]) {
  for (const margin of [1.1, 1.125, 1.15, 1.175, 1.2]) for (const veto of [1, 1.02, 1.03, 1.05, 1.075, 1.1]) grid.push({ rule: 'rescueVeto', p: { spreads, margin, veto } });
}
for (const spreads of [1.2, 1.3, 1.4, 1.5, 1.6]) {
  for (const margin of [1.1, 1.125, 1.15, 1.175, 1.2]) for (const veto of [1, 1.02, 1.03, 1.05, 1.075, 1.1]) grid.push({ rule: 'rescueVetoFit', p: { spreads, margin, veto } });
}
for (const a of [0.5, 1, 2, 4, 8]) for (const s0 of [1, 1.2, 1.4]) for (const b of [0, 2, 5, 10, 20]) grid.push({ rule: 'linear', p: { a, s0, b } });
const accepter = ({ rule, p }) => (rule === 'base' ? (r) => r.othersOk && r.ratio >= 0 : (r) => rules[rule](r, p));

console.log('| rule | parameters | k = 3: accepted, impostors, own OOV | k = 5: accepted, impostors, own OOV |');
console.log('|---|---|---|---|');
const scored = grid.map((g) => ({ ...g, f: figures(accepter(g), speakers) }));
const show = process.argv.includes('--all') ? scored : scored.filter((g) => g.rule === 'base' || meets(g.f) ||
  [3, 5].every((k) => g.f[k].impostorRate <= 0.012 && g.f[k].own <= 0.06));
for (const g of show) console.log(`| ${g.rule} | ${JSON.stringify(g.p)} | ${cell(g.f, 3)} | ${cell(g.f, 5)} |${meets(g.f) ? ' meets' : ''}`);
// The choice: the most accepted words (mean of k = 3 and 5) within the limits at both k.
function choose(who) {
  let best = null;
  for (const g of grid) {
    const f = figures(accepter(g), who);
    const score = f[3].accepted + f[5].accepted;
    if (meets(f) && (!best || score > best.score + 1e-12)) best = { ...g, score };
  }
  return best;
}
const all = choose(speakers);
console.log(`most accepted within the limits, all five speakers: ${all ? `${all.rule} ${JSON.stringify(all.p)}` : 'none'}`);
const picks = new Map();
for (const s of speakers) {
  const c = choose(speakers.filter((o) => o !== s));
  if (!c) {
    console.log(`for ${s}, on the other speakers: none meets the limits`);
    continue;
  }
  const key = `${c.rule} ${JSON.stringify(c.p)}`;
  picks.set(key, (picks.get(key) ?? 0) + 1);
  const f = figures(accepter(c), [s]);
  console.log(`for ${s}, chosen on the other speakers: ${key}; on ${s}: k=3 ${cell(f, 3)}; k=5 ${cell(f, 5)}`);
}
console.log(`chosen on four speakers: ${[...picks].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${key} ${n} times`).join('; ')}`);
// After the choice: the recordings 0-4, which no choice looked at (impostors: the same).
// rescueVetoFit with veto 1.075: the defaults (rejection.templateSpreads, templateMargin, minTemplateMargin).
const afterwards = [grid[0], { rule: 'rescueVeto', p: { spreads: 1.4, margin: 1.15, veto: 1.05 } },
  { rule: 'rescueVetoFit', p: { spreads: 1.4, margin: 1.15, veto: 1.05 } }, { rule: 'rescueVetoFit', p: { spreads: 1.4, margin: 1.15, veto: 1.075 } }];
for (const g of afterwards) {
  const f = figures(accepter(g), speakers, { test: 'heldOut', own: 'heldOutOwn' });
  console.log(`indices 0-4 only, ${g.rule} ${JSON.stringify(g.p)}: k=3 ${cell(f, 3)}; k=5 ${cell(f, 5)}`);
}

// The one score (rejection.templateScore*): accepted when above the fit floor and
// ratio + a ln(margin) - b ln(spreads) >= t, in place of the ratio test, the fit margin and the
// template tests. Chosen at k = 5 only: the most recognised-and-accepted words with the
// impostors <= 4 of 825 and the own out-of-vocabulary rate <= 4.5 % (half a point under the
// issue's limits, for the test rows), and no speaker's own rate above 10 % (the defaults
// before: 9.5 % at most, yweweler) -- a rule may not buy acceptance with one speaker's words.
const scoreRule = (p) => (r) => r.aboveFloor && Number.isFinite(r.spreads1) && r.spreads1 > 0 && Number.isFinite(r.margin) && r.margin > 0 &&
  r.ratio + p.a * Math.log(r.margin) - p.b * Math.log(r.spreads1) >= p.t;
function worstOwn(accepts, k) {
  return Math.max(...speakers.map((s) => runs[k][s].own.filter((r) => accepts(r)).length / runs[k][s].own.length));
}
const scoreGrid = [];
for (let a = 40; a <= 120; a += 10) for (let b = 0; b <= 60; b += 5) for (let t = -3; t <= 6.001; t += 0.25) scoreGrid.push({ a, b, t });
const defaults = accepter({ rule: 'rescueVetoFit', p: { spreads: 1.4, margin: 1.15, veto: 1.075 } });
console.log(`\nthe template tests (defaults), k=5: ${cell(figures(defaults, speakers), 5)}, worst speaker's own ${pct(worstOwn(defaults, 5))}`);
const within = scoreGrid.map((p) => ({ p, f: figures(scoreRule(p), speakers), worst: worstOwn(scoreRule(p), 5) }))
  .filter(({ f, worst }) => f[5].impostorAccepts <= 4 && f[5].own <= 0.045 && worst <= 0.10)
  .sort((x, y) => y.f[5].accepted - x.f[5].accepted);
for (const { p, f, worst } of within.slice(0, 5)) console.log(`one score ${JSON.stringify(p)}, k=5: ${cell(f, 5)}, worst speaker's own ${pct(worst)}`);
if (within.length) {
  const { a, b } = within[0].p;
  for (let t = 2; t <= 6.001; t += 0.5) {
    const acc = scoreRule({ a, b, t });
    console.log(`the same weights at k=3, t ${t}: ${cell(figures(acc, speakers), 3)}, worst speaker's own ${pct(worstOwn(acc, 3))} (the tests: ${cell(figures(defaults, speakers), 3)})`);
  }
}
