// Front-end speed through the package in Node, side by side with Meyda on the same audio
// (a benchmark, not a test). Run:
//   node bench/frontend.bench.js [auto|simd|nosimd] [--compare <entry.js>] [--rounds N]
//
// gmmhmm: mfcc (Kaldi defaults, 25 ms / 10 ms frames, 512-point FFT at 16 kHz) + addDeltas
// over 60 s of 16 kHz audio in one call. Meyda: its mfcc on the same 10 ms hops, one
// 512-sample frame per call (Meyda has no hop or batch mode), 23 mel bands, 13 MFCCs.
// --compare: another build of the package (e.g. a copy of web/ from before a change, its
// index.js) measured in the same process, the builds taking turns round by round, so that a
// shared machine's load falls on both alike; Meyda runs after them (at least 3 runs, a third
// of --rounds). Each figure is a median, in wall-clock and in CPU time of the process
// (everything runs in this thread).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Meyda from 'meyda';
import { load } from '../web/index.js';

const rate = 16000;
const seconds = 60;

function speechLikeAudio() {
  // Voiced stretches (harmonics of a gliding pitch) between noise bursts and pauses.
  const x = new Float32Array(rate * seconds);
  let phase = 0;
  let seed = 1;
  const noise = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 31 - 1;
  };
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    const segment = t % 0.9;
    let v = 0.003 * noise();
    if (segment < 0.45) {
      const f0 = 110 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
      phase += (2 * Math.PI * f0) / rate;
      let s = 0;
      for (let h = 1; h <= 25; h++) s += Math.sin(h * phase) / (1 + Math.abs(h * f0 - 700) / 300);
      v += 0.05 * s * Math.sin((Math.PI * segment) / 0.45);
    } else if (segment < 0.55) {
      v += 0.05 * noise();
    }
    x[i] = v;
  }
  return x;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function rowsOf(matrix) {
  if (Array.isArray(matrix)) return matrix.length;
  if (typeof matrix?.rows === 'number') return matrix.rows;
  throw new Error('unknown matrix shape returned by mfcc');
}

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
};
const rounds = Number(option('--rounds', '9'));
const compareEntry = option('--compare', null);
const variant = args[0] ?? 'auto';
if (!(Number.isInteger(rounds) && rounds >= 1) || args.length > 1) {
  console.error('usage: node bench/frontend.bench.js [auto|simd|nosimd] [--compare <entry.js>] [--rounds N]');
  process.exit(2);
}

const builds = [{ name: 'this build', g: await load({ variant }) }];
if (compareEntry) {
  const { load: loadOther } = await import(pathToFileURL(path.resolve(compareEntry)).href);
  builds.push({ name: compareEntry, g: await loadOther({ variant }) });
}
const audio = speechLikeAudio();

// One call of fn: wall-clock and CPU ms.
function once(fn) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = fn();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000, result };
}

Meyda.bufferSize = 512;
Meyda.sampleRate = rate;
Meyda.melBands = 23;
Meyda.numberOfMFCCCoefficients = 13;
const hop = rate / 100;
const meydaRun = () => {
  let n = 0;
  for (let s = 0; s + 512 <= audio.length; s += hop) {
    Meyda.extract('mfcc', audio.subarray(s, s + 512));
    n++;
  }
  return n;
};

const oursRun = (g) => g.addDeltas(g.mfcc(audio, rate), { order: 2, window: 2 });
for (const b of builds) {
  for (let i = 0; i < 3; i++) oursRun(b.g); // warm-up (and the wasm tier-up)
  b.frames = rowsOf(oursRun(b.g));
  b.total = [];
  b.mfcc = [];
  b.deltas = [];
}
for (let r = 0; r < rounds; r++) {
  for (const b of builds) {
    // The pipeline, then its two calls separately (the parts of the total).
    b.total.push(once(() => oursRun(b.g)));
    const m = once(() => b.g.mfcc(audio, rate));
    b.mfcc.push(m);
    b.deltas.push(once(() => b.g.addDeltas(m.result, { order: 2, window: 2 })));
  }
}
// Meyda after the builds' rounds, not between them: its runs leave ~100 MB of garbage (a few
// arrays per frame) whose collection would fall into the next build's call.
meydaRun(); // warm-up
const meyda = [];
let meydaFrames = 0;
for (let r = 0; r < Math.max(3, Math.ceil(rounds / 3)); r++) {
  const run = once(meydaRun);
  meydaFrames = run.result;
  meyda.push(run);
}

const med = (runs, key) => median(runs.map((r) => r[key]));
const meydaFps = { wall: meydaFrames / (med(meyda, 'wall') / 1000), cpu: meydaFrames / (med(meyda, 'cpu') / 1000) };
console.log(`audio: ${seconds} s at ${rate} Hz; median of ${rounds} rounds (builds in turns, then Meyda ${meyda.length} runs); wasm build: ${builds[0].g.variant}`);
console.log(`Meyda mfcc: ${meydaFrames} frames in ${med(meyda, 'wall').toFixed(1)} ms wall / ${med(meyda, 'cpu').toFixed(1)} ms CPU ` +
  `= ${Math.round(meydaFps.wall)} / ${Math.round(meydaFps.cpu)} frames/s`);
for (const b of builds) {
  const fps = { wall: b.frames / (med(b.total, 'wall') / 1000), cpu: b.frames / (med(b.total, 'cpu') / 1000) };
  b.fps = fps;
  console.log(`${b.name}: mfcc + addDeltas ${b.frames} frames in ${med(b.total, 'wall').toFixed(2)} ms wall / ` +
    `${med(b.total, 'cpu').toFixed(2)} ms CPU (mfcc ${med(b.mfcc, 'wall').toFixed(2)} / ${med(b.mfcc, 'cpu').toFixed(2)}, ` +
    `addDeltas ${med(b.deltas, 'wall').toFixed(2)} / ${med(b.deltas, 'cpu').toFixed(2)}) = ${Math.round(fps.wall)} frames/s, ` +
    `${(med(b.total, 'wall') / seconds).toFixed(3)} ms per second of audio`);
  console.log(`  speed-up over Meyda: ${(fps.wall / meydaFps.wall).toFixed(1)}x wall, ${(fps.cpu / meydaFps.cpu).toFixed(1)}x CPU (goal >= 30x)`);
}
if (builds.length === 2) {
  const [a, b] = builds;
  console.log(`this build / ${b.name}: x${(a.fps.wall / b.fps.wall).toFixed(2)} wall, x${(a.fps.cpu / b.fps.cpu).toFixed(2)} CPU ` +
    `(mfcc x${(med(b.mfcc, 'cpu') / med(a.mfcc, 'cpu')).toFixed(2)}, addDeltas x${(med(b.deltas, 'cpu') / med(a.deltas, 'cpu')).toFixed(2)} CPU)`);
}
