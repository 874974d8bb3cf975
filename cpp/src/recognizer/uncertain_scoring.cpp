#include "uncertain_scoring.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace gmmhmm::recognizer::detail {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double logOf(double p) { return p > 0 ? std::log(p) : kNegInf; }

double logSumExp(const double* v, int n) {
  double top = kNegInf;
  for (int i = 0; i < n; ++i) top = std::max(top, v[i]);
  if (top == kNegInf) return kNegInf;
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += std::exp(v[i] - top);
  return top + std::log(sum);
}

}  // namespace

DiagonalModel diagonalModel(const GmmHmm& model) {
  DiagonalModel m;
  if (model.covarianceType() != CovarianceType::Diag || !model.isReady()) return m;
  m.states = model.nStates();
  m.mixtures = model.nMix();
  m.features = model.nFeatures();
  for (double p : model.startprob()) m.logStart.push_back(logOf(p));
  for (double p : model.transmat()) m.logTrans.push_back(logOf(p));
  for (double p : model.weights()) m.logWeights.push_back(logOf(p));
  m.means = model.means();
  m.variances = model.covars();
  m.endInLastState = model.config().endInLastState;
  m.usable = true;
  return m;
}

double uncertainScore(const DiagonalModel& m, const features::RowMatrix& x, const features::RowMatrix& variance) {
  const Eigen::Index T = x.rows();
  const int N = m.states, M = m.mixtures, D = m.features;
  const double log2pi = std::log(2.0 * 3.14159265358979323846);
  std::vector<double> emission(static_cast<std::size_t>(N)), component(static_cast<std::size_t>(M));
  std::vector<double> alpha(static_cast<std::size_t>(N)), next(static_cast<std::size_t>(N)), terms(static_cast<std::size_t>(N));
  for (Eigen::Index t = 0; t < T; ++t) {
    for (int s = 0; s < N; ++s) {
      for (int k = 0; k < M; ++k) {
        const std::size_t base = (static_cast<std::size_t>(s) * M + k) * D;
        // One log per 8 dimensions (a product of 8 variances stays far inside double's range
        // for the floored variances of a trained model): the logs were most of the cost.
        double sum = 0;
        for (int d0 = 0; d0 < D; d0 += 8) {
          double product = 1;
          for (int d = d0; d < std::min(D, d0 + 8); ++d) {
            const double v = m.variances[base + d] + variance(t, d);
            const double diff = x(t, d) - m.means[base + d];
            product *= v;
            sum += diff * diff / v;
          }
          sum += std::log(product);
        }
        component[static_cast<std::size_t>(k)] = m.logWeights[static_cast<std::size_t>(s) * M + k] - 0.5 * (D * log2pi + sum);
      }
      emission[static_cast<std::size_t>(s)] = logSumExp(component.data(), M);
    }
    for (int j = 0; j < N; ++j) {
      if (t == 0) {
        next[static_cast<std::size_t>(j)] = m.logStart[static_cast<std::size_t>(j)] + emission[static_cast<std::size_t>(j)];
        continue;
      }
      for (int i = 0; i < N; ++i)
        terms[static_cast<std::size_t>(i)] = alpha[static_cast<std::size_t>(i)] + m.logTrans[static_cast<std::size_t>(i) * N + j];
      next[static_cast<std::size_t>(j)] = logSumExp(terms.data(), N) + emission[static_cast<std::size_t>(j)];
    }
    alpha.swap(next);
  }
  if (T == 0) return kNegInf;
  return m.endInLastState ? alpha.back() : logSumExp(alpha.data(), N);
}

}  // namespace gmmhmm::recognizer::detail
