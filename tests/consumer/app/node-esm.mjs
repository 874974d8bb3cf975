// The package in Node as an ES-module user imports it: load(), the features, 'gmmhmm/ready',
// 'gmmhmm/single-file', and a word recognised with two worker_threads. Prints one JSON line.
import { load, simdSupported } from 'gmmhmm';
import ready from 'gmmhmm/ready';
import { load as loadSingleFile } from 'gmmhmm/single-file';
import { recogniseWord } from './words.js';

const gmmhmm = await load();
const samples = new Float32Array(16000).map((_, i) => 0.1 * Math.sin(i / 7));
const mfcc = gmmhmm.mfcc(samples, 16000);
const single = await loadSingleFile({ variant: 'nosimd' });
console.log(JSON.stringify({
  simd: simdSupported(),
  variant: gmmhmm.variant,
  deltaColumns: gmmhmm.addDeltas(mfcc)[0].length,
  readySame: ready.mfcc(samples, 16000)[3][2] === mfcc[3][2],
  singleFile: single.singleFile,
  singleVariant: single.variant,
  singleSame: single.mfcc(samples, 16000)[3][2] === mfcc[3][2],
  ...(await recogniseWord(gmmhmm, { workers: 2 })),
}));
