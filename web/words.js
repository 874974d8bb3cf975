// gmmhmm/words: the package's front end and Recognizer (voice commands) without GMMHMM and the
// hmmlearn families, from a WebAssembly build linked without them (docs/size.md: what a page
// of voice commands downloads).
//
//   import { load } from 'gmmhmm/words';
//   const { Recognizer } = await load();
//
// The same load() options, the same Recognizer, front end and errors as 'gmmhmm'. Node runs
// this file as it is; browsers and bundlers get web/dist/gmmhmm-words.js (scripts/build-js.mjs).
import { startListenWorker, startTrainingWorker } from '#words-workers';
import { useTrainingWorkers } from './lib/worker-thread.js';

useTrainingWorkers('gmmhmm/words', startTrainingWorker, startListenWorker);

export { GmmHmmError, LABEL_RULE, MAX_LABEL_LENGTH, checkLabel, simdSupported } from './lib/api.js';
export { load, load as default } from './lib/words-build.js';
