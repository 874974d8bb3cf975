// Training: builds a Recognizer from the recordings and trains it through the package's API
// (which trains the words in parallel Web Workers), showing a progress bar per word and the
// log-likelihood curves; Cancel aborts through an AbortSignal and keeps the previous model.
import { el, byId, announce } from './dom.js';
import { drawPlot, colourOf } from './ll-plot.js';
import { isValidWord } from './app-state.js';
import { ENOUGH_EXAMPLES } from './enrol-view.js';

export class TrainView {
  constructor(state, getEngine, { onTrained, onError, onTimed }) {
    this.state = state;
    this.getEngine = getEngine;
    this.onTrained = onTrained;
    this.onTimed = onTimed ?? (() => {});
    this.onError = onError;
    this.button = byId('train-button');
    this.cancelButton = byId('train-cancel');
    this.status = byId('train-status');
    this.list = byId('train-progress');
    this.plot = byId('ll-plot');
    this.controller = null;
    this.series = new Map();
    this.shownModel = undefined; // the recogniser whose curves the plot shows
    this.button.addEventListener('click', () => this.train());
    this.cancelButton.addEventListener('click', () => this.cancel());
    drawPlot(this.plot, this.series, []);
  }

  get training() {
    return this.controller !== null;
  }

  /** Status text when idle: whether there is a model and whether it is up to date. */
  refresh() {
    if (this.training) return;
    const { state } = this;
    const words = state.vocabulary.filter((w) => state.countOf(w) > 0);
    this.button.disabled = words.length === 0;
    if (!state.recognizer) {
      this.status.textContent = words.length === 0 ? 'Record some examples first.' : 'Not trained yet.';
    } else if (state.modelStale) {
      const n = state.recognizer.labels.length;
      this.status.textContent = `Trained on ${n} word${n === 1 ? '' : 's'}; examples changed since \u2014 train again to use them.`;
    } else {
      // Training takes a word from one example; say which words have fewer than recommended.
      const few = state.recognizer.labels.filter((w) => state.countOf(w) > 0 && state.countOf(w) < ENOUGH_EXAMPLES);
      this.status.textContent = `Trained: ${state.recognizer.labels.join(', ')}.` +
        (few.length ? ` Fewer than ${ENOUGH_EXAMPLES} examples of ${few.join(', ')}: recognition is less reliable (more examples, then Train again).` : '');
    }
    this.status.dataset.state = state.recognizer ? (state.modelStale ? 'stale' : 'trained') : 'untrained';
    this.#plotModel();
  }

  // The plot of the model in use: the curves of this page's training, the stored curves of a
  // restored model, or what is known of a model without them (an imported one).
  #plotModel() {
    const { recognizer, modelMeta } = this.state;
    if (this.shownModel === recognizer) return;
    this.shownModel = recognizer;
    if (!recognizer) {
      this.series = new Map();
      drawPlot(this.plot, this.series, []);
      return;
    }
    const curves = Array.isArray(modelMeta?.curves) ? modelMeta.curves : [];
    this.series = new Map(curves.filter(([label, values]) => recognizer.labels.includes(label) && Array.isArray(values)));
    const labels = [...this.series.keys()];
    const when = modelMeta?.trainedAt ? ` (trained ${new Date(modelMeta.trainedAt).toLocaleString()})` : '';
    drawPlot(this.plot, this.series, labels, 'Loaded model: train again to see its curves');
    this.plot.dataset.restored = 'true';
    // Said in words too (the plot is small): whose curves these are, or why there are none.
    this.plot.setAttribute('aria-description', labels.length > 0 ? `The training curves of the model restored from this browser${when}.` : `The model in use was loaded from this browser or a file${when}; its training curves were not kept.`);
  }

  cancel() {
    this.controller?.abort();
  }

  /** Trains on every word that has examples. Resolves to the new Recognizer, or null. */
  async train() {
    if (this.training) return null;
    const { gmmhmm } = await this.getEngine();
    const { state } = this;
    // The model goes to the vocabulary it was trained for, even if the page switched meanwhile.
    const vocabulary = state.active;
    const words = state.vocabulary.filter((w) => state.countOf(w) > 0 && isValidWord(w));
    if (words.length === 0) {
      this.status.textContent = 'Record some examples first.';
      return null;
    }
    const skipped = state.vocabulary.filter((w) => state.countOf(w) === 0);
    const invalid = state.vocabulary.filter((w) => state.countOf(w) > 0 && !isValidWord(w));
    const used = state.recordings.filter((r) => words.includes(r.label));
    this.controller = new AbortController();
    this.button.disabled = true;
    this.cancelButton.disabled = false;
    this.status.dataset.state = 'training';
    this.status.textContent = `Training ${words.length} word${words.length === 1 ? '' : 's'} on ${used.length} examples\u2026`;
    this.series = new Map(words.map((w) => [w, []]));
    const bars = new Map();
    const row = (key, name, i, testid, colour) => {
      const progress = el('progress', { max: 1, value: 0, id: `progress-${i}`, dataset: { testid } });
      const note = el('span', { class: 'muted small' }, '');
      bars.set(key, { progress, note });
      // The word in the text colour (readable in both schemes), its curve's colour beside it.
      return el('li', {}, el('label', { for: `progress-${i}` },
        el('span', { class: 'swatch', 'aria-hidden': 'true', style: { background: colour } }), name), progress, note);
    };
    // The package also trains a background model (label null): it is what rejection
    // compares each word against, so it gets a bar of its own, whose test id no word's can
    // be (words' are "progress-<word>": a word may well be called "background").
    this.list.replaceChildren(...words.map((word, i) => row(word, word, i, `progress-${word}`, colourOf(i))),
      row(null, 'rejection', words.length, 'rejection-progress', 'var(--muted)'));
    drawPlot(this.plot, this.series, words);
    delete this.plot.dataset.restored;
    this.plot.removeAttribute('aria-description');

    const recognizer = new gmmhmm.Recognizer();
    const t0 = performance.now();
    let plotQueued = false;
    try {
      for (const r of used) recognizer.addExample(r.label, r.samples, r.sampleRate);
      const t1 = performance.now();
      await recognizer.train({
        signal: this.controller.signal,
        onProgress: (event) => {
          const bar = bars.get(event.label);
          if (!bar) return;
          bar.progress.value = event.fraction;
          bar.note.textContent = event.done ? 'done' : `it ${event.iteration}/${event.nIter}`;
          const series = this.series.get(event.label);
          // The word model's own EM curve (the events of the background model have no curve).
          if (series && !event.done && Number.isFinite(event.logLikelihoodPerFrame)) {
            series[event.iteration - 1] = event.logLikelihoodPerFrame;
          }
          if (!plotQueued) {
            plotQueued = true;
            requestAnimationFrame(() => {
              plotQueued = false;
              drawPlot(this.plot, this.series, words);
            });
          }
        },
      });
      const t2 = performance.now();
      const seconds = (t2 - t0) / 1000;
      for (const { progress, note } of bars.values()) {
        progress.value = 1;
        note.textContent = 'done';
      }
      drawPlot(this.plot, this.series, words);
      this.shownModel = recognizer; // its curves are on the plot already
      await this.onTrained(recognizer, used.map((r) => r.id), this.series, vocabulary);
      // For bench/demo-latency.js: features (addExample), train(), and saving to IndexedDB.
      this.onTimed({ ms: t2 - t0, featuresMs: t1 - t0, trainMs: t2 - t1, saveMs: performance.now() - t2, words: words.length, examples: used.length });
      this.controller = null;
      this.refresh();
      this.status.textContent = `Trained ${words.length} word${words.length === 1 ? '' : 's'} in ${seconds.toFixed(2)} s.` +
        (skipped.length ? ` Skipped (no examples): ${skipped.join(', ')}.` : '') +
        (invalid.length ? ` Skipped ${invalid.length} word${invalid.length === 1 ? '' : 's'} that the recogniser cannot use (remove and add again).` : '');
      this.status.dataset.state = 'trained';
      announce(this.status.textContent);
      return recognizer;
    } catch (error) {
      recognizer.dispose?.();
      this.controller = null;
      this.shownModel = undefined; // back to the previous model's curves
      this.refresh();
      if (error?.name === 'AbortError') {
        this.status.textContent = `Training cancelled${this.state.recognizer ? '; the previous model is kept' : ''}.`;
        this.status.dataset.state = 'cancelled';
        announce(this.status.textContent);
      } else {
        this.status.textContent = 'Training failed.';
        this.onError(`Training failed: ${error?.message ?? error}`);
      }
      return null;
    } finally {
      this.button.disabled = false;
      this.cancelButton.disabled = true;
    }
  }
}
