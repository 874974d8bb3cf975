// listen()'s side in the Worker (web/lib/listen-browser.js starts the package's Worker,
// train-worker.js, which hands these messages here): loads its own WebAssembly module (the
// page's compiled one when it came along), the recognizer's model, and runs a Listener on the
// audio blocks the capture worklet posts straight to it through a MessagePort. The page's
// thread only receives the events. One Worker entry for training and listening, so that
// bundlers (Vite) see no cycle between two workers that each import the package.
//   in:  { type: 'listen-start', build, model (JSON text or null: cut words only), options, audio: MessagePort }
//        -> out: { type: 'ready', sampleRate } or { type: 'failed', error }
//   in:  { type: 'listen-next', id } -> out: { type: 'utterance', id, word } or { type: 'utterance', id, error }
//   in:  { type: 'listen-next-abort', id }: that request is given up (its word is recognised)
//   in:  { type: 'listen-end' } -> the last word's events, then { type: 'state', state: 'ended' }
//        { type: 'listen-end', discard: true } (the source was lost mid-stream) -> a word being
//        heard is dropped, not delivered half; then { type: 'state', state: 'ended' }
//   out: { type: 'origin', contextTime } with the first block;
//        (the page dispatches 'end' on { type: 'state' }: after every event of the audio)
//        { type: 'events', events: [{ name, detail }] }: speechstart, speechend, result, error,
//        all the events of one audio block (or of listen-end) in one message, in order: a
//        word's speechend and result cost the page one task, and their shared samples are
//        cloned once;
//        { type: 'state', state } when the listener ends by itself (continuous: false)
import { LISTENER_EVENTS } from './listener.js';
import { workerLoadOptions } from './worker-load-options.js';

const errorOut = (error) => ({ message: String(error?.message ?? error), code: error?.code ?? 'internal' });

let listener = null;
let post = null;
const nextAborts = new Map();  // nextUtterance id -> its AbortController (the page's signal, relayed)
let batch = null; // the events of the block being handled: { events, transfer: Set }

function forward(name, detail) {
  const event = name === 'error' ? { name, detail: { error: errorOut(detail.error) } } : { name, detail };
  const own = batch ?? { events: [], transfer: new Set() };
  own.events.push(event);
  // A result's arrays are the Worker's to give away: its spectrogram, and the word's samples
  // (which its speechend, in the same message, shares).
  if (name === 'result') {
    if (detail.samples?.length) own.transfer.add(detail.samples.buffer);
    if (detail.spectrogram) own.transfer.add(detail.spectrogram.data.buffer);
  }
  if (!batch) flush(own);
}

// Runs `work` and posts the events it dispatched as one message.
function batched(work) {
  batch = { events: [], transfer: new Set() };
  try {
    work();
  } finally {
    const done = batch;
    batch = null;
    flush(done);
  }
}

function flush({ events, transfer }) {
  if (events.length) post({ type: 'events', events }, [...transfer]);
}

async function start(load, { build, model, options, audio }) {
  try {
    const api = await load(workerLoadOptions(build));
    const recognizer = model === null ? new api.Recognizer({ workers: 0 }) : api.Recognizer.fromJSON(model, { workers: 0 });
    listener = recognizer.createListener(options);
  } catch (error) {
    post({ type: 'failed', error: errorOut(error) });
    return;
  }
  // 'end' is the page's to dispatch, on the { type: 'state' } message (it also ends a listener
  // that had already ended here).
  for (const name of LISTENER_EVENTS) {
    if (name !== 'end') listener.addEventListener(name, (event) => forward(name, event.detail));
  }
  let first = true;
  audio.onmessage = (event) => {
    if (listener.state !== 'listening') return;
    if (first) {
      // The AudioContext's time of the stream's first sample (the block ends one render
      // quantum of 128 frames after the time the worklet stamped it with).
      first = false;
      const { samples, time } = event.data;
      post({ type: 'origin', contextTime: time + (128 - samples.length) / listener.sampleRate });
    }
    batched(() => {
      try {
        listener.push(event.data.samples);
      } catch (error) {
        // A bad block (NaN from an AudioNode graph): reported, the listener carries on.
        forward('error', { error });
      }
    });
    // continuous: false ends the listener after its first result.
    if (listener.state !== 'listening') post({ type: 'state', state: listener.state });
  };
  post({ type: 'ready', sampleRate: listener.sampleRate });
}

/**
 * Handles a listen message (returns false for others). `load`: the package's load();
 * `postMessage(message, transfer)`: to the page.
 */
export function listenMessage(message, load, postMessage) {
  post = postMessage;
  if (message?.type === 'listen-start') start(load, message);
  else if (message?.type === 'listen-next') {
    const controller = new AbortController();
    nextAborts.set(message.id, controller);
    listener.nextUtterance({ signal: controller.signal }).then(
      (word) => post({ type: 'utterance', id: message.id, word }, [word.samples.buffer]),
      (error) => post({ type: 'utterance', id: message.id, error: errorOut(error) }))
      .finally(() => nextAborts.delete(message.id));
  } else if (message?.type === 'listen-next-abort') {
    nextAborts.get(message.id)?.abort();
  } else if (message?.type === 'listen-end') {
    if (message.discard) listener?.stop();
    else batched(() => listener?.end());
    post({ type: 'state', state: 'ended' });
  } else {
    return false;
  }
  return true;
}
