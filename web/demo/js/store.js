// Persistence in IndexedDB: recordings (samples + label + rate + the vocabulary they belong
// to) and a few named values (each vocabulary's words and trained model JSON, the settings,
// which vocabulary is shown). Everything stays in this browser.
const DB_NAME = 'gmmhmm-demo';
const DB_VERSION = 1;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export class Store {
  /** Opens the database; resolves to a Store, or to null when IndexedDB is unavailable
   *  (private windows of some browsers) so the page can still work without persistence. */
  static async open() {
    if (!globalThis.indexedDB) return null;
    try {
      const open = indexedDB.open(DB_NAME, DB_VERSION);
      open.onupgradeneeded = () => {
        const db = open.result;
        const recordings = db.createObjectStore('recordings', { keyPath: 'id', autoIncrement: true });
        recordings.createIndex('label', 'label');
        db.createObjectStore('values');
      };
      return new Store(await request(open));
    } catch {
      return null;
    }
  }

  constructor(db) {
    this.db = db;
  }

  /** Adds a recording {label, samples: Float32Array, sampleRate, source}; returns it with its id. */
  async addRecording(recording) {
    const tx = this.db.transaction('recordings', 'readwrite');
    const record = { ...recording, createdAt: recording.createdAt ?? Date.now() };
    const id = await request(tx.objectStore('recordings').add(record));
    await done(tx);
    return { ...record, id };
  }

  async deleteRecording(id) {
    const tx = this.db.transaction('recordings', 'readwrite');
    tx.objectStore('recordings').delete(id);
    await done(tx);
  }

  async allRecordings() {
    const tx = this.db.transaction('recordings', 'readonly');
    const all = await request(tx.objectStore('recordings').getAll());
    return all;
  }

  async get(key) {
    const tx = this.db.transaction('values', 'readonly');
    return request(tx.objectStore('values').get(key));
  }

  async set(key, value) {
    const tx = this.db.transaction('values', 'readwrite');
    if (value === undefined || value === null) tx.objectStore('values').delete(key);
    else tx.objectStore('values').put(value, key);
    await done(tx);
  }

  /** Removes every recording and value. */
  async clear() {
    const tx = this.db.transaction(['recordings', 'values'], 'readwrite');
    tx.objectStore('recordings').clear();
    tx.objectStore('values').clear();
    await done(tx);
  }
}
