// A WAV file read in blocks (for `gmmhmm listen` on recordings of any length): the header
// from the first bytes (wavLayout, the same rules as readWav), then the samples a block at a
// time into one reused buffer, so memory stays the same whatever the file's length.
import { openRegularFile, readAt } from './files.js';
import { printable } from './text.js';
import { decodeFrames, wavLayout } from './wav.js';

const FIRST_HEAD = 64 * 1024;
// Chunks before the samples (metadata, pictures) larger than this are not looked through.
const MAX_HEAD = 64 * 1024 * 1024;

/**
 * Opens the WAV file at `path`. Resolves to { sampleRate, channels, frames, warnings,
 * blocks(): async iterator of Float32Array (mono, at most blockFrames each; one buffer
 * reused, so a block is valid only until the next), close() }.
 */
export async function openWavStream(path, { blockFrames = 16384 } = {}) {
  const { handle, size } = await openRegularFile(path, 'WAV file');
  try {
    let layout = null;
    for (let length = Math.min(size, FIRST_HEAD); layout === null; length = Math.min(size, length * 4)) {
      if (length > MAX_HEAD) {
        throw new Error(`${printable(path)} is not a readable WAV file: no samples within its first ${MAX_HEAD / (1024 * 1024)} MB`);
      }
      const head = Buffer.alloc(length);
      const read = await readAt(handle, head, length, 0);
      layout = wavLayout(head.subarray(0, read), size, path);
    }
    const { format, frames, frameBytes, offset } = layout;
    const bytes = Buffer.alloc(blockFrames * frameBytes);
    const samples = new Float32Array(blockFrames);
    return {
      sampleRate: format.sampleRate,
      channels: format.channels,
      frames,
      warnings: layout.warnings,
      async* blocks() {
        for (let first = 0; first < frames;) {
          const want = Math.min(blockFrames, frames - first) * frameBytes;
          const got = await readAt(handle, bytes, want, offset + first * frameBytes);
          const whole = got - (got % frameBytes);
          if (whole === 0) return;  // the file shrank while it was read
          yield decodeFrames(bytes.subarray(0, whole), layout, first, path, samples);
          first += whole / frameBytes;
        }
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
