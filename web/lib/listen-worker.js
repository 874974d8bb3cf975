// Worker entry for listen() in browsers (web/lib/listen-browser.js): loads its own
// WebAssembly module (the page's compiled one when it came along), the recognizer's model,
// and runs a Listener on the audio blocks the capture worklet posts straight to it through a
// MessagePort. The page's thread only receives the events.
//   in:  { type: 'start', build, model (JSON text or null: cut words only), options, audio: MessagePort }
//        -> out: { type: 'ready', sampleRate } or { type: 'failed', error }
//   in:  { type: 'next', id } -> out: { type: 'utterance', id, word } or { type: 'utterance', id, error }
//   in:  { type: 'end' } -> the last word's events, then { type: 'state', state: 'ended' }
//   out: { type: 'origin', contextTime } with the first block;
//        { type: 'event', name, detail } for speechstart, speechend, result, error;
//        { type: 'state', state } when the listener ends by itself (continuous: false)
import { load } from '../index.js';
import { LISTENER_EVENTS } from './listener.js';

const errorOut = (error) => ({ message: String(error?.message ?? error), code: error?.code ?? 'internal' });

let listener = null;

function forward(name, detail) {
  if (name === 'error') return self.postMessage({ type: 'event', name, detail: { error: errorOut(detail.error) } });
  // Copied, not transferred: speechend and result share the word's samples.
  self.postMessage({ type: 'event', name, detail });
}

async function start({ build, model, options, audio }) {
  try {
    const api = await load(build?.module ? { wasmModule: build.module, variant: build.variant } : {});
    const recognizer = model === null ? new api.Recognizer({ workers: 0 }) : api.Recognizer.fromJSON(model, { workers: 0 });
    listener = recognizer.createListener(options);
  } catch (error) {
    self.postMessage({ type: 'failed', error: errorOut(error) });
    return;
  }
  for (const name of LISTENER_EVENTS) listener.addEventListener(name, (event) => forward(name, event.detail));
  let first = true;
  audio.onmessage = (event) => {
    if (listener.state !== 'listening') return;
    if (first) {
      // The AudioContext's time of the stream's first sample (the block ends one render
      // quantum of 128 frames after the time the worklet stamped it with).
      first = false;
      const { samples, time } = event.data;
      self.postMessage({ type: 'origin', contextTime: time + (128 - samples.length) / listener.sampleRate });
    }
    try {
      listener.push(event.data.samples);
    } catch (error) {
      // A bad block (NaN from an AudioNode graph): reported, the listener carries on.
      forward('error', { error });
    }
    // continuous: false ends the listener after its first result.
    if (listener.state !== 'listening') self.postMessage({ type: 'state', state: listener.state });
  };
  self.postMessage({ type: 'ready', sampleRate: listener.sampleRate });
}

self.onmessage = (event) => {
  const message = event.data;
  if (message?.type === 'start') start(message);
  else if (message?.type === 'next') {
    listener.nextUtterance().then(
      (word) => self.postMessage({ type: 'utterance', id: message.id, word }, [word.samples.buffer]),
      (error) => self.postMessage({ type: 'utterance', id: message.id, error: errorOut(error) }));
  } else if (message?.type === 'end') {
    listener?.end();
    self.postMessage({ type: 'state', state: 'ended' });
  }
};
