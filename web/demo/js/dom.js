// Tiny DOM helpers shared by the views.

/** el('button', { type: 'button', dataset: { testid: 'x' }, style: { color }, onclick }, 'text', child...)
 *  Styles are set through the CSSOM: the page's Content-Security-Policy forbids style attributes. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'style') for (const [name, v] of Object.entries(value)) node.style.setProperty(name, v);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

/** Re-renders `container` with `build()` while keeping keyboard focus on the element with the
 *  same data-testid (lists are rebuilt on every change). */
export function rerender(container, build) {
  const active = document.activeElement;
  const key = container.contains(active) ? active?.dataset?.testid : null;
  container.replaceChildren(...build());
  if (key) container.querySelector(`[data-testid="${CSS.escape(key)}"]`)?.focus();
}

/**
 * Sets an element's text. An element that holds one text node keeps it and only its data
 * changes: the browser then lays the text out again without restyling the element or making
 * a new node (textContent = replaces the node), which is most of the style work of showing a
 * result (docs/listening.md, the main thread's work per result). Unchanged text writes nothing.
 */
export function setText(element, text) {
  const node = element.firstChild;
  if (node && node === element.lastChild && node.nodeType === Node.TEXT_NODE) {
    if (node.data !== text) node.data = text;
  } else if (element.textContent !== text) {
    element.textContent = text;
  }
}

export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`demo page is missing #${id}`);
  return node;
}

let announceTimer = null;
/** Speaks a short status message to screen readers (polite live region). */
export function announce(message) {
  const region = byId('announcer');
  clearTimeout(announceTimer);
  region.textContent = '';
  // A fresh text node after a tick makes repeated identical messages be read again.
  announceTimer = setTimeout(() => {
    region.textContent = message;
  }, 30);
}

/** Shows (or hides, with null) the page-level error banner. */
export function showError(message) {
  const banner = byId('error');
  banner.hidden = !message;
  banner.textContent = message ?? '';
}

export function slug(word) {
  return word.replace(/[^\p{L}\p{N}]+/gu, '-');
}

export function seconds(samples, sampleRate) {
  return `${(samples / sampleRate).toFixed(2)} s`;
}

/** Shows (or hides, with null) the error next to the controls of a section: the element
 *  #<area>-error (words, train, recognise, keep, samples, listen). */
export function showErrorIn(area, message) {
  const box = byId(`${area}-error`);
  // Unchanged state writes nothing: a result clears its area's error, and a write would make
  // the page lay out again (docs/listening.md, the main thread's work per result).
  if (box.hidden !== !message) box.hidden = !message;
  if (box.textContent !== (message ?? '')) box.textContent = message ?? '';
}
