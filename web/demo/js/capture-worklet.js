// AudioWorklet processor (plain JS, runs on the audio thread): gathers the microphone's
// 128-sample render quanta into slightly larger blocks and posts them to the page. It does
// nothing else — features, endpointing and drawing happen on the page, so the audio thread
// can never glitch because of our work.
const DEFAULT_BLOCK = 256; // ~5 ms at 48 kHz: small enough not to add visible latency

class CaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const requested = options?.processorOptions?.blockSize;
    this.blockSize = Number.isInteger(requested) && requested >= 128 ? requested : DEFAULT_BLOCK;
    this.buffer = new Float32Array(this.blockSize);
    this.filled = 0;
    this.running = true;
    this.port.onmessage = (event) => {
      if (event.data === 'stop') this.running = false;
    };
  }

  process(inputs) {
    if (!this.running) return false;
    const channels = inputs[0];
    // The stream is requested mono; when a device still delivers several channels the
    // first one is used (no mixing on this thread).
    const input = channels && channels.length > 0 ? channels[0] : null;
    if (input) {
      let offset = 0;
      while (offset < input.length) {
        const n = Math.min(input.length - offset, this.blockSize - this.filled);
        this.buffer.set(input.subarray(offset, offset + n), this.filled);
        this.filled += n;
        offset += n;
        if (this.filled === this.blockSize) this.post();
      }
    }
    return true;
  }

  post() {
    const block = this.buffer;
    this.port.postMessage({ samples: block, time: currentTime }, [block.buffer]);
    this.buffer = new Float32Array(this.blockSize);
    this.filled = 0;
  }
}

registerProcessor('gmmhmm-capture', CaptureProcessor);
