// Worker entry for Recognizer training and parallel fits (a module Web Worker in browsers,
// bundled into web/dist/train-worker.js by scripts/build-js.mjs; a worker_threads worker in
// Node, as it is): loads its own WebAssembly module and serves one request at a time. No
// top-level await, so that bundlers may emit it in any worker format.
//   in:  { type: 'load', id, build } (start-up ahead of the jobs) -> out: { type: 'ready', id }
//   in:  { type: 'job', id, job: { kind, label, data, rows, cols, lengths, groups, optionsJson, pooledVariance },
//          build: { module: WebAssembly.Module, variant } | null }
//   out: { type: 'ready', id } (the module is instantiated: a failure from now on is a crash,
//        not a worker that did not start), { type: 'progress', id, progress } ...,
//        then { type: 'result', id, json } or { type: 'error', id, message, code, loadFailed }
// A share of a parallel fit (web/lib/fit-async.js), held between requests:
//   in:  { type: 'share-open', id, build, share: { model, setup, data, rows, cols, lengths, groupSizes } }
//        (model: the class whose fit it is, 'GMMHMM' or a family's, 'CategoricalHMM'...)
//        -> { type: 'ready', id }, { type: 'share-opened', id }
//   in:  { type: 'share-compute', id, parameters } -> { type: 'share-statistics', id, statistics }
//   in:  { type: 'share-close', id } -> { type: 'share-closed', id } (its memory is freed)
// A fit's initialisation (GMMHMM's k-means or segmental start; a family's emissions, GaussianHMM's k-means),
// from a copy of all its frames (job: GMMHMM's Float64Array, a family's model file):
//   in:  { type: 'fit-initialise', id, build, initialisation: { model, job, data, rows, cols, lengths } }
//        -> { type: 'ready', id }, { type: 'fit-initialised', id, parameters }
import { FIT_INITIALISE, FIT_SHARE } from './fit-async.js';
import { load } from './full-build.js';
import { serveWorker } from './worker-serve.js';

const MODELS = new Set(['GMMHMM', 'CategoricalHMM', 'PoissonHMM', 'MultinomialHMM', 'GaussianHMM']);

// The class whose fit it is ('GMMHMM' or a family's), checked: only the model classes have the hooks.
const modelClass = (api, model = 'GMMHMM') => {
  if (!MODELS.has(model)) throw new Error(`a fit of '${model}', which is not a model class`);
  return api[model];
};

serveWorker(load, (api, share) => modelClass(api, share.model)[FIT_SHARE](share),
  (api, initialisation) => {
    const Model = modelClass(api, initialisation.model);
    if (!Model[FIT_INITIALISE]) throw new Error(`${initialisation.model} fits are not initialised in Workers`);
    return Model[FIT_INITIALISE](initialisation);
  });
