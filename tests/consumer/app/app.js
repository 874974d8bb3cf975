// The consumer app: what a web developer writes first. Every bundler of tests/consumer builds
// this same file; the plain page loads it through an import map. It loads the package and
// recognises a word with two training Workers (words.js).
// window.gmmhmmConsumer.run(options) runs it (again) and resolves to what happened; without
// #manual in the address it runs once by itself into window.gmmhmmResult.
import { GmmHmmError, load } from 'gmmhmm';
import { recogniseWord } from './words.js';

// A GMMHMM fitted by fitAsync in Workers on two sequences of two clusters.
async function fitInWorkers(gmmhmm, workers) {
  const X = new Float64Array(400);
  for (let i = 0; i < 200; i++) {
    X[2 * i] = (i % 20 < 10 ? 0 : 5) + Math.sin(i * 12.9898) * 0.5;
    X[2 * i + 1] = (i % 20 < 10 ? 0 : -5) + Math.cos(i * 78.233) * 0.5;
  }
  const model = new gmmhmm.GMMHMM({ nStates: 2, nMix: 1, nFeatures: 2, nIter: 5, seed: 1 });
  try {
    await model.fitAsync(X, { lengths: [100, 100], workers });
    return { fitted: Number.isFinite(model.score(X, [100, 100])) };
  } finally {
    model.dispose();
  }
}

async function run({ loadOptions = {}, workers = 2, fitAsync = false } = {}) {
  try {
    const gmmhmm = await load(loadOptions);
    if (fitAsync) return { ok: true, ...(await fitInWorkers(gmmhmm, workers)) };
    return { ok: true, variant: gmmhmm.variant, singleFile: gmmhmm.singleFile, ...(await recogniseWord(gmmhmm, { workers })) };
  } catch (error) {
    return { ok: false, gmmhmmError: error instanceof GmmHmmError, name: error?.name, code: error?.code, message: String(error?.message ?? error) };
  }
}

globalThis.gmmhmmConsumer = { run };
if (!globalThis.location.hash.includes('manual')) {
  run().then((result) => {
    globalThis.gmmhmmResult = result;
  });
}
