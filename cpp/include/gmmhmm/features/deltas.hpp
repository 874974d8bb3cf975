#pragma once
// Dynamic features, as Kaldi's add-deltas (DeltaFeatures in src/feat/feature-functions.cc).

#include <vector>

#include "gmmhmm/features/feature_matrix.hpp"

namespace gmmhmm::features {

// [x, delta x, delta^2 x, ...]: T x D*(order+1). The order-i coefficients are one FIR
// filter of the features (the order-(i-1) filter convolved with the regression filter
// j / sum(j^2), j = -window..window), applied with frames outside [0, T) replaced by the
// first / last frame, exactly as Kaldi does. (torchaudio's compute_deltas applied twice
// replicates the delta frames instead, so its delta-delta differs from Kaldi's in the
// first and last 2*window frames.)
// Throws InvalidArgument for order < 0 or > 8, window < 1 or > 1000, NaN/infinite values.
RowMatrix addDeltas(const RowMatrix& features, int order = 2, int window = 2);

// The filter taps for each order (taps[i] has 2*i*window + 1 entries, centred).
std::vector<std::vector<double>> deltaFilters(int order, int window);

}  // namespace gmmhmm::features
