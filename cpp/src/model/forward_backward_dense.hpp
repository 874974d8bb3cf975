#pragma once
// The scaled forward-backward of forward_backward.hpp for a chain whose every transition is
// allowed (the ergodic models hmmlearn fits, and what EM keeps them), on the dense transition
// matrix: contiguous rows the compiler vectorises instead of the sparse lists' indirect loads,
// sums in several chains of additions, the transition counts as block matrix products, the
// logs of the scales in vectorised passes. The same quantities as the sparse pass, summed in
// another order (agreement to 1e-12 and better: cpp/tests/model_forward_backward_dense_test.cpp).
// It vouches only for sequences where the sparse pass would never have had to bound an
// underflow (no reachable scaled value below kSubnormalRisk, no frame's mass below kTiny); on
// any other it returns NaN and the caller runs the sparse pass, which decides (its error
// bounds, or log space).

#include <Eigen/Core>

#include "forward_backward.hpp"
#include "scaled_pass.hpp"  // kTiny, kSubnormalRisk

namespace gmmhmm::detail {

// scaledForwardLogLikelihood / scaledForwardBackward on tr.dense (tr.isDense() must hold);
// NaN: run the sparse pass.
double denseScaledForwardLogLikelihood(const Transitions& tr, const ScaledEmissions& se);
double denseScaledForwardBackward(const Transitions& tr, const ScaledEmissions& se, Eigen::Ref<RowMatrix> gamma,
                                  RowMatrix* xiSum);

}  // namespace gmmhmm::detail
