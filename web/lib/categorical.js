// class CategoricalHMM: hmmlearn's CategoricalHMM (integer symbols) in JavaScript: the
// shared model class (chain-model.js) with the symbols' reading. Whether the symbols are
// integers in range is checked once, in wasm.
import { GmmHmmError, describe } from './errors.js';
import { elementsOf, matrixIn, typedArrayKind } from './heap.js';
import { readingInputs } from './gmmhmm.js';
import { createChainModelClass } from './chain-model.js';

const isRow = (v) => Array.isArray(v) || ArrayBuffer.isView(v);

// The symbols of X as a Float64Array: X holds T symbols (number[] or a typed array) or T rows
// of one symbol ((T, 1), hmmlearn's shape). Every element is read once.
function symbolsIn(X, method) {
  const kind = typedArrayKind(X);
  if (kind) {
    if (kind.startsWith('Big')) throw new GmmHmmError(`${method}: X is a ${kind}: give the symbols as numbers (number[], Int32Array, Float64Array...)`);
    return new Float64Array(X);  // through the engine's slots: no iterator, no getter
  }
  if (!Array.isArray(X)) {
    throw new GmmHmmError(`${method}: X must be the symbols (an array or typed array of integers, shape (T) or (T, 1)), got ${describe(X)}`);
  }
  const items = elementsOf(X, 'X');
  const rows = items.length > 0 && isRow(items[0]);
  const out = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) {
    let value = items[i];
    if (isRow(value) !== rows) {
      throw new GmmHmmError(`${method}: X[${i}] is ${describe(value)} where X[0] is ${rows ? 'a row' : 'a symbol'} (shape (T) or (T, 1), not both)`);
    }
    if (rows) {
      const rowKind = typedArrayKind(value);
      if (rowKind?.startsWith('Big')) throw new GmmHmmError(`${method}: X[${i}] is a ${rowKind}: give the symbols as numbers`);
      const row = rowKind ? Array.from(new Float64Array(value)) : elementsOf(value, `X[${i}]`);
      if (row.length !== 1) throw new GmmHmmError(`${method}: X[${i}] has ${row.length} values: a row of X holds one symbol (shape (T, 1)); several sequences: concatenate them and give lengths`);
      [value] = row;
    }
    if (typeof value !== 'number') throw new GmmHmmError(`${method}: X[${i}] must be a number (a symbol), got ${describe(value)}`);
    out[i] = value;
  }
  return out;
}

/**
 * class CategoricalHMM. options: { nStates, nFeatures (the number of symbols; default: the
 * largest symbol of the first fit + 1), nIter, tol, seed, params, initParams (letters s t e),
 * startprobPrior, transmatPrior, emissionprobPrior }. sample() returns X as an Int32Array of
 * symbols.
 */
export function createCategoricalHMM(M, { pool }) {
  return createChainModelClass(M, {
    name: 'CategoricalHMM',
    handle: M.CategoricalHmmHandle,
    framesIn: (module, X, method) => matrixIn(module, readingInputs(method, () => symbolsIn(X, method)), 1, 'X'),
    framesOut: (symbols) => symbols,
    emission: 'emissionprob',
  }, { pool });
}
