// The demo's export file: vocabulary + recordings (16-bit PCM, base64) + the trained model,
// in one JSON document. Import validates everything before touching the page's state.
import { checkLabel } from './engine.js';
export const BUNDLE_FORMAT = 'gmmhmm-demo-bundle';
export const BUNDLE_VERSION = 1;
const MAX_SAMPLE_RATE = 384000;

/** Float32 samples in [-1, 1] -> base64 of little-endian 16-bit PCM. */
export function encodePcm16(samples) {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    view.setInt16(2 * i, Math.round(s * 32767), true);
  }
  let binary = '';
  const CHUNK = 0x8000; // String.fromCharCode takes a bounded number of arguments
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Inverse of encodePcm16. */
export function decodePcm16(base64) {
  const binary = atob(base64);
  if (binary.length % 2 !== 0) throw new Error('recording data has an odd number of bytes');
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const samples = new Float32Array(binary.length / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(2 * i, true) / 32768;
  return samples;
}

export function makeBundle({ vocabulary, recordings, model }) {
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdAt: new Date().toISOString(),
    vocabulary: [...vocabulary],
    recordings: recordings.map((r) => ({
      label: r.label,
      sampleRate: r.sampleRate,
      source: r.source ?? 'microphone',
      pcm16: encodePcm16(r.samples),
    })),
    model: model ?? null,
  };
}

/**
 * Reads an imported document. Returns { vocabulary, recordings, model } for a demo bundle,
 * or { vocabulary: null, recordings: null, model } when the file is a bare model JSON (the
 * Recognizer validates the model itself). Throws an Error naming the problem otherwise.
 */
export function parseImport(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`the file is not JSON (${error.message})`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('the file is not a JSON object');
  if (doc.format !== BUNDLE_FORMAT) return { vocabulary: null, recordings: null, model: doc };
  if (doc.version !== BUNDLE_VERSION) throw new Error(`unsupported bundle version ${JSON.stringify(doc.version)} (expected ${BUNDLE_VERSION})`);
  // Words follow the package's label rule, as typed words do: a word the recogniser would
  // refuse must not get into the page (every later training would fail on it).
  if (!Array.isArray(doc.vocabulary)) throw new Error('"vocabulary" must be a list of words');
  doc.vocabulary.forEach((word, i) => checkLabel(word, `vocabulary[${i}]`));
  if (!Array.isArray(doc.recordings)) throw new Error('"recordings" must be a list');
  const recordings = doc.recordings.map((r, i) => {
    if (!r || typeof r !== 'object') throw new Error(`recordings[${i}] must be an object`);
    checkLabel(r.label, `recordings[${i}].label`);
    if (!Number.isFinite(r.sampleRate) || r.sampleRate < 1000 || r.sampleRate > MAX_SAMPLE_RATE) {
      throw new Error(`recordings[${i}].sampleRate must be a number between 1000 and ${MAX_SAMPLE_RATE}`);
    }
    if (typeof r.pcm16 !== 'string') throw new Error(`recordings[${i}].pcm16 must be base64 text`);
    let samples;
    try {
      samples = decodePcm16(r.pcm16);
    } catch (error) {
      throw new Error(`recordings[${i}].pcm16 is not valid 16-bit PCM (${error.message})`);
    }
    return { label: r.label, sampleRate: r.sampleRate, source: typeof r.source === 'string' ? r.source : 'import', samples };
  });
  const vocabulary = [...new Set([...doc.vocabulary, ...recordings.map((r) => r.label)])];
  return { vocabulary, recordings, model: doc.model ?? null };
}

/** Offers `text` as a download named `filename`. */
export function download(filename, text, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
