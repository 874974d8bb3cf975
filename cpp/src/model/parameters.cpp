// GmmHmm parameters: defaults, validation, flat hmmlearn-shaped getters and setters.
#include <cmath>
#include <limits>

#include "checks.hpp"
#include "full_covariance.hpp"
#include "memory_estimate.hpp"
#include "model_state.hpp"
#include "sequence_data.hpp"

namespace gmmhmm {

using detail::fail;
using detail::require;

namespace detail {

void defaultChain(const ModelConfig& c, Eigen::VectorXd& startprob, RowMatrix& transmat) {
  const int N = c.nStates;
  startprob = Eigen::VectorXd::Zero(N);
  transmat = RowMatrix::Zero(N, N);
  if (c.topology == Topology::LeftRight) {
    startprob[0] = 1.0;
    for (int r = 0; r < N; ++r) {
      const int last = c.maxJump >= N - 1 - r ? N - 1 : r + c.maxJump;  // r + maxJump may overflow
      for (int s = r; s <= last; ++s) transmat(r, s) = 1.0 / (last - r + 1);
    }
    return;
  }
  startprob.setConstant(1.0 / N);
  transmat.setConstant(1.0 / N);
}

void checkProbabilityVector(const double* v, int n, const char* name) {
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    require(std::isfinite(v[i]), name, "[", i, "] is ", v[i], " (must be a finite probability)");
    require(v[i] >= 0 && v[i] <= 1, name, "[", i, "] is ", v[i], " (probabilities must be in [0, 1])");
    sum += v[i];
  }
  require(std::abs(sum - 1.0) <= 1e-6, name, " sums to ", sum, " (must sum to 1 within 1e-6)");
}

void checkCovariance(const Eigen::MatrixXd& cov, const std::string& name) {
  require(cov.allFinite(), name, " contains NaN or infinite values");
  const double scale = cov.cwiseAbs().maxCoeff();
  require((cov - cov.transpose()).cwiseAbs().maxCoeff() <= 1e-8 * std::max(scale, 1.0), name, " is not symmetric");
  Eigen::MatrixXd L;
  require(lowerCholesky(cov, L), name, " is not positive definite");
}

}  // namespace detail

detail::MixtureParams GmmHmm::State::mixturesFor(int nFeatures) const {
  // Sizes and memory first: nothing is allocated for a model that cannot be (a full
  // covariance of 10^5 features would be 80 GB of identity matrices).
  ModelConfig sized = config;
  sized.nFeatures = nFeatures;
  validateConfig(sized);
  detail::requireMemory(detail::parameterBytes(sized), "a model of these sizes");
  detail::MixtureParams p;
  p.nStates = config.nStates;
  p.nMix = config.nMix;
  p.nFeatures = nFeatures;
  p.type = config.covarianceType;
  const int K = p.nComponents();
  p.weights = mixtures.weights.rows() == p.nStates && mixtures.weights.cols() == p.nMix
                  ? mixtures.weights
                  : RowMatrix::Constant(p.nStates, p.nMix, 1.0 / p.nMix);
  p.means = RowMatrix::Zero(K, nFeatures);
  if (p.isFullType())
    p.fullCov.assign(p.type == CovarianceType::Full ? K : p.nStates, Eigen::MatrixXd::Identity(nFeatures, nFeatures));
  else
    p.var = RowMatrix::Ones(K, nFeatures);
  return p;
}

void GmmHmm::State::allocateMixtures(int nFeatures) {
  if (mixtures.nFeatures == nFeatures && mixtures.means.rows() == config.nStates * config.nMix) return;
  mixtures = mixturesFor(nFeatures);
  config.nFeatures = nFeatures;
  hasMeans = hasCovars = false;
}

std::vector<char> GmmHmm::State::endMask() const {
  if (!config.endInLastState) return {};
  std::vector<char> mask(config.nStates, 0);
  mask[config.nStates - 1] = 1;
  return mask;
}

detail::Transitions GmmHmm::State::transitions() const {
  return detail::Transitions::build(startprob, transmat, endMask());
}

void GmmHmm::State::requireReady(const char* method) const {
  if (ready()) return;
  std::string missing;
  auto add = [&](bool ok, const char* name) {
    if (!ok) missing += missing.empty() ? name : std::string(", ") + name;
  };
  add(hasStartprob, "startprob");
  add(hasTransmat, "transmat");
  add(hasWeights, "weights");
  add(hasMeans, "means");
  add(hasCovars, "covars");
  throw NotFitted(detail::concat(method, ": the model is not fitted (missing ", missing,
                                 "); call fit() or set the parameters first"));
}

std::vector<double> GmmHmm::startprob() const {
  return std::vector<double>(state_->startprob.data(), state_->startprob.data() + state_->startprob.size());
}

std::vector<double> GmmHmm::transmat() const {
  return std::vector<double>(state_->transmat.data(), state_->transmat.data() + state_->transmat.size());
}

std::vector<double> GmmHmm::weights() const {
  const auto& w = state_->mixtures.weights;
  return std::vector<double>(w.data(), w.data() + w.size());
}

std::vector<double> GmmHmm::means() const {
  const auto& m = state_->mixtures.means;
  return std::vector<double>(m.data(), m.data() + m.size());
}

std::vector<Index> GmmHmm::covarsShape() const {
  const auto& p = state_->mixtures;
  const Index N = state_->config.nStates, M = state_->config.nMix, D = state_->config.nFeatures;
  switch (p.type) {
    case CovarianceType::Diag: return {N, M, D};
    case CovarianceType::Spherical: return {N, M};
    case CovarianceType::Full: return {N, M, D, D};
    case CovarianceType::Tied: return {N, D, D};
  }
  return {};
}

std::vector<double> GmmHmm::covars() const {
  const auto& p = state_->mixtures;
  std::vector<double> out;
  switch (p.type) {
    case CovarianceType::Diag:
      out.assign(p.var.data(), p.var.data() + p.var.size());
      break;
    case CovarianceType::Spherical:
      for (Index k = 0; k < p.var.rows(); ++k) out.push_back(p.var.cols() ? p.var(k, 0) : 0.0);
      break;
    case CovarianceType::Full:
    case CovarianceType::Tied:
      for (const auto& c : p.fullCov)
        for (Index i = 0; i < c.rows(); ++i)
          for (Index j = 0; j < c.cols(); ++j) out.push_back(c(i, j));
      break;
  }
  return out;
}

void GmmHmm::setStartprob(const std::vector<double>& v) {
  const int N = state_->config.nStates;
  require(static_cast<int>(v.size()) == N, "startprob: expected ", N, " values (nStates), got ", v.size());
  detail::checkProbabilityVector(v.data(), N, "startprob");
  state_->startprob = Eigen::Map<const Eigen::VectorXd>(v.data(), N);
  state_->hasStartprob = true;
}

void GmmHmm::setTransmat(const std::vector<double>& v) {
  const int N = state_->config.nStates;
  require(static_cast<Index>(v.size()) == Index(N) * N, "transmat: expected ", N, "x", N, " = ", N * N,
          " values, got ", v.size());
  for (int r = 0; r < N; ++r) {
    const std::string name = detail::concat("transmat row ", r);
    detail::checkProbabilityVector(v.data() + r * N, N, name.c_str());
  }
  // A left-right model's structure is its topology's: a transition it does not allow would
  // make the model something its config no longer says (EM would keep it).
  const ModelConfig& c = state_->config;
  if (c.topology == Topology::LeftRight)
    for (int r = 0; r < N; ++r) {
      const int last = c.maxJump >= N - 1 - r ? N - 1 : r + c.maxJump;
      for (int s = 0; s < N; ++s)
        require(v[size_t(r) * N + s] == 0 || (s >= r && s <= last), "transmat[", r, "][", s, "] is ",
                v[size_t(r) * N + s], ", but a left-right model with maxJump ", c.maxJump, " allows from state ", r,
                " only states ", r, "..", last, " (topology 'custom' takes any structure)");
    }
  state_->transmat = Eigen::Map<const RowMatrix>(v.data(), N, N);
  state_->hasTransmat = true;
}

void GmmHmm::setWeights(const std::vector<double>& v) {
  const int N = state_->config.nStates, M = state_->config.nMix;
  require(static_cast<Index>(v.size()) == Index(N) * M, "weights: expected ", N, "x", M, " = ", N * M,
          " values (nStates x nMix), got ", v.size());
  for (int s = 0; s < N; ++s) {
    const std::string name = detail::concat("weights of state ", s);
    detail::checkProbabilityVector(v.data() + s * M, M, name.c_str());
  }
  state_->mixtures.weights = Eigen::Map<const RowMatrix>(v.data(), N, M);
  state_->mixtures.nStates = N;
  state_->mixtures.nMix = M;
  state_->hasWeights = true;
}

void GmmHmm::setMeans(const std::vector<double>& v) {
  const Index K = Index(state_->config.nStates) * state_->config.nMix;
  require(!v.empty() && v.size() % K == 0, "means: expected nStates x nMix x nFeatures = ", K,
          " x nFeatures values, got ", v.size());
  const Index D = static_cast<Index>(v.size()) / K;
  if (state_->config.nFeatures > 0)
    require(D == state_->config.nFeatures, "means: expected ", K * state_->config.nFeatures, " values (",
            state_->config.nStates, " x ", state_->config.nMix, " x ", state_->config.nFeatures, "), got ", v.size());
  const long bad = detail::firstNonFinite(v.data(), static_cast<long>(v.size()));
  const Index M = state_->config.nMix;
  require(bad < 0, "means[", bad / (M * D), "][", bad / D % M, "][", bad % D, "] is not a finite number");
  // Within the data's own limit (sequence_data.hpp), as GaussianHMM's: a mean of 1e200 scored
  // every frame of any usable data at -Infinity.
  for (size_t i = 0; i < v.size(); ++i)
    require(std::abs(v[i]) <= detail::kMaxFrameMagnitude, "means[", Index(i) / (M * D), "][", Index(i) / D % M, "][",
            Index(i) % D, "] is ", v[i], ": means must be within +-1e100");
  const bool keepCovars = state_->hasCovars && state_->config.nFeatures == D;
  state_->allocateMixtures(static_cast<int>(D));
  state_->hasCovars = keepCovars;
  state_->mixtures.means = Eigen::Map<const RowMatrix>(v.data(), K, D);
  state_->hasMeans = true;
}

void GmmHmm::setCovars(const std::vector<double>& v) {
  auto& c = state_->config;
  require(c.nFeatures > 0, "covars: nFeatures is unknown; set means (or nFeatures) first");
  const bool keepMeans = state_->hasMeans;
  state_->allocateMixtures(c.nFeatures);
  state_->hasMeans = keepMeans;
  auto& p = state_->mixtures;
  const Index N = c.nStates, M = c.nMix, D = c.nFeatures;
  Index expected = 0;
  switch (p.type) {
    case CovarianceType::Diag: expected = N * M * D; break;
    case CovarianceType::Spherical: expected = N * M; break;
    case CovarianceType::Full: expected = N * M * D * D; break;
    case CovarianceType::Tied: expected = N * D * D; break;
  }
  require(static_cast<Index>(v.size()) == expected, "covars: covarianceType '", toString(p.type), "' needs ",
          expected, " values, got ", v.size());
  // A value's place in the nested array the user gave (the getter's shape), not its flat index.
  const auto position = [&](size_t flat) {
    const Index i = static_cast<Index>(flat);
    switch (p.type) {
      case CovarianceType::Diag: return detail::concat("covars[", i / (M * D), "][", i / D % M, "][", i % D, "]");
      case CovarianceType::Spherical: return detail::concat("covars[", i / M, "][", i % M, "]");
      case CovarianceType::Full:
        return detail::concat("covars[", i / (M * D * D), "][", i / (D * D) % M, "][", i / D % D, "][", i % D, "]");
      case CovarianceType::Tied: return detail::concat("covars[", i / (D * D), "][", i / D % D, "][", i % D, "]");
    }
    return detail::concat("covars[", i, "]");
  };
  for (size_t i = 0; i < v.size(); ++i)
    require(std::isfinite(v[i]), position(i), " is ", v[i], " (must be finite)");
  if (!p.isFullType()) {
    for (size_t i = 0; i < v.size(); ++i)
      require(v[i] >= std::numeric_limits<double>::min(), position(i), " is ", v[i],
              v[i] > 0 ? " (variances must be at least 2.2250738585e-308: below it 1/variance overflows)"
                       : " (variances must be > 0)");
    if (p.type == CovarianceType::Diag) {
      p.var = Eigen::Map<const RowMatrix>(v.data(), N * M, D);
    } else {
      for (Index k = 0; k < N * M; ++k) p.var.row(k).setConstant(v[k]);
    }
  } else {
    std::vector<Eigen::MatrixXd> mats;
    const Index count = p.type == CovarianceType::Full ? N * M : N;
    for (Index i = 0; i < count; ++i) {
      Eigen::MatrixXd m = Eigen::Map<const RowMatrix>(v.data() + i * D * D, D, D);
      const std::string name = p.type == CovarianceType::Full
                                   ? detail::concat("covars[", i / M, "][", i % M, "]")
                                   : detail::concat("covars[", i, "]");
      detail::checkCovariance(m, name);
      mats.push_back(0.5 * (m + m.transpose()));
    }
    p.fullCov = std::move(mats);
  }
  state_->hasCovars = true;
}

}  // namespace gmmhmm
