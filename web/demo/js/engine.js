// The demo's only door to the package: loads gmmhmm through its public entry and offers the
// few helpers the page needs on top (matrix rows for drawing, a streaming spectrogram built
// from the public `fbank`).
import { load } from '../../index.js';

let loading = null;

/** Loads the package once; resolves to { gmmhmm, loadMs }. */
export function loadEngine() {
  loading ??= (async () => {
    const t0 = performance.now();
    const gmmhmm = await load();
    return { gmmhmm, loadMs: performance.now() - t0 };
  })();
  return loading;
}

/**
 * Rows of a feature matrix as Float32Array views, whatever shape the package returns:
 * nested arrays, a flat typed array with `cols`, or an object { data, rows, cols }.
 */
export function matrixRows(matrix, cols) {
  if (!matrix) return [];
  if (Array.isArray(matrix)) return matrix.map((row) => (row instanceof Float32Array ? row : Float32Array.from(row)));
  const data = matrix.data ?? matrix;
  const width = matrix.cols ?? matrix.nCols ?? cols;
  if (!ArrayBuffer.isView(data) || !width) throw new Error('matrixRows: unknown matrix shape');
  const rows = [];
  for (let offset = 0; offset + width <= data.length; offset += width) rows.push(data.subarray(offset, offset + width));
  return rows;
}

/** Mel-spectrogram settings for display (log mel energies, 10 ms frames). */
export function displayFbankOptions(sampleRate) {
  return { numMelBins: 40, lowFreq: 20, highFreq: Math.min(7600, sampleRate / 2 - 100) };
}

/**
 * Turns arbitrary audio blocks into log-mel frames with the package's `fbank`, exactly as if
 * the whole stream had been processed at once: keeps the samples not yet covered by a whole
 * frame and advances by whole frame shifts only.
 */
export class SpectrogramStream {
  constructor(gmmhmm, sampleRate) {
    this.gmmhmm = gmmhmm;
    this.sampleRate = sampleRate;
    this.options = displayFbankOptions(sampleRate);
    this.frameLength = Math.round(sampleRate * 0.025);
    this.frameShift = Math.round(sampleRate * 0.010);
    this.pending = new Float32Array(0);
  }

  /** Returns the new frames (Float32Array of numMelBins each) that `block` completes. */
  push(block) {
    const joined = new Float32Array(this.pending.length + block.length);
    joined.set(this.pending);
    joined.set(block, this.pending.length);
    if (joined.length < this.frameLength) {
      this.pending = joined;
      return [];
    }
    const count = 1 + Math.floor((joined.length - this.frameLength) / this.frameShift);
    const used = (count - 1) * this.frameShift + this.frameLength;
    const frames = matrixRows(this.gmmhmm.fbank(joined.subarray(0, used), this.sampleRate, this.options), this.options.numMelBins);
    this.pending = joined.slice(count * this.frameShift);
    return frames;
  }
}

/** Log-mel frames of a whole utterance, for drawing under the state alignment. */
export function utteranceSpectrogram(gmmhmm, samples, sampleRate) {
  const options = displayFbankOptions(sampleRate);
  return matrixRows(gmmhmm.fbank(samples, sampleRate, options), options.numMelBins);
}
