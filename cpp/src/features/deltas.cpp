#include "gmmhmm/features/deltas.hpp"

#include <algorithm>
#include <cmath>

#include "checks.hpp"
#include "lanes.hpp"

namespace gmmhmm::features {

using detail::fail;

namespace {
void requireFiniteMatrix(const RowMatrix& m, const char* name) {
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c)
      if (!std::isfinite(m(r, c)))
        fail(name, "[", r, "][", c, "] is ", std::isnan(m(r, c)) ? "NaN" : "infinite");
}
}  // namespace

std::vector<std::vector<double>> deltaFilters(int order, int window) {
  if (order < 0 || order > 8) fail("order must be between 0 and 8, got ", order);
  if (window < 1 || window > 1000) fail("window must be between 1 and 1000, got ", window);
  std::vector<std::vector<double>> taps(order + 1);
  taps[0] = {1.0};
  double normalizer = 0;
  for (int j = -window; j <= window; ++j) normalizer += double(j) * j;
  for (int i = 1; i <= order; ++i) {
    const auto& prev = taps[i - 1];
    const int prevOffset = static_cast<int>(prev.size() - 1) / 2;
    const int curOffset = prevOffset + window;
    std::vector<double> cur(prev.size() + 2 * window, 0.0);
    for (int j = -window; j <= window; ++j)
      for (int k = -prevOffset; k <= prevOffset; ++k)
        cur[j + k + curOffset] += j * prev[k + prevOffset];
    for (double& v : cur) v /= normalizer;
    taps[i] = std::move(cur);
  }
  return taps;
}

RowMatrix addDeltas(const RowMatrix& features, int order, int window) {
  const auto taps = deltaFilters(order, window);
  requireFiniteMatrix(features, "features");
  const Eigen::Index rows = features.rows(), dim = features.cols(), outDim = dim * (order + 1);
  RowMatrix out(rows, outDim);
  out.leftCols(dim) = features;
  const double* in = features.data();
  // Each output value is summed in a register over the filter's non-zero taps, in tap order
  // from 0.0 (the same sum, term by term, as adding every tap into a zeroed output), two
  // columns at a time: a read-modify-write of the output row per tap was most of the time.
  using L = detail::Lanes<double>;
  using Vec = L::Vec;
  std::vector<double> tapValues;
  std::vector<const double*> sources;
  for (int i = 1; i <= order; ++i) {
    const std::vector<double>& filter = taps[i];
    const Eigen::Index half = static_cast<Eigen::Index>(filter.size() - 1) / 2;
    for (Eigen::Index r = 0; r < rows; ++r) {
      tapValues.clear();
      sources.clear();
      for (Eigen::Index j = -half; j <= half; ++j) {
        const double tap = filter[j + half];
        if (tap == 0) continue;
        tapValues.push_back(tap);
        // Frames outside the utterance are the first / last frame (Kaldi).
        sources.push_back(in + std::clamp<Eigen::Index>(r + j, 0, rows - 1) * dim);
      }
      const std::size_t n = tapValues.size();
      double* dst = out.data() + r * outDim + i * dim;
      Eigen::Index c = 0;
      for (; c + 2 <= dim; c += 2) {
        Vec sum = L::splat(0.0);
        for (std::size_t t = 0; t < n; ++t) sum += L::splat(tapValues[t]) * L::load(sources[t] + c);
        L::store(dst + c, sum);
      }
      for (; c < dim; ++c) {
        double sum = 0.0;
        for (std::size_t t = 0; t < n; ++t) sum += tapValues[t] * sources[t][c];
        dst[c] = sum;
      }
    }
  }
  return out;
}

}  // namespace gmmhmm::features
