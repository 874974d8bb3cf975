#pragma once
// Shared tools of the engine tests: random models and data, an independent reference
// computation of Gaussian mixture densities (LU, not Cholesky), exception checks.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/model/gmm_hmm.hpp"

namespace gmmhmm::testing {

// Expects `statement` to throw exactly `ExceptionType` (or a subclass) with `fragment` in its
// message.
#define EXPECT_THROW_WITH(statement, ExceptionType, fragment)                                        \
  do {                                                                                               \
    try {                                                                                            \
      statement;                                                                                     \
      ADD_FAILURE() << "no exception from: " #statement;                                             \
    } catch (const ExceptionType& e) {                                                               \
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos)                             \
          << "message of " #statement " lacks '" << (fragment) << "': " << e.what();                 \
    } catch (const std::exception& e) {                                                              \
      ADD_FAILURE() << "wrong exception type from " #statement " (" << typeid(e).name()              \
                    << "): " << e.what();                                                            \
    }                                                                                                \
  } while (0)

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

inline double logSumExp(const std::vector<double>& v) {
  double m = kNegInf;
  for (double x : v) m = std::max(m, x);
  if (m == kNegInf) return kNegInf;
  double s = 0;
  for (double x : v) s += std::exp(x - m);
  return m + std::log(s);
}

// Owns frames and lengths; hands out SequenceSet views.
struct Frames {
  std::vector<double> X;
  std::vector<Index> lengths;
  Index nFeatures = 0;

  Index nFrames() const { return nFeatures ? static_cast<Index>(X.size()) / nFeatures : 0; }
  SequenceSet all() const { return {X.data(), nFrames(), nFeatures, lengths}; }
  SequenceSet sequence(size_t q) const {
    Index begin = 0;
    for (size_t i = 0; i < q; ++i) begin += lengths[i];
    return {X.data() + begin * nFeatures, lengths[q], nFeatures, {}};
  }
  void append(const RowMatrix& rows) {
    if (nFeatures == 0) nFeatures = rows.cols();
    X.insert(X.end(), rows.data(), rows.data() + rows.size());
    lengths.push_back(rows.rows());
  }
};

// Standard normal frames (times `scale`, plus `shift`).
inline Frames gaussianFrames(const std::vector<Index>& lengths, Index D, unsigned seed, double scale = 1.0,
                             double shift = 0.0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  Frames f;
  f.nFeatures = D;
  f.lengths = lengths;
  Index total = 0;
  for (Index l : lengths) total += l;
  f.X.resize(total * D);
  for (double& x : f.X) x = shift + scale * g(rng);
  return f;
}

// Sequences sampled from `model` (each with its own seed).
inline Frames sampledFrames(const GmmHmm& model, const std::vector<Index>& lengths, std::uint64_t seed) {
  Frames f;
  for (size_t q = 0; q < lengths.size(); ++q) f.append(model.sample(lengths[q], seed * 1000 + q).X);
  return f;
}

// Random probability vector over the entries where `allowed` is true.
inline std::vector<double> randomDistribution(std::mt19937_64& rng, const std::vector<bool>& allowed) {
  std::uniform_real_distribution<double> u(0.2, 1.0);
  std::vector<double> p(allowed.size(), 0.0);
  double sum = 0;
  for (size_t i = 0; i < p.size(); ++i)
    if (allowed[i]) sum += p[i] = u(rng);
  for (double& x : p) x /= sum;
  return p;
}

// Which transitions a configuration allows (custom: all; the caller sets its own zeros).
inline std::vector<bool> allowedRow(const ModelConfig& c, int r) {
  std::vector<bool> row(c.nStates, true);
  if (c.topology == Topology::LeftRight)
    for (int s = 0; s < c.nStates; ++s) row[s] = s >= r && s <= r + c.maxJump;
  return row;
}

inline Eigen::MatrixXd randomSpd(std::mt19937_64& rng, int D, double scale) {
  std::normal_distribution<double> g(0.0, 1.0);
  Eigen::MatrixXd A(D, D);
  for (int i = 0; i < D; ++i)
    for (int j = 0; j < D; ++j) A(i, j) = g(rng);
  Eigen::MatrixXd S = scale * (A * A.transpose() / D + 0.3 * Eigen::MatrixXd::Identity(D, D));
  return 0.5 * (S + S.transpose());
}

inline std::vector<double> randomCovars(std::mt19937_64& rng, const ModelConfig& c, double scale = 1.0) {
  const int N = c.nStates, M = c.nMix, D = c.nFeatures;
  std::uniform_real_distribution<double> u(0.3 * scale, 2.0 * scale);
  std::vector<double> out;
  const auto pushMatrix = [&](const Eigen::MatrixXd& S) {
    for (int i = 0; i < D; ++i)
      for (int j = 0; j < D; ++j) out.push_back(S(i, j));
  };
  switch (c.covarianceType) {
    case CovarianceType::Diag:
      for (int i = 0; i < N * M * D; ++i) out.push_back(u(rng));
      break;
    case CovarianceType::Spherical:
      for (int i = 0; i < N * M; ++i) out.push_back(u(rng));
      break;
    case CovarianceType::Full:
      for (int i = 0; i < N * M; ++i) pushMatrix(randomSpd(rng, D, scale));
      break;
    case CovarianceType::Tied:
      for (int i = 0; i < N; ++i) pushMatrix(randomSpd(rng, D, scale));
      break;
  }
  return out;
}

// A model with random parameters that respect the configuration's topology. For 'custom'
// the start/transition matrices are dense unless the caller overrides them.
inline GmmHmm randomModel(const ModelConfig& config, unsigned seed, double meanSpread = 2.0,
                          double covarScale = 1.0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  GmmHmm model(config);
  const int N = config.nStates, M = config.nMix, D = config.nFeatures;
  std::vector<bool> startAllowed(N, true);
  if (config.topology == Topology::LeftRight) startAllowed.assign(N, false), startAllowed[0] = true;
  model.setStartprob(randomDistribution(rng, startAllowed));
  std::vector<double> trans;
  for (int r = 0; r < N; ++r) {
    const auto row = randomDistribution(rng, allowedRow(config, r));
    trans.insert(trans.end(), row.begin(), row.end());
  }
  model.setTransmat(trans);
  std::vector<double> weights;
  for (int s = 0; s < N; ++s) {
    const auto row = randomDistribution(rng, std::vector<bool>(M, true));
    weights.insert(weights.end(), row.begin(), row.end());
  }
  model.setWeights(weights);
  std::vector<double> means(N * M * D);
  for (double& m : means) m = meanSpread * g(rng);
  model.setMeans(means);
  model.setCovars(randomCovars(rng, config, covarScale));
  return model;
}

// Parameters read back through the public getters, in a form convenient for reference
// computations: component k = s * M + m.
struct ReferenceModel {
  int N = 0, M = 0, D = 0;
  std::vector<double> startprob, transmat, weights;
  std::vector<Eigen::VectorXd> means;
  std::vector<Eigen::MatrixXd> covariances;
  bool endInLastState = false;

  explicit ReferenceModel(const GmmHmm& model)
      : N(model.nStates()), M(model.nMix()), D(model.nFeatures()), startprob(model.startprob()),
        transmat(model.transmat()), weights(model.weights()), endInLastState(model.config().endInLastState) {
    const auto mu = model.means();
    const auto cv = model.covars();
    for (int k = 0; k < N * M; ++k) {
      means.push_back(Eigen::Map<const Eigen::VectorXd>(mu.data() + k * D, D));
      Eigen::MatrixXd S = Eigen::MatrixXd::Zero(D, D);
      switch (model.covarianceType()) {
        case CovarianceType::Diag:
          for (int d = 0; d < D; ++d) S(d, d) = cv[k * D + d];
          break;
        case CovarianceType::Spherical:
          S.diagonal().setConstant(cv[k]);
          break;
        case CovarianceType::Full:
          S = Eigen::Map<const Eigen::Matrix<double, -1, -1, Eigen::RowMajor>>(cv.data() + k * D * D, D, D);
          break;
        case CovarianceType::Tied:
          S = Eigen::Map<const Eigen::Matrix<double, -1, -1, Eigen::RowMajor>>(cv.data() + (k / M) * D * D, D, D);
          break;
      }
      covariances.push_back(S);
    }
  }

  double logStart(int s) const { return std::log(startprob[s]); }
  double logTrans(int r, int s) const { return std::log(transmat[r * N + s]); }
  bool mayEnd(int s) const { return !endInLastState || s == N - 1; }

  // log w_sm + log N(x; μ, Σ) through an LU decomposition (independent of the engine's
  // Cholesky/product formulation).
  double logComponent(int s, int m, const double* x) const {
    const int k = s * M + m;
    const Eigen::Map<const Eigen::VectorXd> xv(x, D);
    const Eigen::FullPivLU<Eigen::MatrixXd> lu(covariances[k]);
    const Eigen::VectorXd diff = xv - means[k];
    const double quad = diff.dot(lu.solve(diff));
    return std::log(weights[s * M + m]) - 0.5 * (D * std::log(2 * M_PI) + std::log(lu.determinant()) + quad);
  }

  double logEmission(int s, const double* x) const {
    std::vector<double> terms;
    for (int m = 0; m < M; ++m) terms.push_back(logComponent(s, m, x));
    return logSumExp(terms);
  }
};

inline bool allFinite(const std::vector<double>& v) {
  for (double x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

// |a - b| <= tol * max(1, |b|) elementwise.
inline void expectAllNear(const std::vector<double>& a, const std::vector<double>& b, double tol,
                          const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_NEAR(a[i], b[i], tol * std::max(1.0, std::abs(b[i]))) << what << "[" << i << "]";
}

inline ModelConfig makeConfig(int N, int M, int D, CovarianceType type, Topology topology = Topology::Ergodic,
                              int maxJump = 1, bool endInLastState = false) {
  ModelConfig c;
  c.nStates = N;
  c.nMix = M;
  c.nFeatures = D;
  c.covarianceType = type;
  c.topology = topology;
  c.maxJump = maxJump;
  c.endInLastState = endInLastState;
  return c;
}

inline const std::vector<CovarianceType>& allCovarianceTypes() {
  static const std::vector<CovarianceType> types = {CovarianceType::Diag, CovarianceType::Full,
                                                    CovarianceType::Spherical, CovarianceType::Tied};
  return types;
}

}  // namespace gmmhmm::testing
