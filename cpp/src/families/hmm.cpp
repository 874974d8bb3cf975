// Hmm: the EM loop and the inference shared by every emission family, on the
// forward-backward, Viterbi and chain of cpp/src/model.
#include "gmmhmm/families/hmm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "../model/checks.hpp"
#include "../model/forward_backward.hpp"
#include "../model/memory_estimate.hpp"
#include "../model/model_state.hpp"  // checkProbabilityVector
#include "../model/param_letters.hpp"
#include "../model/random.hpp"
#include "../model/stationary.hpp"
#include "../model/transitions.hpp"
#include "gmmhmm/families/chain_fit_session.hpp"
#include "sequence_pass.hpp"

namespace gmmhmm {

using detail::fail;
using detail::hasLetter;
using detail::require;

namespace {

constexpr double kDouble = sizeof(double);

}  // namespace

Hmm::Hmm(int nStates, std::unique_ptr<EmissionFamily> emissions) : nStates_(nStates), emissions_(std::move(emissions)) {
  require(nStates >= 1 && nStates <= 10000, "nStates must be an integer in [1, 10000], got ", nStates);
  require(emissions_ != nullptr && emissions_->nStates() == nStates, "Hmm: emissions of another number of states");
  detail::requireMemory(kDouble * (double(nStates) * nStates + nStates), "a model of these sizes");
  // Uniform, and set: what hmmlearn's initialisation gives a parameter never set, and what
  // GMMHMM's ergodic models start with, so that the getters show the values fit() would use.
  startprob_ = Eigen::VectorXd::Constant(nStates, 1.0 / nStates);
  transmat_ = RowMatrix::Constant(nStates, nStates, 1.0 / nStates);
  hasStartprob_ = hasTransmat_ = true;
}

Hmm::Hmm(const Hmm& o)
    : nStates_(o.nStates_),
      emissions_(o.emissions_->clone()),
      startprob_(o.startprob_),
      transmat_(o.transmat_),
      hasStartprob_(o.hasStartprob_),
      hasTransmat_(o.hasTransmat_),
      monitor_(o.monitor_) {}

Hmm& Hmm::operator=(const Hmm& o) {
  if (this != &o) *this = Hmm(o);
  return *this;
}
Hmm::Hmm(Hmm&&) noexcept = default;
Hmm& Hmm::operator=(Hmm&&) noexcept = default;
Hmm::~Hmm() = default;

bool Hmm::ready() const { return hasStartprob_ && hasTransmat_ && emissions_->ready(); }

void Hmm::requireReady(const char* method) const {
  if (ready()) return;
  std::string missing;
  auto add = [&](bool ok, const std::string& name) {
    if (!ok) missing += missing.empty() ? name : ", " + name;
  };
  add(hasStartprob_, "startprob");
  add(hasTransmat_, "transmat");
  add(emissions_->ready(), emissions_->missing());
  throw NotFitted(detail::concat(method, ": the model is not fitted (missing ", missing,
                                 "); call fit() or set the parameters first"));
}

Hmm::Spans Hmm::spans(const SequenceSet& X, const char* method, bool checkSizes) const {
  require(X.nFrames >= 1, method, ": X: no frames (empty data)");
  require(X.data != nullptr, method, ": X: missing data");
  if (checkSizes) emissions_->checkFrames(X, method);
  Spans s;
  if (X.lengths.empty()) {
    s.begin = {0};
    s.length = {X.nFrames};
    return s;
  }
  Index total = 0;
  for (size_t i = 0; i < X.lengths.size(); ++i) {
    const Index len = X.lengths[i];
    require(len >= 1, method, ": lengths[", i, "] is ", len, ": every sequence needs at least one frame");
    require(len <= X.nFrames - total, method, ": lengths sum to more than the ", X.nFrames, " frames of X");
    s.begin.push_back(total);
    s.length.push_back(len);
    total += len;
  }
  require(total == X.nFrames, method, ": lengths sum to ", total, " but X has ", X.nFrames, " frames");
  return s;
}

void Hmm::requirePassMemory(const SequenceSet& X, const Spans& s, double resultValues, const char* method,
                            double otherBytes) const {
  const double longest = double(*std::max_element(s.length.begin(), s.length.end()));
  // Emission log-likelihoods, posteriors and the scaled forward/backward of one sequence.
  const double perPass = kDouble * longest * nStates_ * 4.0;
  detail::requireMemory(otherBytes + detail::chainBytes(transmat_) + perPass + kDouble * resultValues,
                        detail::concat(method, ": ", X.nFrames, " frames of a ", nStates_, "-state model"));
}

const Monitor& Hmm::fit(const SequenceSet& X, const ChainOptions& options, const IterationCallback& onIteration) {
  ChainFitSession session(*this, X, options);
  while (!session.done()) {
    const ChainFitSession::Iteration it = session.step();
    if (it.completed && onIteration && !onIteration(it.index, it.logLikelihood, it.planned)) session.cancel();
  }
  return session.finish();
}

std::vector<double> Hmm::scorePerSequence(const SequenceSet& X) const {
  requireReady("score");
  const Spans s = spans(X, "score", true);
  requirePassMemory(X, s, double(s.begin.size()), "score");
  const detail::Transitions tr = detail::Transitions::build(startprob_, transmat_, {});
  std::vector<double> out;
  RowMatrix logE;
  detail::ScaledEmissions scaled;
  for (size_t q = 0; q < s.begin.size(); ++q) {
    const double* frames = X.data + s.begin[q] * X.nFeatures;
    // As the forward-backward: the scaled pass first, the log-space one where it cannot vouch.
    double ll = emissions_->scaledLikelihoods(frames, s.length[q], scaled) ? detail::scaledForwardLogLikelihood(tr, scaled)
                                                                          : std::numeric_limits<double>::quiet_NaN();
    if (std::isnan(ll)) {
      emissions_->logLikelihoods(frames, s.length[q], logE);
      ll = detail::forwardLogLikelihood(tr, logE);
    }
    out.push_back(ll);
  }
  return out;
}

double Hmm::score(const SequenceSet& X) const {
  double total = 0;
  for (double v : scorePerSequence(X)) total += v;
  return total;
}

PosteriorResult Hmm::posteriors(const SequenceSet& X, const char* method) const {
  requireReady(method);
  const Spans s = spans(X, method, true);
  requirePassMemory(X, s, double(X.nFrames) * nStates_, method);
  const detail::Transitions tr = detail::Transitions::build(startprob_, transmat_, {});
  PosteriorResult result;
  result.posteriors.resize(X.nFrames, nStates_);
  RowMatrix logE;
  detail::ScaledEmissions scaled;
  for (size_t q = 0; q < s.begin.size(); ++q) {
    const Index len = s.length[q];
    auto gamma = result.posteriors.middleRows(s.begin[q], len);
    const double ll =
        detail::sequenceForwardBackward(*emissions_, tr, X.data + s.begin[q] * X.nFeatures, len, scaled, logE, gamma, nullptr);
    if (!std::isfinite(ll))
      fail(method, ": sequence ", q, " (", len, " frames) cannot be produced by the model (no path explains",
           " it); score() reports -Infinity");
    result.logLikelihood += ll;
  }
  return result;
}

DecodeResult Hmm::decode(const SequenceSet& X, DecodeAlgorithm algorithm) const {
  DecodeResult result;
  if (algorithm == DecodeAlgorithm::Map) {
    // hmmlearn's _decode_map: each frame's most probable state; the value is the sum over
    // frames of that posterior, as hmmlearn returns (docs/hmmlearn.md, "MAP decoding").
    const PosteriorResult post = posteriors(X, "decode");
    result.states.resize(post.posteriors.rows());
    for (Index t = 0; t < post.posteriors.rows(); ++t) {
      Index best = 0;
      result.logLikelihood += post.posteriors.row(t).maxCoeff(&best);
      result.states[t] = static_cast<int>(best);
    }
    return result;
  }
  requireReady("decode");
  const Spans s = spans(X, "decode", true);
  requirePassMemory(X, s, double(X.nFrames), "decode");
  const detail::Transitions tr = detail::Transitions::build(startprob_, transmat_, {});
  result.states.assign(X.nFrames, 0);
  RowMatrix logE;
  for (size_t q = 0; q < s.begin.size(); ++q) {
    const Index len = s.length[q];
    emissions_->logLikelihoods(X.data + s.begin[q] * X.nFeatures, len, logE);
    const double ll = detail::viterbi(tr, logE, result.states.data() + s.begin[q]);
    if (!std::isfinite(ll)) fail("decode: sequence ", q, " (", len, " frames) has no valid state path under the model");
    result.logLikelihood += ll;
  }
  return result;
}

SampleResult Hmm::sample(Index n, std::uint64_t seed, int currstate) const {
  requireReady("sample");
  require(n >= 1 && n <= 100000000, "sample: n must be an integer in [1, 1e8], got ", n);
  require(currstate >= -1 && currstate < nStates_, "sample: currstate must be a state index in [0, ", nStates_ - 1,
          "], got ", currstate);
  const Index width = emissions_->frameWidth();
  detail::requireMemory(kDouble * double(n) * (width + 1), detail::concat("sample: ", n, " frames"));
  detail::Random rng(seed);
  SampleResult out;
  out.X.resize(n, width);
  out.states.resize(n);
  int s = currstate >= 0 ? currstate : rng.categorical(startprob_.data(), nStates_);
  for (Index t = 0; t < n; ++t) {
    if (t > 0) s = rng.categorical(transmat_.row(s).data(), nStates_);
    out.states[t] = s;
    emissions_->sampleFrame(s, rng, out.X.row(t).data());
  }
  return out;
}

Index Hmm::nFreeParameters() const {
  Index count = std::max<Index>((startprob_.array() > 0).count() - 1, 0);
  for (int r = 0; r < nStates_; ++r) count += std::max<Index>((transmat_.row(r).array() > 0).count() - 1, 0);
  return count + emissions_->nFreeParameters();
}

double Hmm::aic(const SequenceSet& X) const { return -2.0 * score(X) + 2.0 * static_cast<double>(nFreeParameters()); }

double Hmm::bic(const SequenceSet& X) const {
  return -2.0 * score(X) + static_cast<double>(nFreeParameters()) * std::log(static_cast<double>(X.nFrames));
}

std::vector<double> Hmm::stationaryDistribution() const {
  if (!hasStartprob_ || !hasTransmat_)
    throw NotFitted("stationaryDistribution: startprob and transmat are not set; call fit() or set them first");
  return detail::stationaryDistribution(startprob_, transmat_);
}

std::vector<double> Hmm::startprob() const { return std::vector<double>(startprob_.data(), startprob_.data() + nStates_); }

std::vector<double> Hmm::transmat() const {
  return std::vector<double>(transmat_.data(), transmat_.data() + transmat_.size());
}

void Hmm::setStartprob(const std::vector<double>& v) {
  const int N = nStates_;
  require(static_cast<int>(v.size()) == N, "startprob: expected ", N, " values (nStates), got ", v.size());
  detail::checkProbabilityVector(v.data(), N, "startprob");
  startprob_ = Eigen::Map<const Eigen::VectorXd>(v.data(), N);
  hasStartprob_ = true;
}

void Hmm::setTransmat(const std::vector<double>& v) {
  const int N = nStates_;
  require(static_cast<Index>(v.size()) == Index(N) * N, "transmat: expected ", N, "x", N, " = ", Index(N) * N,
          " values, got ", v.size());
  for (int r = 0; r < N; ++r) {
    const std::string name = detail::concat("transmat row ", r);
    detail::checkProbabilityVector(v.data() + Index(r) * N, N, name.c_str());
  }
  transmat_ = Eigen::Map<const RowMatrix>(v.data(), N, N);
  hasTransmat_ = true;
}

namespace detail {

double sequenceForwardBackward(const EmissionFamily& family, const Transitions& tr, const double* frames, Index length,
                               ScaledEmissions& scaled, RowMatrix& logE, Eigen::Ref<RowMatrix> gamma, RowMatrix* xi) {
  if (family.scaledLikelihoods(frames, length, scaled)) {
    const double ll = scaledForwardBackward(tr, scaled, gamma, xi);
    if (!std::isnan(ll)) return ll;  // NaN: gamma partly written, xi untouched
  }
  family.logLikelihoods(frames, length, logE);
  return forwardBackward(tr, logE, gamma, xi);
}

}  // namespace detail

}  // namespace gmmhmm
