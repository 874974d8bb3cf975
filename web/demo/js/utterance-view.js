// The last word heard: its log-mel spectrogram with the Viterbi state alignment of its
// (closest) word, and a caption that says what is drawn. The result carries the word's
// samples and alignment; the spectrogram is computed once per word, for the picture only
// (redrawn from the same frames when the canvas is resized).
import { utteranceSpectrogram } from './engine.js';
import { drawAlignment } from './alignment-view.js';
import { byId } from './dom.js';

export class UtteranceView {
  /** @param getEngineSync () => the loaded gmmhmm module, or null while it loads */
  constructor(getEngineSync) {
    this.getEngineSync = getEngineSync;
    this.canvas = byId('alignment');
    this.caption = byId('alignment-caption');
    this.shown = null; // { result, frames }
    new ResizeObserver(() => {
      if (this.shown) this.draw();
    }).observe(byId('alignment-figure'));
  }

  /** True while `result` is the one shown (a later result replaces it). */
  showing(result) {
    return this.shown?.result === result;
  }

  /** Shows `result` (a listener's: Classification + the word's samples); null clears. */
  show(result) {
    this.shown = result ? { result, frames: null } : null;
    this.draw();
  }

  draw() {
    const { canvas, caption } = this;
    const gmmhmm = this.getEngineSync();
    const result = this.shown?.result;
    // No canvas at all until there is something to draw in it.
    canvas.hidden = !result || !gmmhmm || result.samples.length === 0;
    if (canvas.hidden) {
      drawAlignment(canvas, [], null);
      caption.textContent = result ? 'No word was heard, so there is nothing to draw.' : 'Recognise a word to see its spectrogram and state alignment here.';
      return;
    }
    const { samples, sampleRate, alignment } = result;
    // The word's log-mel frames on the recogniser's 10 ms grid.
    if (!this.shown.frames) {
      const start = performance.now();
      this.shown.frames = utteranceSpectrogram(gmmhmm, samples, sampleRate);
      // For bench/demo-latency.js: the front-end pass's share of the main thread's work.
      performance.measure('gmmhmm-demo-spectrogram', { start });
    }
    drawAlignment(canvas, this.shown.frames, alignment);
    const length = `${(samples.length / sampleRate).toFixed(2)} s`;
    if (!alignment) {
      caption.textContent = `Spectrogram of the last sound (${length}); no word was scored, so there is no state alignment.`;
    } else {
      const whose = result.rejected ? `the closest word \u201c${alignment.label}\u201d` : `\u201c${alignment.label}\u201d`;
      caption.textContent = `Spectrogram of the last utterance (${length}) with the Viterbi alignment of ${whose}: ` +
        `which HMM state explains each 10 ms frame (${alignment.states.length} frames after the silence trim, from frame ${alignment.firstFrame}).`;
    }
  }
}
