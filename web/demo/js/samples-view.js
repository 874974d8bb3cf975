// "Try without a microphone": the bundled espeak-ng sample set (load + train in one click,
// then recognise its unseen voices and impostor sounds) and WAV files dropped on the page.
// The sample set is a vocabulary of its own (AppState's 'samples'): loading it switches to
// it, never adds its words to the visitor's; removing it deletes it whole.
import { el, byId, announce } from './dom.js';
import { fetchAudio, decodeAudio } from './audio-files.js';

const SAMPLES_URL = new URL('../samples/', import.meta.url);
// The sample set's recordings' `source`: which file each one is (loaded once).
const SAMPLE_SOURCE = 'sample ';

export class SamplesView {
  /**
   * @param actions { useVocabulary(name) (switches the page to it), enrolSamples(list of {label, samples, sampleRate, source}), train(),
   *                  recognise(samples, sampleRate, source) -> result|null, error(message),
   *                  succeeded() (clears this section's error) }
   */
  constructor(state, actions) {
    this.state = state;
    this.actions = actions;
    this.manifest = null;
    this.cache = new Map();
    this.loadButton = byId('samples-load');
    this.testAllButton = byId('samples-test-all');
    this.removeButton = byId('samples-remove');
    this.summary = byId('samples-summary');
    this.testList = byId('sample-tests');
    this.dropzone = byId('dropzone');
    this.dropInput = byId('drop-input');
    this.dropMode = byId('drop-mode');
    this.loadButton.addEventListener('click', () => this.loadAndTrain());
    this.testAllButton.addEventListener('click', () => this.testAll());
    this.removeButton.addEventListener('click', () => this.remove());
    this.#wireDrop();
  }

  async #manifest() {
    if (!this.manifest) {
      const response = await fetch(new URL('manifest.json', SAMPLES_URL));
      if (!response.ok) {
        throw new Error(`the sample set is not available (HTTP ${response.status}); it is synthesised by scripts/make-samples.sh during the build`);
      }
      this.manifest = await response.json();
    }
    return this.manifest;
  }

  async #audio(item) {
    if (!this.cache.has(item.file)) this.cache.set(item.file, fetchAudio(new URL(item.file, SAMPLES_URL).href));
    return this.cache.get(item.file);
  }

  /** One click: fetch the training voices, enrol them, train, list the test sounds. */
  async loadAndTrain() {
    this.loadButton.disabled = true;
    try {
      const manifest = await this.#manifest();
      const train = manifest.items.filter((i) => i.role === 'train');
      await this.actions.useVocabulary('samples');
      this.summary.textContent = `Loading ${train.length} recordings\u2026`;
      const have = new Set(this.state.recordings.map((r) => r.source));
      const missing = train.filter((i) => !have.has(`${SAMPLE_SOURCE}${i.file}`));
      const decoded = await Promise.all(missing.map(async (item) => ({ item, audio: await this.#audio(item) })));
      await this.actions.enrolSamples(decoded.map(({ item, audio }) => ({
        label: item.label, samples: audio.samples, sampleRate: audio.sampleRate, source: `${SAMPLE_SOURCE}${item.file}`, vocabulary: 'samples',
      })));
      this.summary.textContent = 'Training\u2026';
      this.renderTests();
      const trained = await this.actions.train();
      this.summary.textContent = trained
        ? `Trained on ${train.length} recordings (${manifest.words.length} words \u00d7 ${train.length / manifest.words.length} voices), a vocabulary of its own (Words: switch back to yours). Now recognise the test sounds.`
        : 'The sample set is loaded; training did not finish.';
      this.testAllButton.disabled = !trained;
      announce(this.summary.textContent);
      this.actions.succeeded();
    } catch (error) {
      this.summary.textContent = '';
      this.actions.error(`Could not load the sample set: ${error.message}`);
    } finally {
      this.loadButton.disabled = false;
    }
  }

  renderTests() {
    if (!this.manifest) return;
    const items = this.manifest.items.filter((i) => i.role !== 'train');
    this.testList.replaceChildren(...items.map((item) => {
      const name = item.role === 'impostor' ? `\u201c${item.text}\u201d (not a word)` : `${item.label} \u00b7 ${item.voice}`;
      const button = el('button', {
        type: 'button',
        dataset: { testid: `sample-${item.file}`, file: item.file },
        'aria-label': `Recognise the test sound ${name}`,
        onclick: () => this.#test(item, button),
      }, el('span', { class: 'mark', 'aria-hidden': 'true' }, '\u25B6'), ` ${name}`);
      return el('li', {}, button);
    }));
  }

  async #test(item, button) {
    const audio = await this.#audio(item);
    const result = await this.actions.recognise(audio.samples, audio.sampleRate, `test sound ${item.file}`);
    if (!result) return null;
    const right = item.role === 'impostor' ? result.rejected : !result.rejected && result.label === item.label;
    button.classList.toggle('right', right);
    button.classList.toggle('wrong', !right);
    button.dataset.outcome = right ? 'right' : 'wrong';
    button.querySelector('.mark').textContent = right ? '\u2713' : '\u2717';
    button.setAttribute('aria-label', `${button.getAttribute('aria-label').replace(/ \u2014 .*$/, '')} \u2014 ${right ? 'right' : 'wrong'}: ${result.rejected ? 'not recognised' : result.label}`);
    return { right, impostor: item.role === 'impostor' };
  }

  async testAll() {
    if (!this.manifest) return;
    this.testAllButton.disabled = true;
    try {
      const items = this.manifest.items.filter((i) => i.role !== 'train');
      let words = 0;
      let wordsRight = 0;
      let impostors = 0;
      let impostorsRejected = 0;
      for (const item of items) {
        const button = this.testList.querySelector(`[data-file="${CSS.escape(item.file)}"]`);
        const outcome = await this.#test(item, button);
        if (!outcome) return;
        if (outcome.impostor) {
          impostors++;
          impostorsRejected += outcome.right;
        } else {
          words++;
          wordsRight += outcome.right;
        }
      }
      this.summary.textContent = `${wordsRight} of ${words} test words recognised (unseen voices); ${impostorsRejected} of ${impostors} impostor sounds rejected.`;
      this.summary.dataset.wordsRight = String(wordsRight);
      this.summary.dataset.words = String(words);
      this.summary.dataset.impostorsRejected = String(impostorsRejected);
      this.summary.dataset.impostors = String(impostors);
      announce(this.summary.textContent);
    } finally {
      this.testAllButton.disabled = false;
    }
  }

  /** After a change of the page's state. */
  refresh() {
    this.refreshDropModes();
    this.removeButton.disabled = !this.state.has('samples');
    // The test sounds are the sample set's: recognised with its model only.
    this.testList.hidden = this.state.active !== 'samples';
    this.testAllButton.disabled = !(this.state.active === 'samples' && this.state.recognizer && this.testList.childElementCount);
  }

  /** One action: the sample set's vocabulary goes whole (its words, recordings and model); the visitor's is shown. */
  async remove() {
    try {
      const n = await this.state.removeVocabulary('samples');
      this.testAllButton.disabled = true;
      this.testList.replaceChildren();
      this.summary.textContent = `Removed the sample set (${n} recordings, its words and its model). Your words are shown.`;
      announce(this.summary.textContent);
      this.actions.succeeded();
    } catch (error) {
      this.actions.error(`Could not remove the sample set: ${error.message}`);
    }
  }

  /** The options of the drop target: recognise, or enrol as one of the words. */
  refreshDropModes() {
    const current = this.dropMode.value;
    this.dropMode.replaceChildren(
      el('option', { value: 'recognise' }, 'recognise them'),
      ...this.state.vocabulary.map((w) => el('option', { value: `enrol:${w}` }, `enrol them as \u201c${w}\u201d`)));
    if ([...this.dropMode.options].some((o) => o.value === current)) this.dropMode.value = current;
  }

  #wireDrop() {
    const zone = this.dropzone;
    // Dropping anywhere on the page counts; the browser must never navigate to the file.
    document.addEventListener('dragover', (event) => {
      if (![...(event.dataTransfer?.types ?? [])].includes('Files')) return;
      event.preventDefault();
      zone.classList.add('over');
    });
    document.addEventListener('dragleave', (event) => {
      if (event.relatedTarget === null) zone.classList.remove('over');
    });
    document.addEventListener('drop', (event) => {
      if (!event.dataTransfer?.files?.length) return;
      event.preventDefault();
      zone.classList.remove('over');
      this.handleFiles([...event.dataTransfer.files]);
    });
    this.dropInput.addEventListener('change', () => {
      const files = [...this.dropInput.files];
      this.dropInput.value = '';
      this.handleFiles(files);
    });
  }

  async handleFiles(files) {
    const mode = this.dropMode.value;
    for (const file of files) {
      let audio;
      try {
        audio = await decodeAudio(await file.arrayBuffer(), file.name);
      } catch (error) {
        this.actions.error(error.message);
        continue;
      }
      if (mode.startsWith('enrol:')) {
        const label = mode.slice('enrol:'.length);
        await this.actions.enrolSamples([{ label, samples: audio.samples, sampleRate: audio.sampleRate, source: `file ${file.name}` }]);
        announce(`Added ${file.name} as an example of \u201c${label}\u201d.`);
      } else {
        await this.actions.recognise(audio.samples, audio.sampleRate, `file ${file.name}`);
      }
    }
  }
}
