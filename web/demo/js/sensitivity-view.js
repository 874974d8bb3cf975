// The rejection sensitivity (the package's listener option `sensitivity`, nats per frame by
// which a word may fall short of the rejection tests and still be accepted), set per page and
// kept with the rest of the page's state; and the message that offers it when a word that
// sounded like one of the vocabulary was refused.
import { byId } from './dom.js';
import { isCloseRefusal, reasonText } from './result-view.js';

const describe = (value) => (value === 0 ? '0 (as trained)' : value > 0 ? `+${value} (accepts more)` : `${value} (refuses more)`);

export class SensitivityControl extends EventTarget {
  constructor(state) {
    super();
    this.state = state;
    this.input = byId('sensitivity');
    this.value = byId('sensitivity-value');
    this.refusal = byId('refusal');
    this.input.addEventListener('change', async () => {
      await this.state.setSettings({ sensitivity: Number(this.input.value) });
      this.dispatchEvent(new Event('change'));
    });
    this.input.addEventListener('input', () => this.#label(Number(this.input.value)));
    this.refresh();
  }

  refresh() {
    const { sensitivity } = this.state.settings;
    if (document.activeElement !== this.input) this.input.value = String(sensitivity);
    this.#label(sensitivity);
  }

  #label(value) {
    this.value.textContent = describe(value);
  }

  /** After each result: says what happened when a word close to the vocabulary was refused. */
  offer(result) {
    const close = isCloseRefusal(result);
    if (this.refusal.hidden !== !close) this.refusal.hidden = !close; // unchanged: no layout
    if (!close) return;
    const { sensitivity } = this.state.settings;
    this.refusal.textContent = `Refused: ${reasonText(result)}. If you did say \u201c${result.label}\u201d, the model was stricter ` +
      `than your voice needed: say it again, or move Sensitivity (now ${sensitivity === 0 ? '0, as trained' : sensitivity}) to the right so that ` +
      'words like this one are accepted; it applies from the next word. Too far right, and other sounds are taken for words.';
  }
}
