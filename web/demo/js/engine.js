// The demo's only door to the package: loads gmmhmm through the browser entry of 'gmmhmm/words'
// (web/dist/gmmhmm-words.js: the front end and the Recognizer, all a page of voice commands needs).
// (The spectrogram a word's state alignment is drawn over comes with its result: the listener's
// option spectrogram: true.)
import { load } from '../../dist/gmmhmm-words.js';

// What a word may be is the package's label rule (the demo adds only its own spelling:
// trimmed, lower case, single spaces).
export { checkLabel, MAX_LABEL_LENGTH } from '../../dist/gmmhmm-words.js';

let loading = null;

/** Loads the package once; resolves to { gmmhmm, loadMs }. */
export function loadEngine() {
  loading ??= (async () => {
    const t0 = performance.now();
    const gmmhmm = await load();
    const loadMs = performance.now() - t0;
    // Training is what the page is for: start its Workers now, while the user records, so
    // that the first "Train" does not wait for them (where Workers cannot run, training
    // simply stays in the page).
    gmmhmm.Recognizer.prepareWorkers().catch(() => {});
    return { gmmhmm, loadMs };
  })();
  return loading;
}
