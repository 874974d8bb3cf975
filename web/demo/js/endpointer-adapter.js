// The one place that knows the shape of the package's Endpointer API. The rest of the demo
// sees: push(block) -> { segments: [{ start, end }], speaking }, flush() -> { segments },
// dispose(); start/end are absolute sample indices since the first push.

export function endpointerSegments(gmmhmm, sampleRate) {
  const endpointer = new gmmhmm.Endpointer(sampleRate);
  const segmentsOf = (result) => {
    const list = Array.isArray(result) ? result : result?.segments ?? [];
    return list.map((s) => ({ start: s.start, end: s.end }));
  };
  return {
    push(block) {
      const segments = segmentsOf(endpointer.push(block));
      return { segments, speaking: Boolean(endpointer.inSpeech ?? endpointer.speaking) };
    },
    flush() {
      return { segments: segmentsOf(endpointer.flush()) };
    },
    dispose() {
      endpointer.dispose?.();
    },
  };
}
