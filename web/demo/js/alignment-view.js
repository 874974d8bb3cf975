// The last utterance's mel spectrogram with the Viterbi state alignment of a word drawn over
// it: a coloured band per HMM state along the bottom and a dashed line at every state change.
import { MAGMA_PIXELS } from './colormap.js';

const SPAN_NATS = 11;
const STATE_COLOURS = ['#6ea3ff', '#5fcf8a', '#f0a400', '#ff8a80', '#c49bff', '#4fd1d9', '#ffd166', '#ef8fd0'];
const BACKGROUND = '#0d1117';

// Text is measured on a canvas outside the document: measureText on the page's canvas makes
// Chromium bring the page's style up to date first, in the middle of showing a result (it
// was most of the drawing's time).
const measurer = globalThis.OffscreenCanvas ? new OffscreenCanvas(1, 1).getContext('2d') : null;

function textWidth(ctx, text) {
  if (!measurer) return ctx.measureText(text).width;
  measurer.font = ctx.font;
  return measurer.measureText(text).width;
}

// The word's image at one pixel per frame and band, scaled onto the canvas by drawImage
// (nearest neighbour): the colour map runs frames x bands times, not once per screen pixel.
const picture = { canvas: null, context: null };

function spectrogramImage({ data, frames, bins }) {
  picture.canvas ??= globalThis.OffscreenCanvas ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
  if (picture.canvas.width !== frames || picture.canvas.height !== bins) {
    picture.canvas.width = frames;
    picture.canvas.height = bins;
    picture.context = null;
  }
  picture.context ??= picture.canvas.getContext('2d');
  let top = -Infinity;
  for (let i = 0; i < data.length; i++) if (data[i] > top) top = data[i];
  const image = picture.context.createImageData(frames, bins);
  // One 32-bit write per pixel; the colour's index as colormap.js's level() gives it.
  const pixels = new Uint32Array(image.data.buffer);
  const low = top - SPAN_NATS;
  const scale = 255 / SPAN_NATS;
  for (let t = 0; t < frames; t++) {
    const row = t * bins;
    for (let b = 0; b < bins; b++) {
      const v = (data[row + b] - low) * scale;
      const k = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      pixels[(bins - 1 - b) * frames + t] = MAGMA_PIXELS[k]; // low bands at the bottom
    }
  }
  picture.context.putImageData(image, 0, 0);
  return picture.canvas;
}

/**
 * @param canvas target canvas, its backing store already sized (fitCanvas)
 * @param spectrogram the word's log-mel frames, as a listener's result carries them
 *        ({ data: frames x bins, frames, bins }), 10 ms apart; null: nothing to draw
 * @param alignment the Recognizer's { label, states, firstFrame } (states[i] is the state of
 *        feature frame firstFrame + i, the same 10 ms grid as the spectrogram), or null
 */
export function drawAlignment(canvas, spectrogram, alignment) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, width, height);
  const frameCount = spectrogram?.frames ?? 0;
  // What is drawn, for the tests (a canvas has no DOM to inspect).
  canvas.dataset.frames = String(frameCount);
  canvas.dataset.alignedFrames = String(alignment?.states.length ?? 0);
  canvas.dataset.states = String(alignment ? new Set(alignment.states).size : 0);
  if (frameCount === 0) return;
  const band = Math.round(height * 0.14);
  const specHeight = height - band;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(spectrogramImage(spectrogram), 0, 0, width, specHeight);
  if (!alignment || alignment.states.length === 0) return;

  const { states, firstFrame, label } = alignment;
  const frameWidth = width / frameCount;
  const scale = Math.min(2, globalThis.devicePixelRatio || 1);
  ctx.font = `${Math.round(11 * scale)}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  // Frames the silence trim left out are shaded: the model did not see them.
  ctx.fillStyle = 'rgba(13,17,23,0.55)';
  ctx.fillRect(0, 0, firstFrame * frameWidth, specHeight);
  ctx.fillRect((firstFrame + states.length) * frameWidth, 0, width, specHeight);
  // The dashed lines at the state changes: one path, stroked once after the bands.
  const lines = new Path2D();
  let start = 0;
  for (let t = 1; t <= states.length; t++) {
    if (t < states.length && states[t] === states[start]) continue;
    const x0 = (firstFrame + start) * frameWidth;
    const x1 = (firstFrame + t) * frameWidth;
    const state = states[start];
    ctx.fillStyle = STATE_COLOURS[state % STATE_COLOURS.length];
    ctx.fillRect(x0, specHeight, x1 - x0, band);
    ctx.fillStyle = BACKGROUND;
    if (x1 - x0 > 18 * scale) ctx.fillText(`s${state + 1}`, x0 + 3 * scale, specHeight + band / 2);
    lines.moveTo(Math.round(x0) + 0.5, 0);
    lines.lineTo(Math.round(x0) + 0.5, specHeight);
    start = t;
  }
  ctx.strokeStyle = 'rgba(255,255,255,0.85)';
  ctx.lineWidth = scale;
  ctx.setLineDash([4 * scale, 3 * scale]);
  ctx.stroke(lines);
  ctx.setLineDash([]);
  const text = `states of \u201c${label}\u201d`;
  const w = textWidth(ctx, text) + 8 * scale;
  ctx.fillStyle = 'rgba(13,17,23,0.75)';
  ctx.fillRect(0, 0, w, 18 * scale);
  ctx.fillStyle = '#e9edf2';
  ctx.fillText(text, 4 * scale, 9 * scale);
}
