// A Listener: audio blocks in, words out (events). The Recognizer's createListener() makes
// one; the browser's listen() runs one in a Worker (web/lib/listen-session.js) and forwards
// its events. Each block is copied into the wasm heap once, into the listener's audio
// buffer; the Endpointer reads it there and each word is classified where it lies (no
// further copy into wasm). This file only moves audio and turns the core's answers into
// events: where words start and end is the Endpointer's decision, accept/reject the
// Recognizer's.
import { GmmHmmError, callWasm, describe, pcmHint, refuseExtraArguments, requireOptions } from './errors.js';
import { floatArrayLength, numbersOf, typedArrayKind } from './heap.js';
import { finalizer } from './lifetime.js';

/**
 * The listener's own options, declared once (validation, index.d.ts and docs/listening.md
 * follow this). Every other option is the Endpointer's (EndpointerOptions), checked by it.
 */
export const LISTENER_OPTIONS = [
  { name: 'sampleRate', required: true, help: 'Hz of the samples pushed (the front end accepts 1 kHz - 1 MHz)' },
  {
    name: 'sensitivity', default: 0, min: -20, max: 20,
    help: 'nats per frame by which a word may fall short of the rejection tests (rejection.threshold, fitMargin and the fit floor) ' +
      'and still be accepted; 0 = as trained, positive accepts more, negative refuses more',
  },
  { name: 'continuous', default: true, help: 'keep listening after a result (false: the listener ends after its first result)' },
  {
    name: 'spectrogram', default: false,
    help: "each result carries the word's log-mel spectrogram (result.spectrogram), computed where the word lies, " +
      'so that a page can draw it without running the front end again',
  },
  {
    name: 'samples', default: true,
    help: "speechend and result carry the word's samples (false: an empty Float32Array instead, so that listen() sends no " +
      'audio to the page when it only needs the results; endSample - startSample is still the word\'s length, and nextUtterance() always carries them)',
  },
  // The Endpointer's option (checked by it), with a listener's own default: with the core's
  // 250 ms a result came 270 ms after the end of a word in Chromium; 120 ms gives about 140 ms,
  // and no hangover from 100 to 300 ms cut a word in two in bench/listen-hangover.js
  // (espeak-ng and FSDD words; docs/listening.md).
  {
    name: 'hangover', default: 120, endpointer: true,
    help: 'ms of quiet that end a word: the wait after each word before its result (minus postRoll)',
  },
];

/**
 * What result.spectrogram holds (spectrogram: true): log mel filter-bank energies (fbank(), in
 * nats) of the word, 25 ms frames every 10 ms like the recogniser's features (frame t is
 * feature frame t, so result.alignment lines up), SPECTROGRAM_BINS mel bands from 20 Hz to
 * 7.6 kHz (or just under the Nyquist frequency).
 */
export const SPECTROGRAM_BINS = 40;
const spectrogramOptions = (sampleRate) => ({ numMelBins: SPECTROGRAM_BINS, lowFreq: 20, highFreq: Math.min(7600, sampleRate / 2 - 100) });

const OWN_OPTIONS = new Set(LISTENER_OPTIONS.filter((o) => !o.endpointer).map((o) => o.name));

/**
 * Splits and checks createListener()'s options: { own: {sampleRate, sensitivity, continuous}, endpointer }.
 * `endpointerNames`: the Endpointer's declared options (the binding's optionDeclarations()),
 * `extra`: listen()'s own (audioContext...): any other name is refused here, naming them all
 * (the Endpointer's reader knew only its own, and listen() sent the rest to its Worker).
 */
export function readListenerOptions(options, where, endpointerNames, extra = []) {
  const opts = requireOptions(options, where);
  const known = new Set([...OWN_OPTIONS, ...endpointerNames, ...extra]);
  for (const key of Object.keys(opts)) {
    if (!known.has(key)) throw new GmmHmmError(`${where}: unknown option '${key}' (known: ${[...known].join(', ')})`);
  }
  const own = {};
  const endpointer = {};
  for (const [key, value] of Object.entries(opts)) {
    if (!extra.includes(key)) (OWN_OPTIONS.has(key) ? own : endpointer)[key] = value;
  }
  for (const spec of LISTENER_OPTIONS) {
    if (spec.endpointer) {
      if (endpointer[spec.name] === undefined) endpointer[spec.name] = spec.default;
      continue;
    }
    const value = own[spec.name];
    if (value === undefined) {
      if (spec.required) throw new GmmHmmError(`${where}: ${spec.name} is required (${spec.help})`);
      own[spec.name] = spec.default;
    } else if (typeof spec.default === 'boolean' ? typeof value !== 'boolean'
      : typeof value !== 'number' || !Number.isFinite(value) || (spec.min !== undefined && (value < spec.min || value > spec.max))) {
      const range = typeof spec.default === 'boolean' ? 'true or false' : spec.min !== undefined ? `a number in [${spec.min}, ${spec.max}]` : 'a finite number';
      throw new GmmHmmError(`${where}: ${spec.name} must be ${range} (${spec.help}), got ${describe(value)}`);
    }
  }
  return { own, endpointer };
}

/**
 * The events a listener dispatches, in the browser and in Node. 'end' comes last, once, when
 * the listener has ended by itself or by end() and every event of its audio has been
 * dispatched ({ state: 'ended' }, or 'stopped' when it could not go on); never after stop(),
 * which the caller made.
 */
export const LISTENER_EVENTS = ['speechstart', 'speechend', 'result', 'error', 'end'];

/** The listener's events (EventTarget events with the payload in `detail`, like CustomEvent). */
export class ListenerEvent extends Event {
  constructor(type, detail) {
    super(type);
    this.detail = detail;
    if (type === 'error') this.error = detail.error;
  }
}

// A float array's samples, read through the engine's own getters (a subclass cannot lie), or
// a plain array's numbers (each read once), as every other function that takes audio.
function blockOf(M, samples) {
  if (Array.isArray(samples)) {
    const view = numbersOf(M, samples, Float32Array, 'Listener.push: samples');
    return { view, length: view.length };
  }
  const kind = typedArrayKind(samples);
  if (kind !== 'Float32Array' && kind !== 'Float64Array') {
    throw new GmmHmmError(`Listener.push: samples must be a Float32Array, Float64Array or array of numbers (audio in [-1, 1]), got ${describe(samples)}${pcmHint(samples)}`);
  }
  return { view: samples, length: floatArrayLength(samples, 'Listener.push: samples') };
}

/** The Recognizer's dispose() tells its listeners (createListener()'s and listen()'s) through this method. */
export const RECOGNIZER_DISPOSED = Symbol('gmmhmm.recognizerDisposed');

/** The Endpointer's option names, as the engine declares them. */
export const endpointerOptionNames = (M) => M.optionDeclarations().endpointer.map((d) => d.name);

/**
 * createListener(M, source, options): `source` gives the recognizer's side:
 *  { classify(ptr, length, sampleRate, sensitivity) -> Classification, trained() -> boolean,
 *    requireRateServed(sampleRate): throws unless the recognizer's features can run at that rate }.
 */
export function createListener(M, source, options) {
  const { own, endpointer: endpointerOptions } = readListenerOptions(options, 'createListener options', endpointerOptionNames(M));
  return new Listener(M, source, own, endpointerOptions);
}

class Listener extends EventTarget {
  #M;
  #source;
  #endpointer;       // embind EndpointerBinding
  #buffer;           // { ptr, capacity } in samples, malloc'd
  #base = 0;         // stream index of the buffer's first sample
  #filled = 0;       // samples in the buffer
  #lookback;         // samples the Endpointer may still reach back
  #open = false;     // a speechstart was sent without its speechend
  #waiting = [];     // nextUtterance() calls: { resolve, reject }, oldest first
  #continuous;
  #sensitivity;
  #spectrogram;
  #samples;          // the option: speechend and result carry the word's samples
  #state = 'listening';
  #resources;        // what the finalizer frees if this listener is dropped undisposed

  constructor(M, source, own, endpointerOptions) {
    super();
    this.#M = M;
    this.#source = source;
    this.sampleRate = own.sampleRate;
    this.#continuous = own.continuous;
    this.#sensitivity = own.sensitivity;
    this.#spectrogram = own.spectrogram;
    this.#samples = own.samples;
    // The front end's own check of the spectrogram's bands at this rate (no samples: nothing
    // computed), so that a rate too low for them is refused here (before anything is allocated), not at the first word.
    if (own.spectrogram) {
      callWasm(M, 'createListener options: spectrogram: true at this sampleRate', () => M.fbank(0, 0, own.sampleRate, spectrogramOptions(own.sampleRate)));
    }
    // The recognizer's front end at this rate, checked the same way: a rate its features cannot
    // serve (below twice their highFreq) would fail every word with an 'error' event.
    callWasm(M, 'createListener options: sampleRate', () => source.requireRateServed(own.sampleRate));
    this.#endpointer = callWasm(M, 'createListener', () => M.EndpointerBinding.create(own.sampleRate, endpointerOptions));
    this.#lookback = this.#endpointer.lookbackSamples();
    // The finalizer's closure must not reach `this` (it would keep the listener alive).
    const resources = { endpointer: this.#endpointer, buffer: null };
    this.#resources = resources;
    finalizer?.register(this, { delete: () => releaseResources(M, resources) }, this);
  }

  /** 'listening', 'ended' (end() or the first result with continuous: false) or 'stopped'. */
  get state() { return this.#state; }

  /** Samples pushed so far (the stream position, in samples). */
  get samplesPushed() { return this.#base + this.#filled; }

  /**
   * Appends a block of samples (any length; 0 samples does nothing). Events of the words it
   * completes are dispatched before push() returns. Throws a GmmHmmError (and keeps the
   * listener as it was, so the next block can follow) for a block that is not a float array
   * or an array of numbers, or holds NaN/infinite samples; code 'disposed' after end() or stop().
   */
  push(samples, ...extra) {
    refuseExtraArguments(extra, 'Listener.push', "push(samples) (the sample rate is createListener()'s)", 1);
    this.#requireListening('push');
    const { view, length } = blockOf(this.#M, samples);
    // Reading a plain array can run the caller's code (a getter, a Proxy) that stops this
    // listener: then nothing may be reserved in a heap stop() has already released.
    this.#requireListening('push');
    if (length === 0) return;
    // No user code runs from here to the copy: `length` is still the block's length.
    const at = this.#reserve(length);
    const M = this.#M;
    M.HEAPF32.set(view, (this.#buffer.ptr >> 2) + at);
    // The Endpointer refuses NaN/Inf blocks whole and keeps its state: so does the buffer
    // (the block is not counted as filled).
    const segments = callWasm(M, 'Listener.push', () => this.#endpointer.push(this.#buffer.ptr + at * 4, length));
    this.#filled += length;
    this.#deliver(segments, this.#endpointer.inSpeech());
  }

  /** End of the stream: a word still being heard is closed (and classified); then the listener ends. */
  end() {
    if (this.#state !== 'listening') return;
    let segments;
    try {
      segments = callWasm(this.#M, 'Listener.end', () => this.#endpointer.finish());
    } catch (error) {
      this.#emit('error', { error });
      segments = [];
    }
    this.#deliver(segments, false);
    this.#end('ended');
  }

  /** Stops at once (no further events; a word being heard is dropped) and frees the memory. Idempotent. */
  stop() {
    this.#finish('stopped');
  }

  // The recognizer was disposed: nothing left to classify with (as at a word: the error, then 'end').
  [RECOGNIZER_DISPOSED]() {
    if (this.#state !== 'listening') return;
    this.#emit('error', { error: new GmmHmmError('Listener: the Recognizer was disposed: the listener stops', 'disposed') });
    this.#end('stopped');
  }

  /**
   * Resolves with the next word the listener cuts out (for enrolment: the same cut as
   * recognition): { samples, sampleRate, startSample, endSample, startTime, endTime }. That
   * word is not classified. Calls queue: three calls take the next three words. Rejects
   * (code 'cancelled') when the listener ends or stops first; signal: an AbortSignal.
   */
  nextUtterance(options = undefined, ...extra) {
    refuseExtraArguments(extra, 'Listener.nextUtterance', 'nextUtterance({ signal })', 1);
    const { signal } = requireOptions(options, 'nextUtterance options');
    if (this.#state !== 'listening') {
      return Promise.reject(new GmmHmmError(`Listener.nextUtterance: the listener has ${this.#state}`, 'cancelled'));
    }
    return new Promise((resolve, reject) => {
      const entry = { resolve, reject };
      if (signal) {
        if (signal.aborted) return reject(signal.reason);
        const onAbort = () => {
          this.#waiting = this.#waiting.filter((w) => w !== entry);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        entry.resolve = (value) => { signal.removeEventListener('abort', onAbort); resolve(value); };
        entry.reject = (error) => { signal.removeEventListener('abort', onAbort); reject(error); };
      }
      this.#waiting.push(entry);
    });
  }

  #requireListening(method) {
    if (this.#state !== 'listening') {
      throw new GmmHmmError(`Listener.${method}: the listener has ${this.#state}` +
        (this.#state === 'ended' ? ' (end() was called or continuous is false)' : ' (stop() was called, or its Recognizer was disposed)'), 'disposed');
    }
  }

  // Makes room for `length` more samples and returns where they go: keeps only the audio the
  // Endpointer may still cut a word from (moved to the front, inside the heap), and grows the
  // buffer when a block is larger than the room left.
  #reserve(length) {
    const M = this.#M;
    const buffer = this.#buffer;
    if (buffer && this.#filled + length <= buffer.capacity) return this.#filled;
    const keep = Math.min(this.#filled, this.#lookback);
    const drop = this.#filled - keep;
    const needed = keep + length;
    if (buffer && needed <= buffer.capacity) {
      const from = (buffer.ptr >> 2) + drop;
      M.HEAPF32.copyWithin(buffer.ptr >> 2, from, from + keep);
    } else {
      // Twice the look-back plus the block: a stream of small blocks then moves its tail
      // once per look-back of audio, not at every block.
      const capacity = needed + this.#lookback + 1;
      const bytes = capacity * 4;
      if (bytes > M.heapMaxBytes()) {
        throw new GmmHmmError(`Listener.push: a block of ${length} samples does not fit in the WebAssembly heap`, 'out-of-memory');
      }
      const ptr = M._malloc(bytes);
      if (!ptr) throw new GmmHmmError(`Listener.push: a block of ${length} samples does not fit in the WebAssembly heap`, 'out-of-memory');
      if (buffer) {
        const from = (buffer.ptr >> 2) + drop;
        M.HEAPF32.copyWithin(ptr >> 2, from, from + keep);
        M._free(buffer.ptr);
      }
      this.#buffer = { ptr, capacity };
      this.#resources.buffer = this.#buffer;
    }
    this.#base += drop;
    this.#filled = keep;
    return keep;
  }

  // Turns the Endpointer's answer to one block into events: for each word that ended,
  // speechstart (if not sent yet), speechend, then result (or the word goes to the oldest
  // nextUtterance()); then speechstart when a word is open now. Words are classified first,
  // while they lie where push() put them; the events are dispatched afterwards, so handlers
  // may push, end or stop.
  #deliver(segments, inSpeechNow) {
    const events = [];
    for (const segment of segments) {
      const waiting = this.#waiting.shift();
      // The samples are copied out of the heap only for whoever takes them.
      const word = this.#word(segment, Boolean(waiting) || this.#samples);
      if (!this.#open) events.push(['speechstart', { startSample: word.startSample, startTime: word.startTime }]);
      this.#open = false;
      events.push(['speechend', this.#samples ? word : { ...word, samples: new Float32Array(0) }]);
      if (waiting) {
        events.push(() => waiting.resolve(word));
      } else if (this.#source.trained()) {
        events.push(...this.#classify(segment, word));
      }
    }
    if (inSpeechNow && !this.#open) {
      this.#open = true;
      const startSample = this.#endpointer.currentStart();
      events.push(['speechstart', { startSample, startTime: startSample / this.sampleRate }]);
    }
    for (const event of events) {
      if (this.#state !== 'listening') return;
      if (typeof event === 'function') event();
      else this.#emit(...event);
    }
  }

  // The events of classifying one word (in place, in the heap): result, or error.
  #classify(segment, word) {
    const { first, length } = this.#span(segment);
    const at = this.#buffer.ptr + (first - this.#base) * 4;
    let classification;
    try {
      classification = this.#source.classify(at, length, this.sampleRate, this.#sensitivity);
    } catch (error) {
      // Nothing left to classify with (the Recognizer was disposed): the listener stops.
      return [['error', { error }], ...(error?.code === 'disposed' ? [() => this.#end('stopped')] : [])];
    }
    const result = { ...classification, ...word };
    if (this.#spectrogram) result.spectrogram = this.#spectrogramOf(at, length);
    const events = [['result', result]];
    if (!this.#continuous) events.push(() => this.#end('ended'));
    return events;
  }

  // The word's log-mel frames, computed where it lies in the heap (no copy into wasm):
  // { data: Float32Array (frames x bins, frame after frame), frames, bins, frameShift (s) }.
  #spectrogramOf(at, length) {
    const m = callWasm(this.#M, 'Listener spectrogram', () => this.#M.fbank(at, length, this.sampleRate, spectrogramOptions(this.sampleRate)));
    return { data: Float32Array.from(m.data), frames: m.rows, bins: SPECTROGRAM_BINS, frameShift: 0.01 };
  }

  // { samples (a copy; empty when !withSamples), sampleRate, startSample, endSample, startTime,
  // endTime, decisionDelay }.
  #word({ startSample, endSample, decidedSample }, withSamples) {
    const { first, length } = this.#span({ startSample, endSample });
    const offset = (this.#buffer.ptr >> 2) + (first - this.#base);
    const samples = this.#M.HEAPF32.slice(offset, offset + (withSamples ? length : 0));
    return {
      samples,
      sampleRate: this.sampleRate,
      startSample,
      endSample,
      startTime: startSample / this.sampleRate,
      endTime: endSample / this.sampleRate,
      // Audio heard after the word before the Endpointer was sure it had ended (its hangover).
      // Counted to where the Endpointer decided, not to the end of the block it came in.
      decisionDelay: (decidedSample - endSample) / this.sampleRate,
    };
  }

  // The part of a word still in the buffer: its first stream index there and its length.
  #span({ startSample, endSample }) {
    const first = Math.max(startSample, this.#base);
    const last = Math.min(endSample, this.#base + this.#filled);
    return { first, length: Math.max(0, last - first) };
  }

  #emit(type, detail) {
    this.dispatchEvent(new ListenerEvent(type, detail));
  }

  // The listener ends by itself or by end(): freed, then the 'end' event (not when a handler
  // stopped it first).
  #end(state) {
    if (this.#finish(state)) this.#emit('end', { state });
  }

  // Leaves 'listening' and frees everything; false when it had already left.
  #finish(state) {
    if (this.#state !== 'listening') return false;
    this.#state = state;
    finalizer?.unregister(this);
    releaseResources(this.#M, this.#resources);
    this.#buffer = null;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const w of waiting) w.reject(new GmmHmmError(`Listener.nextUtterance: the listener ${state} before a word was heard`, 'cancelled'));
    return true;
  }
}

function releaseResources(M, resources) {
  resources.endpointer?.delete();
  resources.endpointer = null;
  if (resources.buffer) M._free(resources.buffer.ptr);
  resources.buffer = null;
}
