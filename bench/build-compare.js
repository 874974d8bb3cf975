// Speed of two or more builds of the package side by side (a benchmark, not a test): the
// cost in speed of a size change (docs/size.md). Each build is a package entry file (another
// checkout's web/index.js, or a copy of web/ with other web/dist files); the builds run in
// turns, each in its own process, `--rounds` times (the machine is shared: turns spread the
// noise over all builds), and the table gives the median of each measure and its ratio to
// the first build.
//
//   node bench/build-compare.js [--rounds N] <entry.js> <entry.js> ...
//   e.g. node bench/build-compare.js ../main/web/index.js web/index.js
//
// Measures (SIMD build, Node): EM (8 states × 4 components × 39 dims, diag, 100 × 300
// frames, 8 iterations), scoring the same data, a fit with k-means initialisation, MFCC +
// deltas of 30 s of audio, training a recognizer in this thread on one FSDD speaker's ten
// digits (10 examples each; needs ../shared/data, else skipped) and classifying 20 others.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = fileURLToPath(import.meta.url);
const FSDD = path.resolve(path.dirname(HERE), '../../shared/data/fsdd/recordings');

async function measure(entry) {
  const { load } = await import(pathToFileURL(path.resolve(entry)).href);
  const { readWav } = await import(new URL('../web/cli/wav.js', import.meta.url).href);
  const g = await load({ variant: 'simd' });
  const best = async (n, fn) => {
    let b = Infinity;
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn();
      b = Math.min(b, performance.now() - t);
    }
    return Math.round(b);
  };
  const N = 8, M = 4, D = 39, S = 100, L = 300, IT = 8;
  let seed = 42;
  const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const normalised = (row) => row.map((v) => v / row.reduce((a, b) => a + b, 0));
  const transmat = Array.from({ length: N }, (_, i) => normalised(Array.from({ length: N }, (_, j) => (i === j ? 8 : rnd() + 0.1))));
  const weights = Array.from({ length: N }, () => normalised(Array.from({ length: M }, () => rnd() + 0.5)));
  const means = Array.from({ length: N }, () => Array.from({ length: M }, () => Array.from({ length: D }, () => 6 * rnd() - 3)));
  const covars = Array.from({ length: N }, () => Array.from({ length: M }, () => Array.from({ length: D }, () => 0.5 + rnd())));
  const params = { startprob: Array(N).fill(1 / N), transmat, weights, means, covars };
  const truth = new g.GMMHMM({ nStates: N, nMix: M, nFeatures: D });
  Object.assign(truth, params);
  const X = new Float64Array(S * L * D);
  for (let i = 0; i < S; i++) truth.sample(L, { seed: i }).X.forEach((row, t) => X.set(row, (i * L + t) * D));
  const lengths = Array(S).fill(L);
  const shifted = means.map((s) => s.map((c) => c.map((v) => v + 0.5)));
  const out = {};
  out.em = await best(3, () => {
    const m = new g.GMMHMM({ nStates: N, nMix: M, nFeatures: D, nIter: IT, tol: 0, initParams: '' });
    Object.assign(m, { ...params, means: shifted });
    m.fit(X, { lengths });
    m.dispose();
  });
  out.score = await best(3, () => truth.score(X, { lengths }));
  out.kmeansFit = await best(2, () => {
    const m = new g.GMMHMM({ nStates: N, nMix: M, nFeatures: D, nIter: 1, tol: 0, seed: 1 });
    m.fit(X, { lengths });
    m.dispose();
  });
  const audio = new Float32Array(16000 * 30).map((_, i) => 0.2 * Math.sin(i / 9) * Math.sin(i / 2000) + 0.01 * Math.sin(i * 1.3));
  out.mfcc30s = await best(3, () => g.addDeltas(g.mfcc(audio, 16000)));
  if (fs.existsSync(FSDD)) {
    const data = [];
    for (const f of fs.readdirSync(FSDD).sort()) {
      const m = /^(\d)_jackson_(\d+)\.wav$/.exec(f);
      if (m && Number(m[2]) < 12) data.push({ label: m[1], index: Number(m[2]), ...(await readWav(path.join(FSDD, f))) });
    }
    let rec = null;
    out.train = await best(2, async () => {
      rec?.dispose();
      rec = new g.Recognizer({ workers: 0 });
      for (const d of data) if (d.index >= 2) rec.addExample(d.label, d.samples, d.sampleRate);
      await rec.train();
    });
    out.classify20 = await best(3, () => {
      for (const d of data) if (d.index < 2) rec.classifySync(d.samples, d.sampleRate);
    });
  }
  return out;
}

if (process.argv[2] === '--child') {
  console.log(JSON.stringify(await measure(process.argv[3])));
} else {
  const args = process.argv.slice(2);
  const at = args.indexOf('--rounds');
  const rounds = at >= 0 ? Number(args.splice(at, 2)[1]) : 3;
  const entries = args;
  if (entries.length < 1 || !(rounds >= 1)) {
    console.error('usage: node bench/build-compare.js [--rounds N] <entry.js> <entry.js> ...');
    process.exit(2);
  }
  const runs = entries.map(() => []);
  for (let r = 0; r < rounds; r++) {
    entries.forEach((entry, i) => {
      const out = execFileSync(process.execPath, [HERE, '--child', entry], { encoding: 'utf8' });
      runs[i].push(JSON.parse(out.trim().split('\n').pop()));
      process.stderr.write(`round ${r + 1}/${rounds}: ${entry} ${out.trim()}\n`);
    });
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const keys = Object.keys(runs[0][0]);
  console.log(`| ms (median of ${rounds}) | ${entries.join(' | ')} |`);
  console.log(`|---|${entries.map(() => '---').join('|')}|`);
  for (const k of keys) {
    const first = median(runs[0].map((o) => o[k]));
    const cells = runs.map((rs) => {
      const m = median(rs.map((o) => o[k]));
      return rs === runs[0] ? `${m}` : `${m} (${(m / first).toFixed(2)}×)`;
    });
    console.log(`| ${k} | ${cells.join(' | ')} |`);
  }
}
