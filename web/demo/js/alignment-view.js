// The last utterance's mel spectrogram with the Viterbi state alignment of a word drawn over
// it: a coloured band per HMM state along the bottom and a dashed line at every state change.
import { MAGMA, level, fitCanvas } from './colormap.js';

const SPAN_NATS = 11;
const STATE_COLOURS = ['#6ea3ff', '#5fcf8a', '#f0a400', '#ff8a80', '#c49bff', '#4fd1d9', '#ffd166', '#ef8fd0'];
const BACKGROUND = '#0d1117';

/**
 * @param canvas target canvas
 * @param frames log-mel frames of the utterance (rows), 10 ms apart
 * @param alignment the Recognizer's { label, states, firstFrame } (states[i] is the state of
 *        feature frame firstFrame + i, the same 10 ms grid as `frames`), or null
 */
export function drawAlignment(canvas, frames, alignment) {
  fitCanvas(canvas);
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, width, height);
  // What is drawn, for the tests (a canvas has no DOM to inspect).
  canvas.dataset.frames = String(frames?.length ?? 0);
  canvas.dataset.alignedFrames = String(alignment?.states.length ?? 0);
  canvas.dataset.states = String(alignment ? new Set(alignment.states).size : 0);
  if (!frames || frames.length === 0) return;
  const band = Math.round(height * 0.14);
  const specHeight = height - band;
  const bins = frames[0].length;
  let top = -Infinity;
  for (const frame of frames) for (let b = 0; b < bins; b++) if (frame[b] > top) top = frame[b];

  const image = ctx.createImageData(width, specHeight);
  for (let x = 0; x < width; x++) {
    const frame = frames[Math.min(frames.length - 1, Math.floor((x / width) * frames.length))];
    for (let y = 0; y < specHeight; y++) {
      const b = Math.min(bins - 1, Math.floor(((specHeight - 1 - y) / specHeight) * bins));
      const k = 3 * level(frame[b], top, SPAN_NATS);
      const p = 4 * (y * width + x);
      image.data[p] = MAGMA[k];
      image.data[p + 1] = MAGMA[k + 1];
      image.data[p + 2] = MAGMA[k + 2];
      image.data[p + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
  if (!alignment || alignment.states.length === 0) return;

  const { states, firstFrame, label } = alignment;
  const frameWidth = width / frames.length;
  const scale = Math.min(2, globalThis.devicePixelRatio || 1);
  ctx.font = `${Math.round(11 * scale)}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  // Frames the silence trim left out are shaded: the model did not see them.
  ctx.fillStyle = 'rgba(13,17,23,0.55)';
  ctx.fillRect(0, 0, firstFrame * frameWidth, specHeight);
  ctx.fillRect((firstFrame + states.length) * frameWidth, 0, width, specHeight);
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
    ctx.strokeStyle = 'rgba(255,255,255,0.85)';
    ctx.lineWidth = scale;
    ctx.setLineDash([4 * scale, 3 * scale]);
    ctx.beginPath();
    ctx.moveTo(Math.round(x0) + 0.5, 0);
    ctx.lineTo(Math.round(x0) + 0.5, specHeight);
    ctx.stroke();
    ctx.setLineDash([]);
    start = t;
  }
  const text = `states of \u201c${label}\u201d`;
  const w = ctx.measureText(text).width + 8 * scale;
  ctx.fillStyle = 'rgba(13,17,23,0.75)';
  ctx.fillRect(0, 0, w, 18 * scale);
  ctx.fillStyle = '#e9edf2';
  ctx.fillText(text, 4 * scale, 9 * scale);
}
