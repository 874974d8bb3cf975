// class GaussianHMM: hmmlearn's GaussianHMM (one Gaussian per state) in JavaScript, the
// shared model class (chain-model.js) with frames of real values. Whether they are finite is
// checked once, in wasm, naming the frame.
import { GmmHmmError } from './errors.js';
import { matrixIn, matrixOut, typedArrayKind } from './heap.js';
import { createChainModelClass } from './chain-model.js';

// X: T rows of nFeatures values (number[][], or Float32Array/Float64Array rows), or one flat
// Float64Array/Float32Array of T × nFeatures (row-major; the model's nFeatures must be known).
function framesIn(M, X, method, nFeatures) {
  if (!ArrayBuffer.isView(X)) return matrixIn(M, X, undefined, 'X');
  const width = nFeatures();
  if (!(width > 0)) {
    throw new GmmHmmError(`${method}: X is a flat ${typedArrayKind(X)} and the model's nFeatures is not known yet: give X as rows (number[][])`);
  }
  return matrixIn(M, X, width, 'X');
}

/**
 * class GaussianHMM. options: { nStates, nFeatures (default: the first fit's), covarianceType
 * ('diag' (default) | 'spherical' | 'full' | 'tied': one matrix shared by every state), nIter,
 * tol, seed, params, initParams (letters s t m c), startprobPrior, transmatPrior, minCovar,
 * meansPrior, meansWeight, covarsPrior, covarsWeight, nInit }. `covars` reads as a matrix per
 * state (hmmlearn's covars_) and takes that or the type's own shape.
 */
export function createGaussianHMM(M, { pool }) {
  return createChainModelClass(M, {
    name: 'GaussianHMM',
    handle: M.GaussianHmmHandle,
    framesIn,
    sequenceLists: true,
    framesOut: ({ data, rows, cols }) => matrixOut(data, rows, cols),
    sampledRows: true,
    emission: ['means', 'covars'],
    sizes: ['covarianceType'],
  }, { pool });
}
