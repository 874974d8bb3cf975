// What the microphone's words are for, one mode at a time, each a listener of the package
// (recognizer.listen() on the microphone's node: capture in its AudioWorklet, word cutting
// and classification in its Worker): enrolling a word (listener.nextUtterance() -> an
// example), hands-free recognition (every `result`), and push-to-talk (listening while the
// button is held; releasing it ends the listener, which delivers the word being heard).
// Enrolment and recognition therefore cut words with the same Endpointer settings.
// Events: 'mode' { kind, word? }, 'speech' { speaking }, 'example' { word, vocabulary, samples, sampleRate },
// 'result' { result, source, listener }, 'done' { source, heard, stopped } (a push-to-talk
// listener ended; heard: whether it gave a result; stopped: by stopMic()), 'error' { error, source }.

// Words queued ahead during enrolment: a word that ends while the previous one is being
// handed over still finds a nextUtterance() waiting (none is ever classified instead).
const ENROL_QUEUE = 2;

export class Voice extends EventTarget {
  /** @param mic the page's Microphone; @param getCutter () => an untrained Recognizer (it only cuts words) */
  constructor(mic, getCutter) {
    super();
    this.mic = mic;
    this.getCutter = getCutter;
    this.mode = null; // { kind: 'enrol'|'handsfree'|'ptt', word?, listener, source }
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Enrol mode for `word` of the page's `vocabulary` (`options`: the listener's, how words
   *  are cut). Call from the click: the microphone is opened inside it. */
  startEnrol(word, options, vocabulary) {
    return this.#start({ kind: 'enrol', word, source: 'microphone' }, () => this.getCutter(), options, (mode) => {
      const take = () => mode.listener.nextUtterance().then((u) => {
        this.emit('example', { word, vocabulary, samples: u.samples, sampleRate: u.sampleRate });
        take();
      }, () => { /* the listener ended or stopped: enrolment is over */ });
      for (let i = 0; i < ENROL_QUEUE; i++) take();
    });
  }

  /** Hands-free recognition with `recognizer` as trained now. */
  startHandsFree(recognizer, options) {
    return this.#start({ kind: 'handsfree', source: 'hands-free' }, recognizer, options);
  }

  /** Push-to-talk pressed: listening until pttUp(). */
  pttDown(recognizer, options) {
    return this.#start({ kind: 'ptt', source: 'push-to-talk', heard: false }, recognizer, options);
  }

  /** Push-to-talk released: the word being heard is delivered, then 'done'. */
  pttUp() {
    const mode = this.mode;
    if (mode?.kind !== 'ptt') return;
    this.#close(mode, 'end');
  }

  /** Ends the mode (the word being heard is still delivered). */
  stopMode() {
    if (this.mode) this.#close(this.mode, 'end');
  }

  /** Stops everything and closes the microphone. */
  stopMic() {
    if (this.mode) this.#close(this.mode, 'stop');
    this.mic.stop();
  }

  // `recognizer`: a Recognizer, or a function that returns one (called after the microphone
  // was asked for, so that the request stays inside the click).
  async #start(mode, recognizer, options, begin = () => {}) {
    const opened = this.mic.start(); // first, inside the click
    if (this.mode) this.#close(this.mode, 'end');
    this.mode = mode;
    this.emit('mode', { kind: mode.kind, word: mode.word });
    try {
      const node = await opened;
      const listener = await (typeof recognizer === 'function' ? recognizer() : recognizer).listen(node, options);
      if (this.mode !== mode) {
        // Released or switched while it was starting: what it heard so far still counts.
        mode.listener = listener;
        this.#wire(mode);
        begin(mode);
        this.#finish(mode, mode.closing ?? 'end');
        return;
      }
      mode.listener = listener;
      this.#wire(mode);
      begin(mode);
      this.emit('listening', { kind: mode.kind });
    } catch (error) {
      if (this.mode === mode) this.#close(mode, 'stop');
      throw error;
    }
  }

  #wire(mode) {
    const { listener } = mode;
    listener.addEventListener('speechstart', () => this.emit('speech', { speaking: true, kind: mode.kind }));
    listener.addEventListener('speechend', () => this.emit('speech', { speaking: false, kind: mode.kind }));
    listener.addEventListener('result', ({ detail }) => {
      mode.heard = true;
      this.emit('result', { result: detail, source: mode.source, listener });
    });
    listener.addEventListener('error', ({ error }) => this.emit('error', { error, source: mode.source }));
  }

  // Leaves the mode now; its listener (once started) is ended or stopped.
  #close(mode, how) {
    if (this.mode === mode) {
      this.mode = null;
      this.emit('mode', { kind: null });
      this.emit('speech', { speaking: false, kind: mode.kind });
    }
    mode.closing = how;
    if (mode.listener) this.#finish(mode, how);
  }

  #finish(mode, how) {
    const { listener } = mode;
    const done = () => this.emit('done', { source: mode.source, heard: mode.heard, stopped: how === 'stop' });
    // end() delivers the word being heard from the Worker, then the listener's 'end' event
    // (also when it ended by itself first: its source went away); stop() sends none.
    if (mode.kind === 'ptt' && how !== 'stop') {
      if (listener.state === 'listening') listener.addEventListener('end', done, { once: true });
      else queueMicrotask(done);
    }
    if (how === 'stop') listener.stop();
    else listener.end();
    if (mode.kind === 'ptt' && how === 'stop') done();
  }
}
