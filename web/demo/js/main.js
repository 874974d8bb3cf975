// Boots the demo: loads the engine and the stored state, and wires the sections together.
// Every word the page hears is cut (and classified) by the package: recognizer.listen() on
// the microphone (js/voice.js), recognizer.createListener() on files (js/words.js).
import { loadEngine, MAX_LABEL_LENGTH } from './engine.js';
import { Store } from './store.js';
import { AppState, cleanWord } from './app-state.js';
import { Microphone, audioContext } from './mic.js';
import { LiveView } from './live-view.js';
import { Voice } from './voice.js';
import { wordsIn, longestWord } from './words.js';
import { EnrolView, ENOUGH_EXAMPLES } from './enrol-view.js';
import { TrainView } from './train-view.js';
import { ResultView } from './result-view.js';
import { UtteranceView } from './utterance-view.js';
import { KeepView } from './keep-view.js';
import { SamplesView } from './samples-view.js';
import { SensitivityControl } from './sensitivity-view.js';
import { VocabularySwitch } from './vocabulary-view.js';
import { byId, announce, showError, showErrorIn } from './dom.js';

// Measurements the benchmark reads (bench/demo-latency.js); harmless for visitors.
const metrics = { results: [], trainings: [] };
globalThis.gmmhmmDemo = { metrics };

// How every listener of the page cuts words (enrolment, recognition, files alike). postRoll
// (the Endpointer's default, given here so that the page knows it): the quiet kept after a
// word's last loud hop, so that the end of speech is the word's endTime minus this.
const POST_ROLL_MS = 60;
const CUT = { postRoll: POST_ROLL_MS };

let engine = null; // { gmmhmm, loadMs } once loaded
const engineReady = loadEngine().then((e) => (engine = e));
const getEngine = () => engineReady;

// An untrained recogniser: it only cuts words (enrolment from the microphone and from files).
let cutter = null;
const getCutter = () => {
  if (!engine) throw new Error('the engine is still loading; try again in a moment');
  cutter ??= new engine.gmmhmm.Recognizer();
  return cutter;
};

const state = new AppState(null);
const mic = new Microphone();
const liveView = new LiveView(byId('waveform'), byId('spectrogram'));
const voice = new Voice(mic, getCutter);
const resultView = new ResultView();
const utteranceView = new UtteranceView();

const micButton = byId('mic-toggle');
const micMessage = byId('mic-message');
const enrolHint = byId('enrol-hint');
const handsFreeButton = byId('hands-free');
const pttButton = byId('ptt');

/** An error shown next to the controls of `area` (words, train, recognise, keep, samples). */
function reportError(area, message) {
  showErrorIn(area, message);
  announce(message);
}
const errorIn = (area) => (message) => reportError(area, message);

function showMicError(error) {
  micMessage.hidden = false;
  micMessage.textContent = error.message;
  micMessage.dataset.kind = error.kind ?? 'failed';
}

// A slow start is said next to the button (mic.js decides when, and gives up on an
// AudioContext that never starts); the message goes once the step settles.
mic.onWaiting = (message) => {
  if (message) showMicError({ message, kind: 'waiting' });
  else if (micMessage.dataset.kind === 'waiting') micMessage.hidden = true;
};
// The device went away: said next to the microphone button and next to the control that was
// listening (Record, Push to talk, Hands-free); the listener was stopped, not ended, so a word
// cut off half-way is not kept.
mic.onEnded = (error) => {
  const area = voice.mode?.kind === 'enrol' ? 'words' : voice.mode ? 'recognise' : null;
  stopMic();
  showMicError(error);
  if (area) reportError(area, error.message);
};

/** Runs a microphone action; its errors go next to the microphone button (a microphone
 *  problem) or next to the control of `area`; the area's error clears when it succeeds. */
function withMic(area, promise) {
  return promise.then(() => {
    micMessage.hidden = true;
    micMessage.textContent = '';
    showErrorIn(area, null);
    micStarted();
  }).catch((error) => {
    // A microphone problem is explained by the microphone button, and also next to the
    // control that was pressed (Record, Push to talk...: the Listen section may be out of view).
    if (error?.name === 'MicrophoneError') showMicError(error);
    if (error?.name !== 'MicrophoneError' || area !== 'listen') reportError(area, error?.message ?? String(error));
  });
}

// ---------- Listen ----------
function micStarted() {
  if (!mic.running || liveView.analyser?.source === mic.node) return;
  liveView.show(mic.node);
  micButton.textContent = 'Stop microphone';
  byId('mic-rate').textContent = `Listening at ${mic.sampleRate} Hz (the device\u2019s own rate)`;
}
function stopMic() {
  voice.stopMic();
  liveView.show(null);
  micButton.textContent = 'Start microphone';
  byId('mic-rate').textContent = '';
}
micButton.addEventListener('click', () => {
  if (mic.running) stopMic();
  else withMic('listen', mic.start());
});

// ---------- Words ----------
const enrolView = new EnrolView(byId('words'), state, {
  record: (word) => {
    if (voice.mode?.kind === 'enrol' && voice.mode.word === word) {
      voice.stopMode();
      return;
    }
    withMic('words', voice.startEnrol(word, CUT, state.active));
  },
  play: (recording) => play(recording),
  deleteRecording: (recording) => state.deleteRecording(recording.id),
  removeWord: (word) => {
    if (voice.mode?.word === word) voice.stopMode();
    state.removeWord(word);
  },
});

function play(recording) {
  const context = audioContext(); // inside the click
  const buffer = context.createBuffer(1, recording.samples.length, recording.sampleRate);
  buffer.copyToChannel(recording.samples, 0);
  const source = context.createBufferSource();
  source.buffer = buffer;
  source.connect(context.destination);
  source.start();
}

// The package's limit, so that the field never takes a word the recogniser would refuse.
byId('new-word').maxLength = MAX_LABEL_LENGTH;
byId('word-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = byId('new-word');
  // Cleared at once: the next word may be typed while this one is being saved.
  const typed = input.value;
  input.value = '';
  try {
    // Asked before the save, which awaits: a word removed meanwhile must not count.
    const clean = cleanWord(typed);  // throws, naming the rule, for a word that cannot be one
    if (state.vocabulary.includes(clean)) {
      reportError('words', `\u201c${clean}\u201d is already in the list.`);
      return;
    }
    const word = await state.addWord(typed);
    showErrorIn('words', null);
    announce(`Added \u201c${word}\u201d.`);
  } catch (error) {
    if (!input.value) input.value = typed;
    reportError('words', error.message);
  }
});
for (const button of document.querySelectorAll('[data-words]')) {
  button.addEventListener('click', async () => {
    for (const word of button.dataset.words.split(' ')) await state.addWord(word);
    showErrorIn('words', null);
    announce(`Vocabulary: ${state.vocabulary.join(', ')}.`);
  });
}

voice.addEventListener('example', async ({ detail }) => {
  await state.addRecording({
    label: detail.word, samples: detail.samples, sampleRate: detail.sampleRate, source: 'microphone', vocabulary: detail.vocabulary,
  });
  const n = state.countOf(detail.word);
  announce(`Example ${n} of \u201c${detail.word}\u201d recorded.`);
  updateEnrolHint();
});
voice.addEventListener('speech', ({ detail }) => {
  enrolHint.dataset.speaking = String(detail.speaking && detail.kind === 'enrol');
  // Only the control that is listening shows that it hears speech.
  pttButton.classList.toggle('talking', detail.kind === 'ptt' && voice.mode?.kind === 'ptt');
  handsFreeButton.classList.toggle('hearing', detail.speaking && detail.kind === 'handsfree');
});
// The page says when the words are really being heard (the listener started), not only asked
// for: the body's data-listening (enrol, handsfree, ptt), cleared when the mode ends.
voice.addEventListener('listening', ({ detail }) => {
  document.body.dataset.listening = detail.kind;
});
voice.addEventListener('mode', ({ detail }) => {
  if (detail.kind === null) delete document.body.dataset.listening;
  enrolView.setRecordingWord(detail.kind === 'enrol' ? detail.word : null);
  const handsFree = detail.kind === 'handsfree';
  handsFreeButton.setAttribute('aria-pressed', String(handsFree));
  handsFreeButton.textContent = `Hands-free: ${handsFree ? 'on' : 'off'}`;
  // While hands-free listens, push-to-talk is not the thing to press: it looks like a plain button.
  pttButton.classList.toggle('primary', !handsFree);
  handsFreeButton.classList.toggle('primary', handsFree);
  if (!handsFree) handsFreeButton.classList.remove('hearing');
  const ptt = detail.kind === 'ptt';
  pttButton.classList.toggle('talking', ptt);
  pttButton.textContent = ptt ? 'Listening\u2026 release to recognise' : 'Push to talk';
  updateEnrolHint();
});
voice.addEventListener('error', ({ detail }) => {
  const area = detail.source === 'microphone' ? 'words' : 'recognise';
  reportError(area, `Listening: ${detail.error.message}`);
});

function updateEnrolHint() {
  const mode = voice.mode;
  if (mode?.kind !== 'enrol') {
    enrolHint.textContent = '';
    return;
  }
  const n = state.countOf(mode.word);
  enrolHint.textContent = `Listening for \u201c${mode.word}\u201d: say it, pause, say it again\u2026 ${n} recorded${n >= ENOUGH_EXAMPLES ? ' \u2014 enough to train; more helps' : ''}. Press Stop when done.`;
}

// ---------- Train ----------
const trainView = new TrainView(state, getEngine, {
  onTrained: (recognizer, recordingIds, curves, vocabulary) => {
    showErrorIn('train', null);
    showErrorIn('recognise', null); // e.g. "There is no trained model yet", now untrue
    return state.setModel(recognizer, { recordingIds, curves, vocabulary });
  },
  onTimed: (timing) => metrics.trainings.push(timing),
  onError: errorIn('train'),
});

// ---------- Recognise ----------
const sensitivity = new SensitivityControl(state);

function afterNextPaint(callback) {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = callback;
    channel.port2.postMessage(null);
  });
}

/** The trained recogniser, or null with the reason shown next to the control of `area`. */
function trainedRecognizer(area) {
  if (state.recognizer) return state.recognizer;
  reportError(area, 'There is no trained model yet: record examples and press Train (or load the sample set).');
  return null;
}

// Recognition's results carry the word's spectrogram (computed in the listener's Worker, where
// the word already is) for the picture of the last word, and not the word's samples, which
// the page does not use: no audio is sent to the page's thread (enrolment takes its words from
// nextUtterance(), which always carries them).
const listenOptions = () => ({ ...CUT, sensitivity: state.settings.sensitivity, spectrogram: true, samples: false });

/**
 * Shows a result (a listener's: Classification + the word's times), all of it in this task so
 * that the page lays out and paints one frame per result (docs/listening.md, the main thread's
 * work per result). `timing`: () => the latency figures of a word from the microphone, or null.
 */
function show(result, { source, timing = null }) {
  showErrorIn('recognise', null);
  const arrived = timing?.() ?? null;
  resultView.show(result, { source, latency: arrived });
  sensitivity.offer(result);
  const t1 = performance.now();
  utteranceView.show(result);
  const drawMs = performance.now() - t1;
  // For bench/demo-latency.js: when the result is on screen (nothing is written then).
  afterNextPaint(() => {
    const painted = arrived && timing();
    metrics.results.push({
      latencyMs: painted?.sinceEndOfSpeechMs, inDomMs: arrived?.sinceEndOfSpeechMs, decisionDelayMs: arrived?.decisionDelayMs,
      drawMs, label: result.label, rejected: result.rejected, reason: result.reason, source,
    });
  });
}

// Microphone results: timed from the end of speech in the stream (the word's last loud hop,
// on the AudioContext's clock, the one the capture worklet stamps its blocks with) to now:
// the result's arrival on the page (shown with it), and (for the benchmark) its paint.
voice.addEventListener('result', ({ detail }) => {
  // For bench/demo-latency.js: where each result arrives in a trace of the main thread.
  performance.mark('gmmhmm-demo-result');
  const { result, source, listener } = detail;
  const context = mic.context;
  show(result, {
    source,
    timing: () => {
      if (!context || listener.contextTimeAtStart === null) return null;
      const endOfSpeech = listener.contextTimeAtStart + result.endTime - POST_ROLL_MS / 1000;
      return {
        sinceEndOfSpeechMs: (context.currentTime - endOfSpeech) * 1000,
        // The quiet after the last loud hop the Endpointer heard before deciding (its hangover).
        decisionDelayMs: result.decisionDelay * 1000 + POST_ROLL_MS,
      };
    },
  });
});
voice.addEventListener('done', ({ detail }) => {
  if (!detail.heard) show(noWord(), { source: detail.source });
  if (detail.source !== 'push-to-talk' || !resumeHandsFree) return;
  resumeHandsFree = false;
  if (detail.stopped) return; // the microphone was closed: it stays closed
  // Unless something else started meanwhile (pressed again, recording an example).
  if (!voice.mode && !pttHeld && state.recognizer) withMic('recognise', voice.startHandsFree(state.recognizer, listenOptions()));
});

const noWord = () => ({
  label: null, confidence: 0, rejected: true, reason: 'no-word', scores: [], alignment: null,
  samples: new Float32Array(0), sampleRate: 16000, startSample: 0, endSample: 0,
});

/** A whole recording (a file, a test sound): its longest word, cut and classified by a listener. */
async function recogniseRecording(samples, sampleRate, source) {
  await engineReady;
  const recognizer = trainedRecognizer('samples');
  if (!recognizer) return null;
  let found;
  try {
    found = longestWord(wordsIn(recognizer, samples, sampleRate, listenOptions()));
  } catch (error) {
    reportError('samples', `Recognition failed: ${error.message}`);
    return null;
  }
  const result = found?.result ?? noWord();
  show(result, { source });
  showErrorIn('samples', null);
  return result;
}

// Whether hands-free listens again once a push-to-talk word is done ('done' above).
let resumeHandsFree = false;
handsFreeButton.addEventListener('click', () => {
  resumeHandsFree = false; // the visitor decides about hands-free now, not a push-to-talk's end
  if (voice.mode?.kind === 'handsfree') {
    voice.stopMode();
    return;
  }
  const recognizer = trainedRecognizer('recognise');
  if (recognizer) withMic('recognise', voice.startHandsFree(recognizer, listenOptions()));
});
// A new model or sensitivity: hands-free listens again with it (a vocabulary with no model: it stops).
function relisten() {
  if (voice.mode?.kind !== 'handsfree') return;
  if (!state.recognizer) voice.stopMode();
  else withMic('recognise', voice.startHandsFree(state.recognizer, listenOptions()));
}
sensitivity.addEventListener('change', relisten);

// Push-to-talk: hold the pointer, or Space/Enter while the button has focus. Pressed while
// hands-free listens, it pauses hands-free for that word, which then listens again ('done').
let pttHeld = false;
function pttStart(event) {
  event.preventDefault();
  if (pttHeld) return;
  const recognizer = trainedRecognizer('recognise');
  if (!recognizer) return;
  pttHeld = true;
  // (Pressed again before the last release's word came back: still to be resumed.)
  resumeHandsFree ||= voice.mode?.kind === 'handsfree';
  withMic('recognise', voice.pttDown(recognizer, listenOptions()));
}
function pttEnd() {
  if (!pttHeld) return;
  pttHeld = false;
  voice.pttUp();
}
pttButton.addEventListener('pointerdown', (event) => {
  pttButton.setPointerCapture(event.pointerId);
  pttStart(event);
});
pttButton.addEventListener('pointerup', pttEnd);
pttButton.addEventListener('pointercancel', pttEnd);
pttButton.addEventListener('keydown', (event) => {
  if ((event.key === ' ' || event.key === 'Enter') && !event.repeat) pttStart(event);
});
pttButton.addEventListener('keyup', (event) => {
  if (event.key === ' ' || event.key === 'Enter') pttEnd();
});
pttButton.addEventListener('blur', pttEnd);

// ---------- Keep ----------
const keepView = new KeepView(state, {
  getEngine,
  beforeReset: () => voice.stopMode(),
  afterImport: () => {
    samplesView.refreshDropModes();
  },
  afterReset: () => {
    resultView.clear();
    utteranceView.show(null);
  },
  error: errorIn('keep'),
  succeeded: () => showErrorIn('keep', null),
});

// ---------- Samples and dropped files ----------
/** Recordings enrolled from files: their longest word, cut as the microphone's are. */
async function enrolRecordings(list) {
  await engineReady;
  for (const item of list) {
    const found = longestWord(wordsIn(getCutter(), item.samples, item.sampleRate, CUT));
    await state.addRecording({ ...item, samples: found ? found.word.samples : item.samples });
  }
}
/** Shows, trains and recognises with another vocabulary: what was recording its words or training stops. */
async function useVocabulary(name) {
  if (name === state.active) return;
  if (voice.mode?.kind === 'enrol') voice.stopMode();
  trainView.cancel();
  await state.switchTo(name);
}
const vocabularySwitch = new VocabularySwitch(state, useVocabulary);
const samplesView = new SamplesView(state, {
  useVocabulary,
  enrolSamples: enrolRecordings,
  train: () => trainView.train(),
  recognise: (samples, sampleRate, source) => recogniseRecording(samples, sampleRate, source),
  error: errorIn('samples'),
  succeeded: () => showErrorIn('samples', null),
});

// The first classification runs wasm code the browser has not optimised yet (about 10 ms
// more): one classification of a training example while the page is idle keeps that cost off
// the first file a visitor drops (listen() warms its own Worker as it starts).
let warmedUp = null;
function warmUp() {
  const recognizer = state.recognizer;
  if (!recognizer || warmedUp === recognizer) return;
  warmedUp = recognizer;
  const example = state.recordings.find((r) => recognizer.labels.includes(r.label));
  if (!example) return;
  const idle = globalThis.requestIdleCallback ?? ((callback) => setTimeout(callback, 50));
  idle(() => {
    if (state.recognizer !== recognizer) return;
    try {
      recognizer.classifySync(example.samples, example.sampleRate);
    } catch {
      // Only a warm-up: a real classification reports its own errors.
    }
  });
}

// ---------- Everything that depends on the state ----------
let listenedWith = null;
state.addEventListener('change', () => {
  warmUp();
  vocabularySwitch.refresh();
  enrolView.render();
  trainView.refresh();
  keepView.refresh();
  samplesView.refresh();
  sensitivity.refresh();
  updateEnrolHint();
  if (state.recognizer !== listenedWith) {
    listenedWith = state.recognizer;
    relisten();
  }
});

window.addEventListener('unhandledrejection', (event) => {
  if (event.reason?.name === 'MicrophoneError') return; // already shown next to the button
  showError(`Something went wrong: ${event.reason?.message ?? event.reason}`);
});

async function boot() {
  enrolView.render();
  trainView.refresh();
  keepView.refresh();
  utteranceView.draw();
  try {
    state.store = await Store.open();
    const { gmmhmm, loadMs } = await engineReady;
    const { restoredModel, modelError } = await state.restore(gmmhmm);
    byId('engine-status').textContent = `Engine ready in ${Math.round(loadMs)} ms.` +
      (restoredModel ? ' The model trained earlier was restored.' : '');
    if (modelError) reportError('train', `The stored model could not be loaded and was discarded: ${modelError.message}`);
    document.body.dataset.ready = 'true';
  } catch (error) {
    byId('engine-status').textContent = 'The engine could not be loaded.';
    showError(`The engine could not be loaded: ${error.message}. This demo needs a browser with WebAssembly.`);
    document.body.dataset.ready = 'error';
  }
  reportPageWeight();
}

/** Shows what loading the page transferred (honest about its weight). */
function reportPageWeight() {
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
  const bytes = entries.reduce((n, e) => n + (e.transferSize || e.encodedBodySize || 0), 0);
  if (bytes > 0) byId('footer-size').textContent = `this page loaded ${(bytes / 1024).toFixed(0)} KB`;
  metrics.pageBytes = bytes;
}

boot();
