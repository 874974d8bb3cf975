#pragma once
// What a word label may be. The same rule is declared for JavaScript in web/lib/labels.js
// (which callers meet first); tests/node/labels.test.js runs one table of labels through both
// and requires the same verdicts and messages.
//
// A label is a non-empty string of at most kMaxLabelLength UTF-16 code units (JavaScript's
// string length, which is also what an HTML maxlength counts) that
//  - is well-formed Unicode (valid UTF-8 here; no unpaired surrogates in JavaScript),
//  - contains no control character (U+0000-U+001F, U+007F-U+009F), no line or paragraph
//    separator (U+2028, U+2029) and no bidirectional embedding, override or isolate control
//    (U+202A-U+202E, U+2066-U+2069): labels are printed in reports, terminals and pages, and
//    such characters would break lines or reorder the text around them,
//  - does not start or end with whitespace ("yes" and "yes " would look like one word).
// Everything else is allowed: any script, spaces inside ("turn on"), emoji, "__proto__".

#include <string>

namespace gmmhmm::recognizer {

inline constexpr int kMaxLabelLength = 64;

// What is wrong with `label` (UTF-8) as a label, phrased to follow "label ", e.g.
// "must be at most 64 characters, got 70"; "" when it is a valid label.
std::string labelProblem(const std::string& label);

}  // namespace gmmhmm::recognizer
