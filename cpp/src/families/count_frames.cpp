// Checks and per-frame constants of count frames (count_frames.hpp).
#include "count_frames.hpp"

#include <array>
#include <cmath>

#include "../model/checks.hpp"

namespace gmmhmm::detail {

void checkCountFrames(const SequenceSet& X, Index nFeatures, const char* method, double nTrials) {
  const Index M = X.nFeatures;
  require(M >= 1, method, ": X must hold rows of counts, got rows of no values");
  if (nFeatures > 0)
    require(M == nFeatures, method, ": X must hold rows of nFeatures = ", nFeatures, " counts, got rows of ", M,
            " values");
  for (Index t = 0; t < X.nFrames; ++t) {
    const double* row = X.data + t * M;
    double sum = 0;
    for (Index k = 0; k < M; ++k) {
      const double v = row[k];
      if (!std::isfinite(v)) fail(method, ": X[", t, "][", k, "] is ", v, ": counts must be integers >= 0 (not NaN or infinite)");
      if (v < 0) fail(method, ": X[", t, "][", k, "] is ", v, ": counts must be >= 0");
      if (v != std::floor(v)) fail(method, ": X[", t, "][", k, "] is ", v, ": counts must be integers");
      if (v > kMaxCount) fail(method, ": X[", t, "][", k, "] is ", v, ": counts must be at most 2^53 - 1");
      sum += v;
    }
    if (nTrials > 0 && sum != nTrials)
      fail(method, ": X[", t, "] sums to ", sum, " but nTrials is ", nTrials,
           ": the counts of every frame must add up to nTrials");
  }
}

namespace {

// log k! of the small counts, which are most counts: a table instead of an lgamma call per
// count (lgamma was most of a PoissonHMM E-step, docs/performance.md).
constexpr int kTabled = 1024;
const std::array<double, kTabled>& logFactorials() {
  static const std::array<double, kTabled> table = [] {
    std::array<double, kTabled> t{};
    for (int k = 2; k < kTabled; ++k) t[k] = t[k - 1] + std::log(double(k));
    return t;
  }();
  return table;
}

}  // namespace

void logFactorialSums(const double* frames, Index T, Index M, double* out) {
  const std::array<double, kTabled>& table = logFactorials();
  for (Index t = 0; t < T; ++t) {
    double s = 0;
    for (Index k = 0; k < M; ++k) {
      const double v = frames[t * M + k];  // checked: an integer in [0, 2^53 - 1]
      s += v < kTabled ? table[static_cast<int>(v)] : std::lgamma(v + 1.0);
    }
    out[t] = s;
  }
}

double stirlingError(double n) {
  constexpr double kHalfLog2Pi = 0.918938533204672741780329736406;
  if (n <= 15) return std::lgamma(n + 1.0) - (n + 0.5) * std::log(n) + n - kHalfLog2Pi;
  // The asymptotic series, as many terms as n needs for full precision (Loader, 2000).
  constexpr double S0 = 1.0 / 12, S1 = 1.0 / 360, S2 = 1.0 / 1260, S3 = 1.0 / 1680, S4 = 1.0 / 1188;
  const double nn = n * n;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

double deviance(double x, double m) {
  if (x == 0) return m;
  if (std::abs(x - m) < 0.1 * (x + m)) {
    // x near m: the series of x log(x/m) + m - x in v = (x - m)/(x + m), every term >= 0.
    double v = (x - m) / (x + m), s = (x - m) * v, ej = 2 * x * v;
    v *= v;
    for (int j = 1; j < 1000; ++j) {
      ej *= v;
      const double next = s + ej / (2 * j + 1);
      if (next == s) return next;
      s = next;
    }
    return s;
  }
  return x * (std::log(x) - std::log(m)) + m - x;  // x / m would overflow for a subnormal m
}

}  // namespace gmmhmm::detail
