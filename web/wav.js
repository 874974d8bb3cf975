// gmmhmm/wav (Node): audio from WAV files, read by the CLI's own reader (web/cli/wav.js: RIFF,
// RF64, integer PCM of any width, float, A-law/μ-law, several channels averaged to one), so
// that a script feeds addExample(), classify() and a listener the samples the CLI would.
import { decodeWav as decode, readWav as read } from './cli/wav.js';
import { GmmHmmError } from './lib/errors.js';

// The reader's errors name the file and what is wrong; as GmmHmmErrors, like the package's.
const asGmmHmmError = (error) =>
  error instanceof Error && !(error instanceof GmmHmmError) ? new GmmHmmError(error.message, 'invalid-argument', { cause: error }) : error;

function checkName(name, method) {
  if (typeof name !== 'string') throw new GmmHmmError(`${method}: the file name must be a string, got ${typeof name}`);
}

/** Reads the WAV file at `path`: { samples (mono, in [-1, 1]), sampleRate, channels, encoding, bits, warnings }. */
export async function readWav(path) {
  checkName(path, 'readWav');
  try {
    return await read(path);
  } catch (error) {
    throw asGmmHmmError(error);
  }
}

/** The same from the bytes of a WAV file (a Uint8Array or Buffer); `name` is used in messages. */
export function decodeWav(bytes, name = 'the WAV data') {
  checkName(name, 'decodeWav');
  if (!(bytes instanceof Uint8Array)) {
    throw new GmmHmmError(`decodeWav: bytes must be a Uint8Array or Buffer, got ${bytes === null ? 'null' : typeof bytes}`);
  }
  try {
    return decode(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name);
  } catch (error) {
    throw asGmmHmmError(error);
  }
}
