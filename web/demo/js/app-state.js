// The page's state: vocabulary, recordings, trained recogniser — kept in memory, mirrored
// to IndexedDB (when available) so everything survives a reload. Views subscribe to
// 'change' and redraw; only this module writes to the store. Words are values (arrays,
// Maps), never keys of plain objects.
import { checkLabel } from './engine.js';

/** A typed word as the demo writes it (trimmed, lower case, single spaces), checked by the package's label rule. */
export function cleanWord(typed) {
  const clean = String(typed).trim().toLowerCase().replace(/\s+/g, ' ');
  if (!clean) throw new Error('a word cannot be empty');
  return checkLabel(clean, 'a word');
}

/** False for a word the recogniser would refuse (one kept by an older version of the page). */
export function isValidWord(word) {
  try {
    checkLabel(word);
    return true;
  } catch {
    return false;
  }
}
/** The page's settings, kept with the rest (sensitivity: the listener option, nats per frame). */
export const DEFAULT_SETTINGS = { sensitivity: 0 };

export class AppState extends EventTarget {
  constructor(store) {
    super();
    this.store = store; // null: no persistence (the page says so)
    this.vocabulary = [];
    this.recordings = []; // { id, label, samples, sampleRate, source, createdAt }
    this.recognizer = null; // trained gmmhmm Recognizer
    this.modelJSON = null;
    this.modelMeta = null; // { trainedAt, recordingIds: number[], labels: string[], curves?: [label, number[]][] }
    this.settings = { ...DEFAULT_SETTINGS };
    this.nextLocalId = -1; // ids for recordings when there is no store
  }

  changed(what) {
    this.dispatchEvent(new CustomEvent('change', { detail: what }));
  }

  /** Loads vocabulary, recordings and model from the store; rebuilds the recogniser. */
  async restore(gmmhmm) {
    if (!this.store) return { restoredModel: false };
    const [vocabulary, recordings, modelJSON, modelMeta, settings] = await Promise.all([
      this.store.get('vocabulary'),
      this.store.allRecordings(),
      this.store.get('model'),
      this.store.get('modelMeta'),
      this.store.get('settings'),
    ]);
    // A stored value the listener would refuse (an older page, a hand-edited store) falls back to the default.
    const sensitivity = Number(settings?.sensitivity);
    this.settings = { ...DEFAULT_SETTINGS, ...(Number.isFinite(sensitivity) && Math.abs(sensitivity) <= 20 ? { sensitivity } : {}) };
    this.vocabulary = Array.isArray(vocabulary) ? vocabulary : [];
    this.recordings = recordings;
    for (const r of recordings) if (!this.vocabulary.includes(r.label)) this.vocabulary.push(r.label);
    let restoredModel = false;
    let modelError = null;
    if (modelJSON) {
      try {
        this.#setRecognizer(gmmhmm.Recognizer.fromJSON(modelJSON), modelJSON, modelMeta);
        restoredModel = true;
      } catch (error) {
        modelError = error;
        await this.store.set('model', null);
        await this.store.set('modelMeta', null);
      }
    }
    this.changed('all');
    return { restoredModel, modelError };
  }

  countOf(label) {
    let n = 0;
    for (const r of this.recordings) if (r.label === label) n++;
    return n;
  }

  recordingsOf(label) {
    return this.recordings.filter((r) => r.label === label);
  }

  /** True when recordings were added or removed since the model was trained. */
  get modelStale() {
    if (!this.recognizer || !this.modelMeta?.recordingIds) return false;
    const trained = new Set(this.modelMeta.recordingIds);
    const current = this.recordings.filter((r) => this.vocabulary.includes(r.label));
    return current.length !== trained.size || current.some((r) => !trained.has(r.id));
  }

  /** Adds a typed word (cleaned), or with `asIs` a word that already is a label (a model's). */
  async addWord(word, { asIs = false } = {}) {
    const clean = asIs ? checkLabel(word) : cleanWord(word);
    if (this.vocabulary.includes(clean)) return clean;
    this.vocabulary.push(clean);
    await this.store?.set('vocabulary', this.vocabulary);
    this.changed('vocabulary');
    return clean;
  }

  async removeWord(word) {
    this.vocabulary = this.vocabulary.filter((w) => w !== word);
    this.recordings = this.recordings.filter((r) => r.label !== word);
    if (this.store) {
      await this.store.deleteRecordingsOf(word);
      await this.store.set('vocabulary', this.vocabulary);
    }
    this.changed('vocabulary');
  }

  async addRecording({ label, samples, sampleRate, source }) {
    if (!this.vocabulary.includes(label)) await this.addWord(label);
    const record = { label, samples, sampleRate, source, createdAt: Date.now() };
    const saved = this.store ? await this.store.addRecording(record) : { ...record, id: this.nextLocalId-- };
    this.recordings.push(saved);
    this.changed('recordings');
    return saved;
  }

  async deleteRecording(id) {
    this.recordings = this.recordings.filter((r) => r.id !== id);
    await this.store?.deleteRecording(id);
    this.changed('recordings');
  }

  /** Changes settings (saved with the rest). */
  async setSettings(changes) {
    this.settings = { ...this.settings, ...changes };
    await this.store?.set('settings', this.settings);
    this.changed('settings');
  }

  /**
   * Removes every recording whose source starts with `prefix` (the sample set's), and the
   * words in `words` that then have no recordings left: one action undoes loading a set.
   */
  async removeSource(prefix, words) {
    const gone = this.recordings.filter((r) => typeof r.source === 'string' && r.source.startsWith(prefix));
    this.recordings = this.recordings.filter((r) => !gone.includes(r));
    this.vocabulary = this.vocabulary.filter((w) => !words.includes(w) || this.countOf(w) > 0);
    if (this.store) {
      for (const r of gone) await this.store.deleteRecording(r.id);
      await this.store.set('vocabulary', this.vocabulary);
    }
    this.changed('recordings');
    return gone.length;
  }

  /** Installs a freshly trained (or imported) recogniser and saves it; `curves`: its
   *  training curves (label -> log-likelihood per frame by iteration), kept to show after a reload. */
  async setModel(recognizer, { recordingIds = null, curves = null } = {}) {
    const json = recognizer.toJSON();
    const meta = { trainedAt: Date.now(), recordingIds, labels: [...recognizer.labels], ...(curves ? { curves: [...curves] } : {}) };
    this.#setRecognizer(recognizer, json, meta);
    if (this.store) {
      await this.store.set('model', json);
      await this.store.set('modelMeta', meta);
    }
    this.changed('model');
  }

  #setRecognizer(recognizer, json, meta) {
    if (this.recognizer && this.recognizer !== recognizer) this.recognizer.dispose?.();
    this.recognizer = recognizer;
    this.modelJSON = json;
    this.modelMeta = meta ?? { trainedAt: null, recordingIds: null, labels: [...recognizer.labels] };
  }

  /** Replaces everything with an imported bundle (already validated). */
  async replaceAll({ vocabulary, recordings }) {
    const { settings } = this; // the page's own, not the imported file's
    await this.clear({ silent: true });
    this.settings = settings;
    await this.store?.set('settings', settings);
    this.vocabulary = [...vocabulary];
    await this.store?.set('vocabulary', this.vocabulary);
    for (const r of recordings) {
      const saved = this.store ? await this.store.addRecording(r) : { ...r, id: this.nextLocalId-- };
      this.recordings.push(saved);
    }
    this.changed('all');
  }

  async clear({ silent = false } = {}) {
    this.recognizer?.dispose?.();
    this.recognizer = null;
    this.modelJSON = null;
    this.modelMeta = null;
    this.vocabulary = [];
    this.recordings = [];
    this.settings = { ...DEFAULT_SETTINGS };
    await this.store?.clear();
    if (!silent) this.changed('all');
  }
}
