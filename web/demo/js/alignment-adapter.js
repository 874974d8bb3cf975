// The one place that knows how the package exposes the Viterbi state alignment of a
// classified utterance. Returns an array of state indices (one per feature frame) or null.
export function alignmentOf(recognizer, result, samples, sampleRate) {
  const states = result.alignment?.states ?? result.states ?? null;
  if (states) return Array.from(states);
  if (typeof recognizer?.align === 'function') {
    const aligned = recognizer.align(samples, sampleRate, result.label);
    return aligned ? Array.from(aligned.states ?? aligned) : null;
  }
  return null;
}
