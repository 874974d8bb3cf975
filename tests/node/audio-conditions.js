// How a word reaches a recogniser outside a studio: padded with digital silence or room
// noise, or with noise over the whole recording. Deterministic (a seed per call), so the
// tests and bench/recognizer-robustness.js give the same numbers run after run.
//   condition: { pad: seconds, padNoise: 'zeros' | 'white' | 'pink', padDbfs }   noise only around the word
//              { noise: 'white' | 'pink', snrDb }                                 noise over the whole recording
// Levels: padDbfs is the noise's RMS in dB full scale (samples of +-1 = 0 dB); snrDb is
// relative to the recording's own RMS.

/** A seeded generator of standard normal numbers (xorshift32 + Box-Muller). */
function normal(seed) {
  let s = (seed >>> 0) || 0x9e3779b9;
  const uniform = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** White Gaussian noise of the given RMS. */
export function whiteNoise(length, rms, seed = 1) {
  const next = normal(seed);
  return Float32Array.from({ length }, () => rms * next());
}

/** Pink (1/f) noise of the given RMS: Paul Kellet's refined filter on white noise. */
export function pinkNoise(length, rms, seed = 1) {
  const next = normal(seed);
  const out = new Float64Array(length);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, energy = 0;
  for (let i = 0; i < length; i++) {
    const w = next();
    b0 = 0.99886 * b0 + w * 0.0555179; b1 = 0.99332 * b1 + w * 0.0750759; b2 = 0.96900 * b2 + w * 0.1538520;
    b3 = 0.86650 * b3 + w * 0.3104856; b4 = 0.55000 * b4 + w * 0.5329522; b5 = -0.7616 * b5 - w * 0.0168980;
    out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
    energy += out[i] * out[i];
  }
  const k = length ? rms / Math.sqrt(energy / length) : 0;
  return Float32Array.from(out, (x) => x * k);
}

export const rmsOf = (x) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / Math.max(x.length, 1));
const fromDb = (db) => 10 ** (db / 20);

function noise(kind, length, rms, seed) {
  if (kind === 'zeros') return new Float32Array(length);
  if (kind === 'white') return whiteNoise(length, rms, seed);
  if (kind === 'pink') return pinkNoise(length, rms, seed);
  throw new Error(`unknown noise '${kind}'`);
}

/** `samples` (at `sampleRate`) as heard in `condition`; a new array. */
export function applyCondition(samples, sampleRate, condition, seed = 1) {
  if (condition.pad) {
    const n = Math.round(condition.pad * sampleRate);
    const pad = noise(condition.padNoise, 2 * n, fromDb(condition.padDbfs ?? -Infinity), seed);
    const out = new Float32Array(samples.length + 2 * n);
    out.set(pad.subarray(0, n), 0);
    out.set(samples, n);
    out.set(pad.subarray(n), n + samples.length);
    return out;
  }
  if (condition.noise) {
    const added = noise(condition.noise, samples.length, rmsOf(samples) * fromDb(-condition.snrDb), seed);
    return Float32Array.from(samples, (x, i) => x + added[i]);
  }
  return Float32Array.from(samples);
}

/** The conditions of issue 14's benchmark, named as the tables name them. */
export const CONDITIONS = [
  ['as cut', {}],
  ['0.3 s of digital zeros', { pad: 0.3, padNoise: 'zeros' }],
  ['1.0 s of digital zeros', { pad: 1.0, padNoise: 'zeros' }],
  ['0.3 s of white noise at -70 dBFS', { pad: 0.3, padNoise: 'white', padDbfs: -70 }],
  ['1.0 s of white noise at -70 dBFS', { pad: 1.0, padNoise: 'white', padDbfs: -70 }],
  ['0.3 s of white noise at -50 dBFS', { pad: 0.3, padNoise: 'white', padDbfs: -50 }],
  ['1.0 s of white noise at -50 dBFS', { pad: 1.0, padNoise: 'white', padDbfs: -50 }],
  ['0.3 s of pink noise at -40 dBFS', { pad: 0.3, padNoise: 'pink', padDbfs: -40 }],
  ['1.0 s of pink noise at -40 dBFS', { pad: 1.0, padNoise: 'pink', padDbfs: -40 }],
  ['white noise, 30 dB SNR', { noise: 'white', snrDb: 30 }],
  ['white noise, 20 dB SNR', { noise: 'white', snrDb: 20 }],
  ['white noise, 10 dB SNR', { noise: 'white', snrDb: 10 }],
  ['pink noise, 30 dB SNR', { noise: 'pink', snrDb: 30 }],
  ['pink noise, 20 dB SNR', { noise: 'pink', snrDb: 20 }],
  ['pink noise, 10 dB SNR', { noise: 'pink', snrDb: 10 }],
];
