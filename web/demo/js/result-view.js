// Shows a classification: the word (or "not recognised"), its confidence, the probability of
// every word as a bar chart, how long it took, and a short history.
import { el, byId } from './dom.js';

const HISTORY = 8;

export class ResultView {
  constructor() {
    this.label = byId('result-label');
    this.confidence = byId('result-confidence');
    this.timing = byId('result-timing');
    this.scores = byId('scores');
    this.history = byId('history');
  }

  clear() {
    this.label.textContent = '\u2014';
    this.label.classList.remove('rejected');
    delete this.label.dataset.label;
    delete this.label.dataset.rejected;
    this.confidence.textContent = '';
    this.timing.textContent = '';
    this.scores.replaceChildren();
    this.history.replaceChildren();
  }

  /** @param result the Recognizer's classify() result; @param source e.g. 'microphone' */
  show(result, { source = '', latencyMs = null, classifyMs = null } = {}) {
    const rejected = Boolean(result.rejected);
    this.label.textContent = rejected ? 'not recognised' : result.label;
    this.label.classList.toggle('rejected', rejected);
    this.label.dataset.label = result.label ?? '';
    this.label.dataset.rejected = String(rejected);
    const confidence = `${(100 * result.confidence).toFixed(0)} %`;
    this.confidence.textContent = rejected
      ? `closest word \u201c${result.label}\u201d, confidence ${confidence} \u2014 too unlike every trained word`
      : `confidence ${confidence}`;
    const timing = [];
    if (classifyMs !== null) timing.push(`classified in ${classifyMs.toFixed(1)} ms`);
    if (latencyMs !== null) timing.push(`shown ${latencyMs.toFixed(1)} ms after the end of the word`);
    if (source) timing.push(source);
    this.timing.textContent = timing.join(' \u00b7 ');

    this.scores.replaceChildren(...result.scores.map((s, i) => {
      const percent = 100 * s.probability;
      return el('li', { class: i === 0 ? 'best' : '', dataset: { testid: `score-${s.label}` }, title: `log-likelihood ${s.logLikelihood.toFixed(1)}` },
        el('span', {}, s.label),
        el('span', { class: 'bar', 'aria-hidden': 'true' }, el('span', { style: `width:${Math.max(0.5, percent).toFixed(1)}%` })),
        el('span', { class: 'value' }, `${percent < 1 && percent > 0 ? '<1' : percent.toFixed(0)} %`));
    }));

    const entry = el('li', { class: rejected ? 'rejected' : '', dataset: { label: result.label ?? '', rejected: String(rejected), source } },
      rejected ? `not recognised (closest: ${result.label})` : `${result.label} (${confidence})`,
      source ? el('span', { class: 'muted' }, ` \u2014 ${source}`) : null);
    this.history.prepend(entry);
    while (this.history.children.length > HISTORY) this.history.lastElementChild.remove();
  }
}
