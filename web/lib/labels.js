// What a word label may be: one rule for the Recognizer (addExample, addFeatures, the labels
// of a recognizer file), the CLI and the demo. The core applies the same rule
// (cpp/include/gmmhmm/recognizer/labels.hpp); tests/node/labels.test.js holds both to one
// table. Labels are data, never keys of plain objects: the package keeps them in Maps and
// arrays, so '__proto__' or 'constructor' are words like any other.
import { GmmHmmError, describe } from './errors.js';

/** Longest label, in UTF-16 code units (a JS string's length; what an HTML maxlength counts). */
export const MAX_LABEL_LENGTH = 64;

/** The rule in words, for help texts and error messages. */
export const LABEL_RULE = `a non-empty string of at most ${MAX_LABEL_LENGTH} characters, without control characters, ` +
  'line or paragraph separators or bidirectional controls, not starting or ending with whitespace';

// Characters a label may not contain, and what to call them. Labels are printed in reports,
// terminals and pages, where these would break lines or reorder the text around them.
const FORBIDDEN = [
  [/[\u0000-\u001f\u007f-\u009f]/u, 'a control character'],
  [/[\u2028\u2029]/u, 'a line or paragraph separator'],
  // Embeddings, overrides, isolates (they change how the text after them is shown); the marks
  // U+061C, U+200E, U+200F are letters of right-to-left text and allowed, as in the core.
  [/[\u202a-\u202e\u2066-\u2069]/u, 'a bidirectional control character'],
  [/\p{Cs}/u, 'an unpaired surrogate'],  // in u-mode a lone surrogate is a code point of its own
];

// Unicode White_Space plus U+FEFF (the same list as the core).
const EDGE_WHITESPACE = /^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]|[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]$/u;

const ASTRAL_NOTE = " (counted as JavaScript's length counts: an emoji or another character beyond U+FFFF counts 2)";

const hex = (codePoint) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * What is wrong with `label`, phrased to follow "label " (e.g. "must be at most 64
 * characters, got 70"), or null when it is a valid label.
 */
export function labelProblem(label) {
  if (typeof label !== 'string' || label.length === 0) return `must be a non-empty string, got ${describe(label)}`;
  if (label.length > MAX_LABEL_LENGTH) {
    // Characters beyond U+FFFF count 2: said where the label has one, as the core says it.
    const astral = [...label].length !== label.length ? ASTRAL_NOTE : '';
    return `must be at most ${MAX_LABEL_LENGTH} characters, got ${label.length}${astral}`;
  }
  let first = null;
  for (const [pattern, kind] of FORBIDDEN) {
    const match = pattern.exec(label);
    if (match && (first === null || match.index < first.index)) first = { index: match.index, kind, codePoint: match[0].codePointAt(0) };
  }
  if (first) return `contains ${first.kind} (${hex(first.codePoint)} at index ${first.index})`;
  if (EDGE_WHITESPACE.test(label)) return 'must not start or end with whitespace';
  return null;
}

/**
 * Returns `label` when it follows the label rule (LABEL_RULE); otherwise throws a
 * GmmHmmError ('invalid-argument') whose message starts with `name` and says what is wrong.
 */
export function checkLabel(label, name = 'label') {
  const problem = labelProblem(label);
  if (problem) throw new GmmHmmError(`${name} ${problem}`);
  return label;
}
