// Boots the demo: loads the engine and the stored state, and wires the sections together.
import { loadEngine, utteranceSpectrogram, MAX_LABEL_LENGTH } from './engine.js';
import { Store } from './store.js';
import { AppState } from './app-state.js';
import { audioContext } from './mic.js';
import { LiveView } from './live-view.js';
import { Listening } from './listening.js';
import { cutWord } from './segmenter.js';
import { EnrolView, ENOUGH_EXAMPLES } from './enrol-view.js';
import { TrainView } from './train-view.js';
import { ResultView } from './result-view.js';
import { drawAlignment } from './alignment-view.js';
import { KeepView } from './keep-view.js';
import { SamplesView } from './samples-view.js';
import { byId, announce, showError } from './dom.js';

// Measurements the benchmark reads (bench/demo-latency.js); harmless for visitors.
const metrics = { results: [], trainings: [] };
globalThis.gmmhmmDemo = { metrics };

let engine = null; // { gmmhmm, loadMs } once loaded
const engineReady = loadEngine().then((e) => (engine = e));
const getEngine = () => engineReady;

const state = new AppState(null);
const liveView = new LiveView(byId('waveform'), byId('spectrogram'));
const listening = new Listening(() => engine?.gmmhmm ?? null, liveView);
const resultView = new ResultView();
let lastUtterance = null;

const micButton = byId('mic-toggle');
const micMessage = byId('mic-message');
const enrolHint = byId('enrol-hint');
const handsFreeButton = byId('hands-free');
const pttButton = byId('ptt');

function reportError(message) {
  showError(message);
  announce(message);
}

function showMicError(error) {
  micMessage.hidden = false;
  micMessage.textContent = error.message;
  micMessage.dataset.kind = error.kind ?? 'failed';
}

// A slow start is said next to the button (mic.js decides when, and gives up on an
// AudioContext that never starts); the message goes once the step settles.
listening.mic.onWaiting = (message) => {
  if (message) showMicError({ message, kind: 'waiting' });
  else if (micMessage.dataset.kind === 'waiting') micMessage.hidden = true;
};

function withMic(promise) {
  return promise.then(() => {
    micMessage.hidden = true;
    micMessage.textContent = '';
  }).catch((error) => {
    if (error?.name === 'MicrophoneError') showMicError(error);
    else reportError(error?.message ?? String(error));
    throw error;
  });
}

// ---------- Listen ----------
micButton.addEventListener('click', () => {
  if (listening.mic.running) listening.stopMic();
  else withMic(listening.startMic()).catch(() => {});
});
listening.addEventListener('mic', ({ detail }) => {
  micButton.textContent = detail.running ? 'Stop microphone' : 'Start microphone';
  byId('mic-rate').textContent = detail.running ? `Listening at ${detail.sampleRate} Hz (the device\u2019s own rate)` : '';
});

// ---------- Words ----------
const enrolView = new EnrolView(byId('words'), state, {
  record: (word) => {
    if (listening.mode?.kind === 'enrol' && listening.mode.word === word) {
      listening.stopMode();
      return;
    }
    withMic(listening.startEnrol(word)).catch(() => {});
  },
  play: (recording) => play(recording),
  deleteRecording: (recording) => state.deleteRecording(recording.id),
  removeWord: (word) => {
    if (listening.mode?.word === word) listening.stopMode();
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
    const word = await state.addWord(typed);
    announce(`Added \u201c${word}\u201d.`);
  } catch (error) {
    if (!input.value) input.value = typed;
    reportError(error.message);
  }
});
for (const button of document.querySelectorAll('[data-words]')) {
  button.addEventListener('click', async () => {
    for (const word of button.dataset.words.split(' ')) await state.addWord(word);
    announce(`Vocabulary: ${state.vocabulary.join(', ')}.`);
  });
}

listening.addEventListener('example', async ({ detail }) => {
  await state.addRecording({ label: detail.word, samples: detail.samples, sampleRate: detail.sampleRate, source: 'microphone' });
  const n = state.countOf(detail.word);
  announce(`Example ${n} of \u201c${detail.word}\u201d recorded.`);
  updateEnrolHint();
});
listening.addEventListener('speech', ({ detail }) => {
  enrolHint.dataset.speaking = String(detail.speaking);
  pttButton.classList.toggle('talking', detail.speaking && listening.mode?.kind === 'handsfree');
});
listening.addEventListener('mode', ({ detail }) => {
  enrolView.setRecordingWord(detail.kind === 'enrol' ? detail.word : null);
  const handsFree = detail.kind === 'handsfree';
  handsFreeButton.setAttribute('aria-pressed', String(handsFree));
  handsFreeButton.textContent = `Hands-free: ${handsFree ? 'on' : 'off'}`;
  updateEnrolHint();
});

function updateEnrolHint() {
  const mode = listening.mode;
  if (mode?.kind !== 'enrol') {
    enrolHint.textContent = '';
    return;
  }
  const n = state.countOf(mode.word);
  enrolHint.textContent = `Listening for \u201c${mode.word}\u201d: say it, pause, say it again\u2026 ${n} recorded${n >= ENOUGH_EXAMPLES ? ' \u2014 enough to train; more helps' : ''}. Press Stop when done.`;
}

// ---------- Train ----------
const trainView = new TrainView(state, getEngine, {
  onTrained: (recognizer, recordingIds) => state.setModel(recognizer, { recordingIds }),
  onTimed: (timing) => metrics.trainings.push(timing),
  onError: reportError,
});

// ---------- Recognise ----------
function afterNextPaint(callback) {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = callback;
    channel.port2.postMessage(null);
  });
}

async function recognise(samples, sampleRate, { source, endedAt = performance.now(), cut = true, decisionDelayMs = null } = {}) {
  const { gmmhmm } = await engineReady;
  if (!state.recognizer) {
    reportError('There is no trained model yet: record examples and press Train (or load the sample set).');
    return null;
  }
  showError(null);
  // Files and push-to-talk recordings are cut like live audio, so every path classifies the
  // same kind of segment the models were trained on.
  let word = samples;
  if (cut) {
    const found = cutWord(gmmhmm, samples, sampleRate);
    if (!found) {
      const result = { label: null, confidence: 0, rejected: true, reason: 'no-word', scores: [], alignment: null };
      resultView.show(result, { source });
      lastUtterance = { samples, sampleRate, result };
      drawUtterance();
      return result;
    }
    word = found.samples;
  }
  const t0 = performance.now();
  let result;
  try {
    result = await state.recognizer.classify(word, sampleRate);
  } catch (error) {
    reportError(`Recognition failed: ${error.message}`);
    return null;
  }
  const classifyMs = performance.now() - t0;
  lastUtterance = { samples: word, sampleRate, result };
  resultView.show(result, { source, classifyMs });
  const inDomMs = performance.now() - endedAt;
  // The latency we report ends when the result has been painted: a task queued from the
  // next animation frame runs after that frame's paint.
  afterNextPaint(() => {
    const latencyMs = performance.now() - endedAt;
    if (lastUtterance?.result === result) resultView.setTiming({ classifyMs, latencyMs, source });
    const t1 = performance.now();
    drawUtterance(); // the spectrogram and alignment follow in the next frame
    const drawMs = performance.now() - t1;
    metrics.results.push({ latencyMs, inDomMs, classifyMs, drawMs, decisionDelayMs, label: result.label, rejected: result.rejected, reason: result.reason, source });
  });
  return result;
}

/** The last utterance's spectrogram with the Viterbi state alignment of its (closest) word. */
function drawUtterance() {
  const canvas = byId('alignment');
  const caption = byId('alignment-caption');
  if (!lastUtterance || !engine) {
    drawAlignment(canvas, [], null);
    caption.textContent = 'Recognise a word to see its spectrogram and state alignment here.';
    return;
  }
  const { samples, sampleRate, result } = lastUtterance;
  const frames = utteranceSpectrogram(engine.gmmhmm, samples, sampleRate);
  const alignment = result.alignment;
  drawAlignment(canvas, frames, alignment);
  const length = `${(samples.length / sampleRate).toFixed(2)} s`;
  if (!alignment) {
    caption.textContent = `Spectrogram of the last sound (${length}); no word was scored, so there is no state alignment.`;
  } else {
    const whose = result.rejected ? `the closest word \u201c${alignment.label}\u201d` : `\u201c${alignment.label}\u201d`;
    caption.textContent = `Spectrogram of the last utterance (${length}) with the Viterbi alignment of ${whose}: ` +
      `which HMM state explains each 10 ms frame (${alignment.states.length} frames after the silence trim, from frame ${alignment.firstFrame}).`;
  }
}
new ResizeObserver(() => drawUtterance()).observe(byId('alignment'));

listening.addEventListener('utterance', ({ detail }) => {
  const { samples, sampleRate, source, endedAt, decisionDelayMs } = detail;
  recognise(samples, sampleRate, { source, endedAt, decisionDelayMs, cut: false });
});

handsFreeButton.addEventListener('click', () => {
  if (listening.mode?.kind === 'handsfree') listening.stopMode();
  else withMic(listening.startHandsFree()).catch(() => {});
});

// Push-to-talk: hold the pointer, or Space/Enter while the button has focus.
let pttHeld = false;
function pttStart(event) {
  event.preventDefault();
  if (pttHeld) return;
  pttHeld = true;
  pttButton.classList.add('talking');
  pttButton.textContent = 'Listening\u2026 release to recognise';
  withMic(listening.pttDown()).catch(() => pttEnd());
}
function pttEnd() {
  if (!pttHeld) return;
  pttHeld = false;
  pttButton.classList.remove('talking');
  pttButton.textContent = 'Push to talk';
  const recording = listening.pttUp();
  if (recording) recognise(recording.samples, recording.sampleRate, { source: 'push-to-talk', endedAt: recording.releasedAt });
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
  beforeReset: () => listening.stopMode(),
  afterImport: () => {
    samplesView.refreshDropModes();
  },
  afterReset: () => {
    resultView.clear();
    lastUtterance = null;
    drawUtterance();
  },
  error: reportError,
});

// ---------- Samples and dropped files ----------
const samplesView = new SamplesView(state, {
  enrolSamples: async (list) => {
    for (const item of list) {
      const found = engine ? cutWord(engine.gmmhmm, item.samples, item.sampleRate) : null;
      await state.addRecording({ ...item, samples: found ? found.samples : item.samples });
    }
  },
  train: () => trainView.train(),
  recognise: (samples, sampleRate, source) => recognise(samples, sampleRate, { source }),
  error: reportError,
});

// The first classification runs wasm code the browser has not optimised yet (about 10 ms
// more): one classification of a training example while the page is idle keeps that cost off
// the first word a visitor says.
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
state.addEventListener('change', () => {
  warmUp();
  enrolView.render();
  trainView.refresh();
  keepView.refresh();
  samplesView.refreshDropModes();
  updateEnrolHint();
});

window.addEventListener('unhandledrejection', (event) => {
  if (event.reason?.name === 'MicrophoneError') return; // already shown next to the button
  reportError(`Something went wrong: ${event.reason?.message ?? event.reason}`);
});

async function boot() {
  enrolView.render();
  trainView.refresh();
  keepView.refresh();
  try {
    state.store = await Store.open();
    const { gmmhmm, loadMs } = await engineReady;
    const { restoredModel, modelError } = await state.restore(gmmhmm);
    byId('engine-status').textContent = `Engine ready in ${Math.round(loadMs)} ms.` +
      (restoredModel ? ' The model trained earlier was restored.' : '');
    if (modelError) reportError(`The stored model could not be loaded and was discarded: ${modelError.message}`);
    document.body.dataset.ready = 'true';
  } catch (error) {
    byId('engine-status').textContent = 'The engine could not be loaded.';
    reportError(`The engine could not be loaded: ${error.message}. This demo needs a browser with WebAssembly.`);
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
