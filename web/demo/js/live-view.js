// Live waveform envelope and scrolling spectrogram of the microphone, read from an
// AnalyserNode on the page's audio graph once per animation frame: the browser's own
// analyser, so showing the sound costs no WebAssembly and no copy of the audio (the package's
// listen() is the only consumer of the samples).
import { MAGMA, level, fitCanvas } from './colormap.js';

const COLUMN_PX = 2; // backing-store pixels per animation frame
const SPAN_DB = 60; // dynamic range shown below the loudest recent column
const TOP_HZ = 8000; // the spectrogram's top row (speech above this matters little here)
const BACKGROUND = '#0d1117';

export class LiveView {
  constructor(waveCanvas, specCanvas) {
    this.waveCanvas = waveCanvas;
    this.specCanvas = specCanvas;
    this.analyser = null;
    this.frame = 0;
    this.top = -Infinity;
    this.resizeObserver = new ResizeObserver(() => this.#clear());
    this.resizeObserver.observe(specCanvas);
    this.#clear();
  }

  /** Starts showing `node`'s sound (null: stops). */
  show(node) {
    if (this.analyser) {
      try { this.analyser.source.disconnect(this.analyser); } catch { /* already gone */ }
      cancelAnimationFrame(this.frame);
      this.analyser = null;
    }
    if (!node) return;
    const analyser = node.context.createAnalyser();
    analyser.fftSize = 1024;
    analyser.smoothingTimeConstant = 0;
    analyser.source = node;
    node.connect(analyser);
    this.analyser = analyser;
    this.time = new Float32Array(analyser.fftSize);
    this.spectrum = new Float32Array(analyser.frequencyBinCount);
    this.#clear();
    const tick = () => {
      if (this.analyser !== analyser) return;
      this.#draw();
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  #clear() {
    for (const canvas of [this.waveCanvas, this.specCanvas]) {
      fitCanvas(canvas);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = BACKGROUND;
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      if (!this.analyser) {
        // Until sound arrives, say why the scope is empty (the views scroll it away).
        const scale = Math.min(2, globalThis.devicePixelRatio || 1);
        ctx.font = `${Math.round(13 * scale)}px system-ui, sans-serif`;
        ctx.fillStyle = '#aab3bf';
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.fillText(canvas === this.waveCanvas ? 'waveform \u2014 start the microphone' : 'spectrogram \u2014 start the microphone',
          canvas.width / 2, canvas.height / 2);
      }
    }
  }

  // Scrolls both canvases left by one column and draws the newest one at the right.
  #draw() {
    const analyser = this.analyser;
    analyser.getFloatTimeDomainData(this.time);
    analyser.getFloatFrequencyData(this.spectrum);
    this.#drawWaveColumn();
    this.#drawSpectrumColumn(analyser.context.sampleRate);
  }

  #drawWaveColumn() {
    const canvas = this.waveCanvas;
    const ctx = canvas.getContext('2d');
    const { width, height } = canvas;
    ctx.drawImage(canvas, -COLUMN_PX, 0);
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(width - COLUMN_PX, 0, COLUMN_PX, height);
    let lo = 1;
    let hi = -1;
    for (const v of this.time) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const y0 = Math.max(0, (1 - hi) * 0.5 * height);
    const y1 = Math.min(height, Math.max((1 - lo) * 0.5 * height, y0 + 1));
    ctx.fillStyle = '#6ea3ff';
    ctx.fillRect(width - COLUMN_PX, y0, COLUMN_PX, y1 - y0);
  }

  #drawSpectrumColumn(sampleRate) {
    const canvas = this.specCanvas;
    const ctx = canvas.getContext('2d');
    const { width, height } = canvas;
    ctx.drawImage(canvas, -COLUMN_PX, 0);
    const bins = Math.min(this.spectrum.length, Math.ceil((TOP_HZ / (sampleRate / 2)) * this.spectrum.length));
    let max = -Infinity;
    for (let b = 1; b < bins; b++) if (this.spectrum[b] > max) max = this.spectrum[b];
    // The colour range follows the loudest recent column, decaying slowly.
    this.top = Math.max(max, this.top - 0.2);
    const image = ctx.createImageData(COLUMN_PX, height);
    for (let y = 0; y < height; y++) {
      const b = Math.min(bins - 1, 1 + Math.floor(((height - 1 - y) / height) * (bins - 1)));
      const k = 3 * level(this.spectrum[b], this.top, SPAN_DB);
      for (let dx = 0; dx < COLUMN_PX; dx++) {
        const p = 4 * (y * COLUMN_PX + dx);
        image.data[p] = MAGMA[k];
        image.data[p + 1] = MAGMA[k + 1];
        image.data[p + 2] = MAGMA[k + 2];
        image.data[p + 3] = 255;
      }
    }
    ctx.putImageData(image, width - COLUMN_PX, 0);
  }
}
