// GmmHmm: training (Baum-Welch, run step by step in fit_session.cpp) and inference entry
// points. Parameters live in model_state.hpp / parameters.cpp.
#include "gmmhmm/model/gmm_hmm.hpp"

#include <cmath>
#include <limits>

#include "checks.hpp"
#include "data_pass.hpp"
#include "emissions.hpp"
#include "forward_backward.hpp"
#include "full_covariance.hpp"
#include "gmmhmm/model/fit_session.hpp"
#include "memory_estimate.hpp"
#include "model_state.hpp"
#include "random.hpp"

namespace gmmhmm {

using detail::fail;
using detail::require;

GmmHmm::GmmHmm(const ModelConfig& config) : state_(std::make_unique<State>()) {
  validateConfig(config);
  detail::requireMemory(detail::parameterBytes(config), "a model of these sizes");
  state_->config = config;
  state_->mixtures.nStates = config.nStates;
  state_->mixtures.nMix = config.nMix;
  state_->mixtures.type = config.covarianceType;
  state_->mixtures.weights = RowMatrix::Constant(config.nStates, config.nMix, 1.0 / config.nMix);
  if (config.topology != Topology::Custom) {
    detail::defaultChain(config, state_->startprob, state_->transmat);
    state_->hasStartprob = state_->hasTransmat = true;
  } else {
    state_->startprob = Eigen::VectorXd::Constant(config.nStates, 1.0 / config.nStates);
    state_->transmat = RowMatrix::Constant(config.nStates, config.nStates, 1.0 / config.nStates);
  }
  state_->hasWeights = config.nMix == 1;  // a single component has weight 1 by definition
  if (config.nFeatures > 0) state_->allocateMixtures(config.nFeatures);
}

GmmHmm::GmmHmm(const GmmHmm& other) : state_(std::make_unique<State>(*other.state_)) {}
GmmHmm& GmmHmm::operator=(const GmmHmm& other) {
  if (this != &other) state_ = std::make_unique<State>(*other.state_);
  return *this;
}
GmmHmm::GmmHmm(GmmHmm&&) noexcept = default;
GmmHmm& GmmHmm::operator=(GmmHmm&&) noexcept = default;
GmmHmm::~GmmHmm() = default;

const ModelConfig& GmmHmm::config() const { return state_->config; }
int GmmHmm::nStates() const { return state_->config.nStates; }
int GmmHmm::nMix() const { return state_->config.nMix; }
int GmmHmm::nFeatures() const { return state_->config.nFeatures; }
CovarianceType GmmHmm::covarianceType() const { return state_->config.covarianceType; }
bool GmmHmm::isReady() const { return state_->ready(); }
const Monitor& GmmHmm::monitor() const { return state_->monitor; }

void GmmHmm::setTrainingConfig(const ModelConfig& next) {
  const ModelConfig& c = state_->config;
  require(next.nStates == c.nStates && next.nMix == c.nMix && next.covarianceType == c.covarianceType &&
              next.topology == c.topology && next.maxJump == c.maxJump && next.endInLastState == c.endInLastState &&
              (next.nFeatures == c.nFeatures || next.nFeatures == 0),
          "setTrainingConfig: nStates, nMix, nFeatures, covarianceType, topology, maxJump and endInLastState",
          " cannot change on an existing model");
  ModelConfig merged = next;
  merged.nFeatures = c.nFeatures;
  validateConfig(merged);
  state_->config = merged;
}

namespace {

// Scoring passes allocate per-frame buffers and their result: refused before allocating
// when they cannot fit (10^6 frames of a 10^4-state model would be 80 GB per buffer).
void requirePassMemory(const ModelConfig& c, const RowMatrix& transmat, const detail::SequenceData& data,
                       double resultValues, const char* what) {
  const Index N = c.nStates, K = Index(c.nStates) * c.nMix;
  detail::requireMemory(detail::chainBytes(transmat) + detail::expectationPassBytes(data, N, K, c.nFeatures) +
                            sizeof(double) * resultValues,
                        detail::concat(what, ": ", data.X.rows(), " frames of a ", N, "-state model"));
}

}  // namespace

const Monitor& GmmHmm::fit(const SequenceSet& X, const IterationCallback& onIteration) {
  FitSession session(*this, X);
  while (!session.done()) {
    const FitSession::Iteration it = session.step();
    if (it.completed && onIteration && !onIteration(it.index, it.logLikelihood, it.planned)) session.cancel();
  }
  return session.finish();
}

double GmmHmm::score(const SequenceSet& X) const {
  double total = 0;
  for (double v : scorePerSequence(X)) total += v;
  return total;
}

std::vector<double> GmmHmm::scorePerSequence(const SequenceSet& X) const {
  state_->requireReady("score");
  const auto data = detail::SequenceData::from(X, state_->config.nFeatures, false);  // values: below
  requirePassMemory(state_->config, state_->transmat, data, 0, "score");
  const detail::EmissionEvaluator evaluator(state_->mixtures);
  const detail::Transitions tr = state_->transitions();
  std::vector<double> out;
  detail::ScaledEmissions scaled;
  RowMatrix stateLL;
  for (Index q = 0; q < data.nSequences(); ++q) {
    detail::requireUsableValues(data, q);
    const auto frames = data.X.middleRows(data.begin[q], data.length[q]);
    // Scaled emissions straight from the components; the log-space path for a sequence the
    // scaled pass cannot vouch for (an impossible one, underflow that may matter).
    double ll = detail::scaledStateEmissions(evaluator, frames, scaled) ? detail::scaledForwardLogLikelihood(tr, scaled)
                                                                   : std::numeric_limits<double>::quiet_NaN();
    if (std::isnan(ll)) {
      detail::stateLogLikelihoods(evaluator, frames, stateLL);
      ll = detail::forwardLogLikelihood(tr, stateLL);
    }
    out.push_back(ll);
  }
  return out;
}

RowMatrix GmmHmm::emissionLogLikelihoods(const SequenceSet& X) const {
  state_->requireReady("emissionLogLikelihoods");
  const auto data = detail::SequenceData::from(X, state_->config.nFeatures);
  requirePassMemory(state_->config, state_->transmat, data, double(data.X.rows()) * state_->config.nStates, "emissionLogLikelihoods");
  const detail::EmissionEvaluator evaluator(state_->mixtures);
  RowMatrix out;
  detail::stateLogLikelihoods(evaluator, data.X, out);
  return out;
}

PosteriorResult GmmHmm::posteriors(const SequenceSet& X, const char* method) const {
  const State& state = *state_;
  state.requireReady(method);
  const auto data = detail::SequenceData::from(X, state.config.nFeatures, false);  // values: below
  requirePassMemory(state.config, state.transmat, data, double(data.X.rows()) * state.config.nStates, method);
  const detail::EmissionEvaluator evaluator(state.mixtures);
  const detail::Transitions tr = state.transitions();
  PosteriorResult result;
  result.posteriors.resize(data.X.rows(), state.config.nStates);
  detail::ScaledEmissions scaled;
  RowMatrix stateLL;
  for (Index q = 0; q < data.nSequences(); ++q) {
    detail::requireUsableValues(data, q);
    const Index len = data.length[q];
    const auto frames = data.X.middleRows(data.begin[q], len);
    auto gamma = result.posteriors.middleRows(data.begin[q], len);
    // As in scorePerSequence: the log-space path only where the scaled one cannot vouch.
    double ll = detail::scaledStateEmissions(evaluator, frames, scaled) ? detail::scaledForwardBackward(tr, scaled, gamma, nullptr)
                                                                   : std::numeric_limits<double>::quiet_NaN();
    if (std::isnan(ll)) {
      detail::stateLogLikelihoods(evaluator, frames, stateLL);
      ll = detail::forwardBackward(tr, stateLL, gamma, nullptr);
    }
    if (!std::isfinite(ll))
      fail(method, ": sequence ", q, " (", len, " frames) cannot be produced by the model (no path explains",
           " it, e.g. too short for a left-right model that must end in its last state); score() reports -Infinity");
    // Emission log-likelihoods near 1e110 (means of 1e55 against unit variances) leave no digits
    // for the posteriors, which came out as zeros (found by fuzzing): say so instead.
    const auto sums = result.posteriors.middleRows(data.begin[q], len).rowwise().sum();
    if (!((sums.array() - 1.0).abs() <= 1e-6).all()) {
      detail::stateLogLikelihoods(evaluator, frames, stateLL);  // for the message
      fail(method, ": sequence ", q, ": the posteriors cannot be computed in double precision (emission",
           " log-likelihoods reach ", stateLL.cwiseAbs().maxCoeff(), "; means, variances or data of extreme scale?)");
    }
    result.logLikelihood += ll;
  }
  return result;
}

PosteriorResult GmmHmm::scoreSamples(const SequenceSet& X) const { return posteriors(X, "scoreSamples"); }

DecodeResult GmmHmm::decode(const SequenceSet& X, DecodeAlgorithm algorithm) const {
  if (algorithm == DecodeAlgorithm::Map) {
    // hmmlearn's _decode_map: the most probable state of every frame on its own; the value
    // returned is hmmlearn's too, the sum over frames of that largest posterior (hmmlearn
    // names it log_prob, but it is a sum of probabilities; docs/hmmlearn.md).
    const PosteriorResult post = posteriors(X, "decode");
    DecodeResult result;
    result.states.resize(post.posteriors.rows());
    for (Index t = 0; t < post.posteriors.rows(); ++t) {
      Index best = 0;
      result.logLikelihood += post.posteriors.row(t).maxCoeff(&best);
      result.states[t] = static_cast<int>(best);
    }
    return result;
  }
  state_->requireReady("decode");
  const auto data = detail::SequenceData::from(X, state_->config.nFeatures, false);  // values: below
  requirePassMemory(state_->config, state_->transmat, data, double(data.X.rows()), "decode");
  const detail::EmissionEvaluator evaluator(state_->mixtures);
  const detail::Transitions tr = state_->transitions();
  DecodeResult result;
  result.states.assign(data.X.rows(), 0);
  RowMatrix stateLL;
  for (Index q = 0; q < data.nSequences(); ++q) {
    detail::requireUsableValues(data, q);
    const Index len = data.length[q];
    detail::stateLogLikelihoods(evaluator, data.X.middleRows(data.begin[q], len), stateLL);
    const double ll = detail::viterbi(tr, stateLL, result.states.data() + data.begin[q]);
    if (!std::isfinite(ll))
      fail("decode: sequence ", q, " (", len, " frames) has no valid state path under the model (e.g. too short",
           " for a left-right model that must end in its last state)");
    result.logLikelihood += ll;
  }
  return result;
}

SampleResult GmmHmm::sample(Index n, std::uint64_t seed, int currstate) const {
  state_->requireReady("sample");
  require(n >= 1 && n <= 100000000, "sample: n must be an integer in [1, 1e8], got ", n);
  const auto& p = state_->mixtures;
  const int D = p.nFeatures, N = p.nStates, M = p.nMix;
  require(currstate >= -1 && currstate < N, "sample: currstate must be a state index in [0, ", N - 1, "], got ",
          currstate);
  detail::requireMemory(sizeof(double) * (double(n) * (D + 1) + (p.isFullType() ? double(p.fullCov.size()) * D * D : 0.0)),
                        detail::concat("sample: ", n, " frames of ", D, " features"));
  std::vector<Eigen::MatrixXd> factors;
  const int nMatrices = p.isFullType() ? static_cast<int>(p.fullCov.size()) : 0;
  factors.resize(nMatrices);
  for (int i = 0; i < nMatrices; ++i) detail::lowerCholesky(p.fullCov[i], factors[i]);  // checked when set
  detail::Random rng(seed);
  SampleResult out;
  out.X.resize(n, D);
  out.states.resize(n);
  // hmmlearn: a given currstate is the first sample's state (no draw from startprob).
  int s = currstate >= 0 ? currstate : rng.categorical(state_->startprob.data(), N);
  Eigen::VectorXd z(D);
  for (Index t = 0; t < n; ++t) {
    if (t > 0) s = rng.categorical(state_->transmat.row(s).data(), N);
    out.states[t] = s;
    const int m = rng.categorical(p.weights.row(s).data(), M);
    const int k = s * M + m;
    for (int d = 0; d < D; ++d) z[d] = rng.normal();
    if (p.isFullType())
      out.X.row(t) = p.means.row(k) + (factors[p.type == CovarianceType::Tied ? s : k] * z).transpose();
    else
      out.X.row(t) = p.means.row(k) + (p.var.row(k).array().sqrt() * z.transpose().array()).matrix();
  }
  return out;
}

Index GmmHmm::nFreeParameters() const {
  const auto& c = state_->config;
  const Index N = c.nStates, M = c.nMix, D = c.nFeatures;
  Index count = 0;
  // Structural zeros are not parameters: count allowed entries minus one per distribution.
  count += std::max<Index>((state_->startprob.array() > 0).count() - 1, 0);
  for (int r = 0; r < N; ++r) count += std::max<Index>((state_->transmat.row(r).array() > 0).count() - 1, 0);
  count += N * (M - 1);
  count += N * M * D;
  switch (c.covarianceType) {
    case CovarianceType::Diag: count += N * M * D; break;
    case CovarianceType::Spherical: count += N * M; break;
    case CovarianceType::Full: count += N * M * D * (D + 1) / 2; break;
    case CovarianceType::Tied: count += N * D * (D + 1) / 2; break;
  }
  return count;
}

double GmmHmm::aic(const SequenceSet& X) const {
  return -2.0 * score(X) + 2.0 * static_cast<double>(nFreeParameters());
}

double GmmHmm::bic(const SequenceSet& X) const {
  return -2.0 * score(X) + static_cast<double>(nFreeParameters()) * std::log(static_cast<double>(X.nFrames));
}

}  // namespace gmmhmm
