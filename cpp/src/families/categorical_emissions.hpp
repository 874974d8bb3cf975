#pragma once
// The categorical emission family (internal header): state s emits symbol k with probability
// emissionprob(s, k) (hmmlearn's CategoricalHMM). Statistics: the expected count of every
// (state, symbol) pair; M-step: hmmlearn's Dirichlet update max(prior - 1 + count, 0),
// normalised per state.

#include <string>

#include "gmmhmm/families/emission_family.hpp"

namespace gmmhmm::detail {

class CategoricalEmissions final : public EmissionFamily {
 public:
  CategoricalEmissions(int nStates, int nFeatures) : nStates_(nStates), nFeatures_(nFeatures) {}

  std::unique_ptr<EmissionFamily> clone() const override { return std::make_unique<CategoricalEmissions>(*this); }
  int nStates() const override { return nStates_; }
  Index frameWidth() const override { return 1; }
  const char* letters() const override { return "e"; }
  void checkFrames(const SequenceSet& X, const char* method) const override;
  void adoptSizes(const SequenceSet& X) override;
  bool ready() const override { return hasEmissionprob_; }
  std::string missing() const override { return "emissionprob"; }
  void logLikelihoods(const double* frames, Index T, RowMatrix& out) const override;
  bool scaledLikelihoods(const double* frames, Index T, ScaledEmissions& out) const override;
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
  const RowMatrix& emissionprob() const { return emissionprob_; }
  // Validated (rows of probabilities summing to 1 within 1e-6); fixes nFeatures if unknown.
  void setEmissionprob(const std::vector<double>& values);
  // emissionprobPrior (hmmlearn's emissionprob_prior: a number or [nStates, nFeatures]), set
  // by the model; setPrior checks its shape against the sizes known (nothing changes on error).
  void setPrior(const Prior& prior);
  void checkPriors() const override;

 private:
  void install(RowMatrix emissionprob);  // and the log table

  int nStates_;
  int nFeatures_;  // 0: unknown
  Prior prior_ = 1.0;
  RowMatrix emissionprob_;     // N × M
  RowMatrix logEmissionprob_;  // log of it, M × N (a symbol's column of every state, contiguous)
  RowMatrix scaledByMax_;      // M × N: a symbol's column divided by its largest entry
  Eigen::VectorXd logMax_;     // M: the log of that entry (-inf: no state emits the symbol)
  RowMatrix counts_;           // M × N statistics: expected count of (symbol, state), a symbol's row contiguous
  bool hasEmissionprob_ = false;
};

}  // namespace gmmhmm::detail
