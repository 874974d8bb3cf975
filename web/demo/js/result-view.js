// Shows a classification: the word (or "not recognised" and why), its confidence, the
// probability of every word as a bar chart, how long it took, and a short history.
import { el, byId, setText } from './dom.js';

const HISTORY = 8;

// The package's rejection reasons (Classification.reason), plus the demo's own 'no-word'
// (the endpointer found no word in a recording), in words a visitor understands.
const REASONS = {
  'no-word': () => 'no word was heard in it',
  silence: () => 'it was (almost) silent',
  'too-short': () => 'it was too short to be a word',
  'too-long': () => 'it was much longer than any example',
  'not-speech': () => 'it sounds like a steady noise, not speech',
  'out-of-vocabulary': (r) => `it is unlike every trained word (closest: \u201c${r.label}\u201d)`,
  'poor-fit': (r) => `it fits even the closest word (\u201c${r.label}\u201d) worse than its own examples do`,
  'low-confidence': (r) => `the models cannot decide (best guess \u201c${r.label}\u201d)`,
};

// The reasons the listener's sensitivity moves: unlike every word (the likelihood-ratio test),
// or fitting the closest word worse than its own examples (the fit floor).
const CLOSE_REFUSALS = new Set(['out-of-vocabulary', 'poor-fit']);

/** A refusal of something that sounded like a word: the closest word may well be what was
 *  said, and a more accepting sensitivity would have taken it. */
export function isCloseRefusal(result) {
  return Boolean(result.rejected && result.label && CLOSE_REFUSALS.has(result.reason));
}

export function reasonText(result) {
  return (REASONS[result.reason] ?? (() => `rejected (${result.reason})`))(result);
}

const percent = (p) => {
  const v = 100 * p;
  return v > 0 && v < 1 ? '<1 %' : `${v.toFixed(0)} %`;
};

export class ResultView {
  constructor() {
    this.label = byId('result-label');
    this.confidence = byId('result-confidence');
    this.timing = byId('result-timing');
    this.scores = byId('scores');
    this.history = byId('history');
  }

  clear() {
    setText(this.label, '\u2014');
    this.label.classList.remove('rejected');
    delete this.label.dataset.label;
    delete this.label.dataset.rejected;
    delete this.label.dataset.reason;
    setText(this.confidence, '');
    setText(this.timing, '');
    delete this.timing.dataset.latencyMs;
    delete this.timing.dataset.decisionDelayMs;
    this.scores.replaceChildren();
    this.history.replaceChildren();
  }

  /**
   * @param result the Recognizer's classification ({ label, confidence, rejected, reason, scores })
   * @param options { source: where the sound came from, latency: a word heard by a listener:
   *        { sinceEndOfSpeechMs: from the end of speech to the result on the page,
   *        decisionDelayMs: how much of that the endpointer waited for silence } or null }
   */
  show(result, { source = '', latency = null } = {}) {
    const rejected = Boolean(result.rejected);
    setText(this.label, rejected ? 'not recognised' : result.label);
    this.label.classList.toggle('rejected', rejected);
    this.label.dataset.label = result.label ?? '';
    this.label.dataset.rejected = String(rejected);
    this.label.dataset.reason = result.reason ?? '';
    setText(this.confidence, rejected ? `Not recognised: ${reasonText(result)}.` : `confidence ${percent(result.confidence)}`);
    this.#showTiming(source, latency);

    this.#showScores(result.scores);

    const entry = el('li', {
      class: rejected ? 'rejected' : '',
      dataset: { label: result.label ?? '', rejected: String(rejected), reason: result.reason ?? '', source },
    },
    rejected ? `not recognised \u2014 ${reasonText(result)}` : `${result.label} (${percent(result.confidence)})`,
    source ? el('span', { class: 'muted' }, ` \u00b7 ${source}`) : null);
    this.history.prepend(entry);
    // Results shown since the page loaded (the list keeps only the last few).
    this.history.dataset.count = String(Number(this.history.dataset.count ?? 0) + 1);
    while (this.history.children.length > HISTORY) this.history.lastElementChild.remove();
  }

  // The timing line: where the sound came from and, for a word heard by a listener, from the
  // end of speech to the result (the result event on the page; painted within the next frame),
  // and how much of that was the endpointer's wait for silence.
  #showTiming(source, latency) {
    const { timing } = this;
    if (!latency) {
      setText(timing, source);
      delete timing.dataset.latencyMs;
      delete timing.dataset.decisionDelayMs;
      return;
    }
    const { sinceEndOfSpeechMs, decisionDelayMs } = latency;
    setText(timing, `${source} \u00b7 answered ${sinceEndOfSpeechMs.toFixed(0)} ms after the end of speech ` +
      `(of which ${decisionDelayMs.toFixed(0)} ms is the endpointer waiting for silence to be sure the word is over)`);
    timing.dataset.latencyMs = sinceEndOfSpeechMs.toFixed(1);
    timing.dataset.decisionDelayMs = decisionDelayMs.toFixed(1);
  }

  // One row per word, best first. The rows of the previous result are updated in place (the
  // same number of words), and only what differs is written: a result then changes a few
  // texts and bar widths, not the elements, which keeps its style and layout work small
  // (docs/listening.md, the main thread's work per result).
  #showScores(scores) {
    if (this.scores.children.length !== scores.length) {
      this.scores.replaceChildren(...scores.map(() => el('li', {},
        el('span', { class: 'score-label' }),
        el('span', { class: 'bar', 'aria-hidden': 'true' }, el('span')),
        el('span', { class: 'value' }))));
    }
    scores.forEach((s, i) => {
      const row = this.scores.children[i];
      const [label, bar, value] = row.children;
      const logLikelihood = Number.isFinite(s.logLikelihood) ? s.logLikelihood.toFixed(1) : 'too short for this word';
      row.classList.toggle('best', i === 0);
      if (row.dataset.testid !== `score-${s.label}`) row.dataset.testid = `score-${s.label}`;
      row.title = `log-likelihood ${logLikelihood}`;
      setText(label, s.label);
      // An unchanged width is not written again (a write restyles the bar).
      const width = `${Math.max(0.5, 100 * s.probability).toFixed(1)}%`;
      if (bar.dataset.width !== width) {
        bar.dataset.width = width;
        bar.firstElementChild.style.width = width;
      }
      setText(value, percent(s.probability));
    });
  }
}
