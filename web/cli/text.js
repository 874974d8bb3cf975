// Names (labels, file paths) in text meant for a person: as they are when plain, JSON-quoted
// when a terminal would act on a character in them (control characters, escape sequences),
// when they would display reordered (bidirectional overrides) or when they could be taken for
// the layout around them (empty, leading or trailing spaces, a leading quote).
const HIDDEN = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const HIDDEN_ALL = new RegExp(HIDDEN.source, 'gu');

const escape = (c) => `\\u${c.codePointAt(0).toString(16).padStart(4, '0')}`;

export function printable(text) {
  const plain = text.length > 0 && !HIDDEN.test(text) && text.trim() === text && !text.startsWith('"');
  return plain ? text : JSON.stringify(text).replace(HIDDEN_ALL, escape);
}
