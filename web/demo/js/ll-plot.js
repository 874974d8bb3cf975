// A small SVG line plot, one line per word: how much the log-likelihood per frame has grown
// since the first EM iteration. (Absolute values differ between words by far more than EM
// changes them, so on a shared absolute scale every curve would look flat.)
const SVG = 'http://www.w3.org/2000/svg';
// Mid-tone colours: lines stay visible on the light and the dark background alike.
const COLOURS = ['#2f6fde', '#d9541e', '#1f9d55', '#9b4dca', '#e0413a', '#1796b0', '#b8860b', '#d63384', '#6b8e23', '#7a8699'];
const W = 320;
const H = 180;
const PAD = { left: 34, right: 6, top: 8, bottom: 18 };

export function colourOf(index) {
  return COLOURS[index % COLOURS.length];
}

function node(name, attributes, text) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

/** series: Map(label -> number[] of per-frame log-likelihoods by iteration); `empty`: what
 *  the plot says when there is no curve. */
export function drawPlot(svg, absolute, labels, empty = 'Train to see the curves') {
  svg.replaceChildren();
  const series = new Map();
  for (const [label, values] of absolute) {
    const first = values.find(Number.isFinite);
    series.set(label, values.map((v) => v - first));
  }
  let minY = Infinity;
  let maxY = -Infinity;
  let maxX = 1;
  for (const values of series.values()) {
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      minY = Math.min(minY, v);
      maxY = Math.max(maxY, v);
    }
    maxX = Math.max(maxX, values.length);
  }
  svg.append(node('line', { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, stroke: 'currentColor', 'stroke-opacity': 0.4 }));
  svg.append(node('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom, stroke: 'currentColor', 'stroke-opacity': 0.4 }));
  if (!Number.isFinite(minY)) {
    svg.append(node('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', 'font-size': 11, fill: 'currentColor' }, empty));
    svg.dataset.empty = empty;
    return;
  }
  delete svg.dataset.empty;
  if (maxY - minY < 1e-6) {
    maxY += 0.5;
    minY -= 0.5;
  }
  const x = (i) => PAD.left + (i / Math.max(1, maxX - 1)) * (W - PAD.left - PAD.right);
  const y = (v) => PAD.top + (1 - (v - minY) / (maxY - minY)) * (H - PAD.top - PAD.bottom);
  const font = { 'font-size': 9, fill: 'currentColor' };
  const signed = (v) => `${v > 0 ? '+' : ''}${v.toFixed(2)}`;
  svg.append(node('text', { x: PAD.left - 3, y: PAD.top + 6, 'text-anchor': 'end', ...font }, signed(maxY)));
  svg.append(node('text', { x: PAD.left - 3, y: H - PAD.bottom, 'text-anchor': 'end', ...font }, signed(minY)));
  svg.append(node('text', { x: W - PAD.right, y: H - 5, 'text-anchor': 'end', ...font }, `iteration ${maxX}`));
  svg.append(node('text', { x: PAD.left, y: H - 5, ...font }, '1'));
  labels.forEach((label, index) => {
    const values = series.get(label);
    if (!values || values.length === 0) return;
    const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const line = node('polyline', { points, fill: 'none', stroke: colourOf(index), 'stroke-width': 1.6, 'vector-effect': 'non-scaling-stroke' });
    const last = absolute.get(label).at(-1);
    const title = `${label}: ${last.toFixed(2)} per frame after ${values.length} iteration${values.length === 1 ? '' : 's'} (+${values.at(-1).toFixed(2)})`;
    line.append(node('title', {}, title));
    svg.append(line);
    // A dot at every iteration: a word whose fit stopped after its first iteration (few
    // examples, the variance prior: the likelihood no longer grows) is one point, which a
    // line alone does not draw.
    values.forEach((v, i) => {
      const dot = node('circle', { cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 2.4, fill: colourOf(index) });
      dot.append(node('title', {}, title));
      svg.append(dot);
    });
  });
}
