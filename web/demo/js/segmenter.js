// Cuts words out of a stream of audio blocks with the package's Endpointer and hands each
// one over as { samples, sampleRate, endedAt, decisionDelayMs } (endedAt: performance.now()
// when the endpointer decided the word was over — the start of the latency we report;
// decisionDelayMs: the trailing silence it needed to decide).

const HISTORY_SECONDS = 6; // longer than any word the endpointer lets through

export class Segmenter {
  /** @param onUtterance called with { samples, sampleRate, endedAt } for each word */
  constructor(gmmhmm, sampleRate, onUtterance, { onSpeech } = {}) {
    this.sampleRate = sampleRate;
    this.onUtterance = onUtterance;
    this.onSpeech = onSpeech ?? (() => {});
    this.endpointer = new gmmhmm.Endpointer(sampleRate);
    this.history = new Float32Array(Math.round(sampleRate * HISTORY_SECONDS));
    this.written = 0; // samples pushed since the start, i.e. absolute index of the next sample
    this.speaking = false;
  }

  push(block) {
    this.#remember(block);
    const segments = this.endpointer.push(block);
    const speaking = this.endpointer.inSpeech;
    if (speaking !== this.speaking) {
      this.speaking = speaking;
      this.onSpeech(speaking);
    }
    this.#emit(segments);
  }

  /** Ends the stream: a word still in progress is closed and delivered. */
  flush() {
    const segments = this.endpointer.finish();
    if (this.speaking) {
      this.speaking = false;
      this.onSpeech(false);
    }
    this.#emit(segments);
  }

  dispose() {
    this.endpointer.dispose();
  }

  #remember(block) {
    const n = this.history.length;
    for (let i = 0; i < block.length; i++) this.history[(this.written + i) % n] = block[i];
    this.written += block.length;
  }

  #emit(segments) {
    for (const { startSample: start, endSample: end } of segments) {
      const endedAt = performance.now();
      const first = Math.max(start, this.written - this.history.length);
      const last = Math.min(end, this.written);
      if (last <= first) continue;
      const samples = new Float32Array(last - first);
      const n = this.history.length;
      for (let i = first; i < last; i++) samples[i - first] = this.history[i % n];
      // How much audio after the word the endpointer needed to be sure it had ended.
      const decisionDelayMs = ((this.written - end) / this.sampleRate) * 1000;
      this.onUtterance({ samples, sampleRate: this.sampleRate, endedAt, decisionDelayMs });
    }
  }
}

/** The word in a finished recording (push-to-talk, dropped file): the longest segment the
 *  endpointer finds, as { samples, start, end }, or null when it hears no word at all. */
export function cutWord(gmmhmm, samples, sampleRate) {
  // The same endpointer as live listening (push + finish over the whole recording).
  const found = gmmhmm.findSpeechSegments(samples, sampleRate);
  let best = null;
  for (const s of found) if (!best || s.endSample - s.startSample > best.endSample - best.startSample) best = s;
  if (!best) return null;
  const start = Math.max(0, best.startSample);
  const end = Math.min(samples.length, best.endSample);
  return end > start ? { samples: samples.slice(start, end), start, end } : null;
}
