// `gmmhmm listen model.json long.wav`: word spotting in a recording of any length. The file
// is read in blocks (web/cli/wav-stream.js) and pushed through a Listener, so memory stays
// flat; each word found is printed as soon as the Endpointer has closed it.
import { printable } from './text.js';
import { openWavStream } from './wav-stream.js';

const seconds = (s) => s.toFixed(3);

/** One line of text (tab-separated) or JSON for a result event's detail. */
export function formatWord(r, json) {
  if (json) {
    return JSON.stringify({ start: r.startTime, end: r.endTime, label: r.label, confidence: r.confidence, rejected: r.rejected,
      reason: r.reason });
  }
  const span = `${seconds(r.startTime)}\t${seconds(r.endTime)}`;
  if (!r.rejected) return `${span}\t${printable(r.label)}\t${(100 * r.confidence).toFixed(1)} %`;
  const closest = r.label === null ? '' : `\tclosest: ${printable(r.label)} ${(100 * r.confidence).toFixed(1)} %`;
  return `${span}\trejected (${r.reason})${closest}`;
}

/**
 * Spots the words of the WAV file at `path` with the trained Recognizer `rec`, writing one
 * line per word to `write`. options: { json, sensitivity, hangover }. Resolves to
 * { words, errors } (errors: messages of words that could not be classified).
 */
export async function listenToFile(rec, path, options, write, note) {
  const wav = await openWavStream(path);
  const errors = [];
  let words = 0;
  try {
    wav.warnings.forEach((w) => note(`warning: ${w}`));
    const endpointer = options.hangover === undefined ? {} : { hangover: options.hangover };
    let listener;
    try {
      listener = rec.createListener({ sampleRate: wav.sampleRate, sensitivity: options.sensitivity, ...endpointer });
    } catch (error) {
      throw new Error(`${printable(path)}: ${error.message}`);
    }
    listener.addEventListener('result', (e) => {
      words++;
      write(formatWord(e.detail, options.json));
    });
    listener.addEventListener('error', (e) => errors.push(e.error.message));
    try {
      for await (const block of wav.blocks()) listener.push(block);
      listener.end();
    } finally {
      listener.stop();
    }
  } finally {
    await wav.close();
  }
  return { words, errors };
}
