// The switch between the page's vocabularies (the visitor's words, the sample set): shown
// once the sample set exists; the pressed button is the vocabulary in use.
import { byId, announce } from './dom.js';
import { VOCABULARIES } from './app-state.js';

export class VocabularySwitch {
  /** @param choose (name) => switches the page to vocabulary `name` */
  constructor(state, choose) {
    this.state = state;
    this.group = byId('vocabulary-switch');
    this.buttons = [...this.group.querySelectorAll('[data-vocabulary]')];
    for (const button of this.buttons) {
      button.addEventListener('click', async () => {
        const name = button.dataset.vocabulary;
        if (name === state.active) return;
        await choose(name);
        announce(`Now using ${VOCABULARIES[name].name}: ${state.vocabulary.join(', ') || 'no words yet'}.`);
      });
    }
  }

  refresh() {
    this.group.hidden = !this.state.has('samples');
    this.group.dataset.active = this.state.active;
    for (const button of this.buttons) button.setAttribute('aria-pressed', String(button.dataset.vocabulary === this.state.active));
  }
}
