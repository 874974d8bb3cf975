// Who gets the microphone's audio: always the live view; additionally one "mode" at a time —
// enrolling a word (each cut utterance becomes an example), hands-free recognition (each cut
// utterance is classified), or push-to-talk (audio is gathered while the button is held).
import { Microphone } from './mic.js';
import { SpectrogramStream } from './engine.js';
import { Segmenter } from './segmenter.js';

export class Listening extends EventTarget {
  constructor(getEngineSync, liveView) {
    super();
    this.getEngineSync = getEngineSync; // () => gmmhmm module or null while loading
    this.liveView = liveView;
    this.mic = new Microphone();
    this.mode = null; // { kind: 'enrol'|'handsfree'|'ptt', word?, segmenter?, chunks? }
    this.spectrogram = null;
    this.mic.onBlock((samples, sampleRate) => this.#block(samples, sampleRate));
    this.mic.onEnded = () => this.stopMic();
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Starts the microphone; call synchronously from a user gesture. Rejects with a
   *  MicrophoneError the page can show. */
  startMic() {
    return this.mic.start().then((rate) => {
      this.emit('mic', { running: true, sampleRate: rate });
      return rate;
    });
  }

  stopMic() {
    this.stopMode();
    this.mic.stop();
    this.spectrogram?.dispose();
    this.spectrogram = null;
    this.emit('mic', { running: false });
  }

  /** Enrol mode for `word`; resolves once the microphone runs. */
  async startEnrol(word) {
    const started = this.startMic(); // first, inside the click
    this.stopMode();
    const rate = await started;
    this.mode = { kind: 'enrol', word, segmenter: this.#segmenter(rate, (u) => this.emit('example', { word, ...u })) };
    this.emit('mode', { kind: 'enrol', word });
  }

  async startHandsFree() {
    const started = this.startMic();
    this.stopMode();
    const rate = await started;
    this.mode = { kind: 'handsfree', segmenter: this.#segmenter(rate, (u) => this.emit('utterance', { source: 'hands-free', ...u })) };
    this.emit('mode', { kind: 'handsfree' });
  }

  /** Push-to-talk pressed: gather audio until pttUp(). */
  async pttDown() {
    const started = this.startMic();
    this.stopMode();
    this.mode = { kind: 'ptt', chunks: [], sampleRate: 0, pressedAt: performance.now() };
    this.emit('mode', { kind: 'ptt' });
    await started;
  }

  /** Push-to-talk released: returns { samples, sampleRate, releasedAt } or null. */
  pttUp() {
    if (this.mode?.kind !== 'ptt') return null;
    const { chunks, sampleRate } = this.mode;
    this.mode = null;
    this.emit('mode', { kind: null });
    const length = chunks.reduce((n, c) => n + c.length, 0);
    if (length === 0) return null;
    const samples = new Float32Array(length);
    let offset = 0;
    for (const c of chunks) {
      samples.set(c, offset);
      offset += c.length;
    }
    return { samples, sampleRate, releasedAt: performance.now() };
  }

  stopMode() {
    const mode = this.mode;
    if (!mode) return;
    this.mode = null;
    // Deliver a word that was still being spoken when the user pressed Stop.
    mode.segmenter?.flush();
    mode.segmenter?.dispose();
    this.emit('mode', { kind: null });
  }

  #segmenter(rate, onUtterance) {
    const gmmhmm = this.getEngineSync();
    if (!gmmhmm) throw new Error('the engine is still loading; try again in a moment');
    return new Segmenter(gmmhmm, rate, onUtterance, { onSpeech: (speaking) => this.emit('speech', { speaking }) });
  }

  #block(samples, sampleRate) {
    this.liveView.pushSamples(samples, sampleRate);
    const gmmhmm = this.getEngineSync();
    if (gmmhmm) {
      if (this.spectrogram?.sampleRate !== sampleRate) {
        this.spectrogram?.dispose();
        this.spectrogram = new SpectrogramStream(gmmhmm, sampleRate);
      }
      this.liveView.pushFrames(this.spectrogram.push(samples));
    }
    const mode = this.mode;
    if (!mode) return;
    if (mode.kind === 'ptt') {
      mode.sampleRate = sampleRate;
      mode.chunks.push(samples);
    } else {
      mode.segmenter.push(samples);
    }
  }
}
