#include "multinomial_emissions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "../model/checks.hpp"
#include "../model/memory_estimate.hpp"
#include "../model/model_state.hpp"  // checkProbabilityVector
#include "../model/param_letters.hpp"
#include "../model/random.hpp"
#include "random_rows.hpp"
#include "count_frames.hpp"

namespace gmmhmm::detail {

void MultinomialEmissions::checkFrames(const SequenceSet& X, const char* method) const {
  checkCountFrames(X, nFeatures_, method, nTrials_);
}

void MultinomialEmissions::adoptSizes(const SequenceSet& X) {
  if (nFeatures_ > 0) return;
  requireMemory(sizeof(double) * 3.0 * double(nStates_) * X.nFeatures,
                concat("fit: ", nStates_, " states x ", X.nFeatures, " features"));
  nFeatures_ = static_cast<int>(X.nFeatures);
}

void MultinomialEmissions::logLikelihoods(const double* frames, Index T, RowMatrix& out) const {
  // log p(x | s) = log n! - sum_k log x_k! + sum_k x_k log p_sk, with 0 · log 0 = 0 (an
  // outcome a state never draws costs nothing while it is not counted).
  const Index M = nFeatures_;
  const Eigen::Map<const RowMatrix> x(frames, T, M);
  out.resize(T, nStates_);
  if (!hasZero_) {
    out.noalias() = x * logEmissionprobT_;
  } else {
    for (Index t = 0; t < T; ++t)
      for (Index s = 0; s < nStates_; ++s) {
        double sum = 0;
        for (Index k = 0; k < M; ++k)
          if (x(t, k) > 0) sum += x(t, k) * logEmissionprobT_(k, s);
        out(t, s) = sum;
      }
  }
  Eigen::VectorXd logFact(T);
  logFactorialSums(frames, T, M, logFact.data());
  const Eigen::VectorXd totals = x.rowwise().sum();
  for (Index t = 0; t < T; ++t) out.row(t).array() += std::lgamma(totals[t] + 1.0) - logFact[t];
  // A frame of many trials, term by term in the saddle-point form (count_frames.hpp): above,
  // log n! and sum_k x_k log p_k, both about n log n, cancel.
  for (Index t = 0; t < T; ++t) {
    const double n = totals[t];
    if (n < kSaddlePointFrom) continue;
    double common = stirlingError(n) + 0.5 * std::log(kTwoPi * n);
    for (Index k = 0; k < M; ++k)
      if (x(t, k) > 0) common -= stirlingError(x(t, k)) + 0.5 * std::log(kTwoPi * x(t, k));
    for (Index s = 0; s < nStates_; ++s) {
      // The saddle-point form assumes sum_k p_k = 1; rows are taken within 1e-6 of it, and the
      // fast form above is exact for any p: n (sum_k p_k - 1) makes the two the same function.
      double sum = common + n * rowExcess_[s];
      for (Index k = 0; k < M; ++k) {
        const double p = emissionprob_(s, k);
        if (p > 0) sum -= deviance(x(t, k), n * p);
        else if (x(t, k) > 0) sum = -std::numeric_limits<double>::infinity();
      }
      out(t, s) = sum;
    }
  }
}

void MultinomialEmissions::install(RowMatrix emissionprob) {
  emissionprob_ = std::move(emissionprob);
  logEmissionprobT_ = emissionprob_.transpose().array().log().matrix();
  // Each row's sum minus 1, compensated (Neumaier): a row normalised to rounding gives ~1e-17.
  rowExcess_.resize(emissionprob_.rows());
  for (Index s = 0; s < emissionprob_.rows(); ++s) {
    double sum = -1.0, carry = 0.0;
    for (Index k = 0; k < emissionprob_.cols(); ++k) {
      const double v = emissionprob_(s, k), t = sum + v;
      carry += std::abs(sum) >= std::abs(v) ? (sum - t) + v : (v - t) + sum;
      sum = t;
    }
    rowExcess_[s] = sum + carry;
  }
  hasZero_ = (emissionprob_.array() <= 0).any();
  hasEmissionprob_ = true;
}

void MultinomialEmissions::initialize(const SequenceSet&, const std::string& initParams, Random& rng) {
  if (!hasLetter(initParams, 'e') && hasEmissionprob_ && emissionprob_.cols() == nFeatures_) return;
  install(randomStochasticRows(nStates_, nFeatures_, rng));  // hmmlearn: rand(n_components, n_features), normalised
}

void MultinomialEmissions::clearStatistics() { sums_ = RowMatrix::Zero(nStates_, nFeatures_); }

void MultinomialEmissions::accumulate(const double* frames, Index T, const Eigen::Ref<const RowMatrix>& gamma) {
  const Eigen::Map<const RowMatrix> x(frames, T, nFeatures_);
  sums_.noalias() += gamma.transpose() * x;
}

void MultinomialEmissions::maximize(const std::string& params) {
  if (!hasLetter(params, 'e')) return;
  RowMatrix next = emissionprob_;
  for (Index s = 0; s < next.rows(); ++s) {
    // hmmlearn: the state's expected counts, normalised. A state that saw no count (never
    // visited, or frames of nothing) keeps its row: hmmlearn's would be 0/0.
    setNormalizedRow(next, s, sums_.row(s));
  }
  install(std::move(next));
}

void MultinomialEmissions::sampleFrame(int state, Random& rng, double* out) const {
  // Checked before sampling (MultinomialHmm::sample): nTrials > 0.
  std::fill(out, out + nFeatures_, 0.0);
  for (double i = 0; i < nTrials_; ++i) out[rng.categorical(emissionprob_.row(state).data(), nFeatures_)] += 1;
}

double MultinomialEmissions::bytes() const { return sizeof(double) * 3.0 * double(nStates_) * std::max(nFeatures_, 1); }

void MultinomialEmissions::writeParameters(nlohmann::json& out) const {
  if (hasEmissionprob_) out["emissionprob"] = emissionprobJson(emissionprob_);
}

void MultinomialEmissions::setEmissionprob(const std::vector<double>& v) {
  const Index N = nStates_;
  const Index M = checkedEmissionprobCols(v, N, nFeatures_, 100000, "1e5 outcomes");
  nFeatures_ = static_cast<int>(M);
  install(Eigen::Map<const RowMatrix>(v.data(), N, M));
}

// Vectors for fits whose E-steps run elsewhere: the sums (nStates × nFeatures) and emissionprob.
Index MultinomialEmissions::statisticsSize() const { return Index(nStates_) * nFeatures_; }
void MultinomialEmissions::writeStatistics(double* out) const {
  std::copy_n(sums_.data(), sums_.size(), out);
}
void MultinomialEmissions::readStatistics(const double* in) {
  sums_.resize(nStates_, nFeatures_);
  std::copy_n(in, sums_.size(), sums_.data());
}
Index MultinomialEmissions::parameterValuesSize() const { return Index(nStates_) * nFeatures_; }
void MultinomialEmissions::writeParameterValues(double* out) const {
  std::copy_n(emissionprob_.data(), emissionprob_.size(), out);
}
void MultinomialEmissions::readParameterValues(const double* in) {
  install(Eigen::Map<const RowMatrix>(in, nStates_, nFeatures_));
}

}  // namespace gmmhmm::detail
