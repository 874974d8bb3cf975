// Accuracy, per-label recall and the confusion matrix of `gmmhmm eval`.
// Labels are data, never the report's own keys: counts live in Maps, the JSON keeps labels
// inside `recall`, `confusion` and `rejectedByLabel` only (so `__proto__`, `accuracy` or
// `rejected` are labels like any other), and the text shows each label through printable()
// with rejected results in a column set apart.
import { printable } from './text.js';

const WIDEST_COLUMN_LABEL = 12; // longer labels: the matrix numbers its columns instead

/** A plain object from a Map: own data properties, whatever the keys (even '__proto__'). */
const objectOf = (map) => Object.fromEntries(map);

/**
 * outcomes: [{ truth, label, rejected }]; labels: the model's labels.
 * Returns { summary, text }. summary: { files, accuracy, acceptedAccuracy, rejected, labels,
 * recall: { label: fraction | null }, confusion: { truth: { result: count } },
 * rejectedByLabel: { truth: count } }. accuracy: the best word is the truth (rejection
 * ignored); acceptedAccuracy: the truth was recognised and not rejected.
 */
export function confusionReport(outcomes, labels) {
  const truths = [...new Set([...labels, ...outcomes.map((o) => o.truth)])];
  const zeros = () => new Map(truths.map((t) => [t, 0]));
  const confusion = new Map(truths.map((t) => [t, zeros()]));
  const rejectedByLabel = zeros();
  const counts = zeros();
  const hits = zeros();
  let correct = 0;
  let rejected = 0;
  for (const o of outcomes) {
    counts.set(o.truth, counts.get(o.truth) + 1);
    if (o.label === o.truth) correct++;
    if (o.rejected || o.label === null) {
      rejected += o.rejected ? 1 : 0;
      rejectedByLabel.set(o.truth, rejectedByLabel.get(o.truth) + 1);
    } else {
      const row = confusion.get(o.truth);
      row.set(o.label, (row.get(o.label) ?? 0) + 1);
      if (o.label === o.truth) hits.set(o.truth, hits.get(o.truth) + 1);
    }
  }
  const recall = new Map(truths.map((t) => [t, counts.get(t) === 0 ? null : hits.get(t) / counts.get(t)]));
  const n = outcomes.length;
  let accepted = 0;
  for (const h of hits.values()) accepted += h;
  const summary = {
    files: n, accuracy: correct / n, acceptedAccuracy: accepted / n, rejected, labels: truths,
    recall: objectOf(recall),
    confusion: objectOf(new Map([...confusion].map(([t, row]) => [t, objectOf(row)]))),
    rejectedByLabel: objectOf(rejectedByLabel),
  };
  return { summary, text: reportText({ n, summary, truths, recall, confusion, rejectedByLabel }) };
}

function reportText({ n, summary, truths, recall, confusion, rejectedByLabel }) {
  const pct = (x) => (x === null ? '    -  ' : `${(100 * x).toFixed(1).padStart(5)} %`);
  const shown = new Map(truths.map((t) => [t, printable(t)]));
  const widest = Math.max(0, ...[...shown.values()].map((s) => s.length));
  const lines = [];
  lines.push(`files: ${n}`);
  lines.push(`accuracy (best word): ${pct(summary.accuracy)}   recognised and accepted: ${pct(summary.acceptedAccuracy)}   ` +
    `rejected: ${summary.rejected}`);
  lines.push('');
  lines.push('recall per label (recognised and accepted):');
  for (const t of truths) lines.push(`  ${pct(recall.get(t))}  ${shown.get(t)}`);
  lines.push('');
  // Short labels head their columns; with a long one, columns are numbered like the rows.
  const named = widest <= WIDEST_COLUMN_LABEL;
  const heads = truths.map((t, i) => (named ? shown.get(t) : `#${i + 1}`));
  const width = Math.max(5, ...heads.map((h) => h.length)) + 1;
  const rowHead = named ? Math.max(5, widest) : String(truths.length).length + 1;
  lines.push(`confusion matrix (rows: truth, columns: result${named ? '' : ' by row number'}, rejected results after the bar):`);
  lines.push(`  ${' '.repeat(rowHead)}${heads.map((h) => h.padStart(width)).join('')} | rejected`);
  truths.forEach((t, i) => {
    const row = confusion.get(t);
    const cells = truths.map((c) => String(row.get(c)).padStart(width)).join('');
    const head = named ? shown.get(t).padEnd(rowHead) : `#${i + 1}`.padEnd(rowHead);
    lines.push(`  ${head}${cells} | ${String(rejectedByLabel.get(t)).padStart(8)}${named ? '' : `   ${shown.get(t)}`}`);
  });
  return lines.join('\n');
}
