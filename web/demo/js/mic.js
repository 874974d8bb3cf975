// Microphone capture: getUserMedia -> MediaStreamSource -> AudioWorklet (capture-worklet.js)
// -> blocks of Float32 samples at the device's native rate, delivered to listeners.
// The AudioContext is created and resumed inside the user's click (Safari requires it) and
// never given a sample rate (Firefox refuses to resample a microphone stream).

/** A microphone problem the page can explain to a person. `kind` is one of
 *  'denied' | 'absent' | 'busy' | 'insecure' | 'unsupported' | 'failed'. */
export class MicrophoneError extends Error {
  constructor(kind, message, cause) {
    super(message, { cause });
    this.name = 'MicrophoneError';
    this.kind = kind;
  }
}

const MESSAGES = {
  denied: 'Microphone access was denied. Allow it in the browser\u2019s site settings (the icon left of the address) and try again \u2014 or use the sample set below, which needs no microphone.',
  absent: 'No microphone was found. Plug one in and try again \u2014 or use the sample set below, which needs no microphone.',
  busy: 'The microphone is in use by another application or could not be opened. Close the other application and try again.',
  insecure: 'The microphone is only available on secure pages (https:// or http://localhost).',
  unsupported: 'This browser cannot capture audio with an AudioWorklet. A current Chrome, Edge, Firefox or Safari can.',
};

function classify(error) {
  if (error instanceof MicrophoneError) return error;
  const name = error?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
    return new MicrophoneError('denied', MESSAGES.denied, error);
  }
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') {
    return new MicrophoneError('absent', MESSAGES.absent, error);
  }
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') {
    return new MicrophoneError('busy', MESSAGES.busy, error);
  }
  return new MicrophoneError('failed', `The microphone could not be started: ${error?.message ?? error}`, error);
}

/** Returns the page's single AudioContext, creating it on first use. Call it from a user
 *  gesture (click/keydown) so that it starts running. */
let sharedContext = null;
export function audioContext() {
  if (!sharedContext) {
    const Ctor = globalThis.AudioContext ?? globalThis.webkitAudioContext;
    if (!Ctor) throw new MicrophoneError('unsupported', MESSAGES.unsupported);
    sharedContext = new Ctor({ latencyHint: 'interactive' });
  }
  if (sharedContext.state === 'suspended') sharedContext.resume();
  return sharedContext;
}

export class Microphone {
  constructor() {
    this.listeners = new Set();
    this.stream = null;
    this.node = null;
    this.source = null;
    this.sink = null;
    this.starting = null;
  }

  get running() {
    return this.node !== null;
  }

  get sampleRate() {
    return sharedContext ? sharedContext.sampleRate : 0;
  }

  /** Calls `listener(samples: Float32Array, sampleRate)` for every captured block. */
  onBlock(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts capture. Must be called synchronously from a user gesture handler. */
  start() {
    if (this.running) return Promise.resolve(this.sampleRate);
    // Create/resume the context now, while we are still inside the click.
    let context;
    try {
      context = audioContext();
    } catch (error) {
      return Promise.reject(classify(error));
    }
    this.starting ??= this.#open(context).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  async #open(context) {
    if (!globalThis.isSecureContext) throw new MicrophoneError('insecure', MESSAGES.insecure);
    if (!navigator.mediaDevices?.getUserMedia || !context.audioWorklet) {
      throw new MicrophoneError('unsupported', MESSAGES.unsupported);
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          channelCount: 1,
          // Raw audio: the features are normalised per utterance, and browser noise
          // suppression distorts words in ways the enrolment never saw.
          echoCancellation: false,
          noiseSuppression: false,
          autoGainControl: false,
        },
      });
    } catch (error) {
      throw classify(error);
    }
    try {
      await context.audioWorklet.addModule(new URL('../../lib/capture-worklet.js', import.meta.url));
      await context.resume();
      const source = context.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(context, 'gmmhmm-capture', {
        numberOfInputs: 1,
        numberOfOutputs: 1,
        channelCount: 1,
        channelCountMode: 'explicit',
      });
      // Connected through a silent gain so that every browser keeps pulling the node.
      const sink = context.createGain();
      sink.gain.value = 0;
      source.connect(node).connect(sink).connect(context.destination);
      node.port.onmessage = (event) => {
        const { samples } = event.data;
        for (const listener of this.listeners) listener(samples, context.sampleRate);
      };
      // Unplugging the device (or revoking permission) ends the track.
      stream.getAudioTracks()[0]?.addEventListener('ended', () => {
        this.stop();
        this.onEnded?.();
      });
      Object.assign(this, { stream, source, node, sink });
      return context.sampleRate;
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      throw error instanceof MicrophoneError ? error : new MicrophoneError('unsupported', `${MESSAGES.unsupported} (${error.message})`, error);
    }
  }

  stop() {
    if (!this.node) return;
    this.node.port.postMessage('stop');
    this.node.port.onmessage = null;
    this.source.disconnect();
    this.node.disconnect();
    this.sink.disconnect();
    for (const track of this.stream.getTracks()) track.stop();
    this.stream = this.source = this.node = this.sink = null;
  }
}
