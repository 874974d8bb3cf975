// Live waveform (last few seconds, min/max per pixel column) and scrolling mel spectrogram.
// Audio arrives in blocks; drawing happens once per animation frame.
import { MAGMA, level, fitCanvas } from './colormap.js';

const WAVE_SECONDS = 3;
const SPAN_NATS = 11; // ~48 dB of dynamic range shown below the loudest recent frame
const COLUMN_PX = 2; // backing-store pixels per 10 ms frame

export class LiveView {
  constructor(waveCanvas, specCanvas) {
    this.waveCanvas = waveCanvas;
    this.specCanvas = specCanvas;
    this.wave = new Float32Array(0);
    this.waveWrite = 0;
    this.sampleRate = 0;
    this.pendingFrames = [];
    this.top = 0;
    this.scheduled = false;
    this.resizeObserver = new ResizeObserver(() => this.#clear());
    this.resizeObserver.observe(specCanvas);
    this.#clear();
  }

  pushSamples(samples, sampleRate) {
    if (sampleRate !== this.sampleRate) {
      this.sampleRate = sampleRate;
      this.wave = new Float32Array(Math.round(sampleRate * WAVE_SECONDS));
      this.waveWrite = 0;
    }
    for (let i = 0; i < samples.length; i++) {
      this.wave[this.waveWrite] = samples[i];
      this.waveWrite = (this.waveWrite + 1) % this.wave.length;
    }
    this.#schedule();
  }

  pushFrames(frames) {
    for (const frame of frames) this.pendingFrames.push(frame);
    this.#schedule();
  }

  #schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.#drawWave();
      this.#drawSpectrogram();
    });
  }

  #clear() {
    for (const canvas of [this.waveCanvas, this.specCanvas]) {
      fitCanvas(canvas);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#0d1117';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      if (this.sampleRate === 0) {
        // Until sound arrives, say why the scope is empty (the waveform redraws over it,
        // the spectrogram scrolls it away).
        const scale = Math.min(2, globalThis.devicePixelRatio || 1);
        ctx.font = `${Math.round(13 * scale)}px system-ui, sans-serif`;
        ctx.fillStyle = '#aab3bf';
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.fillText(canvas === this.waveCanvas ? 'waveform \u2014 start the microphone' : 'mel spectrogram \u2014 start the microphone',
          canvas.width / 2, canvas.height / 2);
      }
    }
  }

  #drawWave() {
    const canvas = this.waveCanvas;
    fitCanvas(canvas);
    const ctx = canvas.getContext('2d');
    const { width, height } = canvas;
    ctx.fillStyle = '#0d1117';
    ctx.fillRect(0, 0, width, height);
    if (this.wave.length === 0) return;
    ctx.strokeStyle = '#6ea3ff';
    ctx.beginPath();
    const n = this.wave.length;
    const perColumn = n / width;
    for (let x = 0; x < width; x++) {
      let lo = 1;
      let hi = -1;
      const start = Math.floor(x * perColumn);
      const end = Math.floor((x + 1) * perColumn);
      for (let i = start; i < end; i++) {
        const v = this.wave[(this.waveWrite + i) % n];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi < lo) continue;
      ctx.moveTo(x + 0.5, (1 - hi) * 0.5 * height);
      ctx.lineTo(x + 0.5, Math.max((1 - lo) * 0.5 * height, (1 - hi) * 0.5 * height + 1));
    }
    ctx.stroke();
  }

  #drawSpectrogram() {
    const frames = this.pendingFrames;
    if (frames.length === 0) return;
    this.pendingFrames = [];
    const canvas = this.specCanvas;
    const ctx = canvas.getContext('2d');
    const { width, height } = canvas;
    const shift = Math.min(width, frames.length * COLUMN_PX);
    ctx.drawImage(canvas, -shift, 0);
    const bins = frames[0].length;
    const image = ctx.createImageData(shift, height);
    const firstFrame = frames.length - Math.floor(shift / COLUMN_PX);
    for (let f = Math.max(0, firstFrame); f < frames.length; f++) {
      const frame = frames[f];
      let max = -Infinity;
      for (let b = 0; b < bins; b++) if (frame[b] > max) max = frame[b];
      // The colour range follows the loudest recent frame, decaying slowly.
      this.top = Math.max(max, this.top - 0.02);
      const x0 = (f - firstFrame) * COLUMN_PX;
      for (let y = 0; y < height; y++) {
        const b = Math.min(bins - 1, Math.floor(((height - 1 - y) / height) * bins));
        const k = 3 * level(frame[b], this.top, SPAN_NATS);
        for (let dx = 0; dx < COLUMN_PX; dx++) {
          const p = 4 * (y * shift + x0 + dx);
          image.data[p] = MAGMA[k];
          image.data[p + 1] = MAGMA[k + 1];
          image.data[p + 2] = MAGMA[k + 2];
          image.data[p + 3] = 255;
        }
      }
    }
    ctx.putImageData(image, width - shift, 0);
  }
}
