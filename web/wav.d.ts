/** A WAV file's audio, mixed down to one channel. */
export interface WavAudio {
  /** Mono samples in [-1, 1] (integer PCM divided by half its container's range: 2^15 for 16-bit samples). */
  samples: Float32Array;
  sampleRate: number;
  channels: number;
  encoding: 'pcm' | 'float' | 'alaw' | 'mulaw';
  bits: number;
  /** What was read as its writer meant it (a size field left at 0, a file cut off), one line each. */
  warnings: string[];
}

/**
 * Node: reads the WAV file at `path` with the CLI's reader (RIFF/RF64, integer PCM, float,
 * A-law/μ-law). Rejects with a GmmHmmError naming the file and what is wrong. (In a browser
 * bundle both functions throw a GmmHmmError pointing to AudioContext.decodeAudioData().)
 */
export function readWav(path: string): Promise<WavAudio>;

/** Node: the same from the file's bytes; `name` (default 'the WAV data') is used in messages. */
export function decodeWav(bytes: Uint8Array, name?: string): WavAudio;
