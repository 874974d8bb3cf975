// The one place that knows the shape of the package's Endpointer API. The rest of the demo
// sees: push(block) -> { segments: [{ start, end }], speaking }, flush() -> { segments },
// dispose(); start/end are absolute sample indices since the first push, [start, end).

function segmentsOf(result) {
  const list = Array.isArray(result) ? result : result?.segments ?? [];
  return list.map((s) => ({ start: Number(s.start ?? s.startSample), end: Number(s.end ?? s.endSample) }));
}

export function endpointerSegments(gmmhmm, sampleRate) {
  const endpointer = new gmmhmm.Endpointer(sampleRate);
  const speaking = () => Boolean(typeof endpointer.inSpeech === 'function' ? endpointer.inSpeech() : endpointer.inSpeech);
  return {
    push(block) {
      return { segments: segmentsOf(endpointer.push(block)), speaking: speaking() };
    },
    flush() {
      return { segments: segmentsOf(typeof endpointer.finish === 'function' ? endpointer.finish() : endpointer.flush()) };
    },
    dispose() {
      endpointer.dispose?.();
    },
  };
}
