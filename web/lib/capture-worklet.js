// AudioWorklet processor (plain JS, runs on the audio thread): gathers the input's 128-sample
// render quanta into slightly larger blocks and posts them on. It does nothing else —
// endpointing and classification happen elsewhere, so the audio thread can never glitch
// because of that work. Shipped with the package (listen() loads it from next to its own
// code; the `workletURL` option overrides that) and used by the demo.
//
// Messages on the node's port: { type: 'connect', port } sends the blocks to that
// MessagePort (listen() hands it the other end of a channel to its Worker, so audio never
// passes through the page's thread); 'stop' ends the processor. Without a port the blocks
// go to the node's own port. Each block: { samples: Float32Array, time } (transferred).
const DEFAULT_BLOCK = 256; // ~5 ms at 48 kHz: small enough not to add visible latency

class CaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const requested = options?.processorOptions?.blockSize;
    this.blockSize = Number.isInteger(requested) && requested >= 128 ? requested : DEFAULT_BLOCK;
    this.buffer = new Float32Array(this.blockSize);
    this.filled = 0;
    this.running = true;
    this.target = this.port;
    this.port.onmessage = (event) => {
      if (event.data === 'stop') {
        this.running = false;
        if (this.target !== this.port) this.target.close();
        this.port.onmessage = null;
      } else if (event.data?.type === 'connect' && event.data.port) {
        this.target = event.data.port;
      }
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
    this.target.postMessage({ samples: block, time: currentTime }, [block.buffer]);
    this.buffer = new Float32Array(this.blockSize);
    this.filled = 0;
  }
}

registerProcessor('gmmhmm-capture', CaptureProcessor);
