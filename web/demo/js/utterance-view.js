// The last word heard: its log-mel spectrogram with the Viterbi state alignment of its
// (closest) word, and a caption that says what is drawn. The result carries the word's
// alignment and its spectrogram (the listener's option spectrogram: true: computed in the
// listener's Worker where the word already lay), so the page's thread only draws.
import { drawAlignment } from './alignment-view.js';
import { fitCanvas } from './colormap.js';
import { byId, setText } from './dom.js';

export class UtteranceView {
  constructor() {
    this.canvas = byId('alignment');
    this.caption = byId('alignment-caption');
    this.shown = null; // the result shown
    // The canvas's CSS size, kept from the ResizeObserver so that drawing a result never
    // reads the layout (which would force one while the result view's changes are pending).
    this.cssSize = null;
    new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      if (width === 0 || height === 0) return; // hidden
      const changed = !this.cssSize || this.cssSize.width !== width || this.cssSize.height !== height;
      this.cssSize = { width, height };
      if (changed && this.shown) this.draw();
    }).observe(this.canvas);
  }

  /** Shows `result` (a listener's: Classification + the word's times and spectrogram); null clears. */
  show(result) {
    this.shown = result;
    this.draw();
  }

  draw() {
    const { canvas, caption } = this;
    const result = this.shown;
    const spectrogram = result?.spectrogram ?? null;
    // No canvas at all until there is something to draw in it.
    const hidden = !spectrogram || spectrogram.frames === 0;
    if (canvas.hidden !== hidden) canvas.hidden = hidden;
    if (hidden) {
      drawAlignment(canvas, null, null);
      setText(caption, !result ? 'Recognise a word to see its spectrogram and state alignment here.'
        : result.reason === 'no-word' ? 'No word was heard, so there is nothing to draw.'
          : 'The sound was too short for a single 25 ms frame, so there is nothing to draw.');
      return;
    }
    // The CSS size is read from the layout only before the ResizeObserver has reported one.
    fitCanvas(canvas, this.cssSize ?? undefined);
    const { startSample, endSample, sampleRate, alignment } = result;
    drawAlignment(canvas, spectrogram, alignment);
    // The word's span: the page's listeners send no samples with a result.
    const length = `${((endSample - startSample) / sampleRate).toFixed(2)} s`;
    let text;
    if (!alignment) {
      text = `Spectrogram of the last sound (${length}); no word was scored, so there is no state alignment.`;
    } else {
      const whose = result.rejected ? `the closest word \u201c${alignment.label}\u201d` : `\u201c${alignment.label}\u201d`;
      text = `Spectrogram of the last utterance (${length}) with the Viterbi alignment of ${whose}: ` +
        `which HMM state explains each 10 ms frame (${alignment.states.length} frames after the silence trim, from frame ${alignment.firstFrame}).`;
    }
    setText(caption, text);
  }
}
