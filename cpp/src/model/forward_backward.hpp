#pragma once
// Forward-backward and Viterbi for ONE sequence, given its emission log-likelihoods
// (T × N, row-major). Fast path: per-frame scaled probabilities (emissions scaled by their
// frame maximum, forward normalised to sum 1, backward to max 1). When any scale falls below
// 1e-200 — an outlier frame, a state far from every frame — the sequence is recomputed
// exactly in log space, so results never underflow into wrong numbers or NaN. A sequence no
// path can explain gives -inf.

#include <Eigen/Core>

#include "transitions.hpp"

namespace gmmhmm::detail {

// log P(X) of one sequence (forward only). -inf when no path explains it.
double forwardLogLikelihood(const Transitions& tr, const Eigen::Ref<const RowMatrix>& logEmission);

// log P(X); fills gamma (T × N state posteriors) and adds expected transition counts to
// xiSum (N × N) when non-null. Returns -inf (gamma untouched) when no path explains X.
double forwardBackward(const Transitions& tr, const Eigen::Ref<const RowMatrix>& logEmission,
                       Eigen::Ref<RowMatrix> gamma, RowMatrix* xiSum);

// The same computed entirely in log space (the fallback; also used by tests as a reference).
double forwardBackwardLogSpace(const Transitions& tr, const Eigen::Ref<const RowMatrix>& logEmission,
                               Eigen::Ref<RowMatrix> gamma, RowMatrix* xiSum);

// Best path log-probability; path (length T) filled. -inf (path untouched) when impossible.
double viterbi(const Transitions& tr, const Eigen::Ref<const RowMatrix>& logEmission, int* path);

}  // namespace gmmhmm::detail
