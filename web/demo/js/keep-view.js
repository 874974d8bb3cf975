// Keep: what is stored in this browser, export (model JSON, or everything in one file),
// import (either kind of file), and reset after a confirmation.
import { byId, announce } from './dom.js';
import { makeBundle, parseImport, download } from './bundle.js';
import { VOCABULARIES } from './app-state.js';

function ago(time) {
  if (!time) return '';
  const s = Math.round((Date.now() - time) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(time).toLocaleDateString();
}

export class KeepView {
  /** @param actions { getEngine(), afterImport(), beforeReset(), afterReset(), error(message),
   *                   succeeded() (clears this section's error) } */
  constructor(state, actions) {
    this.state = state;
    this.actions = actions;
    this.status = byId('storage-status');
    this.dialog = byId('reset-dialog');
    byId('export-bundle').addEventListener('click', () => this.exportBundle());
    byId('export-model').addEventListener('click', () => this.exportModel());
    byId('import-file').addEventListener('change', (event) => {
      const file = event.target.files[0];
      event.target.value = '';
      if (file) this.importFile(file);
    });
    byId('reset').addEventListener('click', () => this.dialog.showModal());
    this.dialog.addEventListener('close', () => {
      if (this.dialog.returnValue === 'confirm') this.reset();
      this.dialog.returnValue = '';
    });
  }

  refresh() {
    const { state } = this;
    const n = state.recordings.length;
    // What is shown, exported and replaced by an import is the vocabulary in use.
    const which = state.has('samples') ? ` (${VOCABULARIES[state.active].name})` : '';
    const parts = [`${n} recording${n === 1 ? '' : 's'} of ${state.vocabulary.length} word${state.vocabulary.length === 1 ? '' : 's'}${which}`];
    if (state.recognizer) {
      const when = ago(state.modelMeta?.trainedAt);
      const words = state.recognizer.labels.length;
      parts.push(`a model of ${words} word${words === 1 ? '' : 's'}${when ? ` trained ${when}` : ''}${state.modelStale ? ' (examples changed since)' : ''}`);
    } else {
      parts.push('no trained model');
    }
    this.status.textContent = state.store
      ? `Kept in this browser (IndexedDB): ${parts.join(', ')}.`
      : `This browser does not allow storage for this page (a private window?): ${parts.join(', ')} \u2014 lost on reload unless exported.`;
    this.status.dataset.recordings = String(n);
    this.status.dataset.vocabulary = state.active;
    this.status.dataset.model = state.recognizer ? 'yes' : 'no';
    byId('export-model').disabled = !state.recognizer;
    byId('export-bundle').disabled = n === 0 && !state.recognizer;
  }

  exportModel() {
    if (!this.state.modelJSON) return;
    download(`gmmhmm-model-${this.state.recognizer.labels.length}-words.json`, JSON.stringify(this.state.modelJSON));
    announce('Model exported.');
    this.actions.succeeded();
  }

  exportBundle() {
    const { state } = this;
    const bundle = makeBundle({ vocabulary: state.vocabulary, recordings: state.recordings, model: state.modelJSON });
    download(`gmmhmm-demo-${new Date().toISOString().slice(0, 10)}.json`, JSON.stringify(bundle));
    announce(`Exported ${state.recordings.length} recordings${state.modelJSON ? ' and the model' : ''}.`);
    this.actions.succeeded();
  }

  async importFile(file) {
    try {
      const { gmmhmm } = await this.actions.getEngine();
      const parsed = parseImport(await file.text());
      // Validate the model before anything is replaced, so a bad file changes nothing.
      let recognizer = null;
      if (parsed.model) {
        try {
          recognizer = gmmhmm.Recognizer.fromJSON(parsed.model);
        } catch (error) {
          throw new Error(`the model in ${file.name} is not valid: ${error.message}`);
        }
      }
      this.actions.beforeReset();
      if (parsed.recordings) await this.state.replaceAll(parsed);
      if (recognizer) {
        // A bare model: its words join the vocabulary (with no recordings of their own).
        for (const label of recognizer.labels) if (!this.state.vocabulary.includes(label)) await this.state.addWord(label, { asIs: true });
        const ids = parsed.recordings ? this.state.recordings.map((r) => r.id) : null;
        await this.state.setModel(recognizer, { recordingIds: ids });
      }
      this.actions.afterImport();
      this.actions.succeeded();
      announce(`Imported ${file.name}.`);
    } catch (error) {
      this.actions.error(`Import failed: ${error.message}`);
    }
  }

  async reset() {
    this.actions.beforeReset();
    await this.state.clear();
    this.actions.afterReset();
    this.actions.succeeded();
    announce('Everything was deleted.');
  }
}
