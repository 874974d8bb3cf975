// gmmhmm: GMM-HMMs and a Kaldi-compatible speech front end in WebAssembly.
//
//   import { load } from 'gmmhmm';
//   const gmmhmm = await load();            // or: import gmmhmm from 'gmmhmm/ready';
//   const features = gmmhmm.mfcc(samples, 16000);
//
// load() instantiates one WebAssembly module (its own heap) and returns the API bound to it.
// Node runs this file as it is; browsers and bundlers get web/dist/gmmhmm.js, this file
// bundled with the browser side of '#platform' and '#training-workers' (scripts/build-js.mjs,
// package.json "exports" and "imports").
import { startListenWorker, startTrainingWorker } from '#training-workers';
import { useTrainingWorkers } from './lib/worker-thread.js';

useTrainingWorkers('gmmhmm', startTrainingWorker, startListenWorker);

export { GmmHmmError, LABEL_RULE, MAX_LABEL_LENGTH, checkLabel, simdSupported } from './lib/api.js';
export { load, load as default } from './lib/full-build.js';
