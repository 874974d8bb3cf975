#include "memory_estimate.hpp"

#include <algorithm>

#include "checks.hpp"
#include "gmmhmm/limits.hpp"

namespace gmmhmm::detail {

namespace {

constexpr double kDouble = sizeof(double);

// Covariance values: diag and spherical keep K × D variances, full K matrices of D × D, tied
// N matrices.
double covarianceValues(const ModelConfig& c, double D) {
  const double K = double(c.nStates) * c.nMix;
  switch (c.covarianceType) {
    case CovarianceType::Full: return K * D * D;
    case CovarianceType::Tied: return double(c.nStates) * D * D;
    case CovarianceType::Diag:
    case CovarianceType::Spherical: break;
  }
  return K * D;
}

double mebibytes(double bytes) { return bytes / 1048576.0; }

}  // namespace

double parameterBytes(const ModelConfig& c) {
  const double N = c.nStates, M = c.nMix, D = std::max(1, c.nFeatures);
  return kDouble * (N + N * N + N * M + N * M * D + covarianceValues(c, D));
}

double fitBytes(const ModelConfig& c, const SequenceData& data) {
  const double N = c.nStates, K = N * c.nMix, D = std::max(1, c.nFeatures);
  // The model, its working copy, the copy kept across an M-step, the statistics and one
  // group's statistics.
  const double parameters = 5.0 * parameterBytes(c);
  // The priors, each expanded to its parameter's shape for the M-steps (numbers too), and the
  // one being expanded.
  const double priors = 2.0 * parameterBytes(c);
  // Emission evaluator: a factor per covariance matrix (full/tied) or the linear and
  // quadratic terms (2 D per component, also as floats), and the shifted means.
  const double evaluator = kDouble * (covarianceValues(c, D) + 5.0 * K * D);
  // The chain in sparse form (both directions: index, probability, log-probability) and
  // the per-sequence transition counts, for every allowed transition.
  const double chain = (2.0 * (4.0 + 2.0 * kDouble) + kDouble) * N * N;
  const Index largestGroup = largestGroupRows(groupSequences(data));
  const bool fullType = c.covarianceType == CovarianceType::Full || c.covarianceType == CovarianceType::Tied;
  // Diagonal and spherical E-steps read [x, x²] tiles (floats in the float32 path); full and
  // tied initialisations the global covariance, from centred blocks of 1024 frames.
  const double frames = fullType ? kDouble * (D * D + 1024.0 * D)
                                 : FeatureTiles::bytes(data.X.rows(), static_cast<Index>(D), largestGroup,
                                                       c.precision == Precision::Float32);
  return parameters + priors + evaluator + chain + frames +
         expectationPassBytes(largestGroup, static_cast<Index>(N), static_cast<Index>(K), static_cast<Index>(D));
}

double chainBytes(const RowMatrix& transmat) {
  const double allowed = static_cast<double>((transmat.array() > 0).count());
  return kDouble * (static_cast<double>(transmat.size()) + 5.0 * allowed);
}

void requireMemory(double bytes, const std::string& what) {
  const double limit = static_cast<double>(memoryLimit());
  if (bytes > limit)
    throw OutOfMemory(concat(what, " needs about ", static_cast<long long>(mebibytes(bytes) + 0.5),
                             " MiB, more than the memory limit of ", static_cast<long long>(mebibytes(limit)),
                             " MiB"));
}

}  // namespace gmmhmm::detail
