#pragma once
// What the two scaled forward-backward passes (forward_backward.cpp's sparse one and
// forward_backward_dense.cpp's) share: when a scaled quantity can no longer be trusted, and
// the end states' term of the log-likelihood.

#include <cmath>
#include <limits>

#include "transitions.hpp"

namespace gmmhmm::detail {

// Below this a scaled quantity may have lost digits to underflow: switch to log space.
constexpr double kTiny = 1e-200;
// Below this a scaled value may be subnormal (or zero) and carry an absolute error.
constexpr double kSubnormalRisk = 1e-290;

// log of the last frame's probability mass in the allowed end states (alpha normalised to
// sum 1). NaN when that mass is zero or may have underflowed (the caller falls back to log
// space, which tells an impossible end from a tiny one), or when alpha holds a NaN.
inline double scaledEndTerm(const Transitions& tr, const RowMatrix& alpha) {
  if (tr.allEndsAllowed) return 0.0;
  const Index last = alpha.rows() - 1;
  double z = 0;
  for (int s = 0; s < tr.n; ++s)
    if (tr.endAllowed[s]) z += alpha(last, s);
  if (!(z >= kTiny)) return std::numeric_limits<double>::quiet_NaN();
  return std::log(z);
}

}  // namespace gmmhmm::detail
