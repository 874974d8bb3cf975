#include "gmmhmm/features/cmvn.hpp"

#include <cmath>

#include "checks.hpp"

namespace gmmhmm::features {

using detail::fail;

RowMatrix cmvn(const RowMatrix& features, bool variance) {
  const Eigen::Index rows = features.rows(), cols = features.cols();
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index c = 0; c < cols; ++c)
      if (!std::isfinite(features(r, c)))
        fail("features[", r, "][", c, "] is ", std::isnan(features(r, c)) ? "NaN" : "infinite");
  RowMatrix out(rows, cols);
  if (rows == 0) return out;
  const Eigen::RowVectorXd mean = features.colwise().mean();
  out = features.rowwise() - mean;
  Eigen::RowVectorXd stddev = (out.array().square().colwise().sum() / double(rows)).sqrt();
  for (Eigen::Index c = 0; c < cols; ++c) {
    if (stddev(c) <= 1e-10 * std::max(1.0, std::abs(mean(c)))) {
      out.col(c).setZero();
    } else if (variance) {
      out.col(c) /= stddev(c);
    }
  }
  return out;
}

}  // namespace gmmhmm::features
