// Moving arrays in and out of the wasm heap. Inputs are copied into malloc'd heap memory
// that the caller frees right after the call (the bindings take a pointer and a size);
// outputs arrive as a Float64Array copy that is cut into row views here.
//
// The heap's typed-array views (M.HEAPF64...) are replaced whenever the memory grows, so they
// are read afresh at every use, never kept.
import { GmmHmmError, describe } from './errors.js';

function allocate(M, bytes, name) {
  if (bytes === 0) return 0;
  const ptr = M._malloc(bytes);
  if (!ptr) {
    throw new GmmHmmError(`${name} (${bytes} bytes) does not fit in the WebAssembly heap (limit 2 GB)`, 'out-of-memory');
  }
  return ptr;
}

function isRow(row) {
  return Array.isArray(row) || row instanceof Float64Array || row instanceof Float32Array;
}

// Rows as matrixOut() returns them (Float64Array views, one after the other in one buffer)
// are copied with one set() instead of one per row: the common mfcc -> addDeltas -> cmvn
// pipeline passes such matrices, and per-row copies cost as much as addDeltas itself.
function contiguousBlock(X, rows, cols) {
  if (rows === 0 || !(X[0] instanceof Float64Array)) return null;
  const { buffer, byteOffset } = X[0];
  for (let r = 1; r < rows; r++) {
    const row = X[r];
    if (!(row instanceof Float64Array) || row.buffer !== buffer || row.byteOffset !== byteOffset + r * cols * 8) return null;
  }
  return new Float64Array(buffer, byteOffset, rows * cols);
}

function checkPlainNumbers(row, name) {
  for (let c = 0; c < row.length; c++) {
    if (typeof row[c] !== 'number') throw new GmmHmmError(`${name}[${c}] must be a number, got ${describe(row[c])}`);
  }
}

/**
 * Copies a matrix into the heap as row-major doubles. `X` is number[][], an array of
 * Float32Array/Float64Array rows, or a flat row-major Float32Array/Float64Array whose row
 * width is `nFeatures`. Returns { ptr, rows, cols, free() }; call free() when done (ptr is 0
 * for an empty matrix). `name` names X in error messages.
 */
export function matrixIn(M, X, nFeatures = undefined, name = 'X') {
  if (nFeatures !== undefined && !(Number.isInteger(nFeatures) && nFeatures > 0)) {
    throw new GmmHmmError(`nFeatures must be a positive integer, got ${describe(nFeatures)}`);
  }
  let rows;
  let cols;
  let copy;
  if (X instanceof Float64Array || X instanceof Float32Array) {
    if (nFeatures === undefined) {
      throw new GmmHmmError(`${name} is a flat ${X.constructor.name}: give nFeatures (the row width) too`);
    }
    if (X.length % nFeatures !== 0) {
      throw new GmmHmmError(`${name} has ${X.length} values, not a whole number of rows of nFeatures = ${nFeatures}`);
    }
    rows = X.length / nFeatures;
    cols = nFeatures;
    copy = (heap, offset) => heap.set(X, offset);
  } else if (Array.isArray(X)) {
    rows = X.length;
    cols = rows > 0 && isRow(X[0]) ? X[0].length : (nFeatures ?? 0);
    for (let r = 0; r < rows; r++) {
      const row = X[r];
      if (!isRow(row)) {
        throw new GmmHmmError(`${name}[${r}] must be an array of numbers or a Float32Array/Float64Array, got ${describe(row)}`);
      }
      if (row.length !== cols) {
        throw new GmmHmmError(`${name}[${r}] has ${row.length} values, expected ${cols} like ${name}[0]`);
      }
      if (Array.isArray(row)) checkPlainNumbers(row, `${name}[${r}]`);
    }
    if (nFeatures !== undefined && rows > 0 && cols !== nFeatures) {
      throw new GmmHmmError(`${name} has rows of ${cols} values but nFeatures is ${nFeatures}`);
    }
    if (rows > 0 && cols === 0) throw new GmmHmmError(`${name} has rows with no values`);
    const block = contiguousBlock(X, rows, cols);
    copy = block
      ? (heap, offset) => heap.set(block, offset)
      : (heap, offset) => {
        for (let r = 0; r < rows; r++) heap.set(X[r], offset + r * cols);
      };
  } else {
    throw new GmmHmmError(`${name} must be an array of rows (number[][] or Float32Array/Float64Array rows) ` +
      `or a flat Float32Array/Float64Array with nFeatures, got ${describe(X)}`);
  }
  const ptr = allocate(M, rows * cols * 8, name);
  if (ptr) copy(M.HEAPF64, ptr / 8);
  return { ptr, rows, cols, free: () => { if (ptr) M._free(ptr); } };
}

/**
 * Rows of a row-major matrix as Float64Array views over `data` (one buffer, no copy):
 * an array of `rows` rows of `cols` values.
 */
export function matrixOut(data, rows, cols) {
  const out = new Array(rows);
  for (let r = 0; r < rows; r++) out[r] = data.subarray(r * cols, (r + 1) * cols);
  return out;
}

/**
 * Copies audio into the heap as 32-bit floats. `samples` is a Float32Array (Web Audio scale),
 * or a Float64Array / number[] (converted). Returns { ptr, length, free() }.
 */
export function samplesIn(M, samples, name = 'samples') {
  if (!(samples instanceof Float32Array || samples instanceof Float64Array || Array.isArray(samples))) {
    throw new GmmHmmError(`${name} must be a Float32Array of audio samples in [-1, 1], got ${describe(samples)}`);
  }
  if (Array.isArray(samples)) checkPlainNumbers(samples, name);
  const ptr = allocate(M, samples.length * 4, name);
  if (ptr) M.HEAPF32.set(samples, ptr / 4);
  return { ptr, length: samples.length, free: () => { if (ptr) M._free(ptr); } };
}
