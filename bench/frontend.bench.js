// Front-end speed through the package in Node, side by side with Meyda on the same audio
// (a benchmark, not a test). Run: node bench/frontend.bench.js [auto|simd|nosimd]
//
// gmmhmm: mfcc (Kaldi defaults, 25 ms / 10 ms frames, 512-point FFT at 16 kHz) + addDeltas
// over 60 s of 16 kHz audio in one call. Meyda: its mfcc on the same 10 ms hops, one
// 512-sample frame per call (Meyda has no hop or batch mode), 23 mel bands, 13 MFCCs.
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

function time(fn, runs) {
  const ms = [];
  let result;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    result = fn();
    ms.push(performance.now() - t0);
  }
  return { ms: median(ms), result };
}

function rowsOf(matrix) {
  if (Array.isArray(matrix)) return matrix.length;
  if (typeof matrix?.rows === 'number') return matrix.rows;
  throw new Error('unknown matrix shape returned by mfcc');
}

const gmmhmm = await load({ variant: process.argv[2] ?? 'auto' });
const audio = speechLikeAudio();

time(() => gmmhmm.addDeltas(gmmhmm.mfcc(audio, rate)), 2); // warm-up
const ours = time(() => gmmhmm.addDeltas(gmmhmm.mfcc(audio, rate), { order: 2, window: 2 }), 9);
const frames = rowsOf(ours.result);
const oursFps = frames / (ours.ms / 1000);

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
meydaRun(); // warm-up
const meyda = time(meydaRun, 3);
const meydaFps = meyda.result / (meyda.ms / 1000);

console.log(`audio: ${seconds} s at ${rate} Hz; median of 9 (gmmhmm) / 3 (Meyda) runs; wasm build: ${gmmhmm.variant}`);
console.log(`gmmhmm mfcc + addDeltas: ${frames} frames in ${ours.ms.toFixed(1)} ms = ${Math.round(oursFps)} frames/s, ` +
  `${(ours.ms / seconds).toFixed(3)} ms per second of audio`);
console.log(`Meyda mfcc:              ${meyda.result} frames in ${meyda.ms.toFixed(1)} ms = ${Math.round(meydaFps)} frames/s`);
console.log(`speed-up: ${(oursFps / meydaFps).toFixed(1)}x (goal >= 30x; issue's reference Meyda figure 19.6k frames/s: ${(oursFps / 19600).toFixed(1)}x)`);
