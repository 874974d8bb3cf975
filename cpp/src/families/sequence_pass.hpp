#pragma once
// The forward-backward of one sequence of a family's frames, shared by the families' EM
// (chain_fit_session.cpp) and their posteriors (hmm.cpp).

#include "../model/forward_backward.hpp"
#include "gmmhmm/families/emission_family.hpp"

namespace gmmhmm::detail {

// On the family's scaled probabilities when it has them (no exp per entry), on its
// log-likelihoods where the scaled pass cannot vouch for its result. xi (may be null): the
// expected transition counts, added to. -inf when no path explains the sequence.
double sequenceForwardBackward(const EmissionFamily& family, const Transitions& tr, const double* frames, Index length,
                               ScaledEmissions& scaled, RowMatrix& logE, Eigen::Ref<RowMatrix> gamma, RowMatrix* xi);

}  // namespace gmmhmm::detail
