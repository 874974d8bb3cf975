// class PoissonHMM and class MultinomialHMM: hmmlearn's count families in JavaScript, the
// shared model class (chain-model.js) with frames of counts. Whether the counts are integers
// >= 0 (and add up to nTrials) is checked once, in wasm, naming the frame.
import { GmmHmmError, describe } from './errors.js';
import { elementsOf, matrixIn, matrixOut, typedArrayKind } from './heap.js';
import { readingInputs } from './gmmhmm.js';
import { createChainModelClass } from './chain-model.js';

const isFloat = (kind) => kind === 'Float64Array' || kind === 'Float32Array';

// Integer typed arrays (counts are often Int32Array / Uint16Array...) as Float64Array;
// BigInt arrays refused (their values need not be exact in a double).
function asFloatRow(row, label, method) {
  const kind = typedArrayKind(row);
  if (!kind || isFloat(kind)) return row;
  if (kind.startsWith('Big')) throw new GmmHmmError(`${method}: ${label} is a ${kind}: give the counts as numbers`);
  return new Float64Array(row);  // through the engine's slots: no iterator, no getter
}

// X: T rows of nFeatures counts (number[][] or typed-array rows), or one flat typed array of
// T × nFeatures (row-major; the model's nFeatures must be known). Copied into the heap.
function countsIn(M, X, method, nFeatures) {
  const kind = typedArrayKind(X);
  if (kind) {
    const width = nFeatures();
    if (!(width > 0)) {
      throw new GmmHmmError(`${method}: X is a flat ${kind} and the model's nFeatures is not known yet: give X as rows (number[][])`);
    }
    return matrixIn(M, readingInputs(method, () => Float64Array.from(asFloatRow(X, 'X', method))), width, 'X');
  }
  if (!Array.isArray(X)) {
    throw new GmmHmmError(`${method}: X must be rows of counts (number[][] or an array of typed arrays), got ${describe(X)}`);
  }
  const rows = readingInputs(method, () => elementsOf(X, 'X').map((row, i) => asFloatRow(row, `X[${i}]`, method)));
  if (rows.length > 0 && !Array.isArray(rows[0]) && !ArrayBuffer.isView(rows[0])) {
    throw new GmmHmmError(`${method}: X[0] must be a row of counts (an array), got ${describe(rows[0])}`);
  }
  return matrixIn(M, rows, undefined, 'X');
}

// Sampled frames: { data, rows, cols } -> rows of Float64Array counts.
const countsOut = ({ data, rows, cols }) => matrixOut(data, rows, cols);

/**
 * class PoissonHMM. options: { nStates, nFeatures (counts per frame; default: the first fit's),
 * nIter, tol, seed, params, initParams (letters s t l), startprobPrior, transmatPrior,
 * lambdasPrior, lambdasWeight }.
 */
export function createPoissonHMM(M, { pool }) {
  return createChainModelClass(M, {
    name: 'PoissonHMM',
    handle: M.PoissonHmmHandle,
    framesIn: countsIn,
    sequenceLists: true,
    framesOut: countsOut,
    sampledRows: true,
    emission: 'lambdas',
  }, { pool });
}

/**
 * class MultinomialHMM. options: { nStates, nFeatures, nTrials (the sum of every frame's
 * counts; 0: any, and sample() refuses), nIter, tol, seed, params, initParams (letters s t e),
 * startprobPrior, transmatPrior }.
 */
export function createMultinomialHMM(M, { pool }) {
  return createChainModelClass(M, {
    name: 'MultinomialHMM',
    handle: M.MultinomialHmmHandle,
    framesIn: countsIn,
    sequenceLists: true,
    framesOut: countsOut,
    sampledRows: true,
    emission: 'emissionprob',
    sizes: ['nTrials'],
  }, { pool });
}
