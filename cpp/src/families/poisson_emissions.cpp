#include "poisson_emissions.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "../model/checks.hpp"
#include "../model/memory_estimate.hpp"
#include "../model/param_letters.hpp"
#include "../model/random.hpp"
#include "count_frames.hpp"

namespace gmmhmm::detail {

void PoissonEmissions::checkFrames(const SequenceSet& X, const char* method) const {
  checkCountFrames(X, nFeatures_, method);
}

void PoissonEmissions::adoptSizes(const SequenceSet& X) {
  if (nFeatures_ > 0) return;
  requireMemory(sizeof(double) * 4.0 * double(nStates_) * X.nFeatures,
                concat("fit: ", nStates_, " states x ", X.nFeatures, " features"));
  nFeatures_ = static_cast<int>(X.nFeatures);
}

void PoissonEmissions::logLikelihoods(const double* frames, Index T, RowMatrix& out) const {
  // log p(x | s) = sum_k x_k log lambda_sk - lambda_sk - log x_k!: one matrix product.
  const Eigen::Map<const RowMatrix> x(frames, T, nFeatures_);
  out.resize(T, nStates_);
  out.noalias() = x * logLambdasT_;
  out.rowwise() -= rateSums_;
  Eigen::VectorXd logFact(T);
  logFactorialSums(frames, T, nFeatures_, logFact.data());
  out.colwise() -= logFact;
  // A frame with a large count, term by term in the saddle-point form (count_frames.hpp):
  // the product above subtracts numbers of size x log x there.
  for (Index t = 0; t < T; ++t) {
    if (x.row(t).maxCoeff() < kSaddlePointFrom) continue;
    for (Index s = 0; s < nStates_; ++s) {
      double sum = 0;
      for (Index k = 0; k < nFeatures_; ++k) {
        const double count = x(t, k), rate = lambdas_(s, k);
        sum -= count == 0 ? rate : deviance(count, rate) + stirlingError(count) + 0.5 * std::log(kTwoPi * count);
      }
      out(t, s) = sum;
    }
  }
}

void PoissonEmissions::install(RowMatrix lambdas) {
  lambdas_ = std::move(lambdas);
  logLambdasT_ = lambdas_.transpose().array().log().matrix();
  rateSums_ = lambdas_.rowwise().sum().transpose();
  hasLambdas_ = true;
}

void PoissonEmissions::initialize(const SequenceSet& X, const std::string& initParams, Random& rng) {
  if (!hasLetter(initParams, 'l') && hasLambdas_ && lambdas_.cols() == nFeatures_) return;
  // hmmlearn: rates drawn from the Gamma distribution whose mean and variance are those of
  // every count of X (method of moments).
  const Eigen::Map<const Eigen::ArrayXd> all(X.data, X.nFrames * X.nFeatures);
  const double mean = all.mean();
  const double var = (all - mean).square().mean();
  RowMatrix l(nStates_, nFeatures_);
  for (Index s = 0; s < l.rows(); ++s)
    for (Index k = 0; k < l.cols(); ++k)
      // Counts all equal (var 0) or all 0: hmmlearn's Gamma has no shape; every rate is the mean.
      l(s, k) = std::clamp(var > 0 && mean > 0 ? rng.gamma(mean * mean / var, var / mean) : mean, kMinRate, kMaxRate);
  install(std::move(l));
}

void PoissonEmissions::clearStatistics() {
  sums_ = RowMatrix::Zero(nStates_, nFeatures_);
  mass_ = Eigen::VectorXd::Zero(nStates_);
}

void PoissonEmissions::accumulate(const double* frames, Index T, const Eigen::Ref<const RowMatrix>& gamma) {
  const Eigen::Map<const RowMatrix> x(frames, T, nFeatures_);
  sums_.noalias() += gamma.transpose() * x;
  mass_ += gamma.colwise().sum().transpose();
}

namespace {
void checkPriorShapes(const Prior& prior, const Prior& weight, int nStates, int nFeatures) {
  checkPriorBroadcasts(prior, "lambdasPrior", {nStates, nFeatures}, "[nStates, nFeatures]");
  checkPriorBroadcasts(weight, "lambdasWeight", {nStates, nFeatures}, "[nStates, nFeatures]");
}
}  // namespace

void PoissonEmissions::setPrior(const Prior& prior, const Prior& weight) {
  checkPriorShapes(prior, weight, nStates_, nFeatures_);
  prior_ = prior;
  weight_ = weight;
}

void PoissonEmissions::checkPriors() const { checkPriorShapes(prior_, weight_, nStates_, nFeatures_); }

void PoissonEmissions::maximize(const std::string& params) {
  if (!hasLetter(params, 'l')) return;
  // hmmlearn's update, n the total posterior mass of all states (the number of frames), not
  // the state's: with the default prior (0, 0) it is the posterior mean of the counts.
  const double n = mass_.sum();
  RowMatrix next = lambdas_;
  const std::vector<double> alpha = broadcastPrior(prior_, {nStates_, nFeatures_});
  const std::vector<double> beta = broadcastPrior(weight_, {nStates_, nFeatures_});
  for (Index s = 0; s < next.rows(); ++s) {
    if (!(mass_[s] > 0)) continue;  // a state never visited keeps its rates (hmmlearn's would be NaN)
    for (Index k = 0; k < next.cols(); ++k) {
      const double mean = sums_(s, k) / mass_[s];
      const std::size_t at = std::size_t(s) * nFeatures_ + k;
      next(s, k) = std::clamp((alpha[at] + n * mean) / (beta[at] + n), kMinRate, kMaxRate);
    }
  }
  install(std::move(next));
}

void PoissonEmissions::sampleFrame(int state, Random& rng, double* out) const {
  for (Index k = 0; k < nFeatures_; ++k) {
    const double rate = lambdas_(state, k);
    require(rate <= kMaxRate, "sample: lambdas[", state, "][", k, "] is ", rate,
            ": at rates above 9e15 the counts drawn pass 2^53 - 1, the largest a frame may hold");
    out[k] = rng.poisson(rate);
  }
}

double PoissonEmissions::bytes() const { return sizeof(double) * 4.0 * double(nStates_) * std::max(nFeatures_, 1); }

void PoissonEmissions::writeParameters(nlohmann::json& out) const {
  if (!hasLambdas_) return;
  nlohmann::json rows = nlohmann::json::array();
  for (Index s = 0; s < lambdas_.rows(); ++s)
    rows.push_back(std::vector<double>(lambdas_.row(s).data(), lambdas_.row(s).data() + lambdas_.cols()));
  out["lambdas"] = std::move(rows);
}

void PoissonEmissions::setLambdas(const std::vector<double>& v) {
  const Index N = nStates_;
  require(!v.empty() && v.size() % N == 0, "lambdas: expected nStates x nFeatures = ", N, " x nFeatures values, got ",
          v.size());
  const Index M = static_cast<Index>(v.size()) / N;
  if (nFeatures_ > 0)
    require(M == nFeatures_, "lambdas: expected ", N, " x ", nFeatures_, " = ", N * nFeatures_,
            " values (nStates x nFeatures), got ", v.size());
  for (Index i = 0; i < static_cast<Index>(v.size()); ++i)
    require(std::isfinite(v[i]) && v[i] > 0, "lambdas[", i / M, "][", i % M, "] is ", v[i],
            ": rates must be finite and > 0");
  checkPriorShapes(prior_, weight_, nStates_, static_cast<int>(M));  // a file must load back
  nFeatures_ = static_cast<int>(M);
  install(Eigen::Map<const RowMatrix>(v.data(), N, M));
}

// Vectors for fits whose E-steps run elsewhere: the sums (nStates × nFeatures) and masses
// (nStates); the rates.
Index PoissonEmissions::statisticsSize() const { return Index(nStates_) * (nFeatures_ + 1); }
void PoissonEmissions::writeStatistics(double* out) const {
  std::copy_n(sums_.data(), sums_.size(), out);
  std::copy_n(mass_.data(), mass_.size(), out + sums_.size());
}
void PoissonEmissions::readStatistics(const double* in) {
  sums_.resize(nStates_, nFeatures_);
  mass_.resize(nStates_);
  std::copy_n(in, sums_.size(), sums_.data());
  std::copy_n(in + sums_.size(), mass_.size(), mass_.data());
}
Index PoissonEmissions::parameterValuesSize() const { return Index(nStates_) * nFeatures_; }
void PoissonEmissions::writeParameterValues(double* out) const {
  std::copy_n(lambdas_.data(), lambdas_.size(), out);
}
void PoissonEmissions::readParameterValues(const double* in) {
  install(Eigen::Map<const RowMatrix>(in, nStates_, nFeatures_));
}

}  // namespace gmmhmm::detail
