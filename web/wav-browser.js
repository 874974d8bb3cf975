// gmmhmm/wav outside Node (a browser bundle): the reader works on files and Node's Buffer, so
// each function says where to turn instead of failing at build time with "not exported".
import { GmmHmmError } from './lib/errors.js';

const elsewhere = (name) =>
  new GmmHmmError(`${name}: gmmhmm/wav reads WAV files in Node; in a browser, decode audio with ` +
    'AudioContext.decodeAudioData() (then getChannelData(0) is the samples, sampleRate the rate)');

export async function readWav() {
  throw elsewhere('readWav');
}

export function decodeWav() {
  throw elsewhere('decodeWav');
}
