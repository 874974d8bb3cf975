// A small SVG line plot: log-likelihood per frame against EM iteration, one line per word.
const SVG = 'http://www.w3.org/2000/svg';
const COLOURS = ['#1d5bbf', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207', '#be185d', '#4d7c0f', '#334155'];
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

/** series: Map(label -> number[] of per-frame log-likelihoods by iteration) */
export function drawPlot(svg, series, labels) {
  svg.replaceChildren();
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
    svg.append(node('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', 'font-size': 11, fill: 'currentColor' }, 'Train to see the curves'));
    return;
  }
  if (maxY - minY < 1e-6) {
    maxY += 0.5;
    minY -= 0.5;
  }
  const x = (i) => PAD.left + (i / Math.max(1, maxX - 1)) * (W - PAD.left - PAD.right);
  const y = (v) => PAD.top + (1 - (v - minY) / (maxY - minY)) * (H - PAD.top - PAD.bottom);
  const font = { 'font-size': 9, fill: 'currentColor' };
  svg.append(node('text', { x: PAD.left - 3, y: PAD.top + 6, 'text-anchor': 'end', ...font }, maxY.toFixed(1)));
  svg.append(node('text', { x: PAD.left - 3, y: H - PAD.bottom, 'text-anchor': 'end', ...font }, minY.toFixed(1)));
  svg.append(node('text', { x: W - PAD.right, y: H - 5, 'text-anchor': 'end', ...font }, `iteration ${maxX}`));
  svg.append(node('text', { x: PAD.left, y: H - 5, ...font }, '1'));
  labels.forEach((label, index) => {
    const values = series.get(label);
    if (!values || values.length === 0) return;
    const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const line = node('polyline', { points, fill: 'none', stroke: colourOf(index), 'stroke-width': 1.6, 'vector-effect': 'non-scaling-stroke' });
    line.append(node('title', {}, `${label}: ${values.at(-1).toFixed(2)} per frame after ${values.length} iterations`));
    svg.append(line);
  });
}
