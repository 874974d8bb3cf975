#include "categorical_emissions.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "../model/checks.hpp"
#include "../model/forward_backward.hpp"
#include "../model/memory_estimate.hpp"
#include "../model/model_state.hpp"  // checkProbabilityVector
#include "../model/param_letters.hpp"
#include "../model/random.hpp"
#include "random_rows.hpp"

namespace gmmhmm::detail {

namespace {
// The most symbols a model may have (CategoricalSizes' declared range of nFeatures).
constexpr double kMaxSymbols = 1e7;
}  // namespace

void CategoricalEmissions::checkFrames(const SequenceSet& X, const char* method) const {
  require(X.nFeatures == 1, method, ": X must hold one symbol per frame (shape (T) or (T, 1)), got rows of ",
          X.nFeatures, " values");
  for (Index t = 0; t < X.nFrames; ++t) {
    const double v = X.data[t];
    if (!std::isfinite(v)) fail(method, ": X[", t, "] is ", v, ": symbols must be integers >= 0 (NaN or infinite values are not symbols)");
    if (v != std::floor(v)) fail(method, ": X[", t, "] is ", v, ": symbols must be integers");
    if (v < 0) fail(method, ": X[", t, "] is ", v, ": symbols must be >= 0");
    if (nFeatures_ > 0 && v >= nFeatures_)
      fail(method, ": X[", t, "] is ", v, ": the model emits the symbols 0 to ", nFeatures_ - 1, " (nFeatures = ",
           nFeatures_, ")");
    if (v >= kMaxSymbols) fail(method, ": X[", t, "] is ", v, ": symbols must be below ", kMaxSymbols, " (nFeatures at most 1e7)");
  }
}

void CategoricalEmissions::adoptSizes(const SequenceSet& X) {
  if (nFeatures_ > 0) return;
  double largest = 0;
  for (Index t = 0; t < X.nFrames; ++t) largest = std::max(largest, X.data[t]);
  const int M = static_cast<int>(largest) + 1;
  requireMemory(sizeof(double) * 4.0 * double(nStates_) * M, concat("fit: ", nStates_, " states x ", M, " symbols"));
  nFeatures_ = M;
}

void CategoricalEmissions::logLikelihoods(const double* frames, Index T, RowMatrix& out) const {
  out.resize(T, nStates_);
  for (Index t = 0; t < T; ++t) out.row(t) = logEmissionprob_.row(static_cast<Index>(frames[t]));
}

bool CategoricalEmissions::scaledLikelihoods(const double* frames, Index T, ScaledEmissions& out) const {
  out.e.resize(T, nStates_);
  out.offset.resize(T);
  out.subnormalUlps = 1;  // each e one division (scaledByMax_)
  for (Index t = 0; t < T; ++t) {
    const Index k = static_cast<Index>(frames[t]);
    if (!std::isfinite(logMax_[k])) return false;  // no state emits it: the log path says -inf
    out.e.row(t) = scaledByMax_.row(k);
    out.offset[t] = logMax_[k];
  }
  return true;
}

void CategoricalEmissions::install(RowMatrix emissionprob) {
  emissionprob_ = std::move(emissionprob);
  logEmissionprob_ = emissionprob_.transpose().array().log().matrix();
  scaledByMax_ = emissionprob_.transpose();
  logMax_.resize(scaledByMax_.rows());
  for (Index k = 0; k < scaledByMax_.rows(); ++k) {
    const double largest = scaledByMax_.row(k).maxCoeff();
    logMax_[k] = std::log(largest);
    if (largest > 0) scaledByMax_.row(k) /= largest;
  }
  hasEmissionprob_ = true;
}

void CategoricalEmissions::initialize(const SequenceSet&, const std::string& initParams, Random& rng) {
  if (!hasLetter(initParams, 'e') && hasEmissionprob_ && emissionprob_.cols() == nFeatures_) return;
  install(randomStochasticRows(nStates_, nFeatures_, rng));  // hmmlearn: rand(n_components, n_features), normalised
}

void CategoricalEmissions::clearStatistics() { counts_ = RowMatrix::Zero(nFeatures_, nStates_); }

void CategoricalEmissions::accumulate(const double* frames, Index T, const Eigen::Ref<const RowMatrix>& gamma) {
  for (Index t = 0; t < T; ++t) counts_.row(static_cast<Index>(frames[t])) += gamma.row(t);
}

namespace {
void checkPriorShape(const Prior& prior, int nStates, int nFeatures) {
  checkPriorBroadcasts(prior, "emissionprobPrior", {nStates, nFeatures}, "[nStates, nFeatures]");
}
}  // namespace

void CategoricalEmissions::setPrior(const Prior& prior) {
  checkPriorShape(prior, nStates_, nFeatures_);
  prior_ = prior;
}

void CategoricalEmissions::checkPriors() const { checkPriorShape(prior_, nStates_, nFeatures_); }

void CategoricalEmissions::maximize(const std::string& params) {
  if (!hasLetter(params, 'e')) return;
  RowMatrix next = emissionprob_;
  const Index M = nFeatures_;
  const std::vector<double> prior = broadcastPrior(prior_, {nStates_, M});
  for (Index s = 0; s < next.rows(); ++s) {
    // hmmlearn: max(prior - 1 + counts, 0), normalised. A state with no mass left (never
    // visited, prior <= 1) keeps its row: hmmlearn's would become zeros, not a distribution.
    const Eigen::Map<const Eigen::ArrayXd> rowPrior(prior.data() + s * M, M);
    const Eigen::RowVectorXd row = (counts_.col(s).array() + (rowPrior - 1.0)).max(0.0).matrix().transpose();
    setNormalizedRow(next, s, row);
  }
  install(std::move(next));
}

void CategoricalEmissions::sampleFrame(int state, Random& rng, double* out) const {
  out[0] = rng.categorical(emissionprob_.row(state).data(), nFeatures_);
}

double CategoricalEmissions::bytes() const { return sizeof(double) * 4.0 * double(nStates_) * std::max(nFeatures_, 1); }

void CategoricalEmissions::writeParameters(nlohmann::json& out) const {
  if (hasEmissionprob_) out["emissionprob"] = emissionprobJson(emissionprob_);
}

void CategoricalEmissions::setEmissionprob(const std::vector<double>& v) {
  const Index N = nStates_;
  const Index M = checkedEmissionprobCols(v, N, nFeatures_, kMaxSymbols, "1e7 symbols");
  checkPriorShape(prior_, nStates_, static_cast<int>(M));  // a file must load back
  nFeatures_ = static_cast<int>(M);
  install(Eigen::Map<const RowMatrix>(v.data(), N, M));
}

// Vectors for fits whose E-steps run elsewhere: the counts (nFeatures × nStates) and emissionprob.
Index CategoricalEmissions::statisticsSize() const { return Index(nFeatures_) * nStates_; }
void CategoricalEmissions::writeStatistics(double* out) const {
  std::copy_n(counts_.data(), counts_.size(), out);
}
void CategoricalEmissions::readStatistics(const double* in) {
  counts_.resize(nFeatures_, nStates_);
  std::copy_n(in, counts_.size(), counts_.data());
}
Index CategoricalEmissions::parameterValuesSize() const { return Index(nStates_) * nFeatures_; }
void CategoricalEmissions::writeParameterValues(double* out) const {
  std::copy_n(emissionprob_.data(), emissionprob_.size(), out);
}
void CategoricalEmissions::readParameterValues(const double* in) {
  install(Eigen::Map<const RowMatrix>(in, nStates_, nFeatures_));
}

}  // namespace gmmhmm::detail
