// Audio files dropped on the page or bundled with it -> { samples: Float32Array, sampleRate }.
// Decoding is the browser's (decodeAudioData handles WAV and compressed formats). For WAV
// the header's rate is read first so that the file is decoded at its own rate, unresampled.

/** The sample rate stored in a RIFF/WAVE header, or 0 if the bytes are not a WAV file. */
export function wavSampleRate(bytes) {
  const view = new DataView(bytes);
  if (bytes.byteLength < 28) return 0;
  const tag = (offset) => String.fromCharCode(...new Uint8Array(bytes, offset, 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return 0;
  // Walk the chunks to 'fmt ' (it is normally first, but need not be).
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const size = view.getUint32(offset + 4, true);
    if (tag(offset) === 'fmt ' && offset + 16 <= bytes.byteLength) return view.getUint32(offset + 12, true);
    offset += 8 + size + (size % 2);
  }
  return 0;
}

/** Decodes an ArrayBuffer of audio; mixes channels to mono. Throws an Error with a reason. */
export async function decodeAudio(bytes, name = 'the file') {
  const rate = wavSampleRate(bytes);
  const Offline = globalThis.OfflineAudioContext ?? globalThis.webkitOfflineAudioContext;
  if (!Offline) throw new Error('this browser cannot decode audio files');
  // An OfflineAudioContext at the file's own rate decodes without resampling; other
  // formats are decoded at 48 kHz (the features are sample-rate independent).
  const context = new Offline(1, 1, rate >= 3000 && rate <= 384000 ? rate : 48000);
  let buffer;
  try {
    buffer = await context.decodeAudioData(bytes.slice(0));
  } catch (error) {
    throw new Error(`${name} could not be decoded as audio (${error?.message || 'unknown format'})`);
  }
  if (buffer.length === 0) throw new Error(`${name} contains no audio`);
  const samples = new Float32Array(buffer.length);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const channel = buffer.getChannelData(c);
    for (let i = 0; i < samples.length; i++) samples[i] += channel[i] / buffer.numberOfChannels;
  }
  return { samples, sampleRate: buffer.sampleRate };
}

export async function fetchAudio(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return decodeAudio(await response.arrayBuffer(), url.split('/').pop());
}
