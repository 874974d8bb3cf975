// A perceptually ordered colour map (approximating "magma") as a 256-entry RGB lookup table,
// so spectrogram pixels are one table read each.
const STOPS = [
  [0.0, [0, 0, 4]], [0.13, [28, 16, 68]], [0.25, [79, 18, 123]], [0.38, [129, 37, 129]],
  [0.5, [181, 54, 122]], [0.63, [229, 80, 100]], [0.75, [251, 135, 97]], [0.88, [254, 194, 135]],
  [1.0, [252, 253, 191]],
];

export const MAGMA = (() => {
  const table = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let k = 0;
    while (k < STOPS.length - 2 && t > STOPS[k + 1][0]) k++;
    const [t0, c0] = STOPS[k];
    const [t1, c1] = STOPS[k + 1];
    const u = (t - t0) / (t1 - t0);
    for (let c = 0; c < 3; c++) table[3 * i + c] = c0[c] + u * (c1[c] - c0[c]);
  }
  return table;
})();

/** MAGMA as opaque 32-bit pixels in the platform's byte order: through a Uint32Array view of an
 *  ImageData's bytes, one write colours a pixel. */
export const MAGMA_PIXELS = (() => {
  const bytes = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    bytes.set(MAGMA.subarray(3 * i, 3 * i + 3), 4 * i);
    bytes[4 * i + 3] = 255;
  }
  return new Uint32Array(bytes.buffer);
})();

/** Maps a log energy to 0..255 given the top of the range and its span (both in nats). */
export function level(value, top, span) {
  const t = (value - (top - span)) / span;
  return t <= 0 ? 0 : t >= 1 ? 255 : Math.round(t * 255);
}

/**
 * Sizes a canvas's backing store to its CSS size times the device pixel ratio. `css`: that
 * size when the caller knows it (a ResizeObserver's), so that the layout is not read.
 */
export function fitCanvas(canvas, css = { width: canvas.clientWidth, height: canvas.clientHeight }) {
  const ratio = Math.min(globalThis.devicePixelRatio || 1, 2);
  const width = Math.max(1, Math.round(css.width * ratio));
  const height = Math.max(1, Math.round(css.height * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
    return true;
  }
  return false;
}
