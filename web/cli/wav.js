// WAV files for the CLI, with no dependency: RIFF, RF64 and BW64 files holding integer PCM
// (8-bit unsigned, 16, 24, 32-bit, or any width in such a container), IEEE float (32, 64-bit),
// A-law or μ-law (G.711), plain or WAVE_FORMAT_EXTENSIBLE. Samples come out in [-1, 1]
// (integers divided by 2^(bits-1)); several channels are averaged to one.
//
// Real files bend the rules, and these are read as their writers meant them: chunks in any
// order, a RIFF size that is 0, too large or too small, the pad byte after an odd-length chunk
// missing, a data chunk longer than the file (cut off, or written to a pipe: sox and ffmpeg
// leave a placeholder size) or of size 0 followed by the samples of a writer that never came
// back to fill it in. Those two are read with a warning. Anything else that does not fit is an
// Error naming the file and what is wrong.
import { constants } from 'node:buffer';

import { ALAW, MULAW } from './g711.js';
import { readRegularFile } from './files.js';
import { printable } from './text.js';

const FORMATS = new Map([[1, 'pcm'], [3, 'float'], [6, 'alaw'], [7, 'mulaw']]);
const KNOWN_UNSUPPORTED = new Map([
  [2, 'Microsoft ADPCM'], [0x11, 'IMA ADPCM'], [0x31, 'GSM 6.10'], [0x50, 'MPEG'], [0x55, 'MP3'],
  [0xff, 'AAC'], [0x161, 'WMA'], [0x1610, 'AAC'], [0xf1ac, 'FLAC']]);
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
// KSDATAFORMAT_SUBTYPE_xxx GUIDs end with these 12 bytes; the first 4 hold the format code.
const GUID_TAIL = Buffer.from('000010008000' + '00aa00389b71', 'hex');
const { MAX_LENGTH } = constants;
const UNKNOWN_SIZE = 0xffffffff; // RF64: the real size is in the ds64 chunk

const isChunkId = (bytes, at) => {
  if (at + 8 > bytes.length) return false;
  for (let i = at; i < at + 4; i++) if (bytes[i] < 0x20 || bytes[i] > 0x7e) return false;
  return true;
};

class WavError extends Error {}

/** The chunks of a RIFF/RF64 file: Map id -> { offset, size } (the first of each id) and warnings. */
function chunksOf(bytes, warnings, fileLength = bytes.length) {
  if (bytes.length < 12) throw new WavError(bytes.length === 0 ? 'the file is empty' : `the file is only ${bytes.length} bytes long`);
  const magic = bytes.toString('latin1', 0, 4);
  if (magic === 'RIFX' || magic === 'FFIR') throw new WavError('big-endian WAV (RIFX) is not supported');
  if (!['RIFF', 'RF64', 'BW64'].includes(magic) || bytes.toString('latin1', 8, 12) !== 'WAVE') {
    throw new WavError('it does not start with a RIFF/RF64 WAVE header');
  }
  const chunks = new Map();
  let ds64 = null;
  let at = 12;
  while (at + 8 <= bytes.length) {
    if (!isChunkId(bytes, at)) {
      if (chunks.has('fmt ') && chunks.has('data')) break; // trailing bytes after the audio: not ours
      throw new WavError(`there is no chunk at byte ${at} (found bytes ${bytes.subarray(at, at + 4).toString('hex')})`);
    }
    const id = bytes.toString('latin1', at, at + 4);
    let size = bytes.readUInt32LE(at + 4);
    if (size === UNKNOWN_SIZE && ds64) size = id === 'data' ? ds64.data : (ds64.table.get(id) ?? size);
    const start = at + 8;
    const available = fileLength - start;
    const declared = size;
    if (id === 'ds64') ds64 = readDs64(bytes, start, Math.min(size, available));
    if (id === 'data' && size === 0 && available > 0 && !isChunkId(bytes, start)) {
      warnings.push(`its data chunk says 0 bytes but ${available} follow (a writer that never filled in the size): reading them`);
      size = available;
    } else if (size > available) {
      if (id !== 'data') {
        if (chunks.has('fmt ') && chunks.has('data')) break;
        throw new WavError(`its '${id}' chunk at byte ${at} says ${size} bytes but the file ends ${available} bytes later`);
      }
      if (size !== UNKNOWN_SIZE && size !== 0x7ffff000) { // sox's and ffmpeg's placeholders for a pipe
        warnings.push(`its data chunk says ${size} bytes but the file ends after ${available} (cut off?): reading those`);
      }
      size = available;
    }
    if (!chunks.has(id)) chunks.set(id, { offset: start, size, declared });
    at = start + size + (size & 1); // chunks are padded to an even length...
    if ((size & 1) && !isChunkId(bytes, at) && isChunkId(bytes, at - 1)) at -= 1; // ...unless the writer forgot
  }
  if (!chunks.has('fmt ')) throw new WavError("it has no 'fmt ' chunk (the description of the samples)");
  if (!chunks.has('data')) throw new WavError('it has no data chunk (no samples)');
  return chunks;
}

function readDs64(bytes, start, size) {
  if (size < 28) throw new WavError(`its ds64 chunk is ${size} bytes long, less than 28`);
  const big = (at) => Number(bytes.readBigUInt64LE(at));
  const table = new Map();
  const entries = bytes.readUInt32LE(start + 24);
  for (let i = 0, at = start + 28; i < entries && at + 12 <= start + size; i++, at += 12) {
    table.set(bytes.toString('latin1', at, at + 4), big(at + 4));
  }
  return { data: big(start + 8), table };
}

/** { encoding: 'pcm'|'float'|'alaw'|'mulaw', channels, sampleRate, bytesPerSample, bits } from the fmt chunk. */
function formatOf(bytes, { offset, size }) {
  if (size < 16) throw new WavError(`its fmt chunk is ${size} bytes long, less than 16`);
  let code = bytes.readUInt16LE(offset);
  const channels = bytes.readUInt16LE(offset + 2);
  const sampleRate = bytes.readUInt32LE(offset + 4);
  const blockAlign = bytes.readUInt16LE(offset + 12);
  const bits = bytes.readUInt16LE(offset + 14);
  if (code === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) throw new WavError(`its fmt chunk is WAVE_FORMAT_EXTENSIBLE but only ${size} bytes long (40 needed)`);
    const guid = bytes.subarray(offset + 24, offset + 40);
    if (!guid.subarray(4).equals(GUID_TAIL) || guid.readUInt32LE(0) > 0xffff) {
      throw new WavError(`its sub-format ${guidText(guid)} is not PCM, float, A-law or μ-law`);
    }
    code = guid.readUInt32LE(0);
  }
  const encoding = FORMATS.get(code);
  if (!encoding) {
    const name = KNOWN_UNSUPPORTED.get(code);
    throw new WavError(`its samples are ${name ? `${name}-compressed` : `in format 0x${code.toString(16).padStart(4, '0')}`}, ` +
      'which is not supported (PCM, float, A-law and μ-law are: e.g. sox in.wav -e signed-integer out.wav)');
  }
  if (channels === 0) throw new WavError('its header gives 0 channels');
  if (sampleRate === 0) throw new WavError('its header gives a sample rate of 0 Hz');
  if (bits === 0) throw new WavError('its header gives 0 bits per sample');
  // The container of one sample: blockAlign / channels, or the bits rounded up to bytes when
  // blockAlign is missing. Narrower samples sit in its high bits (12-bit in 16, 20-bit in 24).
  const natural = Math.ceil(bits / 8);
  const bytesPerSample = blockAlign === 0 ? natural : blockAlign / channels;
  const allowed = { pcm: [1, 2, 3, 4], float: [4, 8], alaw: [1], mulaw: [1] }[encoding];
  if (!Number.isInteger(bytesPerSample) || !allowed.includes(bytesPerSample) || bits > 8 * bytesPerSample ||
      (encoding !== 'pcm' && bits !== 8 * bytesPerSample)) {
    throw new WavError(`its header describes ${bits}-bit ${encoding} samples in blocks of ${blockAlign} bytes for ` +
      `${channels} channel(s), which is not a layout it can have`);
  }
  return { encoding, channels, sampleRate, bytesPerSample, bits };
}

const guidText = (g) => [g.subarray(0, 4).reverse(), g.subarray(4, 6).reverse(), g.subarray(6, 8).reverse(), g.subarray(8, 10),
  g.subarray(10)].map((part) => Buffer.from(part).toString('hex')).join('-');

/** A function (byte offset) -> sample value in [-1, 1] for the format. */
function sampleReader(bytes, { encoding, bytesPerSample }) {
  // A DataView, not Buffer's read methods: those check their arguments on every call (10x slower).
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (encoding === 'alaw') return (at) => ALAW[bytes[at]];
  if (encoding === 'mulaw') return (at) => MULAW[bytes[at]];
  if (encoding === 'float') return bytesPerSample === 4 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  switch (bytesPerSample) {
    case 1: return (at) => (bytes[at] - 128) / 128; // 8-bit WAV samples are unsigned
    case 2: return (at) => view.getInt16(at, true) / 32768;
    case 3: return (at) => ((view.getInt8(at + 2) << 16) | view.getUint16(at, true)) / 8388608;
    default: return (at) => view.getInt32(at, true) / 2147483648;
  }
}

/**
 * Frames of `channels` samples from byte `offset` on, averaged (`first`: the first one's index
 * in the file), into `samples` (a new array by default).
 */
function mono(read, offset, frames, channels, step, first = 0, samples = new Float32Array(frames)) {
  for (let f = 0, at = offset; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, at += step) sum += read(at);
    if (!Number.isFinite(sum)) throw new WavError(`sample ${first + f} is ${Number.isNaN(sum) ? 'NaN' : 'infinite'}`);
    samples[f] = sum / channels;
  }
  return samples;
}

// Why a data chunk holds no whole sample frame (one sample of every channel).
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
function noSamples({ size, declared }, frameBytes, channels) {
  if (declared > size && declared !== UNKNOWN_SIZE && declared !== 0x7ffff000) {
    return `it has no samples: its data chunk says ${plural(declared, 'byte')} but the file ends after ${size} (cut off?)`;
  }
  if (size === 0) return 'it has no samples (its data chunk is empty)';
  return `it has no samples: its data chunk (${plural(size, 'byte')}) is shorter than one sample of each of its ${plural(channels, 'channel')} (${plural(frameBytes, 'byte')})`;
}

/**
 * Decodes the bytes of a WAV file. `name` (the path) is used in errors and warnings.
 * Returns { samples: Float32Array (mono), sampleRate, channels, encoding, bits, warnings: [string] }.
 */
export function decodeWav(bytes, name) {
  const warnings = [];
  try {
    const chunks = chunksOf(bytes, warnings);
    const format = formatOf(bytes, chunks.get('fmt '));
    const { offset, size } = chunks.get('data');
    const frameBytes = format.bytesPerSample * format.channels;
    const frames = Math.floor(size / frameBytes);
    if (frames === 0) throw new WavError(noSamples(chunks.get('data'), frameBytes, format.channels));
    if (size % frameBytes !== 0) warnings.push(`its data ends with ${size % frameBytes} bytes of an incomplete sample: ignored`);
    const samples = mono(sampleReader(bytes, format), offset, frames, format.channels, format.bytesPerSample);
    return { samples, sampleRate: format.sampleRate, channels: format.channels, encoding: format.encoding, bits: format.bits,
      warnings: warnings.map((w) => `${printable(name)}: ${w}`) };
  } catch (error) {
    if (error instanceof WavError) throw new Error(`${printable(name)} is not a readable WAV file: ${error.message}`);
    throw error;
  }
}

/**
 * For reading a long file in blocks: its layout from its first bytes `head` (the file being
 * `fileLength` bytes long): { format, offset (of the samples), frames, frameBytes, warnings },
 * or null when `head` is too short to tell (read more of the file). The rules are decodeWav's;
 * only the description of the samples must come before them.
 */
export function wavLayout(head, fileLength, name) {
  const warnings = [];
  try {
    const chunks = chunksOf(head, warnings, fileLength);
    const format = formatOf(head, chunks.get('fmt '));
    const { offset, size } = chunks.get('data');
    const frameBytes = format.bytesPerSample * format.channels;
    const frames = Math.floor(size / frameBytes);
    if (frames === 0) throw new WavError(noSamples(chunks.get('data'), frameBytes, format.channels));
    if (size % frameBytes !== 0) warnings.push(`its data ends with ${size % frameBytes} bytes of an incomplete sample: ignored`);
    return { format, offset, frames, frameBytes, warnings: warnings.map((w) => `${printable(name)}: ${w}`) };
  } catch (error) {
    if (!(error instanceof WavError)) throw error;
    if (head.length < fileLength) return null;
    throw new Error(`${printable(name)} is not a readable WAV file: ${error.message}`);
  }
}

/**
 * Mono samples of the whole frames in `bytes` (read from the file at frame `first`), for
 * wavLayout's format, written into `out` (a Float32Array at least that long); returns the
 * part of `out` written.
 */
export function decodeFrames(bytes, layout, first, name, out) {
  const { format, frameBytes } = layout;
  const frames = Math.floor(bytes.length / frameBytes);
  try {
    return mono(sampleReader(bytes, format), 0, frames, format.channels, format.bytesPerSample, first, out.subarray(0, frames));
  } catch (error) {
    if (error instanceof WavError) throw new Error(`${printable(name)} is not a readable WAV file: ${error.message}`);
    throw error;
  }
}

/** Reads and decodes the WAV file at `path` (see decodeWav); larger than maxBytes is an error. */
export async function readWav(path, { maxBytes = MAX_LENGTH, limitName } = {}) {
  const bytes = await readRegularFile(path, { what: 'WAV file', maxBytes, limitName });
  return decodeWav(bytes, path);
}
