#pragma once
// The Poisson emission family (internal header): in state s, feature k of a frame counts
// events at rate lambdas(s, k), the features independent (hmmlearn's PoissonHMM).
// Statistics: each state's posterior mass and posterior-weighted sum of frames; M-step:
// hmmlearn's Gamma-prior update (alpha + n * mean) / (beta + n), n the frames' total mass.

#include <string>

#include "gmmhmm/families/emission_family.hpp"

namespace gmmhmm::detail {

// The smallest rate: where EM's update gives 0 (a feature never counted in a state) the rate
// stays here, so that parameters stay positive (as rates set by hand must be) and a model
// file round-trips; the log-likelihood of a count k > 0 there is about -23k.
inline constexpr double kMinRate = 1e-10;
// The largest rate EM and the initialisation give, and sample() draws at: a count drawn at
// 9e15 stays below 2^53 - 1, the largest a frame may hold (count_frames.hpp), by 75,000
// standard deviations, so that sample() gives frames the model accepts. Rates set by hand or
// read from a file may be larger (they score); sample() refuses them, naming the rate.
inline constexpr double kMaxRate = 9e15;

class PoissonEmissions final : public EmissionFamily {
 public:
  PoissonEmissions(int nStates, int nFeatures) : nStates_(nStates), nFeatures_(nFeatures) {}

  std::unique_ptr<EmissionFamily> clone() const override { return std::make_unique<PoissonEmissions>(*this); }
  int nStates() const override { return nStates_; }
  Index frameWidth() const override { return nFeatures_; }
  const char* letters() const override { return "l"; }
  void checkFrames(const SequenceSet& X, const char* method) const override;
  void adoptSizes(const SequenceSet& X) override;
  bool ready() const override { return hasLambdas_; }
  std::string missing() const override { return "lambdas"; }
  void logLikelihoods(const double* frames, Index T, RowMatrix& out) const override;
  void initialize(const SequenceSet& X, const std::string& initParams, Random& rng) override;
  void clearStatistics() override;
  void accumulate(const double* frames, Index T, const Eigen::Ref<const RowMatrix>& gamma) override;
  void maximize(const std::string& params) override;
  Index statisticsSize() const override;
  void writeStatistics(double* out) const override;
  void readStatistics(const double* in) override;
  Index parameterValuesSize() const override;
  void writeParameterValues(double* out) const override;
  void readParameterValues(const double* in) override;
  Index nFreeParameters() const override { return Index(nStates_) * nFeatures_; }
  void sampleFrame(int state, Random& rng, double* out) const override;
  double bytes() const override;
  void writeParameters(nlohmann::json& out) const override;

  int nFeatures() const override { return nFeatures_; }
  const RowMatrix& lambdas() const { return lambdas_; }
  // Validated (finite rates > 0); fixes nFeatures (size / nStates) if unknown.
  void setLambdas(const std::vector<double>& values);
  // lambdasPrior and lambdasWeight (hmmlearn's lambdas_prior, alpha, and lambdas_weight,
  // beta: each a number or [nStates, nFeatures]), set by the model; setPrior checks their
  // shapes against the sizes known (nothing changes on error).
  void setPrior(const Prior& prior, const Prior& weight);
  void checkPriors() const override;

 private:
  void install(RowMatrix lambdas);  // and the tables of logLikelihoods()

  int nStates_;
  int nFeatures_;            // 0: unknown
  Prior prior_ = 0.0, weight_ = 0.0;
  RowMatrix lambdas_;        // N × M
  RowMatrix logLambdasT_;    // M × N: log of it, transposed for one product per sequence
  Eigen::RowVectorXd rateSums_;  // N: sum over features of lambdas (the -lambda terms)
  RowMatrix sums_;           // N × M statistics: posterior-weighted sums of the frames
  Eigen::VectorXd mass_;     // N: posterior mass of each state
  bool hasLambdas_ = false;
};

}  // namespace gmmhmm::detail
