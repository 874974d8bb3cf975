#pragma once
// The multinomial emission family (internal header): a frame is the counts of nFeatures
// outcomes in nTrials draws, state s drawing outcome k with probability emissionprob(s, k)
// (hmmlearn 0.3's MultinomialHMM). Statistics: each state's posterior-weighted sum of
// frames; M-step: those sums normalised per state (hmmlearn has no prior here).

#include <string>

#include "gmmhmm/families/emission_family.hpp"

namespace gmmhmm::detail {

class MultinomialEmissions final : public EmissionFamily {
 public:
  // nTrials 0: each frame's own total (hmmlearn's n_trials=None); sampling then refuses.
  MultinomialEmissions(int nStates, int nFeatures, double nTrials)
      : nStates_(nStates), nFeatures_(nFeatures), nTrials_(nTrials) {}

  std::unique_ptr<EmissionFamily> clone() const override { return std::make_unique<MultinomialEmissions>(*this); }
  int nStates() const override { return nStates_; }
  Index frameWidth() const override { return nFeatures_; }
  const char* letters() const override { return "e"; }
  void checkFrames(const SequenceSet& X, const char* method) const override;
  void adoptSizes(const SequenceSet& X) override;
  bool ready() const override { return hasEmissionprob_; }
  std::string missing() const override { return "emissionprob"; }
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
  Index nFreeParameters() const override { return Index(nStates_) * std::max(nFeatures_ - 1, 0); }
  void sampleFrame(int state, Random& rng, double* out) const override;
  double bytes() const override;
  void writeParameters(nlohmann::json& out) const override;

  int nFeatures() const override { return nFeatures_; }
  double nTrials() const { return nTrials_; }
  const RowMatrix& emissionprob() const { return emissionprob_; }
  // Validated (rows of probabilities summing to 1 within 1e-6); fixes nFeatures if unknown.
  void setEmissionprob(const std::vector<double>& values);

 private:
  void install(RowMatrix emissionprob);  // and the log table

  int nStates_;
  int nFeatures_;  // 0: unknown
  double nTrials_;
  RowMatrix emissionprob_;     // N × M
  RowMatrix logEmissionprobT_;  // M × N, log of it transposed (one product per sequence)
  Eigen::VectorXd rowExcess_;   // N: each row's sum minus 1 (the saddle-point form's correction)
  bool hasZero_ = false;        // some probability is 0: 0 · log 0 needs the careful loop
  RowMatrix sums_;              // N × M statistics: posterior-weighted sums of the frames
  bool hasEmissionprob_ = false;
};

}  // namespace gmmhmm::detail
