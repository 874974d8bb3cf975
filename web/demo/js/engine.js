// The demo's only door to the package: loads gmmhmm through its browser entry (web/dist/gmmhmm.js)
// and adds the spectrogram the page draws a recognised word's state alignment over, built on
// the package's own front end (`fbank`), so its frames are the recogniser's 10 ms frames.
import { load } from '../../dist/gmmhmm.js';

// What a word may be is the package's label rule (the demo adds only its own spelling:
// trimmed, lower case, single spaces).
export { checkLabel, MAX_LABEL_LENGTH } from '../../dist/gmmhmm.js';

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

/**
 * Log-mel settings for display: 25 ms frames every 10 ms like the recogniser's MFCCs, so a
 * display frame t is the recogniser's feature frame t (its state alignment lines up).
 */
export function displayFbankOptions(sampleRate) {
  return { numMelBins: 40, lowFreq: 20, highFreq: Math.min(7600, sampleRate / 2 - 100) };
}

/** Log-mel frames of a word, for drawing under its state alignment (the picture's only pass
 *  of the word through the front end: a listener's result carries samples and alignment, not features). */
export function utteranceSpectrogram(gmmhmm, samples, sampleRate) {
  return gmmhmm.fbank(samples, sampleRate, displayFbankOptions(sampleRate));
}
