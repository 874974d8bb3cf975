// Mistakes a TypeScript user can make with the package: tsc must report each marked line with
// the marked code, and nothing else (tests/types/check.js compiles this file and compares).
import { load } from 'gmmhmm';
import singleFile from 'gmmhmm/single-file';
import { load as loadWords } from 'gmmhmm/words';

export async function mistakes(): Promise<void> {
  const g = await load();
  const samples = new Float32Array(16000);
  g.GMMHmm; // error TS2551
  g.mfcc(samples, 16000, { windowType: 'hann' }); // error TS2322
  g.mfcc(samples, 16000, { numCepts: 12 }); // error TS2561
  g.fbank(samples, 16000, { numCeps: 13 }); // error TS2353
  new g.Recognizer({ features: { windowType: 'hann' } }); // error TS2322
  new g.Recognizer({ wrkers: 2 }); // error TS2561
  new g.Recognizer({ features: { trimOn: 'energy' } }); // error TS2322
  new g.Recognizer({ features: { noiseEdge: true } }); // error TS2561
  new g.GMMHMM({ covarianceType: 'diagonal' }); // error TS2322
  new g.GMMHMM({ nState: 3 }); // error TS2561
  await load({ variant: 'sse' }); // error TS2322
  await load({ wasmUrl: '/x.wasm' }); // error TS2561
  await singleFile({ wasmURL: '/x.wasm' }); // error TS2353
  g.Recognizer.prepareWorkers({ workers: 'all' }); // error TS2322
  const r = new g.Recognizer();
  r.clasify(samples, 16000); // error TS2551
  const model = new g.GMMHMM();
  model.config.nStatez; // error TS2551
  model.toJSON().startProb; // error TS2551
  const w = await loadWords();
  new w.GMMHMM(); // error TS2339
  new w.Recognizer({ wrkers: 2 }); // error TS2561
}
