// recognizer.listen(source, options) in browsers: source (a MediaStream, an AudioNode, or
// nothing: the microphone, opened here) -> the package's capture AudioWorklet
// (capture-worklet.js) -> a MessagePort -> a Worker (train-worker.js, listen-session.js)
// running a Listener.
// The page's thread sets this up and receives the events; stop() releases the worklet node,
// the Worker, the tracks listen() opened and the AudioContext it created.
import { GmmHmmError, describe, refuseExtraArguments, requireOptions } from './errors.js';
import { ListenerEvent, RECOGNIZER_DISPOSED, readListenerOptions } from './listener.js';

/** listen()'s options besides the Listener's (sampleRate is the AudioContext's). */
export const BROWSER_OPTIONS = [
  { name: 'audioContext', help: 'the AudioContext for a MediaStream source (default: a new one, closed by stop())' },
  { name: 'workletURL', help: 'where capture-worklet.js is (default: next to this file)' },
  { name: 'workerURL', help: "where the entry's Worker script is (train-worker.js; words-worker.js for 'gmmhmm/words'), as a module Worker (default: next to this file)" },
];
const BROWSER_NAMES = new Set(BROWSER_OPTIONS.map((o) => o.name));

// Raw audio: recognition is trained on unprocessed words; browser noise suppression and
// automatic gain distort them in ways the enrolment never saw.
const MICROPHONE = { audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } };

const workletModules = new WeakMap();  // AudioContext -> Promise of addModule (once per context)

function addWorklet(context, url) {
  let loading = workletModules.get(context);
  if (!loading) {
    loading = context.audioWorklet.addModule(url);
    workletModules.set(context, loading);
    loading.catch(() => workletModules.delete(context));
  }
  return loading;
}

// addWorklet, with an error that says what to do (the browser's names only the URL, which for
// a bundler's data: URL is a kilobyte of base64).
async function loadWorklet(context, url) {
  try {
    await addWorklet(context, url);
  } catch (error) {
    const text = String(url);
    const shown = text.startsWith('data:') ? `${text.slice(0, 40)}...` : text;
    const why = text.startsWith('data:')
      ? "the bundler inlined it as a data: URL, which a Content-Security-Policy's script-src refuses unless it allows data: " +
        '(Vite: build.assetsInlineLimit: 0, or pass workletURL)'
      : "is the file there (workletURL)? does the page's Content-Security-Policy script-src allow it?";
    const detail = String(error?.message ?? error).replace(/data:[^\s]+/g, 'data:...');
    throw new GmmHmmError(`listen: the capture worklet did not load from ${shown}: ${why} (${detail})`, 'load', { cause: error });
  }
}

const isMediaStream = (value) => typeof MediaStream === 'function' && value instanceof MediaStream;
const isAudioNode = (value) => typeof AudioNode === 'function' && value instanceof AudioNode;

function splitOptions(options, endpointerNames) {
  const opts = requireOptions(options, 'listen options');
  const browser = {};
  const listener = {};
  for (const [key, value] of Object.entries(opts)) (BROWSER_NAMES.has(key) ? browser : listener)[key] = value;
  if ('sampleRate' in listener) throw new GmmHmmError("listen options: sampleRate is the AudioContext's; it cannot be given");

  if (browser.audioContext !== undefined && !(typeof AudioContext === 'function' && browser.audioContext instanceof BaseAudioContext)) {
    throw new GmmHmmError(`listen options: audioContext must be an AudioContext, got ${describe(browser.audioContext)}`);
  }
  // Every name is checked here, before anything opens (an unknown one went to the Worker,
  // where an AbortSignal ({ signal }) or a function could not even be sent); the listener's own
  // values too, the Endpointer's in the Worker.
  readListenerOptions({ ...listener, sampleRate: 48000 }, 'listen options', endpointerNames, [...BROWSER_NAMES]);
  for (const [key, value] of Object.entries(listener)) {
    if (value !== undefined && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new GmmHmmError(`listen options: ${key} must be a number or true/false, got ${describe(value)}`);
    }
  }
  return { browser, listener };
}

/**
 * Starts listening. `model`: the recognizer's JSON text (null before training: words are
 * cut, not classified); `build`: { module, variant } of the page's wasm for the Worker.
 */
export async function listen({ source, options, model, build, startWorker, endpointerNames, onStop }) {
  if (typeof AudioWorkletNode !== 'function' || typeof Worker !== 'function') {
    throw new GmmHmmError('listen: this environment has no AudioWorklet or Worker; use createListener() and push(samples)');
  }
  if (source !== undefined && !isMediaStream(source) && !isAudioNode(source)) {
    throw new GmmHmmError(`listen: source must be a MediaStream, an AudioNode, or nothing (the microphone), got ${describe(source)}`);
  }
  const { browser, listener: listenerOptions } = splitOptions(options, endpointerNames);
  const owned = { tracks: [], context: null };
  const parts = {};
  try {
    let stream = isMediaStream(source) ? source : null;
    if (source === undefined) {
      stream = await navigator.mediaDevices.getUserMedia(MICROPHONE);
      owned.tracks = stream.getTracks();
    }
    let context;
    if (stream) {
      const track = stream.getAudioTracks()[0];
      if (!track) throw new GmmHmmError('listen: the MediaStream has no audio track');
      if (track.readyState === 'ended') throw new GmmHmmError('listen: the MediaStream\'s audio track has ended');
      context = browser.audioContext ?? (owned.context = new AudioContext({ latencyHint: 'interactive' }));
      parts.track = track;
      parts.input = context.createMediaStreamSource(stream);
    } else {
      context = source.context;
      parts.input = source;
    }
    if (context.state === 'closed') throw new GmmHmmError('listen: the AudioContext is closed');
    // Browsers start a context only after a user gesture; listen() from a click resumes it.
    if (context.state === 'suspended') {
      parts.resuming = context.resume();
      parts.resuming.catch(() => {});  // judged when listening starts (#reportIfStillSuspended)
    }
    // '?no-inline': Vite's build would otherwise inline this small file as a data: URL, which a
    // Content-Security-Policy with script-src 'self' refuses; elsewhere a query a file server ignores.
    await loadWorklet(context, browser.workletURL ?? new URL('./capture-worklet.js?no-inline', import.meta.url));
    parts.node = new AudioWorkletNode(context, 'gmmhmm-capture', {
      numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit',
    });
    // Connected through a silent gain so that every browser keeps pulling the node.
    parts.sink = context.createGain();
    parts.sink.gain.value = 0;
    parts.input.connect(parts.node);
    parts.node.connect(parts.sink).connect(context.destination);
    // The build's Worker entry (it also trains), started by the entry point's platform code
    // ('#training-workers', '#words-workers'), where bundlers find it.
    parts.worker = startWorker(browser.workerURL);
    if (!parts.worker) throw new GmmHmmError('listen: no Worker can be started here', 'load');
    const channel = new MessageChannel();
    parts.node.port.postMessage({ type: 'connect', port: channel.port1 }, [channel.port1]);
    const listener = new BrowserListener(parts, owned, context, onStop);
    await listener.start({ build, model, options: { ...listenerOptions, sampleRate: context.sampleRate }, audio: channel.port2 });
    return listener;
  } catch (error) {
    release(parts, owned);
    if (error instanceof GmmHmmError) throw error;
    throw new GmmHmmError(`listen: ${error?.message ?? error}`, error?.name === 'NotAllowedError' ? 'cancelled' : 'load', { cause: error });
  }
}

function release(parts, owned) {
  try { parts.node?.port.postMessage('stop'); } catch { /* already closed */ }
  for (const [from, to] of [[parts.input, parts.node], [parts.node, undefined], [parts.sink, undefined]]) {
    try {
      if (from) (to ? from.disconnect(to) : from.disconnect());
    } catch { /* not connected */ }
  }
  parts.worker?.terminate();
  for (const track of owned.tracks) track.stop();
  if (owned.context && owned.context.state !== 'closed') owned.context.close().catch(() => {});
  parts.node = parts.worker = parts.input = parts.sink = null;
}

const errorIn = ({ message, code }) => new GmmHmmError(message, code);



// How long a resume() may take on a page without a user gesture before the listener says
// that no audio arrives (with a gesture, it waits for the resume itself).
const SUSPENDED_GRACE_MS = 1000;

class BrowserListener extends EventTarget {
  #parts;
  #owned;
  #context;
  #onStop;
  #state = 'starting';
  #pending = new Map();  // nextUtterance id -> { resolve, reject }
  #nextId = 1;
  #onTrackEnded = () => this.#lost('the audio track ended (stopped, unplugged, or permission revoked)');
  #onStateChange = () => {
    if (this.#context.state === 'closed') this.#lost('the AudioContext was closed');
    else if (this.#context.state === 'suspended') this.#error(new GmmHmmError('listen: the AudioContext is suspended: no audio arrives until it resumes (context.resume() from a click)', 'cancelled'));
  };

  constructor(parts, owned, context, onStop) {
    super();
    this.#parts = parts;
    this.#owned = owned;
    this.#context = context;
    this.#onStop = onStop;
    /** The AudioContext's rate: the rate of the samples in the events. */
    this.sampleRate = context.sampleRate;
    /**
     * The AudioContext's time (context.currentTime) of the stream's first sample, once audio
     * flows (null before): a word's startTime/endTime + this = when it was heard.
     */
    this.contextTimeAtStart = null;
  }

  /** 'listening', 'ended' (the source ended, or the first result with continuous: false) or 'stopped'. */
  get state() { return this.#state === 'starting' ? 'listening' : this.#state; }

  start(message) {
    const worker = this.#parts.worker;
    return new Promise((resolve, reject) => {
      worker.onmessage = (event) => {
        const m = event.data;
        if (m.type === 'ready') {
          this.#state = 'listening';
          this.#parts.track?.addEventListener('ended', this.#onTrackEnded);
          this.#context.addEventListener('statechange', this.#onStateChange);
          if (this.#context.state === 'suspended') this.#reportIfStillSuspended();
          resolve();
        } else if (m.type === 'failed') {
          reject(errorIn(m.error));
        } else {
          this.#message(m);
        }
      };
      worker.onerror = (event) => {
        event.preventDefault?.();
        const error = new GmmHmmError(`listen: the Worker failed: ${event.message || 'it could not start (Content-Security-Policy? workerURL?)'}`, 'load');
        if (this.#state === 'starting') reject(error);
        else {
          this.#error(error);
          this.#end('stopped');
        }
      };
      worker.postMessage({ type: 'listen-start', ...message }, [message.audio]);
    });
  }

  #message(m) {
    if (this.#state !== 'listening') return;
    if (m.type === 'events') {
      // The events of one block, in order; a handler may end or stop the listener meanwhile.
      for (const { name, detail } of m.events) {
        if (this.#state !== 'listening') return;
        this.dispatchEvent(new ListenerEvent(name, name === 'error' ? { error: errorIn(detail.error) } : detail));
      }
    } else if (m.type === 'utterance') {
      const waiting = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.error) waiting?.reject(errorIn(m.error));
      else waiting?.resolve(m.word);
    } else if (m.type === 'origin') {
      this.contextTimeAtStart = m.contextTime;
    } else if (m.type === 'state' && m.state !== 'listening') {
      // The Worker has posted every event of the audio before this.
      this.#end(m.state);
    }
  }

  // Listening began with the context suspended. The resume() listen() asked for may still be
  // under way (a loaded machine starts the audio thread late): judge once it settles. Without
  // a user gesture on the page it waits for one (maybe for ever): unless the page has had one
  // (userActivation, where the browser tells), say so after a second as well.
  #reportIfStillSuspended() {
    const report = () => {
      if (this.#state === 'listening' && this.#context.state === 'suspended') this.#onStateChange();
    };
    if (!this.#parts.resuming) return void setTimeout(report, 0);
    this.#parts.resuming.then(report, report);
    if (!globalThis.navigator?.userActivation?.hasBeenActive) setTimeout(report, SUSPENDED_GRACE_MS);
  }

  #error(error) {
    this.dispatchEvent(new ListenerEvent('error', { error }));
  }

  // The source went away (track ended, context closed): the error event, then the listener
  // ends without the word it was hearing, which the source cut off half-way.
  #lost(why) {
    if (this.#state !== 'listening') return;
    this.#error(new GmmHmmError(`listen: ${why}`, 'cancelled'));
    this.#endStream(true);
  }

  /**
   * The next word cut from the stream, not classified (for enrolment):
   * { samples, sampleRate, startSample, endSample, startTime, endTime }. Rejects ('cancelled')
   * when the listener ends or stops first.
   */
  nextUtterance(options = undefined, ...extra) {
    refuseExtraArguments(extra, 'Listener.nextUtterance', 'nextUtterance({ signal })', 1);
    const { signal } = requireOptions(options, 'nextUtterance options');
    if (this.#state !== 'listening') return Promise.reject(new GmmHmmError(`nextUtterance: the listener has ${this.#state}`, 'cancelled'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const entry = { resolve, reject };
      if (signal) {
        // Aborted: the Worker's Listener gives up the request too, so the word goes to recognition.
        const onAbort = () => {
          this.#pending.delete(id);
          this.#parts.worker?.postMessage({ type: 'listen-next-abort', id });
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        entry.resolve = (value) => { signal.removeEventListener('abort', onAbort); resolve(value); };
        entry.reject = (error) => { signal.removeEventListener('abort', onAbort); reject(error); };
      }
      this.#pending.set(id, entry);
      this.#parts.worker.postMessage({ type: 'listen-next', id });
    });
  }

  [RECOGNIZER_DISPOSED]() {
    if (this.#state !== 'listening' && this.#state !== 'starting') return;
    this.#error(new GmmHmmError('listen: the Recognizer was disposed: the listener stops', 'disposed'));
    this.#end('stopped');
  }

  /** Stops capturing; the word being heard is delivered, then the listener ends and releases everything. */
  end() {
    this.#endStream(false);
  }

  #endStream(discard) {
    if (this.#state !== 'listening') return;
    const { node, input } = this.#parts;
    try { input.disconnect(node); } catch { /* not connected */ }
    this.#parts.worker.postMessage({ type: 'listen-end', discard });
  }

  /** Stops at once and releases the worklet node, the Worker, the tracks listen() opened and its AudioContext. Idempotent. */
  stop() {
    this.#finish('stopped');
  }

  // Ended by itself or by end(): released, then the 'end' event (stop() sends none).
  #end(state) {
    if (this.#finish(state)) this.dispatchEvent(new ListenerEvent('end', { state }));
  }

  // Leaves 'listening' and releases everything; false when it had already left.
  #finish(state) {
    if (this.#state === 'ended' || this.#state === 'stopped') return false;
    this.#state = state;
    this.#parts.track?.removeEventListener('ended', this.#onTrackEnded);
    this.#context.removeEventListener('statechange', this.#onStateChange);
    release(this.#parts, this.#owned);
    for (const { reject } of this.#pending.values()) reject(new GmmHmmError(`nextUtterance: the listener ${state} before a word was heard`, 'cancelled'));
    this.#pending.clear();
    this.#onStop?.(this);
    return true;
  }
}

