#pragma once
// Template distance: how far a recording is from a word's own examples by dynamic time
// warping (DTW), kept beside the word's HMM. With a few examples per word the HMM's states
// are estimated from a few dozen frames each, while the nearest example still holds the
// word's exact timing and spectra; the two make different mistakes, and their sum chooses
// the word better than either (WordModelOptions::templateWeight; docs/accuracy.md).

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "gmmhmm/recognizer/word_features.hpp"

namespace gmmhmm::recognizer {

// Symmetric DTW (horizontal and vertical steps weigh 1, a diagonal step 2) over the
// Euclidean distance between frames, divided by the sum of the two lengths: a distance per
// frame that does not grow with the length of the word. Both need the same number of
// columns and at least one row (InvalidArgument otherwise).
double dtwDistance(const RowMatrix& a, const RowMatrix& b);

// The smallest dtwDistance from x to the templates, skipping templates[skip] (skip < 0: none);
// +infinity when no template is left.
double nearestTemplateDistance(const RowMatrix& x, const std::vector<RowMatrix>& templates,
                               std::ptrdiff_t skip = -1);

// A word's spread of examples: the mean over its templates of the distance to the nearest
// other template (how far a new recording of the word may be expected from its nearest
// example). NaN with fewer than 2 templates.
double templateSpread(const std::vector<RowMatrix>& templates);

// What the template acceptance (RejectionOptions::templateSpreads) looks at, from the
// nearest template distance of every word (NaN: not scored) and the best word's spread:
// `spreads` = d_best / spread, `margin` = (smallest distance of the other words) / d_best
// (+infinity when no other word was scored). Both NaN when d_best is not a finite number
// >= 0; `spreads` NaN when the spread is not a positive finite number.
struct TemplateEvidence {
  double spreads = 0;
  double margin = 0;
};
TemplateEvidence templateEvidence(const std::vector<double>& distances, std::size_t best, double spread);
// The rule: spreads <= maxSpreads and margin >= minMargin (maxSpreads 0 or NaN evidence: no).
bool templatesAccept(const TemplateEvidence& evidence, double maxSpreads, double minMargin);
// One score (RejectionOptions::templateScoreMinExamples): likelihoodRatio + marginWeight x
// ln(margin) - spreadsWeight x ln(spreads); NaN unless the ratio and both numbers are finite
// and the two positive (then the separate tests decide).
double templateScore(double likelihoodRatio, const TemplateEvidence& evidence, double marginWeight, double spreadsWeight);

// Templates in a recognizer file: {"frames": [rows of each], "scale": [per column],
// "data": base64 of int16 little-endian, row after row}. 16 bits per number (a step of
// 1/32767 of the column's largest magnitude) keep distances to about 1e-4 of their size
// and the file about 5 times smaller than decimal numbers would.
nlohmann::json templatesToJson(const std::vector<RowMatrix>& templates);
// Throws ModelFormatError naming the problem (bad base64, sizes that do not add up, a
// width other than `columns`, non-finite or negative scales).
std::vector<RowMatrix> templatesFromJson(const nlohmann::json& json, std::ptrdiff_t columns);

}  // namespace gmmhmm::recognizer
