// Accuracy, per-label recall and the confusion matrix of `gmmhmm eval`.
const REJECTED = '(rejected)';

/**
 * outcomes: [{ truth, label, rejected }]; labels: the model's labels.
 * Returns { summary: { files, accuracy, acceptedAccuracy, rejected, recall, confusion }, text }.
 * accuracy: the best word is the truth (rejection ignored); acceptedAccuracy: the truth was
 * recognised and not rejected.
 */
export function confusionReport(outcomes, labels) {
  const truths = [...new Set([...labels, ...outcomes.map((o) => o.truth)])];
  const columns = [...truths, REJECTED];
  const confusion = Object.fromEntries(truths.map((t) => [t, Object.fromEntries(columns.map((c) => [c, 0]))]));
  let correct = 0;
  let accepted = 0;
  let rejected = 0;
  for (const o of outcomes) {
    const column = o.rejected ? REJECTED : (o.label ?? REJECTED);
    confusion[o.truth][column] = (confusion[o.truth][column] ?? 0) + 1;
    if (o.label === o.truth) correct++;
    if (o.label === o.truth && !o.rejected) accepted++;
    if (o.rejected) rejected++;
  }
  const recall = {};
  for (const t of truths) {
    const n = outcomes.filter((o) => o.truth === t).length;
    const hits = outcomes.filter((o) => o.truth === t && o.label === t && !o.rejected).length;
    recall[t] = n === 0 ? null : hits / n;
  }
  const n = outcomes.length;
  const summary = { files: n, accuracy: correct / n, acceptedAccuracy: accepted / n, rejected, recall, confusion };

  const pct = (x) => (x === null ? '   -  ' : `${(100 * x).toFixed(1).padStart(5)} %`);
  const width = Math.max(8, ...columns.map((c) => c.length)) + 1;
  const lines = [];
  lines.push(`files: ${n}`);
  lines.push(`accuracy (best word): ${pct(summary.accuracy)}   recognised and accepted: ${pct(summary.acceptedAccuracy)}   rejected: ${rejected}`);
  lines.push('');
  lines.push('recall per label (recognised and accepted):');
  for (const t of truths) lines.push(`  ${t.padEnd(width)} ${pct(recall[t])}`);
  lines.push('');
  lines.push('confusion matrix (rows: truth, columns: result):');
  lines.push(' '.repeat(width + 2) + columns.map((c) => c.padStart(width)).join(''));
  for (const t of truths) lines.push(`  ${t.padEnd(width)}${columns.map((c) => String(confusion[t][c]).padStart(width)).join('')}`);
  return { summary, text: lines.join('\n') };
}
