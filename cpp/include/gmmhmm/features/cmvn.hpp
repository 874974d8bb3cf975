#pragma once
// Per-utterance cepstral mean (and variance) normalisation.

#include "gmmhmm/features/feature_matrix.hpp"

namespace gmmhmm::features {

// Subtracts each column's mean over the frames; with variance, also divides by the
// column's standard deviation (population, 1/T). Constant columns: a column whose standard
// deviation is at most 1e-10 * max(1, |mean|) (constant up to rounding, or T = 1) is only
// centred and comes out as exact zeros, never NaN or a blown-up rounding error.
// 0 rows -> 0 rows. Throws InvalidArgument for NaN/infinite values.
RowMatrix cmvn(const RowMatrix& features, bool variance = false);

}  // namespace gmmhmm::features
