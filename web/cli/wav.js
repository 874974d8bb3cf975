// Reading WAV files for the CLI through the `wavefile` package: any PCM / IEEE-float WAV,
// channels averaged to mono, samples in [-1, 1].
import { readFile } from 'node:fs/promises';
import wavefile from 'wavefile';

const { WaveFile } = wavefile;

/** Resolves to { samples: Float32Array, sampleRate }. Throws an Error naming the file. */
export async function readWav(path) {
  let bytes;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
  let wav;
  try {
    wav = new WaveFile(bytes);
    // Integer PCM -> 32-bit float in [-1, 1] (wavefile scales by the bit depth).
    if (wav.fmt.audioFormat !== 3 || wav.fmt.bitsPerSample !== 32) wav.toBitDepth('32f');
  } catch (error) {
    throw new Error(`${path} is not a readable WAV file (${error.message})`);
  }
  const sampleRate = wav.fmt.sampleRate;
  const channels = wav.fmt.numChannels;
  let data = wav.getSamples(false, Float32Array);
  if (channels === 1 && !Array.isArray(data)) data = [data];
  const length = data[0]?.length ?? 0;
  const samples = new Float32Array(length);
  for (const channel of data) for (let i = 0; i < length; i++) samples[i] += channel[i] / channels;
  if (!(sampleRate > 0)) throw new Error(`${path}: the WAV header gives no sample rate`);
  return { samples, sampleRate };
}
