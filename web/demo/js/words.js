// The words of a finished recording (a dropped file, a sample), cut and classified by a
// listener of the package (recognizer.createListener(): the file goes into WebAssembly once,
// each word is classified where it lies), so a file is cut exactly as the microphone is.

/**
 * Runs a whole recording through `recognizer`'s listener. Returns the words found, in order:
 * [{ word: { samples, sampleRate, startSample, endSample, startTime, endTime, ... }, result: Classification & word | null }]
 * (result null when the recognizer is untrained). Throws the listener's first error.
 */
export function wordsIn(recognizer, samples, sampleRate, options = {}) {
  const listener = recognizer.createListener({ ...options, sampleRate });
  const words = [];
  const errors = [];
  listener.addEventListener('speechend', ({ detail }) => words.push({ word: detail, result: null }));
  listener.addEventListener('result', ({ detail }) => {
    words[words.length - 1].result = detail;
  });
  listener.addEventListener('error', ({ error }) => errors.push(error));
  try {
    listener.push(samples);
    listener.end();
  } finally {
    listener.stop();
  }
  if (errors.length > 0) throw errors[0];
  return words;
}

/** The longest of wordsIn()'s words (the word of a one-word recording), or null. By its span
 *  in the stream: a listener with { samples: false } gives its words no samples. */
export function longestWord(words) {
  const span = ({ word }) => word.endSample - word.startSample;
  let best = null;
  for (const w of words) if (!best || span(w) > span(best)) best = w;
  return best;
}
