// The word test of the consumer apps (the browser app.js and node-esm.mjs): two words that
// need no speech synthesis, tones gliding up ('up') or down ('down') under a rise-and-fall
// envelope; five examples each are trained with `workers` training workers, then a sixth
// recording of 'down' is recognised.
const RATE = 16000;

export function glide(f0, f1, variant, seconds = 0.45 + 0.03 * (variant % 4)) {
  const n = Math.round(seconds * RATE);
  const x = new Float32Array(n);
  const scale = 1 + 0.015 * variant;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const f = (f0 + ((f1 - f0) * t) / seconds) * scale;
    x[i] = 0.4 * Math.sin((Math.PI * i) / n) ** 2 * (Math.sin(2 * Math.PI * f * t) + 0.3 * Math.sin(4 * Math.PI * f * t));
  }
  return x;
}

/** Resolves to { workersReady, label, reason } (label 'down' expected). */
export async function recogniseWord(gmmhmm, { workers = 2 } = {}) {
  // The number of workers started and ready (each instantiated the WebAssembly module): the
  // proof that training runs in workers and not in this thread.
  const workersReady = workers ? await gmmhmm.Recognizer.prepareWorkers({ workers }) : 0;
  const recognizer = new gmmhmm.Recognizer({ workers });
  try {
    for (let k = 0; k < 5; k++) {
      recognizer.addExample('up', glide(300, 900, k), RATE);
      recognizer.addExample('down', glide(1400, 500, k), RATE);
    }
    await recognizer.train();
    const heard = await recognizer.classify(glide(1350, 520, 7), RATE);
    return { workersReady, label: heard.label, reason: heard.reason };
  } finally {
    recognizer.dispose();
  }
}
