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

// Emission probabilities scaled per frame: e(t, s) = exp(logEmission(t, s) - offset[t]), with
// offset[t] finite and at least one e(t, s) of each frame not far below 1. The fast path's
// input; scoring (kernels::scaledStateEmissions) and the training E-step
// (kernels::mixtureScaledEmissions) build it straight from the component log-likelihoods.
struct ScaledEmissions {
  RowMatrix e;             // T × N
  Eigen::VectorXd offset;  // T
  // A bound, in ulps of the subnormal range, on the absolute error of an e(t, s) that is
  // subnormal (the scaled forward pass's underflow bound counts it): 1 for one exp or one
  // division; more where e is a sum of exps or a product (set by those producers).
  int subnormalUlps = 1;
};

// log P(X) of one sequence (forward only). -inf when no path explains it.
double forwardLogLikelihood(const Transitions& tr, const Eigen::Ref<const RowMatrix>& logEmission);

// The same from scaled emissions, or NaN when the scaled pass cannot vouch for its result
// (an underflow that may matter, an impossible sequence): the caller then calls
// forwardLogLikelihood with the log emissions.
double scaledForwardLogLikelihood(const Transitions& tr, const ScaledEmissions& se);

// log P(X); fills gamma (T × N state posteriors) and adds expected transition counts to
// xiSum (N × N) when non-null. Returns -inf (gamma untouched) when no path explains X.
double forwardBackward(const Transitions& tr, const Eigen::Ref<const RowMatrix>& logEmission,
                       Eigen::Ref<RowMatrix> gamma, RowMatrix* xiSum);

// The same from scaled emissions, or NaN (gamma partly written, xiSum untouched) when the
// scaled pass cannot vouch for its result: the caller then calls forwardBackward or
// forwardBackwardLogSpace with the log emissions.
double scaledForwardBackward(const Transitions& tr, const ScaledEmissions& se, Eigen::Ref<RowMatrix> gamma,
                             RowMatrix* xiSum);

// The same computed entirely in log space (the fallback; also used by tests as a reference).
double forwardBackwardLogSpace(const Transitions& tr, const Eigen::Ref<const RowMatrix>& logEmission,
                               Eigen::Ref<RowMatrix> gamma, RowMatrix* xiSum);

// Best path log-probability; path (length T) filled. -inf (path untouched) when impossible.
double viterbi(const Transitions& tr, const Eigen::Ref<const RowMatrix>& logEmission, int* path);

}  // namespace gmmhmm::detail
