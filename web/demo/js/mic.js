// Opening the microphone: getUserMedia -> the page's AudioContext -> a MediaStreamSource node
// that the package's listen() captures from (and the live view taps), with a message a person
// understands for each way it can fail. Capture and word cutting are the package's
// (recognizer.listen(), js/voice.js); this file only gets the sound into the page's graph.
// The AudioContext is created and resumed inside the user's click (Safari requires it) and
// never given a sample rate (Firefox refuses to resample a microphone stream).

/** A microphone problem the page can explain to a person. `kind` is one of
 *  'denied' | 'absent' | 'busy' | 'insecure' | 'unsupported' | 'stalled' | 'lost' | 'failed'. */
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
  lost: 'The microphone went away (unplugged, switched off, or access revoked). A word it cut off was not kept. Plug it back in and start again \u2014 or use the sample set below, which needs no microphone.',
  stalled: 'The browser\u2019s audio engine did not start (the AudioContext stayed suspended), so no sound can arrive. Check that an audio output device (speakers or headphones) is connected and enabled, that the browser may play sound on this page, then click Start microphone again or reload the page \u2014 or use the sample set below, which needs no microphone.',
};

// A step that has not settled after this long is reported next to the button: a browser
// may wait forever (headless Firefox, without an audio output device, never resumes an
// AudioContext), and a silent page looks broken.
export const SLOW_START_MS = 4000;

/** Notes shown while a step is still pending after SLOW_START_MS. */
const WAITING = {
  permission: 'Still waiting for the microphone: answer the browser\u2019s permission prompt (it may be behind this window or in the address bar). If none appears, check the site\u2019s permissions and that a microphone is connected.',
};

/** Resolves or rejects as `promise` does; calls `onSlow()` once if it is still pending after
 *  `ms`. With `giveUp`, rejects with that error instead of waiting longer. */
function watch(promise, ms, onSlow, giveUp = null) {
  let timer;
  const slow = new Promise((resolve, reject) => {
    timer = setTimeout(() => (giveUp ? reject(giveUp) : (onSlow(), resolve(promise))), ms);
  });
  return Promise.race([promise, slow]).finally(() => clearTimeout(timer));
}

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
  // Not awaited here (the caller is inside a click); Microphone.start() watches it settle.
  if (sharedContext.state === 'suspended') sharedContext.resume().catch(() => {});
  return sharedContext;
}

export class Microphone {
  constructor() {
    this.stream = null;
    /** The MediaStreamSource node: what listen() and the live view take the sound from. */
    this.node = null;
    this.starting = null;
    /** Called with a message while a step of start() is slow (null once it settled). */
    this.onWaiting = null;
    /** Called with a MicrophoneError ('lost') when the device goes away (unplugged, permission revoked). */
    this.onEnded = null;
  }

  get running() {
    return this.node !== null;
  }

  get context() {
    return this.node?.context ?? null;
  }

  get sampleRate() {
    return this.node ? this.node.context.sampleRate : 0;
  }

  /** Opens the microphone; resolves to its source node. Call it synchronously from a user
   *  gesture handler. Rejects with a MicrophoneError. */
  start() {
    if (this.running) return Promise.resolve(this.node);
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
    if (!navigator.mediaDevices?.getUserMedia || !context.audioWorklet || typeof Worker !== 'function') {
      throw new MicrophoneError('unsupported', MESSAGES.unsupported);
    }
    let stream;
    try {
      stream = await watch(navigator.mediaDevices.getUserMedia({
        audio: {
          channelCount: 1,
          // Raw audio: the features are normalised per utterance, and browser noise
          // suppression distorts words in ways the enrolment never saw.
          echoCancellation: false,
          noiseSuppression: false,
          autoGainControl: false,
        },
      }), SLOW_START_MS, () => this.onWaiting?.(WAITING.permission));
    } catch (error) {
      throw classify(error);
    } finally {
      this.onWaiting?.(null);
    }
    try {
      // A person cannot answer this one, so it is not waited on forever: the next click
      // starts over with a new AudioContext.
      await watch(context.resume(), SLOW_START_MS, null, new MicrophoneError('stalled', MESSAGES.stalled)).catch((error) => {
        if (sharedContext === context) {
          sharedContext = null;
          context.close().catch(() => {});
        }
        throw error;
      });
      const node = context.createMediaStreamSource(stream);
      // Unplugging the device (or revoking permission) ends the track.
      stream.getAudioTracks()[0]?.addEventListener('ended', () => {
        this.stop();
        this.onEnded?.(new MicrophoneError('lost', MESSAGES.lost));
      });
      Object.assign(this, { stream, node });
      return node;
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      throw error instanceof MicrophoneError ? error : new MicrophoneError('unsupported', `${MESSAGES.unsupported} (${error.message})`, error);
    }
  }

  stop() {
    if (!this.node) return;
    this.node.disconnect();
    for (const track of this.stream.getTracks()) track.stop();
    this.stream = this.node = null;
  }
}
