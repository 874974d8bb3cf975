// The recordings the recognizer benches read (FSDD digits, fruit words) and deterministic
// noise bursts as impostors.
import fs from 'node:fs';
import path from 'node:path';
import { readWav } from '../web/cli/wav.js';

// FSDD: [{ label, speaker, index, samples, sampleRate }]; fruits: [{ label, index, ... }]
// (none when the folder is absent).
export async function readAll(FSDD, FRUITS) {
  const fsdd = [];
  for (const name of FSDD && fs.existsSync(FSDD) ? fs.readdirSync(FSDD).sort() : []) {
    const m = /^(\d)_([a-z]+)_(\d+)\.wav$/.exec(name);
    if (m) fsdd.push({ label: m[1], speaker: m[2], index: Number(m[3]), ...(await readWav(path.join(FSDD, name))) });
  }
  const fruits = [];
  if (fs.existsSync(FRUITS)) {
    for (const word of fs.readdirSync(FRUITS).sort()) {
      const files = fs.readdirSync(path.join(FRUITS, word)).filter((f) => f.endsWith('.wav')).sort();
      for (const [i, f] of files.entries()) fruits.push({ label: word, index: i, ...(await readWav(path.join(FRUITS, word, f))) });
    }
  }
  return { fsdd, fruits };
}

// Deterministic noise bursts (white, pink-ish, hum) as impostors, 0.3-0.9 s at 8 kHz.
export function noises(n, seed = 12345) {
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const out = [];
  for (let k = 0; k < n; k++) {
    const rate = 8000;
    const len = Math.round(rate * (0.3 + 0.6 * next()));
    const x = new Float32Array(len);
    const level = 0.02 + 0.3 * next();
    let pink = 0;
    for (let i = 0; i < len; i++) {
      const white = 2 * next() - 1;
      pink = 0.95 * pink + 0.05 * white;
      x[i] = k % 3 === 0 ? level * white : k % 3 === 1 ? 4 * level * pink : level * Math.sin(2 * Math.PI * (100 + 20 * (k % 5)) * i / rate);
    }
    out.push({ label: null, samples: x, sampleRate: rate });
  }
  return out;
}

