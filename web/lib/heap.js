// Moving arrays in and out of the wasm heap. Inputs are copied into malloc'd heap memory
// that the caller frees right after the call (the bindings take a pointer and a size);
// outputs arrive as a Float64Array copy that is cut into row views here.
//
// The heap's typed-array views (M.HEAPF64...) are replaced whenever the memory grows, so they
// are read afresh at every use, never kept.
//
// Inputs are read the way an attacker cannot bend: every array element and row is read
// once (a getter or Proxy trap runs once, before anything is allocated), plain arrays are
// converted to typed arrays first, and the sizes of typed arrays come from the engine's own
// getters (a subclass overriding `length` cannot make the copy overrun its allocation), read
// again right before the copy, when no user code can run any more.
import { GmmHmmError, describe, pcmHint } from './errors.js';

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const intrinsic = (key) => Object.getOwnPropertyDescriptor(TypedArrayPrototype, key).get;
const TYPED_ARRAY_NAME = intrinsic(Symbol.toStringTag);
const TYPED_ARRAY_LENGTH = intrinsic('length');
const TYPED_ARRAY_BUFFER = intrinsic('buffer');
const TYPED_ARRAY_OFFSET = intrinsic('byteOffset');

/** 'Float32Array', 'Int16Array', ... for a typed array of any realm (not spoofable), else undefined. */
export function typedArrayKind(value) {
  return ArrayBuffer.isView(value) ? TYPED_ARRAY_NAME.call(value) : undefined;
}

const isFloatArray = (value) => {
  const kind = typedArrayKind(value);
  return kind === 'Float32Array' || kind === 'Float64Array';
};

// Typed arrays of integers that are exact as doubles (not BigInt64Array / BigUint64Array).
const INTEGER_ARRAYS = new Set(['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array']);
const isIntegerArray = (value) => INTEGER_ARRAYS.has(typedArrayKind(value));

// An integer typed array's values as a Float64Array (a detached one cannot be read: said so).
function integerRow(row, label) {
  try {
    return new Float64Array(row);
  } catch (error) {
    throw new GmmHmmError(`${label} could not be read (${typedArrayKind(row)}: ${error?.message ?? error})`, 'invalid-argument', { cause: error });
  }
}

// The engine's length of a Float32Array/Float64Array; a detached one (its buffer transferred
// to a Worker, say) is an error rather than empty input.
export function floatArrayLength(view, name) {
  const length = TYPED_ARRAY_LENGTH.call(view);
  if (length === 0) {
    try {
      new Uint8Array(TYPED_ARRAY_BUFFER.call(view), 0, 0);
    } catch {
      throw new GmmHmmError(`${name} is a ${typedArrayKind(view)} whose ArrayBuffer is detached (transferred to a Worker?)`);
    }
  }
  return length;
}

// Refuses sizes the heap cannot hold before anything is read or allocated (a Proxy claiming
// a length of 10^12 would otherwise be iterated).
function requireHeapRoom(M, count, bytesPer, name) {
  const bytes = count * bytesPer;
  if (bytes > M.heapMaxBytes()) {
    throw new GmmHmmError(`${name} (${count} values, ${bytes} bytes) does not fit in the WebAssembly heap ` +
      `(limit ${M.heapMaxBytes()} bytes)`, 'out-of-memory');
  }
}

function allocate(M, bytes, name) {
  if (bytes === 0) return 0;
  const ptr = M._malloc(bytes);
  if (!ptr) {
    throw new GmmHmmError(`${name} (${bytes} bytes) does not fit in the WebAssembly heap (limit 2 GB)`, 'out-of-memory');
  }
  return ptr;
}

// The numbers of a plain array as a typed array of `Type`, each element read once and
// required to be a number (holes, strings, BigInts, objects with a valueOf are errors).
export function numbersOf(M, array, Type, name) {
  let length;
  try {
    length = array.length;
  } catch (error) {
    throw new GmmHmmError(`${name} could not be read: ${error?.message ?? error}`, 'invalid-argument', { cause: error });
  }
  if (!Number.isSafeInteger(length) || length < 0) throw new GmmHmmError(`${name} has an invalid length ${describe(length)}`);
  requireHeapRoom(M, length, Type.BYTES_PER_ELEMENT, name);
  const out = new Type(length);
  for (let i = 0; i < length; i++) {
    let value;
    try {
      value = array[i];
    } catch (error) {
      throw new GmmHmmError(`${name}[${i}] could not be read: ${error?.message ?? error}`, 'invalid-argument', { cause: error });
    }
    if (typeof value !== 'number') throw new GmmHmmError(`${name}[${i}] must be a number, got ${describe(value)}`);
    out[i] = value;
  }
  return out;
}

// Copies typed arrays one after the other into the heap at ptr (element size of `heap`),
// checking right before each copy that it still holds `length` values. Frees ptr on failure.
function copyInto(M, ptr, heapName, pieces, name) {
  try {
    let at = ptr / M[heapName].BYTES_PER_ELEMENT;
    for (const { view, length, label } of pieces) {
      if (TYPED_ARRAY_LENGTH.call(view) !== length) {
        throw new GmmHmmError(`${label} changed size while it was read (from ${length} to ${TYPED_ARRAY_LENGTH.call(view)} values)`);
      }
      M[heapName].set(view, at);
      at += length;
    }
  } catch (error) {
    if (ptr) M._free(ptr);
    if (error instanceof GmmHmmError) throw error;
    throw new GmmHmmError(`${name} could not be copied: ${error?.message ?? error}`, 'invalid-argument', { cause: error });
  }
}

// Rows as matrixOut() returns them (Float64Array views, one after the other in one buffer)
// are copied with one set() instead of one per row: the common mfcc -> addDeltas -> cmvn
// pipeline passes such matrices, and per-row copies cost as much as addDeltas itself.
function contiguousBlock(rowList, rows, cols) {
  if (rows === 0 || typedArrayKind(rowList[0]) !== 'Float64Array') return null;
  const buffer = TYPED_ARRAY_BUFFER.call(rowList[0]);
  const byteOffset = TYPED_ARRAY_OFFSET.call(rowList[0]);
  for (let r = 1; r < rows; r++) {
    const row = rowList[r];
    if (typedArrayKind(row) !== 'Float64Array' || TYPED_ARRAY_BUFFER.call(row) !== buffer ||
        TYPED_ARRAY_OFFSET.call(row) !== byteOffset + r * cols * 8) return null;
  }
  return new Float64Array(buffer, byteOffset, rows * cols);
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
  let pieces;
  if (isFloatArray(X)) {
    if (nFeatures === undefined) {
      throw new GmmHmmError(`${name} is a flat ${typedArrayKind(X)}: give nFeatures (the row width) too`);
    }
    const length = floatArrayLength(X, name);
    if (length % nFeatures !== 0) {
      throw new GmmHmmError(`${name} has ${length} values, not a whole number of rows of nFeatures = ${nFeatures}`);
    }
    rows = length / nFeatures;
    cols = nFeatures;
    pieces = [{ view: X, length, label: name }];
  } else if (Array.isArray(X)) {
    const rowList = numbersOrRows(X, name);
    rows = rowList.length;
    cols = rows > 0 && (Array.isArray(rowList[0]) || isFloatArray(rowList[0]) || isIntegerArray(rowList[0]))
      ? rowLength(rowList[0], name) : (nFeatures ?? 0);
    requireHeapRoom(M, rows * cols, 8, name);
    pieces = new Array(rows);
    for (let r = 0; r < rows; r++) {
      const row = rowList[r];
      const label = `${name}[${r}]`;
      let view;
      if (isFloatArray(row)) view = row;
      else if (Array.isArray(row)) view = numbersOf(M, row, Float64Array, label);
      else if (isIntegerArray(row)) view = integerRow(row, label);  // Int32Array rows of counts, say: exact as doubles
      else throw new GmmHmmError(`${label} must be an array of numbers or a typed array of numbers, got ${describe(row)}`);
      const length = isFloatArray(view) && view !== row ? view.length : floatArrayLength(view, label);
      if (length !== cols) throw new GmmHmmError(`${label} has ${length} values, expected ${cols} like ${name}[0]`);
      pieces[r] = { view, length, label };
    }
    if (nFeatures !== undefined && rows > 0 && cols !== nFeatures) {
      throw new GmmHmmError(`${name} has rows of ${cols} values but nFeatures is ${nFeatures}`);
    }
    if (rows > 0 && cols === 0) throw new GmmHmmError(`${name} has rows with no values`);
    const block = contiguousBlock(rowList, rows, cols);
    if (block) pieces = [{ view: block, length: rows * cols, label: name }];
  } else {
    throw new GmmHmmError(`${name} must be an array of rows (number[][] or typed-array rows) ` +
      `or a flat Float32Array/Float64Array with nFeatures, got ${describe(X)}`);
  }
  requireHeapRoom(M, rows * cols, 8, name);
  const ptr = allocate(M, rows * cols * 8, name);
  if (ptr) copyInto(M, ptr, 'HEAPF64', pieces, name);
  return { ptr, rows, cols, free: () => { if (ptr) M._free(ptr); } };
}

/**
 * The numbers of a plain array (or a typed array's values) as a Float64Array, every element
 * read once and required to be a number: for small inputs such as `lengths`.
 */
export function numbersIn(M, values, name) {
  const kind = typedArrayKind(values);
  if (kind && !kind.startsWith('Big')) return new Float64Array(values);  // copies through internal slots
  if (Array.isArray(values)) return numbersOf(M, values, Float64Array, name);
  throw new GmmHmmError(`${name} must be an array of numbers, got ${describe(values)}`);
}

/** The elements of an array, each read once (it may be a Proxy or have getters). */
export function elementsOf(X, name) {
  return numbersOrRows(X, name);
}

// The rows of X, each read once (X may be a Proxy or have getters).
function numbersOrRows(X, name) {
  try {
    const length = X.length;
    if (!Number.isSafeInteger(length) || length < 0) throw new GmmHmmError(`${name} has an invalid length ${describe(length)}`);
    if (length > 2 ** 28) throw new GmmHmmError(`${name} has ${length} rows: more than the WebAssembly heap can hold`, 'out-of-memory');
    const rowList = new Array(length);
    for (let r = 0; r < length; r++) rowList[r] = X[r];
    return rowList;
  } catch (error) {
    if (error instanceof GmmHmmError) throw error;
    throw new GmmHmmError(`${name} could not be read: ${error?.message ?? error}`, 'invalid-argument', { cause: error });
  }
}

function rowLength(row, name) {
  if (isFloatArray(row)) return floatArrayLength(row, `${name}[0]`);
  try {
    return row.length;
  } catch (error) {
    throw new GmmHmmError(`${name}[0] could not be read: ${error?.message ?? error}`, 'invalid-argument', { cause: error });
  }
}

/**
 * Rows of a row-major matrix as Float64Array views over `data` (one buffer, no copy):
 * an array of `rows` rows of `cols` values.
 */
/**
 * The most rows sample() returns as row arrays in one call. Each row is a typed-array view
 * (about 100 bytes of JavaScript heap besides its values): 1e8 one-value rows, which the
 * engine's memory allowed, took 10 GB and ended Node with "heap out of memory" after 84 s.
 */
export const MAX_SAMPLED_ROWS = 10_000_000;

/**
 * Refuses, before any work, a sample() whose frames would be more row arrays than that: a
 * size the engine refuses anyway (not an integer in [1, 1e8]: bindings.cpp, sample) is
 * 'invalid-argument' naming this limit, a larger integer up to the engine's 'out-of-memory'.
 */
export function requireSampledRows(n, method) {
  if (typeof n === 'number' && !(Number.isInteger(n) && n >= 1 && n <= 1e8)) {
    throw new GmmHmmError(`${method}: n must be an integer in [1, ${MAX_SAMPLED_ROWS.toLocaleString('en-US')}], got ${n}`);
  }
  if (Number.isInteger(n) && n > MAX_SAMPLED_ROWS && n <= 1e8) {
    throw new GmmHmmError(`${method}: ${n} frames would be ${n} row arrays in JavaScript (about ${Math.ceil(n * 104 / 2 ** 30)} GiB ` +
      `of heap for the rows alone); at most ${MAX_SAMPLED_ROWS.toLocaleString('en-US')} per call: sample fewer frames per call`, 'out-of-memory');
  }
}

export function matrixOut(data, rows, cols) {
  const out = new Array(rows);
  for (let r = 0; r < rows; r++) out[r] = data.subarray(r * cols, (r + 1) * cols);
  return out;
}

/**
 * Copies audio into the heap as 32-bit floats. `samples` is a Float32Array (Web Audio scale),
 * or a Float64Array / number[] (converted). A view with an offset into a larger buffer, or
 * over a SharedArrayBuffer, is copied as it is at the call. Returns { ptr, length, free() }.
 */
export function samplesIn(M, samples, name = 'samples') {
  let view;
  if (isFloatArray(samples)) view = samples;
  else if (Array.isArray(samples)) view = numbersOf(M, samples, Float32Array, name);
  else {
    // Integer PCM has no one scale (16-bit: 32768, 8-bit WAV: unsigned around 128): the caller converts.
    throw new GmmHmmError(`${name} must be a Float32Array, Float64Array or array of numbers (audio samples in [-1, 1]), got ${describe(samples)}${pcmHint(samples)}`);
  }
  const length = view === samples ? floatArrayLength(view, name) : view.length;
  requireHeapRoom(M, length, 4, name);
  const ptr = allocate(M, length * 4, name);
  if (ptr) copyInto(M, ptr, 'HEAPF32', [{ view, length, label: name }], name);
  return { ptr, length, free: () => { if (ptr) M._free(ptr); } };
}
