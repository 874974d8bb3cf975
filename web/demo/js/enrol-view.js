// The vocabulary list: per word its example count, record/stop, remove, and the examples
// themselves (play, delete).
import { el, rerender, seconds } from './dom.js';

export const ENOUGH_EXAMPLES = 3;
// Longer lists of examples fold away (the sample set brings eight per word): the cards stay short.
const FOLD_AFTER = 4;

export class EnrolView {
  /**
   * @param list <ul> to render into
   * @param state AppState
   * @param actions { record(word), play(recording), deleteRecording(recording), removeWord(word) }
   */
  constructor(list, state, actions) {
    this.list = list;
    this.state = state;
    this.actions = actions;
    this.recordingWord = null;
    this.unfolded = new Set(); // words whose folded example list the visitor opened
  }

  setRecordingWord(word) {
    this.recordingWord = word;
    this.render();
  }

  render() {
    const { state } = this;
    rerender(this.list, () => {
      if (state.vocabulary.length === 0) {
        return [el('li', { class: 'muted' }, 'No words yet: pick a suggestion above, add your own, or load the sample set.')];
      }
      return state.vocabulary.map((word) => this.#word(word));
    });
  }

  #word(word) {
    const examples = this.state.recordingsOf(word);
    const count = examples.length;
    const active = this.recordingWord === word;
    const countText = `${count} example${count === 1 ? '' : 's'}${count < ENOUGH_EXAMPLES ? ` (${ENOUGH_EXAMPLES - count} more recommended)` : ''}`;
    return el('li', { class: `word${active ? ' active' : ''}`, dataset: { testid: `word-${word}`, word } },
      el('div', { class: 'word-head' },
        el('span', { class: 'word-name' }, word),
        el('span', { class: `count${count >= ENOUGH_EXAMPLES ? ' enough' : ''}`, dataset: { testid: `count-${word}`, count: String(count) } }, countText),
        el('button', {
          type: 'button',
          class: active ? 'recording' : '',
          'aria-pressed': active ? 'true' : 'false',
          'aria-label': active ? `Stop recording \u201c${word}\u201d` : `Record examples of \u201c${word}\u201d`,
          dataset: { testid: `record-${word}` },
          onclick: () => this.actions.record(word),
        }, active ? '\u25A0 Stop' : '\u25CF Record'),
        el('button', {
          type: 'button',
          'aria-label': `Remove the word \u201c${word}\u201d and its examples`,
          dataset: { testid: `remove-${word}` },
          onclick: () => this.actions.removeWord(word),
        }, 'Remove')),
      count === 0 ? null : this.#examples(word, examples));
  }

  #examples(word, examples) {
    const list = el('ul', { class: 'examples', 'aria-label': `Examples of \u201c${word}\u201d` },
      examples.map((recording, i) => el('li', { class: 'example', dataset: { testid: `example-${word}-${i + 1}` } },
        el('button', {
          type: 'button',
          'aria-label': `Play example ${i + 1} of \u201c${word}\u201d`,
          dataset: { testid: `play-${word}-${i + 1}` },
          onclick: () => this.actions.play(recording),
        }, `\u25B6 ${seconds(recording.samples.length, recording.sampleRate)}`),
        recording.source && recording.source !== 'microphone' ? el('span', { class: 'src', title: recording.source }, recording.source.split(' ')[0]) : null,
        el('button', {
          type: 'button',
          'aria-label': `Delete example ${i + 1} of \u201c${word}\u201d`,
          dataset: { testid: `delete-${word}-${i + 1}` },
          onclick: () => this.actions.deleteRecording(recording),
        }, '\u2715'))));
    if (examples.length <= FOLD_AFTER && !this.unfolded.has(word)) return list;
    return el('details', {
      class: 'fold',
      dataset: { testid: `examples-${word}` },
      open: this.unfolded.has(word) || this.recordingWord === word,
      ontoggle: (event) => {
        // Only the visitor's own unfolding is remembered (recording opens the list by itself).
        if (event.target.open) {
          if (this.recordingWord !== word) this.unfolded.add(word);
        } else {
          this.unfolded.delete(word);
        }
      },
    }, el('summary', {}, `Examples (${examples.length}): play or delete`), list);
  }
}
