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

/**
 * The page's vocabularies, each with its own words, recordings and model: the visitor's, and
 * the sample set's (so that loading the sample set never mixes its words into the visitor's).
 * `keys`: where each is kept in the store (the visitor's under the names older versions of
 * the page used, so that their stores load as they were).
 */
export const VOCABULARIES = {
  mine: { name: 'your words', keys: { words: 'vocabulary', model: 'model', meta: 'modelMeta' } },
  samples: { name: 'the sample set', keys: { words: 'samples.vocabulary', model: 'samples.model', meta: 'samples.modelMeta' } },
};
const ACTIVE_KEY = 'activeVocabulary';
// Recordings of the sample set kept by pages from before the sample set had a vocabulary of
// its own carry no `vocabulary` field; their source says where they came from.
const OLD_SAMPLE_SOURCE = 'sample ';

/** The vocabulary a stored recording belongs to. */
function vocabularyOf(recording) {
  if (recording.vocabulary in VOCABULARIES) return recording.vocabulary;
  return typeof recording.source === 'string' && recording.source.startsWith(OLD_SAMPLE_SOURCE) ? 'samples' : 'mine';
}

const emptyBook = () => ({ words: [], recordings: [], recognizer: null, modelJSON: null, modelMeta: null });

export class AppState extends EventTarget {
  constructor(store) {
    super();
    this.store = store; // null: no persistence (the page says so)
    this.books = { mine: emptyBook(), samples: emptyBook() };
    this.active = 'mine'; // the vocabulary shown, trained and recognised with
    this.settings = { ...DEFAULT_SETTINGS };
    this.nextLocalId = -1; // ids for recordings when there is no store
  }

  // The active vocabulary's parts, as the views read them.
  get #book() { return this.books[this.active]; }
  get vocabulary() { return this.#book.words; }
  get recordings() { return this.#book.recordings; } // { id, label, samples, sampleRate, source, createdAt, vocabulary? }
  get recognizer() { return this.#book.recognizer; } // trained gmmhmm Recognizer
  get modelJSON() { return this.#book.modelJSON; }
  get modelMeta() { return this.#book.modelMeta; } // { trainedAt, recordingIds: number[], labels: string[], curves?: [label, number[]][] }

  /** True when the vocabulary `name` has words (the sample set's exists once it is loaded). */
  has(name) {
    return this.books[name].words.length > 0 || this.books[name].recordings.length > 0;
  }

  changed(what) {
    this.dispatchEvent(new CustomEvent('change', { detail: what }));
  }

  /** Shows, trains and recognises with the vocabulary `name` ('mine' or 'samples'); kept across reloads. */
  async switchTo(name) {
    if (!(name in VOCABULARIES)) throw new Error(`no vocabulary called ${name}`);
    if (name === this.active) return;
    this.active = name;
    await this.store?.set(ACTIVE_KEY, name);
    this.changed('all');
  }

  /** Loads every vocabulary (words, recordings, model) from the store; rebuilds the recognisers. */
  async restore(gmmhmm) {
    if (!this.store) return { restoredModel: false };
    const [recordings, settings, active] = await Promise.all([
      this.store.allRecordings(), this.store.get('settings'), this.store.get(ACTIVE_KEY),
    ]);
    // A stored value the listener would refuse (an older page, a hand-edited store) falls back to the default.
    const sensitivity = Number(settings?.sensitivity);
    this.settings = { ...DEFAULT_SETTINGS, ...(Number.isFinite(sensitivity) && Math.abs(sensitivity) <= 20 ? { sensitivity } : {}) };
    let restoredModel = false;
    let modelError = null;
    for (const [name, { keys }] of Object.entries(VOCABULARIES)) {
      const [words, modelJSON, modelMeta] = await Promise.all([keys.words, keys.model, keys.meta].map((k) => this.store.get(k)));
      const book = emptyBook();
      book.recordings = recordings.filter((r) => vocabularyOf(r) === name);
      const own = new Set(book.recordings.map((r) => r.label));
      const elsewhere = new Set(recordings.filter((r) => vocabularyOf(r) !== name).map((r) => r.label));
      // An older page listed the sample set's words with the visitor's: a word whose only
      // recordings are another vocabulary's belongs there.
      book.words = (Array.isArray(words) ? words : []).filter((w) => own.has(w) || !elsewhere.has(w));
      for (const label of own) if (!book.words.includes(label)) book.words.push(label);
      this.books[name] = book;
      if (!modelJSON) continue;
      try {
        this.#setRecognizer(book, gmmhmm.Recognizer.fromJSON(modelJSON), modelJSON, modelMeta);
        if (name === (active in VOCABULARIES ? active : 'mine')) restoredModel = true;
      } catch (error) {
        modelError = error;
        await this.store.set(keys.model, null);
        await this.store.set(keys.meta, null);
      }
    }
    this.active = active in VOCABULARIES && this.has(active) ? active : 'mine';
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

  #saveWords(name = this.active) {
    return this.store?.set(VOCABULARIES[name].keys.words, this.books[name].words);
  }

  /** Adds a typed word (cleaned), or with `asIs` a word that already is a label (a model's). */
  async addWord(word, { asIs = false } = {}) {
    const clean = asIs ? checkLabel(word) : cleanWord(word);
    if (this.vocabulary.includes(clean)) return clean;
    this.vocabulary.push(clean);
    await this.#saveWords();
    this.changed('vocabulary');
    return clean;
  }

  async removeWord(word) {
    const book = this.#book;
    const gone = book.recordings.filter((r) => r.label === word);
    book.words = book.words.filter((w) => w !== word);
    book.recordings = book.recordings.filter((r) => r.label !== word);
    if (this.store) {
      // By id: the other vocabulary may have a word of the same name.
      for (const r of gone) await this.store.deleteRecording(r.id);
      await this.#saveWords();
    }
    this.changed('vocabulary');
  }

  /** Adds a recording to vocabulary `vocabulary` (default: the active one; a word recorded
   *  before a switch still goes to the vocabulary it was recorded for). */
  async addRecording({ label, samples, sampleRate, source, vocabulary = this.active }) {
    const book = this.books[vocabulary];
    if (!book.words.includes(label)) {
      book.words.push(checkLabel(label));
      await this.#saveWords(vocabulary);
    }
    const record = { label, samples, sampleRate, source, vocabulary, createdAt: Date.now() };
    const saved = this.store ? await this.store.addRecording(record) : { ...record, id: this.nextLocalId-- };
    book.recordings.push(saved);
    this.changed('recordings');
    return saved;
  }

  async deleteRecording(id) {
    const book = this.#book;
    book.recordings = book.recordings.filter((r) => r.id !== id);
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
   * Deletes the vocabulary `name` whole (words, recordings, model; the sample set's in one
   * action) and shows the visitor's words. Returns the number of recordings removed.
   */
  async removeVocabulary(name) {
    const book = this.books[name];
    this.books[name] = emptyBook();
    book.recognizer?.dispose?.();
    if (this.store) {
      for (const r of book.recordings) await this.store.deleteRecording(r.id);
      for (const key of Object.values(VOCABULARIES[name].keys)) await this.store.set(key, null);
    }
    if (this.active === name) {
      this.active = 'mine';
      await this.store?.set(ACTIVE_KEY, 'mine');
    }
    this.changed('all');
    return book.recordings.length;
  }

  /** Installs a freshly trained (or imported) recogniser in vocabulary `vocabulary` (default:
   *  the active one) and saves it; `curves`: its training curves (label -> log-likelihood per
   *  frame by iteration), kept to show after a reload. */
  async setModel(recognizer, { recordingIds = null, curves = null, vocabulary = this.active } = {}) {
    const json = recognizer.toJSON();
    const meta = { trainedAt: Date.now(), recordingIds, labels: [...recognizer.labels], ...(curves ? { curves: [...curves] } : {}) };
    this.#setRecognizer(this.books[vocabulary], recognizer, json, meta);
    if (this.store) {
      await this.store.set(VOCABULARIES[vocabulary].keys.model, json);
      await this.store.set(VOCABULARIES[vocabulary].keys.meta, meta);
    }
    this.changed('model');
  }

  #setRecognizer(book, recognizer, json, meta) {
    if (book.recognizer && book.recognizer !== recognizer) book.recognizer.dispose?.();
    book.recognizer = recognizer;
    book.modelJSON = json;
    book.modelMeta = meta ?? { trainedAt: null, recordingIds: null, labels: [...recognizer.labels] };
  }

  /** Replaces the active vocabulary with an imported bundle (already validated); the other stays. */
  async replaceAll({ vocabulary, recordings }) {
    const name = this.active;
    const book = this.#book;
    book.recognizer?.dispose?.();
    this.books[name] = emptyBook();
    if (this.store) {
      for (const r of book.recordings) await this.store.deleteRecording(r.id);
      for (const key of Object.values(VOCABULARIES[name].keys)) await this.store.set(key, null);
    }
    const fresh = this.books[name];
    fresh.words = [...vocabulary];
    await this.#saveWords(name);
    for (const r of recordings) {
      const record = { ...r, vocabulary: name };
      fresh.recordings.push(this.store ? await this.store.addRecording(record) : { ...record, id: this.nextLocalId-- });
    }
    this.changed('all');
  }

  /** Deletes everything: every vocabulary, the settings. */
  async clear({ silent = false } = {}) {
    for (const book of Object.values(this.books)) book.recognizer?.dispose?.();
    this.books = { mine: emptyBook(), samples: emptyBook() };
    this.active = 'mine';
    this.settings = { ...DEFAULT_SETTINGS };
    await this.store?.clear();
    if (!silent) this.changed('all');
  }
}
